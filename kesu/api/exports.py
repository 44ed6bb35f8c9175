"""8D exports through the API (SPEC §7): ask for the 8D as PDF or workbook (made in the worker:
202, then poll the list), download it, and send the 8D to the customer. Rules live in
kesu.eightd.export.services; customers receive the 8D, they do not export it."""

from datetime import datetime
from enum import StrEnum

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from kesu.api.errors import errors
from kesu.api.schemas import Input
from kesu.complaints.access import complaint_get_for_user
from kesu.core.bounds import DbInt, Id
from kesu.core.errors import NotAllowed, NotFound
from kesu.eightd.export import selectors, services
from kesu.eightd.export.downloads import export_download
from kesu.eightd.models import ExportFormat
from kesu.eightd.selectors import customer_versions
from kesu.eightd.services import MAX_NOTE

router = Router(tags=["8D"])

Format = StrEnum("Format", {value: value for value in ExportFormat.values})
Language = StrEnum("Language", {code: code for code, _name in settings.LANGUAGES})


class ExportIn(Input):
    format: Format = Field(description="pdf or xlsx.")
    language: Language = Field(description="zh-hans or en.")
    version: DbInt | None = Field(
        None, description="Print exactly this version shown to the customer; else the 8D now."
    )


class SendIn(Input):
    note: str = Field("", max_length=MAX_NOTE, description="Shown to the customer and mailed.")


class ExportOut(Schema):
    id: int
    format: str = Field(description="pdf or xlsx.")
    language: str
    status: str = Field(description="queued, running, done or failed.")
    error: str = Field(description="Why it failed, for a failed export.")
    version: DbInt | None = Field(description="The customer version it prints, if any.")
    send: bool = Field(description="Mailed to the customer when done.")
    requested_at: datetime
    requested_by: str
    started_at: datetime | None = Field(description="When the worker began making it.")
    finished_at: datetime | None
    file_name: str
    file_url: str | None = Field(description="Where to download it, once done.")


class SentOut(Schema):
    version: int = Field(description="The version frozen and shown to the customer.")
    export: ExportOut


def _staff_complaint(request, number):
    user = request.auth
    complaint = complaint_get_for_user(user, number)
    if user.is_customer:
        raise NotAllowed(_("Customers receive the 8D from us; they cannot export it."))
    return user, complaint


def _out(export) -> dict:
    number = export.report.complaint.number
    done = export.status == "done" and bool(export.file)
    return {
        "id": export.pk,
        "format": export.format,
        "language": export.language,
        "status": export.status,
        "error": export.error,
        "version": export.version.number if export.version_id else None,
        "send": export.send,
        "requested_at": export.requested_at,
        "requested_by": str(export.requested_by),
        "started_at": export.started_at,
        "finished_at": export.finished_at,
        "file_name": selectors.file_name(export),
        "file_url": reverse("api:export_file", args=[number, export.pk]) if done else None,
    }


@router.post(
    "/complaints/{number}/8d/exports",
    response={202: ExportOut, **errors(401, 403, 404, 422)},
)
def request_export(request, number: str, payload: ExportIn):
    """Ask for the customer-visible 8D as PDF or workbook. It is made in the background:
    the answer is the queued export; its status turns done (or failed) shortly after."""
    user, complaint = _staff_complaint(request, number)
    version = None
    if payload.version is not None:
        version = customer_versions(complaint).filter(number=payload.version).first()
        if version is None:
            raise NotFound()
    export = services.export_request(
        actor=user,
        complaint=complaint,
        format=str(payload.format),
        language=str(payload.language),
        version=version,
    )
    return Status(202, _out(selectors.export_get(complaint, export.pk)))


@router.get(
    "/complaints/{number}/8d/exports",
    response={200: list[ExportOut], **errors(401, 403, 404)},
)
def list_exports(request, number: str):
    """The complaint's exports, newest first."""
    _user, complaint = _staff_complaint(request, number)
    return [_out(export) for export in selectors.exports_of(complaint)]


@router.get(
    "/complaints/{number}/8d/exports/{export_id}/file",
    response={200: bytes, **errors(401, 403, 404, 409)},
    url_name="export_file",
    openapi_extra={
        "responses": {
            200: {
                "description": "The PDF or workbook, as an attachment.",
                "content": {
                    content_type: {"schema": {"type": "string", "format": "binary"}}
                    for content_type in selectors.CONTENT_TYPES.values()
                },
            }
        }
    },
)
def download_export(request, number: str, export_id: Id):
    """409 while the export is queued or if it failed."""
    _user, complaint = _staff_complaint(request, number)
    return export_download(selectors.export_get(complaint, export_id))


@router.post(
    "/complaints/{number}/8d/send",
    response={202: SentOut, **errors(401, 403, 404, 422)},
)
def send_eightd(request, number: str, payload: SendIn):
    """Send the 8D to the customer: freezes it as a new version they see, and mails its PDF
    (in the contact's language) to the complaint's contact e-mail once it is made."""
    user, complaint = _staff_complaint(request, number)
    export = services.export_send(actor=user, complaint=complaint, note=payload.note)
    export = selectors.export_get(complaint, export.pk)
    return Status(202, {"version": export.version.number, "export": _out(export)})
