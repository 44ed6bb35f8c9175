"""A render that fails marks the export failed with a message for the user; the worker runs
each export once, whatever happens to the task."""

import pytest

from kesu.eightd.export import services
from kesu.eightd.export.services import export_render
from kesu.eightd.models import ExportStatus


def test_missing_font_fails_the_pdf_with_what_to_install(complete_8d, qe, run_export, settings):
    settings.KESU_PDF_FONT = "/nonexistent/font.ttf"
    export = run_export(qe, complete_8d, "pdf", "en")
    assert export.status == ExportStatus.FAILED
    assert export.error == "KESU_PDF_FONT names /nonexistent/font.ttf, which is not a file."
    assert not export.file
    assert export.finished_at is not None


def test_a_font_reportlab_cannot_embed_is_explained(complete_8d, qe, run_export, settings):
    noto = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
    settings.KESU_PDF_FONT = noto
    export = run_export(qe, complete_8d, "pdf", "en")
    assert export.status == ExportStatus.FAILED
    assert "must be a TrueType font" in export.error


def test_no_font_anywhere_says_which_package(complete_8d, qe, run_export, monkeypatch):
    monkeypatch.setattr("kesu.eightd.export.fonts.CANDIDATES", ("/nowhere/a.ttc",))
    export = run_export(qe, complete_8d, "pdf", "en")
    assert export.status == ExportStatus.FAILED
    assert "fonts-wqy-microhei" in export.error
    assert "KESU_PDF_FONT" in export.error


def test_a_broken_renderer_fails_the_export_only(complete_8d, qe, run_export, monkeypatch):
    def broken(form):
        raise ZeroDivisionError("boom")

    monkeypatch.setitem(services.RENDERERS, "xlsx", broken)
    export = run_export(qe, complete_8d, "xlsx", "zh-hans")
    assert export.status == ExportStatus.FAILED
    assert "ZeroDivisionError" in export.error
    # The workbook is not the only thing there is: a PDF still works.
    assert run_export(qe, complete_8d, "pdf", "zh-hans").status == ExportStatus.DONE


@pytest.mark.parametrize("status", [ExportStatus.DONE, ExportStatus.FAILED])
def test_running_the_task_again_does_nothing(complete_8d, qe, run_export, monkeypatch, status):
    export = run_export(qe, complete_8d, "pdf", "en")
    if status == ExportStatus.FAILED:
        type(export).objects.filter(pk=export.pk).update(status=status, error="x")
    before = type(export).objects.filter(pk=export.pk).values().get()

    def must_not_render(form):
        raise AssertionError("rendered twice")

    monkeypatch.setitem(services.RENDERERS, "pdf", must_not_render)
    export_render(export_id=export.pk)
    export_render(export_id=10**9)  # unknown: nothing either
    assert type(export).objects.filter(pk=export.pk).values().get() == before


def test_a_double_click_asks_once(complete_8d, qe, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        first = services.export_request(actor=qe, complaint=complete_8d, format="pdf",
                                        language="en")
        second = services.export_request(actor=qe, complaint=complete_8d, format="pdf",
                                         language="en")
    assert first.pk == second.pk
    assert len(callbacks) == 1
