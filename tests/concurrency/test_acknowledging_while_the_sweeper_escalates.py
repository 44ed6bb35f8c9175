"""Acknowledging an escalation while the sweeper raises the next one to the same person: what
they acknowledged is handled, the new one stays in their "my work" (issue 11 §5).

The sweeper takes no complaint lock (it inserts escalations beside the claim of its steps), so
it commits while the acknowledgement holds the complaint; the acknowledgement then handles only
the rows up to the newest one the person saw."""

import pytest

from kesu.complaints.choices import Status
from kesu.timelimits import services
from kesu.timelimits.models import Escalation, EscalationLevel, EscalationTarget, Step
from kesu.timelimits.sweeper import sla_sweep
from tests.concurrency.threads import Interleaving, postgres_only
from tests.timelimits.conftest import MONDAY_9, local

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]

LEVEL_1 = local(2026, 3, 16, 15, 0)  # the plan due 11:30, two business hours later
LEVEL_2 = local(2026, 3, 17, 12, 0)


def test_an_escalation_raised_during_the_acknowledgement_stays_open(
    at, make_complaint, drive, dept_manager, eightd_hours, monkeypatch
):
    eightd_hours()  # the plan's clock alone
    # This factory's ladder sends the second level to the department manager again.
    EscalationLevel.objects.filter(level=2).update(target=EscalationTarget.DEPT_MANAGER)
    with at(MONDAY_9):
        complaint = drive(make_complaint(contact_email=""), Status.ANALYSIS)
    sla_sweep(now=LEVEL_1)
    step = Step.objects.get(complaint=complaint, type="plan")
    [seen] = Escalation.objects.filter(recipient=dept_manager)

    race = Interleaving()
    monkeypatch.setattr(services, "lock_complaint", race.holding_after(services.lock_complaint))

    def acknowledge():
        with at(LEVEL_2):
            return services.escalation_acknowledge(
                actor=dept_manager, step_id=step.pk, up_to=seen.pk, comment="已安排"
            )

    def sweep():
        return sla_sweep(now=LEVEL_2).escalations

    levels, escalated = race.run(acknowledge, sweep)
    assert levels == [1], levels
    assert escalated == 1, escalated
    rows = {row.level: row for row in Escalation.objects.filter(recipient=dept_manager)}
    assert rows[1].handled_at is not None and rows[1].comment == "已安排"
    assert rows[2].handled_at is None  # still waits in my work
