"""Only staff who may see the complaint export it; customers receive the 8D, they do not
export it; nobody reaches another complaint's export by its id."""

from datetime import timedelta

import pytest

from kesu.core import clock
from kesu.core.errors import NotAllowed, NotFound, ValidationFailed
from kesu.eightd.export.services import MAX_QUEUED, export_request
from kesu.eightd.models import Export


def test_customers_may_not_request_an_export(complete_8d, customer_contact):
    with pytest.raises(NotAllowed):
        export_request(actor=customer_contact, complaint=complete_8d, format="pdf",
                       language="zh-hans")
    assert not Export.objects.exists()


def test_outsiders_and_other_customers_do_not_learn_it_exists(
    complete_8d, outsider, other_customer_contact
):
    for person in (outsider, other_customer_contact):
        with pytest.raises(NotFound):
            export_request(actor=person, complaint=complete_8d, format="pdf", language="en")
    assert not Export.objects.exists()


@pytest.mark.parametrize(
    ("format", "language", "field"),
    [("docx", "en", "format"), ("pdf", "fr", "language"), ("", "", "format")],
)
def test_unknown_format_or_language_is_refused(complete_8d, qe, format, language, field):
    with pytest.raises(ValidationFailed) as refused:
        export_request(actor=qe, complaint=complete_8d, format=format, language=language)
    assert field in refused.value.field_errors
    assert not Export.objects.exists()


def test_a_version_of_another_complaint_is_not_found(complete_8d, make_complaint, drive, qe):
    from kesu.eightd.selectors import latest_version

    other = drive(make_complaint(title="另一投诉"), "confirmation")
    with pytest.raises(NotFound):
        export_request(actor=qe, complaint=complete_8d, format="pdf", language="en",
                       version=latest_version(other))


def test_the_queue_per_8d_is_bounded(complete_8d, qe):
    for _n in range(MAX_QUEUED):
        export_request(actor=qe, complaint=complete_8d, format="pdf", language="en")
        # Not a double click: the earlier ones were asked for an hour ago.
        Export.objects.update(requested_at=clock.now() - timedelta(hours=1))
    with pytest.raises(ValidationFailed):
        export_request(actor=qe, complaint=complete_8d, format="pdf", language="en")
    assert Export.objects.count() == MAX_QUEUED
