"""Writes to step clocks (SPEC §6). Called inside the complaint services' transactions, so a
clock never disagrees with the status it measures.

The sweeper writes `stage` and `next_check_at` of the same rows at any moment (STYLE habit 14).
So a hook here changes a step only as read under its row lock (`_lock_open_steps`, inside the
caller's transaction, which holds the complaint row first) and writes only the clock's own
columns (`CLOCK_FIELDS`): never a whole row read earlier, which would put back a stage the
sweeper advanced meanwhile and raise its alert a second time.

A step's due time is computed in business time from its start, its limit and its pauses; the
alerts it will raise (reminders, overdue, escalation levels) follow from the due time and the
ladder, and `next_check_at` is the moment of the next one: the sweeper only reads that column.
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Min, Q
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from kesu.calendars.models import Calendar
from kesu.calendars.schedules import schedule_for
from kesu.complaints import lifecycle as complaint_lifecycle
from kesu.complaints.choices import Status
from kesu.complaints.locks import lock_complaint
from kesu.complaints.models import Complaint, ComplaintEvent
from kesu.core import clock
from kesu.core.bulk import update_rows
from kesu.core.businesstime import CalendarYearMissing, Schedule
from kesu.core.display import msgid
from kesu.core.errors import NotAllowed, ValidationFailed
from kesu.notifications.services import Notice, notify
from kesu.org.models import Process, ProcessKind, Role
from kesu.timelimits import events
from kesu.timelimits.models import (
    Escalation,
    EscalationLevel,
    Handling,
    Step,
    TimePolicy,
    default_reminder_percents,
)
from kesu.timelimits.steps import STEP_DEFS, Owner, StepType, steps_starting

NO_POLICY = "no_policy"
# What the hooks here compute; `stage` (and `sweep_token`) belong to the sweeper, the owner
# columns to steps_assign / steps_reassign.
CLOCK_FIELDS = (
    "policy", "calendar", "minutes", "reminder_percents", "pauses",
    "due_at", "due_error", "done_at", "on_time", "next_check_at",
)


@dataclass(frozen=True)
class Alert:
    at: datetime
    kind: str  # "reminder", "overdue" or "escalated"
    percent: int | None = None
    level: EscalationLevel | None = None
    # Escalation levels that fell due in the same sweep and are raised as this one alert.
    passed: tuple[EscalationLevel, ...] = ()


# --- Policy -------------------------------------------------------------------------------


def policy_for(step_type: str, complaint: Complaint) -> TimePolicy | None:
    """The most specific active policy row for this step of this complaint."""
    return match_policy(candidate_policies(complaint, [step_type]), step_type, complaint)


def candidate_policies(complaint: Complaint, step_types) -> list[TimePolicy]:
    """The active policy rows that may apply to these steps of this complaint, in one query."""
    return list(
        TimePolicy.objects.filter(
            step__in=step_types, active=True,
            severity__in=("", complaint.severity),
            customer_grade__in=("", complaint.customer.grade),
            category__in=("", complaint.category),
        ).select_related("calendar")
    )


def active_policies() -> list[TimePolicy]:
    """Every active policy row, to match many steps in memory (recomputing after an edit)."""
    return list(TimePolicy.objects.filter(active=True).select_related("calendar"))


def match_policy(policies, step_type: str, complaint: Complaint) -> TimePolicy | None:
    """The most specific of `policies` for this step of this complaint (blank matches all)."""
    grade = complaint.customer.grade
    candidates = [
        p for p in policies
        if p.active and p.step == step_type
        and p.severity in ("", complaint.severity)
        and p.customer_grade in ("", grade)
        and p.category in ("", complaint.category)
    ]
    # Severity decides most (a major complaint may run on a 24×7 clock), then customer grade.
    return max(
        candidates,
        key=lambda p: (p.specificity, bool(p.severity), bool(p.customer_grade), p.pk),
        default=None,
    )


def ladder() -> list[EscalationLevel]:
    return list(EscalationLevel.objects.filter(active=True).order_by("level"))


# --- Arithmetic on one step ---------------------------------------------------------------


def _pauses(step: Step) -> list[tuple[datetime, datetime | None]]:
    return [
        (parse_datetime(start), parse_datetime(end) if end else None)
        for start, end in step.pauses
    ]


def plan_alerts(step: Step, schedule: Schedule, levels: list[EscalationLevel]) -> list[Alert]:
    """Every alert of the step in order; empty while its due time is unknown."""
    pauses = _pauses(step)
    limit, due = _limit_and_due(step, schedule, pauses)
    if due is None:
        return []
    alerts = []
    for percent in sorted(set(step.reminder_percents)):
        at = schedule.due(step.started_at, limit * percent / 100, pauses)
        if at is not None and at < due:
            alerts.append(Alert(at, "reminder", percent=percent))
    alerts.append(Alert(due, "overdue"))
    for level in levels:
        alerts.append(
            Alert(schedule.add(due, timedelta(minutes=level.delay_minutes)), "escalated",
                  level=level)
        )
    return alerts


def refresh(step: Step, levels: list[EscalationLevel]) -> None:
    """Recompute due_at, due_error and next_check_at in memory from the step's own data."""
    if not step.minutes:
        step.due_at, step.next_check_at, step.due_error = None, None, NO_POLICY
        return
    try:
        schedule = schedule_for(step.calendar)
        _limit, step.due_at = _limit_and_due(step, schedule, _pauses(step))
        alerts = plan_alerts(step, schedule, levels)
    except CalendarYearMissing as missing:
        # Fail closed: no guessed deadline; the administrator is alerted by the sweeper.
        step.due_at, step.next_check_at = None, None
        step.due_error = f"calendar_year_missing:{missing.year}"
        return
    step.due_error = ""
    step.next_check_at = alerts[step.stage].at if step.stage < len(alerts) else None
    if step.done_at is not None:
        step.next_check_at = None
        step.on_time = step.due_at is not None and step.done_at <= step.due_at


def _owner(owner: Owner, complaint: Complaint):
    """(person, department) who answer for a step of this kind on this complaint."""
    department = complaint.responsible_department
    if owner == Owner.RECEIVER:
        person = complaint.received_by
        return person, person.department
    if owner == Owner.TRACKER:
        person = complaint.tracker or complaint.received_by
        return person, person.department
    manager = department.manager if department else None
    if owner == Owner.DEPT_MANAGER:
        return manager, department
    return complaint.handler or manager, department


def _start(
    step_type: StepType, complaint: Complaint, now: datetime, levels, policies=None
) -> Step:
    """A new step, unsaved. `policies`: the candidates already read (else one query)."""
    definition = STEP_DEFS[step_type]
    if policies is None:
        policy = policy_for(step_type, complaint)
    else:
        policy = match_policy(policies, step_type, complaint)
    assignee, department = _owner(definition.owner, complaint)
    step = Step(
        complaint=complaint,
        type=step_type,
        policy=policy,
        calendar=policy.calendar if policy else _fallback_calendar(),
        minutes=policy.minutes if policy else 0,
        reminder_percents=list(policy.reminder_percents) if policy else [],
        started_at=now,
        assignee=assignee,
        department=department,
    )
    refresh(step, levels)
    return step


def _fallback_calendar():
    from kesu.calendars.schedules import default_calendar

    return default_calendar()


def _finish(step: Step, now: datetime, levels, *, counted: bool = True) -> None:
    if step.paused:
        step.pauses[-1][1] = now.isoformat()
    step.done_at = now
    refresh(step, levels)
    if not counted:
        # A cancelled complaint's steps were not done, only stopped: not in the on-time rate.
        step.on_time = None


def _lock_open_steps(complaint: Complaint, **filters) -> list[Step]:
    """The complaint's open steps, read now and locked until the transaction ends: a sweeper
    claiming one of them waits, then finds the row changed (or not) and acts on what is there.
    In primary-key order, the order the sweeper's claim takes them, so the two do not deadlock."""
    return list(
        Step.objects.select_for_update(no_key=True, of=("self",))
        .filter(complaint=complaint, done_at__isnull=True, **filters)
        .select_related("calendar")
        .order_by("pk")
    )


def _save(steps: list[Step]) -> None:
    """Insert new steps; of existing ones (read under their lock) write the clock columns only."""
    for step in steps:
        if step.pk is None:
            step.save()
        else:
            step.save(update_fields=CLOCK_FIELDS)


def sync_complaint_due(complaint: Complaint) -> None:
    """Keep the complaint's own due column (the earliest open step) for lists and "my work"."""
    due = complaint.steps.filter(done_at__isnull=True).aggregate(due=Min("due_at"))["due"]
    Complaint.objects.filter(pk=complaint.pk).update(due_at=due)
    complaint.due_at = due


# --- Hooks called by the complaint services ------------------------------------------------


def steps_on_create(*, complaint: Complaint, now: datetime) -> list[Step]:
    """Start the first steps of a new complaint and set `complaint.due_at` in memory (the
    caller writes it): a new complaint has no other steps, so no query needs to find it."""
    levels = ladder()
    definitions = steps_starting(complaint.status, complaint.kind)
    policies = candidate_policies(complaint, [definition.type for definition in definitions])
    started = [
        _start(definition.type, complaint, complaint.received_at, levels, policies)
        for definition in definitions
    ]
    if started:
        Step.objects.bulk_create(started)
    complaint.due_at = min((s.due_at for s in started if s.due_at is not None), default=None)
    return started


def steps_on_transition(
    *, complaint: Complaint, to_status: str, now: datetime, due_override: datetime | None = None
) -> None:
    """End the steps the new status leaves, pause or resume those it keeps, start new ones."""
    levels = ladder()
    open_steps = _lock_open_steps(complaint)
    changed = []
    for step in open_steps:
        definition = STEP_DEFS[step.type]
        if to_status not in definition.runs_in:
            _finish(step, now, levels, counted=to_status != Status.CANCELLED)
        elif to_status in definition.paused_in and not step.paused:
            step.pauses.append([now.isoformat(), None])
            refresh(step, levels)
        elif to_status not in definition.paused_in and step.paused and not _info_pause(complaint):
            step.pauses[-1][1] = now.isoformat()
            refresh(step, levels)
        else:
            continue
        changed.append(step)
    running = {s.type for s in open_steps if s.done_at is None}
    for definition in steps_starting(to_status, complaint.kind):
        if definition.type in running:
            continue
        step = _start(definition.type, complaint, now, levels)
        if due_override is not None and step.type == StepType.ACCEPT:
            _override_due(step, due_override, levels)
        changed.append(step)
    _save(changed)
    sync_complaint_due(complaint)


def _override_due(step: Step, due: datetime, levels) -> None:
    """The dispatcher set the department's answer time by hand: it becomes the step's limit."""
    try:
        business = schedule_for(step.calendar).between(step.started_at, due)
    except CalendarYearMissing as missing:
        raise ValidationFailed(
            field_errors={
                "dispatch_due_at": [
                    _("The calendar has no holidays for %(year)s yet: choose an earlier time.")
                    % {"year": missing.year}
                ]
            }
        ) from missing
    step.minutes = max(1, math.ceil(business / timedelta(minutes=1)))
    step.due_given_at = due
    step.policy = None
    refresh(step, levels)


def _limit_and_due(step: Step, schedule: Schedule, pauses) -> tuple[timedelta, datetime | None]:
    """The step's limit in business time and its due time (None while paused)."""
    if step.due_given_at is None:
        limit = timedelta(minutes=step.minutes)
        return limit, schedule.due(step.started_at, limit, pauses)
    if step.due_given_on is not None:
        # Pauses before the time was given are behind it: only later ones move it.
        pauses = [(start, end) for start, end in pauses if start >= step.due_given_on]
    limit = schedule.between(step.started_at, step.due_given_at)
    due = schedule.due(step.started_at, limit, pauses)
    # A time a person gave stands as given, to the second and even outside working hours
    # (where counting business time would give the end of the last working window before it),
    # until a pause before it moves it by the business time the pause took.
    if due is not None and (not pauses or due == schedule.due(step.started_at, limit)):
        due = step.due_given_at
    return limit, due


def _info_pause(complaint: Complaint) -> bool:
    return complaint.info_requested_at is not None


def steps_start_fixed(
    *, complaint: Complaint, step_type: StepType, started_at: datetime, minutes: int,
    calendar, assignee=None,
) -> Step:
    """Start a step whose limit is given by its caller rather than the policy table (an 8D
    discipline due as the customer's profile says)."""
    step = _start(step_type, complaint, started_at, ladder())
    step.policy, step.calendar, step.minutes = None, calendar, minutes
    step.reminder_percents = default_reminder_percents()
    if assignee is not None:
        step.assignee = assignee
    refresh(step, ladder())
    step.save()  # a new row: nobody else can have written it
    sync_complaint_due(complaint)
    return step


def steps_finish(*, complaint: Complaint, step_type: StepType, now: datetime) -> None:
    """The work the step measures is done (an 8D discipline signed off)."""
    levels = ladder()
    steps = _lock_open_steps(complaint, type=step_type)
    for step in steps:
        _finish(step, now, levels)
    _save(steps)
    sync_complaint_due(complaint)


def steps_assign(*, complaint: Complaint, step_type: StepType, assignee) -> None:
    """Name who answers for the open step of this type (an 8D discipline's owner)."""
    complaint.steps.filter(done_at__isnull=True, type=step_type).update(assignee=assignee)


def steps_pause(*, complaint: Complaint, now: datetime) -> None:
    """The complaint waits on the customer: every running clock stops."""
    levels = ladder()
    changed = []
    for step in _lock_open_steps(complaint):
        if not step.paused:
            step.pauses.append([now.isoformat(), None])
            refresh(step, levels)
            changed.append(step)
    _save(changed)
    sync_complaint_due(complaint)


def steps_resume(*, complaint: Complaint, now: datetime) -> None:
    """The customer answered: clocks run again, except where the status itself waits on them."""
    levels = ladder()
    changed = []
    for step in _lock_open_steps(complaint):
        if step.paused and complaint.status not in STEP_DEFS[step.type].paused_in:
            step.pauses[-1][1] = now.isoformat()
            refresh(step, levels)
            changed.append(step)
    _save(changed)
    sync_complaint_due(complaint)


def steps_reassign(*, complaint: Complaint) -> None:
    """Ownership changed: open steps follow their owner rule again."""
    for step in complaint.steps.filter(done_at__isnull=True):
        assignee, department = _owner(STEP_DEFS[step.type].owner, complaint)
        if (assignee, department) != (step.assignee, step.department):
            Step.objects.filter(pk=step.pk).update(assignee=assignee, department=department)


def preview_due(step_type: StepType, complaint: Complaint, now: datetime) -> datetime | None:
    """When a step started now would be due: the suggestion in the dispatch form."""
    step = _start(step_type, complaint, now, [])
    return step.due_at


# Steps per transaction when recomputing: whole complaints, up to about this many steps (a
# complaint with more is a transaction of its own). Short enough that a login or a sweep waits
# a few milliseconds for it, not the whole run (SQLite has one writer at a time).
RECOMPUTE_BATCH = 200
# What a recalculation may change of an open step (a subset of CLOCK_FIELDS).
RECOMPUTED_FIELDS = (
    "policy", "calendar", "minutes", "reminder_percents", "due_at", "due_error", "next_check_at",
)


def steps_recompute(
    *, steps, now: datetime, reason: str, by: str | None = None
) -> tuple[int, int]:
    """Match policies again and recompute due times of the given open steps (after a policy,
    calendar or classification change). Each changed due time is an event on the timeline.
    Returns (checked, changed).

    Short transactions of a few complaints each, not one for the whole run: a recalculation over
    every open step would otherwise hold their locks (on SQLite, the database's one write lock)
    for as long as it takes. Inside one, the complaints and then their steps are locked and read
    again, so a step finished (or swept) after `steps` was evaluated is seen as it is now: a
    finished one is skipped, never reopened. Policies, the ladder and calendars are read once,
    the changed steps, events and complaints' due columns written a statement per batch."""
    levels = ladder()
    policies = active_policies()
    by_complaint: dict[int, list[int]] = {}
    for step_id, complaint_id in steps.filter(done_at__isnull=True).order_by("pk").values_list(
        "pk", "complaint_id"
    ):
        by_complaint.setdefault(complaint_id, []).append(step_id)
    checked = changed = 0
    for batch in _complaint_batches(by_complaint):
        with transaction.atomic():
            counts = _recompute_batch(
                batch, policies=policies, levels=levels, now=now, reason=reason, by=by
            )
        checked += counts[0]
        changed += counts[1]
    return checked, changed


def _complaint_batches(by_complaint: dict[int, list[int]]):
    """The complaints in id order (the order every writer locks them), a few at a time."""
    batch, size = {}, 0
    for complaint_id in sorted(by_complaint):
        step_ids = by_complaint[complaint_id]
        if batch and size + len(step_ids) > RECOMPUTE_BATCH:
            yield batch
            batch, size = {}, 0
        batch[complaint_id] = step_ids
        size += len(step_ids)
    if batch:
        yield batch


def _recompute_batch(batch, *, policies, levels, now, reason, by) -> tuple[int, int]:
    """steps_recompute for a few complaints, inside their transaction. Locks the complaints
    (in id order), then their open steps (in id order, as `_lock_open_steps` and the sweeper's
    claim take them): the steps are written as read under those locks (STYLE habit 14)."""
    complaints = {
        complaint.pk: complaint
        for complaint in Complaint.objects.select_for_update(no_key=True, of=("self",))
        .select_related("customer")
        .filter(pk__in=list(batch))
        .order_by("pk")
    }
    locked = list(
        Step.objects.select_for_update(no_key=True, of=("self",))
        .filter(
            complaint_id__in=list(complaints), done_at__isnull=True,
            pk__in=[pk for ids in batch.values() for pk in ids],
        )
        .order_by("pk")
    )
    calendars = {policy.calendar_id: policy.calendar for policy in policies}
    missing = {step.calendar_id for step in locked} - calendars.keys()
    calendars.update(Calendar.objects.in_bulk(missing) if missing else {})
    rows, due_changes, moved = {}, [], set()
    for step in locked:
        complaint = complaints[step.complaint_id]
        step.complaint, step.calendar = complaint, calendars[step.calendar_id]
        before = (step.due_at, step.minutes, step.calendar_id, step.due_error, step.next_check_at)
        if step.policy_id is not None or not step.minutes:
            policy = match_policy(policies, step.type, complaint)
            if policy is not None:
                step.policy, step.calendar = policy, policy.calendar
                step.minutes, step.reminder_percents = policy.minutes, list(
                    policy.reminder_percents
                )
        refresh(step, levels)
        after = (step.due_at, step.minutes, step.calendar_id, step.due_error, step.next_check_at)
        if after == before:
            continue
        rows[step.pk] = [
            getattr(step, Step._meta.get_field(name).attname) for name in RECOMPUTED_FIELDS
        ]
        moved.add(step.complaint_id)
        if step.due_at != before[0]:
            due_changes.append(events.due_changed(
                complaint, at=now, step=step.type, before=before[0], after=step.due_at,
                reason=reason, by=by,
            ))
    if rows:
        update_rows(Step, rows, RECOMPUTED_FIELDS)
        ComplaintEvent.objects.bulk_create(due_changes, batch_size=500)
        for event in due_changes:
            complaint_lifecycle.event_recorded(event)
        _sync_complaints_due(moved)
    return len(locked), len(rows)


def _sync_complaints_due(complaint_ids: set[int]) -> None:
    """sync_complaint_due for many complaints: one query to read, one to write."""
    earliest = dict.fromkeys(complaint_ids)
    earliest.update(
        Step.objects.filter(complaint_id__in=complaint_ids, done_at__isnull=True)
        .values("complaint_id")
        .annotate(due=Min("due_at"))
        .values_list("complaint_id", "due")
    )
    update_rows(Complaint, {pk: [due] for pk, due in earliest.items()}, ["due_at"])


def open_steps(*, calendar_id=None, step_type=None):
    steps = Step.objects.filter(done_at__isnull=True)
    if calendar_id is not None:
        steps = steps.filter(Q(calendar_id=calendar_id) | Q(policy__calendar_id=calendar_id))
    if step_type is not None:
        steps = steps.filter(type=step_type)
    return steps



def commitment_due(
    complaint: Complaint, duration: timedelta, first_step: Step | None = None
) -> datetime | None:
    """The reply time promised on receipt: `duration` of business time on the calendar of the
    complaint's first step (a 24×7 one for major complaints). None if the year is not known.
    `first_step`: that step, when the caller has it (else one query)."""
    step = first_step or complaint.steps.select_related("calendar").order_by("pk").first()
    calendar = step.calendar if step else _fallback_calendar()
    try:
        return schedule_for(calendar).add(complaint.received_at, duration)
    except CalendarYearMissing:
        return None


# --- What the people an escalation reached do about it (issue 11 §5) ----------------------

# A new date is a promise about this step, not a second time limit: further than this is a
# different plan and belongs in the 8D.
NEW_DUE_FURTHEST = timedelta(days=60)
COMMENT_LENGTH = 2000


def can_manage_step(user, step: Step, *, owns_process: bool | None = None) -> bool:
    """Who may reassign a step or give it a new date: the manager of the department that
    answers for it, the head of its center, the owner of the complaint-handling process (the
    people its escalation ladder reaches), and administrators."""
    if not user.is_authenticated or user.is_customer:
        return False
    if user.is_superuser or user.role == Role.ADMIN:
        return True
    department = step.department
    if department is not None and user.pk in (
        department.manager_id, department.center.head_id if department.center_id else None
    ):
        return True
    if owns_process is None:
        owns_process = Process.objects.filter(
            kind=ProcessKind.COMPLAINT_HANDLING, owner=user
        ).exists()
    return owns_process


def _comment(text: str | None) -> str:
    text = (text or "").strip()
    if len(text) > COMMENT_LENGTH:
        raise ValidationFailed(
            field_errors={"comment": [
                _("Keep the comment under %(n)s characters.") % {"n": COMMENT_LENGTH}
            ]}
        )
    return text


def _open_step(step_id: int) -> tuple[Complaint, Step]:
    """The step, locked after its complaint (the order every writer takes), as it is now."""
    complaint_id = Step.objects.filter(pk=step_id).values_list("complaint_id", flat=True).first()
    if complaint_id is None:
        raise ValidationFailed(_("This step no longer exists."))
    complaint = lock_complaint(complaint_id)
    steps = _lock_open_steps(complaint, pk=step_id)
    if not steps:
        raise ValidationFailed(_("This step is done already: there is nothing left to do."))
    step = Step.objects.select_related(
        "assignee", "department__manager", "department__center"
    ).get(pk=step_id)
    return complaint, step


def _handle(*, actor, step: Step, now, how: str, comment: str, up_to: int | None = None) -> list:
    """Mark the actor's open escalations of the step handled; return their levels. Only rows up
    to `up_to` (the newest the person saw): one the sweeper raised meanwhile stays on the list."""
    mine = Escalation.objects.filter(step=step, recipient=actor, handled_at__isnull=True)
    if up_to is not None:
        mine = mine.filter(pk__lte=up_to)
    levels = sorted(set(mine.values_list("level", flat=True)))
    mine.update(handled_at=now, handling=how, comment=comment)
    return levels


def _settle_for_everyone(*, step: Step, now, how: str) -> None:
    """A reassigned or re-dated step answers every escalation of it: the others it reached
    have nothing left to do about that deadline, so it leaves their "my work" too (how, not the
    actor's comment, which is theirs and on the timeline). Acknowledging stays personal: one
    person having seen it does not mean the others have. Called under the step's lock, after
    `_handle` has dealt with the actor's own rows."""
    Escalation.objects.filter(step=step, handled_at__isnull=True).update(
        handled_at=now, handling=how
    )


def escalation_acknowledge(*, actor, step_id: int, up_to: int, comment: str = "") -> list[int]:
    """The person an escalation reached says they have seen it (and what they will do): it
    leaves their "my work" and the answer goes on the timeline. Returns the levels handled."""
    comment = _comment(comment)
    now = clock.now()
    with transaction.atomic():
        complaint_id = Step.objects.filter(pk=step_id).values_list(
            "complaint_id", flat=True
        ).first()
        if complaint_id is None:
            raise ValidationFailed(_("This step no longer exists."))
        # The complaint's lock orders this with the other writers of its steps; the sweeper only
        # inserts escalations, so the update below cannot undo one it raises meanwhile.
        complaint = lock_complaint(complaint_id)
        step = Step.objects.get(pk=step_id)
        levels = _handle(
            actor=actor, step=step, now=now, how=Handling.ACKNOWLEDGED, comment=comment,
            up_to=up_to,
        )
        if not levels:
            raise ValidationFailed(
                _("There is no escalation of this step waiting on you: it was dealt with "
                  "already.")
            )
        events.escalation_acknowledged(
            complaint, actor=actor, at=now, step=step.type, levels=levels, due_at=step.due_at,
            comment=comment,
        )
    return levels


def step_reassign(*, actor, step_id: int, assignee, comment: str = "") -> Step:
    """Give the step to another person of the department that answers for it; they are told.
    Deals with the escalations of the step, everyone's."""
    comment = _comment(comment)
    now = clock.now()
    with transaction.atomic():
        complaint, step = _open_step(step_id)
        if not can_manage_step(actor, step):
            raise NotAllowed(_("Only the department's manager, the center head or the process "
                               "owner may reassign this step."))
        if assignee is None:
            raise ValidationFailed(field_errors={"assignee": [_("Choose who takes it over.")]})
        if not assignee.is_active or assignee.is_customer or (
            step.department_id is None or assignee.department_id != step.department_id
        ):
            raise ValidationFailed(field_errors={"assignee": [
                _("Choose an active person of the department that answers for the step.")
            ]})
        if assignee.pk == step.assignee_id:
            raise ValidationFailed(field_errors={"assignee": [
                _("%(name)s answers for it already.") % {"name": assignee}
            ]})
        before = step.assignee
        # The owner columns only, under the step's lock: never the clock the sweeper writes.
        Step.objects.filter(pk=step.pk).update(assignee=assignee)
        step.assignee = assignee
        _handle(actor=actor, step=step, now=now, how=Handling.REASSIGNED, comment=comment)
        _settle_for_everyone(step=step, now=now, how=Handling.REASSIGNED)
        events.step_reassigned(
            complaint, actor=actor, at=now, step=step.type, before=before, after=assignee,
            comment=comment,
        )
        notify([Notice(
            kind="assigned",
            event_key=f"step:{step.pk}:reassigned:{assignee.pk}:{now.isoformat()}",
            recipients=[assignee],
            complaint=complaint,
            context={
                "step": msgid(StepType(step.type).label),
                "due_at": step.due_at.isoformat() if step.due_at else None,
                "note": comment,
            },
        )])
    return step


def step_set_due(*, actor, step_id: int, due_at: datetime, comment: str = "") -> Step:
    """Give an open step a new due time (after an escalation, say): the clock counts to it,
    its reminders, overdue notice and escalations are raised again for it, and the
    escalations of the step, everyone's, are dealt with. On the timeline with the old and the
    new time."""
    comment = _comment(comment)
    now = clock.now()
    levels = ladder()
    with transaction.atomic():
        complaint, step = _open_step(step_id)
        if not can_manage_step(actor, step):
            raise NotAllowed(_("Only the department's manager, the center head or the process "
                               "owner may set a new date for this step."))
        if due_at is None or due_at <= now:
            raise ValidationFailed(field_errors={"due_at": [_("Choose a time in the future.")]})
        if due_at > now + NEW_DUE_FURTHEST:
            raise ValidationFailed(field_errors={"due_at": [
                _("Choose a time within %(days)s days; a longer plan belongs in the 8D.")
                % {"days": NEW_DUE_FURTHEST.days}
            ]})
        if step.paused:
            raise ValidationFailed(field_errors={"due_at": [
                _("The clock is stopped while the customer has the ball; it needs no new date "
                  "now.")
            ]})
        before = step.due_at
        try:
            business = schedule_for(step.calendar).between(step.started_at, due_at)
        except CalendarYearMissing as missing:
            raise ValidationFailed(field_errors={"due_at": [
                _("The calendar has no holidays for %(year)s yet: choose an earlier time.")
                % {"year": missing.year}
            ]}) from missing
        step.minutes = max(1, math.ceil(business / timedelta(minutes=1)))
        step.due_given_at, step.due_given_on, step.policy = due_at, now, None
        # Alerts whose time is already past under the new date count as raised: nobody needs
        # "half the time is gone" for a date set a minute ago. The rest are raised when due;
        # their event keys carry the new times, so the new overdue notice is not a duplicate.
        alerts = plan_alerts(step, schedule_for(step.calendar), levels)
        step.stage = sum(1 for alert in alerts if alert.at <= now)
        refresh(step, levels)
        # Under the step's row lock (taken in _open_step): a sweeper's claim of this row either
        # committed before we read it or fails its compare-and-set on stage and next_check_at.
        step.save(update_fields=(*CLOCK_FIELDS, "due_given_at", "due_given_on", "stage"))
        sync_complaint_due(complaint)
        _handle(actor=actor, step=step, now=now, how=Handling.NEW_DUE, comment=comment)
        _settle_for_everyone(step=step, now=now, how=Handling.NEW_DUE)
        events.due_set(
            complaint, actor=actor, at=now, step=step.type, before=before, after=step.due_at,
            comment=comment,
        )
    return step
