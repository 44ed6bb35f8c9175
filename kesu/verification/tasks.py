"""Background work of effect verification: NG results looked at as they come in (master
data's `ng_results_recorded`), and the hourly sweep that catches anything missed and sends the
reminders (idempotent; safe with several workers, each round is claimed by compare-and-set)."""

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
def check_ng_lots(lot_ids: list[int]) -> None:
    """NG results just came in on these lots: act on a recurrence now, not at the next sweep."""
    recurred = sum(
        services.verification_check_lots(complaint=round.complaint)
        for round in selectors.open_rounds_watching(lot_ids)
    )
    logger.info("NG results on %d lots: %d recurrences", len(lot_ids), recurred)


def on_ng_results(sender, *, lot_ids: list[int], **kwargs) -> None:
    """Master data recorded NG results (after its commit): look at them in the worker."""
    check_ng_lots.enqueue(lot_ids=lot_ids)


@task()
def sweep_verification() -> None:
    logger.info("verification sweep: %s", verification_sweep())
