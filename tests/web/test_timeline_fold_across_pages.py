"""A run of automatic events folds into one line even where the timeline's pages would cut it
(issue 11 §1): the page moves its older edge to where the run began."""

import re

import pytest

from kesu.complaints import services
from kesu.complaints.selectors import TIMELINE_PAGE, timeline_entries, timeline_page
from kesu.core import clock
from kesu.timelimits.events import REMINDER, Alerted


def remind(complaint, n):
    now = clock.now()
    for _ in range(n):
        REMINDER.record(complaint, at=now, payload=Alerted(step="reply", percent=80))


def say(complaint, actor, n):
    for i in range(n):
        services.complaint_comment(actor=actor, complaint=complaint, text=f"第{i}条")


@pytest.fixture
def cut_run(make_complaint, cs_agent):
    """Recorded, 10 messages, 40 reminders, 30 messages: the latest 50 end 20 reminders into
    the run."""
    complaint = make_complaint()
    say(complaint, cs_agent, 10)
    remind(complaint, 40)
    say(complaint, cs_agent, 30)
    assert complaint.events.count() == 81 and TIMELINE_PAGE == 50
    return complaint


def test_the_latest_page_holds_the_whole_run(cs_agent, cut_run):
    page = timeline_page(cs_agent, cut_run, whole_runs=True)
    assert len(page.events) == 70 and page.earlier
    counts = [getattr(e, "count", None) for e in timeline_entries(page.events)]
    assert counts == [40] + [None] * 30


def test_the_earlier_page_starts_where_the_run_began(cs_agent, cut_run):
    page = timeline_page(cs_agent, cut_run, whole_runs=True)
    earlier = timeline_page(cs_agent, cut_run, before=page.first_id, whole_runs=True)
    assert len(earlier.events) == 11 and not earlier.earlier
    assert not any(hasattr(e, "count") for e in timeline_entries(earlier.events))


def test_the_page_shows_one_fold_and_show_earlier_adds_none(as_user, cs_agent, cut_run):
    client = as_user(cs_agent)
    html = client.get(f"/complaints/{cut_run.number}/").content.decode()
    assert re.findall(r'data-automatic="(\d+)"', html) == ["40"]
    before = re.search(r'hx-get="[^"]*\?before=(\d+)', html).group(1)
    fragment = client.get(
        f"/complaints/{cut_run.number}/", {"before": before},
        HTTP_HX_REQUEST="true", HTTP_HX_TARGET="timeline-earlier",
    ).content.decode()
    assert "data-automatic" not in fragment
    assert fragment.count('data-event="comment"') == 10


def test_a_run_longer_than_a_page_is_held_whole(make_complaint, cs_agent):
    complaint = make_complaint()
    remind(complaint, 60)
    page = timeline_page(cs_agent, complaint, whole_runs=True)
    # All 60 reminders on one page; before them only the recording of the complaint.
    assert len(page.events) == 60 and page.earlier
    earlier = timeline_page(cs_agent, complaint, before=page.first_id, whole_runs=True)
    assert [e.type for e in earlier.events] == ["created"] and not earlier.earlier


def test_the_api_keeps_its_page_size(cs_agent, cut_run):
    assert len(timeline_page(cs_agent, cut_run).events) == TIMELINE_PAGE
