"""Whom a complaint, a dispatch or an 8D discipline can be given to, found by name (SPEC §1)."""

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from kesu.core.pickers import LIMIT, ids, options, picker_endpoint, search_text
from kesu.org.models import Role, User
from kesu.org.selectors import staff_users

# Never handed a complaint: the administrator runs the system, the VP reads the figures.
NOT_OFFERED = (Role.ADMIN, Role.VP)


def people_matching(
    text: str, *, department_ids: list[int], role: str = "", strict: bool = False
) -> QuerySet[User]:
    """Staff by name, the given departments' people first (an improvement team is mostly
    theirs), or only theirs when `strict` (a handler: the workflow accepts no other)."""
    found = staff_users().exclude(role__in=NOT_OFFERED).select_related("department")
    if strict and department_ids:
        found = found.filter(department_id__in=department_ids)
    if role in Role.values:
        found = found.filter(role=role)
    if text:
        found = found.filter(
            Q(display_name__icontains=text)
            | Q(last_name__icontains=text)
            | Q(first_name__icontains=text)
            | Q(username__istartswith=text)
        )
    return found.annotate(
        _theirs=Case(
            When(department_id__in=department_ids, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("_theirs", "department__code", "display_name", "username")[:LIMIT]


@picker_endpoint
def pick_people(request):
    strict = request.GET.get("strict") == "1"
    return options(
        {
            "value": person.pk,
            "text": str(person),
            "hint": " · ".join(
                part
                for part in (
                    person.department.name if person.department else "",
                    person.get_role_display(),
                )
                if part
            ),
            # A strict picker drops a chosen person when the department changes.
            "filters": {"department": person.department_id} if strict else {},
        }
        for person in people_matching(
            search_text(request),
            department_ids=ids(request, "department"),
            role=request.GET.get("role", ""),
            strict=strict,
        )
    )
