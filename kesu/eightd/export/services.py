"""Exporting the 8D (SPEC §7): ask for a PDF or workbook, make it in the worker, and send the 8D
to the customer with one action.

A request only writes a queued Export row; the worker on the heavy queue claims it (queued →
running, a compare-and-set, so a task that runs twice renders once), renders it after commit
(never inside a request or a transaction) within the PDF's size and time budget, stores the
file and marks the row done or failed. A row left running by a worker that died is failed by
the every-minute sweep, so nobody waits on it forever. An export sent to the customer is
mailed through the notification outbox in the same transaction that marks it done: the mail
goes out once, with the PDF attached, and only once the PDF exists.
"""

import logging
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from kesu.complaints.access import complaints_visible_to
from kesu.complaints.models import ComplaintEvent
from kesu.core import clock
from kesu.core.errors import NotAllowed, NotFound, ValidationFailed
from kesu.eightd.events import EIGHTD_SENT
from kesu.eightd.export import layout
from kesu.eightd.export.fonts import FontMissing
from kesu.eightd.export.pdf import TooLong, check_size, render_pdf
from kesu.eightd.export.selectors import CONTENT_TYPES, file_name
from kesu.eightd.export.xlsx import render_xlsx
from kesu.eightd.models import (
    PENDING_EXPORTS,
    EightDReport,
    Export,
    ExportFormat,
    ExportStatus,
)
from kesu.eightd.selectors import customer_document, report_view
from kesu.eightd.services import MAX_NOTE, eightd_send
from kesu.notifications.services import Notice, notify
from kesu.portal.links import link_context, portal_contact

logger = logging.getLogger(__name__)

RENDERERS = {ExportFormat.PDF: render_pdf, ExportFormat.XLSX: render_xlsx}
# Enough for any real use; a script hammering the button cannot fill the worker's queue.
MAX_QUEUED = 10
# The same export asked for again within this time (a double click) is the one already queued.
SAME_REQUEST = timedelta(minutes=2)
# Past its time budget, a running export whose worker has not finished it is one that died.
ABANDONED_AFTER = timedelta(minutes=2)


def _check_staff(actor, complaint) -> None:
    if not actor.is_authenticated or not complaints_visible_to(actor).filter(
        pk=complaint.pk
    ).exists():
        raise NotFound()
    if actor.is_customer:
        raise NotAllowed(_("Customers receive the 8D from us; they cannot export it."))


def _check_choices(format: str, language: str) -> None:
    errors = {}
    if format not in ExportFormat.values:
        errors["format"] = [_("Choose PDF or Excel.")]
    if language not in dict(settings.LANGUAGES):
        errors["language"] = [_("Choose Chinese or English.")]
    if errors:
        raise ValidationFailed(field_errors=errors)


def _queue(*, actor, complaint, format, language, send, version) -> Export:
    """Write the queued row and hand it to the worker on commit; inside a transaction."""
    report = EightDReport.objects.get(complaint=complaint)
    now = clock.now()
    queued = Export.objects.filter(report=report, status=ExportStatus.QUEUED)
    if not send:
        same = queued.filter(
            version=version, format=format, language=language, send=False,
            requested_at__gte=now - SAME_REQUEST,
        ).first()
        if same is not None:
            return same
    if Export.objects.filter(report=report, status__in=PENDING_EXPORTS).count() >= MAX_QUEUED:
        raise ValidationFailed(
            _("%(n)d exports of this 8D are being made; wait until they are ready.")
            % {"n": MAX_QUEUED}
        )
    export = Export.objects.create(
        report=report,
        version=version,
        format=format,
        language=language,
        requested_by=actor,
        requested_at=now,
        send=send,
    )
    # Imported here: the task module imports this one.
    from kesu.eightd.export.tasks import render_export

    # robust: the row is committed whatever the queue says; a lost task leaves it queued and
    # the user can ask again.
    transaction.on_commit(partial(render_export.enqueue, export.pk), robust=True)
    return export


def _check_printable(document: dict, version=None) -> None:
    """A PDF too long to print is refused now, rather than failing in the worker later."""
    try:
        check_size(layout.build(document, version=version))
    except TooLong as exc:
        raise ValidationFailed(str(exc)) from None


def export_request(
    *, actor, complaint, format: str, language: str, send: bool = False, version=None
) -> Export:
    """Ask for the 8D as PDF or workbook in a language: the customer-visible 8D as it is when
    the worker makes it, or exactly a version the customer was shown."""
    _check_staff(actor, complaint)
    _check_choices(format, language)
    if version is not None and version.report.complaint_id != complaint.pk:
        raise NotFound()
    if send and version is None:
        raise ValueError("What is sent to the customer is a frozen version.")
    if format == ExportFormat.PDF:
        _check_printable(
            version.snapshot if version else customer_document(report_view(complaint)), version
        )
    with transaction.atomic():
        return _queue(
            actor=actor, complaint=complaint, format=format, language=language, send=send,
            version=version,
        )


def _clean_note(note) -> str:
    if not isinstance(note, str) or "\x00" in note:
        raise ValidationFailed(field_errors={"note": [_("Enter text without null characters.")]})
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise ValidationFailed(
            field_errors={"note": [_("At most %(n)d characters.") % {"n": MAX_NOTE}]}
        )
    return note


def export_send(*, actor, complaint, note: str = "") -> Export:
    """Send the 8D to the customer, one action: freeze it as a version they see (with its event
    on the timeline), make its PDF in the contact's language, and mail it to them when ready."""
    _check_staff(actor, complaint)
    note = _clean_note(note)
    if not complaint.contact_email:
        raise ValidationFailed(
            _("The complaint has no contact e-mail address: add one before sending the 8D.")
        )
    _check_printable(customer_document(report_view(complaint)))
    with transaction.atomic():
        version = eightd_send(actor=actor, complaint=complaint, note=note)
        contact = portal_contact(complaint)
        return _queue(
            actor=actor,
            complaint=complaint,
            format=ExportFormat.PDF,
            language=contact.language or settings.LANGUAGE_CODE,
            send=True,
            version=version,
        )


# --- In the worker ------------------------------------------------------------------------------


def _document(export: Export) -> dict:
    if export.version_id:
        return export.version.snapshot
    return customer_document(report_view(export.report.complaint))


def _failure(exc: Exception) -> str:
    return _(
        "The export could not be made (%(error)s). Try again; if it fails again, tell the "
        "administrator."
    ) % {"error": type(exc).__name__}


def export_render(*, export_id: int) -> None:
    """Make one queued export. Does nothing for an export that is running, done, failed or
    unknown, so running it twice (a retried task, two workers) renders and sends once."""
    claimed = Export.objects.filter(pk=export_id, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING, started_at=clock.now()
    )
    if not claimed:
        return
    export = Export.objects.select_related("report__complaint__customer", "version").get(
        pk=export_id
    )
    running = Export.objects.filter(pk=export.pk, status=ExportStatus.RUNNING)
    with translation.override(export.language):
        try:
            form = layout.build(_document(export), version=export.version)
            data = RENDERERS[export.format](form)
        except (FontMissing, TooLong) as exc:
            logger.error("8D export %s failed: %s", export.pk, exc)
            running.update(status=ExportStatus.FAILED, error=str(exc), finished_at=clock.now())
            return
        except Exception as exc:
            logger.exception("8D export %s failed", export.pk)
            running.update(status=ExportStatus.FAILED, error=_failure(exc),
                           finished_at=clock.now())
            return
        storage = export.file.storage
        name = storage.save(
            export.file.field.generate_filename(export, file_name(export)), ContentFile(data)
        )
        with transaction.atomic():
            if not running.update(status=ExportStatus.DONE, file=name, error="",
                                  finished_at=clock.now()):
                # Another worker finished it first: keep theirs.
                transaction.on_commit(partial(storage.delete, name))
                return
            if export.send:
                notify(_customer_mail(export, name))


def exports_fail_abandoned() -> int:
    """Fail the exports whose worker died while making them (killed, out of memory): running
    past their time budget. Idempotent; returns how many it failed."""
    budget = timedelta(seconds=settings.KESU_EXPORT_SECONDS) + ABANDONED_AFTER
    # Stored in the export's language, like every message the worker writes on it.
    abandoned = Export.objects.filter(
        status=ExportStatus.RUNNING, started_at__lt=clock.now() - budget
    )
    failed = 0
    for export in abandoned.only("pk", "language"):
        with translation.override(export.language):
            failed += Export.objects.filter(pk=export.pk, status=ExportStatus.RUNNING).update(
                status=ExportStatus.FAILED,
                finished_at=clock.now(),
                error=_("The worker stopped while making this export. Ask for it again."),
            )
    return failed


def _customer_mail(export: Export, stored_name: str) -> list[Notice]:
    """The customer's mail with the PDF attached and their personal link to the portal, in the
    export's language (the contact's)."""
    complaint = export.report.complaint
    if not complaint.contact_email:
        return []
    filename = file_name(export)
    note = (
        ComplaintEvent.objects.filter(
            complaint=complaint, type=EIGHTD_SENT,
            payload__version=export.version.number,
        )
        .values_list("note", flat=True)
        .first()
    )
    context = {
        "event_type": str(EIGHTD_SENT),
        "note": note or "",
        "message": _("The 8D report (version %(number)d) is attached: %(file)s")
        % {"number": export.version.number, "file": filename},
        "attachments": [
            {
                "path": stored_name,
                "filename": filename,
                "content_type": CONTENT_TYPES[export.format],
            }
        ],
    }
    context.update(link_context(portal_contact(complaint), complaint))
    return [
        Notice(
            kind="customer_update",
            event_key=f"eightd_export:{export.pk}:customer",
            complaint=complaint,
            addresses=[(complaint.contact_email, export.language)],
            context=context,
        )
    ]
