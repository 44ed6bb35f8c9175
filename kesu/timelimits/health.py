"""The time-limit sweep's figure for /healthz and /metrics: how long ago it last completed. It
runs every minute; when it lags, reminders and escalations are late for everyone."""

from django.conf import settings

from kesu.core.health import Figure, age_of

SWEEP = "sweep"


def sweep_lag(now) -> list[Figure]:
    return [
        Figure(
            "kesu_sweep_lag_seconds",
            "Seconds since the time-limit sweep last completed.",
            age_of(SWEEP, now),
            settings.KESU_HEALTH_SWEEP_SECONDS,
        )
    ]
