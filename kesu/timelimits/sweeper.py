"""The time-limit sweeper (SPEC §6): raises the reminders, overdue notices and escalations
that are due, exactly once each, however many sweepers run and wherever one is killed.

Each step row carries `stage` (alerts already raised) and `next_check_at` (when the next is
due). A sweeper reads the due rows, works out what each needs, and claims it with a
compare-and-set on both columns in the same transaction that writes the timeline events and the
outbox rows. Two sweepers: one CAS wins, the other updates nothing and moves on. A sweeper killed
mid-batch: its transaction rolls back, so the next run raises those alerts once.
"""

import logging
import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from kesu.calendars.models import Calendar
from kesu.calendars.schedules import schedule_for
from kesu.calendars.selectors import calendars_missing_years
from kesu.complaints.models import ComplaintEvent
from kesu.core import clock
from kesu.core.businesstime import CalendarYearMissing
from kesu.core.display import msgid
from kesu.notifications.services import Notice, notify
from kesu.org.models import Process, ProcessKind, Role, User
from kesu.timelimits import events
from kesu.timelimits.models import Escalation, EscalationLevel, EscalationTarget, Step
from kesu.timelimits.services import Alert, ladder, plan_alerts
from kesu.timelimits.steps import StepType

logger = logging.getLogger(__name__)
# Rows per transaction; the claim is one statement with a condition per row (SQLite limits
# expression depth to 1000).
BATCH = 200
# From this month on, next year's holidays must be known too: due times start reaching it.
NEXT_YEAR_FROM_MONTH = 10


@dataclass
class SweepResult:
    reminders: int = 0
    overdue: int = 0
    escalations: int = 0
    lost_races: int = 0
    alerts: list[str] = field(default_factory=list)

    def __str__(self):
        return (
            f"reminders={self.reminders} overdue={self.overdue} "
            f"escalations={self.escalations} lost_races={self.lost_races}"
        )


def sla_sweep(*, now: datetime | None = None, batch: int = BATCH) -> SweepResult:
    now = now or clock.now()
    result = SweepResult()
    levels = ladder()
    process_owner = _process_owner()
    last_id = 0
    while True:
        # Keyset pagination by id: a step another sweeper already advanced is skipped, not
        # fetched again forever.
        steps = list(
            Step.objects.filter(done_at__isnull=True, next_check_at__lte=now, pk__gt=last_id)
            .select_related(
                "calendar", "assignee", "department__manager", "department__center__head",
                "complaint__customer",
            )
            .order_by("pk")[:batch]
        )
        if not steps:
            break
        last_id = steps[-1].pk
        with transaction.atomic():
            _sweep_batch(steps, now, levels, process_owner, result)
    _alert_missing_years(now, result)
    return result


def _claim(steps: list[Step]) -> tuple[set[int], str]:
    """Compare-and-set on (stage, next_check_at) for a whole batch in one statement: a row
    another sweeper advanced, or a recalculation moved, since we read it is not ours. The token
    tells which rows this statement won (PostgreSQL re-checks a row's condition after waiting
    for the other writer's commit; SQLite runs one writer at a time)."""
    token = uuid.uuid4().hex
    still_as_read = Q(pk__in=[])
    for step in steps:
        still_as_read |= Q(pk=step.pk, stage=step.stage, next_check_at=step.next_check_at)
    # pk__in first: the per-row conditions then test 200 rows, not every open step.
    Step.objects.filter(pk__in=[step.pk for step in steps]).filter(
        still_as_read, done_at__isnull=True
    ).update(sweep_token=token)
    return set(Step.objects.filter(sweep_token=token).values_list("pk", flat=True)), token


def _due_alerts(step: Step, now, levels) -> tuple[list[Alert], int, datetime | None]:
    """The alert to raise now, the new stage and the next check time. Alerts that fell due
    together (after an outage, or a step found late by a recalculation) are raised as one: the
    last of them, naming the escalation levels it passed. Nobody needs "half the time is gone",
    "overdue" and three escalations in the same minute."""
    alerts = plan_alerts(step, schedule_for(step.calendar), levels)
    stage = step.stage
    due = []
    while stage < len(alerts) and alerts[stage].at <= now:
        due.append(alerts[stage])
        stage += 1
    raised = []
    if due:
        passed = tuple(alert.level for alert in due[:-1] if alert.kind == "escalated")
        raised.append(replace(due[-1], passed=passed))
    return raised, stage, (alerts[stage].at if stage < len(alerts) else None)


def _sweep_batch(steps, now, levels, process_owner, result: SweepResult) -> None:
    plans = {}
    for step in steps:
        try:
            plans[step.pk] = _due_alerts(step, now, levels)
        except CalendarYearMissing:
            # Recomputing will fill it in once the year is seeded; nothing to guess now.
            plans[step.pk] = ([], step.stage, None)
    won, token = _claim(steps)
    result.lost_races += len(steps) - len(won)
    claimed = [step for step in steps if step.pk in won]
    events, notices, escalations = [], [], []
    for step in claimed:
        raised, step.stage, step.next_check_at = plans[step.pk]
        for alert in raised:
            events.append(_event(step, alert, now, process_owner))
            notices.append(_notice(step, alert, process_owner, batch=token))
            if alert.kind == "reminder":
                result.reminders += 1
            elif alert.kind == "overdue":
                result.overdue += 1
            else:
                result.escalations += 1
                escalations.extend(_escalations(step, alert, now, process_owner))
    Step.objects.bulk_update(claimed, ["stage", "next_check_at"])
    ComplaintEvent.objects.bulk_create(events)
    Escalation.objects.bulk_create(escalations, ignore_conflicts=True)
    notify(notices)


def _targets(step: Step, alert: Alert, process_owner: User | None) -> list[User]:
    """The step's owner, and for an escalation the person of its level and of every level it
    passed (each told once, in ladder order)."""
    owner = step.assignee or (step.department.manager if step.department else None)
    if alert.kind != "escalated":
        return [owner] if owner else []
    people = [
        _escalation_target(step, level, process_owner) for level in (*alert.passed, alert.level)
    ]
    return list(dict.fromkeys(user for user in (*people, owner) if user is not None))


def _escalations(step: Step, alert: Alert, now, process_owner) -> list[Escalation]:
    """What lands in "my work" of each person on the ladder: one row each, at the highest
    level that reached them (someone at two levels has one thing to deal with)."""
    reached: dict[int, tuple[User, EscalationLevel]] = {}
    for level in (*alert.passed, alert.level):
        person = _escalation_target(step, level, process_owner)
        if person is not None and person.is_active:
            reached[person.pk] = (person, level)
    return [
        Escalation(
            step=step, complaint_id=step.complaint_id, recipient=person, level=level.level,
            target=level.target, raised_at=now, due_at=step.due_at,
        )
        for person, level in reached.values()
    ]


def _escalation_target(step: Step, level: EscalationLevel, process_owner: User | None):
    department = step.department
    if level.target == EscalationTarget.DEPT_MANAGER:
        return department.manager if department else None
    if level.target == EscalationTarget.PROCESS_OWNER:
        return process_owner
    return department.center.head if department else None


def _payload(step: Step, alert: Alert, process_owner) -> events.Alerted:
    payload = {
        "step": step.type,
        "due_at": step.due_at.isoformat() if step.due_at else None,
        "alert_at": alert.at.isoformat(),
        "to": str(step.assignee) if step.assignee else None,
    }
    if alert.percent is not None:
        payload["percent"] = alert.percent
    if alert.level is not None:
        target = _escalation_target(step, alert.level, process_owner)
        payload.update(
            level=alert.level.level,
            target=alert.level.target,
            to=str(target) if target else None,
        )
        if alert.passed:
            payload["passed"] = [level.level for level in alert.passed]
    return events.Alerted(**payload)


def _event(step: Step, alert: Alert, now, process_owner) -> ComplaintEvent:
    return events.alerted(
        step.complaint_id, kind=alert.kind, at=now, payload=_payload(step, alert, process_owner)
    )


def _notice(step: Step, alert: Alert, process_owner, *, batch: str) -> Notice:
    suffix = alert.percent if alert.kind == "reminder" else (
        alert.level.level if alert.level else ""
    )
    return Notice(
        kind=alert.kind,
        # With the due time in the key, a step whose deadline moved can be reminded again.
        event_key=f"step:{step.pk}:{alert.kind}:{suffix}:{alert.at.isoformat()}",
        recipients=_targets(step, alert, process_owner),
        complaint=step.complaint,
        # An engineer with twelve late steps hears of them in one digest, not twelve notices;
        # the batch's claim token names it, so the next sweep's news is a digest of its own.
        digest_key=f"sweep:{batch}",
        # Names as msgids: each recipient reads them in their own language (rendering
        # translates "step" and "level").
        context={
            "step": msgid(StepType(step.type).label),
            "due_at": step.due_at.isoformat() if step.due_at else None,
            "percent": alert.percent,
            "level": msgid(EscalationTarget(alert.level.target).label) if alert.level else None,
            "level_number": alert.level.level if alert.level else None,
            "passed": [level.level for level in alert.passed],
            # Calendar minutes since the due time; rendering says them in the reader's words.
            "overdue_minutes": _overdue_minutes(step, alert),
            # In a digest not yet seen, this alert replaces the step's earlier one.
            "about": f"step:{step.pk}",
        },
    )


def _overdue_minutes(step: Step, alert: Alert) -> int | None:
    if step.due_at is None or alert.at <= step.due_at:
        return None
    return int((alert.at - step.due_at) // timedelta(minutes=1))


def _process_owner() -> User | None:
    process = Process.objects.filter(kind=ProcessKind.COMPLAINT_HANDLING).select_related(
        "owner"
    ).first()
    return process.owner if process else None


def _calendars_missing_years(now: datetime) -> list[tuple[Calendar, int]]:
    """(calendar, year) pairs to tell the administrators about: the current year at once, the
    next one from October on, when due times start reaching into it."""
    local = timezone.localtime(now)
    return [
        (calendar, year)
        for calendar, years in calendars_missing_years(now).items()
        for year in years
        if year == local.year or local.month >= NEXT_YEAR_FROM_MONTH
    ]


def _alert_missing_years(now: datetime, result: SweepResult) -> None:
    """The current and the next year must be in every calendar in use: tell the
    administrators, once per calendar and year, before deadlines start failing closed."""
    missing = _calendars_missing_years(now)
    if not missing:
        return
    admins = list(
        User.objects.filter(is_active=True).filter(role=Role.ADMIN)
        | User.objects.filter(is_active=True, is_superuser=True)
    )
    notices = []
    message_id = gettext_noop(
        "Calendar “%(calendar)s” has no holidays for %(year)s: due times in %(year)s "
        "cannot be computed. Run “kesu seed-holidays --years %(year)s” or enter them."
    )
    for calendar, year in missing:
        params = {"calendar": calendar.name, "year": year}
        message = _(message_id) % params
        logger.error("%s", message)
        result.alerts.append(str(message))
        notices.append(
            Notice(
                kind="admin_alert",
                event_key=f"calendar:{calendar.pk}:year:{year}",
                recipients=admins,
                # The message id and its parameters, not the text: each administrator reads it
                # in their own language, whatever language the sweeper runs in.
                context={"message_id": message_id, "params": params},
            )
        )
    with transaction.atomic():
        notify(notices)

