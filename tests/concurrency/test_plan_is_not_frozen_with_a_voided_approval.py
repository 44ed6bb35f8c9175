"""An 8D edit and the workflow gate that checks the 8D serialise on the complaint row (STYLE
habit 14): a D5 edit that voids D5's approval cannot slip in between submit_plan's gate check
and the plan frozen for the customer. The one that comes second is told."""

import copy

import pytest

from kesu.complaints import services
from kesu.complaints.choices import Status
from kesu.complaints.models import Complaint
from kesu.complaints.workflow import PLAN_READY
from kesu.core.errors import StaleVersion
from kesu.eightd import gates
from kesu.eightd.models import CustomerVersion, Discipline, Purpose
from kesu.eightd.selectors import report_view
from kesu.eightd.services import discipline_update
from tests import eightd_data
from tests.concurrency.threads import Interleaving, postgres_only
from tests.fixtures import PASSWORD

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def plan_ready(make_complaint, drive, engineer, qe, eightd_hours):
    """In analysis, D1–D5 complete and D5 approved: the plan may go to the customer."""
    eightd_hours()
    complaint = drive(make_complaint(contact_email=""), Status.ANALYSIS)
    eightd_data.fill(complaint, engineer, ("d1", "d2", "d3", "d4", "d5"))
    eightd_data.approve(complaint, qe, ("d5",), PASSWORD)
    return Complaint.objects.get(pk=complaint.pk)


def d5_signatures_in(version):
    d5 = next(d for d in version.snapshot["disciplines"] if d["code"] == "d5")
    return d5["signatures"]


def test_a_d5_edit_after_the_plan_gate_passed_is_refused(
    plan_ready, engineer, dept_manager, monkeypatch
):
    complaint = plan_ready
    d5 = Discipline.objects.get(report__complaint=complaint, code="d5")
    edited = copy.deepcopy(eightd_data.COMPLETE["d5"])
    edited["actions"][0]["action"] = "更换定位销（改为每日点检）"

    # submit_plan has found the 8D ready and is about to freeze the plan when D5 is edited.
    race = Interleaving()
    # The gate on the submit_plan row runs the 8D's check; the stand-in holds after it.
    monkeypatch.setattr(PLAN_READY, "_checks", [race.holding_after(gates.require_plan)])

    def submit_plan():
        return services.complaint_transition(
            actor=engineer, complaint=complaint, action="submit_plan", version=complaint.version
        ).status

    def edit_d5():
        return discipline_update(
            actor=dept_manager, complaint=complaint, code="d5", version=d5.version,
            content=edited,
        ).version

    submitted, edit = race.run(submit_plan, edit_d5)
    assert submitted == Status.CONFIRMATION
    assert isinstance(edit, StaleVersion), edit

    plan = CustomerVersion.objects.get(report__complaint=complaint, purpose=Purpose.PLAN)
    signatures = d5_signatures_in(plan)
    assert signatures and all(s["valid"] for s in signatures)
    assert report_view(complaint)["d5"].signed_off
    d5.refresh_from_db()
    assert d5.content == eightd_data.COMPLETE["d5"] and d5.version == 2
