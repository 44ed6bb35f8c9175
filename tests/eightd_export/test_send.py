"""Sending the 8D to the customer is one action: a frozen version with its event on the
timeline, a PDF of that version in the contact's language, and exactly one mail with the PDF
attached and a personal link to the portal, through the outbox and a real SMTP server."""

import io
import re

import pytest
from pypdf import PdfReader

from kesu.complaints.choices import Visibility
from kesu.complaints.models import ComplaintEvent
from kesu.core.errors import NotAllowed, ValidationFailed
from kesu.eightd.events import EIGHTD_SENT
from kesu.eightd.export.services import export_render, export_send
from kesu.eightd.models import CustomerVersion, Export, ExportStatus, Purpose
from kesu.notifications.delivery import deliver_due
from kesu.notifications.models import Notification
from kesu.portal.links import link_open
from tests.eightd_data import COMPLETE
from tests.eightd_export.conftest import compact


@pytest.fixture
def send(django_capture_on_commit_callbacks, smtp_server):
    """Send, after the milestone mails of getting there are out of the way."""

    def run(actor, complaint, note=""):
        deliver_due()
        smtp_server.messages.clear()
        with django_capture_on_commit_callbacks(execute=True):
            export = export_send(actor=actor, complaint=complaint, note=note)
        export.refresh_from_db()
        return export

    return run


def _attachment(message):
    [part] = [p for p in message.iter_attachments()]
    return part


def test_send_freezes_a_version_and_mails_its_pdf_once(
    complete_8d, cs_agent, send, smtp_server
):
    export = send(cs_agent, complete_8d, note="请查收8D报告")
    assert export.status == ExportStatus.DONE, export.error
    version = CustomerVersion.objects.get(report__complaint=complete_8d, purpose=Purpose.REPORT)
    assert export.version == version and export.send and export.format == "pdf"
    assert export.language == "zh-hans"  # the contact has chosen no language
    event = ComplaintEvent.objects.get(complaint=complete_8d, type=EIGHTD_SENT)
    assert (event.visibility, event.note, event.payload) == (
        Visibility.CUSTOMER, "请查收8D报告", {"version": version.number}
    )

    deliver_due()  # the safety net finds nothing more to send
    deliver_due()
    mails = [m for m in smtp_server.messages if m["To"] == "wang@example.com"]
    assert len(mails) == 1
    [mail] = mails
    body = mail.get_body(preferencelist=("plain",)).get_content()
    assert "请查收8D报告" in body
    assert f"{complete_8d.number}-8D-v{version.number}-zh.pdf" in body
    part = _attachment(mail)
    assert part.get_content_type() == "application/pdf"
    assert part.get_filename() == f"{complete_8d.number}-8D-v{version.number}-zh.pdf"
    pdf = PdfReader(io.BytesIO(part.get_content()))
    text = compact("".join(page.extract_text() for page in pdf.pages))
    assert compact(COMPLETE["d4"]["occurrence"]["statement"]) in text
    assert version.content_hash in text

    # The personal link in the mail opens this complaint for the contact.
    link = re.search(r"http://\S+/portal/\S+", body).group(0)
    token = link.rstrip("/").split("/")[-1]
    user, opened = link_open(token)
    assert opened == complete_8d and user.email == "wang@example.com"

    row = Notification.objects.get(event_key=f"eightd_export:{export.pk}:customer")
    assert row.status == "sent"


def test_a_second_run_of_the_task_sends_nothing_more(complete_8d, cs_agent, send, smtp_server):
    export = send(cs_agent, complete_8d)
    export_render(export_id=export.pk)
    deliver_due()
    assert len([m for m in smtp_server.messages if m["To"] == "wang@example.com"]) == 1
    assert Notification.objects.filter(event_key__startswith="eightd_export:").count() == 1


def test_the_pdf_is_in_the_contact_s_language(complete_8d, cs_agent, send, smtp_server):
    from kesu.portal.links import portal_contact

    contact = portal_contact(complete_8d)
    contact.language = "en"
    contact.save(update_fields=["language"])
    export = send(cs_agent, complete_8d)
    assert export.language == "en"
    deliver_due()
    [mail] = [m for m in smtp_server.messages if m["To"] == "wang@example.com"]
    assert _attachment(mail).get_filename().endswith("-8D-v2-en.pdf")


def test_no_mail_before_the_pdf_exists(complete_8d, cs_agent, send, settings, smtp_server):
    settings.KESU_PDF_FONT = "/nonexistent.ttf"
    export = send(cs_agent, complete_8d)
    assert export.status == ExportStatus.FAILED
    deliver_due()
    assert not [m for m in smtp_server.messages if m["To"] == "wang@example.com"]
    assert not Notification.objects.filter(event_key__startswith="eightd_export:").exists()


def test_without_a_contact_address_nothing_is_sent(make_complaint, drive, cs_agent):
    complaint = drive(make_complaint(contact_email=""), "analysis")
    with pytest.raises(ValidationFailed):
        export_send(actor=cs_agent, complaint=complaint)
    assert not CustomerVersion.objects.filter(purpose=Purpose.REPORT).exists()
    assert not Export.objects.exists()


@pytest.mark.parametrize("note", ["\x00", "长" * 20_001, 5])
def test_a_bad_note_changes_nothing(complete_8d, cs_agent, note):
    with pytest.raises(ValidationFailed) as refused:
        export_send(actor=cs_agent, complaint=complete_8d, note=note)
    assert "note" in refused.value.field_errors
    assert not CustomerVersion.objects.filter(purpose=Purpose.REPORT).exists()


def test_only_customer_service_and_the_handling_team_send(complete_8d, sales, customer_contact):
    for person in (customer_contact,):
        with pytest.raises(NotAllowed):
            export_send(actor=person, complaint=complete_8d)
    assert not Export.objects.exists()
    assert not CustomerVersion.objects.filter(purpose=Purpose.REPORT).exists()
