"""The structured 8D over HTTP (SPEC §7, §13): read it, write one discipline, sign one, and read
the versions the customer was shown. Rules live in kesu.eightd.services."""

from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from pydantic import create_model

from kesu.api.errors import errors
from kesu.api.schemas import Input
from kesu.complaints.access import complaint_get_for_user
from kesu.core.bounds import DbInt
from kesu.core.errors import NotAllowed, NotFound, ValidationFailed
from kesu.eightd import content as docs
from kesu.eightd.models import DISCIPLINES
from kesu.eightd.selectors import customer_versions, report_view
from kesu.eightd.services import (
    MAX_NOTE,
    UNCHANGED,
    can_edit_eightd,
    discipline_sign,
    discipline_update,
    signing_meanings,
)
from kesu.org.models import User

router = Router(tags=["8D"])


class SignatureOut(Schema):
    printed_name: str
    meaning: str = Field(description="reviewed, approved or confirmed.")
    signed_at: datetime
    content_hash: str = Field(description="SHA-256 of the signed content.")
    valid: bool = Field(description="False once the discipline was edited after signing.")


class DisciplineOut(Schema):
    code: str
    label: str
    required: bool = Field(description="Part of the form this complaint needs (full or short).")
    version: int = Field(description="Send it back when writing this discipline.")
    content: dict[str, Any] = Field(description="The discipline's document: see D1Content…")
    internal_note: str
    owner: str | None = Field(description="Username of the discipline's owner.")
    due_at: datetime | None = Field(description="From the customer's 8D profile.")
    problems: list[str] = Field(description="What is missing before it can be signed.")
    complete: bool
    signed_off: bool = Field(description="Approved, and not edited since.")
    needs_new_signature: bool
    signatures: list[SignatureOut]


class ReportOut(Schema):
    form: str = Field(description="full (D1–D8) or short (D2, D4, D5).")
    editable: bool
    signing_meanings: list[str] = Field(description="Meanings you may sign with now.")
    disciplines: list[DisciplineOut]


class SignIn(Input):
    password: str = Field(max_length=200, description="Your password, asked again to sign.")
    meaning: str = Field(description="reviewed, approved or confirmed.")


class VersionOut(Schema):
    number: int
    purpose: str = Field(description="plan (for confirmation) or report (8D sent).")
    shared_at: datetime
    shared_by: str
    decision: str = Field(description="accepted, rejected, or empty while undecided.")
    decided_at: datetime | None
    reason: str
    content_hash: str


class VersionDetailOut(VersionOut):
    snapshot: dict[str, Any] = Field(description="Exactly what the customer was shown.")


def _staff_complaint(request, number):
    user = request.auth
    complaint = complaint_get_for_user(user, number)
    if user.is_customer:
        raise NotAllowed(_("Customers read the versions of the 8D shared with them."))
    return user, complaint


def _discipline_out(d) -> dict:
    return {
        "code": d.code,
        "label": str(d.label),
        "required": d.required,
        "version": d.discipline.version,
        "content": d.content,
        "internal_note": d.discipline.internal_note,
        "owner": d.owner.username if d.owner else None,
        "due_at": d.due_at,
        "problems": [str(p) for p in d.problems],
        "complete": d.complete,
        "signed_off": d.signed_off,
        "needs_new_signature": d.needs_new_signature,
        "signatures": [s.as_dict() for s in d.signatures],
    }


@router.get("/complaints/{number}/8d", response={200: ReportOut, **errors(401, 403, 404)})
def read_eightd(request, number: str):
    """The live 8D for the staff who may see the complaint."""
    user, complaint = _staff_complaint(request, number)
    view = report_view(complaint)
    return {
        "form": view.form,
        "editable": can_edit_eightd(user, complaint),
        "signing_meanings": signing_meanings(user, complaint),
        "disciplines": [_discipline_out(d) for d in view.disciplines],
    }


def _owner(username):
    if username is UNCHANGED or username is None:
        return username
    owner = User.objects.filter(username=username, is_active=True).first()
    if owner is None:
        raise ValidationFailed(field_errors={"owner": [_("No such active user.")]})
    return owner


def _register_write(code: str, document: type) -> None:
    payload_class = create_model(
        f"{code.upper()}In",
        __base__=Input,
        __doc__=f"Write {code.upper()}: send the discipline's `version` and what changes "
        "(`content` replaces the whole document). `owner` is a username, or null to clear it.",
        version=(DbInt, ...),
        content=(document | None, None),
        internal_note=(str | None, Field(None, max_length=MAX_NOTE)),
        owner=(str | None, None),
    )

    @router.put(
        f"/complaints/{{number}}/8d/{code}",
        response={200: DisciplineOut, **errors(401, 403, 404, 409, 422)},
        operation_id=f"write_eightd_{code}",
        summary=f"Write {code.upper()}",
    )
    def write(request, number: str, payload: payload_class):
        user, complaint = _staff_complaint(request, number)
        sent = payload.model_dump(exclude_unset=True, by_alias=True)
        discipline_update(
            actor=user,
            complaint=complaint,
            code=code,
            version=payload.version,
            content=sent["content"] if sent.get("content") is not None else UNCHANGED,
            internal_note=(
                sent["internal_note"] if sent.get("internal_note") is not None else UNCHANGED
            ),
            owner=_owner(sent["owner"]) if "owner" in sent else UNCHANGED,
        )
        return _discipline_out(report_view(complaint)[code])


for _code, _document in docs.CONTENT.items():
    _register_write(_code, _document)


@router.post(
    "/complaints/{number}/8d/{code}/signatures",
    response={201: SignatureOut, **errors(401, 403, 404, 409, 422)},
)
def sign_eightd(request, number: str, code: str, payload: SignIn):
    """Sign one discipline as it is now (21 CFR Part 11): your password again and what your
    signature means. Only a complete discipline can be signed; an approval signs it off."""
    user, complaint = _staff_complaint(request, number)
    if code not in DISCIPLINES:
        raise NotFound()
    discipline_sign(
        actor=user, complaint=complaint, code=code, password=payload.password,
        meaning=payload.meaning,
    )
    signature = report_view(complaint)[code].signatures[-1]
    return Status(201, signature.as_dict())


def _version_out(version, *, detail=False) -> dict:
    out = {
        "number": version.number,
        "purpose": version.purpose,
        "shared_at": version.shared_at,
        "shared_by": str(version.shared_by),
        "decision": version.decision,
        "decided_at": version.decided_at,
        "reason": version.reason,
        "content_hash": version.content_hash,
    }
    if detail:
        out["snapshot"] = version.snapshot
    return out


@router.get(
    "/complaints/{number}/8d/versions",
    response={200: list[VersionOut], **errors(401, 404)},
)
def list_versions(request, number: str):
    """Every version of the 8D the customer was shown, oldest first (customers too)."""
    complaint = complaint_get_for_user(request.auth, number)
    return [_version_out(v) for v in customer_versions(complaint).order_by("number")]


@router.get(
    "/complaints/{number}/8d/versions/{version}",
    response={200: VersionDetailOut, **errors(401, 404)},
)
def read_version(request, number: str, version: DbInt):
    complaint = complaint_get_for_user(request.auth, number)
    shown = customer_versions(complaint).filter(number=version).first()
    if shown is None:
        raise NotFound()
    return _version_out(shown, detail=True)
