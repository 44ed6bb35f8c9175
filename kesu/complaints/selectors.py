"""Reads of complaints: the filtered list, "my work", the timeline. All start from the
access-checked `complaints_visible_to`."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from kesu.complaints import lifecycle
from kesu.complaints.access import complaints_visible_to
from kesu.complaints.choices import Visibility
from kesu.complaints.models import Complaint, ComplaintEvent
from kesu.complaints.workflow import SIDE_ACTIONS, WORKFLOW, Actor
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
    if f.text:
        # NUL would be a database error on PostgreSQL and can match nothing.
        for word in f.text.replace("\x00", " ").split()[:10]:
            complaints = complaints.filter(
                Q(number__icontains=word)
                | Q(title__icontains=word)
                | Q(description__icontains=word)
                | Q(customer__name__icontains=word)
                | Q(order_number__icontains=word)
                | Q(customer_reference__icontains=word)
            )
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
