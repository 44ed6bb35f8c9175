"""Files leave with the type Kesu determined from the checked content, never the one the
uploader's browser claimed (SPEC §13), and every allowed type has a content check."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kesu.complaints.models import Attachment
from kesu.complaints.uploads import ALLOWED

PDF = b"%PDF-1.7\n" + b"0" * 64


def test_a_pdf_claimed_as_html_is_served_as_pdf(api_as, cs_agent, make_complaint):
    complaint = make_complaint()
    claimed = SimpleUploadedFile("报告.pdf", PDF, content_type="text/html")
    client = api_as(cs_agent)
    body = client.upload(f"/complaints/{complaint.number}/attachments", claimed).json()
    download = client.get(body["url"].removeprefix("/api/v1"))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert Attachment.objects.get().content_type == "application/pdf"


def test_rows_recorded_with_the_claimed_type_are_served_with_the_checked_one(
    api_as, cs_agent, make_complaint
):
    complaint = make_complaint()
    client = api_as(cs_agent)
    upload = SimpleUploadedFile("报告.pdf", PDF, content_type="application/pdf")
    body = client.upload(f"/complaints/{complaint.number}/attachments", upload).json()
    Attachment.objects.update(content_type="text/html")  # as an earlier version stored it
    download = client.get(body["url"].removeprefix("/api/v1"))
    assert download["Content-Type"] == "application/pdf"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("video.mp4", b"<html><script>alert(1)</script></html>"),
        ("notes.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        ("list.csv", b"\x00\x01\x02\x03binary"),
    ],
)
def test_content_checks_cover_the_types_without_a_signature(
    api_as, cs_agent, make_complaint, name, content
):
    complaint = make_complaint()
    fake = SimpleUploadedFile(name, content, content_type="text/plain")
    response = api_as(cs_agent).upload(f"/complaints/{complaint.number}/attachments", fake)
    assert response.status_code == 422
    assert not Attachment.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("video.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 16),
        ("说明.txt", "批次 L261102-043 复检合格。\n".encode()),
        ("清单.csv", "批次,数量\nL261102-043,3\n".encode("gbk")),
    ],
)
def test_real_files_of_those_types_are_accepted(api_as, cs_agent, make_complaint, name, content):
    complaint = make_complaint()
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    response = api_as(cs_agent).upload(f"/complaints/{complaint.number}/attachments", upload)
    assert response.status_code == 201, response.json()


def test_every_allowed_type_has_a_served_type_and_a_check():
    for extension, (served, check) in ALLOWED.items():
        assert "/" in served and check, extension
