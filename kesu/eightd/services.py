"""Writing the 8D: editing a discipline, signing it, following the workflow, and freezing what
the customer is shown. Each write is one transaction with its event on the complaint timeline."""

from django.db import transaction
from django.utils.translation import gettext as _
from pydantic import ValidationError

from kesu.complaints.access import actors_of
from kesu.complaints.choices import Status
from kesu.complaints.locks import lock_complaint
from kesu.complaints.search import search_index
from kesu.complaints.workflow import Actor
from kesu.core import clock
from kesu.core.errors import NotAllowed, StaleVersion, ValidationFailed
from kesu.eightd import content as docs
from kesu.eightd import events
from kesu.eightd.models import (
    DISCIPLINES,
    CustomerVersion,
    Decision,
    Discipline,
    EightDReport,
    Purpose,
)
from kesu.eightd.profiles import profile_for, required_codes
from kesu.eightd.selectors import (
    SIGN_OFF,
    customer_document,
    discipline_hash,
    latest_version,
    report_view,
)
from kesu.org.models import Role, User
from kesu.signoff.models import Meaning, Signature
from kesu.signoff.services import content_hash, signature_check, signature_record
from kesu.timelimits import services as clocks
from kesu.timelimits.steps import eightd_step_type

MAX_NOTE = 20_000
# The plan is frozen while the customer looks at it; D6–D8 are written after acceptance.
EDITABLE_IN = frozenset({Status.ANALYSIS, Status.IMPLEMENTATION, Status.VERIFICATION})
EDITORS = frozenset({Actor.HANDLER, Actor.DEPT_MANAGER, Actor.TRACKER})
# Whoever may approve (sign off) a discipline; any editor may sign "reviewed" or "confirmed".
APPROVERS = frozenset({Actor.DEPT_MANAGER, Actor.TRACKER, Actor.PROCESS_OWNER})
UNCHANGED = object()


def can_edit_eightd(user, complaint) -> bool:
    return complaint.status in EDITABLE_IN and bool(actors_of(user, complaint) & EDITORS)


def signing_meanings(user, complaint) -> list[str]:
    """The meanings this user may sign with on this complaint's 8D now."""
    if complaint.status not in EDITABLE_IN:
        return []
    actors = actors_of(user, complaint)
    meanings = []
    if actors & EDITORS:
        meanings += [Meaning.REVIEWED, Meaning.CONFIRMED]
    if actors & APPROVERS:
        meanings.append(Meaning.APPROVED)
    return [m for m in Meaning.values if m in meanings]


def _problem_as_recorded(complaint) -> dict:
    """D2 starts from what intake recorded, so the team edits the customer's story rather than
    typing it again (SPEC §3: the customer never tells it twice); the rest of 5W2H is theirs."""
    d2 = docs.empty("d2")
    d2["what"] = complaint.description[: docs.TEXT_MAX].strip()
    if complaint.quantity_affected is not None:
        d2["how_many"] = str(complaint.quantity_affected)
    d2["repeat"] = complaint.is_repeat
    return d2


def eightd_create(*, complaint) -> EightDReport:
    """Every complaint gets its report when recorded, so edits are plain updates."""
    report = EightDReport.objects.create(complaint=complaint)
    Discipline.objects.bulk_create(
        Discipline(
            report=report,
            code=code,
            content=_problem_as_recorded(complaint) if code == "d2" else docs.empty(code),
        )
        for code in docs.CODES
    )
    return report


def _pydantic_errors(exc: ValidationError) -> list[str]:
    out = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error["loc"] if part != "__root__")
        message = error.get("ctx", {}).get("error") or error["msg"]
        out.append(f"{where}: {message}" if where else str(message))
    return out


def _clean_content(code: str, content) -> dict:
    try:
        return docs.dump(docs.parse(code, content))
    except ValidationError as exc:
        raise ValidationFailed(field_errors={code: _pydantic_errors(exc)}) from exc
    except (TypeError, ValueError) as exc:
        raise ValidationFailed(field_errors={code: [_("Not a valid %(d)s document.") % {
            "d": DISCIPLINES[code]}]}) from exc


def _has_nul(value) -> bool:
    # PostgreSQL cannot store NUL in text, nor in JSON strings.
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


# The disciplines whose words are in the complaint's search document (selectors.search_texts).
SEARCHED_DISCIPLINES = ("d4", "d7")


def _lock_for_edit(complaint) -> None:
    """Take the complaint's lock, the one the workflow holds while it checks the 8D gates and
    freezes the plan, and refuse if the complaint has moved on to a status without 8D edits
    meanwhile: an edit either lands before the gate reads the 8D or is told, never after the
    gate passed (D5 voided under a plan already with the customer)."""
    locked = lock_complaint(complaint.pk)
    if locked.status not in EDITABLE_IN:
        raise StaleVersion()


def _discipline(complaint, code: str) -> Discipline:
    if code not in DISCIPLINES:
        raise ValidationFailed(field_errors={"discipline": [_("Unknown 8D discipline.")]})
    return Discipline.objects.select_related("owner").get(report__complaint=complaint, code=code)


def discipline_update(
    *,
    actor: User,
    complaint,
    code: str,
    version: int,
    content=UNCHANGED,
    internal_note=UNCHANGED,
    owner=UNCHANGED,
) -> Discipline:
    """Write one discipline. An edit that changes the signed content leaves the earlier
    signatures in place but no longer valid (they signed another hash)."""
    if not can_edit_eightd(actor, complaint):
        raise NotAllowed(
            _(
                "The 8D can be edited by the handling team during analysis, "
                "implementation and verification."
            )
        )
    discipline = _discipline(complaint, code)
    values = {}
    if content is not UNCHANGED:
        if _has_nul(content):
            raise ValidationFailed(field_errors={code: [_("Null characters are not allowed.")]})
        values["content"] = _clean_content(code, content)
    if internal_note is not UNCHANGED:
        if not isinstance(internal_note, str) or "\x00" in internal_note:
            raise ValidationFailed(field_errors={"internal_note": [_("Enter text.")]})
        if len(internal_note) > MAX_NOTE:
            raise ValidationFailed(
                field_errors={"internal_note": [_("At most %(n)d characters.") % {"n": MAX_NOTE}]}
            )
        values["internal_note"] = internal_note.strip()
    if owner is not UNCHANGED:
        if owner is not None and (not owner.is_active or owner.role == Role.CUSTOMER):
            raise ValidationFailed(field_errors={"owner": [_("Choose an active staff member.")]})
        values["owner"] = owner
    changed = {k: v for k, v in values.items() if v != getattr(discipline, k)}
    if not changed:
        return discipline
    now = clock.now()
    before_hash = discipline_hash(complaint, discipline)
    with transaction.atomic():
        _lock_for_edit(complaint)
        updated = Discipline.objects.filter(pk=discipline.pk, version=version).update(
            version=version + 1, updated_at=now, updated_by=actor, **changed
        )
        if not updated:
            raise StaleVersion()
        discipline.refresh_from_db()
        invalidated = 0
        if "content" in changed:
            invalidated = Signature.objects.filter(
                subject=discipline.subject, content_hash=before_hash
            ).count()
        events.edited(
            complaint, actor=actor, at=now, code=code, fields=changed, invalidated=invalidated
        )
        if "content" in changed and code in SEARCHED_DISCIPLINES:
            search_index([complaint])
        if "owner" in changed:
            clocks.steps_assign(
                complaint=complaint,
                step_type=eightd_step_type(code),
                assignee=discipline.owner or _default_owner(complaint),
            )
    return discipline


def _default_owner(complaint):
    department = complaint.responsible_department
    return complaint.handler or (department.manager if department else None)


def discipline_sign(
    *, actor: User, complaint, code: str, password: str, meaning: str
) -> Signature:
    """Sign a discipline as it is now (21 CFR Part 11 §11.50, §11.70, §11.200)."""
    allowed = signing_meanings(actor, complaint)
    if not allowed:
        raise NotAllowed(_("Only the handling team may sign the 8D, while it is being worked on."))
    if meaning in Meaning.values and meaning not in allowed:
        raise NotAllowed(
            _("Approving is for the department manager, the tracker or the process owner.")
        )
    discipline = _discipline(complaint, code)
    problems = docs.problems(code, discipline.content)
    if problems:
        # D4 cannot be submitted without both causes, and so on: only complete records.
        raise ValidationFailed(
            _("%(discipline)s is not complete: %(missing)s.")
            % {"discipline": DISCIPLINES[code], "missing": "; ".join(str(p) for p in problems)}
        )
    now = clock.now()
    digest = discipline_hash(complaint, discipline)
    # Before the transaction: PBKDF2 is slow on purpose, and no edit or workflow step of this
    # complaint should wait on its lock meanwhile.
    signature_check(signer=actor, password=password, meaning=meaning, subject=discipline.subject)
    with transaction.atomic():
        _lock_for_edit(complaint)
        # Lock the row: nobody may edit between the hash and the signature.
        if not Discipline.objects.select_for_update().filter(
            pk=discipline.pk, version=discipline.version
        ).exists():
            raise StaleVersion()
        signature = signature_record(
            signer=actor, meaning=meaning, subject=discipline.subject, digest=digest
        )
        events.signed(
            complaint, actor=actor, at=now, code=code, meaning=meaning,
            printed_name=signature.printed_name, digest=digest,
        )
        if meaning == SIGN_OFF:
            clocks.steps_finish(complaint=complaint, step_type=eightd_step_type(code), now=now)
    return signature


# --- Following the workflow (kesu.eightd.lifecycle, inside the transition's transaction) -----


def eightd_on_transition(*, actor, complaint, transition, note: str, now):
    if transition.target == Status.ANALYSIS:
        _prefill_team(complaint)
        _start_clocks(complaint, now)
    if transition.waits_on_customer:
        # What the customer decides on is frozen as they are shown it.
        version_share(actor=actor, complaint=complaint, purpose=Purpose.PLAN, now=now)
    elif transition.decision:
        plan = latest_version(complaint, Purpose.PLAN)
        if plan is not None and not plan.decision:
            CustomerVersion.objects.filter(pk=plan.pk).update(
                decision=Decision(transition.decision),
                decided_at=now,
                decided_by=actor,
                reason=note,
            )


def _prefill_team(complaint) -> None:
    """D1 starts from who is on the complaint, so nobody types the team twice."""
    d1 = Discipline.objects.get(report__complaint=complaint, code="d1")
    if d1.version > 1:
        return
    department = complaint.responsible_department
    manager = department.manager if department else None
    people = [p for p in (complaint.handler, complaint.tracker, *complaint.team.all()) if p]
    members, seen = [], set()
    for person in people:
        if person.pk in seen:
            continue
        seen.add(person.pk)
        members.append({
            "name": str(person),
            "department": str(person.department or ""),
            "role": str(Role(person.role).label),
        })
    Discipline.objects.filter(pk=d1.pk).update(content=docs.dump(docs.D1(
        champion=str(manager or ""),
        leader=str(complaint.handler or complaint.tracker or ""),
        members=members,
    )))


def _start_clocks(complaint, now) -> None:
    """Each required discipline gets its due date from the customer's profile, counted from
    receipt (the customer's clock started when they told us). A later round (rejection,
    recurrence, reopening) restarts only what is not signed off, from now."""
    profile = profile_for(complaint.customer)
    view = report_view(complaint)
    for code in required_codes(complaint, profile):
        discipline = view[code]
        hours = profile.hours(code)
        if not hours or discipline.signed_off:
            continue
        if discipline.step is not None and discipline.step.done_at is None:
            continue
        clocks.steps_start_fixed(
            complaint=complaint,
            step_type=eightd_step_type(code),
            started_at=complaint.received_at if discipline.step is None else now,
            minutes=hours * 60,
            calendar=profile.calendar,
            assignee=discipline.owner,
        )


def eightd_steps_reassign(*, complaint) -> None:
    """Ownership of the complaint changed: discipline owners keep their steps."""
    for discipline in Discipline.objects.filter(report__complaint=complaint, owner__isnull=False):
        clocks.steps_assign(
            complaint=complaint,
            step_type=eightd_step_type(discipline.code),
            assignee=discipline.owner,
        )


# --- What the customer is shown ---------------------------------------------------------------


def version_share(*, actor, complaint, purpose: str, now) -> CustomerVersion:
    """Freeze the customer-visible 8D as shown now; to be called inside a transaction."""
    report = EightDReport.objects.select_for_update().get(complaint=complaint)
    snapshot = customer_document(report_view(complaint))
    last = report.versions.order_by("-number").values_list("number", flat=True).first() or 0
    return CustomerVersion.objects.create(
        report=report,
        number=last + 1,
        purpose=purpose,
        snapshot=snapshot,
        content_hash=content_hash(snapshot),
        shared_at=now,
        shared_by=actor,
    )


def eightd_send(*, actor, complaint, note: str = "") -> CustomerVersion:
    """Send the 8D as it is now to the customer: a frozen version and an event they see.
    The PDF and the mail follow on commit (kesu.eightd.export)."""
    from kesu.complaints.access import can_comment

    if not (actors_of(actor, complaint) & (EDITORS | {Actor.AGENT})) or not can_comment(
        actor, complaint
    ):
        raise NotAllowed(_("Only customer service and the handling team may send the 8D."))
    now = clock.now()
    with transaction.atomic():
        version = version_share(actor=actor, complaint=complaint, purpose=Purpose.REPORT, now=now)
        events.sent(
            complaint, actor=actor, at=now, version=version.number, note=note.strip()[:MAX_NOTE]
        )
    return version

