"""The documented production configuration passes Django's deploy checks; every page carries a
Content-Security-Policy (SPEC §13, README "Production")."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.test import RequestFactory

from kesu.org.lockout import client_ip

KESU = Path(sys.executable).parent / "kesu"


def kesu(tmp_path, *args, **env):
    base = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "KESU_VAR_DIR": str(tmp_path),
        "LANGUAGE_CODE": "en",
    }
    return subprocess.run(
        [str(KESU), *args], capture_output=True, text=True, env={**base, **env}, check=False
    )


PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(60),
    "ALLOWED_HOSTS": "kesu.example.com",
    "KESU_HTTPS": "true",
    "KESU_BEHIND_PROXY": "true",
}


def test_check_deploy_is_clean_in_the_production_configuration(tmp_path):
    result = kesu(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout
    assert "WARNINGS" not in result.stderr + result.stdout


def test_without_https_the_deploy_check_says_what_is_missing(tmp_path):
    production = {**PRODUCTION, "KESU_HTTPS": "false"}
    result = kesu(tmp_path, "check", "--deploy", **production)
    for warning in ("W004", "W008", "W012", "W016"):
        assert warning in result.stderr


def test_https_settings_follow_the_environment(tmp_path):
    code = (
        "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, "
        "s.SECURE_PROXY_SSL_HEADER)"
    )
    result = kesu(tmp_path, "shell", "-v", "0", "-c", code, **PRODUCTION)
    assert result.stdout.strip().splitlines()[-1] == (
        "True True True 31536000 ('HTTP_X_FORWARDED_PROTO', 'https')"
    )
    local = kesu(tmp_path, "shell", "-v", "0", "-c", code)
    assert local.stdout.strip().splitlines()[-1] == "False False False 0 None"


def test_pages_and_the_api_carry_the_content_security_policy(client, db):
    for url in ("/login/", "/api/v1/docs", "/api/v1/openapi.json"):
        policy = client.get(url)["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "style-src 'self'" in policy
        assert "unsafe-inline" not in policy


def test_templates_hold_no_inline_script_or_style():
    root = Path(__file__).resolve().parents[2] / "kesu"
    offenders = []
    for template in root.rglob("templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        if "style=" in text or "<style" in text or "onclick=" in text or "hx-on" in text:
            offenders.append(str(template))
        for line in text.splitlines():
            if "<script" in line and "src=" not in line and "application/json" not in line:
                offenders.append(f"{template}: {line.strip()}")
    assert offenders == []


def test_the_health_check_is_not_redirected_to_https(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/login/").status_code == 301
    assert client.get("/healthz").status_code != 301


def test_behind_a_proxy_the_client_is_the_last_forwarded_address(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.168.1.20"
    )
    settings.KESU_BEHIND_PROXY = False
    assert client_ip(request) == "10.0.0.2"
    settings.KESU_BEHIND_PROXY = True
    assert client_ip(request) == "192.168.1.20"
