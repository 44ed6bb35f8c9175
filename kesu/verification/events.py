"""Effect verification's event types on the complaint timeline (SPEC §5 step 7, §13)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kesu.complaints.events import Details, EventType, Payload, register
from kesu.masterdata.models import InspectionResult
from kesu.verification.models import Outcome


class Started(Payload):
    round: int
    implemented_on: str  # ISO day
    lots_required: int


class LotResult(Payload):
    lot_id: int
    lot: str  # the lot number at the time
    result: str  # InspectionResult
    defect: str = ""  # the defect code and name at the time
    same_defect: bool = False


class Recurred(Payload):
    lot_id: int
    lot: str
    defect: str = ""


class Overridden(Payload):
    round: int
    clean: int
    required: int
    printed_name: str
    content_hash: str


class OutcomeStep(Payload):
    outcome: str
    printed_name: str = ""


class Reminded(Payload):
    days: int


def _result(value: str) -> str:
    return str(dict(InspectionResult.choices).get(value, value))


def _outcome(value: str) -> str:
    return str(dict(Outcome.choices).get(value, value))


def _started_details(p: Started) -> Details:
    return [
        (_("Implemented on"), p.implemented_on),
        (_("Clean lots required"), str(p.lots_required)),
    ]


def _lot_details(p: LotResult) -> Details:
    rows = [(_("Lot"), p.lot), (_("Result"), _result(p.result))]
    if p.defect:
        rows.append((_("Defect"), p.defect))
    if p.result == InspectionResult.NG:
        rows.append((_("Same defect as the complaint"), _("Yes") if p.same_defect else _("No")))
    return rows


def _recurred_details(p: Recurred) -> Details:
    rows = [(_("Lot"), p.lot)]
    if p.defect:
        rows.append((_("Defect"), p.defect))
    return rows


def _override_details(p: Overridden) -> Details:
    return [
        (_("Clean lots"), _("%(clean)d of %(required)d") % {
            "clean": p.clean, "required": p.required}),
        (_("Signed by"), p.printed_name),
    ]


def _outcome_details(p: OutcomeStep) -> Details:
    rows = [(_("Outcome"), _outcome(p.outcome))]
    if p.printed_name:
        rows.append((_("Confirmed by"), p.printed_name))
    return rows


def _reminded_details(p: Reminded) -> Details:
    return [(_("Days since implementation"), str(p.days))]


VERIFICATION_STARTED = register(EventType(
    "verification_started", gettext_lazy("Effect verification started"), payload=Started,
    automatic=True, details=_started_details,
))
LOT_RESULT = register(EventType(
    "lot_checked", gettext_lazy("Delivered lot checked"), payload=LotResult,
    details=_lot_details,
))
RECURRED = register(EventType(
    "lot_recurred", gettext_lazy("Defect recurred on a delivered lot"),
    payload=Recurred, details=_recurred_details,
))
OVERRIDDEN = register(EventType(
    "close_early_approved", gettext_lazy("Closing before the clean lots approved"),
    payload=Overridden, details=_override_details,
))
OUTCOME_PROPOSED = register(EventType(
    "outcome_proposed", gettext_lazy("Verification outcome proposed"),
    payload=OutcomeStep, details=_outcome_details,
))
OUTCOME_CONFIRMED = register(EventType(
    "outcome_confirmed", gettext_lazy("Verification outcome confirmed"),
    payload=OutcomeStep, details=_outcome_details,
))
REMINDED = register(EventType(
    "no_lot_reminder", gettext_lazy("No lot delivered since implementation"),
    payload=Reminded, automatic=True, details=_reminded_details,
))


def started(complaint, *, at, round):
    return VERIFICATION_STARTED.record(complaint, at=at, payload=Started(
        round=round.number, implemented_on=round.implemented_on.isoformat(),
        lots_required=round.lots_required,
    ))


def lot_result(complaint, *, actor, at, lot, result, defect, same_defect):
    return LOT_RESULT.record(complaint, actor=actor, at=at, payload=LotResult(
        lot_id=lot.pk, lot=lot.number, result=result, defect=defect, same_defect=same_defect,
    ))


def recurred(complaint, *, actor, at, lot, defect, note=""):
    return RECURRED.record(complaint, actor=actor, at=at, note=note, payload=Recurred(
        lot_id=lot.pk, lot=lot.number, defect=defect,
    ))


def overridden(complaint, *, actor, at, round, clean, reason, signature):
    return OVERRIDDEN.record(complaint, actor=actor, at=at, note=reason, payload=Overridden(
        round=round.number, clean=clean, required=round.lots_required,
        printed_name=signature.printed_name, content_hash=signature.content_hash,
    ))


def outcome_proposed(complaint, *, actor, at, outcome, note):
    return OUTCOME_PROPOSED.record(
        complaint, actor=actor, at=at, note=note, payload=OutcomeStep(outcome=outcome)
    )


def outcome_confirmed(complaint, *, actor, at, outcome, printed_name):
    return OUTCOME_CONFIRMED.record(complaint, actor=actor, at=at, payload=OutcomeStep(
        outcome=outcome, printed_name=printed_name,
    ))


def reminded(complaint, *, at, days):
    return REMINDED.record(complaint, at=at, payload=Reminded(days=days))
