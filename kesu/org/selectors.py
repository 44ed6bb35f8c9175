"""Reads of the organisation."""

from django.db.models import QuerySet

from kesu.org.models import Role, User


def staff_users() -> QuerySet[User]:
    """Active people of the company: whom a complaint or an 8D discipline may be given to
    (customer contacts are users too, but never handle anything)."""
    return User.objects.filter(is_active=True).exclude(role=Role.CUSTOMER)
