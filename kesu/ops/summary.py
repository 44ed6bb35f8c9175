"""How the backup commands describe an archive's contents."""

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext

from kesu.ops.backup import ENGINE_NAMES, Contents


def megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}"


def contents_lines(contents: Contents) -> list[str]:
    return [
        gettext(
            "Database (%(engine)s): %(rows)d rows in %(tables)d tables; complaints: "
            "%(complaints)d, users: %(users)d."
        )
        % {
            "engine": ENGINE_NAMES[contents.engine],
            "rows": contents.total_rows,
            "tables": len(contents.rows),
            "complaints": contents.complaints,
            "users": contents.users,
        },
        gettext("Stored files: %(files)d (%(size)s MB).")
        % {"files": contents.files, "size": megabytes(contents.file_bytes)},
    ]


def local_time(iso: str) -> str:
    return timezone.localtime(datetime.fromisoformat(iso)).strftime("%Y-%m-%d %H:%M:%S")
