"""Checks on uploaded files (SPEC §13): size, an allowed type, and content that matches it."""

import os

from django.conf import settings
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
