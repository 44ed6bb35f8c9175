"""How the backup commands describe an archive's contents."""

from django.utils.translation import gettext

from kesu.ops.backup import Contents

ENGINES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}"


def contents_lines(contents: Contents) -> list[str]:
    return [
        gettext(
            "Database (%(engine)s): %(rows)d rows in %(tables)d tables; complaints: "
            "%(complaints)d, users: %(users)d."
        )
        % {
            "engine": ENGINES[contents.engine],
            "rows": contents.total_rows,
            "tables": len(contents.rows),
            "complaints": contents.complaints,
            "users": contents.users,
        },
        gettext("Stored files: %(files)d (%(size)s MB).")
        % {"files": contents.files, "size": megabytes(contents.file_bytes)},
    ]
