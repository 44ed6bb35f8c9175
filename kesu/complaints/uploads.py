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

OFFICE = "application/vnd.openxmlformats-officedocument"
# Extension → the type Kesu serves the file as (never the one the uploader's browser claimed),
# and the check its first bytes must pass.
ALLOWED = {
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".gif": ("image/gif", (b"GIF87a", b"GIF89a")),
    ".webp": ("image/webp", (b"RIFF",)),
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".xlsx": (f"{OFFICE}.spreadsheetml.sheet", (b"PK\x03\x04",)),
    ".docx": (f"{OFFICE}.wordprocessingml.document", (b"PK\x03\x04",)),
    ".pptx": (f"{OFFICE}.presentationml.presentation", (b"PK\x03\x04",)),
    ".zip": ("application/zip", (b"PK\x03\x04",)),
    ".xls": ("application/vnd.ms-excel", (b"\xd0\xcf\x11\xe0",)),
    ".doc": ("application/msword", (b"\xd0\xcf\x11\xe0",)),
    ".mp4": ("video/mp4", "mp4"),
    ".txt": ("text/plain", "text"),
    ".csv": ("text/csv", "text"),
}
SIGNATURE_BYTES = 16
# How much of a text file is read to tell text from something else.
TEXT_PROBE_BYTES = 64 * 1024
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
    check = ALLOWED[extension][1]
    head = upload.read(TEXT_PROBE_BYTES if check == "text" else SIGNATURE_BYTES)
    upload.seek(0)
    if not _matches(check, head):
        raise ValidationFailed(
            field_errors={
                "files": [
                    _("“%(name)s” does not contain what its name says; it was not accepted.")
                    % {"name": name}
                ]
            }
        )


def _matches(check, head: bytes) -> bool:
    if check == "mp4":
        # An ISO media file starts with a box whose type, after its 4-byte size, is "ftyp".
        return head[4:8] == b"ftyp"
    if check == "text":
        return b"\x00" not in head and _decodes(head)
    return any(head.startswith(signature) for signature in check)


def _decodes(head: bytes) -> bool:
    """UTF-8 or GB 18030 (Chinese Excel exports CSV in GBK), allowing a character cut off at
    the end of the probe."""
    for encoding in ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError as error:
            if error.start >= len(head) - 4:
                return True
    return False


def served_type(name: str) -> str:
    """The type a stored file is served with, from its checked extension."""
    extension = os.path.splitext(name or "")[1].lower()
    return ALLOWED[extension][0] if extension in ALLOWED else "application/octet-stream"


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
        content_type=served_type(upload.name),
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
