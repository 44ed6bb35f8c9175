"""Uploaded files (SPEC §13): checks (size, an allowed type, content that matches it), storage
by content, and the removal of stored files nothing refers to.

Files are stored before the transaction that records them (STYLE habit 14): writing ten 10 MB
files must not hold a transaction and its locks open. The stored name is the content's SHA-256,
so storing is idempotent and identical content is kept once. A transaction that rolls back
after storing leaves a file no Attachment refers to; `clean_orphans` removes such files once
they are older than a grace period, longer than any transaction runs, so a file stored for a
transaction still in flight is never taken away from it.
"""

import hashlib
import logging
import os
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from kesu.core.errors import ValidationFailed

# Extension → magic bytes the content must start with (None: plain text, no signature).
ALLOWED = {
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webp": (b"RIFF",),
    ".pdf": (b"%PDF-",),
    ".xlsx": (b"PK\x03\x04",),
    ".docx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
    ".zip": (b"PK\x03\x04",),
    ".xls": (b"\xd0\xcf\x11\xe0",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".mp4": None,
    ".txt": None,
    ".csv": None,
}
SIGNATURE_BYTES = 16
# Where Attachment files live (kesu.complaints.models.attachment_path).
ATTACHMENTS_DIR = "attachments"
# Longer than any transaction that records a stored file may take.
ORPHAN_GRACE = timedelta(hours=1)

logger = logging.getLogger(__name__)


def check_upload(upload) -> None:
    name = upload.name or ""
    extension = os.path.splitext(name)[1].lower()
    limit = settings.KESU_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise ValidationFailed(
            field_errors={
                "files": [
                    _("“%(name)s” is %(size)s; files may be at most %(limit)s.")
                    % {
                        "name": name,
                        "size": filesizeformat(upload.size),
                        "limit": filesizeformat(limit),
                    }
                ]
            }
        )
    if extension not in ALLOWED:
        raise ValidationFailed(
            field_errors={
                "files": [
                    _("“%(name)s”: this type of file is not accepted. Allowed: %(types)s.")
                    % {"name": name, "types": ", ".join(sorted(ALLOWED))}
                ]
            }
        )
    signatures = ALLOWED[extension]
    if signatures is None:
        return
    head = upload.read(SIGNATURE_BYTES)
    upload.seek(0)
    if not any(head.startswith(signature) for signature in signatures):
        raise ValidationFailed(
            field_errors={
                "files": [
                    _("“%(name)s” does not contain what its name says; it was not accepted.")
                    % {"name": name}
                ]
            }
        )


@dataclass(frozen=True)
class StoredFile:
    """An upload in storage, ready to be referenced by an Attachment row."""

    sha256: str
    name: str
    size: int
    content_type: str
    original_name: str


def stored_name(sha256: str) -> str:
    return f"{ATTACHMENTS_DIR}/{sha256[:2]}/{sha256}"


def store_upload(upload) -> StoredFile:
    """Write a checked upload to storage under its content hash; outside any transaction."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    sha256 = digest.hexdigest()
    name = stored_name(sha256)
    if default_storage.exists(name):
        _touch(name)
    else:
        saved = default_storage.save(name, upload)
        if saved != name:
            # The same content was stored at the same moment by someone else (the storage
            # then picks another name): keep theirs, which is byte for byte this one.
            default_storage.delete(saved)
        upload.seek(0)  # a caller may still look at it (check_upload)
    return StoredFile(
        sha256=sha256,
        name=name,
        size=upload.size,
        content_type=upload.content_type or "application/octet-stream",
        original_name=(upload.name or "")[:255],
    )


def _touch(name: str) -> None:
    """Make an existing file young again: it may be an orphan about to be cleaned, which the
    transaction now storing it is going to refer to."""
    try:
        path = default_storage.path(name)
    except NotImplementedError:  # not on a file system: the cleaner's grace has to do
        return
    os.utime(path)


def clean_orphans(*, now: datetime, grace: timedelta = ORPHAN_GRACE) -> list[str]:
    """Delete stored attachment files that no Attachment refers to and that are older than
    `grace`; the names deleted. Safe to run in several workers at once."""
    from kesu.complaints.models import Attachment

    def old(name):
        modified = _modified(name)
        return modified is not None and modified < now - grace

    candidates = [name for name in _stored_names() if old(name)]
    deleted = []
    for start in range(0, len(candidates), 500):
        batch = candidates[start:start + 500]
        referenced = set(
            Attachment.objects.filter(file__in=batch).values_list("file", flat=True)
        )
        for name in batch:
            # Its age again, just before: a file stored again meanwhile is young once more.
            if name in referenced or not old(name):
                continue
            default_storage.delete(name)
            deleted.append(name)
    if deleted:
        logger.info("deleted %d stored files no attachment refers to", len(deleted))
    return deleted


def _modified(name: str) -> datetime | None:
    try:
        return default_storage.get_modified_time(name)
    except FileNotFoundError:  # another worker's cleaner was quicker
        return None


def _stored_names() -> list[str]:
    if not default_storage.exists(ATTACHMENTS_DIR):
        return []
    names = []
    prefixes, _files = default_storage.listdir(ATTACHMENTS_DIR)
    for prefix in prefixes:
        _dirs, files = default_storage.listdir(f"{ATTACHMENTS_DIR}/{prefix}")
        names += [f"{ATTACHMENTS_DIR}/{prefix}/{name}" for name in files]
    return names
