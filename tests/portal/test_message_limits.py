"""A customer contact's messages are limited per complaint and overall (issue 10); the refusal
says from when they can write again and keeps what they typed."""

from datetime import timedelta

import pytest
from django.conf import settings

from kesu.complaints import limits, services
from kesu.complaints.events import COMMENT
from kesu.complaints.models import ComplaintEvent
from kesu.core import clock
from kesu.core.errors import RateLimited


def _write(customer, complaint, n, text="又一条"):
    for i in range(n):
        services.complaint_comment(actor=customer, complaint=complaint, text=f"{text}{i}")


def test_the_eleventh_message_in_ten_minutes_is_refused_and_the_text_kept(
    login, customer_contact, make_complaint
):
    complaint = make_complaint()
    start = clock.now()
    with clock.frozen(start):
        _write(customer_contact, complaint, 10)
        client = login(customer_contact)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        url = f"/portal/{complaint.number}/messages/"
        response = client.post(url, {"text": "第十一条：请回复"})
    assert response.status_code == 429
    page = response.content.decode()
    assert "You can write again from" in page
    assert "第十一条：请回复</textarea>" in page  # what they typed is still in the form
    written = ComplaintEvent.objects.filter(complaint=complaint, type=COMMENT)
    assert written.count() == 10


def test_the_refusal_names_the_minute_a_place_frees_and_then_it_does(
    customer_contact, make_complaint
):
    complaint = make_complaint()
    start = clock.now().replace(second=0, microsecond=0)
    for i in range(10):
        with clock.frozen(start + timedelta(seconds=30 * i)):
            _write(customer_contact, complaint, 1)
    with clock.frozen(start + timedelta(minutes=9)), pytest.raises(RateLimited) as refused:
        _write(customer_contact, complaint, 1)
    # The oldest of the ten leaves the window at start + 10 min.
    assert refused.value.retry_at == start + timedelta(minutes=10)
    with clock.frozen(start + timedelta(minutes=10)):
        _write(customer_contact, complaint, 1)  # accepted
        with pytest.raises(RateLimited):
            _write(customer_contact, complaint, 1)  # and full again


def test_fifty_a_day_per_complaint(customer_contact, make_complaint):
    complaint = make_complaint()
    start = clock.now()
    for i in range(50):
        with clock.frozen(start + timedelta(minutes=11 * i)):
            _write(customer_contact, complaint, 1)
    last = start + timedelta(minutes=11 * 50)
    with clock.frozen(last), pytest.raises(RateLimited) as refused:
        _write(customer_contact, complaint, 1)
    assert refused.value.retry_at == start + timedelta(days=1)


def test_the_limit_over_all_complaints(monkeypatch, customer_contact, make_complaint):
    monkeypatch.setattr(
        limits,
        "MESSAGE_LIMITS",
        (
            limits.Limit(10, timedelta(minutes=10), per_complaint=True),
            limits.Limit(3, timedelta(minutes=10), per_complaint=False),
        ),
    )
    first, second = make_complaint(), make_complaint()
    with clock.frozen(clock.now()):
        _write(customer_contact, first, 2)
        _write(customer_contact, second, 1)
        with pytest.raises(RateLimited):
            _write(customer_contact, first, 1)


def test_staff_are_not_limited(cs_agent, make_complaint):
    complaint = make_complaint()
    with clock.frozen(clock.now()):
        for i in range(12):
            services.complaint_comment(actor=cs_agent, complaint=complaint, text=f"内部{i}")
