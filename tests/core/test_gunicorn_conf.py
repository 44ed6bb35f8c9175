"""Production with several web processes: gunicorn's configuration comes from the environment
(README "Production (several processes)", kesu/gunicorn_conf.py)."""

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

GUNICORN = Path(sys.executable).parent / "gunicorn"


def load(monkeypatch, **env):
    for name in ("WEB_CONCURRENCY", "PORT", "KESU_HOST", "WEB_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_module("kesu.gunicorn_conf")


def test_one_worker_per_core_on_loopback_port_8000_by_default(monkeypatch):
    conf = load(monkeypatch)
    assert conf["workers"] == len(os.sched_getaffinity(0))
    assert conf["bind"] == "127.0.0.1:8000"
    assert conf["preload_app"] is False
    assert conf["accesslog"] == "-"


def test_workers_and_bind_follow_the_environment(monkeypatch):
    conf = load(monkeypatch, WEB_CONCURRENCY="5", PORT="9001", KESU_HOST="0.0.0.0")
    assert conf["workers"] == 5
    assert conf["bind"] == "0.0.0.0:9001"


@pytest.mark.parametrize(
    "env", [{"WEB_CONCURRENCY": "many"}, {"WEB_CONCURRENCY": "0"}, {"PORT": "80000"}]
)
def test_a_malformed_value_stops_start_up(monkeypatch, env):
    with pytest.raises(ValueError, match=next(iter(env))):
        load(monkeypatch, **env)


def test_gunicorn_accepts_the_configuration_and_loads_kesu(tmp_path):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "KESU_VAR_DIR": str(tmp_path),
        "WEB_CONCURRENCY": "3",
        "PORT": "8123",
    }
    command = [str(GUNICORN), "-c", "python:kesu.gunicorn_conf", "kesu.wsgi"]
    checked = subprocess.run(
        [*command, "--check-config"], capture_output=True, text=True, env=env, check=False
    )
    assert checked.returncode == 0, checked.stderr
    printed = subprocess.run(
        [*command, "--print-config"], capture_output=True, text=True, env=env, check=True
    ).stdout
    assert "workers                            = 3" in printed
    assert "bind                               = ['127.0.0.1:8123']" in printed
