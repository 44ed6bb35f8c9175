"""scripts/api_walkthrough.py's walk, run through the Django test client instead of HTTP."""

import importlib.util
import json
from pathlib import Path

from django.test import Client

from kesu.complaints.choices import Status
from kesu.complaints.models import Complaint, ComplaintEvent
from kesu.eightd.selectors import latest_version, report_view
from tests.fixtures import PASSWORD

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "api_walkthrough.py"


def load_script():
    spec = importlib.util.spec_from_file_location("api_walkthrough", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def client_transport():
    client = Client()

    def send(method, path, token=None, body=None):
        headers = {"Accept-Language": "zh-hans"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        kwargs = {"headers": headers}
        if body is not None:
            kwargs.update(data=json.dumps(body), content_type="application/json")
        response = getattr(client, method.lower())("/api/v1" + path, **kwargs)
        return response.status_code, (response.json() if response.content else None)

    return send


def test_the_walkthrough_closes_the_loop(
    cs_agent, qe, dept_manager, engineer, customer_contact, product
):
    walkthrough = load_script()
    lines = []
    closed = walkthrough.walk(
        client_transport(),
        password=PASSWORD,
        agent=cs_agent.username,
        qe=qe.username,
        manager=dept_manager.username,
        engineer=engineer.username,
        customer=customer_contact.username,
        log=lines.append,
    )
    assert closed["status"] == Status.CLOSED
    complaint = Complaint.objects.get(number=closed["number"])
    assert complaint.customer == customer_contact.customer
    actions = list(
        ComplaintEvent.objects.filter(complaint=complaint, type="transition").values_list(
            "action", flat=True
        )
    )
    assert actions == [
        "assess_valid",
        "dispatch",
        "accept_dispatch",
        "submit_plan",
        "customer_accept",
        "submit_implementation",
        "close",
    ]
    accept = ComplaintEvent.objects.get(complaint=complaint, action="customer_accept")
    assert accept.actor == customer_contact
    view = report_view(complaint)
    assert all(view[code].signed_off for code in ("d5", "d6", "d7", "d8"))
    plan = latest_version(complaint, "plan")
    assert (plan.number, plan.decision, plan.decided_by) == (1, "accepted", customer_contact)


def test_without_a_customer_login_the_agent_records_acceptance(
    cs_agent, qe, dept_manager, engineer, customer, product
):
    closed = load_script().walk(
        client_transport(),
        password=PASSWORD,
        agent=cs_agent.username,
        qe=qe.username,
        manager=dept_manager.username,
        engineer=engineer.username,
        log=lambda line: None,
    )
    assert closed["status"] == Status.CLOSED


def test_a_failing_step_names_itself(cs_agent, qe, dept_manager, engineer, customer, product):
    walkthrough = load_script()
    try:
        walkthrough.walk(
            client_transport(),
            password="wrong",
            agent=cs_agent.username,
            qe=qe.username,
            manager=dept_manager.username,
            engineer=engineer.username,
            log=lambda line: None,
        )
    except walkthrough.WalkError as error:
        assert error.status == 401
        assert "log in as" in str(error)
    else:
        raise AssertionError("a wrong password must stop the walk")
