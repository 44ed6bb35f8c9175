"""Who may see a complaint and what they are to it (SPEC §13).

The only door to a complaint from user input is `complaint_get_for_user`; list pages start from
`complaints_visible_to`. Both apply the same department and customer scoping.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from kesu.complaints.choices import OPEN_STATUSES
from kesu.complaints.models import Complaint
from kesu.complaints.workflow import ROLE_ACTORS, WORKFLOW, Actor, Transition
from kesu.core.errors import NotFound
from kesu.core.http import or_404
from kesu.org.models import ROLES_SEEING_ALL, Role, User


def sees_all(user: User) -> bool:
    if user.role in ROLES_SEEING_ALL:
        return True
    return bool(user.department_id and user.department.sees_all_complaints)


def complaints_visible_to(user: User) -> QuerySet[Complaint]:
    complaints = Complaint.objects.all()
    if not user.is_authenticated or not user.is_active:
        return complaints.none()
    if user.role == Role.CUSTOMER:
        # A customer contact sees their own company's complaints and nothing else.
        if not user.customer_id:
            return complaints.none()
        return complaints.filter(customer_id=user.customer_id)
    if sees_all(user):
        return complaints
    # Engineers, managers, sales: their department's complaints and those they are on. Each
    # term is an indexed column (the team a subquery, not a join that would repeat rows), so
    # the database can take the union of index lookups instead of scanning the ledger.
    on_it = (
        Q(handler=user)
        | Q(tracker=user)
        | Q(received_by=user)
        | Q(transferred_by=user)
        | on_team(user)
    )
    if user.department_id:
        on_it |= Q(responsible_department_id=user.department_id)
    return complaints.filter(on_it)


def on_team(user: User) -> Q:
    """Complaints whose improvement team has the user, without joining the team table."""
    return Q(pk__in=Complaint.team.through.objects.filter(user=user).values("complaint_id"))


def complaint_get_for_user(user: User, number: str) -> Complaint:
    """Fetch a complaint by number if the user may see it; otherwise NotFound (never 403,
    so that numbers of other customers' complaints are not confirmed to exist)."""
    queryset = complaints_visible_to(user).select_related(
        "customer",
        "responsible_department",
        # Who accepts a dispatch is named on the page ("waiting for …").
        "responsible_department__manager",
        "handler",
        "tracker",
        "received_by",
        "transferred_by",
        # The defect reads "group › code" on the page.
        "defect_code__parent",
    )
    # PostgreSQL refuses NUL in a query parameter; no number contains one anyway.
    complaint = None if "\x00" in number else queryset.filter(number=number).first()
    if complaint is None:
        raise NotFound()
    return complaint


def complaint_or_404(request, number, *, staff_only: bool = False):
    """The complaint of a page, through the access-checked getter. `staff_only`: pages customers
    never see answer them the same 404 as a complaint that does not exist."""
    if staff_only and request.user.is_customer:
        raise Http404
    return or_404(complaint_get_for_user, request.user, number)


def actors_of(user: User, complaint: Complaint) -> frozenset[Actor]:
    """Everything the user is with respect to this complaint, for the workflow table."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    actors = set()
    if user.role == Role.CUSTOMER:
        if user.customer_id and user.customer_id == complaint.customer_id:
            actors.add(Actor.CUSTOMER)
        return frozenset(actors)
    if user.role in ROLE_ACTORS:
        actors.add(ROLE_ACTORS[user.role])
    if complaint.tracker_id == user.pk:
        actors.add(Actor.TRACKER)
    department = complaint.responsible_department
    if department is not None:
        if department.manager_id == user.pk:
            actors.add(Actor.DEPT_MANAGER)
        if user.department_id == department.pk and user.role == Role.ENGINEER:
            actors.add(Actor.HANDLER)
    if complaint.handler_id == user.pk:
        actors.add(Actor.HANDLER)
    elif (
        Actor.HANDLER not in actors and complaint.pk and complaint.team.filter(pk=user.pk).exists()
    ):
        actors.add(Actor.HANDLER)
    return frozenset(actors)


def allowed_transitions(user: User, complaint: Complaint) -> list[Transition]:
    return WORKFLOW.allowed(complaint.status, complaint.kind, actors_of(user, complaint))


# Who may change the record itself (classification, description, products…) while it is open.
EDITORS = frozenset({Actor.AGENT, Actor.QE, Actor.TRACKER, Actor.PROCESS_OWNER})


def can_edit(user: User, complaint: Complaint) -> bool:
    return complaint.status in OPEN_STATUSES and bool(actors_of(user, complaint) & EDITORS)


def can_record(user: User) -> bool:
    """Any active staff member may record a complaint (internal transfer goes to customer
    service through intake, never handled on the side); customers do so in the portal."""
    return user.is_authenticated and user.is_active and user.role != Role.CUSTOMER


def can_comment(user: User, complaint: Complaint) -> bool:
    return bool(actors_of(user, complaint)) or sees_all(user)
