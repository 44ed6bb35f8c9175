"""Background work of effect verification: the hourly sweep (idempotent; safe with several
workers, each round is claimed by compare-and-set)."""

import logging

from django_tasks import task

from kesu.core import clock
from kesu.verification import selectors, services

logger = logging.getLogger(__name__)


def verification_sweep(now=None) -> dict:
    """Remind about rounds with no lot for too long; act on NG results imported on watched
    lots (a recurrence). Returns the counts."""
    now = now or clock.now()
    reminded = sum(
        services.verification_remind(round=round, now=now)
        for round in selectors.rounds_to_remind(services._today(now))
    )
    recurred = sum(
        services.verification_check_lots(complaint=round.complaint)
        for round in selectors.open_rounds()
    )
    return {"reminded": reminded, "recurred": recurred}


@task()
def sweep_verification() -> None:
    logger.info("verification sweep: %s", verification_sweep())
