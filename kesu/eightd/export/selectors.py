"""Reading exports: a complaint's exports, one export for download, and what the export panel
of the 8D page shows."""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kesu.complaints.access import actors_of, can_comment
from kesu.complaints.workflow import Actor
from kesu.core.errors import KesuError, NotFound
from kesu.eightd.models import PENDING_EXPORTS, Export, ExportFormat
from kesu.eightd.services import EDITORS

CONTENT_TYPES = {
    ExportFormat.PDF: "application/pdf",
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Shown in the panel; older ones stay downloadable through the API.
PANEL_SIZE = 20


def exports_of(complaint):
    return Export.objects.filter(report__complaint=complaint).select_related(
        "report__complaint", "version", "requested_by"
    )


def export_get(complaint, export_id) -> Export:
    """One export of this complaint (the caller has checked access to the complaint)."""
    export = None
    if str(export_id).isdigit():
        export = exports_of(complaint).filter(pk=export_id).first()
    if export is None:
        raise NotFound()
    return export


class NotReady(KesuError):
    code = "not_ready"
    http_status = 409
    default_message = _("The export is not ready: it is still being made, or it failed.")


def file_name(export: Export) -> str:
    """KS-2026-000123-8D-zh.pdf; with the version when it prints one: KS-…-8D-v3-zh.pdf."""
    number = export.report.complaint.number
    version = f"-v{export.version.number}" if export.version_id else ""
    language = export.language.split("-")[0]
    return f"{number}-8D{version}-{language}.{export.format}"


def can_send(user, complaint) -> bool:
    """Mirrors `kesu.eightd.services.eightd_send`'s rule, to show or hide its button."""
    return bool(actors_of(user, complaint) & (EDITORS | {Actor.AGENT})) and can_comment(
        user, complaint
    )


@dataclass
class Panel:
    exports: list[Export]
    may_send: bool
    contact_email: str
    languages: list = field(default_factory=lambda: settings.LANGUAGES)
    formats: list = field(default_factory=lambda: ExportFormat.choices)

    @property
    def polling(self) -> bool:
        return any(e.status in PENDING_EXPORTS for e in self.exports)


def export_panel(user, complaint) -> Panel:
    """What `eightd/_exports.html` shows: the complaint's latest exports and the actions."""
    return Panel(
        exports=list(exports_of(complaint)[:PANEL_SIZE]),
        may_send=can_send(user, complaint),
        contact_email=complaint.contact_email,
    )
