"""Requests sent at once cannot together pass the message limit: the count is taken under the
complaint's lock and the contact's row (issue 10)."""

import pytest

from kesu.complaints import limits, services
from kesu.complaints.events import COMMENT
from kesu.complaints.models import ComplaintEvent
from kesu.core import clock
from kesu.core.errors import RateLimited
from tests.concurrency.threads import run_together

THREADS = 8


@pytest.mark.django_db(transaction=True)
def test_eight_at_once_against_the_last_five_places(customer_contact, make_complaint):
    complaint = make_complaint(contact_email="")
    per_complaint = next(limit for limit in limits.MESSAGE_LIMITS if limit.per_complaint)
    with clock.frozen(clock.now()):
        for i in range(per_complaint.count - 5):
            services.complaint_comment(actor=customer_contact, complaint=complaint, text=f"{i}")

        def write(index):
            return services.complaint_comment(
                actor=customer_contact, complaint=complaint, text=f"同时{index}"
            )

        results = run_together(THREADS, write)
    refused = [r for r in results if isinstance(r, RateLimited)]
    others = [r for r in results if isinstance(r, BaseException) and r not in refused]
    assert others == []
    assert len(refused) == THREADS - 5
    written = ComplaintEvent.objects.filter(complaint=complaint, type=COMMENT)
    assert written.count() == per_complaint.count
