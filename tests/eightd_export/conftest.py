import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from kesu.complaints.choices import Status
from kesu.eightd.export.services import export_request
from kesu.eightd.models import Discipline
from kesu.eightd.services import discipline_sign, discipline_update
from tests import eightd_data
from tests.fixtures import PASSWORD

SECRET = "内部备注：供应商报价3.2元，勿外传"


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


@pytest.fixture
def complete_8d(make_complaint, drive, engineer, qe):
    """A complaint in verification whose 8D is complete: every discipline written, approved by
    the tracker, D4 also reviewed by the engineer, and an internal note on each discipline."""
    complaint = drive(make_complaint(), Status.VERIFICATION)
    eightd_data.fill(complaint, engineer, ("d7", "d8"))
    for discipline in Discipline.objects.filter(report__complaint=complaint):
        discipline_update(
            actor=engineer, complaint=complaint, code=discipline.code,
            version=discipline.version, internal_note=f"{SECRET} {discipline.code}",
        )
    eightd_data.approve(complaint, qe, ("d1", "d2", "d3", "d4", "d6", "d7", "d8"), PASSWORD)
    discipline_sign(actor=engineer, complaint=complaint, code="d4", password=PASSWORD,
                    meaning="reviewed")
    return complaint


@pytest.fixture
def run_export(django_capture_on_commit_callbacks):
    """run_export(actor, complaint, format, language, **kw) → the export, made by the worker
    (tasks run inline in tests, after the request's commit)."""

    def run(actor, complaint, format="pdf", language="zh-hans", **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            export = export_request(
                actor=actor, complaint=complaint, format=format, language=language, **kwargs
            )
        export.refresh_from_db()
        return export

    return run


def pdf_reader(export) -> PdfReader:
    with export.file.open("rb") as handle:
        return PdfReader(io.BytesIO(handle.read()))


def pdf_text(export) -> str:
    return "\n".join(page.extract_text() for page in pdf_reader(export).pages)


def workbook_text(export) -> str:
    with export.file.open("rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).active
    return "\n".join(
        str(value) for row in sheet.iter_rows(values_only=True) for value in row
        if value is not None
    )


def compact(text: str) -> str:
    """Without whitespace: a table cell wraps its text over lines wherever it must."""
    return "".join(text.split())


def signature_lines(complaint):
    """(printed name, local time) of each signature on the complaint's 8D."""
    from kesu.eightd.selectors import report_view

    return [
        (s.printed_name, local(s.signed_at), s.meaning)
        for d in report_view(complaint).disciplines
        for s in d.signatures
    ]


@pytest.fixture
def as_user(client):
    """`as_user(persona)`: the test client, logged in as that persona."""

    def login(user):
        client.force_login(user)
        return client

    return login
