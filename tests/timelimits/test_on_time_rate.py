"""处理及时率: each step counts in the period its due time falls in, per department and person."""

from datetime import timedelta

from kesu.complaints.choices import Status
from kesu.timelimits.models import Step
from kesu.timelimits.selectors import on_time_rate
from tests.fixtures import step
from tests.timelimits.conftest import MONDAY_9, local

MARCH = (local(2026, 3, 1, 0, 0), local(2026, 4, 1, 0, 0))


def test_the_rate_matches_a_hand_count(at, make_complaint, drive, cs_agent, qe):
    with at(MONDAY_9):
        on_time = make_complaint(severity="general")  # classify due 11:00
        late = make_complaint(severity="general")
        make_complaint(severity="general")  # still open at 16:00: late
        cancelled = make_complaint(severity="general")
    with at(MONDAY_9 + timedelta(hours=1)):
        drive(on_time, Status.ASSESSED)  # classify on time; organise starts, due Tuesday
    with at(local(2026, 3, 9, 14, 0)):
        drive(late, Status.ASSESSED)  # classify late
        step(cancelled, cs_agent, "cancel", cancel_reason="withdrawn", note="撤回")
    now = local(2026, 3, 9, 16, 0)
    rows, total = on_time_rate(user=qe, start=MARCH[0], end=MARCH[1], now=now, by="department")
    # By hand: classify steps: 1 on time, 1 late, 1 open past due (late), 1 cancelled (out);
    # the two organise steps (started 10:00 and 14:00, 8 h) are due on Tuesday: not yet due.
    assert (total.on_time, total.late, total.pending) == (1, 2, 2)
    assert round(total.rate, 4) == round(1 / 3, 4)
    by_department = {row.name: (row.on_time, row.late, row.pending) for row in rows}
    assert by_department["客服部"] == (1, 2, 0)  # classify steps belong to whoever recorded
    people, _total = on_time_rate(user=qe, start=MARCH[0], end=MARCH[1], now=now, by="assignee")
    assert {row.name: row.counted for row in people}["客服小王"] == 3


def test_a_step_counts_only_in_the_period_of_its_due_time(at, make_complaint, qe):
    with at(local(2026, 3, 31, 17, 0)):
        complaint = make_complaint(severity="general")  # due 1 April 10:00
    clock = Step.objects.get(complaint=complaint)
    assert clock.due_at == local(2026, 4, 1, 10, 0)
    _rows, march = on_time_rate(
        user=qe, start=MARCH[0], end=MARCH[1], now=MARCH[1], by="department"
    )
    assert march.counted + march.pending == 0
    _rows, april = on_time_rate(
        user=qe, start=MARCH[1], end=local(2026, 5, 1, 0, 0), now=local(2026, 4, 2, 0, 0),
        by="department",
    )
    assert (april.on_time, april.late) == (0, 1)
