"""An app joins the complaint's life from its own module alone: its event type reads on the
timeline, its participant runs in the registry's order inside the change, and its gate check
refuses a step of the complaint's table. Nothing in kesu.complaints changes for it."""

import pytest
from django.conf import settings as django_settings

from kesu.complaints import services
from kesu.complaints.events import event_type
from kesu.core.errors import InvalidTransition
from tests import eightd_data
from tests.architecture import example_app
from tests.fixtures import PASSWORD


@pytest.fixture
def with_example(settings):
    example_app.CALLS.clear()
    settings.KESU_LIFECYCLE = [
        *django_settings.KESU_LIFECYCLE, "tests.architecture.example_app.Example"
    ]
    yield example_app.CALLS


def test_a_participant_runs_inside_every_change_and_writes_its_own_event(
    with_example, make_complaint, cs_agent, org_chart, qe, client
):
    complaint = make_complaint(contact_email="")
    assert with_example[0] == "created"
    services.complaint_transition(
        actor=cs_agent, complaint=complaint, action="assess_valid", version=complaint.version,
        data={"responsible_department": org_chart["eng"].pk, "tracker": qe.pk, "note": "成立"},
    )
    noted = complaint.events.get(type=example_app.NOTED)
    lots = complaint.verification_lots
    assert noted.payload == {"action": "assess_valid", "lots_to_check": lots}
    # It ran before the transition's own event, and saw both events recorded.
    assert with_example[-3:] == [
        "transitioned:assess_valid", "event:example_noted", "event:transition"
    ]
    assert event_type(noted.type).details(noted) == [("Lots to check", str(lots))]
    client.force_login(cs_agent)
    page = client.get(f"/complaints/{complaint.number}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Example noted" in page.content.decode() and "Lots to check" in page.content.decode()


def test_a_gate_check_of_the_app_refuses_the_step(with_example, drive, make_complaint, engineer,
                                                  qe):
    complaint = drive(make_complaint(contact_email=""), "analysis")
    eightd_data.fill(complaint, engineer, ("d1", "d2", "d3", "d4", "d5"))
    eightd_data.approve(complaint, qe, ("d5",), PASSWORD)
    complaint.verification_lots = 9
    complaint.save(update_fields=["verification_lots"])
    with pytest.raises(InvalidTransition, match="five lots"):
        services.complaint_transition(
            actor=engineer, complaint=complaint, action="submit_plan", version=complaint.version,
            data={"note": "方案"},
        )


def test_without_the_app_its_gate_is_gone(drive, make_complaint, engineer, qe):
    complaint = drive(make_complaint(contact_email=""), "analysis")
    eightd_data.fill(complaint, engineer, ("d1", "d2", "d3", "d4", "d5"))
    eightd_data.approve(complaint, qe, ("d5",), PASSWORD)
    complaint.verification_lots = 9
    complaint.save(update_fields=["verification_lots"])
    done = services.complaint_transition(
        actor=engineer, complaint=complaint, action="submit_plan", version=complaint.version,
        data={"note": "方案"},
    )
    assert done.status == "confirmation"
