"""Reads of complaints: the filtered list, "my work", the timeline. All start from the
access-checked `complaints_visible_to`."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kesu.complaints import lifecycle
from kesu.complaints.access import complaints_visible_to
from kesu.complaints.choices import Visibility
from kesu.complaints.events import ATTACHMENT
from kesu.complaints.models import Attachment, Complaint, ComplaintEvent
from kesu.complaints.workflow import SIDE_ACTIONS, WORKFLOW, Actor
from kesu.core.bounds import DB_INT_MAX
from kesu.core.errors import ValidationFailed
from kesu.masterdata.models import Lot, Product
from kesu.org.models import Role, User

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


def _matches(word: str) -> Q:
    """One search word: the complaint's own words, its customer and contact, the customer's
    reference and order number, and the codes and names of its products and numbers of its
    lots. Products and lots are matched in their own (small, master-data) tables first and
    reach the complaints through the link tables' complaint/product indexes, all inside the
    list's one query."""
    products = Product.objects.filter(Q(code__icontains=word) | Q(name__icontains=word))
    lots = Lot.objects.filter(number__icontains=word)
    return (
        Q(number__icontains=word)
        | Q(title__icontains=word)
        | Q(description__icontains=word)
        | Q(customer__name__icontains=word)
        | Q(contact_name__icontains=word)
        | Q(order_number__icontains=word)
        | Q(customer_reference__icontains=word)
        | Q(pk__in=Complaint.products.through.objects.filter(product__in=products).values(
            "complaint_id"
        ))
        | Q(pk__in=Complaint.lots.through.objects.filter(lot__in=lots).values("complaint_id"))
    )


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
        # NUL would be a database error on PostgreSQL and can match nothing.
        for word in f.text.replace("\x00", " ").split()[:10]:
            complaints = complaints.filter(_matches(word))
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
        return Q(responsible_department__manager=user)
    if actor == Actor.HANDLER:
        condition = Q(handler=user) | Q(team=user)
        if user.role == Role.ENGINEER and user.department_id:
            condition |= Q(responsible_department_id=user.department_id)
        return condition
    if actor == Actor.CUSTOMER:
        return Q(customer_id=user.customer_id) if user.customer_id else None
    return None


def my_work(user: User) -> QuerySet[Complaint]:
    """Complaints on which the user can take a step now, the most urgent first: the earliest
    due time, then (clocks paused or not running) the longest waiting."""
    waiting = Q(pk__in=[])
    for transition in WORKFLOW:
        if transition.action in SIDE_ACTIONS:
            continue
        for actor in transition.actors:
            condition = _actor_condition(user, actor)
            if condition is None:
                continue
            waiting |= Q(status__in=transition.sources, kind__in=transition.kinds) & condition
    matching = Complaint.objects.filter(waiting).values("pk")
    return (
        complaints_visible_to(user)
        .filter(pk__in=matching)
        .select_related(*LIST_RELATED)
        .prefetch_related(*lifecycle.list_prefetches())
        .order_by(F("due_at").asc(nulls_last=True), "status_changed_at", "id")
    )


def complaint_timeline(user: User, complaint: Complaint) -> QuerySet[ComplaintEvent]:
    """The one timeline of a complaint; a customer sees only what is meant for them."""
    events = complaint.events.select_related("actor", "attachment").order_by("at", "id")
    if user.role == Role.CUSTOMER:
        events = events.filter(visibility=Visibility.CUSTOMER)
    return events


# The latest events a timeline shows at first; earlier ones come a page at a time. With long
# messages cut to a preview (see NOTE_PREVIEW) a page stays well under 200 kB.
TIMELINE_PAGE = 50
# The largest id a cursor may name (a 64-bit key); more is refused before it reaches SQL.
MAX_ID = DB_INT_MAX


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
    if not text.isascii() or not text.isdigit() or not 0 < int(text) <= MAX_ID:
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
) -> TimelinePage:
    """One page of the timeline as `user` may see it: the latest `limit` events, or those just
    before (or after) the event `before` (`after`).

    Keyset paging on (at, id), never OFFSET: a page costs the same however far back it is, and
    events written meanwhile neither shift nor repeat what a reader pages through. Events with
    equal times (one transaction writes several) are ordered by id, so none falls between
    pages. The anchor must be an event this user sees on this complaint's timeline.
    """
    if before is not None and after is not None:
        raise ValidationFailed(field_errors={"after": [_("Send either before or after.")]})
    events = complaint_timeline(user, complaint)
    if related:  # select_related() without names would drop the nullable actor
        events = events.select_related(*related)
    cursor = before if before is not None else after
    if cursor is None:
        newest = list(events.order_by("-at", "-id")[: limit + 1])
        return TimelinePage(newest[:limit][::-1], earlier=len(newest) > limit, later=False)
    anchor = events.filter(pk=cursor).values_list("at", "id").first()
    if anchor is None:
        field = "before" if before is not None else "after"
        raise ValidationFailed(field_errors={field: [_("Not an event of this timeline.")]})
    at, pk = anchor
    if before is not None:
        rows = events.filter(Q(at__lt=at) | Q(at=at, id__lt=pk)).order_by("-at", "-id")
        rows = list(rows[: limit + 1])
        return TimelinePage(rows[:limit][::-1], earlier=len(rows) > limit, later=True)
    rows = events.filter(Q(at__gt=at) | Q(at=at, id__gt=pk)).order_by("at", "id")
    rows = list(rows[: limit + 1])
    return TimelinePage(rows[:limit], earlier=True, later=len(rows) > limit)


def timeline_attachments(user: User, complaint: Complaint) -> list[Attachment]:
    """Every file on the timeline as `user` may see it, whatever page of it is shown."""
    events = complaint_timeline(user, complaint).filter(
        type=ATTACHMENT, attachment__isnull=False
    )
    return [event.attachment for event in events.defer("note", "payload")]
