from datetime import datetime

import pytest
from django.utils import timezone

from kesu.core import clock
from kesu.eightd.models import EightDProfile
from kesu.org.models import Process, ProcessKind, Role
from tests import factories as f
from tests.web.conftest import as_user  # noqa: F401 - the logged-in client fixture

# A Monday in March 2026: an ordinary working week in China (no holiday near).
MONDAY_9 = timezone.make_aware(datetime(2026, 3, 9, 9, 0))


def local(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


@pytest.fixture
def center_head(org_chart):
    head = f.UserFactory(username="tec_head", display_name="技术中心负责人", role=Role.CENTER_HEAD)
    center = org_chart["eng"].center
    center.head = head
    center.save(update_fields=["head"])
    return head


@pytest.fixture
def handling_process(process_owner, org_chart):
    return Process.objects.create(
        kind=ProcessKind.COMPLAINT_HANDLING,
        owning_department=org_chart["cs"],
        owner=process_owner,
    )


@pytest.fixture
def at():
    """`with at(local(2026, 3, 9, 9)):` runs the services at that moment."""
    return clock.frozen


@pytest.fixture
def eightd_hours(db):
    """`eightd_hours(d3=24)`: the default 8D profile times only the given disciplines, so a test
    of other clocks is not crowded by the eight discipline steps."""

    def set_hours(**hours):
        EightDProfile.objects.filter(customer__isnull=True).update(
            **{f"d{n}_hours": hours.get(f"d{n}") for n in range(1, 9)}
        )

    return set_hours
