"""Reads of complaints: the filtered list, "my work", the timeline. All start from the
access-checked `complaints_visible_to`."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kesu.complaints import lifecycle
from kesu.complaints.access import actors_of, complaints_visible_to
from kesu.complaints.choices import OPEN_STATUS_LIST, Visibility
from kesu.complaints.events import ATTACHMENT, COMMENT, TRANSITION, automatic_types, event_type
from kesu.complaints.models import OPEN_WORK_ORDER, Attachment, Complaint, ComplaintEvent
from kesu.complaints.search import text_filter
from kesu.complaints.workflow import ROLE_ACTORS, SIDE_ACTIONS, WORKFLOW, Actor, Transition
from kesu.core.bounds import DB_INT_MAX
from kesu.core.errors import ValidationFailed
from kesu.core.partial import LiteralIn
from kesu.core.workflow import Problem
from kesu.org.models import Department, Role, User

LIST_RELATED = ("customer", "responsible_department", "handler", "tracker")


@dataclass
class ComplaintFilter:
    status: list[str] | None = None
    kind: str | None = None
    category: str | None = None
    severity: str | None = None
    customer: int | None = None
    product: int | None = None
    department: int | None = None
    received_from: date | None = None
    received_to: date | None = None
    text: str | None = None
    # Filters the participants offer (lifecycle.list_filters), each a Q over Complaint.
    extra: tuple = ()


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def complaint_list(user: User, filters: ComplaintFilter | None = None) -> QuerySet[Complaint]:
    complaints = complaints_visible_to(user).select_related(*LIST_RELATED)
    f = filters or ComplaintFilter()
    if f.status:
        complaints = complaints.filter(status__in=f.status)
    for field in ("kind", "category", "severity"):
        if getattr(f, field):
            complaints = complaints.filter(**{field: getattr(f, field)})
    if f.customer:
        complaints = complaints.filter(customer_id=f.customer)
    if f.department:
        complaints = complaints.filter(responsible_department_id=f.department)
    if f.product:
        complaints = complaints.filter(
            pk__in=Complaint.products.through.objects.filter(product_id=f.product).values(
                "complaint_id"
            )
        )
    if f.received_from:
        complaints = complaints.filter(received_at__gte=_day_start(f.received_from))
    if f.received_to:
        complaints = complaints.filter(
            received_at__lt=_day_start(f.received_to) + timedelta(days=1)
        )
    for q in f.extra:
        complaints = complaints.filter(q)
    if f.text:
        # Every word (and every part of a Chinese phrase) must be in the complaint's search
        # document: its number, words, customer, products, lots, root causes and lessons.
        matches = text_filter(f.text)
        if matches is not None:
            complaints = complaints.filter(matches)
    return complaints.prefetch_related(*lifecycle.list_prefetches()).order_by(
        "-received_at", "-id"
    )


def _actor_condition(user: User, actor: Actor) -> Q | None:
    """Rows of the complaint table on which `user` is `actor`; None if never."""
    role_actors = {
        Actor.AGENT: Role.CS_AGENT,
        Actor.SALES: Role.SALES,
        Actor.QE: Role.QE,
        Actor.PROCESS_OWNER: Role.PROCESS_OWNER,
    }
    if actor in role_actors:
        return Q() if user.role == role_actors[actor] else None
    if actor == Actor.TRACKER:
        return Q(tracker=user)
    if actor == Actor.DEPT_MANAGER:
        # The departments they manage as a subquery: a join here would be an outer join
        # under the OR, which keeps the planner from the open-work index.
        return Q(responsible_department__in=Department.objects.filter(manager=user).values("pk"))
    if actor == Actor.HANDLER:
        # On the team: tested on each open row (an index probe), not the list of every
        # complaint the user was ever on, which grows with the ledger.
        on_team = Exists(
            Complaint.team.through.objects.filter(complaint_id=OuterRef("pk"), user=user)
        )
        condition = Q(handler=user) | on_team
        if user.role == Role.ENGINEER and user.department_id:
            condition |= Q(responsible_department_id=user.department_id)
        return condition
    if actor == Actor.CUSTOMER:
        return Q(customer_id=user.customer_id) if user.customer_id else None
    return None


def my_work(user: User) -> QuerySet[Complaint]:
    """Complaints on which the user can take a step now, the most urgent first: the earliest
    due time, then (clocks paused or not running) the longest waiting.

    Only open complaints can wait on anyone, so the query starts from the open-work index
    (`complaint_open_by_due`, whose condition it repeats) and tests who may act on those rows
    alone: the page and its count read a few percent of the ledger, in the page's order."""
    # Each way of being involved once, with the statuses (per kind) in which it can act.
    reach: dict[Actor, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for transition in WORKFLOW:
        if transition.action in SIDE_ACTIONS:
            continue
        for actor in transition.actors:
            for kind in transition.kinds:
                reach[actor][kind] |= transition.sources
    waiting = Q(pk__in=[])
    for actor, kinds in reach.items():
        condition = _actor_condition(user, actor)
        if condition is None:
            continue
        statuses = Q(pk__in=[])
        for kind, sources in sorted(kinds.items()):
            statuses |= Q(kind=kind, status__in=sorted(sources))
        waiting |= statuses & condition
    return (
        complaints_visible_to(user)
        .filter(LiteralIn("status", OPEN_STATUS_LIST))
        .filter(waiting)
        .select_related(*LIST_RELATED)
        .prefetch_related(*lifecycle.list_prefetches())
        .order_by(*OPEN_WORK_ORDER)
    )


def complaint_timeline(
    user: User, complaint: Complaint, *, people_only: bool = False
) -> QuerySet[ComplaintEvent]:
    """The one timeline of a complaint; a customer sees only what is meant for them.
    `people_only` leaves out what Kesu raised on its own (`EventType.automatic`)."""
    events = complaint.events.select_related("actor", "attachment").order_by("at", "id")
    if user.role == Role.CUSTOMER:
        events = events.filter(visibility=Visibility.CUSTOMER)
    if people_only:
        events = events.exclude(type__in=automatic_types())
    return events


def timeline_event(user: User, complaint: Complaint, event_id: int) -> ComplaintEvent | None:
    """One event of the complaint's timeline as `user` may see it (None: not there for them)."""
    return complaint_timeline(user, complaint).filter(pk=min(event_id, DB_INT_MAX)).first()


# The latest events a timeline shows at first; earlier ones come a page at a time. With long
# messages cut to a preview (see NOTE_PREVIEW) a page stays well under 200 kB.
TIMELINE_PAGE = 50


@dataclass
class TimelinePage:
    events: list[ComplaintEvent]  # oldest first, as the timeline reads
    earlier: bool  # there are events before the first of these
    later: bool  # there are events after the last of these

    @property
    def first_id(self) -> int | None:
        return self.events[0].pk if self.events else None

    @property
    def last_id(self) -> int | None:
        return self.events[-1].pk if self.events else None


def parse_cursor(raw, field: str = "before") -> int | None:
    """An event id from a query string: None when absent, else a positive 64-bit integer, or
    a ValidationFailed (a 4xx) for anything else."""
    if raw is None or raw == "":
        return None
    text = str(raw).strip()
    if not text.isascii() or not text.isdigit() or not 0 < int(text) <= DB_INT_MAX:
        raise ValidationFailed(field_errors={field: [_("Not an event of this timeline.")]})
    return int(text)


def timeline_page(
    user: User,
    complaint: Complaint,
    *,
    before: int | None = None,
    after: int | None = None,
    limit: int = TIMELINE_PAGE,
    related: tuple[str, ...] = (),
    people_only: bool = False,
    whole_runs: bool = False,
) -> TimelinePage:
    """One page of the timeline as `user` may see it: the latest `limit` events, or those just
    before (or after) the event `before` (`after`).

    `whole_runs` (the pages that fold automatic events) moves the older edge of a page to the
    start of the run of automatic events it cuts, so a run folds into one line, never one on
    each side of "show earlier" (see `_whole_run`).

    Keyset paging on (at, id), never OFFSET: a page costs the same however far back it is, and
    events written meanwhile neither shift nor repeat what a reader pages through. Events with
    equal times (one transaction writes several) are ordered by id, so none falls between
    pages. The anchor must be an event this user sees on this complaint's timeline.
    """
    if before is not None and after is not None:
        raise ValidationFailed(field_errors={"after": [_("Send either before or after.")]})
    events = complaint_timeline(user, complaint, people_only=people_only)
    if related:  # select_related() without names would drop the nullable actor
        events = events.select_related(*related)
    cursor = before if before is not None else after
    if cursor is None:
        newest = list(events.order_by("-at", "-id")[: limit + 1])
        page = TimelinePage(newest[:limit][::-1], earlier=len(newest) > limit, later=False)
        return _whole_run(events, page) if whole_runs else page
    anchor = events.filter(pk=cursor).values_list("at", "id").first()
    if anchor is None:
        field = "before" if before is not None else "after"
        raise ValidationFailed(field_errors={field: [_("Not an event of this timeline.")]})
    at, pk = anchor
    if before is not None:
        rows = events.filter(Q(at__lt=at) | Q(at=at, id__lt=pk)).order_by("-at", "-id")
        rows = list(rows[: limit + 1])
        page = TimelinePage(rows[:limit][::-1], earlier=len(rows) > limit, later=True)
        return _whole_run(events, page) if whole_runs else page
    rows = events.filter(Q(at__gt=at) | Q(at=at, id__gt=pk)).order_by("at", "id")
    rows = list(rows[: limit + 1])
    return TimelinePage(rows[:limit], earlier=True, later=len(rows) > limit)


# However long a run of automatic events, a page takes at most this many more to hold it whole.
# Runs are short since the sweeper escalates once per step (issue 11 §1); the bound only keeps a
# pathological run from making one page unbounded (it would then fold as two lines again).
WHOLE_RUN_MAX = 500


def _whole_run(events: QuerySet[ComplaintEvent], page: TimelinePage) -> TimelinePage:
    """`page` with the rest of the automatic run its oldest event belongs to, if the run goes on
    before it. Two queries, and only when a page starts inside a run: where the run began (the
    latest earlier event somebody did), then the run itself."""
    if not (page.earlier and page.events and event_type(page.events[0].type).automatic):
        return page
    first = page.events[0]
    older = events.filter(Q(at__lt=first.at) | Q(at=first.at, id__lt=first.pk))
    start = older.exclude(type__in=automatic_types()).order_by("-at", "-id")
    start = start.values_list("at", "id").first()
    run = older
    if start is not None:
        at, pk = start
        run = run.filter(Q(at__gt=at) | Q(at=at, id__gt=pk))
    rows = list(run.order_by("-at", "-id")[: WHOLE_RUN_MAX + 1])
    return TimelinePage(
        rows[:WHOLE_RUN_MAX][::-1] + page.events,
        earlier=start is not None or len(rows) > WHOLE_RUN_MAX,
        later=page.later,
    )


def timeline_attachments(user: User, complaint: Complaint) -> list[Attachment]:
    """Every file on the timeline as `user` may see it, whatever page of it is shown."""
    events = complaint_timeline(user, complaint).filter(
        type=ATTACHMENT, attachment__isnull=False
    )
    return [event.attachment for event in events.defer("note", "payload")]


@dataclass
class AutomaticRun:
    """Consecutive events Kesu raised on its own, shown as one line that opens (issue 11: 23 of
    a complaint's 31 events were reminders, overdue notices and escalations)."""

    events: list[ComplaintEvent]

    @property
    def count(self) -> int:
        return len(self.events)

    @property
    def kinds(self) -> list[tuple[str, int]]:
        """(label, how many) of each type in the run, in the order they first occur."""
        counts: dict[str, int] = {}
        for event in self.events:
            label = str(event_type(event.type).label)
            counts[label] = counts.get(label, 0) + 1
        return list(counts.items())


# Fewer automatic events in a row than this stay as they are: folding one line into one line
# hides it for nothing.
FOLD_FROM = 2


def timeline_entries(events: list[ComplaintEvent]) -> list[ComplaintEvent | AutomaticRun]:
    """The events of a page as the timeline shows them: people's events one by one, runs of
    automatic ones folded. Done on the page already read: no query."""
    entries: list = []
    run: list[ComplaintEvent] = []

    def flush():
        if len(run) >= FOLD_FROM:
            entries.append(AutomaticRun(list(run)))
        else:
            entries.extend(run)
        run.clear()

    for event in events:
        if event_type(event.type).automatic:
            run.append(event)
        else:
            flush()
            entries.append(event)
    flush()
    return entries


# --- The customer's voice (issue 11 §2) -------------------------------------------------------

# The steps that record the customer's answer to the plan, as the workflow table marks them.
DECISION_ACTIONS = tuple(sorted({t.action for t in WORKFLOW if t.decision}))
# Unanswered customer messages shown in full at the top; more are counted and left to the
# timeline (a customer who writes fifty times is answered once, not read fifty times on top).
VOICE_SHOWN = 5
# Rows read to find them: a decision followed by more unanswered messages than this is not
# shown on top (the timeline has it); twenty rows cost no more than seven.
VOICE_READ = 20


@dataclass
class CustomerVoice:
    """What the customer said that the team has not answered yet, newest decision first."""

    decision: ComplaintEvent | None
    messages: list[ComplaintEvent]  # oldest first
    more: int  # earlier unanswered messages not shown

    def __bool__(self) -> bool:
        return self.decision is not None or bool(self.messages)


def _answers() -> Q:
    """What answers the customer: a step taken on the complaint (other than recording their
    decision) or a staff message the customer sees. An internal note answers nobody."""
    return (Q(type=TRANSITION) & ~Q(action__in=DECISION_ACTIONS)) | (
        Q(type=COMMENT, visibility=Visibility.CUSTOMER, actor__isnull=False)
        & ~Q(actor__role=Role.CUSTOMER)
    )


def customer_voice(user: User, complaint: Complaint) -> CustomerVoice | None:
    """The customer's newest decision on the plan (with their reason) and their messages that
    came after the team's last answer, for the top of the staff pages; None for a customer.

    One query: the latest of what the customer said and of the team's answers, newest first,
    read up to the first answer; a count only when more messages wait than are shown."""
    if user.role == Role.CUSTOMER:
        return None
    said = Q(type=TRANSITION, action__in=DECISION_ACTIONS) | Q(
        type=COMMENT, actor__role=Role.CUSTOMER
    )
    rows = (
        complaint.events.filter(said | _answers())
        .select_related("actor")
        .order_by("-at", "-id")[:VOICE_READ]
    )
    decision, messages = None, []
    for event in rows:
        if event.type == TRANSITION and event.action in DECISION_ACTIONS:
            decision = decision or event
        elif event.type == COMMENT and event.actor is not None and event.actor.is_customer:
            messages.append(event)
        else:  # the team's answer: what came before it is answered
            break
    more = 0
    if len(messages) > VOICE_SHOWN:
        waiting = complaint.events.filter(type=COMMENT, actor__role=Role.CUSTOMER)
        last = (
            complaint.events.filter(_answers()).order_by("-at", "-id").values_list("at", "id")
        ).first()
        if last is not None:
            waiting = waiting.filter(Q(at__gt=last[0]) | Q(at=last[0], id__gt=last[1]))
        more = waiting.count() - VOICE_SHOWN
        messages = messages[:VOICE_SHOWN]
    return CustomerVoice(decision=decision, messages=messages[::-1], more=max(more, 0))


# --- The next step (issue 11 §3) --------------------------------------------------------------

# Who takes a step, when it is somebody other than the person looking and not one named person.
ACTOR_NAMES = {
    **{actor: role.label for role, actor in ROLE_ACTORS.items()},
    Actor.CUSTOMER: gettext_lazy("the customer"),
}


@dataclass
class Offer:
    """A step of the workflow table as one person sees it: what it lacks (the same gates the
    service checks), so it is offered only when it will be accepted."""

    transition: Transition
    problems: list[Problem]
    # Who takes it, for a step the person looking cannot take.
    who: list[str] | None = None

    @property
    def enabled(self) -> bool:
        return not self.problems

    @property
    def action(self) -> str:
        return self.transition.action


@dataclass
class NextStep:
    mine: list[Offer]  # the loop's next steps open to the user, forward first
    others: list[Offer]  # the steps others take next, with who and what they lack
    side: list[Offer]  # possible at any time (cancel, reopen)

    @property
    def missing(self) -> list[Problem]:
        """Everything the next forward step lacks, whoever takes it."""
        return [p for o in (*self.mine, *self.others) if o.transition.style == "primary"
                for p in o.problems]


def _names(complaint: Complaint, transition: Transition) -> list[str]:
    department = complaint.responsible_department
    people = {
        Actor.HANDLER: complaint.handler
        or (_("the engineers of %(department)s") % {"department": department}
            if department else None),
        Actor.DEPT_MANAGER: department.manager if department else None,
        Actor.TRACKER: complaint.tracker,
    }
    names = []
    # The named people first, then the roles: "王工 or customer service".
    for actor in (Actor.HANDLER, Actor.DEPT_MANAGER, Actor.TRACKER, Actor.CUSTOMER, Actor.AGENT,
                  Actor.QE, Actor.PROCESS_OWNER, Actor.SALES):
        if actor not in transition.actors:
            continue
        who = people[actor] if actor in people else ACTOR_NAMES.get(actor)
        if who and str(who) not in names:
            names.append(str(who))
    return names


def next_step(user: User, complaint: Complaint) -> NextStep:
    """What is needed next on the complaint, for `user`: the steps they may take with what each
    lacks, and the step others take next with who and what it lacks. The lacks are the gates'
    own checks (`Transition.problems`), so page and service cannot disagree."""
    actors = actors_of(user, complaint)
    mine, others, side = [], [], []
    for transition in WORKFLOW.from_state(complaint.status, complaint.kind):
        is_mine = bool(transition.actors & actors)
        if transition.action in SIDE_ACTIONS:
            if is_mine:
                side.append(Offer(transition, []))
            continue
        if is_mine:
            mine.append(Offer(transition, transition.problems(complaint)))
        elif transition.style == "primary" and not user.is_customer:
            others.append(
                Offer(transition, transition.problems(complaint), who=_names(complaint, transition))
            )
    mine.sort(key=lambda o: o.transition.style != "primary")
    return NextStep(mine=mine, others=others, side=side)
