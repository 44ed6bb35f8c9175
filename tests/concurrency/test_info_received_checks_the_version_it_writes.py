"""Recording the customer's answer is a compare-and-set on the version (STYLE habit 2): an edit
that commits between the check and the write makes it stale, and it is told, not applied."""

import pytest

from kesu.complaints import services
from kesu.complaints.models import Complaint, ComplaintEvent
from kesu.core.errors import StaleVersion
from tests.concurrency.threads import Interleaving, postgres_only

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]


def test_an_answer_recorded_against_an_outdated_version_is_refused(
    make_complaint, cs_agent, qe, monkeypatch
):
    complaint = make_complaint(contact_email="")
    complaint = services.complaint_request_info(
        actor=cs_agent, complaint=complaint, version=complaint.version, note="请提供批号"
    )
    version = complaint.version

    # The answer is about to be written when someone else saves the complaint.
    race = Interleaving()
    monkeypatch.setattr(services, "_info_received", race.holding_before(services._info_received))

    def record_answer():
        return services.complaint_info_received(
            actor=cs_agent, complaint=complaint, version=version, note="客户电话告知批号"
        ).version

    def edit():
        return services.complaint_update(
            actor=qe, complaint=Complaint.objects.get(pk=complaint.pk), version=version,
            data={"title": "外壳划伤（已补充）"},
        ).version

    answered, edited = race.run(record_answer, edit)
    assert edited == version + 1
    assert isinstance(answered, StaleVersion), answered
    complaint.refresh_from_db()
    assert complaint.version == version + 1 and complaint.info_requested_at is not None
    assert not ComplaintEvent.objects.filter(complaint=complaint, type="info_received").exists()
