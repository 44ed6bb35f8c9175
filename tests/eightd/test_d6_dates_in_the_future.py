"""D6 records what was done: a done date in the future is refused as "done" (issue 13), so
effect verification never counts lots from a day that has not come."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kesu.complaints.choices import Status
from kesu.core import clock
from kesu.core.errors import InvalidTransition, ValidationFailed
from kesu.eightd import content
from kesu.eightd.models import Discipline
from kesu.eightd.services import discipline_sign, discipline_update
from tests import eightd_data
from tests.fixtures import PASSWORD, step


def d6_done(day):
    document = dict(eightd_data.COMPLETE["d6"])
    document["implementations"] = [dict(document["implementations"][0], done=day.isoformat())]
    return document


def test_a_done_date_in_the_future_is_a_problem():
    tomorrow = timezone.localdate(clock.now()) + timedelta(days=1)
    problems = content.problems("d6", d6_done(tomorrow))
    assert any("future" in str(p) for p in problems)
    assert content.problems("d6", d6_done(tomorrow - timedelta(days=1))) == []


def test_a_future_removal_of_containment_is_a_problem():
    document = dict(eightd_data.COMPLETE["d6"])
    document["containment_removed"] = (
        timezone.localdate(clock.now()) + timedelta(days=3)
    ).isoformat()
    assert content.problems("d6", document)


def test_implementation_is_not_done_with_a_future_date(make_complaint, drive, engineer, qe):
    complaint = drive(make_complaint(), Status.IMPLEMENTATION)
    d6 = Discipline.objects.get(report__complaint=complaint, code="d6")
    tomorrow = timezone.localdate(clock.now()) + timedelta(days=1)
    discipline_update(actor=engineer, complaint=complaint, code="d6", version=d6.version,
                      content=d6_done(tomorrow))
    with pytest.raises(InvalidTransition) as refused:
        step(complaint, engineer, "submit_implementation")
    assert "future" in str(refused.value.message)
    with pytest.raises(ValidationFailed):
        discipline_sign(actor=qe, complaint=complaint, code="d6", password=PASSWORD,
                        meaning="approved")
