"""The export operations of the API: 202 and poll, download, send; the API's error shape."""

import pytest

from kesu.eightd.models import CustomerVersion, Export, Purpose
from tests.api.conftest import ApiClient


@pytest.fixture
def api_as(db):
    from kesu.api.tokens import token_issue

    def make(user, language="en"):
        _token, key = token_issue(user=user)
        return ApiClient(key, language=language)

    return make


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the request's after-commit work (the worker, inline in tests)."""

    def run(call):
        with django_capture_on_commit_callbacks(execute=True):
            return call()

    return run


def test_request_poll_and_download(complete_8d, qe, api_as, committed):
    api = api_as(qe)
    path = f"/complaints/{complete_8d.number}/8d/exports"
    response = committed(lambda: api.post(path, {"format": "xlsx", "language": "zh-hans"}))
    assert response.status_code == 202, response.json()
    body = response.json()
    assert (body["format"], body["language"], body["status"]) == ("xlsx", "zh-hans", "queued")
    assert body["file_url"] is None and body["version"] is None

    [listed] = api.get(path).json()
    assert listed["id"] == body["id"] and listed["status"] == "done"
    assert listed["file_name"] == f"{complete_8d.number}-8D-zh.xlsx"
    file = api.client.get(listed["file_url"], headers=api.headers)
    assert file.status_code == 200
    assert file["Cache-Control"] == "private, no-store"
    assert b"".join(file.streaming_content)[:2] == b"PK"


def test_a_version_by_number(complete_8d, qe, api_as, committed):
    path = f"/complaints/{complete_8d.number}/8d/exports"
    response = committed(
        lambda: api_as(qe).post(path, {"format": "pdf", "language": "en", "version": 1})
    )
    assert response.status_code == 202
    assert response.json()["version"] == 1
    missing = api_as(qe).post(path, {"format": "pdf", "language": "en", "version": 99})
    assert missing.status_code == 404


def test_file_of_a_queued_export_is_409(complete_8d, qe, api_as):
    api = api_as(qe)
    path = f"/complaints/{complete_8d.number}/8d/exports"
    export_id = api.post(path, {"format": "pdf", "language": "en"}).json()["id"]  # not run
    response = api.get(f"{path}/{export_id}/file")
    assert response.status_code == 409
    assert response.json()["code"] == "not_ready"
    assert api.get(f"{path}/999999/file").status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"format": "docx", "language": "en"}, "format"),
        ({"format": "pdf", "language": "de"}, "language"),
        ({"format": "pdf"}, "language"),
        ({"format": "pdf", "language": "en", "send": True}, "send"),
    ],
)
def test_bad_requests_are_422_with_the_field(complete_8d, qe, api_as, body, field):
    response = api_as(qe).post(f"/complaints/{complete_8d.number}/8d/exports", body)
    assert response.status_code == 422
    assert field in response.json()["fields"]
    assert not Export.objects.exists()


def test_send(complete_8d, cs_agent, api_as, committed):
    api = api_as(cs_agent)
    response = committed(
        lambda: api.post(f"/complaints/{complete_8d.number}/8d/send", {"note": "请查收"})
    )
    assert response.status_code == 202, response.json()
    body = response.json()
    version = CustomerVersion.objects.get(purpose=Purpose.REPORT)
    assert body["version"] == version.number
    assert body["export"]["send"] is True and body["export"]["format"] == "pdf"
    assert Export.objects.get().status == "done"


def test_send_with_a_too_long_note_is_422(complete_8d, cs_agent, api_as):
    response = api_as(cs_agent).post(
        f"/complaints/{complete_8d.number}/8d/send", {"note": "长" * 20_001}
    )
    assert response.status_code == 422
    assert not CustomerVersion.objects.filter(purpose=Purpose.REPORT).exists()


def test_customers_and_outsiders(complete_8d, customer_contact, outsider, api_as):
    path = f"/complaints/{complete_8d.number}/8d"
    customer = api_as(customer_contact)
    assert customer.get(f"{path}/exports").status_code == 403
    assert customer.post(f"{path}/exports", {"format": "pdf", "language": "en"}).status_code \
        == 403
    assert customer.post(f"{path}/send", {}).status_code == 403
    stranger = api_as(outsider)
    assert stranger.get(f"{path}/exports").status_code == 404
    assert stranger.post(f"{path}/send", {}).status_code == 404
    assert not Export.objects.exists()


def test_the_file_has_one_name_from_the_8d_page_the_api_and_the_portal(
    complete_8d, cs_agent, customer_contact, api_as, committed, client
):
    from django.urls import reverse

    number = complete_8d.number
    api = api_as(cs_agent)
    committed(lambda: api.post(f"/complaints/{number}/8d/send", {}))
    export = Export.objects.get()
    client.force_login(cs_agent)
    page = client.get(reverse("eightd_export:download", args=[number, export.pk]))
    through_api = api.get(f"/complaints/{number}/8d/exports/{export.pk}/file")
    client.force_login(customer_contact)
    portal = client.get(f"/portal/{number}/exports/{export.pk}/")
    names = {r["Content-Disposition"] for r in (page, through_api, portal)}
    assert names == {f'attachment; filename="{number}-8D-v{export.version.number}-zh.pdf"'}
