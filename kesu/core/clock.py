"""The current time as business logic sees it.

Services ask `clock.now()` instead of `timezone.now()` so that the demo loader can record a
history months long with true timestamps, and tests can walk a complaint past its deadlines,
without patching the standard library.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from django.utils import timezone

_frozen: ContextVar[datetime | None] = ContextVar("kesu_clock_frozen", default=None)


def now() -> datetime:
    return _frozen.get() or timezone.now()


@contextmanager
def frozen(at: datetime) -> Iterator[None]:
    """Within the block (and this thread or task only), `now()` is `at`."""
    if timezone.is_naive(at):
        raise ValueError("clock.frozen needs an aware datetime")
    token = _frozen.set(at)
    try:
        yield
    finally:
        _frozen.reset(token)
