"""A recalculation over many complaints (issue 12 §4) commits a few complaints at a time, each
batch in a handful of queries however many steps it holds, and moves every due time as one
long transaction did: the step, its complaint's due column and one event each."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kesu.complaints.models import Complaint
from kesu.timelimits import services as clocks
from kesu.timelimits.models import Step, TimePolicy
from tests.timelimits.conftest import MONDAY_9


@pytest.fixture
def general_complaints(at, make_complaint):
    def make(count):
        with at(MONDAY_9):
            return [make_complaint(severity="general") for _ in range(count)]

    return make


def _recompute():
    return clocks.steps_recompute(
        steps=clocks.open_steps(step_type="classify"), now=MONDAY_9, reason="policy"
    )


def test_each_moved_step_gets_its_event_and_its_complaint_the_new_due_time(
    general_complaints, monkeypatch
):
    monkeypatch.setattr(clocks, "RECOMPUTE_BATCH", 2)  # five complaints: three transactions
    complaints = general_complaints(5)
    before = {s.pk: s.due_at for s in Step.objects.filter(type="classify")}
    TimePolicy.objects.filter(
        step="classify", severity="", customer_grade="", category=""
    ).update(minutes=240)
    atomic = []
    real_batch = clocks._recompute_batch
    monkeypatch.setattr(
        clocks, "_recompute_batch",
        lambda batch, **kw: atomic.append(len(batch)) or real_batch(batch, **kw),
    )
    assert _recompute() == (5, 5)
    assert atomic == [2, 2, 1]
    for complaint in complaints:
        step = Step.objects.get(complaint=complaint, type="classify")
        assert step.minutes == 240 and step.due_at > before[step.pk]
        [event] = complaint.events.filter(type="due_changed")
        assert event.payload == {
            "step": "classify", "from": before[step.pk].isoformat(),
            "to": step.due_at.isoformat(), "reason": "policy",
        }
        assert Complaint.objects.get(pk=complaint.pk).due_at == min(
            s.due_at for s in complaint.steps.filter(done_at__isnull=True)
        )
    assert _recompute() == (5, 0)  # nothing moves a second time


def _recompute_queries() -> int:
    with CaptureQueriesContext(connection) as queries:
        _recompute()
    return len(queries)


def test_a_batch_costs_the_same_queries_for_one_complaint_or_six(general_complaints):
    policy = TimePolicy.objects.filter(
        step="classify", severity="", customer_grade="", category=""
    )
    general_complaints(1)
    policy.update(minutes=240)
    one = _recompute_queries()
    general_complaints(5)
    policy.update(minutes=300)
    six = _recompute_queries()
    assert one == six
