import pytest
from django.db import connection


@pytest.fixture(autouse=True)
def key_file(settings, tmp_path, monkeypatch):
    """The restored key goes to a file of the test's own, never the installation's."""
    monkeypatch.delenv("SECRET_KEY", raising=False)
    settings.SECRET_KEY_FILE = tmp_path / "var" / "secret-key"
    return settings.SECRET_KEY_FILE


@pytest.fixture
def archive(tmp_path):
    return tmp_path / "backups" / "kesu.tar.gz"


def row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    return counts
