"""What a discipline's document accepts (kesu/eightd/content.py)."""

import pytest
from pydantic import ValidationError

from kesu.complaints.choices import Status
from kesu.core.errors import ValidationFailed
from kesu.eightd import content
from kesu.eightd.models import Discipline
from kesu.eightd.services import discipline_update
from tests import eightd_data


@pytest.mark.parametrize("code", content.CODES)
def test_the_complete_example_has_no_problems(code):
    assert content.problems(code, eightd_data.COMPLETE[code]) == []


@pytest.mark.parametrize("code", content.CODES)
def test_an_empty_discipline_says_what_is_missing(code):
    assert content.problems(code, content.empty(code))


@pytest.mark.parametrize(
    ("code", "document"),
    [
        ("d3", {"actions": [{"location": "our_stock", "action": "x", "qty_checked": 5,
                             "qty_bad": 6}]}),
        ("d3", {"actions": [{"location": "our_stock", "action": "x", "start": "2026-03-05",
                             "end": "2026-03-01"}]}),
        ("d3", {"actions": [{"location": "mars", "action": "x"}]}),
        ("d3", {"actions": [{"location": "our_stock", "action": "x", "qty_checked": -1}]}),
        ("d4", {"occurrence": {"category": "luck"}}),
        ("d2", {"what": "x", "unexpected": "field"}),
        ("d2", {"what": "长" * 4001}),
        ("d1", {"members": [{"name": "x"}] * 51}),
        ("d8", {"closed_on": "not a date"}),
        ("d5", "not an object"),
    ],
)
def test_malformed_documents_are_refused(code, document):
    with pytest.raises((ValidationError, ValueError)):
        content.parse(code, document)


def test_a_refused_write_changes_nothing(make_complaint, drive, engineer):
    complaint = drive(make_complaint(), Status.ANALYSIS)
    with pytest.raises(ValidationFailed) as refused:
        discipline_update(actor=engineer, complaint=complaint, code="d3", version=1,
                          content={"actions": [{"location": "our_stock", "action": "全检",
                                                "qty_checked": 1, "qty_bad": 2}]})
    assert "d3" in refused.value.field_errors
    d3 = Discipline.objects.get(report__complaint=complaint, code="d3")
    assert d3.version == 1 and d3.content == content.empty("d3")


def test_script_tags_are_kept_as_text(make_complaint, drive, engineer):
    complaint = drive(make_complaint(), Status.ANALYSIS)
    hostile = "<script>alert('划伤')</script>"
    written = discipline_update(actor=engineer, complaint=complaint, code="d2", version=1,
                                content={"what": hostile})
    assert written.content["what"] == hostile
