"""The business rules on the rows of the complaint workflow (`kesu.complaints.workflow`):
guards refuse a step with a translated message, effects return the fields it writes. Each takes
the `Step` being taken; none writes anything itself."""

from django.db.models import F
from django.utils.translation import gettext as _

from kesu.complaints.choices import Category
from kesu.core.errors import InvalidTransition, ValidationFailed
from kesu.core.workflow import Step
from kesu.org.models import Role

# --- Guards -----------------------------------------------------------------------------------


def tracker_is_qe(step: Step) -> None:
    """Seed 000: every quality-exception complaint is tracked by Quality."""
    complaint = step.subject
    tracker = step.inputs.get("tracker") or complaint.tracker
    if complaint.category == Category.QUALITY and (tracker is None or tracker.role != Role.QE):
        message = _("A quality complaint needs a quality engineer as tracker.")
        raise ValidationFailed(field_errors={"tracker": [message]})


def has_qe_tracker(complaint) -> None:
    """SPEC §5: a quality complaint cannot leave assessment without a QE as tracker. A check of
    the QE_TRACKER gate: it judges the complaint alone, so the page can ask it beforehand."""
    if complaint.category == Category.QUALITY and complaint.tracker_id is None:
        raise InvalidTransition(_("A quality complaint cannot be dispatched without a QE tracker."))


def handler_in_department(step: Step) -> None:
    """The handler works in the responsible department: the one chosen in this step, else the
    complaint's."""
    handler = step.inputs.get("handler")
    department = step.inputs.get("responsible_department")
    department_id = department.pk if department else step.subject.responsible_department_id
    if handler is not None and handler.department_id != department_id:
        message = _("The handler must belong to the responsible department.")
        raise ValidationFailed(field_errors={"handler": [message]})


def due_in_future(step: Step) -> None:
    due = step.inputs.get("dispatch_due_at")
    if due and due <= step.now:
        raise ValidationFailed(
            field_errors={"dispatch_due_at": [_("The due time must be in the future.")]}
        )


# --- Effects ----------------------------------------------------------------------------------


def set_owners(step: Step) -> dict:
    """Assessed valid: the responsible department, its handler, the tracker and the team."""
    return {
        "is_valid": True,
        "responsible_department": step.inputs["responsible_department"],
        "handler": step.inputs.get("handler"),
        "tracker": step.inputs.get("tracker") or step.subject.tracker,
        "team": step.inputs.get("team") or [],
    }


def set_handler(step: Step) -> dict:
    handler = step.inputs.get("handler")
    return {"handler": handler} if handler is not None else {}


def set_department(step: Step) -> dict:
    department = step.inputs.get("responsible_department")
    return {"responsible_department": department} if department else {}


def mark_invalid(step: Step) -> dict:
    return {"is_valid": False, "closed_at": step.now}


def mark_closed(step: Step) -> dict:
    return {"closed_at": step.now}


def mark_cancelled(step: Step) -> dict:
    return {"closed_at": step.now, "info_requested_at": None}


def mark_reopened(step: Step) -> dict:
    return {"closed_at": None, "is_valid": None, "reopen_count": F("reopen_count") + 1}


def count(field: str):
    """An effect that counts one more round in `field` (plan rejections, recurrences)."""

    def effect(step: Step) -> dict:
        return {field: F(field) + 1}

    effect.__name__ = f"count_{field}"
    return effect
