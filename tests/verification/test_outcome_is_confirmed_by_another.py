"""The outcome (effective / not effective / inconclusive) is confirmed by someone other than
the handler and other than the proposer (Veeva's independent approver; IATF 16949 10.2.3 f)."""

import pytest

from kesu.core.errors import NotAllowed, StaleVersion, ValidationFailed
from kesu.verification import services
from kesu.verification.selectors import current_round
from tests.fixtures import PASSWORD


def test_confirmed_by_another_person_with_a_signature(verifying, engineer, qe):
    services.verification_propose_outcome(actor=engineer, complaint=verifying,
                                          outcome="effective", note="3批合格")
    round = services.verification_confirm_outcome(
        actor=qe, complaint=verifying, version=current_round(verifying).version,
        password=PASSWORD,
    )
    assert (round.outcome, round.outcome_proposed_by, round.outcome_confirmed_by) == (
        "effective", engineer, qe
    )
    assert verifying.events.filter(type="outcome_confirmed").count() == 1


def test_the_handler_may_not_confirm(verifying, engineer, qe):
    services.verification_propose_outcome(actor=qe, complaint=verifying, outcome="effective")
    with pytest.raises(NotAllowed):
        services.verification_confirm_outcome(
            actor=engineer, complaint=verifying, version=current_round(verifying).version,
            password=PASSWORD,
        )
    assert current_round(verifying).outcome_confirmed_at is None


def test_the_proposer_may_not_confirm(verifying, qe):
    services.verification_propose_outcome(actor=qe, complaint=verifying, outcome="effective")
    with pytest.raises(NotAllowed):
        services.verification_confirm_outcome(
            actor=qe, complaint=verifying, version=current_round(verifying).version,
            password=PASSWORD,
        )


def test_a_wrong_password_confirms_nothing(verifying, engineer, qe):
    services.verification_propose_outcome(actor=engineer, complaint=verifying,
                                          outcome="inconclusive")
    with pytest.raises(ValidationFailed):
        services.verification_confirm_outcome(
            actor=qe, complaint=verifying, version=current_round(verifying).version,
            password="wrong",
        )
    assert current_round(verifying).outcome_confirmed_at is None


def test_a_changed_proposal_is_not_confirmed_blind(verifying, engineer, qe, process_owner):
    services.verification_propose_outcome(actor=engineer, complaint=verifying,
                                          outcome="effective")
    read = current_round(verifying).version
    services.verification_propose_outcome(actor=engineer, complaint=verifying,
                                          outcome="inconclusive")
    with pytest.raises(StaleVersion):
        services.verification_confirm_outcome(
            actor=process_owner, complaint=verifying, version=read, password=PASSWORD
        )


def test_an_unknown_outcome_is_refused(verifying, engineer):
    with pytest.raises(ValidationFailed):
        services.verification_propose_outcome(actor=engineer, complaint=verifying,
                                              outcome="great")
