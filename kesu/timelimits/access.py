"""Who may read the on-time rates: management and those who see every complaint."""

from kesu.org.models import ROLES_SEEING_ALL, Role

REPORT_ROLES = ROLES_SEEING_ALL | {Role.DEPT_MANAGER, Role.RD_DIRECTOR, Role.SALES_MANAGER}


def can_see_on_time_rate(user) -> bool:
    return user.is_authenticated and (user.role in REPORT_ROLES or user.is_superuser)
