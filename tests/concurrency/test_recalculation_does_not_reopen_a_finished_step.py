"""Recomputing due times after an administrator's edit never undoes a step that was finished
while it ran (STYLE habit 14): the finish commits, and the recalculation skips that step."""

import pytest

from kesu.complaints import services
from kesu.complaints.choices import Status
from kesu.complaints.models import Complaint
from kesu.timelimits import services as clocks
from kesu.timelimits.models import DueRecalculation, Step, TimePolicy
from kesu.timelimits.tasks import recompute_due_times
from tests.concurrency.threads import Interleaving, postgres_only
from tests.timelimits.conftest import MONDAY_9, local

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]


def test_a_step_finished_during_a_recalculation_stays_finished(
    at, make_complaint, cs_agent, qe, org_chart, monkeypatch
):
    with at(MONDAY_9):
        complaint = make_complaint(severity="general", contact_email="")
    TimePolicy.objects.filter(
        step="classify", severity="", customer_grade="", category=""
    ).update(minutes=240)
    assessed_at = local(2026, 3, 9, 10, 0)

    # The recalculation has read the classification step and worked out its new due time when
    # the complaint is assessed (which finishes that step).
    race = Interleaving()
    monkeypatch.setattr(clocks, "refresh", race.holding_after(clocks.refresh))

    def recalculate():
        with at(assessed_at):
            recompute_due_times.call(step_type="classify", reason="policy")

    def assess():
        with at(assessed_at):
            return services.complaint_transition(
                actor=cs_agent, complaint=complaint, action="assess_valid",
                version=complaint.version,
                data={"responsible_department": org_chart["eng"].pk, "tracker": qe.pk},
            ).status

    recalculated, assessed = race.run(recalculate, assess)
    assert not isinstance(recalculated, BaseException), recalculated
    assert assessed == Status.ASSESSED

    step = Step.objects.get(complaint=complaint, type="classify")
    assert step.done_at == assessed_at
    assert step.next_check_at is None and step.on_time is True
    assert Complaint.objects.get(pk=complaint.pk).status == Status.ASSESSED
    assert DueRecalculation.objects.get(reason="policy").steps_checked == 1
