from datetime import timedelta

import pytest
from django.utils import timezone

from kesu.complaints.choices import Status
from kesu.core import clock

# Session, user, count, page, open steps (one prefetch for the due column), filter pick lists.
LIST_QUERIES = 8


def numbers(response) -> set[str]:
    return {c.number for c in response.context["page"].object_list}


def test_list_shows_visible_complaints_with_status_badges(as_user, cs_agent, make_complaint):
    complaint = make_complaint(title="刹车片异响")
    response = as_user(cs_agent).get("/complaints/")
    assert response.status_code == 200
    assert numbers(response) == {complaint.number}
    assert 'class="badge badge-blue" data-status="received"' in response.content.decode()


def test_filters_narrow_the_list_and_keep_their_values(
    as_user, cs_agent, make_complaint, drive, org_chart
):
    quality = make_complaint(title="表面划伤")
    delivery = make_complaint(category="delivery", title="交货延迟", severity="general")
    dispatched = drive(make_complaint(title="尺寸超差"), Status.DISPATCHED)
    client = as_user(cs_agent)

    assert numbers(client.get("/complaints/", {"category": "delivery"})) == {delivery.number}
    assert numbers(client.get("/complaints/", {"status": ["received"]})) == {
        quality.number,
        delivery.number,
    }
    assert numbers(client.get("/complaints/", {"status": ["dispatched", "received"]})) == {
        quality.number,
        delivery.number,
        dispatched.number,
    }
    assert numbers(client.get("/complaints/", {"department": org_chart["eng"].pk})) == {
        dispatched.number
    }
    assert numbers(client.get("/complaints/", {"text": "交货"})) == {delivery.number}
    assert numbers(client.get("/complaints/", {"severity": "general"})) == {delivery.number}

    response = client.get("/complaints/", {"text": "交货", "status": ["received"]})
    html = response.content.decode()
    assert 'value="交货"' in html
    assert 'value="received" id="id_status_0" checked' in html


def test_date_range_filter(as_user, cs_agent, make_complaint):
    old = make_complaint(received_at=(clock.now() - timedelta(days=40)).isoformat())
    new = make_complaint()
    client = as_user(cs_agent)
    today = timezone.localdate(clock.now())
    since = (today - timedelta(days=7)).isoformat()
    assert numbers(client.get("/complaints/", {"received_from": since})) == {new.number}
    until = (today - timedelta(days=30)).isoformat()
    assert numbers(client.get("/complaints/", {"received_to": until})) == {old.number}


def test_an_invalid_filter_is_shown_and_ignored(as_user, cs_agent, make_complaint):
    complaint = make_complaint()
    response = as_user(cs_agent).get("/complaints/", {"received_from": "not a date"})
    assert response.status_code == 200
    assert numbers(response) == {complaint.number}
    assert response.context["form"].errors["received_from"]


@pytest.fixture
def thirty_complaints(make_complaint):
    return [make_complaint(title=f"投诉{i}") for i in range(30)]


def test_list_pages_by_25_with_constant_queries(
    as_user, cs_agent, thirty_complaints, django_assert_max_num_queries
):
    client = as_user(cs_agent)
    client.get("/complaints/")  # warm the session and content types
    with django_assert_max_num_queries(LIST_QUERIES):
        first = client.get("/complaints/")
    assert len(first.context["page"].object_list) == 25
    with django_assert_max_num_queries(LIST_QUERIES):
        second = client.get("/complaints/", {"page": 2, "status": ["received"]})
    assert len(second.context["page"].object_list) == 5
    assert "page=1" in second.content.decode()


def test_htmx_request_gets_only_the_results(as_user, cs_agent, make_complaint):
    complaint = make_complaint()
    response = as_user(cs_agent).get(
        "/complaints/", {"text": complaint.number}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results"
    )
    html = response.content.decode()
    assert complaint.number in html
    assert "<html" not in html
    assert "HX-Request" in response["Vary"]
    restore = as_user(cs_agent).get(
        "/complaints/",
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="results",
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
    )
    assert "<html" in restore.content.decode()
