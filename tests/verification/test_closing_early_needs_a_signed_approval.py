"""Closing before the clean lots needs an approval with a reason, signed with the password
(21 CFR Part 11 §11.200, as for the 8D)."""

import pytest

from kesu.complaints.choices import Status
from kesu.core.errors import InvalidTransition, NotAllowed, ValidationFailed
from kesu.signoff.models import Signature, SignatureRefusal
from kesu.verification import services
from kesu.verification.selectors import current_round
from tests import verification_data
from tests.fixtures import PASSWORD, step


def test_a_signed_approval_lets_it_close_with_one_lot(
    eightd_done, dept_manager, qe, process_owner, cs_agent
):
    verification_data.deliver(eightd_done, 1)
    services.verification_override(
        actor=dept_manager, complaint=eightd_done, reason="客户书面同意提前结案", password=PASSWORD
    )
    round = current_round(eightd_done)
    signature = round.override_signature
    assert (signature.signer, signature.meaning) == (dept_manager, "approved")
    assert round.override_reason == "客户书面同意提前结案"
    event = eightd_done.events.get(type="close_early_approved")
    assert event.payload["printed_name"] == signature.printed_name
    verification_data.confirm(eightd_done, qe, process_owner, PASSWORD)
    assert step(eightd_done, cs_agent, "close", note="提前结案").status == Status.CLOSED


def test_a_wrong_password_is_refused_and_recorded(eightd_done, dept_manager, cs_agent):
    with pytest.raises(ValidationFailed) as refused:
        services.verification_override(
            actor=dept_manager, complaint=eightd_done, reason="提前结案", password="wrong"
        )
    assert "password" in refused.value.field_errors
    assert current_round(eightd_done).override_signature is None
    assert not Signature.objects.filter(subject__startswith="verification.").exists()
    assert SignatureRefusal.objects.filter(signer=dept_manager).count() == 1


def test_a_reason_is_required(eightd_done, dept_manager):
    with pytest.raises(ValidationFailed):
        services.verification_override(
            actor=dept_manager, complaint=eightd_done, reason="  ", password=PASSWORD
        )


def test_the_handler_may_not_approve_closing_early(eightd_done, engineer):
    with pytest.raises(NotAllowed):
        services.verification_override(
            actor=engineer, complaint=eightd_done, reason="提前", password=PASSWORD
        )


def test_no_approval_once_the_lots_are_in(eightd_done, dept_manager):
    verification_data.deliver(eightd_done, 3)
    with pytest.raises(InvalidTransition):
        services.verification_override(
            actor=dept_manager, complaint=eightd_done, reason="提前", password=PASSWORD
        )
