"""Master-data imports run in the worker: the request stores the file and queues a job; the
page follows its progress and then shows its result."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import translation

from kesu.core import clock
from kesu.masterdata import imports
from kesu.masterdata.imports import import_request, import_run, imports_sweep
from kesu.masterdata.models import ImportJob, ImportStatus, Supplier
from kesu.org.models import Role
from tests import factories as f
from tests.masterdata.sheets import csv_file, inflating_xlsx, xlsx

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.masterdata.urls")]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def admin(db):
    return f.UserFactory(username="root", role=Role.ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def post(client, capture, upload, kind="suppliers", language="en", **fields):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with capture(execute=True):
        return client.post(reverse("masterdata:import"), {"kind": kind, "file": upload, **fields})


def test_the_request_queues_a_job_and_the_worker_makes_it(
    admin_client, django_capture_on_commit_callbacks
):
    upload = xlsx([["code", "name"], ["S1", "宁波恒磁磁业"], ["S2", "江苏华铜"]])
    with django_capture_on_commit_callbacks() as callbacks:
        response = admin_client.post(
            reverse("masterdata:import"),
            {"kind": "suppliers", "file": upload},
        )
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("masterdata:import_job", args=[job.pk])
    # Nothing is read in the request: the job waits for the worker, with the file stored.
    assert (job.status, Supplier.objects.count()) == (ImportStatus.QUEUED, 0)
    assert default_storage.exists(job.file)

    for callback in callbacks:
        callback()  # the commit hands it to the worker (inline in tests)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert (job.created, job.updated, job.rows_read, job.rows_total) == (2, 0, 2, 2)
    assert job.started_at and job.finished_at and job.requested_by.username == "root"
    assert job.summary == "Imported 2 rows: 2 created, 0 updated, 0 unchanged."
    assert Supplier.objects.count() == 2
    assert not default_storage.exists(job.file)  # removed once finished


def test_job_page_shows_the_result(admin_client, django_capture_on_commit_callbacks):
    response = post(admin_client, django_capture_on_commit_callbacks,
                    xlsx([["code", "name"], ["S1", "宁波恒磁磁业"]]))
    page = admin_client.get(response["Location"]).content.decode()
    assert 'data-status="done"' in page
    assert "Imported 1 rows: 1 created" in page
    assert 'hx-trigger="every 1s"' not in page  # finished: no more polling


def test_bad_rows_fail_the_job_and_are_listed(admin_client, django_capture_on_commit_callbacks):
    rows = [["code", "name", "email"], ["S1", "宁波恒磁磁业", "not-mail"]]
    post(admin_client, django_capture_on_commit_callbacks, csv_file(rows))
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    assert job.problems == [
        {"row": 2, "column": "E-mail", "message": "Enter a valid e-mail address."}
    ]
    assert Supplier.objects.count() == 0


def test_rows_errors_are_written_in_the_requesters_language(
    admin_client, django_capture_on_commit_callbacks
):
    rows = [["code", "name", "email"], ["S1", "宁波恒磁磁业", "not-mail"]]
    post(admin_client, django_capture_on_commit_callbacks, csv_file(rows), language="zh-hans")
    job = ImportJob.objects.get()
    assert job.language == "zh-hans"
    assert job.summary.startswith("未导入")
    assert "邮" in job.problems[0]["column"] + job.problems[0]["message"]


def test_trial_run_checks_and_writes_nothing(admin_client, django_capture_on_commit_callbacks):
    post(admin_client, django_capture_on_commit_callbacks,
         xlsx([["code", "name"], ["S1", "供应商"]]), dry_run="on")
    job = ImportJob.objects.get()
    assert (job.status, job.dry_run) == (ImportStatus.DONE, True)
    assert job.summary == "All 1 rows are valid; nothing was written (trial run)."
    assert Supplier.objects.count() == 0


def test_zip_bomb_fails_in_the_worker_with_a_clear_message(
    admin_client, django_capture_on_commit_callbacks
):
    response = post(admin_client, django_capture_on_commit_callbacks,
                    inflating_xlsx(70 * 1024 * 1024))
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    assert job.summary.startswith("Nothing was imported. The workbook unpacks to more than 64 MB")
    assert Supplier.objects.count() == 0
    assert "The workbook unpacks to more than 64 MB" in admin_client.get(
        response["Location"]).content.decode()


def test_too_large_upload_is_refused_in_the_request(
    admin_client, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(imports, "MAX_FILE_BYTES", 100)
    rows = [["code", "name"]] + [[f"S{i}", "供应商"] for i in range(50)]
    response = post(admin_client, django_capture_on_commit_callbacks, csv_file(rows))
    assert response.status_code == 422
    assert "The file is larger than 0 MB" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_progress_partial_polls_while_running_and_shows_rows(admin_client, admin):
    job = ImportJob.objects.create(
        kind="suppliers", file="imports/x.csv", file_name="供应商.csv", file_size=10,
        language="en", requested_by=admin, requested_at=clock.now(),
        status=ImportStatus.RUNNING, started_at=clock.now(), stage="reading",
        rows_read=1200, rows_total=5000,
    )
    url = reverse("masterdata:import_job_status", args=[job.pk])
    body = admin_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert f'hx-get="{url}"' in body and 'hx-trigger="every 1s"' in body
    assert "1200 of 5000 rows (24%)" in body
    assert '<progress class="import-progress" max="5000" value="1200"' in body
    assert "<html" not in body  # the card alone

    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.DONE, summary="好了")
    body = admin_client.get(url).content.decode()
    assert "hx-trigger" not in body and "好了" in body


def test_progress_is_written_while_reading(admin, monkeypatch, django_capture_on_commit_callbacks):
    seen = []
    monkeypatch.setattr(imports, "PROGRESS_INTERVAL", 0)
    monkeypatch.setattr("kesu.masterdata.importing.PROGRESS_ROWS", 10)
    original = imports._Progress.__call__

    def spy(self, stage, rows_read, rows_total):
        original(self, stage, rows_read, rows_total)
        job = ImportJob.objects.get()
        seen.append((job.status, job.stage, job.rows_read, job.rows_total))

    monkeypatch.setattr(imports._Progress, "__call__", spy)
    rows = [["code", "name"]] + [[f"S{i}", "供应商"] for i in range(25)]
    with django_capture_on_commit_callbacks(execute=True):
        import_request(actor=admin, kind="suppliers", upload=xlsx(rows))
    assert seen == [
        ("running", "reading", 0, 25),  # the sheet's dimension: 26 rows with the header
        ("running", "reading", 10, 25),
        ("running", "reading", 20, 25),
        ("running", "checking", 25, 25),
        ("running", "writing", 25, 25),
    ]
    assert ImportJob.objects.get().status == ImportStatus.DONE


def test_a_task_run_twice_imports_once(admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = import_request(actor=admin, kind="suppliers",
                             upload=xlsx([["code", "name"], ["S1", "供应商"]]))
    import_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.created) == (ImportStatus.DONE, 1)


def test_a_job_whose_worker_died_is_failed_by_the_sweep(admin, admin_client):
    now = clock.now()
    stuck = ImportJob.objects.create(
        kind="suppliers", file="imports/gone.csv", file_name="a.csv", file_size=10,
        language="en", requested_by=admin, requested_at=now - timedelta(hours=1),
        status=ImportStatus.RUNNING, started_at=now - timedelta(minutes=31),
    )
    fresh = ImportJob.objects.create(
        kind="suppliers", file="imports/b.csv", file_name="b.csv", file_size=10,
        language="en", requested_by=admin, requested_at=now,
        status=ImportStatus.RUNNING, started_at=now - timedelta(minutes=5),
    )
    assert imports_sweep(now=now) == 1
    stuck.refresh_from_db()
    assert stuck.status == ImportStatus.FAILED
    assert stuck.summary.startswith("The import took longer than 30 minutes")
    assert ImportJob.objects.get(pk=fresh.pk).status == ImportStatus.RUNNING
    assert imports_sweep(now=now) == 0  # idempotent


def test_looking_at_a_stuck_job_fails_it(admin, admin_client):
    job = ImportJob.objects.create(
        kind="suppliers", file="imports/gone.csv", file_name="a.csv", file_size=10,
        language="en", requested_by=admin, requested_at=clock.now() - timedelta(hours=3),
    )  # queued, its task lost
    body = admin_client.get(reverse("masterdata:import_job_status", args=[job.pk])).content
    assert b'data-status="failed"' in body and b"never started" in body


def test_a_slow_worker_whose_job_was_given_up_writes_nothing(admin, monkeypatch):
    """The sweeper failed the job while the worker was writing: the worker's final compare-and-
    set finds it gone and its writes roll back."""
    job = ImportJob.objects.create(
        kind="suppliers", file=imports._store(xlsx([["code", "name"], ["S1", "供应商"]])),
        file_name="a.xlsx", file_size=10, language="en", requested_by=admin,
        requested_at=clock.now(),
    )
    original = imports._Progress.__call__

    def swept_before_writing(self, stage, rows_read, rows_total):
        original(self, stage, rows_read, rows_total)
        if stage == "writing":  # the sweeper, from another connection, just before the writes
            ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.FAILED, summary="swept")

    monkeypatch.setattr(imports._Progress, "__call__", swept_before_writing)
    import_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.summary) == (ImportStatus.FAILED, "swept")
    assert Supplier.objects.count() == 0


def test_orphan_uploads_are_removed_after_the_grace(admin):
    name = imports._store(csv_file([["code"]]))
    imports_sweep(now=clock.now())
    assert default_storage.exists(name)
    imports_sweep(now=clock.now() + imports.ORPHAN_GRACE + timedelta(minutes=1))
    assert not default_storage.exists(name)


def test_one_person_cannot_fill_the_queue(admin, django_capture_on_commit_callbacks):
    from kesu.core.errors import ValidationFailed

    for _ in range(imports.MAX_OPEN_PER_USER):
        import_request(actor=admin, kind="suppliers", upload=csv_file([["code"]]))
    with pytest.raises(ValidationFailed, match="still being made"):
        import_request(actor=admin, kind="suppliers", upload=csv_file([["code"]]))


# --- Who may import ------------------------------------------------------------------------------


def test_only_staff_with_the_permissions_may_import(client, qe, django_capture_on_commit_callbacks):
    client.force_login(qe)
    assert client.get(reverse("masterdata:import")).status_code == 302  # not staff: admin login
    qe.is_staff = True
    qe.save()
    assert client.get(reverse("masterdata:import")).status_code == 403
    from django.contrib.auth.models import Permission

    qe.user_permissions.add(*Permission.objects.filter(
        codename__in=["add_supplier", "change_supplier"]))
    response = post(client, django_capture_on_commit_callbacks,
                    xlsx([["code", "name"], ["S1", "供应商"]]))
    assert response.status_code == 302
    # Suppliers only: another kind is not among the choices.
    response = post(client, django_capture_on_commit_callbacks,
                    xlsx([["code", "name"], ["C1", "客户"]]), kind="customers")
    assert response.status_code == 422
    assert ImportJob.objects.count() == 1


def test_a_job_is_shown_only_to_who_may_import_its_kind(client, admin, qe):
    job = ImportJob.objects.create(
        kind="customers", file="imports/x.csv", file_name="x.csv", file_size=1, language="en",
        requested_by=admin, requested_at=clock.now(),
    )
    qe.is_staff = True
    qe.save()
    client.force_login(qe)
    assert client.get(reverse("masterdata:import_job", args=[job.pk])).status_code == 404
    assert client.get(reverse("masterdata:import_job_status", args=[job.pk])).status_code == 404
    client.force_login(admin)
    assert client.get(reverse("masterdata:import_job", args=[job.pk])).status_code == 200
    assert client.get(reverse("masterdata:import_job", args=[job.pk + 1])).status_code == 404
