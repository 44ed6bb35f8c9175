"""Recording an inspection result on a lot (issue 13): the customer's incoming inspection or our
outgoing one, one row per lot and side. Kept small on purpose: effect verification calls it
when the QE records a result on the complaint page; the lots import and API write the same rows.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kesu.core import clock
from kesu.core.errors import ValidationFailed
from kesu.masterdata.models import Inspection, InspectionResult, InspectionSide


def inspection_record(
    *, actor, lot, side, result, defect_code, quantity_checked, quantity_bad, inspected_on,
    note="",
) -> Inspection:
    """Write the lot's result on that side, replacing an earlier one (upsert by lot and side)."""
    errors = {}
    if side not in InspectionSide.values:
        errors["side"] = [_("Choose the customer's or our outgoing inspection.")]
    if result not in InspectionResult.values:
        errors["result"] = [_("Choose OK or NG.")]
    if quantity_checked is None or quantity_checked < 1:
        errors["quantity_checked"] = [_("At least one part must have been checked.")]
    elif quantity_bad is not None and not 0 <= quantity_bad <= quantity_checked:
        errors["quantity_bad"] = [_("The bad parts cannot exceed the parts checked.")]
    if result == InspectionResult.NG and not quantity_bad:
        errors.setdefault("quantity_bad", [_("An NG result names how many parts were bad.")])
    if result == InspectionResult.OK and quantity_bad:
        errors.setdefault("quantity_bad", [_("An OK result has no bad parts.")])
    if inspected_on is None or inspected_on > timezone.localdate(clock.now()):
        errors["inspected_on"] = [_("The inspection day cannot be in the future.")]
    if errors:
        raise ValidationFailed(field_errors=errors)
    with transaction.atomic():
        inspection, _created = Inspection.objects.update_or_create(
            lot=lot,
            side=side,
            defaults={
                "result": result,
                "defect_code": defect_code if result == InspectionResult.NG else None,
                "quantity_checked": quantity_checked,
                "quantity_bad": quantity_bad or 0,
                "inspected_on": inspected_on,
                "note": note,
                "recorded_by": actor,
                "recorded_at": clock.now(),
            },
        )
    return inspection
