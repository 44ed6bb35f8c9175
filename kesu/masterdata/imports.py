"""Master-data imports as jobs (SPEC §2, §12): asked for in a request, made in the worker.

A request only checks who asks and the file's size, stores the upload (before the transaction,
like every stored file) and writes a queued `ImportJob`; the worker's `heavy` queue runs it
after commit, so a large or hostile workbook holds a worker, never a web thread. The worker
reports progress on the row as it reads, and writes the rows and marks the job done in one
transaction, with a compare-and-set on the job's status and start time.

A worker that dies leaves its job running: `imports_sweep` (hourly, and whenever a job is looked
at) fails a job running longer than RUNNING_BUDGET or queued longer than QUEUED_BUDGET, and
removes stored uploads no open job needs. A worker that was only slow then finds its job taken
from it and rolls its writes back, so a job the page calls failed has written nothing.
"""

import logging
import time
import uuid
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kesu.core import clock
from kesu.core.errors import NotAllowed, NotFound, ValidationFailed
from kesu.masterdata.columns import SHEETS, Sheet, get_sheet
from kesu.masterdata.importing import MAX_FILE_BYTES, ImportReport, import_rows
from kesu.masterdata.models import OPEN_IMPORT_STATUSES, ImportJob, ImportStage, ImportStatus

logger = logging.getLogger(__name__)

IMPORTS_DIR = "imports"
# Longer than any real import takes (50,000 rows write in a few minutes); a job running longer
# lost its worker, or would hold it too long.
RUNNING_BUDGET = timedelta(minutes=30)
# A job still queued after this lost its task (the queue was emptied) or waits behind far too
# much: the user is told to try again rather than left watching a spinner.
QUEUED_BUDGET = timedelta(hours=2)
# A person does not need more imports waiting at once; a script cannot fill the heavy queue.
MAX_OPEN_PER_USER = 3
# Stored uploads no open job refers to are removed after this (a request that stored the file
# and then failed to write its job).
ORPHAN_GRACE = timedelta(hours=1)
# Progress is written at most this often (seconds).
PROGRESS_INTERVAL = 1.0


class Abandoned(Exception):
    """The job is no longer this worker's: the sweeper failed it meanwhile."""


def may_import(user, sheet: Sheet) -> bool:
    """Staff who may add and change that kind of record (administrators, and whoever the
    administrator gave those permissions in the admin)."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    opts = sheet.model._meta
    return all(
        user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")
        for action in ("add", "change")
    )


def import_kinds(user) -> list[tuple[str, str]]:
    """(kind, label) of what `user` may import."""
    return [(kind, sheet.label) for kind, sheet in SHEETS.items() if may_import(user, sheet)]


# --- In the request ----------------------------------------------------------------------------


def _store(upload) -> str:
    """The upload in storage under a fresh name; outside any transaction."""
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in (".xlsx", ".csv", ".xls", ".et"):
        suffix = ""  # the content decides what it is, never the name
    return default_storage.save(f"{IMPORTS_DIR}/{uuid.uuid4().hex}{suffix}", upload)


def import_request(*, actor, kind: str, upload, dry_run: bool = False) -> ImportJob:
    """Queue the import of `upload` (.xlsx or .csv) as `kind`; the worker makes it."""
    sheet = get_sheet(kind)
    if sheet is None or sheet.kind != kind:
        raise ValidationFailed(
            field_errors={"kind": [_("Unknown kind of master data “%(kind)s”.") % {"kind": kind}]}
        )
    if not may_import(actor, sheet):
        raise NotAllowed()
    if upload.size > MAX_FILE_BYTES:
        raise ValidationFailed(
            field_errors={
                "file": [
                    _("The file is larger than %(mb)d MB; split it into smaller files.")
                    % {"mb": MAX_FILE_BYTES // (1024 * 1024)}
                ]
            }
        )
    imports_sweep(now=clock.now(), files=False)
    if (
        ImportJob.objects.filter(requested_by=actor, status__in=OPEN_IMPORT_STATUSES).count()
        >= MAX_OPEN_PER_USER
    ):
        raise ValidationFailed(
            _("%(n)d of your imports are still being made; wait until one is finished.")
            % {"n": MAX_OPEN_PER_USER}
        )
    name = _store(upload)
    with transaction.atomic():
        job = ImportJob.objects.create(
            kind=kind,
            dry_run=dry_run,
            file=name,
            file_name=Path(upload.name or "").name[:255],
            file_size=upload.size,
            language=get_language() or settings.LANGUAGE_CODE,
            requested_by=actor,
            requested_at=clock.now(),
        )
        # Imported here: the task module imports this one.
        from kesu.masterdata.tasks import run_import

        # robust: the job is committed whatever the queue says; a lost task leaves it queued
        # until the sweeper fails it and the user tries again.
        transaction.on_commit(partial(run_import.enqueue, job.pk), robust=True)
    return job


# --- Reading -----------------------------------------------------------------------------------


def import_job_get(user, job_id: int) -> ImportJob:
    """The job, for someone who may import its kind; NotFound otherwise. A job stuck past its
    budget is failed first, so that nobody watches a dead job forever."""
    job = ImportJob.objects.select_related("requested_by").filter(pk=job_id).first()
    sheet = get_sheet(job.kind) if job is not None else None
    if sheet is None or not may_import(user, sheet):
        raise NotFound()
    if job.is_open and imports_sweep(now=clock.now(), files=False):
        job.refresh_from_db()
    job.kind_label = sheet.label
    return job


def imports_recent(user, *, limit: int = 10) -> list[ImportJob]:
    """The user's latest imports, with `kind_label`."""
    jobs = list(ImportJob.objects.filter(requested_by=user)[:limit])
    for job in jobs:
        sheet = get_sheet(job.kind)
        job.kind_label = sheet.label if sheet is not None else job.kind
    return jobs


# --- In the worker -----------------------------------------------------------------------------


def _problems(report: ImportReport) -> list[dict]:
    return [{"row": p.row, "column": p.column, "message": p.message} for p in report.problems]


def _finish(running, report: ImportReport) -> None:
    """Mark the claimed job with its report; Abandoned if it is no longer ours."""
    written = running.update(
        status=ImportStatus.DONE if report.ok else ImportStatus.FAILED,
        stage="",
        finished_at=clock.now(),
        rows_total=report.rows,
        rows_read=report.rows,
        created=report.created,
        updated=report.updated,
        unchanged=report.unchanged,
        summary=report.summary(),
        problems=_problems(report),
        problem_count=report.problem_count,
    )
    if not written:
        raise Abandoned


class _Progress:
    """Writes the stage and rows read to the job, at most once a second and at each new stage,
    and gives up when the job's time budget is spent or the job was taken away."""

    def __init__(self, running, started_at: datetime):
        self.running = running
        self.deadline = started_at + RUNNING_BUDGET
        self.stage = None
        self.written_at = 0.0

    def __call__(self, stage: str, rows_read: int, rows_total: int | None) -> None:
        moment = time.monotonic()
        if stage == self.stage and moment - self.written_at < PROGRESS_INTERVAL:
            return
        if clock.now() > self.deadline:
            raise Abandoned
        self.stage, self.written_at = stage, moment
        if not self.running.update(stage=stage, rows_read=rows_read, rows_total=rows_total):
            raise Abandoned


def import_run(*, job_id: int) -> None:
    """Make one queued import. Does nothing for a job that is not queued (done, failed, or
    claimed by another worker), so a task that runs twice imports once."""
    started_at = clock.now()
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING, started_at=started_at, stage=ImportStage.READING
    )
    if not claimed:
        return
    job = ImportJob.objects.select_related("requested_by").get(pk=job_id)
    running = ImportJob.objects.filter(
        pk=job.pk, status=ImportStatus.RUNNING, started_at=started_at
    )
    with translation.override(job.language):
        try:
            with default_storage.open(job.file, "rb") as handle:
                report = import_rows(
                    job.kind,
                    handle,
                    dry_run=job.dry_run,
                    progress=_Progress(running, started_at),
                    before_commit=partial(_finish, running),
                    actor=job.requested_by,
                )
            if not report.ok or job.dry_run:
                _finish(running, report)  # nothing was written
        except Abandoned:
            # Over its budget (or the sweeper said so first): whatever it wrote rolled back.
            logger.warning("import %s was given up while it ran; nothing written", job.pk)
            running.update(
                status=ImportStatus.FAILED,
                stage="",
                finished_at=clock.now(),
                summary=_overdue_summary(),
            )
        except Exception as exc:
            logger.exception("import %s failed", job.pk)
            running.update(
                status=ImportStatus.FAILED,
                stage="",
                finished_at=clock.now(),
                summary=_(
                    "The import broke off (%(error)s); nothing was imported. Try again; if it "
                    "fails again, tell the administrator."
                )
                % {"error": type(exc).__name__},
            )
    _discard(job.file)


def _discard(name: str) -> None:
    try:
        default_storage.delete(name)
    except OSError:  # gone already; the sweeper removes what is left
        logger.warning("could not delete the stored import %s", name)


def _overdue_summary() -> str:
    return _(
        "The import took longer than %(minutes)d minutes and was stopped; nothing was "
        "imported. Try again, or split the file."
    ) % {"minutes": RUNNING_BUDGET // timedelta(minutes=1)}


def imports_sweep(*, now: datetime, files: bool = True) -> int:
    """Fail the jobs past their budget (a dead worker's, a lost task's); with `files`, remove
    stored uploads that no open job refers to. Idempotent and safe in several workers at once:
    each job is failed by a compare-and-set on the status it was seen in. The jobs failed."""
    stuck = ImportJob.objects.filter(
        status=ImportStatus.RUNNING, started_at__lt=now - RUNNING_BUDGET
    ) | ImportJob.objects.filter(
        status=ImportStatus.QUEUED, requested_at__lt=now - QUEUED_BUDGET
    )
    failed = 0
    for job in stuck.only("pk", "status", "started_at", "language"):
        with translation.override(job.language):
            if job.status == ImportStatus.RUNNING:
                summary = _overdue_summary()
            else:
                summary = _("The import never started; nothing was imported. Try again.")
        failed += ImportJob.objects.filter(
            pk=job.pk, status=job.status, started_at=job.started_at
        ).update(status=ImportStatus.FAILED, stage="", finished_at=now, summary=summary)
    if files:
        _clean_files(now)
    return failed


def _clean_files(now: datetime) -> None:
    if not default_storage.exists(IMPORTS_DIR):
        return
    _dirs, names = default_storage.listdir(IMPORTS_DIR)
    needed = set(
        ImportJob.objects.filter(status__in=OPEN_IMPORT_STATUSES).values_list("file", flat=True)
    )
    for name in names:
        path = f"{IMPORTS_DIR}/{name}"
        if path in needed:
            continue
        try:
            if default_storage.get_modified_time(path) < now - ORPHAN_GRACE:
                default_storage.delete(path)
        except FileNotFoundError:  # another worker's sweep was quicker
            continue
