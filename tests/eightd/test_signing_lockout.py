"""Wrong passwords when signing are recorded (Part 11 §11.300(d)) and, as many as lock a login,
lock the signer's signing for the same time: an open session cannot be used to guess the
password, and the signer is told before the lock how many tries are left."""

from datetime import timedelta

import pytest

from kesu.core import clock
from kesu.core.errors import ValidationFailed
from kesu.eightd.models import Discipline
from kesu.signoff.models import Signature, SignatureRefusal
from tests.eightd.conftest import sign
from tests.fixtures import PASSWORD


def refused(complaint, user, password="wrong") -> str:
    with pytest.raises(ValidationFailed) as exc:
        sign(complaint, user, password=password)
    [message] = exc.value.field_errors["password"]
    return message


def test_each_wrong_password_is_recorded_and_says_how_many_tries_are_left(written, qe):
    assert refused(written, qe) == (
        "The password is not correct; nothing was signed. "
        "4 more wrong passwords lock signing for 15 minutes."
    )
    [refusal] = SignatureRefusal.objects.all()
    d4 = Discipline.objects.get(report__complaint=written, code="d4")
    assert (refusal.signer, refusal.subject) == (qe, d4.subject)
    for _ in range(3):
        refused(written, qe)
    assert refused(written, qe) == (
        "The password is not correct; nothing was signed. Signing is now locked for 15 minutes."
    )
    assert SignatureRefusal.objects.count() == 5


def test_once_locked_even_the_right_password_signs_nothing(written, qe, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        refused(written, qe)
    assert refused(written, qe, password=PASSWORD) == (
        "Too many wrong passwords: signing is locked for 15 more minutes. Nothing was signed."
    )
    assert not Signature.objects.exists()
    # The lock itself is not another wrong password: it does not extend itself.
    assert SignatureRefusal.objects.count() == settings.AXES_FAILURE_LIMIT


def test_the_lock_ends_after_the_cool_off(written, qe, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        refused(written, qe)
    with clock.frozen(clock.now() + settings.AXES_COOLOFF_TIME + timedelta(seconds=1)):
        assert sign(written, qe).signer == qe


def test_one_signer_s_lock_does_not_touch_another(written, qe, engineer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        refused(written, qe)
    assert sign(written, engineer, meaning="reviewed").signer == engineer
