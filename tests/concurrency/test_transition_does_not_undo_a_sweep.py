"""A transition that read a step before the sweeper advanced it does not put the step back
(STYLE habit 14): the reminder the sweeper raised meanwhile is raised once, not again."""

from datetime import timedelta

import pytest

from kesu.complaints import services
from kesu.complaints.choices import Status
from kesu.complaints.models import Complaint, ComplaintEvent
from kesu.timelimits import services as clocks
from kesu.timelimits.models import Step
from kesu.timelimits.sweeper import sla_sweep
from tests import eightd_data
from tests.concurrency.threads import Interleaving, postgres_only
from tests.fixtures import PASSWORD
from tests.timelimits.conftest import MONDAY_9, local

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]

# The plan (40 business hours from Monday 09:00) is half gone on Wednesday at 15:30.
HALF_TIME = local(2026, 3, 11, 15, 30)


def reminders(complaint):
    return ComplaintEvent.objects.filter(complaint=complaint, type="reminder")


def test_submitting_the_plan_while_the_sweeper_reminds_keeps_the_reminder_raised(
    at, make_complaint, drive, engineer, qe, cs_agent, eightd_hours, monkeypatch
):
    eightd_hours()  # only the plan's clock runs
    with at(MONDAY_9):
        complaint = drive(make_complaint(contact_email=""), Status.ANALYSIS)
        eightd_data.fill(complaint, engineer, ("d1", "d2", "d3", "d4", "d5"))
        eightd_data.approve(complaint, qe, ("d5",), PASSWORD)
    complaint = Complaint.objects.get(pk=complaint.pk)
    when = HALF_TIME + timedelta(minutes=1)

    # The transition has read the open steps and is about to write them when the sweep runs.
    race = Interleaving()
    monkeypatch.setattr(clocks, "refresh", race.holding_after(clocks.refresh))

    def submit_plan():
        with at(when):
            return services.complaint_transition(
                actor=engineer, complaint=complaint, action="submit_plan",
                version=complaint.version,
            ).status

    def sweep():
        with at(when):
            return sla_sweep()

    submitted, swept = race.run(submit_plan, sweep)
    assert submitted == Status.CONFIRMATION
    assert not isinstance(swept, BaseException), swept
    # Raised now, or (had the sweeper lost its claim to the paused step) after the resume.
    assert reminders(complaint).count() <= 1

    # The customer rejects the plan: the plan's clock runs again, and the next sweep must not
    # remind of the half time a second time.
    later = local(2026, 3, 12, 10, 0)
    with at(later):
        submitted = Complaint.objects.get(pk=complaint.pk)
        rejected = services.complaint_transition(
            actor=cs_agent, complaint=submitted, action="customer_reject",
            version=submitted.version, data={"note": "方案不完整"},
        )
        assert rejected.status == Status.ANALYSIS
        sla_sweep()
    assert [e.payload.get("percent") for e in reminders(complaint)] == [50]
    assert Step.objects.get(complaint=complaint, type="plan").stage == 1
