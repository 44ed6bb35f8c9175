"""Kesu's Huey instances: the queues between the web process and `kesu worker`.

Two queues, each consumed by its own workers, so that the work people wait on never waits
behind heavy work: "default" (notifications, the time-limit sweep, recalculations: short) and
"heavy" (8D exports and other renders that may take minutes). A task names its queue with
django-tasks' `@task(queue_name=…)`.

Embedded installs keep the queues in a SQLite file next to the database; installs that set
REDIS_URL share Redis queues among all web and worker processes. Django tasks reach Huey
through `kesu.core.tasks_backend.HueyBackend`; Huey itself knows a single task that runs them.
"""

import functools

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string
from huey import Huey, RedisHuey, SqliteHuey, crontab
from huey.api import TaskWrapper

DEFAULT_QUEUE = "default"
HEAVY_QUEUE = "heavy"
QUEUES = (DEFAULT_QUEUE, HEAVY_QUEUE)
# Huey's own name of each queue (the keys in Redis, the rows in the SQLite store).
HUEY_NAMES = {DEFAULT_QUEUE: "kesu", HEAVY_QUEUE: "kesu-heavy"}
_SETTINGS = {
    "HUEY_IMMEDIATE", "HUEY_SQLITE_PATH", "REDIS_URL", "KESU_EVERY_MINUTE", "KESU_EVERY_HOUR",
}


@functools.cache
def _runner(queue: str = DEFAULT_QUEUE) -> TaskWrapper:
    # Imported here: tasks_backend imports this module to enqueue.
    from kesu.core.tasks_backend import run_task

    # Nobody waits on a Huey result (outcomes are logged by django-tasks' signals), and
    # unread results would pile up in the store forever.
    options = {"immediate": settings.HUEY_IMMEDIATE, "results": False}
    name = HUEY_NAMES[queue]
    if settings.REDIS_URL:
        huey = RedisHuey(name, url=settings.REDIS_URL, **options)
    else:
        huey = SqliteHuey(name, filename=str(settings.HUEY_SQLITE_PATH), **options)
    if queue == DEFAULT_QUEUE:
        # Every default worker's scheduler fires this; the jobs are idempotent and safe to run
        # at once (time limits are deadline columns plus a sweeper, not delayed jobs).
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


def get_huey(queue: str = DEFAULT_QUEUE) -> Huey:
    """The instance of that queue configured by settings, built on first use, not at import."""
    return _runner(queue).huey


def enqueue(payload: dict) -> None:
    """Queue one django-tasks task, described by plain data, for the workers of its queue."""
    _runner(payload["queue_name"])(payload)


@receiver(setting_changed)
def _rebuild_on_settings_change(*, setting: str, **kwargs) -> None:
    # Tests switch between inline execution and real stores with override_settings.
    if setting in _SETTINGS:
        _runner.cache_clear()
