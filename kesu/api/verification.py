"""Effect verification over HTTP (SPEC §5 step 7): the lots a complaint watches with their
results, recording a result, the signed approval to close early, and the outcome. Rules live in
kesu.verification.services."""

from datetime import date, datetime
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from kesu.api.errors import errors
from kesu.api.schemas import Input
from kesu.complaints.access import complaint_get_for_user
from kesu.core.bounds import Day, DbInt
from kesu.core.errors import NotAllowed, ValidationFailed
from kesu.masterdata.models import DefectCode
from kesu.verification import services
from kesu.verification.selectors import closure_problems, round_read

router = Router(tags=["Effect verification"])


class LotOut(Schema):
    number: str
    product: str = Field(description="Product code.")
    delivery_date: date | None
    quantity: int
    result: str | None = Field(description="ok, ng, or null while no result is recorded.")
    side: str | None = Field(description="customer (incoming) or outgoing: whose result it is.")
    defect_code: str | None
    quantity_checked: int | None
    quantity_bad: int | None


class VerificationOut(Schema):
    round: int | None = Field(description="The verification round; null before verification.")
    version: int | None = Field(description="Send it back when confirming the outcome.")
    implemented_on: date | None = Field(description="Lots delivered from this day on count.")
    lots_required: int
    clean_lots: int
    lots: list[LotOut]
    lots_ready: bool = Field(description="The required clean lots are in.")
    recurred_on_lot: str | None
    override_reason: str
    override_signed_by: str | None
    outcome: str = Field(description="effective, not_effective, inconclusive or empty.")
    outcome_note: str
    outcome_proposed_by: str | None = Field(description="Printed name.")
    outcome_confirmed_by: str | None = Field(description="Printed name.")
    outcome_confirmed_at: datetime | None
    problems: list[str] = Field(description="What closing still needs from verification.")


class ResultIn(Input):
    lot: str = Field(max_length=50, description="Lot number of a watched lot.")
    side: Literal["customer", "outgoing"] = "customer"
    result: Literal["ok", "ng"]
    defect_code: str | None = Field(None, max_length=30)
    quantity_checked: DbInt
    quantity_bad: DbInt = 0
    inspected_on: Day
    note: str = Field("", max_length=500)
    same_defect: bool = Field(False, description="NG with the complaint's defect even if the "
                                                 "code differs: reopens it as a recurrence.")


class OverrideIn(Input):
    reason: str = Field(max_length=2000)
    password: str = Field(max_length=200, description="Your password, asked again to sign.")


class OutcomeIn(Input):
    outcome: Literal["effective", "not_effective", "inconclusive"]
    note: str = Field("", max_length=2000)


class ConfirmIn(Input):
    version: DbInt = Field(description="The round's version as you read it.")
    password: str = Field(max_length=200, description="Your password, asked again to sign.")


def _staff_complaint(request, number):
    user = request.auth
    complaint = complaint_get_for_user(user, number)
    if user.is_customer:
        raise NotAllowed(_("Effect verification is for the staff."))
    return user, complaint


def _name(user) -> str | None:
    return (user.display_name or user.get_full_name() or user.username) if user else None


def _out(complaint) -> dict:
    view = round_read(complaint)
    r = view.round
    lots = [
        {
            "number": row.lot.number,
            "product": row.lot.product.code,
            "delivery_date": row.lot.delivery_date,
            "quantity": row.lot.quantity,
            "result": row.result,
            "side": row.inspection.side if row.inspection else None,
            "defect_code": row.inspection.defect_code.code
            if row.inspection and row.inspection.defect_code else None,
            "quantity_checked": row.inspection.quantity_checked if row.inspection else None,
            "quantity_bad": row.inspection.quantity_bad if row.inspection else None,
        }
        for row in view.rows
    ]
    open_ = r is not None and r.is_open
    return {
        "round": r.number if r else None,
        "version": r.version if r else None,
        "implemented_on": r.implemented_on if r else None,
        "lots_required": view.required,
        "clean_lots": view.clean,
        "lots": lots,
        "lots_ready": view.lots_ready,
        "recurred_on_lot": r.recurred_lot.number if r and r.recurred_lot else None,
        "override_reason": r.override_reason if r else "",
        "override_signed_by": r.override_signature.printed_name
        if r and r.override_signature else None,
        "outcome": r.outcome if r else "",
        "outcome_note": r.outcome_note if r else "",
        "outcome_proposed_by": _name(r.outcome_proposed_by) if r else None,
        "outcome_confirmed_by": _name(r.outcome_confirmed_by) if r else None,
        "outcome_confirmed_at": r.outcome_confirmed_at if r else None,
        "problems": [str(p) for p in closure_problems(complaint)] if open_ else [],
    }


@router.get(
    "/complaints/{number}/verification", response={200: VerificationOut, **errors(401, 403, 404)}
)
def read_verification(request, number: str):
    """The lots delivered after implementation that the complaint watches, with their results,
    and what closing still needs."""
    _user, complaint = _staff_complaint(request, number)
    return _out(complaint)


@router.post(
    "/complaints/{number}/verification/results",
    response={200: VerificationOut, **errors(401, 403, 404, 409, 422)},
)
def record_result(request, number: str, payload: ResultIn):
    """Record a watched lot's inspection result. An NG result with the complaint's defect
    reopens it as a recurrence (back to analysis)."""
    user, complaint = _staff_complaint(request, number)
    view = round_read(complaint)
    lot = next((row.lot for row in view.rows if row.lot.number == payload.lot), None)
    if lot is None:
        raise ValidationFailed(field_errors={"lot": [
            _("This lot is not one of the lots this verification watches.")
        ]})
    defect = None
    if payload.defect_code:
        defect = DefectCode.objects.filter(code=payload.defect_code).first()
        if defect is None:
            raise ValidationFailed(field_errors={"defect_code": [_("Unknown defect code.")]})
    services.verification_record_result(
        actor=user, complaint=complaint, lot=lot, side=payload.side, result=payload.result,
        defect_code=defect, quantity_checked=payload.quantity_checked,
        quantity_bad=payload.quantity_bad, inspected_on=payload.inspected_on,
        note=payload.note, same_defect=payload.same_defect,
    )
    return _out(complaint)


@router.post(
    "/complaints/{number}/verification/override",
    response={200: VerificationOut, **errors(401, 403, 404, 409, 422)},
)
def override(request, number: str, payload: OverrideIn):
    """Approve closing before the clean lots are in, with a reason, signed with your password."""
    user, complaint = _staff_complaint(request, number)
    services.verification_override(
        actor=user, complaint=complaint, reason=payload.reason, password=payload.password
    )
    return _out(complaint)


@router.post(
    "/complaints/{number}/verification/outcome",
    response={200: VerificationOut, **errors(401, 403, 404, 409, 422)},
)
def propose_outcome(request, number: str, payload: OutcomeIn):
    """Propose the outcome: effective, not effective or inconclusive."""
    user, complaint = _staff_complaint(request, number)
    services.verification_propose_outcome(
        actor=user, complaint=complaint, outcome=payload.outcome, note=payload.note
    )
    return _out(complaint)


@router.post(
    "/complaints/{number}/verification/outcome/confirmation",
    response={200: VerificationOut, **errors(401, 403, 404, 409, 422)},
)
def confirm_outcome(request, number: str, payload: ConfirmIn):
    """Confirm the proposed outcome with your signature: not the handler, not the proposer."""
    user, complaint = _staff_complaint(request, number)
    services.verification_confirm_outcome(
        actor=user, complaint=complaint, version=payload.version, password=payload.password
    )
    return _out(complaint)
