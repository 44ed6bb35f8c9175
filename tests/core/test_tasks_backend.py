"""Tasks declared with django-tasks run through Huey: inline in tests, through a store in
production (SQLite embedded, Redis when REDIS_URL is set)."""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django_tasks import TaskResultStatus, task
from django_tasks.signals import task_finished
from huey.storage import RedisStorage, SqliteStorage

from kesu.core.huey_app import get_huey


@task()
def write_note(path: str, text: str) -> None:
    Path(path).write_text(text)


@task(takes_context=True)
def write_attempt(context, path: str) -> None:
    Path(path).write_text(str(context.attempt))


@task()
def fail() -> None:
    raise ValueError("mail server unreachable")


def run_pending(huey) -> None:
    """What each consumer worker thread does, minus the polling loop."""
    while (queued := huey.dequeue()) is not None:
        huey.execute(queued)


def test_enqueued_task_runs_inline_in_immediate_mode(tmp_path):
    note = tmp_path / "note"
    result = write_note.enqueue(str(note), "收到")
    assert get_huey().immediate
    assert note.read_text() == "收到"
    assert result.enqueued_at is not None


def test_task_gets_its_context(tmp_path):
    attempt = tmp_path / "attempt"
    write_attempt.enqueue(str(attempt))
    assert attempt.read_text() == "1"


def test_failure_is_reported_through_task_finished():
    finished = []

    def collect(sender, task_result, **kwargs):
        finished.append(task_result)

    task_finished.connect(collect)
    try:
        fail.enqueue()
    finally:
        task_finished.disconnect(collect)
    [result] = finished
    assert result.status == TaskResultStatus.FAILED
    assert result.errors[0].exception_class is ValueError


def test_sqlite_store_round_trip(settings, tmp_path):
    settings.HUEY_IMMEDIATE = False
    settings.REDIS_URL = ""
    settings.HUEY_SQLITE_PATH = tmp_path / "huey.sqlite3"
    note = tmp_path / "note"
    huey = get_huey()
    assert isinstance(huey.storage, SqliteStorage)

    write_note.enqueue(str(note), "queued")
    assert huey.pending_count() == 1
    assert not note.exists()

    run_pending(huey)
    assert note.read_text() == "queued"
    huey.storage.close()


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set")
def test_redis_store_round_trip(settings, tmp_path):
    settings.HUEY_IMMEDIATE = False
    # Database 15 rather than the configured one: a worker running against the configured
    # database must not take the test's task, nor the test take the worker's.
    settings.REDIS_URL = urlsplit(os.environ["REDIS_URL"])._replace(path="/15").geturl()
    note = tmp_path / "note"
    huey = get_huey()
    assert isinstance(huey.storage, RedisStorage)
    huey.flush()

    write_note.enqueue(str(note), "queued")
    assert huey.pending_count() == 1
    assert not note.exists()

    run_pending(huey)
    assert note.read_text() == "queued"
