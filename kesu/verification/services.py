"""Writes of effect verification. Each is one transaction under the complaint's row lock:
guard, compare-and-set on the round's version, a typed event, outbox rows (STYLE habit 2).
Passwords are checked before the transaction (STYLE habit 14)."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kesu.complaints.access import actors_of
from kesu.complaints.choices import Status
from kesu.complaints.locks import lock_complaint
from kesu.complaints.services import DEFAULT_VERIFICATION_LOTS, complaint_transition
from kesu.complaints.workflow import Action, Actor
from kesu.core import clock
from kesu.core.errors import InvalidTransition, NotAllowed, StaleVersion, ValidationFailed
from kesu.eightd.selectors import implemented_on
from kesu.masterdata.inspections import inspection_record
from kesu.masterdata.models import InspectionResult
from kesu.notifications.selectors import watchers
from kesu.notifications.services import Notice, notify
from kesu.org.models import Process, ProcessKind
from kesu.signoff.models import Meaning
from kesu.signoff.services import content_hash, signature_check, signature_record
from kesu.verification import events
from kesu.verification.models import Outcome, Round
from kesu.verification.selectors import candidate_lots, current_round, round_read, watched_rows

# Who records a delivered lot's result on the complaint (the same people who may report the
# recurrence it may show), who may approve closing before the clean lots, who proposes the
# outcome and who may confirm it (never the handler, never the proposer: Veeva's independent
# approver, IATF 16949 10.2.3 f).
RECORDERS = frozenset({Actor.TRACKER, Actor.QE, Actor.AGENT})
OVERRIDERS = frozenset({Actor.TRACKER, Actor.DEPT_MANAGER, Actor.PROCESS_OWNER})
PROPOSERS = frozenset({Actor.HANDLER, Actor.TRACKER, Actor.QE, Actor.DEPT_MANAGER})
CONFIRMERS = frozenset({Actor.TRACKER, Actor.QE, Actor.DEPT_MANAGER, Actor.PROCESS_OWNER})
# The step name a reminder names, translated in each recipient's language when rendered.
REMINDER_STEP = gettext_noop("A delivered lot after implementation")


def _today(now):
    return timezone.localdate(now)


def _require(actor, complaint, allowed, message) -> frozenset:
    actors = actors_of(actor, complaint)
    if not actors & allowed:
        raise NotAllowed(message)
    return actors


def _locked_round(complaint) -> tuple:
    """Lock the complaint; its open round, or a refusal when it is not in verification."""
    locked = lock_complaint(complaint.pk)
    round = current_round(locked)
    if locked.status != Status.VERIFICATION or round is None or not round.is_open:
        raise InvalidTransition(_("The complaint is not in effect verification."))
    return locked, round


def _write(round: Round, version: int, **fields) -> None:
    """Compare-and-set on the round's version: one row, or someone changed it meanwhile."""
    updated = Round.objects.filter(pk=round.pk, version=version, ended_at__isnull=True).update(
        version=version + 1, **fields
    )
    if not updated:
        raise StaleVersion()
    round.refresh_from_db()


def process_owner():
    process = (
        Process.objects.filter(kind=ProcessKind.COMPLAINT_HANDLING).select_related("owner").first()
    )
    return process.owner if process else None


# --- Following the workflow (kesu.verification.lifecycle, inside the transition) -------------


def verification_start(*, complaint, now) -> Round:
    """The complaint entered verification: watch the lots delivered from the implementation
    day on. N from the customer, else the severity (seed 000: 2–3 lots)."""
    previous = current_round(complaint)
    start = implemented_on(complaint) or _today(now)
    if previous is not None and previous.ended_at:
        # After a recurrence, only lots delivered since the defect came back count.
        start = max(start, _today(previous.ended_at))
    required = complaint.customer.verification_lots or DEFAULT_VERIFICATION_LOTS.get(
        complaint.severity, 3
    )
    round = Round.objects.create(
        complaint=complaint,
        number=(previous.number + 1) if previous else 1,
        started_at=now,
        implemented_on=start,
        lots_required=required,
        remind_on=start + timedelta(days=settings.KESU_VERIFICATION_REMINDER_DAYS),
    )
    events.started(complaint, at=now, round=round)
    return round


def verification_end(*, complaint, now) -> None:
    """The complaint left verification (closed, recurred, cancelled): the round ends."""
    Round.objects.filter(complaint=complaint, ended_at__isnull=True).update(
        ended_at=now, remind_on=None
    )


# --- Results of delivered lots ---------------------------------------------------------------


def verification_record_result(
    *, actor, complaint, lot, side, result, defect_code=None, quantity_checked,
    quantity_bad=0, inspected_on, note="", same_defect: bool = False,
) -> Round:
    """Record a watched lot's inspection result. An NG lot with the complaint's defect (its
    defect code, or the recorder says it is the same) reopens the complaint as a recurrence."""
    _require(actor, complaint, RECORDERS, _("Only quality or customer service may record "
                                            "the result of a delivered lot."))
    now = clock.now()
    with transaction.atomic():
        locked, round = _locked_round(complaint)
        if lot.pk not in {row.lot.pk for row in watched_rows(locked, round)}:
            raise ValidationFailed(field_errors={"lot": [
                _("This lot is not one of the lots this verification watches.")
            ]})
        inspection = inspection_record(
            actor=actor, lot=lot, side=side, result=result, defect_code=defect_code,
            quantity_checked=quantity_checked, quantity_bad=quantity_bad,
            inspected_on=inspected_on, note=note,
        )
        same = result == InspectionResult.NG and (
            bool(same_defect)
            or bool(locked.defect_code_id and inspection.defect_code_id == locked.defect_code_id)
        )
        events.lot_result(
            locked, actor=actor, at=now, lot=lot, result=result,
            defect=str(inspection.defect_code or ""), same_defect=same,
        )
        if same:
            _recur(actor=actor, complaint=locked, round=round, lot=lot, inspection=inspection,
                   now=now, note=note)
        else:
            _write(round, round.version, remind_on=None)
    return round


def _recur(*, actor, complaint, round, lot, inspection, now, note="") -> None:
    """The defect came back on a delivered lot: the workflow's recurrence step (verification →
    analysis, counted in recurrence_count), linked to the lot, told to those who act on it."""
    defect = str(inspection.defect_code or complaint.defect_code or "")
    text = note or _("Lot %(lot)s: %(bad)d of %(checked)d parts NG%(defect)s.") % {
        "lot": lot.number, "bad": inspection.quantity_bad,
        "checked": inspection.quantity_checked, "defect": f" ({defect})" if defect else "",
    }
    # Ends the round (the participant's transitioned hook) inside this transaction.
    complaint_transition(
        actor=actor, complaint=complaint, action=Action.REPORT_RECURRENCE,
        version=complaint.version, data={"note": text},
    )
    Round.objects.filter(pk=round.pk).update(recurred_lot=lot, version=round.version + 1)
    event = events.recurred(complaint, actor=actor, at=now, lot=lot, defect=defect, note=text)
    # The step's own notice reaches the watchers (handler, tracker…); the process owner, who
    # answers for the recurrence rate (seed 000), hears of it too, and nobody twice.
    told = set(watchers(complaint)) - {actor}
    people = [complaint.tracker, complaint.handler, process_owner()]
    recipients = list(dict.fromkeys(p for p in people if p is not None and p not in told))
    if recipients:
        notify([Notice(
            kind="status_changed",
            event_key=f"verification:recurred:{event.pk}",
            recipients=recipients,
            complaint=complaint,
            context={"action": Action.REPORT_RECURRENCE, "status": Status.ANALYSIS,
                     "note": text},
        )])


def verification_check_lots(*, complaint) -> bool:
    """Act on results that arrived by import or API: an NG lot with the complaint's defect code
    reports the recurrence. Called by the periodic sweep (and may be called by the lots service
    after an import); idempotent: the round ends, so a second call finds nothing. The step is
    taken in the tracker's name (the QE who answers for it); the result's recorder, if known,
    is the actor of the recurrence event."""
    if not complaint.defect_code_id or complaint.tracker is None:
        return False
    view = round_read(complaint)
    if view.round is None or not view.round.is_open:
        return False
    hit = next((row for row in view.rows if view.same_defect(row)), None)
    if hit is None:
        return False
    now = clock.now()
    with transaction.atomic():
        try:
            locked, round = _locked_round(complaint)
        except InvalidTransition:
            return False
        if round.pk != view.round.pk:
            return False
        _recur(actor=complaint.tracker, complaint=locked, round=round, lot=hit.lot,
               inspection=hit.inspection, now=now)
    return True


# --- Closing before the clean lots: a signed approval ----------------------------------------


def verification_override(*, actor, complaint, reason: str, password: str) -> Round:
    """Approve closing before N clean lots, with a reason, signed with the password (21 CFR
    Part 11 §11.200, as for the 8D)."""
    _require(actor, complaint, OVERRIDERS, _("Only the tracker, the department manager or the "
                                             "process owner may approve closing early."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(field_errors={"reason": [_("Say why it may close early.")]})
    round = current_round(complaint)
    subject = f"verification.override:{round.pk if round else 0}"
    signature_check(signer=actor, password=password, meaning=Meaning.APPROVED, subject=subject)
    now = clock.now()
    with transaction.atomic():
        locked, round = _locked_round(complaint)
        view = round_read(locked)
        if round.override_signature_id:
            raise InvalidTransition(_("Closing early is already approved."))
        if view.lots_ready:
            raise InvalidTransition(_("The clean lots are all in: no approval is needed."))
        digest = content_hash({
            "complaint": locked.number, "round": round.number, "reason": reason,
            "required": round.lots_required,
            "lots": [[row.lot.number, row.result] for row in view.rows],
        })
        signature = signature_record(
            signer=actor, meaning=Meaning.APPROVED, subject=f"verification.override:{round.pk}",
            digest=digest,
        )
        _write(round, round.version, override_reason=reason, override_signature=signature)
        events.overridden(
            locked, actor=actor, at=now, round=round, clean=view.clean, reason=reason,
            signature=signature,
        )
    return round


# --- The outcome -----------------------------------------------------------------------------


def verification_propose_outcome(*, actor, complaint, outcome: str, note: str = "") -> Round:
    _require(actor, complaint, PROPOSERS, _("Only the handling team or quality may propose "
                                            "the outcome."))
    if outcome not in Outcome.values:
        raise ValidationFailed(field_errors={"outcome": [_("Choose an outcome.")]})
    now = clock.now()
    with transaction.atomic():
        locked, round = _locked_round(complaint)
        if round.outcome_confirmed_at:
            raise InvalidTransition(_("The outcome is already confirmed."))
        _write(round, round.version, outcome=outcome, outcome_note=(note or "").strip(),
               outcome_proposed_by=actor, outcome_proposed_at=now)
        events.outcome_proposed(locked, actor=actor, at=now, outcome=outcome, note=note or "")
    return round


def verification_confirm_outcome(*, actor, complaint, version: int, password: str) -> Round:
    """Confirm the proposed outcome with an electronic signature. Someone other than the handler
    and other than the proposer; `version` is the round as the confirmer read it, so a changed
    proposal (or a second confirmation at the same moment) is refused, not confirmed blind."""
    actors = _require(actor, complaint, CONFIRMERS, _("Only quality, the department manager or "
                                                      "the process owner may confirm."))
    if Actor.HANDLER in actors or complaint.handler_id == actor.pk:
        raise NotAllowed(_("The handler may not confirm the outcome of their own actions."))
    round = current_round(complaint)
    if round is None or not round.outcome:
        raise InvalidTransition(_("No outcome has been proposed yet."))
    if round.outcome_proposed_by_id == actor.pk:
        raise NotAllowed(_("Someone other than the proposer confirms the outcome."))
    subject = f"verification.outcome:{round.pk}"
    signature_check(signer=actor, password=password, meaning=Meaning.CONFIRMED, subject=subject)
    now = clock.now()
    with transaction.atomic():
        locked, round = _locked_round(complaint)
        if round.version != version or round.outcome_confirmed_at:
            raise StaleVersion()
        if round.outcome_proposed_by_id == actor.pk:
            raise NotAllowed(_("Someone other than the proposer confirms the outcome."))
        signature = signature_record(
            signer=actor, meaning=Meaning.CONFIRMED, subject=subject,
            digest=content_hash({"complaint": locked.number, "round": round.number,
                                 "outcome": round.outcome, "note": round.outcome_note}),
        )
        _write(round, version, outcome_confirmed_by=actor, outcome_confirmed_at=now)
        events.outcome_confirmed(
            locked, actor=actor, at=now, outcome=round.outcome,
            printed_name=signature.printed_name,
        )
    return round


# --- No lot for too long: a reminder ---------------------------------------------------------


def verification_remind(*, round: Round, now) -> bool:
    """Remind the tracker and handler once that no lot has come since implementation; a round
    with a lot by now is only cleared. Claimed by compare-and-set: safe with several sweeps."""
    complaint = round.complaint
    with transaction.atomic():
        claimed = Round.objects.filter(
            pk=round.pk, version=round.version, remind_on__isnull=False, ended_at__isnull=True
        ).update(remind_on=None, reminded_at=now, version=round.version + 1)
        if not claimed:
            return False
        if candidate_lots(complaint, round).exists():
            Round.objects.filter(pk=round.pk).update(reminded_at=None)
            return False
        days = (_today(now) - round.implemented_on).days
        event = events.reminded(complaint, at=now, days=days)
        recipients = [p for p in (complaint.tracker, complaint.handler) if p is not None]
        if recipients:
            notify([Notice(
                kind="overdue",
                event_key=f"verification:reminder:{event.pk}",
                recipients=list(dict.fromkeys(recipients)),
                complaint=complaint,
                context={"step": REMINDER_STEP},
            )])
    return True


def abilities(user, complaint, view) -> dict:
    """What the card offers this user (a read: the services judge again when asked)."""
    actors = actors_of(user, complaint)
    round = view.round
    open_ = (
        round is not None and round.is_open and complaint.status == Status.VERIFICATION
    )
    confirmed = bool(round and round.outcome_confirmed_at)
    return {
        "record": open_ and bool(actors & RECORDERS),
        "override": open_ and bool(actors & OVERRIDERS) and not view.lots_ready
        and not view.overridden,
        "propose": open_ and bool(actors & PROPOSERS) and not confirmed,
        "confirm": open_ and bool(actors & CONFIRMERS) and bool(round.outcome) and not confirmed
        and Actor.HANDLER not in actors and complaint.handler_id != user.pk
        and round.outcome_proposed_by_id != user.pk,
    }
