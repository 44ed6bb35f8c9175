"""Evidence per discipline (SPEC §7: photos, measurements, records filed under D3, D6, …).

A piece of evidence is an ordinary complaint attachment, so it is size- and type-checked, on the
timeline, and downloaded only through the complaint's access check; `DisciplineAttachment` files
it under its discipline.
"""

from collections import defaultdict

from django.db import transaction
from django.utils.translation import gettext as _

from kesu.complaints.services import complaint_attach
from kesu.complaints.uploads import check_upload, store_upload
from kesu.core.errors import NotAllowed, ValidationFailed
from kesu.eightd.models import DISCIPLINES, Discipline, DisciplineAttachment
from kesu.eightd.services import can_edit_eightd

MAX_FILES = 10  # per upload; more is a mistake more often than a need


def evidence_attach(*, actor, complaint, code: str, upload) -> DisciplineAttachment:
    """Attach one file to the complaint and file it under the discipline, in one transaction."""
    return evidence_attach_all(actor=actor, complaint=complaint, code=code, uploads=[upload])[0]


def evidence_attach_all(*, actor, complaint, code: str, uploads) -> list[DisciplineAttachment]:
    """Several files at once: all of them or, if one is refused, none. The files are checked
    and stored first; the transaction only writes the rows that refer to them (a rollback
    leaves stored files that kesu.complaints.uploads.clean_orphans removes later)."""
    if not uploads:
        raise ValidationFailed(field_errors={"files": [_("Choose a file to upload.")]})
    if len(uploads) > MAX_FILES:
        raise ValidationFailed(
            field_errors={"files": [_("At most %(n)d files at a time.") % {"n": MAX_FILES}]}
        )
    if not can_edit_eightd(actor, complaint):
        raise NotAllowed(_("Evidence is added by the handling team while the 8D is worked on."))
    if code not in DISCIPLINES:
        raise ValidationFailed(field_errors={"discipline": [_("Unknown 8D discipline.")]})
    for upload in uploads:
        check_upload(upload)
    stored = [store_upload(upload) for upload in uploads]
    discipline = Discipline.objects.get(report__complaint=complaint, code=code)
    with transaction.atomic():
        return [
            DisciplineAttachment.objects.create(
                discipline=discipline,
                attachment=complaint_attach(
                    actor=actor, complaint=complaint, upload=upload, stored=file
                ),
            )
            for upload, file in zip(uploads, stored, strict=True)
        ]


def evidence_by_code(complaint) -> dict[str, list]:
    """The evidence of each discipline (attachments, oldest first), in one query."""
    links = (
        DisciplineAttachment.objects.filter(discipline__report__complaint=complaint)
        .select_related("discipline", "attachment", "attachment__uploaded_by")
        .order_by("attachment__uploaded_at", "pk")
    )
    shown = defaultdict(list)
    for link in links:
        shown[link.discipline.code].append(link.attachment)
    return shown
