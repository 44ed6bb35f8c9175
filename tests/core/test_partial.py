import pytest

from kesu.complaints.choices import OPEN_STATUS_LIST
from kesu.complaints.models import Complaint
from kesu.core.partial import LiteralIn


@pytest.mark.parametrize("values", [[], ["open'); DROP TABLE x; --"], ["Open"], ["a b"]])
def test_only_plain_codes_are_written_into_the_sql(values):
    with pytest.raises(ValueError):
        LiteralIn("status", values)


@pytest.mark.django_db
def test_the_condition_is_written_as_the_index_states_it():
    sql, params = Complaint.objects.filter(
        LiteralIn("status", OPEN_STATUS_LIST)
    ).query.sql_with_params()
    listed = ", ".join(f"'{status}'" for status in OPEN_STATUS_LIST)
    assert f'"status" IN ({listed})' in sql
    assert params == ()
