"""A step reassigned or given a new date answers its escalation for everyone it reached
(issue 11 §5): it leaves every recipient's "my work", not only the actor's. Acknowledging stays
personal: one person having seen it says nothing about the others."""

import pytest

from kesu.timelimits import services
from kesu.timelimits.models import Escalation, Handling
from tests import factories as f
from tests.timelimits import test_escalation_actions as actions
from tests.timelimits.conftest import local
from tests.timelimits.test_escalation_actions import THREE_LEVELS_LATE, _open

escalated = actions.escalated  # a plan three levels late, on three people's lists


def _reassign(step, actor, org_chart):
    colleague = f.UserFactory(username="eng2", display_name="工程师小王", role="engineer",
                              department=org_chart["eng"])
    services.step_reassign(actor=actor, step_id=step.pk, assignee=colleague, comment="小王接手")


def _redate(step, actor, org_chart):
    services.step_set_due(
        actor=actor, step_id=step.pk, due_at=local(2026, 3, 20, 17, 0), comment="等供应商来料"
    )


@pytest.mark.parametrize(
    "act, how", [(_reassign, Handling.REASSIGNED), (_redate, Handling.NEW_DUE)],
    ids=["reassigned", "new date"],
)
def test_the_others_items_leave_their_my_work_too(
    escalated, act, how, dept_manager, process_owner, center_head, org_chart, at
):
    assert _open(dept_manager) and _open(process_owner) and _open(center_head)
    with at(THREE_LEVELS_LATE):
        act(escalated, center_head, org_chart)
    assert _open(dept_manager) == [] and _open(process_owner) == [] and _open(center_head) == []
    rows = Escalation.objects.filter(step=escalated)
    assert {row.handling for row in rows} == {how}
    # The actor's words are theirs: on their row and the timeline, not put in others' mouths.
    assert {row.recipient: row.comment for row in rows if row.comment}.keys() == {center_head}


def test_acknowledging_leaves_the_others_items_waiting(
    escalated, dept_manager, process_owner, center_head, at
):
    [item] = _open(center_head)
    with at(THREE_LEVELS_LATE):
        services.escalation_acknowledge(
            actor=center_head, step_id=escalated.pk, up_to=item.up_to, comment="已知悉"
        )
    assert _open(center_head) == []
    assert [i.levels for i in _open(dept_manager)] == [[1]]
    assert [i.levels for i in _open(process_owner)] == [[2]]
