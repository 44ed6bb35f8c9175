"""`kesu load-demo`: seed 000's company with complaints in every state, made through the
services (SPEC §1, §5)."""

import io
import re
from datetime import datetime
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from kesu.complaints.choices import Category, Kind, Severity, Status
from kesu.complaints.events import CREATED, TRANSITION
from kesu.complaints.models import Complaint, ComplaintEvent
from kesu.core import clock
from kesu.eightd.selectors import customer_versions, report_view
from kesu.masterdata.models import Customer, DefectCode, Lot, Product, Supplier
from kesu.notifications.models import Notification
from kesu.org.models import Center, Department, Process, ProcessKind, Role, User
from kesu.timelimits.events import ESCALATED
from kesu.timelimits.models import Step
from tests import factories as f

pytestmark = pytest.mark.django_db

PASSWORD = "Demo-Pass-2026"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(monkeypatch):
    monkeypatch.setenv("KESU_DEMO_PASSWORD", PASSWORD)
    return load_demo()


def test_every_status_kind_category_and_severity_is_present(demo):
    complaints = Complaint.objects.all()
    assert 30 <= complaints.count() <= 40
    assert set(complaints.values_list("status", flat=True)) == set(Status.values)
    assert set(complaints.values_list("kind", flat=True)) == set(Kind.values)
    assert set(complaints.values_list("category", flat=True)) == set(Category.values)
    assert set(complaints.values_list("severity", flat=True)) == set(Severity.values)


def test_the_special_paths_are_there(demo):
    assert Complaint.objects.filter(plan_rounds=1).exists()
    assert Complaint.objects.filter(reopen_count=1).exists()
    assert Complaint.objects.filter(recurrence_count=1).exists()
    assert Complaint.objects.filter(is_repeat=True).exists()
    duplicate = Complaint.objects.get(status=Status.CANCELLED, title__contains="（电话）")
    cancel = duplicate.events.get(action="cancel")
    assert cancel.payload == {"cancel_reason": "duplicate"}
    original = Complaint.objects.get(title="高压连接器端子退针")
    assert original.number in cancel.note
    sent_back = ComplaintEvent.objects.get(action="return_dispatch")
    assert sent_back.complaint.status == Status.ASSESSED


def test_timelines_come_from_the_services_with_the_right_people(demo):
    for complaint in Complaint.objects.all():
        events = list(complaint.events.all())
        assert events[0].type == CREATED
        assert complaint.received_at <= events[0].at
    closed = Complaint.objects.get(title="42无刷电机运行异响")
    actions = {e.action: e.actor.username for e in closed.events.filter(type=TRANSITION)}
    assert actions == {
        "assess_valid": "qe",
        "dispatch": "qe",
        "accept_dispatch": "eng_manager",
        "submit_plan": "engineer",
        "customer_accept": "huaxing",
        "submit_implementation": "engineer",
        "close": "qe",
    }
    view = report_view(closed)
    assert all(d.complete and d.signed_off for d in view.disciplines)
    assert all(s.printed_name == "工程管理部经理 刘志明" for s in view["d8"].signatures)
    design = Complaint.objects.get(title="塑料齿轮高温环境下变形")
    assert design.responsible_department.code == "RD"
    assert design.handler.username == "rd_engineer"


def test_8ds_in_every_stage_and_a_login_per_customer(demo):
    def stage(title):
        return report_view(Complaint.objects.get(title=title))

    # In analysis: containment approved, causes not yet found.
    analysing = [c for c in Complaint.objects.filter(status=Status.ANALYSIS)]
    assert analysing
    for complaint in analysing:
        view = report_view(complaint)
        if complaint.plan_rounds == 0 and complaint.recurrence_count == 0:
            assert view["d3"].signed_off and not view["d4"].complete
    # A plan rejected in the portal, revised and accepted: two plan versions, the first
    # approvals of D4–D5 no longer valid, the new ones valid.
    revised = Complaint.objects.filter(plan_rounds__gt=0, status=Status.IMPLEMENTATION).first()
    versions = list(customer_versions(revised).order_by("number"))
    assert [v.decision for v in versions] == ["rejected", "accepted"]
    d5 = report_view(revised)["d5"]
    assert [s.valid for s in d5.signatures] == [False, True] and d5.signed_off
    # Closed ones have all eight disciplines complete and approved (checked above); customers
    # each have a portal login.
    assert set(User.objects.filter(role=Role.CUSTOMER).values_list("customer__code", flat=True)) \
        == set(Customer.objects.values_list("code", flat=True))
    assert stage("42无刷电机运行异响").form == "full"


def test_organisation_follows_seed_000(demo):
    assert set(Center.objects.values_list("name", flat=True)) == {
        "市场中心",
        "技术中心",
        "供应链中心",
    }
    cs = Department.objects.get(name="客服部")
    assert cs.center.name == "市场中心" and cs.sees_all_complaints
    assert Department.objects.get(name="质量部").center.name == "供应链中心"
    assert Department.objects.get(name="工程管理部").manager.username == "eng_manager"
    assert all(d.manager_id for d in Department.objects.all())
    handling = Process.objects.get(kind=ProcessKind.COMPLAINT_HANDLING)
    assert handling.owning_department == cs
    assert handling.owner == Center.objects.get(name="市场中心").head
    assert Process.objects.count() == len(ProcessKind)


def test_closed_complaints_closed_on_clean_lots_and_one_in_verification_picks_them_up(demo):
    from kesu.complaints.models import Complaint
    from kesu.verification.selectors import round_read

    closed = Complaint.objects.filter(kind="complaint", status="closed")
    assert closed.exists()
    for complaint in closed:
        view = round_read(complaint)
        assert view.lots_ready and view.round.outcome_confirmed_at, complaint.number
        assert all(row.lot.delivery_date >= view.round.implemented_on for row in view.rows)
    waiting = Complaint.objects.filter(kind="complaint", status="verification")
    assert any(round_read(c).rows for c in waiting)


def test_master_data(demo):
    assert Customer.objects.count() == 10
    assert set(Customer.objects.values_list("grade", flat=True)) == {"strategic", "key", "normal"}
    assert Product.objects.count() == 20
    assert Supplier.objects.count() == 6
    # The ERP's 50 lots, and the lots delivered after each fix that effect verification
    # checked (numbered "-V…").
    assert Lot.objects.exclude(number__contains="-V").count() == 50
    assert str(DefectCode.objects.get(code="APP-SCR")) == "外观 › 划伤"
    assert not DefectCode.objects.filter(parent__parent__isnull=False).exists()


def test_logins_are_printed_and_share_the_password(demo):
    for username in [
        "agent", "sales", "qe", "engineer", "eng_manager", "rd_director", "sales_manager",
        "owner", "center_head", "director", "vp", "admin", "huaxing",
    ]:  # fmt: skip
        assert re.search(rf"^{username}\s", demo, re.MULTILINE), username
    assert PASSWORD not in demo
    assert "KESU_DEMO_PASSWORD" in demo
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    assert User.objects.get(username="agent").check_password(PASSWORD)
    contacts = User.objects.filter(role=Role.CUSTOMER)
    assert contacts.count() == Customer.objects.count()
    assert all(contact.customer_id for contact in contacts)


def test_without_the_variable_a_random_password_is_printed_once(monkeypatch):
    monkeypatch.delenv("KESU_DEMO_PASSWORD", raising=False)
    output = load_demo()
    password = re.search(r"shown only now\): (\S+)", output).group(1)
    assert len(password) >= 12
    assert User.objects.get(username="qe").check_password(password)


def test_second_run_changes_nothing(demo):
    counts = (Complaint.objects.count(), User.objects.count(), ComplaintEvent.objects.count())
    assert "already loaded" in load_demo()
    assert (Complaint.objects.count(), User.objects.count(), ComplaintEvent.objects.count()) == (
        counts
    )


def test_refuses_a_database_with_other_data(monkeypatch):
    monkeypatch.setenv("KESU_DEMO_PASSWORD", PASSWORD)
    f.CustomerFactory(code="REAL", name="真实客户")
    with pytest.raises(CommandError, match="empty database"):
        load_demo()
    assert not User.objects.filter(username="agent").exists()


def test_refuses_when_a_demo_username_is_taken(monkeypatch):
    monkeypatch.setenv("KESU_DEMO_PASSWORD", PASSWORD)
    f.UserFactory(username="admin")
    with pytest.raises(CommandError, match="admin"):
        load_demo()


def test_nothing_outside_the_demo_imports_it():
    root = Path(__file__).resolve().parents[2] / "kesu"
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "demo" not in path.relative_to(root).parts
        and re.search(r"^\s*(from|import)\s+kesu\.demo\b", path.read_text(), re.MULTILINE)
    ]
    assert offenders == []


def test_due_times_cross_the_spring_festival_and_its_make_up_days(demo):
    def local(*args):
        return timezone.make_aware(datetime(*args))

    complaint = Complaint.objects.get(received_at=local(2026, 2, 13, 16, 30))
    due = {s.type: s.due_at for s in Step.objects.filter(complaint=complaint)}
    # 2 h from Friday 16:30: one hour that day, one on Saturday 14 February (调休 workday).
    assert due["classify"] == local(2026, 2, 14, 9, 30)
    # 8 h from Saturday 09:00: seven that day, then past the holiday to 24 February.
    assert due["organise"] == local(2026, 2, 24, 9, 30)
    # The plan's 40 h reach Monday 2 March after the second make-up Saturday (28 February).
    assert due["plan"] == local(2026, 3, 2, 9, 30)


def test_the_demo_history_has_timed_steps_and_escalations(demo):
    assert Step.objects.filter(on_time=True).exists() and Step.objects.filter(on_time=False)
    assert ComplaintEvent.objects.filter(type=ESCALATED).exists()
    # Event times follow each scenario's own history, not the moment of loading.
    first = ComplaintEvent.objects.order_by("at").first()
    assert (clock.now() - first.at).days > 100
    assert Notification.objects.filter(channel="inapp", kind="escalated").exists()
    assert not Notification.objects.filter(channel="email").exists()  # demo logins: bell only


def test_a_weak_demo_password_is_refused(monkeypatch):
    monkeypatch.setenv("KESU_DEMO_PASSWORD", "12345")
    with pytest.raises(CommandError, match="KESU_DEMO_PASSWORD"):
        load_demo()
    assert not User.objects.exists()
