"""An 8D PDF is made within a size and a time budget, so one huge 8D cannot hold the heavy
worker for minutes: too much text is refused before anything is queued, a render that passes
its pages or seconds stops with a message, and an export whose worker died does not stay
"being made" forever."""

from datetime import timedelta

import pytest

from kesu.core import clock
from kesu.core.errors import ValidationFailed
from kesu.eightd.export import pdf, services
from kesu.eightd.export.services import export_render, export_send, exports_fail_abandoned
from kesu.eightd.models import CustomerVersion, Export, ExportStatus
from tests.eightd_export.conftest import compact, pdf_reader


def body_text(export) -> str:
    """The printed text without the lines each page carries at its top and foot (drawn last,
    so read last), whitespace removed."""
    number = export.report.complaint.number
    pages = []
    for page in pdf_reader(export).pages:
        text = compact(page.extract_text())
        text = text[: text.rindex(f"·{number}")]  # the top line: "8D report · number"
        pages.append(text[: text.rindex("8D")])
    return "".join(pages)


@pytest.fixture
def small_budget(monkeypatch):
    """The complete 8D holds some 970 characters: a budget just below it."""
    monkeypatch.setattr(pdf, "MAX_CHARACTERS", 900)


def test_a_pdf_too_long_to_print_is_refused_before_it_is_queued(
    complete_8d, qe, run_export, small_budget
):
    with pytest.raises(ValidationFailed) as refused:
        run_export(qe, complete_8d, "pdf", "zh-hans")
    assert "此 8D 共有 921 个字符，超过 PDF 能容纳的上限（900 个字符" in refused.value.message
    assert refused.value.message.endswith("请精简最长的内容，或导出为 Excel。")
    assert not Export.objects.exists()
    # The workbook has no such limit: what the PDF cannot take, Excel can.
    assert run_export(qe, complete_8d, "xlsx", "zh-hans").status == ExportStatus.DONE


def test_sending_a_too_long_8d_freezes_nothing(complete_8d, cs_agent, small_budget):
    versions = CustomerVersion.objects.count()
    with pytest.raises(ValidationFailed):
        export_send(actor=cs_agent, complaint=complete_8d)
    assert CustomerVersion.objects.count() == versions
    assert not Export.objects.exists()


def test_the_refusal_is_in_the_user_s_language(complete_8d, qe, client, small_budget):
    client.force_login(qe)
    response = client.post(
        f"/complaints/{complete_8d.number}/8d/exports/new/",
        {"format": "pdf", "language": "en"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
        follow=True,
    )
    assert "导出为 Excel" in response.content.decode()
    assert not Export.objects.exists()


def test_a_render_past_its_pages_stops_with_a_message(complete_8d, qe, run_export, monkeypatch):
    monkeypatch.setattr(pdf, "MAX_PAGES", 1)
    export = run_export(qe, complete_8d, "pdf", "en")
    assert export.status == ExportStatus.FAILED
    assert export.error == (
        "The PDF would have more than 1 pages. Shorten the longest texts, or export it as Excel."
    )
    assert not export.file


def test_a_render_past_its_time_stops_with_a_message(complete_8d, qe, run_export, settings):
    settings.KESU_EXPORT_SECONDS = 0
    export = run_export(qe, complete_8d, "pdf", "zh-hans")
    assert export.status == ExportStatus.FAILED
    assert "0" in export.error and "Excel" in export.error
    assert export.started_at is not None and export.finished_at is not None


def test_the_export_is_running_while_the_worker_makes_it(
    complete_8d, qe, run_export, monkeypatch
):
    seen = []
    real = services.RENDERERS["xlsx"]

    def watching(form):
        seen.append(Export.objects.values_list("status", "started_at").get())
        return real(form)

    monkeypatch.setitem(services.RENDERERS, "xlsx", watching)
    export = run_export(qe, complete_8d, "xlsx", "en")
    [(status, started_at)] = seen
    assert status == ExportStatus.RUNNING
    assert started_at == export.started_at
    assert export.status == ExportStatus.DONE


def test_a_running_export_is_not_made_a_second_time(complete_8d, qe, run_export, monkeypatch):
    export = run_export(qe, complete_8d, "xlsx", "en")
    Export.objects.filter(pk=export.pk).update(status=ExportStatus.RUNNING, file="")

    def must_not_render(form):
        raise AssertionError("rendered by a second worker")

    monkeypatch.setitem(services.RENDERERS, "xlsx", must_not_render)
    export_render(export_id=export.pk)
    assert Export.objects.get(pk=export.pk).status == ExportStatus.RUNNING


def test_an_export_whose_worker_died_is_failed_by_the_sweep(
    complete_8d, qe, run_export, settings
):
    dead = run_export(qe, complete_8d, "xlsx", "zh-hans")
    alive = run_export(qe, complete_8d, "pdf", "zh-hans")
    budget = timedelta(seconds=settings.KESU_EXPORT_SECONDS) + services.ABANDONED_AFTER
    now = clock.now()
    Export.objects.filter(pk=dead.pk).update(
        status=ExportStatus.RUNNING, started_at=now - budget - timedelta(seconds=1)
    )
    Export.objects.filter(pk=alive.pk).update(
        status=ExportStatus.RUNNING, started_at=now - budget + timedelta(seconds=30)
    )
    assert exports_fail_abandoned() == 1
    assert exports_fail_abandoned() == 0
    dead.refresh_from_db()
    assert dead.status == ExportStatus.FAILED
    assert dead.error == "工作进程在生成此导出时停止了。请重新导出。"
    assert Export.objects.get(pk=alive.pk).status == ExportStatus.RUNNING


def test_long_texts_print_whole_across_pages(complete_8d, engineer, qe, run_export):
    from tests.eightd_export.test_hostile import _write

    sentences = "".join(f"第{n}批外壳划伤已全检隔离，共{n * 7}件。" for n in range(1, 400))
    lines = "\n".join(["A long line without any stop " * 20, "短行", "x" * 1200])
    _write(complete_8d, engineer, "d8", {"recognition": sentences, "closure": lines,
                                          "closed_on": "2026-03-10"})
    export = run_export(qe, complete_8d, "pdf", "zh-hans")
    assert export.status == ExportStatus.DONE, export.error
    text = body_text(export)
    assert compact(sentences) in text
    assert compact(lines) in text
