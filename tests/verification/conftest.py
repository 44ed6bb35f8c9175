import pytest

from kesu.complaints.choices import Status
from tests import factories as f


@pytest.fixture
def defect(db):
    return f.DefectCodeFactory(code="SCR", name="划伤")


@pytest.fixture
def other_defect(db):
    return f.DefectCodeFactory(code="DIM", name="尺寸超差")


@pytest.fixture
def verifying(make_complaint, drive, defect):
    """A serious complaint (three clean lots) with the defect code 划伤, just entered
    verification; D6 records 2026-03-09 as its implementation day."""
    return drive(make_complaint(severity="serious", defect_code=defect.pk), Status.VERIFICATION)


@pytest.fixture
def eightd_done(verifying, engineer, qe):
    """Everything the 8D asks of closing is done: only verification is left."""
    from tests import eightd_data, verification_data
    from tests.fixtures import PASSWORD

    eightd_data.fill(verifying, engineer, ("d7", "d8"))
    verification_data.approve_required(verifying, qe, PASSWORD)
    return verifying
