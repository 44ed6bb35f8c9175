"""Named personas and the little world they work in (STYLE habit 9).

Use them by name in tests: `def test_x(cs_agent, qe, complaint_in): ...`.
"""

from datetime import timedelta

import pytest

from kesu.calendars.schedules import calendar_by_code, schedule_for
from kesu.complaints import services
from kesu.complaints.choices import Status
from kesu.core import clock
from kesu.org.models import Role
from tests import eightd_data, verification_data
from tests import factories as f

PASSWORD = "pass-word-1"


@pytest.fixture
def org_chart(db):
    market = f.CenterFactory(code="MKT", name="市场中心")
    tech = f.CenterFactory(code="TEC", name="技术中心")
    supply = f.CenterFactory(code="SCM", name="供应链中心")
    return {
        "cs": f.DepartmentFactory(
            code="CS", name="客服部", center=market, sees_all_complaints=True
        ),
        "eng": f.DepartmentFactory(code="ENG", name="工程管理部", center=tech),
        "qa": f.DepartmentFactory(
            code="QA", name="质量部", center=supply, sees_all_complaints=True
        ),
        "pur": f.DepartmentFactory(code="PUR", name="采购部", center=supply),
    }


@pytest.fixture
def cs_agent(org_chart):
    return f.UserFactory(
        username="agent", display_name="客服小王", role=Role.CS_AGENT, department=org_chart["cs"]
    )


@pytest.fixture
def sales(org_chart):
    return f.UserFactory(
        username="sales", display_name="销售小李", role=Role.SALES, department=org_chart["pur"]
    )


@pytest.fixture
def qe(org_chart):
    return f.UserFactory(
        username="qe", display_name="质量工程师老张", role=Role.QE, department=org_chart["qa"]
    )


@pytest.fixture
def dept_manager(org_chart):
    manager = f.UserFactory(
        username="eng_manager",
        display_name="工程经理老刘",
        role=Role.DEPT_MANAGER,
        department=org_chart["eng"],
    )
    org_chart["eng"].manager = manager
    org_chart["eng"].save(update_fields=["manager"])
    return manager


@pytest.fixture
def engineer(org_chart):
    return f.UserFactory(
        username="engineer",
        display_name="工程师小陈",
        role=Role.ENGINEER,
        department=org_chart["eng"],
    )


@pytest.fixture
def process_owner(org_chart):
    return f.UserFactory(
        username="owner",
        display_name="流程负责人",
        role=Role.PROCESS_OWNER,
        department=org_chart["eng"],
    )


@pytest.fixture
def outsider(org_chart):
    """An engineer of a department that has nothing to do with the complaint."""
    return f.UserFactory(
        username="outsider",
        display_name="采购工程师",
        role=Role.ENGINEER,
        department=org_chart["pur"],
    )


@pytest.fixture
def customer(db):
    return f.CustomerFactory(code="ACME", name="艾克米汽车部件有限公司")


@pytest.fixture
def customer_contact(customer):
    return f.UserFactory(
        username="acme_contact", display_name="客户联系人", role=Role.CUSTOMER, customer=customer
    )


@pytest.fixture
def other_customer_contact(db):
    other = f.CustomerFactory(code="OTHER", name="别家公司")
    return f.UserFactory(username="other_contact", role=Role.CUSTOMER, customer=other)


@pytest.fixture
def product(db):
    return f.ProductFactory(code="BRK-100", name="刹车片")


def complaint_data(customer, product, **overrides):
    data = {
        "kind": "complaint",
        "category": "quality",
        "severity": "serious",
        "channel": "hotline",
        "customer": customer.pk,
        "contact_name": "王工",
        "contact_email": "wang@example.com",
        "products": [product.pk],
        "quantity_affected": 120,
        "title": "刹车片表面划伤",
        "description": "客户来料检验发现批次表面有划伤，约120件。",
        "remedies": ["8d_report", "replacement"],
    }
    data.update(overrides)
    return data


@pytest.fixture
def make_complaint(cs_agent, customer, product):
    def make(**overrides):
        return services.complaint_create(
            actor=cs_agent, data=complaint_data(customer, product, **overrides)
        )

    return make


def step(complaint, actor, action, **data):
    return services.complaint_transition(
        actor=actor, complaint=complaint, action=action, version=complaint.version, data=data
    )


def _answer_due():
    """A working day of business time ahead: the department's answer is not due before a test
    looks, whatever day it runs (a day of wall-clock time from Friday evening would leave no
    working time at all)."""
    return schedule_for(calendar_by_code("standard")).add(clock.now(), timedelta(hours=8))


@pytest.fixture
def drive(cs_agent, qe, dept_manager, engineer, process_owner, org_chart):
    """Take a complaint from `received` to the given status along the happy path."""

    def to(complaint, status):
        path = {
            "complaint": [
                (
                    Status.ASSESSED,
                    cs_agent,
                    "assess_valid",
                    {"responsible_department": org_chart["eng"].pk, "tracker": qe.pk},
                ),
                (
                    Status.DISPATCHED,
                    cs_agent,
                    "dispatch",
                    {"dispatch_due_at": _answer_due()},
                ),
                (Status.ANALYSIS, dept_manager, "accept_dispatch", {"handler": engineer.pk}),
                (Status.CONFIRMATION, engineer, "submit_plan", {}),
                (Status.IMPLEMENTATION, cs_agent, "customer_accept", {}),
                (Status.VERIFICATION, engineer, "submit_implementation", {}),
                (Status.CLOSED, cs_agent, "close", {"note": "后续3批次检验合格"}),
            ],
            "feedback": [
                (
                    Status.REPLIED,
                    cs_agent,
                    "reply",
                    {"note": "已答复客户", "responsible_department": org_chart["eng"].pk},
                ),
                (Status.FOLLOW_UP, dept_manager, "record_follow_up", {"note": "已跟进"}),
                (Status.CLOSED, cs_agent, "close", {}),
            ],
        }[complaint.kind]
        special = {
            Status.INVALID: (cs_agent, "assess_invalid", {"note": "非我司责任"}),
            Status.CANCELLED: (cs_agent, "cancel", {"cancel_reason": "duplicate", "note": "重复"}),
        }
        if status in special:
            actor, action, data = special[status]
            return step(complaint, actor, action, **data)
        for _target, actor, action, data in path:
            if complaint.status == status:
                break
            # The 8D each gate asks for, written by the handler and approved by the tracker.
            if action == "submit_plan":
                eightd_data.fill(complaint, engineer, ("d1", "d2", "d3", "d4", "d5"))
                eightd_data.approve(complaint, qe, ("d5",), PASSWORD)
            elif action == "submit_implementation":
                eightd_data.fill(complaint, engineer, ("d6",))
            elif action == "close" and complaint.kind == "complaint":
                # Every required discipline approved, N clean lots, the outcome confirmed.
                verification_data.ready_to_close(
                    complaint, engineer=engineer, qe=qe, confirmer=process_owner,
                    password=PASSWORD,
                )
            complaint = step(complaint, actor, action, **data)
        assert complaint.status == status, f"could not reach {status}"
        return complaint

    return to
