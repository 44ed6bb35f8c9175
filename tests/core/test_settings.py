"""Settings read from the environment (README "Configuration")."""

import runpy

import pytest
from django.core.exceptions import ImproperlyConfigured

import kesu.settings


def settings_with(monkeypatch, **env) -> dict:
    """The settings module as it reads this environment."""
    for name in ("KESU_BASE_URL", "PORT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(kesu.settings.__file__)


def test_links_point_to_the_port_the_server_listens_on(monkeypatch):
    assert settings_with(monkeypatch, PORT="8123")["KESU_BASE_URL"] == "http://127.0.0.1:8123"


def test_links_point_to_port_8000_by_default(monkeypatch):
    assert settings_with(monkeypatch)["KESU_BASE_URL"] == "http://127.0.0.1:8000"


def test_a_base_url_given_wins_over_the_port(monkeypatch):
    loaded = settings_with(monkeypatch, PORT="8123", KESU_BASE_URL="https://kesu.example.cn")
    assert loaded["KESU_BASE_URL"] == "https://kesu.example.cn"


def test_a_port_that_is_not_a_number_fails_loudly(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="PORT must be an integer"):
        settings_with(monkeypatch, PORT="eighty")
