"""The top of the complaint page for the people working it (issue 11 §1–§3): the customer's
unanswered words, the next step with what it lacks, and a timeline whose automatic events fold.
"""

import re

import pytest

from kesu.complaints import services
from kesu.complaints.choices import Status, Visibility
from kesu.complaints.events import COMMENT, automatic_types
from kesu.complaints.selectors import customer_voice, next_step, timeline_entries
from kesu.complaints.workflow import PLAN_READY, WORKFLOW, Action
from kesu.core import clock
from kesu.core.errors import InvalidTransition
from kesu.core.workflow import GateRefused, Problem
from kesu.notifications.models import Notification
from kesu.notifications.rendering import render
from kesu.timelimits.events import REMINDER, Alerted
from tests import eightd_data
from tests.fixtures import PASSWORD, step

REASON = "D4 没有说明为什么出厂检验没有发现退针，请补充。"


@pytest.fixture
def rejected(make_complaint, drive, customer_contact):
    """A plan the customer rejected in the portal, with their reason."""
    complaint = drive(make_complaint(), Status.CONFIRMATION)
    return step(complaint, customer_contact, Action.CUSTOMER_REJECT, note=REASON)


def voice_html(response) -> str:
    html = response.content.decode()
    return html.split('id="customer-voice"', 1)[1].split("</section>", 1)[0] if (
        'id="customer-voice"' in html
    ) else ""


# --- The customer's voice ---------------------------------------------------------------------


def test_the_rejection_reason_is_on_top_of_the_complaint_and_the_8d(as_user, engineer, rejected):
    client = as_user(engineer)
    top = voice_html(client.get(f"/complaints/{rejected.number}/"))
    assert REASON in top and "客户否决了方案（第 1 轮）" in top
    assert 'data-decision="customer_reject"' in top
    assert REASON in voice_html(client.get(f"/complaints/{rejected.number}/8d/"))


def test_an_internal_note_does_not_answer_the_customer_but_a_visible_message_does(
    cs_agent, engineer, rejected
):
    services.complaint_comment(actor=engineer, complaint=rejected, text="我们内部先查一下")
    assert customer_voice(engineer, rejected).decision.note == REASON
    services.complaint_comment(
        actor=engineer, complaint=rejected, text="已收到，周五前补充 D4。",
        visibility=Visibility.CUSTOMER,
    )
    assert not customer_voice(engineer, rejected)


def test_customer_messages_wait_on_top_until_the_next_step(
    make_complaint, drive, cs_agent, qe, customer_contact
):
    complaint = drive(make_complaint(), Status.ASSESSED)
    for text in ("什么时候派人来？", "产线等着用"):
        services.complaint_comment(
            actor=customer_contact, complaint=complaint, text=text,
            visibility=Visibility.CUSTOMER,
        )
    voice = customer_voice(qe, complaint)
    assert voice.decision is None
    assert [m.note for m in voice.messages] == ["什么时候派人来？", "产线等着用"]
    complaint.refresh_from_db()
    step(complaint, cs_agent, Action.DISPATCH)
    assert not customer_voice(qe, complaint)


def test_many_messages_show_the_latest_and_count_the_rest(
    make_complaint, qe, customer_contact, django_assert_max_num_queries
):
    complaint = make_complaint()
    for n in range(9):
        services.complaint_comment(
            actor=customer_contact, complaint=complaint, text=f"第{n}次催问",
            visibility=Visibility.CUSTOMER,
        )
    with django_assert_max_num_queries(3):
        voice = customer_voice(qe, complaint)
    assert [m.note for m in voice.messages] == [f"第{n}次催问" for n in range(4, 9)]
    assert voice.more == 4


def test_the_customer_does_not_get_their_own_words_back(customer_contact, rejected):
    assert customer_voice(customer_contact, rejected) is None


def test_the_watchers_notice_quotes_the_rejection_reason(rejected, engineer, qe):
    for person in (engineer, qe):  # the handler and the tracker
        notice = Notification.objects.filter(
            recipient=person, kind="status_changed", channel="inapp"
        ).latest("pk")
        rendered = render(notice, language="zh-hans")
        assert "客户否决了方案" in rendered.subject
        assert f"否决理由：“{REASON}”" in rendered.text
        assert f"否决理由：“{REASON}”" in rendered.body
        assert rendered.body.count(REASON) == 1  # not again as a "note"


# --- The next step ----------------------------------------------------------------------------


def actions_html(response) -> str:
    html = response.content.decode()
    return html.split('id="next-step"', 1)[1].split("</section>", 1)[0]


def test_an_action_whose_gate_fails_is_shown_disabled_with_what_is_missing(
    as_user, engineer, make_complaint, drive
):
    complaint = drive(make_complaint(), Status.ANALYSIS)
    html = actions_html(as_user(engineer).get(f"/complaints/{complaint.number}/"))
    assert re.search(r'<button type="button"[^>]*data-action="submit_plan" disabled', html)
    assert f'href="/complaints/{complaint.number}/actions/submit_plan/"' not in html
    # Each missing discipline links to its card on the 8D page.
    for code in ("d2", "d3", "d4", "d5"):
        assert f'href="/complaints/{complaint.number}/8d/#{code}"' in html
    assert "D2 问题描述" in html


def test_the_page_and_the_service_judge_with_the_same_checks(
    engineer, qe, make_complaint, drive
):
    complaint = drive(make_complaint(), Status.ANALYSIS)
    submit = WORKFLOW.find(Action.SUBMIT_PLAN, Status.ANALYSIS, complaint.kind)
    offer = next(o for o in next_step(engineer, complaint).mine if o.action == "submit_plan")
    assert offer.problems == submit.problems(complaint) and not offer.enabled
    with pytest.raises(GateRefused) as refused:
        step(complaint, engineer, Action.SUBMIT_PLAN)
    assert [str(p) for p in refused.value.problems] == [str(p) for p in offer.problems]
    eightd_data.fill(complaint, engineer, ("d2", "d3", "d4", "d5"))
    eightd_data.approve(complaint, qe, ("d5",), PASSWORD)
    assert next(o for o in next_step(engineer, complaint).mine).enabled
    assert step(complaint, engineer, Action.SUBMIT_PLAN).status == Status.CONFIRMATION


def test_a_check_that_only_raises_counts_as_one_problem_without_a_link(make_complaint):
    def old_style(complaint):
        raise InvalidTransition("先和客户确认批次")

    PLAN_READY.register(old_style)
    try:
        assert Problem("先和客户确认批次") in PLAN_READY.problems(make_complaint())
    finally:
        PLAN_READY.unregister(old_style)


def test_the_page_says_who_takes_the_next_step(as_user, cs_agent, make_complaint, drive):
    complaint = drive(make_complaint(), Status.DISPATCHED)
    html = actions_html(as_user(cs_agent).get(f"/complaints/{complaint.number}/"))
    manager = complaint.responsible_department.manager
    assert f"等待{manager}：接收。" in html


def test_a_refused_step_keeps_what_was_typed(as_user, engineer, make_complaint, drive):
    complaint = drive(make_complaint(), Status.ANALYSIS)
    response = as_user(engineer).post(
        f"/complaints/{complaint.number}/actions/submit_plan/",
        {"version": complaint.version, "note": "更换端子供应商，100% 插拔力检测"},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "更换端子供应商，100% 插拔力检测</textarea>" in html
    assert "尚未办理，您填写的内容已保留在下方。" in html


# --- The timeline -----------------------------------------------------------------------------


def remind(complaint, n):
    now = clock.now()
    for _ in range(n):
        REMINDER.record(complaint, at=now, payload=Alerted(step="reply", percent=80))


def test_automatic_types_come_from_the_registry():
    assert {"reminder", "overdue", "escalated", "due_changed"} <= set(automatic_types())
    assert COMMENT not in automatic_types()


def test_a_run_of_automatic_events_folds_into_one_line(as_user, cs_agent, make_complaint):
    complaint = make_complaint()
    remind(complaint, 12)
    services.complaint_comment(actor=cs_agent, complaint=complaint, text="已电话联系客户")
    remind(complaint, 1)
    events = list(complaint.events.order_by("at", "id"))
    entries = timeline_entries(events)
    # Recorded, the twelve folded, the message, and the single reminder left as it is.
    assert [getattr(e, "count", None) for e in entries] == [None, 12, None, None]
    html = as_user(cs_agent).get(f"/complaints/{complaint.number}/").content.decode()
    assert 'data-automatic="12"' in html and "12 条自动记录" in html and "展开" in html


def test_people_only_leaves_automatic_events_out_and_pages_with_the_filter(
    as_user, cs_agent, make_complaint
):
    complaint = make_complaint()
    for n in range(60):
        services.complaint_comment(actor=cs_agent, complaint=complaint, text=f"第{n}条")
        remind(complaint, 1)
    client = as_user(cs_agent)
    html = client.get(f"/complaints/{complaint.number}/", {"people": "1"}).content.decode()
    assert 'data-event="reminder"' not in html
    assert html.count('data-event="comment"') == 50
    earlier = re.search(r'hx-get="[^"]*\?before=(\d+)&amp;people=1"', html)
    assert earlier, "show earlier keeps the filter"
    fragment = client.get(
        f"/complaints/{complaint.number}/",
        {"before": earlier.group(1), "people": "1"},
        HTTP_HX_REQUEST="true", HTTP_HX_TARGET="timeline-earlier",
    ).content.decode()
    assert 'data-event="reminder"' not in fragment
    assert fragment.count('data-event="comment"') == 10
