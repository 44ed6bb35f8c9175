import pytest
from django.utils import translation

from kesu.complaints.choices import Status
from kesu.eightd.services import discipline_sign
from tests import eightd_data
from tests.fixtures import PASSWORD


@pytest.fixture(autouse=True)
def _english():
    """The rules' messages are checked in English; zh-Hans is checked by tests/i18n."""
    with translation.override("en"):
        yield


@pytest.fixture
def written(make_complaint, drive, engineer):
    """A complaint in analysis whose D4 is written, ready to sign."""
    complaint = drive(make_complaint(), Status.ANALYSIS)
    eightd_data.fill(complaint, engineer, ("d4",))
    return complaint


def sign(complaint, user, meaning="approved", password=PASSWORD, code="d4"):
    return discipline_sign(
        actor=user, complaint=complaint, code=code, password=password, meaning=meaning
    )
