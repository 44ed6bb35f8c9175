"""Backup and restore (SPEC §13): one archive holds the database, every stored file and the
secret key, and restores completely.

The archive is a .tar.gz whose first member is `kesu-backup/manifest.json`, then
`database.sqlite3` or `database.pgdump`, `secret-key`, and `media/…` (MEDIA_ROOT as it was).
"""

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from contextlib import closing
from dataclasses import dataclass, field
from importlib.metadata import version as package_version
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kesu.complaints.models import Complaint
from kesu.core import clock, health
from kesu.core.errors import KesuError
from kesu.org.models import User

FORMAT = "kesu-backup"
FORMAT_VERSION = 1
ROOT = "kesu-backup"
MANIFEST = f"{ROOT}/manifest.json"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


class BackupError(KesuError):
    code = "backup_failed"
    default_message = _("The backup could not be made.")


class NotABackup(KesuError):
    code = "not_a_backup"
    default_message = _("This file is not a Kesu backup.")


class InstanceRunning(KesuError):
    code = "instance_running"

    def __init__(self, workers):
        self.workers = workers
        super().__init__(
            _("Kesu is running: a worker (%(workers)s) beat within the last minute. Stop "
              "`kesu serve` and every `kesu worker` before restoring; a worker that was just "
              "stopped by force counts for another minute.")
            % {"workers": ", ".join(f"{w.host} pid {w.pid}" for w in workers)}
        )


class InstanceNotEmpty(KesuError):
    code = "instance_not_empty"

    def __init__(self, holdings: list[str]):
        self.holdings = holdings
        super().__init__(
            _("This instance is not empty: it holds %(what)s.") % {"what": ", ".join(holdings)}
        )


@dataclass
class Contents:
    """What an archive holds, as its manifest says."""

    engine: str
    created_at: str
    kesu_version: str
    rows: dict[str, int]
    files: int
    file_bytes: int
    migrations: list[list[str]] = field(default_factory=list)

    @property
    def complaints(self) -> int:
        return self.rows.get(Complaint._meta.db_table, 0)

    @property
    def users(self) -> int:
        return self.rows.get(User._meta.db_table, 0)

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


@dataclass
class Made:
    path: Path
    size: int
    contents: Contents


@dataclass
class Restored:
    contents: Contents
    key_file: Path
    migrations_applied: int
    # Tables whose row count after the restore is not the manifest's: should stay empty.
    tables_differing: list[str]
    # The environment's SECRET_KEY overrides the restored file and is not the archived key.
    environment_key_differs: bool


def default_output() -> Path:
    stamp = timezone.localtime(clock.now()).strftime("%Y%m%d-%H%M%S")
    return Path(settings.KESU_BACKUP_DIR) / f"kesu-backup-{stamp}.tar.gz"


def _engine() -> str:
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(
            _("Backups support SQLite and PostgreSQL, not %(vendor)s.")
            % {"vendor": connection.vendor}
        )
    return connection.vendor


def _count_rows(cursor, tables) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # names from introspection
        counts[table] = cursor.fetchone()[0]
    return counts


def _stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    return sorted(path for path in root.rglob("*") if path.is_file())


def _run(command: list[str], *, env: dict, failure) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError as exc:
        raise BackupError(
            _("%(program)s was not found: install the PostgreSQL client tools.")
            % {"program": command[0]}
        ) from exc
    if result.returncode != 0:
        raise BackupError(failure % {"error": result.stderr.strip()})


def _pg_env() -> dict:
    """libpq's variables from DATABASES, so that no password shows in the process list."""
    env = os.environ.copy()
    db = connection.settings_dict
    for key, variable in (
        ("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"),
    ):
        if db.get(key):
            env[variable] = str(db[key])
    if db.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = db["OPTIONS"]["sslmode"]
    env["PGDATABASE"] = db["NAME"]
    return env


def _dump_sqlite(target: Path, tables) -> dict[str, int]:
    # The online backup API copies a consistent snapshot while the server keeps writing; the
    # rows are counted in that copy so that the manifest describes exactly what it holds.
    connection.ensure_connection()
    with closing(sqlite3.connect(target)) as copy:
        connection.connection.backup(copy)
        return _count_rows(copy.cursor(), tables)


def _dump_postgresql(target: Path, tables) -> dict[str, int]:
    # pg_dump reads the snapshot in which the rows were counted, so that the manifest describes
    # exactly what the dump holds. A read-only transaction: holding it open over the dump
    # blocks no writer.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        rows = _count_rows(cursor, tables)
        _run(
            ["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={target}"],
            env=_pg_env(),
            failure=_("pg_dump failed: %(error)s"),
        )
    return rows


def _applied_migrations() -> list[list[str]]:
    return sorted([app, name] for app, name in MigrationRecorder(connection).applied_migrations())


def backup_create(*, output: Path | None = None) -> Made:
    """Write one archive of this instance; safe while the server and the worker run."""
    engine = _engine()
    output = Path(output) if output else default_output()
    if output.exists():
        raise BackupError(_("%(path)s already exists.") % {"path": output})
    output.parent.mkdir(parents=True, exist_ok=True)
    tables = connection.introspection.table_names()
    with tempfile.TemporaryDirectory(dir=output.parent) as work:
        database = Path(work) / DATABASE_FILES[engine]
        migrations = _applied_migrations()
        dump = _dump_sqlite if engine == "sqlite" else _dump_postgresql
        rows = dump(database, tables)
        # Files after the database: a file is stored before the row that refers to it is
        # committed, so every file the copied rows refer to is already there.
        files = _stored_files()
        contents = Contents(
            engine=engine,
            created_at=clock.now().isoformat(),
            kesu_version=package_version("kesu"),
            rows=rows,
            files=len(files),
            file_bytes=sum(path.stat().st_size for path in files),
            migrations=migrations,
        )
        # mkstemp makes the file readable by its owner only: the archive holds the secret key.
        handle, partial = tempfile.mkstemp(dir=output.parent, suffix=".partial")
        try:
            with os.fdopen(handle, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
                manifest = {"format": FORMAT, "version": FORMAT_VERSION, **contents.__dict__}
                _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=2).encode())
                tar.add(database, f"{ROOT}/{database.name}")
                _add_bytes(tar, f"{ROOT}/secret-key", settings.SECRET_KEY.encode())
                media = Path(settings.MEDIA_ROOT)
                for path in files:
                    tar.add(path, f"{ROOT}/media/{path.relative_to(media).as_posix()}")
            os.replace(partial, output)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
    return Made(path=output, size=output.stat().st_size, contents=contents)


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(clock.now().timestamp())
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


def _read_manifest(tar: tarfile.TarFile) -> Contents:
    first = tar.next()
    if first is None or first.name != MANIFEST or not first.isfile():
        raise NotABackup()
    try:
        manifest = json.loads(tar.extractfile(first).read())
    except ValueError as exc:
        raise NotABackup() from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise NotABackup()
    if manifest.get("version") != FORMAT_VERSION:
        raise NotABackup(
            _("This Kesu backup has format version %(version)s; this Kesu reads version "
              "%(known)s.") % {"version": manifest.get("version"), "known": FORMAT_VERSION}
        )
    names = {f.name for f in Contents.__dataclass_fields__.values()}
    try:
        return Contents(**{key: value for key, value in manifest.items() if key in names})
    except TypeError as exc:
        raise NotABackup() from exc


def _holdings() -> list[str]:
    """What would be lost by restoring over this instance (a database not yet migrated holds
    nothing)."""
    tables = set(connection.introspection.table_names())
    holdings = []
    for model in (Complaint, User):
        if model._meta.db_table in tables and model.objects.exists():
            holdings.append(str(model._meta.verbose_name_plural))
    if _stored_files():
        holdings.append(str(_("stored files")))
    return holdings


def _newer_migrations(contents: Contents) -> list[str]:
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return [f"{app}.{name}" for app, name in contents.migrations if (app, name) not in known]


def _load_sqlite(source: Path) -> None:
    # Through the backup API into the open connection rather than replacing the file: the copy
    # is one transaction that also empties the write-ahead log, which a file swap would leave
    # describing the old database.
    connection.ensure_connection()
    with closing(sqlite3.connect(source)) as archived:
        archived.backup(connection.connection)


def _load_postgresql(source: Path, contents: Contents) -> None:
    # pg_restore --clean drops only the archive's tables: a table of a newer schema (an
    # upgraded install) would stay, block dropping a table it refers to, and make migrate
    # fail to create it again. psql runs those drops and pg_restore's script as one
    # transaction, so a failed restore leaves the database as it was.
    extra = sorted(set(connection.introspection.table_names()) - set(contents.rows))
    drops = "".join(f'DROP TABLE IF EXISTS "{table}" CASCADE;' for table in extra)
    # Our own connection holds no lock while the tables are dropped and created again.
    connection.close()
    env = _pg_env()
    script = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--file=-"]
    psql = ["psql", "--no-psqlrc", "--quiet", "--single-transaction", "--set=ON_ERROR_STOP=1"]
    psql += [f"--command={drops}"] if drops else []
    try:
        with tempfile.TemporaryFile() as script_errors:
            dump = subprocess.Popen(
                [*script, str(source)], stdout=subprocess.PIPE, stderr=script_errors, env=env
            )
            load = subprocess.run(
                [*psql, "--file=-"], stdin=dump.stdout, capture_output=True, text=True,
                env=env, check=False,
            )
            dump.stdout.close()
            script_failed = dump.wait() != 0
            script_errors.seek(0)
            error = script_errors.read().decode(errors="replace").strip()
    except FileNotFoundError as exc:
        raise BackupError(
            _("%(program)s was not found: install the PostgreSQL client tools.")
            % {"program": exc.filename}
        ) from exc
    if script_failed or load.returncode != 0:
        raise BackupError(
            _("pg_restore failed: %(error)s") % {"error": error or load.stderr.strip()}
        )


def _replace_media(extracted: Path) -> None:
    media = Path(settings.MEDIA_ROOT)
    media.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=media.parent) as old:
        if media.exists():
            os.replace(media, Path(old) / "media")
        if extracted.exists():
            shutil.move(extracted, media)
        else:
            media.mkdir()


def _write_key(key: str) -> Path:
    path = Path(settings.SECRET_KEY_FILE)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(dir=path.parent, suffix=".partial")
    with os.fdopen(handle, "w") as out:
        out.write(key)
    os.replace(partial, path)
    return path


def _migrate() -> int:
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        call_command("migrate", interactive=False, verbosity=0)
    return len(pending)


def backup_restore(*, path: Path, force: bool = False) -> Restored:
    """Make this instance what the archive holds: database, stored files and secret key.
    Refuses while a worker is alive (it would write into the database being replaced), and
    refuses to replace anything unless `force`."""
    engine = _engine()
    running = health.live_workers(clock.now())
    if running:
        raise InstanceRunning(running)
    if not Path(path).is_file():
        raise NotABackup(_("%(path)s is not a file.") % {"path": path})
    try:
        tar = tarfile.open(path, mode="r:*")
    except (tarfile.TarError, OSError) as exc:
        raise NotABackup() from exc
    with tar:
        try:
            contents = _read_manifest(tar)
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise NotABackup() from exc
        if contents.engine != engine:
            raise NotABackup(
                _("This backup holds a %(archived)s database; this instance uses %(engine)s.")
                % {
                    "archived": ENGINE_NAMES.get(contents.engine, contents.engine),
                    "engine": ENGINE_NAMES[engine],
                }
            )
        newer = _newer_migrations(contents)
        if newer:
            raise NotABackup(
                _("This backup was made by a newer Kesu (migrations unknown here: "
                  "%(names)s); upgrade Kesu first.") % {"names": ", ".join(newer)}
            )
        if not force:
            holdings = _holdings()
            if holdings:
                raise InstanceNotEmpty(holdings)
        Path(settings.MEDIA_ROOT).parent.mkdir(parents=True, exist_ok=True)
        # Unpacked beside MEDIA_ROOT so that the files move into place without a copy. The
        # "data" filter refuses absolute paths, links out of the folder and device files.
        with tempfile.TemporaryDirectory(dir=Path(settings.MEDIA_ROOT).parent) as work:
            try:
                tar.extractall(work, filter="data")
            except (tarfile.TarError, OSError, EOFError) as exc:
                raise NotABackup() from exc
            unpacked = Path(work) / ROOT
            database = unpacked / DATABASE_FILES[engine]
            key_file = unpacked / "secret-key"
            if not (database.is_file() and key_file.is_file()):
                raise NotABackup()
            key = key_file.read_text().strip()
            # The database first: it is the step that can fail, and it fails as a whole.
            if engine == "sqlite":
                _load_sqlite(database)
            else:
                _load_postgresql(database, contents)
            _replace_media(unpacked / "media")
    written = _write_key(key)
    # Content type ids cached before the restore may not be the archive's.
    ContentType.objects.clear_cache()
    with connection.cursor() as cursor:
        live = _count_rows(cursor, set(contents.rows) & set(connection.introspection.table_names()))
    differing = sorted(t for t, count in contents.rows.items() if live.get(t) != count)
    environment_key = os.environ.get("SECRET_KEY")
    return Restored(
        contents=contents,
        key_file=written,
        tables_differing=differing,
        # Counted before migrating: a data migration may rightly add rows.
        migrations_applied=_migrate(),
        environment_key_differs=bool(environment_key) and environment_key != key,
    )
