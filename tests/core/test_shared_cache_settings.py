"""With REDIS_URL set, every web and worker process shares one cache in Redis; sessions are in the
database, shared by every process either way (README "Production (several processes)")."""

import os
import subprocess
import sys
from pathlib import Path

KESU = Path(sys.executable).parent / "kesu"
SHOW = (
    "from django.conf import settings as s; c = s.CACHES['default']; "
    "print(c['BACKEND'], c.get('LOCATION', ''), s.SESSION_ENGINE)"
)


def settings_with(tmp_path, **env):
    base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "KESU_VAR_DIR": str(tmp_path)}
    return subprocess.run(
        [str(KESU), "shell", "-v", "0", "-c", SHOW],
        capture_output=True, text=True, env={**base, **env}, check=False,
    )


def test_with_redis_the_cache_is_shared_and_sessions_stay_in_the_database(tmp_path):
    result = settings_with(tmp_path, REDIS_URL="redis://127.0.0.1:6379/7")
    assert result.stdout.strip().splitlines()[-1] == (
        "django.core.cache.backends.redis.RedisCache redis://127.0.0.1:6379/7 "
        "django.contrib.sessions.backends.db"
    )


def test_without_redis_the_embedded_install_keeps_them_local(tmp_path):
    result = settings_with(tmp_path)
    assert result.stdout.strip().splitlines()[-1] == (
        "django.core.cache.backends.locmem.LocMemCache  django.contrib.sessions.backends.db"
    )


def test_a_malformed_redis_url_stops_start_up(tmp_path):
    result = settings_with(tmp_path, REDIS_URL="127.0.0.1:6379")
    assert result.returncode != 0
    assert "REDIS_URL must start with redis://" in result.stderr
