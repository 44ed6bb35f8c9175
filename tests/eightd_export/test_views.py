"""The export panel on the 8D page: ask for an export, see it listed, download it, send the
8D to the customer. Customers and outsiders get 404 everywhere."""

import pytest
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse

from kesu.eightd.export import views
from kesu.eightd.models import Export, ExportStatus


def _urls(complaint, export_id=1):
    number = complaint.number
    return {
        "panel": reverse("eightd_export:panel", args=[number]),
        "new": reverse("eightd_export:new", args=[number]),
        "send": reverse("eightd_export:send", args=[number]),
        "download": reverse("eightd_export:download", args=[number, export_id]),
    }


@pytest.fixture
def post(django_capture_on_commit_callbacks):
    def run(client, url, data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data, follow=True)

    return run


def test_request_then_download_a_pdf(complete_8d, qe, as_user, post):
    client = as_user(qe)
    response = post(client, _urls(complete_8d)["new"], {"format": "pdf", "language": "zh-hans"})
    assert response.redirect_chain[-1][0] == reverse("eightd_page", args=[complete_8d.number]) \
        + "#exports"
    assert response.status_code == 200
    export = Export.objects.get()
    assert export.status == ExportStatus.DONE
    page = response.content.decode()
    assert 'id="exports"' in page  # the panel is on the 8D page
    panel = client.get(_urls(complete_8d)["panel"], headers={"HX-Request": "true"})
    download = _urls(complete_8d, export.pk)["download"]
    assert f'href="{download}"' in panel.content.decode()

    file = client.get(download)
    assert file.status_code == 200
    assert file["Content-Type"] == "application/pdf"
    assert file["Cache-Control"] == "private, no-store"
    assert file["Content-Disposition"] == (
        f'attachment; filename="{complete_8d.number}-8D-zh.pdf"'
    )
    assert b"".join(file.streaming_content).startswith(b"%PDF-")


def test_workbook_download_has_its_type_and_name(complete_8d, qe, as_user, post):
    client = as_user(qe)
    post(client, _urls(complete_8d)["new"], {"format": "xlsx", "language": "en"})
    export = Export.objects.get()
    file = client.get(_urls(complete_8d, export.pk)["download"])
    assert file["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert f"{complete_8d.number}-8D-en.xlsx" in file["Content-Disposition"]


def test_bad_choice_is_a_message_and_nothing_else(complete_8d, qe, as_user, post):
    client = as_user(qe)
    client.post(reverse("set_language"), {"language": "en"})
    response = post(client, _urls(complete_8d)["new"], {"format": "exe", "language": "en"})
    assert response.status_code == 200
    assert "Choose PDF or Excel." in response.content.decode()
    assert not Export.objects.exists()


def test_send_from_the_page(complete_8d, cs_agent, as_user, post):
    response = post(as_user(cs_agent), _urls(complete_8d)["send"], {"note": "请查收"})
    export = Export.objects.get()
    assert export.send and export.version is not None
    assert export.status == ExportStatus.DONE
    page = response.content.decode()
    assert "wang@example.com" in page  # the success message names where it goes


def test_panel_polls_while_an_export_is_being_made(complete_8d, qe, as_user):
    from kesu.eightd.export.services import export_request

    export_request(actor=qe, complaint=complete_8d, format="pdf", language="en")  # not run
    client = as_user(qe)
    fragment = client.get(_urls(complete_8d)["panel"], headers={"HX-Request": "true"})
    html = fragment.content.decode()
    assert 'id="exports"' in html and "<html" not in html
    assert 'hx-trigger="every 3s"' in html
    standalone = client.get(_urls(complete_8d)["panel"]).content.decode()
    assert "<html" in standalone and 'id="exports"' in standalone


def test_panel_without_queued_exports_does_not_poll(complete_8d, qe, as_user):
    html = as_user(qe).get(_urls(complete_8d)["panel"], headers={"HX-Request": "true"})
    assert "every 3s" not in html.content.decode()


def test_the_send_button_shows_to_those_who_may_send(complete_8d, engineer, sales, as_user):
    html = as_user(engineer).get(_urls(complete_8d)["panel"]).content.decode()
    assert 'data-action="export"' in html and 'data-action="send-8d"' in html


def test_outsiders_get_404(complete_8d, qe, outsider, as_user, run_export):
    export = run_export(qe, complete_8d, "pdf", "en")
    client = as_user(outsider)
    urls = _urls(complete_8d, export.pk)
    assert client.get(urls["panel"]).status_code == 404
    assert client.get(urls["download"]).status_code == 404
    assert client.post(urls["new"], {"format": "pdf", "language": "en"}).status_code == 404
    assert client.post(urls["send"], {"note": ""}).status_code == 404
    assert Export.objects.count() == 1


@pytest.mark.parametrize("persona", ["customer_contact", "other_customer_contact"])
def test_customers_never_reach_the_exports(complete_8d, qe, as_user, persona, request,
                                           run_export):
    """The portal sends customers away from staff pages; behind it the views answer 404."""
    export = run_export(qe, complete_8d, "pdf", "en")
    person = request.getfixturevalue(persona)
    client = as_user(person)
    urls = _urls(complete_8d, export.pk)
    portal = reverse("portal:detail", args=[complete_8d.number])
    for response in (
        client.get(urls["panel"]),
        client.get(urls["download"]),
        client.post(urls["new"], {"format": "pdf", "language": "en"}),
        client.post(urls["send"], {"note": ""}),
    ):
        assert (response.status_code, response["Location"]) == (302, portal)
    assert Export.objects.count() == 1

    factory = RequestFactory()
    for view, args, method in (
        (views.export_panel, (), "get"),
        (views.export_download, (export.pk,), "get"),
        (views.export_new, (), "post"),
        (views.export_send, (), "post"),
    ):
        direct = getattr(factory, method)("/")
        direct.user = person
        with pytest.raises(Http404):
            view(direct, complete_8d.number, *args)
    assert Export.objects.count() == 1


def test_another_complaint_s_export_is_not_downloadable_through_this_one(
    complete_8d, make_complaint, drive, qe, as_user, run_export
):
    other = drive(make_complaint(title="另一投诉"), "analysis")
    export = run_export(qe, other, "pdf", "en")
    response = as_user(qe).get(_urls(complete_8d, export.pk)["download"])
    assert response.status_code == 404


def test_a_queued_export_is_not_downloadable(complete_8d, qe, as_user):
    from kesu.eightd.export.services import export_request

    export = export_request(actor=qe, complaint=complete_8d, format="pdf", language="en")
    assert as_user(qe).get(_urls(complete_8d, export.pk)["download"]).status_code == 404


def test_anonymous_goes_to_login(complete_8d, client):
    response = client.get(_urls(complete_8d)["panel"])
    assert response.status_code == 302 and "/login/" in response["Location"]
