"""The password of an electronic signature is checked (PBKDF2, slow on purpose) before the
signing transaction, so nobody waits on the complaint's or the discipline's lock meanwhile."""

import pytest
from django.db import transaction

from kesu.complaints.choices import Status
from kesu.complaints.models import Complaint
from kesu.eightd.models import Discipline
from kesu.eightd.services import discipline_sign
from kesu.org.models import User
from kesu.signoff.models import Signature
from tests import eightd_data
from tests.concurrency.threads import Interleaving, postgres_only
from tests.fixtures import PASSWORD

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]


def test_the_rows_a_signature_locks_are_free_while_the_password_is_checked(
    make_complaint, drive, engineer, qe, eightd_hours, monkeypatch
):
    eightd_hours()
    complaint = drive(make_complaint(contact_email=""), Status.ANALYSIS)
    eightd_data.fill(complaint, engineer, ("d5",))
    d5 = Discipline.objects.get(report__complaint=complaint, code="d5")

    race = Interleaving()
    monkeypatch.setattr(User, "check_password", race.holding_before(User.check_password))

    def sign():
        return discipline_sign(
            actor=qe, complaint=complaint, code="d5", password=PASSWORD, meaning="approved"
        ).meaning

    def lock_without_waiting():
        with transaction.atomic():
            Complaint.objects.select_for_update(nowait=True).get(pk=complaint.pk)
            Discipline.objects.select_for_update(nowait=True).get(pk=d5.pk)
        return "free"

    signed, locked = race.run(sign, lock_without_waiting)
    assert locked == "free", locked
    assert signed == "approved"
    assert Signature.objects.filter(subject=d5.subject, meaning="approved").count() == 1
