"""An export of a customer version prints the frozen snapshot, whatever the 8D says now."""

from kesu.eightd.models import Discipline, Purpose
from kesu.eightd.selectors import latest_version
from kesu.eightd.services import discipline_update
from tests.eightd_export.conftest import compact, pdf_text, workbook_text

LATER = "后来改写的发生原因：模具温度异常"


def _rewrite_d4(complaint, engineer):
    d4 = Discipline.objects.get(report__complaint=complaint, code="d4")
    content = {**d4.content, "occurrence": {**d4.content["occurrence"], "statement": LATER}}
    discipline_update(actor=engineer, complaint=complaint, code="d4", version=d4.version,
                      content=content)


def test_version_export_prints_the_frozen_snapshot(complete_8d, engineer, qe, run_export):
    plan = latest_version(complete_8d, Purpose.PLAN)  # frozen when the plan went out
    frozen = next(d for d in plan.snapshot["disciplines"] if d["code"] == "d4")
    _rewrite_d4(complete_8d, engineer)

    pdf = run_export(qe, complete_8d, "pdf", "zh-hans", version=plan)
    text = compact(pdf_text(pdf))
    assert compact(frozen["content"]["occurrence"]["statement"]) in text
    assert compact(LATER) not in text
    assert plan.content_hash in text
    assert pdf.file.name.split("/")[-1].startswith(f"{complete_8d.number}-8D-v1-zh")

    workbook = workbook_text(run_export(qe, complete_8d, "xlsx", "en", version=plan))
    assert frozen["content"]["occurrence"]["statement"] in workbook
    assert LATER not in workbook

    current = compact(pdf_text(run_export(qe, complete_8d, "pdf", "zh-hans")))
    assert compact(LATER) in current


def test_frozen_signatures_print_as_they_were(complete_8d, engineer, qe, run_export):
    """The plan froze D5's approval while valid; a later edit does not change the print."""
    plan = latest_version(complete_8d, Purpose.PLAN)
    d5 = Discipline.objects.get(report__complaint=complete_8d, code="d5")
    discipline_update(actor=engineer, complaint=complete_8d, code="d5", version=d5.version,
                      content={**d5.content, "actions": d5.content["actions"][:1]
                               + [{**d5.content["actions"][1], "action": "改过的措施"}]})
    text = compact(pdf_text(run_export(qe, complete_8d, "pdf", "en", version=plan)))
    assert "Nolongervalid" not in text
    current = compact(pdf_text(run_export(qe, complete_8d, "pdf", "en")))
    assert "Nolongervalid(editedaftersigning)" in current
