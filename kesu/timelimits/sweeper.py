"""The time-limit sweeper (SPEC §6): raises the reminders, overdue notices and escalations
that are due, exactly once each, however many sweepers run and wherever one is killed.

Each step row carries `stage` (alerts already raised) and `next_check_at` (when the next is
due). A sweeper takes the ids of due rows a batch at a time and claims them with one
compare-and-set (still open and due), reads the claimed rows again under the claim's locks,
works out what each needs and writes the new stages, the timeline events, the escalations and
the outbox rows in the same transaction, each kind as one statement per few hundred rows. Two
sweepers: a row one of them advanced is no longer due for the other, which claims nothing and
moves on. A sweeper killed mid-batch: its transaction rolls back, so the next run raises those
alerts once.
"""

import logging
import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from kesu.calendars.models import Calendar
from kesu.calendars.schedules import schedule_for
from kesu.calendars.selectors import calendars_missing_years
from kesu.complaints.models import Complaint, ComplaintEvent
from kesu.core import clock
from kesu.core.bulk import update_rows
from kesu.core.businesstime import CalendarYearMissing
from kesu.notifications.services import Notice, notify
from kesu.org.models import Department, Process, ProcessKind, Role, User
from kesu.timelimits import events
from kesu.timelimits.models import Escalation, EscalationLevel, EscalationTarget, Step
from kesu.timelimits.services import Alert, ladder, plan_alerts
from kesu.timelimits.steps import StepType

logger = logging.getLogger(__name__)
# Steps per transaction. The claim is `id IN (…)` plus one condition, so this is bounded by how
# long a batch may hold its rows (about a tenth of a second per thousand), not by SQL size.
BATCH = 1000
# From this month on, next year's holidays must be known too: due times start reaching it.
NEXT_YEAR_FROM_MONTH = 10
# Rows per INSERT: within SQLite's bound-parameter limit for the widest of them.
INSERT_BATCH = 500


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


@dataclass
class _Ladder:
    """What a sweep looks up once: the levels, the process owner and the untranslated names
    notices store (one `translation.override` for the sweep, not one per notice)."""

    levels: list[EscalationLevel]
    process_owner: User | None
    step_names: dict[str, str]
    target_names: dict[str, str]

    @classmethod
    def load(cls) -> "_Ladder":
        with translation.override(None):
            return cls(
                levels=ladder(),
                process_owner=_process_owner(),
                step_names={value: str(label) for value, label in StepType.choices},
                target_names={value: str(label) for value, label in EscalationTarget.choices},
            )


@dataclass
class _People:
    """The batch's people, read in two queries: each step's owner, its department's manager and
    its center's head, as the ladder names them."""

    users: dict[int, User]
    departments: dict[int, tuple[int | None, int | None]]  # id → (manager, center head)
    process_owner: User | None

    @classmethod
    def load(cls, steps: list[Step], process_owner: User | None) -> "_People":
        departments = {
            pk: (manager, head)
            for pk, manager, head in Department.objects.filter(
                pk__in={step.department_id for step in steps if step.department_id}
            ).values_list("pk", "manager_id", "center__head_id")
        }
        ids = {step.assignee_id for step in steps} | {
            pk for pair in departments.values() for pk in pair
        }
        ids.discard(None)
        return cls(User.objects.in_bulk(ids), departments, process_owner)

    def owner(self, step: Step) -> User | None:
        return self.users.get(step.assignee_id) or self.manager(step)

    def manager(self, step: Step) -> User | None:
        return self.users.get(self.departments.get(step.department_id, (None, None))[0])

    def target(self, step: Step, level: EscalationLevel) -> User | None:
        if level.target == EscalationTarget.DEPT_MANAGER:
            return self.manager(step)
        if level.target == EscalationTarget.PROCESS_OWNER:
            return self.process_owner
        return self.users.get(self.departments.get(step.department_id, (None, None))[1])


def sla_sweep(*, now: datetime | None = None, batch: int = BATCH) -> SweepResult:
    now = now or clock.now()
    result = SweepResult()
    ladder_ = _Ladder.load()
    last_id = 0
    while True:
        # Keyset pagination by id: a step another sweeper already advanced is skipped, not
        # fetched again forever.
        ids = list(
            Step.objects.filter(done_at__isnull=True, next_check_at__lte=now, pk__gt=last_id)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch]
        )
        if not ids:
            break
        last_id = ids[-1]
        with transaction.atomic():
            _sweep_batch(ids, now, ladder_, result)
    _alert_missing_years(now, result)
    return result


def _claim(ids: list[int], now: datetime) -> tuple[list[Step], str]:
    """Claim the batch's steps that are still due and open, then read them as claimed.

    One compare-and-set for the batch: `id IN (…)` and the row still due. The claim's row locks
    last until the batch commits, and the alerts are worked out from the rows read after it,
    not from what was read before: a step another sweeper advanced past `now` is not due any
    more and is not claimed; one it advanced to an alert that is still due by our `now` is ours
    and we raise that next one; one a recalculation or a transition moved is read as moved.
    (PostgreSQL re-checks the condition on the row another writer committed after waiting for
    it; SQLite runs one writer at a time.) The token tells which rows this statement won."""
    token = uuid.uuid4().hex
    Step.objects.filter(
        pk__in=ids, done_at__isnull=True, next_check_at__lte=now
    ).update(sweep_token=token)
    steps = list(Step.objects.filter(pk__in=ids, sweep_token=token).order_by("pk"))
    calendars = Calendar.objects.in_bulk({step.calendar_id for step in steps})
    for step in steps:
        step.calendar = calendars[step.calendar_id]
    return steps, token


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


def _sweep_batch(ids: list[int], now, ladder_: _Ladder, result: SweepResult) -> None:
    steps, token = _claim(ids, now)
    result.lost_races += len(ids) - len(steps)
    if not steps:
        return
    people = _People.load(steps, ladder_.process_owner)
    # What notices read of a complaint: the digest's items, the robots' departments.
    complaints = Complaint.objects.only("number", "title", "responsible_department").in_bulk(
        {step.complaint_id for step in steps}
    )
    events, notices, escalations, clocks = [], [], [], {}
    for step in steps:
        try:
            raised, stage, next_check_at = _due_alerts(step, now, ladder_.levels)
        except CalendarYearMissing:
            # Recomputing will fill it in once the year is seeded; nothing to guess now.
            raised, stage, next_check_at = [], step.stage, None
        clocks[step.pk] = (stage, next_check_at)
        step.assignee = people.users.get(step.assignee_id)
        step.complaint = complaints[step.complaint_id]
        for alert in raised:
            events.append(_event(step, alert, now, people))
            notices.append(_notice(step, alert, people, ladder_, batch=token))
            if alert.kind == "reminder":
                result.reminders += 1
            elif alert.kind == "overdue":
                result.overdue += 1
            else:
                result.escalations += 1
                escalations.extend(_escalations(step, alert, now, people))
    # The claimed rows are ours until commit: their own columns, no condition needed.
    update_rows(Step, clocks, ("stage", "next_check_at"))
    ComplaintEvent.objects.bulk_create(events, batch_size=INSERT_BATCH)
    Escalation.objects.bulk_create(escalations, ignore_conflicts=True, batch_size=INSERT_BATCH)
    notify(notices)


def _targets(step: Step, alert: Alert, people: _People) -> list[User]:
    """The step's owner, and for an escalation the person of its level and of every level it
    passed (each told once, in ladder order)."""
    owner = people.owner(step)
    if alert.kind != "escalated":
        return [owner] if owner else []
    reached = [people.target(step, level) for level in (*alert.passed, alert.level)]
    return list(dict.fromkeys(user for user in (*reached, owner) if user is not None))


def _escalations(step: Step, alert: Alert, now, people: _People) -> list[Escalation]:
    """What lands in "my work" of each person on the ladder: one row each, at the highest
    level that reached them (someone at two levels has one thing to deal with)."""
    reached: dict[int, tuple[User, EscalationLevel]] = {}
    for level in (*alert.passed, alert.level):
        person = people.target(step, level)
        if person is not None and person.is_active:
            reached[person.pk] = (person, level)
    return [
        Escalation(
            step=step, complaint_id=step.complaint_id, recipient=person, level=level.level,
            target=level.target, raised_at=now, due_at=step.due_at,
        )
        for person, level in reached.values()
    ]


def _payload(step: Step, alert: Alert, people: _People) -> events.Alerted:
    payload = {
        "step": step.type,
        "due_at": step.due_at.isoformat() if step.due_at else None,
        "alert_at": alert.at.isoformat(),
        "to": str(step.assignee) if step.assignee else None,
    }
    if alert.percent is not None:
        payload["percent"] = alert.percent
    if alert.level is not None:
        target = people.target(step, alert.level)
        payload.update(
            level=alert.level.level,
            target=alert.level.target,
            to=str(target) if target else None,
        )
        if alert.passed:
            payload["passed"] = [level.level for level in alert.passed]
    return events.Alerted(**payload)


def _event(step: Step, alert: Alert, now, people: _People) -> ComplaintEvent:
    return events.alerted(
        step.complaint_id, kind=alert.kind, at=now, payload=_payload(step, alert, people)
    )


def _notice(step: Step, alert: Alert, people: _People, ladder_: _Ladder, *, batch: str) -> Notice:
    suffix = alert.percent if alert.kind == "reminder" else (
        alert.level.level if alert.level else ""
    )
    return Notice(
        kind=alert.kind,
        # With the due time in the key, a step whose deadline moved can be reminded again.
        event_key=f"step:{step.pk}:{alert.kind}:{suffix}:{alert.at.isoformat()}",
        recipients=_targets(step, alert, people),
        complaint=step.complaint,
        # An engineer with twelve late steps hears of them in one digest, not twelve notices;
        # the batch's claim token names it, so the next sweep's news is a digest of its own.
        digest_key=f"sweep:{batch}",
        # Names as msgids: each recipient reads them in their own language (rendering
        # translates "step" and "level").
        context={
            "step": ladder_.step_names[step.type],
            "due_at": step.due_at.isoformat() if step.due_at else None,
            "percent": alert.percent,
            "level": ladder_.target_names[alert.level.target] if alert.level else None,
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

