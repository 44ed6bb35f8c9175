"""The 8D as PDF: the customary form in Chinese or English, the Chinese font embedded, and the
text extractable (pypdf) with the causes, actions and every signature."""

import pytest
from django.utils import translation

from kesu.eightd.models import ExportStatus
from kesu.eightd.selectors import customer_document, report_view
from kesu.signoff.models import Meaning
from kesu.signoff.services import content_hash
from tests.eightd_data import COMPLETE
from tests.eightd_export.conftest import compact, pdf_reader, pdf_text, signature_lines


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_pdf_holds_causes_actions_and_signatures(complete_8d, qe, run_export, language):
    export = run_export(qe, complete_8d, "pdf", language)
    assert export.status == ExportStatus.DONE, export.error
    text = compact(pdf_text(export))
    d4 = COMPLETE["d4"]
    for cause in (d4["occurrence"], d4["escape"]):
        assert compact(cause["statement"]) in text
        assert compact(cause["verification"]) in text
        for why in cause["whys"]:
            assert compact(why) in text
    for action in COMPLETE["d5"]["actions"]:
        assert compact(action["action"]) in text
    for row in COMPLETE["d3"]["actions"] + COMPLETE["d6"]["implementations"]:
        assert compact(row["action"]) in text
    assert compact(COMPLETE["d7"]["lesson_learned"]) in text
    signatures = signature_lines(complete_8d)
    assert len(signatures) == 9  # eight approvals and one review
    for printed_name, time, meaning in signatures:
        assert compact(printed_name) in text
        assert time.replace(" ", "") in text
        with translation.override(language):
            assert compact(str(Meaning(meaning).label)) in text


def test_header_footer_and_hash(complete_8d, qe, run_export):
    export = run_export(qe, complete_8d, "pdf", "en")
    reader = pdf_reader(export)
    text = compact(pdf_text(export))
    assert complete_8d.number in text
    assert compact(complete_8d.title) in text
    assert compact(complete_8d.customer.name) in text
    assert "Full8D" in text
    digest = content_hash(customer_document(report_view(complete_8d)))
    pages = len(reader.pages)
    assert pages >= 2
    for number, page in enumerate(reader.pages, 1):
        footer = compact(page.extract_text())
        assert f"Page{number}of{pages}" in footer
        assert digest in footer
    assert reader.metadata.title == f"8D report {complete_8d.number}"


def test_disciplines_print_in_order(complete_8d, qe, run_export):
    text = compact(pdf_text(run_export(qe, complete_8d, "pdf", "en")))
    positions = [text.index(code) for code in ("D1Team", "D2Problem", "D3Containment",
                                                "D4Root", "D5Chosen", "D6Implementation",
                                                "D7Prevention", "D8Closure")]
    assert positions == sorted(positions)


def test_chinese_pdf_prints_chinese_labels(complete_8d, qe, run_export):
    text = compact(pdf_text(run_export(qe, complete_8d, "pdf", "zh-hans")))
    with translation.override("zh-hans"):
        from kesu.eightd.models import DISCIPLINES

        assert compact(str(DISCIPLINES["d4"])) in text
    assert "D4Root" not in text


def test_every_font_is_embedded(complete_8d, qe, run_export):
    reader = pdf_reader(run_export(qe, complete_8d, "pdf", "zh-hans"))
    fonts = {}
    for page in reader.pages:
        for name, ref in page["/Resources"]["/Font"].items():
            fonts[name] = ref.get_object()
    assert fonts
    for font in fonts.values():
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, font
        # A subset: the six-letter tag before the name (ISO 32000-1 §9.6.4).
        assert font["/BaseFont"][7] == "+"
