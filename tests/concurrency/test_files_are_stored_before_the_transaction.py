"""Uploaded files are written to storage before the transaction that records them (STYLE habit
14), under their content hash: identical content is kept once, and the transaction only writes
the rows that refer to the stored name."""

import pytest
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from kesu.complaints import services
from kesu.complaints.choices import Status
from kesu.complaints.models import Attachment
from kesu.eightd.evidence import evidence_attach_all

PDF = b"%PDF-1.4\n" + b"0" * 2048


def pdf(name="报告.pdf", body=PDF):
    return SimpleUploadedFile(name, body, content_type="application/pdf")


@pytest.fixture
def writes(monkeypatch):
    """Whether a transaction was open at each write to storage."""
    seen = []
    save = FileSystemStorage._save

    def recording(self, name, content):
        seen.append(connection.in_atomic_block)
        return save(self, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", recording)
    return seen


@pytest.mark.django_db(transaction=True)
def test_files_of_a_new_complaint_and_of_a_message_are_stored_outside_the_transaction(
    make_complaint, cs_agent, writes
):
    complaint = make_complaint(contact_email="")
    services.complaint_comment(
        actor=cs_agent, complaint=complaint, text="见附件",
        files=[pdf("a.pdf", PDF + b"a"), pdf("b.pdf", PDF + b"b")],
    )
    services.complaint_attach(actor=cs_agent, complaint=complaint, upload=pdf("c.pdf", PDF + b"c"))
    assert writes == [False, False, False]
    assert Attachment.objects.filter(complaint=complaint).count() == 3


@pytest.mark.django_db(transaction=True)
def test_eight_d_evidence_is_stored_before_its_one_transaction(
    make_complaint, drive, engineer, writes, eightd_hours
):
    eightd_hours()
    complaint = drive(make_complaint(contact_email=""), Status.ANALYSIS)
    files = [pdf(f"{n}.pdf", PDF + bytes([n])) for n in range(10)]
    links = evidence_attach_all(actor=engineer, complaint=complaint, code="d3", uploads=files)
    assert len(links) == 10
    assert writes == [False] * 10


def test_identical_content_is_stored_once(make_complaint, cs_agent):
    complaint = make_complaint()
    first = services.complaint_attach(actor=cs_agent, complaint=complaint, upload=pdf("甲.pdf"))
    second = services.complaint_attach(actor=cs_agent, complaint=complaint, upload=pdf("乙.pdf"))
    assert first.file.name == second.file.name == f"attachments/{first.sha256[:2]}/{first.sha256}"
    assert (first.original_name, second.original_name) == ("甲.pdf", "乙.pdf")
    _dirs, stored = default_storage.listdir(f"attachments/{first.sha256[:2]}")
    assert stored == [first.sha256]
    with second.file.open("rb") as handle:
        assert handle.read() == PDF
