"""Escalations a person received wait in their "my work" with something to do (issue 11 §5):
acknowledge with a comment, reassign, set a new date. What they do is on the timeline; the
escalation leaves their list and stays on the complaint."""

from datetime import timedelta

import pytest

from kesu.complaints.choices import Status
from kesu.complaints.models import ComplaintEvent
from kesu.core.errors import NotAllowed, ValidationFailed
from kesu.notifications.models import Notification
from kesu.timelimits import services
from kesu.timelimits.models import Escalation, Handling, Step
from kesu.timelimits.selectors import open_escalations
from kesu.timelimits.sweeper import sla_sweep
from tests import factories as f
from tests.timelimits.conftest import MONDAY_9, local

THREE_LEVELS_LATE = local(2026, 3, 18, 14, 0)


@pytest.fixture
def escalated(at, make_complaint, drive, center_head, handling_process, eightd_hours):
    """A plan three levels late: the manager, the process owner and the center head each have
    it on their list."""
    eightd_hours()
    with at(MONDAY_9):
        complaint = drive(make_complaint(contact_email=""), Status.ANALYSIS)
    sla_sweep(now=THREE_LEVELS_LATE)
    return Step.objects.get(complaint=complaint, type="plan")


def _open(user):
    return open_escalations(user, THREE_LEVELS_LATE)


def test_each_person_on_the_ladder_has_it_once_at_their_level(
    escalated, dept_manager, process_owner, center_head, engineer
):
    assert [(i.step, i.levels) for i in _open(dept_manager)] == [(escalated, [1])]
    assert [i.levels for i in _open(process_owner)] == [[2]]
    assert [i.levels for i in _open(center_head)] == [[3]]
    assert _open(engineer) == []  # the owner has the complaint itself in their work
    [item] = _open(center_head)
    assert item.late == THREE_LEVELS_LATE - escalated.due_at and item.may_manage


def test_acknowledging_leaves_my_work_and_stays_on_the_timeline(escalated, center_head, at):
    [item] = _open(center_head)
    with at(THREE_LEVELS_LATE):
        services.escalation_acknowledge(
            actor=center_head, step_id=escalated.pk, up_to=item.up_to, comment="周五前给出方案"
        )
    assert _open(center_head) == []
    row = Escalation.objects.get(recipient=center_head)
    assert row.handling == Handling.ACKNOWLEDGED and row.comment == "周五前给出方案"
    event = ComplaintEvent.objects.get(
        complaint=escalated.complaint, type="escalation_ack"
    )
    assert event.actor == center_head and event.note == "周五前给出方案"
    assert event.payload["levels"] == [3]
    # The sweeper's escalation is still there too.
    assert ComplaintEvent.objects.filter(complaint=escalated.complaint, type="escalated").exists()
    with pytest.raises(ValidationFailed):  # twice is refused, not written twice
        services.escalation_acknowledge(actor=center_head, step_id=escalated.pk, up_to=item.up_to)


def test_an_escalation_raised_after_what_i_saw_stays(escalated, dept_manager, at):
    [item] = _open(dept_manager)
    later = Escalation.objects.create(
        step=escalated, complaint=escalated.complaint, recipient=dept_manager, level=1,
        target="dept_manager", raised_at=THREE_LEVELS_LATE + timedelta(hours=1),
    )
    services.escalation_acknowledge(actor=dept_manager, step_id=escalated.pk, up_to=item.up_to)
    later.refresh_from_db()
    assert later.handled_at is None
    assert [i.up_to for i in _open(dept_manager)] == [later.pk]


def test_the_manager_reassigns_to_a_person_of_the_department(
    escalated, dept_manager, engineer, org_chart, at
):
    colleague = f.UserFactory(username="eng2", display_name="工程师小王", role="engineer",
                              department=org_chart["eng"])
    with at(THREE_LEVELS_LATE):
        services.step_reassign(
            actor=dept_manager, step_id=escalated.pk, assignee=colleague, comment="小王接手"
        )
    escalated.refresh_from_db()
    assert escalated.assignee == colleague
    assert _open(dept_manager) == []
    event = ComplaintEvent.objects.get(type="step_reassigned")
    assert (event.payload["from"], event.payload["to"]) == ("工程师小陈", "工程师小王")
    assert Notification.objects.filter(recipient=colleague, kind="assigned").exists()


@pytest.mark.parametrize("who", ["outsider", "engineer"])
def test_only_managers_reassign_or_redate(escalated, who, request, org_chart, at):
    actor = request.getfixturevalue(who)
    colleague = f.UserFactory(username="eng3", role="engineer", department=org_chart["eng"])
    with pytest.raises(NotAllowed):
        services.step_reassign(actor=actor, step_id=escalated.pk, assignee=colleague)
    with at(THREE_LEVELS_LATE), pytest.raises(NotAllowed):
        services.step_set_due(
            actor=actor, step_id=escalated.pk, due_at=THREE_LEVELS_LATE + timedelta(days=2)
        )


def test_reassigning_outside_the_department_is_refused(escalated, dept_manager, qe, at):
    with at(THREE_LEVELS_LATE), pytest.raises(ValidationFailed) as refused:
        services.step_reassign(actor=dept_manager, step_id=escalated.pk, assignee=qe)
    assert "assignee" in refused.value.field_errors
    escalated.refresh_from_db()
    assert escalated.assignee.username == "engineer"


def test_a_new_date_recomputes_the_clock_and_raises_again_when_missed(
    escalated, process_owner, engineer, at
):
    new_due = local(2026, 3, 20, 17, 0)
    with at(THREE_LEVELS_LATE):
        services.step_set_due(
            actor=process_owner, step_id=escalated.pk, due_at=new_due, comment="等供应商来料"
        )
    escalated.refresh_from_db()
    assert escalated.due_at == new_due
    # Reminders whose time is past under the new date are not raised now; the next alert
    # comes before the new date.
    assert THREE_LEVELS_LATE < escalated.next_check_at <= new_due
    assert escalated.complaint.__class__.objects.get(pk=escalated.complaint_id).due_at == new_due
    event = ComplaintEvent.objects.get(type="due_set")
    assert event.actor == process_owner and event.note == "等供应商来料"
    assert event.payload["to"] == new_due.isoformat()
    assert _open(process_owner) == []
    # Nothing more until the new date; then overdue again, once.
    before_due = sla_sweep(now=new_due - timedelta(minutes=1))
    assert (before_due.overdue, before_due.escalations) == (0, 0)
    assert sla_sweep(now=new_due).overdue == 1
    assert sla_sweep(now=new_due).overdue == 0


@pytest.mark.parametrize(
    "due, message",
    [
        (THREE_LEVELS_LATE - timedelta(hours=1), "将来"),
        (THREE_LEVELS_LATE + timedelta(days=400), "60 天以内"),
    ],
)
def test_a_bad_date_is_refused_and_changes_nothing(escalated, center_head, at, due, message):
    before = Step.objects.values().get(pk=escalated.pk)
    with at(THREE_LEVELS_LATE), pytest.raises(ValidationFailed) as refused:
        services.step_set_due(actor=center_head, step_id=escalated.pk, due_at=due)
    assert message in str(refused.value.field_errors["due_at"][0])
    assert Step.objects.values().get(pk=escalated.pk) == before
    assert not ComplaintEvent.objects.filter(type="due_set").exists()
    assert len(_open(center_head)) == 1


def test_my_work_shows_them_and_acts_through_htmx(escalated, center_head, as_user, at):
    client = as_user(center_head)
    with at(THREE_LEVELS_LATE):
        html = client.get("/").content.decode()
        assert f'data-step="{escalated.pk}"' in html and escalated.complaint.number in html
        assert "升级给您的事项" in html and "已超时 2 天 2 小时 30 分钟" not in html
        [item] = _open(center_head)
        refused = client.post(
            f"/time-limits/escalations/{escalated.pk}/",
            {"do": "new_due", "up_to": item.up_to, "comment": "我写的字",
             "due_at": "2020-01-01T09:00"},
            HTTP_HX_REQUEST="true",
        ).content.decode()
        assert "请选择一个将来的时间" in refused and "我写的字" in refused  # typed text kept
        done = client.post(
            f"/time-limits/escalations/{escalated.pk}/",
            {"do": "acknowledge", "up_to": item.up_to, "comment": "已安排"},
            HTTP_HX_REQUEST="true",
        ).content.decode()
        assert "已确认" in done
        assert f'data-step="{escalated.pk}"' not in client.get("/").content.decode().split(
            "escalation-list"
        )[0] or not _open(center_head)
    assert _open(center_head) == []


def test_someone_who_cannot_see_the_complaint_gets_nothing(escalated, outsider, as_user):
    response = as_user(outsider).post(
        f"/time-limits/escalations/{escalated.pk}/", {"do": "acknowledge", "up_to": 1}
    )
    assert response.status_code == 404
