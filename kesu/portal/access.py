"""Who may use the portal and which complaints a portal session opens.

A customer contact who logged in with a password sees their company's complaints
(`kesu.complaints.access`). One who came in through a signed link has a session limited to the
complaint of that link: every portal page asks `portal_complaint`, which refuses any other
number exactly as it refuses another customer's complaint (404, never 403).
"""

from django.db.models import QuerySet

from kesu.complaints.access import complaint_get_for_user, complaints_visible_to
from kesu.complaints.models import Complaint
from kesu.core.errors import NotFound

ONLY = "kesu_portal_only"


def session_limit(session) -> str | None:
    """The one complaint number a link session may open; None for a password login."""
    return session.get(ONLY)


def session_limit_to(session, number: str) -> None:
    session[ONLY] = number


def session_unlimit(session) -> None:
    session.pop(ONLY, None)


def portal_complaints(request) -> QuerySet[Complaint]:
    complaints = complaints_visible_to(request.user)
    only = session_limit(request.session)
    return complaints if only is None else complaints.filter(number=only)


def portal_complaint(request, number: str) -> Complaint:
    """The complaint if this session may open it; otherwise NotFound."""
    only = session_limit(request.session)
    if only is not None and number != only:
        raise NotFound()
    return complaint_get_for_user(request.user, number)
