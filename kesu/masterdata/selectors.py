"""Reads of lots for staff (SPEC §2, §5 step 7): the lot page and the API."""

from kesu.core.errors import NotFound
from kesu.masterdata.models import Inspection, Lot


def may_view_lots(user) -> bool:
    """Staff of any role; customer contacts see lots only with their own complaints."""
    return user.is_authenticated and user.is_active and not getattr(user, "is_customer", True)


def lot_get(user, number: str) -> Lot:
    """The lot with its product and customer; NotFound for an unknown number or a user who may
    not see lots (both alike)."""
    if not may_view_lots(user) or not isinstance(number, str) or "\x00" in number:
        raise NotFound()
    lot = Lot.objects.select_related("product", "customer").filter(number=number).first()
    if lot is None:
        raise NotFound()
    return lot


def lot_inspections(lot: Lot) -> list[Inspection]:
    """The lot's inspection results, the customer's incoming inspection first."""
    return list(
        Inspection.objects.filter(lot=lot)
        .select_related("defect_code", "recorded_by")
        .order_by("side")
    )
