"""Editing the 8D report of a complaint."""

from django.db import transaction
from django.utils.translation import gettext as _

from kesu.complaints.access import actors_of
from kesu.complaints.choices import EventType, Status
from kesu.complaints.models import ComplaintEvent
from kesu.complaints.workflow import Actor
from kesu.core import clock
from kesu.core.errors import NotAllowed, StaleVersion, ValidationFailed
from kesu.eightd.models import DISCIPLINES, EightDReport
from kesu.timelimits.services import steps_containment_done

MAX_DISCIPLINE_TEXT = 20_000
# The plan is frozen while the customer looks at it; D6–D8 are written after acceptance.
EDITABLE_IN = frozenset({Status.ANALYSIS, Status.IMPLEMENTATION, Status.VERIFICATION})
EDITORS = frozenset({Actor.HANDLER, Actor.DEPT_MANAGER, Actor.TRACKER})


def can_edit_eightd(user, complaint) -> bool:
    return complaint.status in EDITABLE_IN and bool(actors_of(user, complaint) & EDITORS)


def eightd_create(*, complaint) -> EightDReport:
    """Every complaint gets its (empty) report when recorded, so edits are plain updates."""
    return EightDReport.objects.create(complaint=complaint)


def eightd_update(*, actor, complaint, version: int, data: dict) -> EightDReport:
    if not can_edit_eightd(actor, complaint):
        raise NotAllowed(
            _(
                "The 8D can be edited by the handling team during analysis, "
                "implementation and verification."
            )
        )
    errors = {}
    values = {}
    for key in DISCIPLINES:
        if key not in data:
            continue
        text = data[key]
        if not isinstance(text, str):
            errors[key] = [_("Enter text.")]
        elif "\x00" in text:
            # PostgreSQL cannot store NUL; forms refuse it with the same words.
            errors[key] = [_("Null characters are not allowed.")]
        elif len(text) > MAX_DISCIPLINE_TEXT:
            errors[key] = [_("At most %(n)d characters.") % {"n": MAX_DISCIPLINE_TEXT}]
        else:
            values[key] = text.strip()
    unknown = set(data) - set(DISCIPLINES)
    for key in unknown:
        errors[key] = [_("Unknown 8D discipline.")]
    if errors:
        raise ValidationFailed(field_errors=errors)
    now = clock.now()
    with transaction.atomic():
        updated = EightDReport.objects.filter(complaint=complaint, version=version).update(
            version=version + 1, updated_at=now, **values
        )
        if not updated:
            raise StaleVersion()
        ComplaintEvent.objects.create(
            complaint=complaint,
            type=EventType.EIGHTD_UPDATED,
            actor=actor,
            at=now,
            payload={"disciplines": sorted(values)},
        )
        if values.get("d3"):
            # Containment actions are written down: the containment step's clock stops.
            steps_containment_done(complaint=complaint, now=now)
    return EightDReport.objects.get(complaint=complaint)
