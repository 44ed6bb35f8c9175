"""The 8D as a workbook: one sheet laid out as the form, with the same content and signatures
as the PDF, in Chinese or English; every value is text."""

import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from kesu.eightd.models import DISCIPLINES, ExportStatus
from kesu.signoff.models import Meaning
from tests.eightd_data import COMPLETE
from tests.eightd_export.conftest import signature_lines, workbook_text


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_workbook_holds_causes_actions_and_signatures(complete_8d, qe, run_export, language):
    export = run_export(qe, complete_8d, "xlsx", language)
    assert export.status == ExportStatus.DONE, export.error
    assert export.file.name.endswith(".xlsx")
    text = workbook_text(export)
    d4 = COMPLETE["d4"]
    for cause in (d4["occurrence"], d4["escape"]):
        assert cause["statement"] in text
        assert cause["verification"] in text
        for why in cause["whys"]:
            assert why in text
    for action in COMPLETE["d5"]["actions"]:
        assert action["action"] in text
    assert COMPLETE["d7"]["lesson_learned"] in text
    with translation.override(language):
        for printed_name, time, meaning in signature_lines(complete_8d):
            assert printed_name in text
            assert time in text
            assert str(Meaning(meaning).label) in text
        for code in ("d1", "d4", "d8"):
            assert str(DISCIPLINES[code]) in text


def test_one_sheet_with_page_setup(complete_8d, qe, run_export):
    export = run_export(qe, complete_8d, "xlsx", "en")
    with export.file.open("rb") as handle:
        workbook = load_workbook(io.BytesIO(handle.read()))
    assert workbook.sheetnames == ["8D"]
    sheet = workbook.active
    assert sheet["A1"].value == f"8D report  {complete_8d.number}"
    assert complete_8d.number in sheet.oddHeader.left.text
    assert sheet.oddFooter.right.text == "&P / &N"
    assert sheet.page_setup.fitToWidth == 1
    assert workbook.properties.title == f"8D report {complete_8d.number}"
