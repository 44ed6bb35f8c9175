from django.core.files.uploadedfile import SimpleUploadedFile

from kesu.complaints.choices import Visibility
from kesu.complaints.events import COMMENT

PDF = b"%PDF-1.4 test"


def test_agent_writes_an_internal_message_with_a_file(as_user, cs_agent, make_complaint):
    complaint = make_complaint()
    client = as_user(cs_agent)
    response = client.post(
        f"/complaints/{complaint.number}/messages/",
        {
            "text": "请质量部确认",
            "visibility": "internal",
            "files": [SimpleUploadedFile("检验报告.pdf", PDF, content_type="application/pdf")],
        },
    )
    assert response.status_code == 302
    comment = complaint.events.get(type=COMMENT)
    assert (comment.note, comment.visibility) == ("请质量部确认", Visibility.INTERNAL)
    html = client.get(f"/complaints/{complaint.number}/").content.decode()
    assert "请质量部确认" in html and "检验报告.pdf" in html


def test_empty_message_is_explained(as_user, cs_agent, make_complaint):
    complaint = make_complaint()
    response = as_user(cs_agent).post(
        f"/complaints/{complaint.number}/messages/", {"text": "  ", "visibility": "internal"}
    )
    assert response.status_code == 422
    assert response.context["message_form"].errors["text"]


def test_attachment_download_goes_through_the_access_check(
    as_user, cs_agent, outsider, customer_contact, make_complaint
):
    from kesu.complaints import services

    complaint = make_complaint()
    services.complaint_comment(
        actor=cs_agent,
        complaint=complaint,
        text="",
        files=[SimpleUploadedFile("内部.pdf", PDF, content_type="application/pdf")],
    )
    attachment = complaint.attachments.get()
    url = f"/complaints/{complaint.number}/attachments/{attachment.pk}/"

    response = as_user(cs_agent).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == PDF

    assert as_user(outsider).get(url).status_code == 404
    # Internal files are not the customer's, even on their own complaint (customers are sent
    # to the portal, which has its own downloads).
    refused = as_user(customer_contact).get(url)
    assert refused.status_code in (302, 404) and not refused.streaming
    assert not refused.get("Location", "").startswith("/complaints/")
    assert (
        as_user(cs_agent)
        .get(f"/complaints/{complaint.number}/attachments/{attachment.pk + 1}/")
        .status_code
        == 404
    )


def test_media_is_not_served_directly(as_user, cs_agent, make_complaint):
    from kesu.complaints import services

    complaint = make_complaint()
    services.complaint_comment(
        actor=cs_agent,
        complaint=complaint,
        text="",
        files=[SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")],
    )
    name = complaint.attachments.get().file.name
    assert as_user(cs_agent).get(f"/media/{name}").status_code == 404
