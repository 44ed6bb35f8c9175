"""Two people confirm the same proposed outcome at the same moment: the round is written by
compare-and-set under the complaint's lock, so one confirmation and one signature land and the
other is told someone changed it meanwhile (STYLE habit 2, 14)."""

import pytest

from kesu.complaints.choices import Status
from kesu.complaints.models import Complaint
from kesu.core.errors import StaleVersion
from kesu.signoff.models import Signature
from kesu.verification import services
from kesu.verification.models import Round
from kesu.verification.selectors import current_round
from tests.concurrency.threads import postgres_only, run_together
from tests.fixtures import PASSWORD

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]


def test_two_confirmations_at_once_land_once(make_complaint, drive, engineer, dept_manager,
                                             process_owner):
    complaint = drive(make_complaint(), Status.VERIFICATION)
    services.verification_propose_outcome(actor=engineer, complaint=complaint,
                                          outcome="effective")
    version = current_round(complaint).version
    confirmers = [dept_manager, process_owner]

    def confirm(index):
        return services.verification_confirm_outcome(
            actor=confirmers[index], complaint=Complaint.objects.get(pk=complaint.pk),
            version=version, password=PASSWORD,
        )

    results = run_together(2, confirm)
    won = [r for r in results if isinstance(r, Round)]
    lost = [r for r in results if isinstance(r, StaleVersion)]
    assert (len(won), len(lost)) == (1, 1), results
    round = current_round(complaint)
    assert round.outcome_confirmed_by == won[0].outcome_confirmed_by
    assert round.version == version + 1
    assert Signature.objects.filter(subject=f"verification.outcome:{round.pk}").count() == 1
    assert complaint.events.filter(type="outcome_confirmed").count() == 1
