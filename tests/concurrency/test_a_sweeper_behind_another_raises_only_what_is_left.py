"""Two sweepers on one step at once (STYLE habit 4): the claim is one compare-and-set for the
batch (`id IN (…)` and still due), and each sweeper works out the alerts from the rows as it
claimed them, not as it read them before. So a sweeper that waited for another's claim of a
step raises only what is still due after the other's commit: the next alert, never the one the
other raised."""

import pytest

from kesu.complaints.choices import Status
from kesu.complaints.models import ComplaintEvent
from kesu.org.models import Process, ProcessKind
from kesu.timelimits import sweeper
from kesu.timelimits.models import Escalation, Step
from kesu.timelimits.sweeper import sla_sweep
from tests.concurrency.threads import Interleaving, postgres_only
from tests.timelimits.conftest import MONDAY_9, local

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]

HALF_TIME = local(2026, 3, 11, 15, 30)  # the plan's first reminder (50 % of 40 h)
DUE = local(2026, 3, 16, 11, 30)
LEVEL_1 = local(2026, 3, 16, 15, 0)  # two business hours late: the department's manager
LEVEL_2 = local(2026, 3, 17, 12, 0)  # eight: the process owner


def test_a_sweeper_waiting_for_anothers_claim_raises_the_next_level_only(
    at, make_complaint, drive, eightd_hours, process_owner, org_chart, monkeypatch
):
    eightd_hours()  # only the plan's clock runs
    Process.objects.create(
        kind=ProcessKind.COMPLAINT_HANDLING, owning_department=org_chart["cs"],
        owner=process_owner,
    )
    with at(MONDAY_9):
        complaint = drive(make_complaint(contact_email=""), Status.ANALYSIS)
    sla_sweep(now=DUE)  # the reminders and the overdue notice, as one
    step = Step.objects.get(complaint=complaint, type="plan")

    # The first sweeper (at the first escalation level) has claimed the step and stops there;
    # the second (at the second level) has read the step as due and tries to claim it.
    race = Interleaving()
    monkeypatch.setattr(sweeper, "_claim", race.holding_after(sweeper._claim))
    first, second = race.run(
        lambda: sla_sweep(now=LEVEL_1), lambda: sla_sweep(now=LEVEL_2)
    )
    assert not isinstance(first, BaseException), first
    assert not isinstance(second, BaseException), second

    escalated = ComplaintEvent.objects.filter(complaint=complaint, type="escalated")
    # Level 2 alone: had the second sweeper worked from the step as it read it before the
    # claim, it would raise level 2 "passing" level 1 and tell level 1's people again.
    assert sorted((e.payload["level"], e.payload.get("passed")) for e in escalated) == [
        (1, None), (2, None)
    ]
    assert (first.escalations, second.escalations) == (1, 1)
    step.refresh_from_db()
    assert step.stage == 5
    assert sorted(Escalation.objects.filter(step=step).values_list("level", flat=True)) == [1, 2]


def test_a_sweeper_waiting_for_anothers_claim_leaves_a_step_no_longer_due(
    at, make_complaint, drive, eightd_hours, monkeypatch
):
    eightd_hours()
    with at(MONDAY_9):
        complaint = drive(make_complaint(contact_email=""), Status.ANALYSIS)

    race = Interleaving()
    monkeypatch.setattr(sweeper, "_claim", race.holding_after(sweeper._claim))
    first, second = race.run(
        lambda: sla_sweep(now=HALF_TIME), lambda: sla_sweep(now=HALF_TIME)
    )
    assert not isinstance(first, BaseException), first
    assert not isinstance(second, BaseException), second
    assert ComplaintEvent.objects.filter(complaint=complaint, type="reminder").count() == 1
    assert (first.reminders, second.reminders, second.lost_races) == (1, 0, 1)
