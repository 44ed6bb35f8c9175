"""A hostile workbook is refused by what it actually unpacks to, not by what it declares, and
with a message that says why; nothing of it is imported."""

import io
import zipfile

import pytest
from django.utils import translation

from kesu.masterdata import importing
from kesu.masterdata.importing import MAX_UNPACKED_BYTES, import_rows
from kesu.masterdata.models import Supplier
from tests.masterdata.sheets import SHEET, csv_file, inflating_xlsx, lying_xlsx, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def file_messages(report):
    return [p.message for p in report.problems if p.row is None]


def test_sheet_that_unpacks_past_the_limit_is_refused_and_nothing_imported():
    bomb = inflating_xlsx(MAX_UNPACKED_BYTES + 1024 * 1024)
    assert bomb.size < 300 * 1024  # a small upload…
    declared = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(bomb.read())).infolist())
    assert declared > MAX_UNPACKED_BYTES  # …that unpacks past the limit
    report = import_rows("suppliers", bomb)
    assert file_messages(report) == [
        "The workbook unpacks to more than 64 MB, far more than its rows need; it may be "
        "damaged or crafted. Save it again in Excel, or split it into smaller files."
    ]
    assert Supplier.objects.count() == 0


def test_the_limit_counts_bytes_unpacked_not_bytes_declared(monkeypatch):
    """The sizes in the zip directory are left out of the judgement: a workbook that declares
    little but unpacks to much is stopped by the count."""
    monkeypatch.setattr(importing, "MAX_UNPACKED_BYTES", 200_000)
    bomb = inflating_xlsx(400_000)
    archive = zipfile.ZipFile(io.BytesIO(bomb.read()))
    unpacked = []
    original = archive.open

    def counting_open(member, *args, **kwargs):
        stream = original(member, *args, **kwargs)
        read = stream.read

        def counted(n=-1):
            data = read(n)
            unpacked.append(len(data))
            return data

        stream.read = counted
        return stream

    archive.open = counting_open
    with pytest.raises(importing.FileRefused, match="unpacks to more than 0 MB"):
        importing.check_unpacked(archive)
    # Stopped one chunk past the limit, not at the end of the sheet.
    assert 200_000 < sum(unpacked) <= 200_000 + importing.CHUNK_BYTES


def test_zip_header_that_lies_about_the_size_is_refused():
    liar = lying_xlsx(5 * 1024 * 1024, declared=1000)
    info = zipfile.ZipFile(io.BytesIO(liar.read())).getinfo(SHEET)
    assert info.file_size == 1000  # says a kilobyte; holds five megabytes
    report = import_rows("suppliers", liar)
    assert file_messages(report) == [
        "The workbook is damaged: its parts do not unpack to the sizes and checksums it "
        "declares. Save it again in Excel."
    ]
    assert Supplier.objects.count() == 0


def test_lie_with_a_matching_checksum_is_still_refused():
    """The checksum made to fit the declared prefix: zipfile stops at the declared size, and
    what is left is not a sheet."""
    liar = lying_xlsx(5 * 1024 * 1024, declared=1000, crc_of_prefix=True)
    report = import_rows("suppliers", liar)
    assert file_messages(report) == ["The file is not a valid .xlsx workbook."]
    assert Supplier.objects.count() == 0


def test_refusal_is_in_chinese_for_a_chinese_reader(monkeypatch):
    monkeypatch.setattr(importing, "MAX_UNPACKED_BYTES", 200_000)
    with translation.override("zh-hans"):
        report = import_rows("suppliers", inflating_xlsx(400_000))
        assert "解压" in file_messages(report)[0]


def test_too_many_parts_is_refused(monkeypatch):
    monkeypatch.setattr(importing, "MAX_MEMBERS", 5)
    report = import_rows("suppliers", xlsx([["code", "name"], ["S1", "供应商"]]))
    assert file_messages(report) == ["The file is not a valid .xlsx workbook."]


def test_rows_past_the_limit_stop_the_reading(monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 3)
    rows = [["code", "name"]] + [[f"S{i}", "供应商"] for i in range(10)]
    for upload in (xlsx(rows), csv_file(rows)):
        report = import_rows("suppliers", upload)
        assert file_messages(report) == [
            "The file has more than 3 rows; split it into smaller files."
        ]
    assert Supplier.objects.count() == 0


def test_a_file_refused_half_way_reports_only_that(monkeypatch):
    """Row problems found before the limit was reached are dropped: the file as a whole is."""
    monkeypatch.setattr(importing, "MAX_ROWS", 2)
    rows = [["code", "name", "email"]] + [[f"S{i}", "供应商", "not-mail"] for i in range(5)]
    report = import_rows("suppliers", csv_file(rows))
    assert [(p.row, p.message) for p in report.problems] == [
        (None, "The file has more than 2 rows; split it into smaller files.")
    ]


def test_many_bad_rows_are_counted_and_the_first_ones_listed(monkeypatch):
    monkeypatch.setattr(importing, "MAX_PROBLEMS", 5)
    rows = [["code", "name", "email"]] + [[f"S{i}", "供应商", "not-mail"] for i in range(20)]
    report = import_rows("suppliers", csv_file(rows))
    assert report.problem_count == 20 and len(report.problems) == 5
    assert report.summary() == (
        "Nothing was imported: 20 problem(s) in 20 row(s) of the file."
    )
