"""Reads of step clocks: the state of a clock for display, and the on-time rate (SPEC §6)."""

from dataclasses import dataclass
from dataclasses import field as default
from datetime import datetime, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet

from kesu.calendars.schedules import schedule_for
from kesu.complaints.access import complaints_visible_to
from kesu.core.businesstime import CalendarYearMissing
from kesu.org.models import Process, ProcessKind, Role, User
from kesu.timelimits.models import Escalation, EscalationTarget, Step
from kesu.timelimits.services import can_manage_step


class State:
    ON_TRACK = "on-track"
    DUE_SOON = "due-soon"
    OVERDUE = "overdue"
    PAUSED = "paused"
    UNKNOWN = "unknown"  # the calendar does not know the year: fail closed, say so


@dataclass(frozen=True)
class ClockView:
    step: Step
    state: str
    # Business time left (negative: overdue by), None while paused or unknown.
    remaining: timedelta | None
    # Calendar time since the due time, for an overdue clock: "late by" is what a manager
    # thinks in and checks against a wall calendar; business time would shrink a week-end.
    overdue_by: timedelta | None = None


def clock_view(step: Step, now: datetime) -> ClockView:
    if step.paused:
        return ClockView(step, State.PAUSED, None)
    if step.due_at is None:
        return ClockView(step, State.UNKNOWN, None)
    try:
        remaining = schedule_for(step.calendar).between(now, step.due_at)
    except CalendarYearMissing:
        return ClockView(step, State.UNKNOWN, None)
    if remaining < timedelta(0) or now > step.due_at:
        overdue_by = max(now - step.due_at, timedelta(0))
        return ClockView(step, State.OVERDUE, remaining, overdue_by=overdue_by)
    # "Due soon" once the last reminder has gone out (by default at 80 % of the limit).
    last_reminder = max(step.reminder_percents or [80])
    if remaining <= timedelta(minutes=step.minutes) * (100 - last_reminder) / 100:
        return ClockView(step, State.DUE_SOON, remaining)
    return ClockView(step, State.ON_TRACK, remaining)


def open_steps_prefetch() -> Prefetch:
    """For lists: each complaint's open steps, most urgent first, in one query."""
    return Prefetch(
        "steps",
        queryset=Step.objects.filter(done_at__isnull=True)
        .select_related("calendar")
        .order_by("due_at", "pk"),
        to_attr="open_steps",
    )


def most_urgent(complaint, now: datetime) -> ClockView | None:
    steps = getattr(complaint, "open_steps", None)
    if steps is None:
        steps = list(
            complaint.steps.filter(done_at__isnull=True)
            .select_related("calendar")
            .order_by("due_at", "pk")
        )
    if not steps:
        return None
    # due_at NULLs sort first on PostgreSQL and last on SQLite: prefer a running clock.
    running = [s for s in steps if s.due_at is not None]
    return clock_view(min(running, key=lambda s: s.due_at) if running else steps[0], now)


def complaint_clocks(complaint, now: datetime) -> list[ClockView]:
    """Every step of one complaint, in order, for its detail page."""
    return [
        clock_view(step, now) if step.done_at is None else ClockView(step, "done", None)
        for step in complaint.steps.select_related("calendar", "assignee", "department")
    ]


@dataclass(frozen=True)
class RateRow:
    key: int | None
    name: str
    on_time: int
    late: int
    pending: int
    # The complaints behind each number (on_time, late, pending, counted): what its link lists.
    # A complaint with two late steps is two steps and one complaint.
    behind: dict[str, int] = default(default_factory=dict)

    @property
    def counted(self) -> int:
        return self.on_time + self.late

    @property
    def rate(self) -> float | None:
        return self.on_time / self.counted if self.counted else None


def outcomes(now: datetime) -> dict[str, Q]:
    """The columns of the on-time report, over Step: on time = done by the due time; late =
    done after it or still open past it; pending = open and not yet due."""
    return {
        "on_time": Q(on_time=True),
        "late": Q(on_time=False) | Q(done_at__isnull=True, due_at__lt=now),
        "pending": Q(done_at__isnull=True, due_at__gte=now),
    }


def complaints_behind(
    *, start: datetime, end: datetime, now: datetime, outcome: str | None = None,
    department: int | None | str = "", assignee: int | None | str = "",
) -> Q:
    """The complaints behind one number of the on-time report, as a Q over Complaint: those
    with a step due in [start, end), of that department or person (None: without one; "":
    any), with that outcome (None: any counted or pending). The report counts steps; a
    complaint with two late steps is one row of the list."""
    steps = _steps_due_in(start, end)
    named = outcomes(now)
    if outcome == "counted":
        steps = steps.filter(named["on_time"] | named["late"])
    elif outcome:
        steps = steps.filter(named[outcome])
    for field, value in (("department_id", department), ("assignee_id", assignee)):
        if value is None:
            steps = steps.filter(**{f"{field}__isnull": True})
        elif value != "":
            steps = steps.filter(**{field: value})
    return Q(pk__in=steps.values("complaint_id"))


def _steps_due_in(start: datetime, end: datetime) -> QuerySet[Step]:
    # A step belongs to the period its due time falls in, so each step counts once, in one
    # period, whenever it is finished. Steps stopped by a cancellation do not count.
    return Step.objects.filter(due_at__gte=start, due_at__lt=end).exclude(
        done_at__isnull=False, on_time__isnull=True
    )


def on_time_rate(
    *, user, start: datetime, end: datetime, now: datetime, by: str
) -> tuple[list[RateRow], RateRow]:
    """处理及时率 per department (by="department") or per person (by="assignee") for steps due
    in [start, end): on time = done by the due time; late = done after it or still open past
    it; pending = open and not yet due (not in the rate yet). Returns rows and the total.

    Only steps of complaints `user` may see: the same scoping as the complaint list each
    number opens (`complaints_behind` under `complaints_visible_to`), so that a department
    manager's report counts their department's and their own complaints, not an outsider's.
    Each row also counts the distinct complaints behind each number (`RateRow.behind`),
    exactly the rows of its link; the total's are counted over all steps at once, as one
    complaint can have steps in several departments. Two queries."""
    if by not in ("department", "assignee"):
        raise ValueError(by)
    named = outcomes(now)
    named_behind = {**named, "counted": named["on_time"] | named["late"]}
    # Prefixed: an annotation named like the `on_time` field would shadow it in the filters.
    counts = {f"n_{name}": Count("pk", filter=q) for name, q in named.items()}
    counts.update(
        {f"c_{name}": Count("complaint", distinct=True, filter=q)
         for name, q in named_behind.items()}
    )
    steps = _steps_due_in(start, end).filter(
        complaint__in=complaints_visible_to(user).values("pk")
    )
    name_field = "department__name" if by == "department" else "assignee__display_name"
    grouped = (
        steps.values(by, name_field, *(["assignee__username"] if by == "assignee" else []))
        .annotate(**counts)
        .order_by(name_field, by)
    )

    def behind(row) -> dict[str, int]:
        return {name: row[f"c_{name}"] or 0 for name in named_behind}

    rows = [
        RateRow(
            key=row[by],
            name=row[name_field] or row.get("assignee__username") or "—",
            on_time=row["n_on_time"],
            late=row["n_late"],
            pending=row["n_pending"],
            behind=behind(row),
        )
        for row in grouped
    ]
    whole = steps.aggregate(
        **{name: value for name, value in counts.items() if name.startswith("c_")}
    )
    total = RateRow(
        key=None,
        name="",
        on_time=sum(r.on_time for r in rows),
        late=sum(r.late for r in rows),
        pending=sum(r.pending for r in rows),
        behind=behind(whole),
    )
    return rows, total


# --- Escalations waiting on a person (their "my work") -------------------------------------

# More than this many escalated steps on one list is a dashboard's job; the list says so.
ESCALATIONS_SHOWN = 50


@dataclass
class EscalationItem:
    """One escalated step on a person's list, whatever number of levels reached them."""

    step: Step
    levels: list[int]
    target: str  # the highest level's rung (department manager, process owner, center head)
    raised_at: datetime
    # The newest escalation row shown: acknowledging handles up to it, not one raised later.
    up_to: int
    # Overdue by (wall-clock), None when the step is not late (any more, after a new date).
    late: timedelta | None
    may_manage: bool = False
    people: list = None  # whom a manager may give the step to

    @property
    def complaint(self):
        return self.step.complaint

    @property
    def target_label(self) -> str:
        return str(EscalationTarget(self.target).label)


def open_escalations(user, now: datetime, *, step_id: int | None = None) -> list[EscalationItem]:
    """The escalated open steps waiting on `user`, the latest deadline missed longest first;
    with the department's people when the user may reassign. One query, two more when the
    list is not empty, whatever its length."""
    rows = (
        Escalation.objects.filter(
            recipient=user, handled_at__isnull=True, step__done_at__isnull=True,
            complaint__in=complaints_visible_to(user).values("pk"),
        )
        .select_related(
            "step__assignee", "step__department__center", "complaint__customer",
        )
        .order_by("step_id", "id")
    )
    if step_id is not None:
        rows = rows.filter(step_id=step_id)
    items: dict[int, EscalationItem] = {}
    for row in rows[: ESCALATIONS_SHOWN * 4]:
        item = items.get(row.step_id)
        if item is None:
            row.step.complaint = row.complaint
            items[row.step_id] = item = EscalationItem(
                step=row.step, levels=[], target=row.target, raised_at=row.raised_at,
                up_to=row.pk, late=None,
            )
        if row.level not in item.levels:
            item.levels.append(row.level)
        if row.level >= max(item.levels):
            item.target = row.target
        item.raised_at, item.up_to = max(item.raised_at, row.raised_at), max(item.up_to, row.pk)
    found = sorted(items.values(), key=lambda i: (i.step.due_at or now, i.step.pk))
    found = found[:ESCALATIONS_SHOWN]
    if not found:
        return []
    owns_process = Process.objects.filter(
        kind=ProcessKind.COMPLAINT_HANDLING, owner=user
    ).exists()
    departments = set()
    for item in found:
        item.levels.sort()
        due = item.step.due_at
        item.late = now - due if due is not None and now > due and not item.step.paused else None
        item.may_manage = can_manage_step(user, item.step, owns_process=owns_process)
        if item.may_manage and item.step.department_id:
            departments.add(item.step.department_id)
    people: dict[int, list] = {}
    if departments:
        for person in User.objects.filter(
            department_id__in=departments, is_active=True
        ).exclude(role=Role.CUSTOMER).order_by("display_name", "username"):
            people.setdefault(person.department_id, []).append(person)
    for item in found:
        item.people = people.get(item.step.department_id, []) if item.may_manage else []
    return found
