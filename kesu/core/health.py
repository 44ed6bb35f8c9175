"""Is Kesu healthy? One list of checks for `/healthz` (load balancers, monitoring) and
`/metrics` (Prometheus text format), so both always say the same thing.

A check measures one figure and compares it with a threshold. The core measures the database
and the workers' heartbeats; apps register their own figures (the notification backlog, the
time-limit sweep's lag) in their `AppConfig.ready()`, without the core importing them.
"""

import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Max

from kesu.core import clock
from kesu.core.huey_app import DEFAULT_QUEUE, QUEUES
from kesu.core.models import Heartbeat

logger = logging.getLogger(__name__)
WORKER_PREFIX = "worker:"


@dataclass(frozen=True)
class Figure:
    name: str  # a Prometheus metric name, kesu_…
    help: str
    value: float | None  # None: nothing measured yet (no worker ever seen, say)
    threshold: float | None = None  # above it (or None value with a threshold) is unhealthy

    @property
    def ok(self) -> bool:
        if self.threshold is None:
            return True
        return self.value is not None and self.value <= self.threshold


Check = Callable[[datetime], list[Figure]]
_CHECKS: list[Check] = []


def register(check: Check) -> Check:
    if check not in _CHECKS:
        _CHECKS.append(check)
    return check


def beat(name: str) -> None:
    """Record that `name` is alive now (an upsert: one row per name)."""
    Heartbeat.objects.update_or_create(
        name=name,
        defaults={"beat_at": clock.now(), "pid": os.getpid(), "host": socket.gethostname()[:255]},
    )


def forget_workers_older_than(age) -> None:
    Heartbeat.objects.filter(
        name__startswith=WORKER_PREFIX, beat_at__lt=clock.now() - age
    ).delete()


def forget(name: str) -> None:
    """A worker that stops says so: it is not alive any more, and not for a minute more."""
    Heartbeat.objects.filter(name=name).delete()


def live_workers(now: datetime) -> list[Heartbeat]:
    """The workers alive by the same measure /healthz uses: a beat within its threshold."""
    since = now - timedelta(seconds=settings.KESU_HEALTH_WORKER_SECONDS)
    return list(Heartbeat.objects.filter(name__startswith=WORKER_PREFIX, beat_at__gte=since))


def worker_name(queue: str, *, pid: int | None = None) -> str:
    """The heartbeat name of a worker process on this machine (this process by default)."""
    return f"{WORKER_PREFIX}{queue}:{socket.gethostname()}:{pid or os.getpid()}"


def age_of(name_or_prefix: str, now: datetime, *, prefix: bool = False) -> float | None:
    """Seconds since the latest beat of that name (or of any name with that prefix)."""
    beats = Heartbeat.objects.filter(
        **({"name__startswith": name_or_prefix} if prefix else {"name": name_or_prefix})
    )
    latest = beats.aggregate(latest=Max("beat_at"))["latest"]
    return None if latest is None else max(0.0, (now - latest).total_seconds())


def _workers(now: datetime) -> list[Figure]:
    return [
        Figure(
            f"kesu_{'' if queue == DEFAULT_QUEUE else queue + '_'}worker_heartbeat_age_seconds",
            f"Seconds since the most recent heartbeat of any worker of the {queue} queue.",
            age_of(f"{WORKER_PREFIX}{queue}:", now, prefix=True),
            settings.KESU_HEALTH_WORKER_SECONDS,
        )
        for queue in QUEUES
    ]


register(_workers)


@dataclass(frozen=True)
class Report:
    database_ok: bool
    figures: list[Figure]

    @property
    def healthy(self) -> bool:
        return self.database_ok and all(figure.ok for figure in self.figures)


def report(now: datetime | None = None) -> Report:
    """Every figure now. A database that cannot be reached is unhealthy, and nothing else is
    measured then."""
    now = now or clock.now()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        # The details (host, port, driver message) go to the log, not to anonymous callers.
        logger.exception("health check: database unreachable")
        return Report(database_ok=False, figures=[])
    return Report(database_ok=True, figures=[f for check in _CHECKS for f in check(now)])


def prometheus(report: Report) -> str:
    """The figures in the Prometheus text exposition format (version 0.0.4)."""
    lines = []

    def gauge(name: str, help_text: str, value) -> None:
        lines.extend([f"# HELP {name} {help_text}", f"# TYPE {name} gauge"])
        # NaN: not measured yet (no worker ever seen); Prometheus stores it as such.
        lines.append(f"{name} {'NaN' if value is None else format(float(value), 'g')}")

    gauge("kesu_up", "1 if every health check passes.", int(report.healthy))
    gauge("kesu_database_up", "1 if the database answers.", int(report.database_ok))
    for figure in report.figures:
        gauge(figure.name, figure.help, figure.value)
        if figure.threshold is not None:
            gauge(f"{figure.name}_threshold", f"Unhealthy above this. {figure.help}",
                  figure.threshold)
    return "\n".join(lines) + "\n"
