"""The staff timeline shows the latest events and pages back with "show earlier" (issue 10):
keyset pages on (time, id), stable when many events share one time; long messages cut."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kesu.complaints import services
from kesu.complaints.models import ComplaintEvent
from kesu.complaints.selectors import TIMELINE_PAGE
from kesu.complaints.templatetags.complaints_ui import NOTE_PREVIEW
from kesu.core import clock

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "timeline-earlier"}


def ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'data-event-id="(\d+)"', html)]


def earlier_cursor(html: str) -> str | None:
    found = re.search(r'hx-get="[^"]*\?before=(\d+)"', html)
    return found.group(1) if found else None


@pytest.fixture
def long_thread(make_complaint, cs_agent):
    """A complaint whose 120 messages were all written in the same instant."""
    complaint = make_complaint()
    with clock.frozen(clock.now()):
        for i in range(120):
            services.complaint_comment(actor=cs_agent, complaint=complaint, text=f"消息{i}")
    return complaint


def test_pages_back_to_the_first_event_without_gaps_or_repeats(as_user, cs_agent, long_thread):
    client = as_user(cs_agent)
    url = f"/complaints/{long_thread.number}/"
    page = client.get(url).content.decode()
    seen = ids(page)
    assert len(seen) == TIMELINE_PAGE
    cursor = earlier_cursor(page)
    while cursor:
        fragment = client.get(url, {"before": cursor}, **HTMX)
        assert fragment.status_code == 200 and "<html" not in fragment.content.decode()
        seen = ids(fragment.content.decode()) + seen
        cursor = earlier_cursor(fragment.content.decode())
    everything = list(
        ComplaintEvent.objects.filter(complaint=long_thread)
        .order_by("at", "id")
        .values_list("id", flat=True)
    )
    assert seen == everything  # equal times: ordered by id, none lost or shown twice


def test_without_javascript_the_earlier_page_is_a_whole_page(as_user, cs_agent, long_thread):
    client = as_user(cs_agent)
    url = f"/complaints/{long_thread.number}/"
    first = client.get(url).content.decode()
    response = client.get(url, {"before": earlier_cursor(first)})
    assert "<html" in response.content.decode()
    assert 'data-action="show-latest"' in response.content.decode()
    assert max(ids(response.content.decode())) < min(ids(first))


@pytest.mark.parametrize(
    "cursor", ["abc", "-1", "0", "1.5", "9" * 30, "１２", "%00", " ", "1e3"]
)
def test_a_hostile_cursor_is_a_400(as_user, cs_agent, long_thread, cursor):
    response = as_user(cs_agent).get(f"/complaints/{long_thread.number}/", {"before": cursor})
    assert response.status_code in (200, 400)  # " " reads as no cursor
    if cursor.strip():
        assert response.status_code == 400


def test_a_cursor_of_another_complaint_is_a_400(as_user, cs_agent, long_thread, make_complaint):
    other = make_complaint()
    foreign = ComplaintEvent.objects.filter(complaint=other).first()
    response = as_user(cs_agent).get(f"/complaints/{long_thread.number}/?before={foreign.pk}")
    assert response.status_code == 400


def test_queries_do_not_grow_with_pages_or_events(
    as_user, cs_agent, make_complaint, django_assert_num_queries
):
    complaint = make_complaint()
    client = as_user(cs_agent)
    url = f"/complaints/{complaint.number}/"
    client.get(url)
    # Pinned: the page of a just-recorded complaint, the timeline being two of them (its latest
    # page, every file for the attachments card) and the customer's unanswered words on top
    # one; more events must not add any.
    with django_assert_num_queries(18) as few:
        client.get(url)
    for i in range(TIMELINE_PAGE + 30):
        services.complaint_comment(actor=cs_agent, complaint=complaint, text=f"第{i}条")
    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    # The "show earlier" fragment: session, user, complaint, anchor, page.
    with django_assert_num_queries(5):
        client.get(url, {"before": earlier_cursor(page)}, **HTMX)


def test_a_long_message_is_cut_and_shown_whole_on_request(as_user, cs_agent, make_complaint):
    complaint = make_complaint()
    text = "很长的消息。" * 1600  # 9,600 characters
    event = services.complaint_comment(actor=cs_agent, complaint=complaint, text=text)
    client = as_user(cs_agent)
    page = client.get(f"/complaints/{complaint.number}/").content.decode()
    assert text not in page and text[:NOTE_PREVIEW] in page
    assert 'data-action="show-all"' in page
    whole = client.get(f"/complaints/{complaint.number}/events/{event.pk}/note/")
    assert whole.status_code == 200 and text in whole.content.decode()
    huge = client.get(f"/complaints/{complaint.number}/events/{'9' * 25}/note/")
    assert huge.status_code == 404


def test_the_attachments_card_lists_files_of_every_page(as_user, cs_agent, make_complaint):
    complaint = make_complaint()
    services.complaint_comment(
        actor=cs_agent,
        complaint=complaint,
        text="附件",
        files=[SimpleUploadedFile("最早.pdf", b"%PDF-1.4", content_type="application/pdf")],
    )
    for i in range(TIMELINE_PAGE + 5):
        services.complaint_comment(actor=cs_agent, complaint=complaint, text=f"之后{i}")
    page = as_user(cs_agent).get(f"/complaints/{complaint.number}/").content.decode()
    assert 'data-event="attachment"' not in page  # its event is on an earlier page
    assert "最早.pdf" in page  # but the card still lists it
