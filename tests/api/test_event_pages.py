"""GET /complaints/{number}/events is paged: the latest `limit` events, `before` / `after` an
event id, a Link header to the neighbouring pages; bad cursors are 422, never 500."""

import pytest

from kesu.complaints import services
from kesu.complaints.models import ComplaintEvent
from kesu.core import clock


@pytest.fixture
def thread(make_complaint, cs_agent):
    complaint = make_complaint()
    with clock.frozen(clock.now()):  # equal times: the id decides the order
        for i in range(30):
            services.complaint_comment(actor=cs_agent, complaint=complaint, text=f"第{i}条")
    return complaint


def test_reads_back_and_forth_over_the_whole_timeline(api_as, cs_agent, thread):
    client = api_as(cs_agent)
    path = f"/complaints/{thread.number}/events"
    events = ComplaintEvent.objects.filter(complaint=thread).order_by("at", "id")
    everything = list(events.values_list("id", flat=True))
    latest = client.get(path, {"limit": 10})
    assert [e["id"] for e in latest.json()] == everything[-10:]
    assert 'rel="prev"' in latest["Link"] and 'rel="next"' not in latest["Link"]
    seen, before = [e["id"] for e in latest.json()], everything[-10]
    while True:
        page = client.get(path, {"limit": 10, "before": before}).json()
        if not page:
            break
        seen = [e["id"] for e in page] + seen
        before = page[0]["id"]
    assert seen == everything
    forward = client.get(path, {"limit": 7, "after": everything[0]})
    assert [e["id"] for e in forward.json()] == everything[1:8]
    assert 'rel="next"' in forward["Link"] and 'rel="prev"' in forward["Link"]


def test_the_page_size_is_bounded(api_as, cs_agent, thread):
    client = api_as(cs_agent)
    path = f"/complaints/{thread.number}/events"
    assert len(client.get(path).json()) == 31  # the default (50) holds them all
    assert client.get(path, {"limit": 201}).status_code == 422
    assert client.get(path, {"limit": 0}).status_code == 422


@pytest.mark.parametrize(
    "params",
    [
        {"before": "abc"},
        {"before": "-1"},
        {"before": str(2**64)},
        {"after": "1e9"},
        {"before": "1", "after": "2"},
        {"limit": "9" * 30},
    ],
)
def test_hostile_cursors_are_422(api_as, cs_agent, thread, params):
    response = api_as(cs_agent).get(f"/complaints/{thread.number}/events", params)
    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed"


def test_a_cursor_the_caller_cannot_see_is_422(
    api_as, cs_agent, customer_contact, thread, make_complaint
):
    other = ComplaintEvent.objects.filter(complaint=make_complaint()).first()
    response = api_as(cs_agent).get(f"/complaints/{thread.number}/events", {"before": other.pk})
    assert response.status_code == 422
    internal = ComplaintEvent.objects.filter(complaint=thread, visibility="internal").last()
    response = api_as(customer_contact).get(
        f"/complaints/{thread.number}/events", {"before": internal.pk}
    )
    assert response.status_code == 422


def test_constant_queries_per_page(api_as, cs_agent, thread, django_assert_max_num_queries):
    client = api_as(cs_agent)
    client.get(f"/complaints/{thread.number}/events")
    with django_assert_max_num_queries(8):
        client.get(f"/complaints/{thread.number}/events", {"limit": 200})
