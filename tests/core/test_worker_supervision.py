"""A worker is never silently dead (SPEC §12, §14): `kesu serve` reaps a worker that was killed
and starts another within seconds, and a worker stops when the server that started it is gone.

Real processes: `kesu serve` and `kesu worker` run as children of the test against the test
database, and are killed with SIGKILL as an operator's mistake or the kernel's OOM killer would.
"""

import os
import signal
import socket
import subprocess
import sys
import time

import pytest
from django.conf import settings

from kesu.core.models import Heartbeat
from kesu.core.supervisor import Supervisor

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
DEADLINE = 60


def wait_for(predicate, timeout=DEADLINE, what="the condition"):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"{what} did not happen within {timeout} s")


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0); it is dead for our purpose.
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_the_supervisor_restarts_a_killed_child_and_stops_it_on_request():
    supervisor = Supervisor([sys.executable, "-c", "import time; time.sleep(120)"], min_pause=0.1)
    supervisor.start()
    try:
        first = supervisor.process.pid
        os.kill(first, signal.SIGKILL)
        second = wait_for(
            lambda: supervisor.process.pid != first and supervisor.process.pid,
            timeout=10, what="a restart",
        )
        assert alive(second) and not alive(first)  # the dead one was reaped, not a zombie
        assert supervisor.restarts == 1
    finally:
        supervisor.stop(timeout=5)
    assert not alive(second)


def child_env(tmp_path) -> dict:
    """The children use the test database and a queue of their own."""
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        url = f"sqlite:///{database['NAME']}"
    else:
        host = database["HOST"] or "127.0.0.1"
        url = (
            f"postgres://{database['USER']}:{database['PASSWORD']}@{host}"
            f":{database['PORT'] or 5432}/{database['NAME']}"
        )
    return {
        **os.environ,
        "DATABASE_URL": url,
        "REDIS_URL": "",
        "KESU_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "kesu.settings",
    }


def worker_beats(queue="default"):
    return {row.pid for row in Heartbeat.objects.filter(name__startswith=f"worker:{queue}:")}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(tmp_path) -> subprocess.Popen:
    """`kesu serve` with its workers, on the test database."""
    return subprocess.Popen(
        [sys.executable, "-m", "django", "serve", "--port", str(free_port())],
        env=child_env(tmp_path), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


@pytest.mark.django_db(transaction=True)
def test_serve_starts_a_new_worker_within_seconds_of_one_being_killed(tmp_path):
    server = start_server(tmp_path)
    try:
        first = wait_for(worker_beats, what="a first heartbeat")
        (killed,) = first
        os.kill(killed, signal.SIGKILL)
        started = time.monotonic()
        replacement = wait_for(
            lambda: worker_beats() - first, what="a heartbeat from a new worker"
        )
        (new_pid,) = replacement
        assert time.monotonic() - started < DEADLINE
        assert alive(new_pid) and not alive(killed)
    finally:
        server.terminate()
        server.wait(timeout=40)
    # Stopping the server stops its worker too.
    wait_for(lambda: not alive(new_pid), timeout=40, what="the worker stopping with serve")


@pytest.mark.django_db(transaction=True)
def test_a_worker_stops_when_the_server_that_started_it_is_killed(tmp_path):
    server = start_server(tmp_path)
    try:
        (worker,) = wait_for(worker_beats, what="a first heartbeat")
        os.kill(server.pid, signal.SIGKILL)
        server.wait(timeout=10)
        wait_for(lambda: not alive(worker), timeout=30, what="the orphaned worker stopping")
    finally:
        if server.poll() is None:
            server.kill()


@pytest.mark.django_db(transaction=True)
def test_quick_work_is_not_held_up_by_heavy_work(tmp_path, settings):
    """Two long renders occupy the heavy queue; a notification still runs within seconds."""
    from tests.core.queue_tasks import note, occupy

    settings.HUEY_IMMEDIATE = False
    settings.REDIS_URL = ""
    settings.HUEY_SQLITE_PATH = tmp_path / "huey.sqlite3"  # the children's KESU_VAR_DIR
    server = start_server(tmp_path)
    try:
        wait_for(lambda: worker_beats("default") and worker_beats("heavy"), what="both workers")
        started = [tmp_path / "render-1", tmp_path / "render-2"]
        for flag in started:
            occupy.enqueue(15, str(flag))
        wait_for(lambda: started[0].exists(), what="the first render starting")
        note.enqueue(str(tmp_path / "mail"))
        wait_for(lambda: (tmp_path / "mail").exists(), what="the mail")
        # It ran while the first render still held the heavy worker: the second render, which
        # starts only when the first is done, has not started.
        assert not started[1].exists()
    finally:
        server.terminate()
        server.wait(timeout=60)


@pytest.mark.django_db(transaction=True)
def test_a_hung_worker_is_killed_and_started_again(tmp_path):
    """Stopped with SIGSTOP (frozen: alive to the kernel, silent to everyone), the worker is
    replaced once it has been silent for twice what /healthz allows."""
    env = {**child_env(tmp_path), "KESU_HEALTH_WORKER_SECONDS": "4"}
    server = subprocess.Popen(
        [sys.executable, "-m", "django", "serve", "--port", str(free_port())],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        first = wait_for(worker_beats, what="a first heartbeat")
        (frozen,) = first
        # A healthy worker is left alone past the hang threshold.
        time.sleep(10)
        assert worker_beats() == first and alive(frozen)
        os.kill(frozen, signal.SIGSTOP)
        replacement = wait_for(
            lambda: worker_beats() - first, what="a heartbeat from a new worker"
        )
        (new_pid,) = replacement
        assert alive(new_pid) and not alive(frozen)
    finally:
        server.terminate()
        server.wait(timeout=40)
