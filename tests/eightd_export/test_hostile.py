"""Whatever people type prints as the text they typed: markup, formulas, control characters,
and the largest documents the 8D accepts."""

import io

from openpyxl import load_workbook

from kesu.eightd.content import MAX_ROWS
from kesu.eightd.models import Discipline, ExportStatus
from kesu.eightd.services import discipline_update
from tests.eightd_data import COMPLETE
from tests.eightd_export.conftest import compact, pdf_text, workbook_text

HOSTILE = '<script>alert("划伤")</script>&amp;<b>夹具</b><br/><para>'
FORMULA = '=HYPERLINK("http://evil.example","点击")'


def _write(complaint, actor, code, content):
    discipline = Discipline.objects.get(report__complaint=complaint, code=code)
    discipline_update(actor=actor, complaint=complaint, code=code, version=discipline.version,
                      content=content)


def test_markup_and_formulas_print_as_text(complete_8d, engineer, qe, run_export):
    d4 = COMPLETE["d4"]
    _write(complete_8d, engineer, "d4", {
        **d4, "occurrence": {**d4["occurrence"], "statement": HOSTILE, "whys": [FORMULA]},
    })
    _write(complete_8d, engineer, "d1", {**COMPLETE["d1"], "champion": "经理\x01\x07\r\n第二行"})
    pdf = run_export(qe, complete_8d, "pdf", "zh-hans")
    assert pdf.status == ExportStatus.DONE, pdf.error
    text = compact(pdf_text(pdf))
    assert compact(HOSTILE) in text
    assert compact(FORMULA) in text
    assert "经理第二行" in text

    workbook = run_export(qe, complete_8d, "xlsx", "zh-hans")
    assert workbook.status == ExportStatus.DONE, workbook.error
    assert HOSTILE in workbook_text(workbook)
    with workbook.file.open("rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).active
    cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(FORMULA in c.value for c in cells)
    assert all(c.data_type == "s" for c in cells)  # not one formula


def test_the_largest_8d_prints(complete_8d, engineer, qe, run_export):
    """Fifty rows, two of them of 4,000 characters: a row longer than a page continues on the
    next one (bench/eightd_export.py measures fifty such rows in every table)."""
    long = "库存全检并记录批次号" * 400
    row = COMPLETE["d3"]["actions"][0]
    tall = {**row, "action": long, "effectiveness": long}
    _write(complete_8d, engineer, "d3", {"actions": [tall, *[row] * (MAX_ROWS - 2), tall]})
    _write(complete_8d, engineer, "d7", {**COMPLETE["d7"], "lesson_learned": "教训" * 10_000})
    pdf = run_export(qe, complete_8d, "pdf", "en")
    assert pdf.status == ExportStatus.DONE, pdf.error
    workbook = run_export(qe, complete_8d, "xlsx", "en")
    assert workbook.status == ExportStatus.DONE, workbook.error
    assert long in workbook_text(workbook)
