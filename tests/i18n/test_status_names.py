"""One name per status (issue 11 part 6): staff pages, mail and exports use the status label;
the portal may say it more simply, but never gives a status a second name for the same stage."""

from django.utils import translation

from kesu.complaints.choices import Status
from kesu.portal.stages import customer_status


def test_every_status_has_its_own_name_in_chinese():
    with translation.override("zh-hans"):
        labels = [str(status.label) for status in Status]
    assert len(set(labels)) == len(labels)


def test_the_portal_uses_the_staff_name_for_analysis_and_follow_up():
    with translation.override("zh-hans"):
        assert str(customer_status(Status.ANALYSIS)) == str(Status.ANALYSIS.label)
        assert str(Status.FOLLOW_UP.label) == str(customer_status(Status.FOLLOW_UP)) == "跟进中"


def test_process_owner_reads_as_chinese():
    from kesu.org.models import ProcessKind  # noqa: F401 - the app is loaded

    with translation.override("zh-hans"):
        from django.utils.translation import gettext

        assert all("Owner" not in gettext(m) for m in ("Process owner", "process owner"))
