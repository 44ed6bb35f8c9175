"""Background work of the time limits: the every-minute sweep and recalculations after an
administrator changed a policy or a calendar."""

import logging

from django_tasks import task

from kesu.core import clock, health
from kesu.timelimits.health import SWEEP
from kesu.timelimits.models import DueRecalculation, Reason
from kesu.timelimits.services import open_steps, steps_recompute
from kesu.timelimits.sweeper import sla_sweep

logger = logging.getLogger(__name__)


@task()
def sweep_time_limits() -> None:
    result = sla_sweep()
    # After it completed: a sweep that keeps failing shows as lag on /healthz.
    health.beat(SWEEP)
    logger.info("time-limit sweep: %s", result)


@task()
def recompute_due_times(
    *, calendar_id: int | None = None, step_type: str | None = None, reason: str,
    by: str | None = None,
) -> None:
    """Recompute the due times of the open steps a policy or calendar change may move.
    Each changed step is an event on its complaint's timeline; the run itself is logged.
    No transaction around the run: steps_recompute commits complaint by complaint, so the
    locks it takes are held for one complaint's steps, not for every open step at once."""
    now = clock.now()
    steps = open_steps(calendar_id=calendar_id, step_type=step_type)
    checked, changed = steps_recompute(steps=steps, now=now, reason=reason, by=by)
    DueRecalculation.objects.create(
        at=now, reason=reason, steps_checked=checked, steps_changed=changed
    )
    logger.info("due times recalculated (%s): %d checked, %d changed", reason, checked, changed)


def recompute_after_calendar_edit(sender, *, calendar_id: int, **kwargs) -> None:
    """A calendar's working time changed: the due times counted on it move (in the worker)."""
    recompute_due_times.enqueue(calendar_id=calendar_id, reason=Reason.CALENDAR)
