"""The number counter is drawn late, in one UPDATE … RETURNING, and its lock lasts until the
recording commits or rolls back (SPEC §3: numbers without gaps). Two connections, PostgreSQL."""

import threading

import pytest
from django.utils import timezone

from kesu.complaints import services
from kesu.complaints.models import NumberSequence
from kesu.core import clock
from tests.concurrency.threads import Interleaving, postgres_only
from tests.fixtures import complaint_data

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture(params=["first of the year", "counter row exists"])
def counter(request):
    if request.param == "counter row exists":
        NumberSequence.objects.create(year=timezone.localtime(clock.now()).year, last=0)
    return request.param


def _record(cs_agent, data, title):
    return services.complaint_create(actor=cs_agent, data={**data, "title": title}).number


def test_a_second_recording_waits_for_the_first_and_takes_the_next_number(
    cs_agent, customer, product, monkeypatch, counter
):
    data = complaint_data(customer, product, contact_email="")
    race = Interleaving()
    monkeypatch.setattr(services, "_next_number", race.holding_after(services._next_number))
    first, second = race.run(
        lambda: _record(cs_agent, data, "甲"), lambda: _record(cs_agent, data, "乙")
    )
    year = timezone.localtime(clock.now()).year
    assert (first, second) == (f"KS-{year}-000001", f"KS-{year}-000002")


def test_a_recording_that_fails_after_drawing_gives_the_number_to_the_one_waiting(
    cs_agent, customer, product, monkeypatch, counter
):
    data = complaint_data(customer, product, contact_email="")
    race = Interleaving()
    draw = services._next_number

    def draw_then_fail_in_the_first(now):
        number = draw(now)
        race.hold()
        if threading.current_thread() is race._first_thread:
            raise RuntimeError("disk full")
        return number

    monkeypatch.setattr(services, "_next_number", draw_then_fail_in_the_first)
    first, second = race.run(
        lambda: _record(cs_agent, data, "甲"), lambda: _record(cs_agent, data, "乙")
    )
    year = timezone.localtime(clock.now()).year
    assert isinstance(first, RuntimeError)
    assert second == f"KS-{year}-000001"
    assert NumberSequence.objects.get(year=year).last == 1
