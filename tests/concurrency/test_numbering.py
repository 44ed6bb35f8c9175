"""Complaint numbers stay gap-free and unique when many people record at once (SPEC §3)."""

import pytest
from django.utils import timezone

from kesu.complaints import services
from kesu.complaints.models import Complaint, NumberSequence
from kesu.core import clock
from kesu.eightd.lifecycle import EightD
from tests.concurrency.threads import run_together
from tests.fixtures import complaint_data

THREADS, EACH = 8, 5


@pytest.mark.django_db(transaction=True)
def test_concurrent_recording_numbers_without_gaps_or_duplicates(cs_agent, customer, product):
    data = complaint_data(customer, product, contact_email="")

    def record(index):
        return [
            services.complaint_create(
                actor=cs_agent, data={**data, "title": f"线程{index}-{n}"}
            ).number
            for n in range(EACH)
        ]

    results = run_together(THREADS, record)
    failures = [r for r in results if isinstance(r, BaseException)]
    assert failures == []
    year = timezone.localtime(clock.now()).year
    numbers = sorted(number for numbers in results for number in numbers)
    assert numbers == [f"KS-{year}-{n:06d}" for n in range(1, THREADS * EACH + 1)]
    assert Complaint.objects.count() == THREADS * EACH
    assert NumberSequence.objects.get(year=year).last == THREADS * EACH


@pytest.mark.django_db(transaction=True)
def test_a_failed_recording_gives_its_number_back(cs_agent, customer, product, monkeypatch):
    data = complaint_data(customer, product, contact_email="")
    services.complaint_create(actor=cs_agent, data=data)

    def broken(self, change):
        raise RuntimeError("disk full")

    # A participant fails after the number was drawn: the whole recording rolls back.
    monkeypatch.setattr(EightD, "created", broken)
    with pytest.raises(RuntimeError):
        services.complaint_create(actor=cs_agent, data=data)
    monkeypatch.undo()
    third = services.complaint_create(actor=cs_agent, data=data)
    assert third.number.endswith("-000002")
