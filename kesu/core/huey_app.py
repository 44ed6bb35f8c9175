"""Kesu's Huey instance: the queue between the web process and `kesu worker`.

Embedded installs keep the queue in a SQLite file next to the database; installs that set
REDIS_URL share one Redis queue among all web and worker processes. Django tasks reach Huey
through `kesu.core.tasks_backend.HueyBackend`; Huey itself knows a single task that runs them.
"""

import functools

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string
from huey import Huey, RedisHuey, SqliteHuey, crontab
from huey.api import TaskWrapper

QUEUE_NAME = "kesu"
_SETTINGS = {
    "HUEY_IMMEDIATE", "HUEY_SQLITE_PATH", "REDIS_URL", "KESU_EVERY_MINUTE", "KESU_EVERY_HOUR",
}


@functools.cache
def _runner() -> TaskWrapper:
    # Imported here: tasks_backend imports this module to enqueue.
    from kesu.core.tasks_backend import run_task

    # Nobody waits on a Huey result (outcomes are logged by django-tasks' signals), and
    # unread results would pile up in the store forever.
    options = {"immediate": settings.HUEY_IMMEDIATE, "results": False}
    if settings.REDIS_URL:
        huey = RedisHuey(QUEUE_NAME, url=settings.REDIS_URL, **options)
    else:
        huey = SqliteHuey(QUEUE_NAME, filename=str(settings.HUEY_SQLITE_PATH), **options)
    # Every worker's scheduler fires this; the jobs are idempotent and safe to run at once
    # (time limits are deadline columns plus a sweeper, not delayed jobs).
    huey.periodic_task(crontab(), name="every_minute")(_every_minute)
    # Past the hour rather than on it, when people's own schedules start.
    huey.periodic_task(crontab(minute="17"), name="every_hour")(_every_hour)
    return huey.task(name="run_task")(run_task)


def _every_minute() -> None:
    for path in settings.KESU_EVERY_MINUTE:
        import_string(path).enqueue()


def _every_hour() -> None:
    for path in settings.KESU_EVERY_HOUR:
        import_string(path).enqueue()


def get_huey() -> Huey:
    """The instance configured by settings, built on first use rather than at import."""
    return _runner().huey


def enqueue(payload: dict) -> None:
    """Queue one django-tasks task, described by plain data, for the worker."""
    _runner()(payload)


@receiver(setting_changed)
def _rebuild_on_settings_change(*, setting: str, **kwargs) -> None:
    # Tests switch between inline execution and real stores with override_settings.
    if setting in _SETTINGS:
        _runner.cache_clear()
