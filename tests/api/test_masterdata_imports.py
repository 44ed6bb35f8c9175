"""Master-data imports over the API: 202 with the queued job, then poll it."""

import pytest
from django.contrib.auth.models import Permission

from kesu.masterdata.models import ImportJob, Supplier
from kesu.org.models import Role
from tests import factories as f
from tests.masterdata.sheets import csv_file, inflating_xlsx, xlsx


@pytest.fixture
def admin(db):
    return f.UserFactory(username="root", role=Role.ADMIN, is_staff=True, is_superuser=True)


def test_import_answers_202_with_the_job_and_the_poll_shows_it_done(
    api_as, admin, django_capture_on_commit_callbacks
):
    api = api_as(admin)
    with django_capture_on_commit_callbacks() as callbacks:
        response = api.upload(
            "/imports", xlsx([["code", "name"], ["S1", "宁波恒磁磁业"]]), kind="suppliers"
        )
    assert response.status_code == 202, response.json()
    job = response.json()
    assert (job["status"], job["kind"], job["file_name"]) == ("queued", "suppliers", "data.xlsx")
    assert job["url"] == f"/api/v1/imports/{job['id']}"
    assert Supplier.objects.count() == 0

    for callback in callbacks:
        callback()  # the worker (inline in tests)
    polled = api.get(f"/imports/{job['id']}")
    assert polled.status_code == 200
    body = polled.json()
    assert (body["status"], body["created"], body["rows_read"]) == ("done", 1, 1)
    assert body["summary"] == "Imported 1 rows: 1 created, 0 updated, 0 unchanged."
    assert body["problems"] == [] and body["finished_at"]
    assert Supplier.objects.filter(code="S1").exists()


def test_bad_rows_and_bombs_end_failed_with_their_problems(
    api_as, admin, django_capture_on_commit_callbacks
):
    api = api_as(admin)
    with django_capture_on_commit_callbacks(execute=True):
        bad = api.upload("/imports", csv_file([["code", "name", "email"], ["S1", "x", "no"]]),
                         kind="suppliers").json()
        bomb = api.upload("/imports", inflating_xlsx(70 * 1024 * 1024), kind="suppliers").json()
    bad = api.get(bad["url"].removeprefix("/api/v1")).json()
    assert bad["status"] == "failed" and bad["problem_count"] == 1
    assert bad["problems"] == [
        {"row": 2, "column": "E-mail", "message": "Enter a valid e-mail address."}
    ]
    bomb = api.get(bomb["url"].removeprefix("/api/v1")).json()
    assert bomb["status"] == "failed"
    assert bomb["problems"][0]["row"] is None
    assert bomb["problems"][0]["message"].startswith("The workbook unpacks to more than 64 MB")
    assert Supplier.objects.count() == 0


def test_trial_run(api_as, admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = api_as(admin).upload(
            "/imports", xlsx([["code", "name"], ["S1", "x"]]), kind="suppliers", dry_run="true"
        ).json()
    assert job["dry_run"] is True
    assert ImportJob.objects.get().status == "done"
    assert Supplier.objects.count() == 0


def test_unknown_kind_is_422(api_as, admin):
    response = api_as(admin).upload("/imports", csv_file([["code"]]), kind="planets")
    assert response.status_code == 422
    assert "kind" in response.json()["fields"]
    assert not ImportJob.objects.exists()


def test_who_may_import(api_as, admin, qe, customer_contact):
    def status(user, kind="suppliers"):
        upload = xlsx([["code", "name"], ["S1", "x"]])
        return api_as(user).upload("/imports", upload, kind=kind).status_code

    assert status(customer_contact) == 403
    assert status(qe) == 403
    qe.is_staff = True
    qe.save()
    qe.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_supplier", "change_supplier"])
    )
    assert status(qe) == 202
    assert status(qe, "customers") == 403


def test_someone_elses_job_is_404_to_who_may_not_import_its_kind(api_as, admin, qe):
    with_job = api_as(admin).upload("/imports", csv_file([["code"]]), kind="customers").json()
    assert api_as(qe).get(f"/imports/{with_job['id']}").status_code == 404
    assert api_as(admin).get(f"/imports/{with_job['id'] + 1}").status_code == 404
