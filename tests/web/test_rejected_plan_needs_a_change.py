"""A plan the customer rejected goes back to them only changed (issue 11 §3): until the 8D they
were shown changes, "submit the plan" is refused by the service and shown disabled on the page,
with the customer's reason."""

import copy
import re

import pytest

from kesu.complaints.choices import Status
from kesu.complaints.selectors import next_step
from kesu.complaints.workflow import Action
from kesu.core.workflow import GateRefused
from kesu.eightd.models import Discipline
from kesu.eightd.services import discipline_update
from tests import eightd_data
from tests.fixtures import step

REASON = "流出原因没有说明出货检验为什么漏检侧面。"
REFUSAL = f"客户已否决此方案：“{REASON}”；请先修改方案再提交。"


@pytest.fixture
def rejected(make_complaint, drive, customer_contact):
    complaint = drive(make_complaint(), Status.CONFIRMATION)
    return step(complaint, customer_contact, Action.CUSTOMER_REJECT, note=REASON)


def edit(complaint, actor, code, **values):
    discipline = Discipline.objects.get(report__complaint=complaint, code=code)
    discipline_update(
        actor=actor, complaint=complaint, code=code, version=discipline.version, **values
    )


def test_a_rejected_plan_cannot_go_back_unchanged(engineer, rejected):
    with pytest.raises(GateRefused) as refused:
        step(rejected, engineer, Action.SUBMIT_PLAN)
    assert str(refused.value.message) == REFUSAL
    rejected.refresh_from_db()
    assert rejected.status == Status.ANALYSIS


def test_a_changed_plan_goes_back_to_the_customer(engineer, rejected):
    d4 = copy.deepcopy(eightd_data.COMPLETE["d4"])
    d4["escape"]["statement"] = "出货检验指导书未规定侧面检查，检验员只看正面"
    edit(rejected, engineer, "d4", content=d4)
    assert step(rejected, engineer, Action.SUBMIT_PLAN).status == Status.CONFIRMATION


def test_what_the_customer_never_sees_is_not_a_change(engineer, rejected):
    edit(rejected, engineer, "d4", internal_note="客户的意见我们周一讨论")
    with pytest.raises(GateRefused):
        step(rejected, engineer, Action.SUBMIT_PLAN)


def test_an_edit_undone_again_is_not_a_change(engineer, rejected):
    d4 = copy.deepcopy(eightd_data.COMPLETE["d4"])
    d4["escape"]["statement"] = "草稿"
    edit(rejected, engineer, "d4", content=d4)
    edit(rejected, engineer, "d4", content=eightd_data.COMPLETE["d4"])
    with pytest.raises(GateRefused):
        step(rejected, engineer, Action.SUBMIT_PLAN)


def test_an_accepted_plan_is_not_held_back(cs_agent, engineer, make_complaint, drive):
    # Only a rejection asks for a change: after an accepted plan and a recurrence the 8D is
    # judged on its content alone.
    complaint = drive(make_complaint(), Status.VERIFICATION)
    complaint = step(complaint, cs_agent, Action.REPORT_RECURRENCE, note="L2405 再次发现划伤")
    offer = next(o for o in next_step(engineer, complaint).mine if o.action == "submit_plan")
    assert all("否决" not in str(p) for p in offer.problems)


def test_the_page_shows_submit_disabled_with_the_customers_reason(as_user, engineer, rejected):
    html = as_user(engineer).get(f"/complaints/{rejected.number}/").content.decode()
    card = html.split('id="next-step"', 1)[1].split("</section>", 1)[0]
    assert re.search(r'<button type="button"[^>]*data-action="submit_plan" disabled', card)
    why = card.split('id="why-submit_plan"', 1)[1]
    assert REFUSAL in why
    # One reason is said as one sentence, not counted as "1 more thing".
    assert "“提交方案给客户确认”暂不能执行：" in why and "还缺" not in why
    assert f'href="/complaints/{rejected.number}/8d/"' in why
