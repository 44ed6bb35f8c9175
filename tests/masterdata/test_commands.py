"""`kesu import-masterdata` and `kesu export-masterdata`."""

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from kesu.masterdata.models import Supplier
from tests.masterdata.sheets import xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _write(tmp_path, rows, name="suppliers.xlsx"):
    path = tmp_path / name
    path.write_bytes(xlsx(rows).read())
    return str(path)


def test_import_prints_the_summary(tmp_path, capsys):
    path = _write(tmp_path, [["code", "name"], ["S1", "宁波恒磁磁业"], ["S2", "江苏华铜"]])
    call_command("import_masterdata", "suppliers", path)
    assert "Imported 2 rows: 2 created, 0 updated, 0 unchanged." in capsys.readouterr().out
    assert Supplier.objects.count() == 2


def test_import_with_bad_rows_fails_and_lists_them(tmp_path, capsys):
    path = _write(tmp_path, [["code", "name", "email"], ["S1", "宁波恒磁磁业", "not-mail"]])
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_masterdata", "suppliers", path)
    assert "Row 2, E-mail: Enter a valid e-mail address." in capsys.readouterr().err
    assert Supplier.objects.count() == 0


def test_kind_may_be_written_with_an_underscore(tmp_path):
    path = _write(tmp_path, [["code", "name"], ["APP", "外观"]], name="defects.xlsx")
    call_command("import_masterdata", "defect_codes", path)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_masterdata", "suppliers", str(tmp_path / "nope.xlsx"))


def test_export_then_import_round_trip(tmp_path, capsys):
    Supplier.objects.create(code="S1", name="宁波恒磁磁业", phone="0574-1")
    path = tmp_path / "out.xlsx"
    call_command("export_masterdata", "suppliers", str(path))
    call_command("import_masterdata", "suppliers", str(path))
    assert "1 unchanged" in capsys.readouterr().out
