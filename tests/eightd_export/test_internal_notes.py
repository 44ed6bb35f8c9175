"""Exports print the customer-visible 8D only: internal notes never appear."""

import pytest

from kesu.eightd.models import Discipline
from tests.eightd_export.conftest import SECRET, compact, pdf_text, workbook_text


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_internal_notes_are_not_exported(complete_8d, qe, run_export, language):
    assert Discipline.objects.filter(
        report__complaint=complete_8d, internal_note__startswith=SECRET
    ).count() == 8
    assert compact(SECRET) not in compact(pdf_text(run_export(qe, complete_8d, "pdf", language)))
    assert SECRET not in workbook_text(run_export(qe, complete_8d, "xlsx", language))
