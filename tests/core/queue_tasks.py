"""Tasks for the queue tests, importable by a worker process started from the repository."""

import time
from pathlib import Path

from django_tasks import task


@task(queue_name="heavy")
def occupy(seconds: float, started: str) -> None:
    """Stands for an 8D export that takes long."""
    Path(started).touch()
    time.sleep(seconds)


@task()
def note(path: str) -> None:
    """Stands for a notification: quick, and someone is waiting for it."""
    Path(path).write_text(str(time.time()))
