"""Effect verification for tests: clean lots delivered after implementation, and the outcome
proposed and confirmed by two people, neither the handler."""

from datetime import timedelta

from django.utils import timezone

from kesu.core import clock
from kesu.eightd.selectors import report_view
from kesu.masterdata.models import Inspection
from kesu.verification import services
from kesu.verification.selectors import current_round
from tests import eightd_data
from tests import factories as f


def deliver(complaint, count=None, *, result="ok", defect_code=None, days_after=0, side="customer"):
    """`count` lots (default: what the round needs) of the complaint's first product delivered
    to its customer from the implementation day on, each with an inspection result."""
    round = current_round(complaint)
    product = complaint.products.first()
    today = timezone.localdate(clock.now())
    lots = []
    for n in range(count if count is not None else round.lots_required):
        delivered = min(round.implemented_on + timedelta(days=days_after + n), today)
        lot = f.LotFactory(
            product=product, customer=complaint.customer, ship_date=delivered,
            delivery_date=delivered,
        )
        if result is not None:
            Inspection.objects.create(
                lot=lot, side=side, result=result, quantity_checked=100,
                quantity_bad=0 if result == "ok" else 3,
                defect_code=defect_code if result == "ng" else None,
                inspected_on=today, recorded_at=clock.now(),
            )
        lots.append(lot)
    return lots


def confirm(complaint, proposer, confirmer, password, outcome="effective"):
    services.verification_propose_outcome(actor=proposer, complaint=complaint, outcome=outcome)
    round = current_round(complaint)
    return services.verification_confirm_outcome(
        actor=confirmer, complaint=complaint, version=round.version, password=password
    )


def approve_required(complaint, approver, password):
    """Approve every discipline the complaint's form requires that is not approved yet."""
    codes = tuple(d.code for d in report_view(complaint).required if not d.signed_off)
    eightd_data.approve(complaint, approver, codes, password)


def ready_to_close(complaint, *, engineer, qe, confirmer, password):
    """Everything closing asks for: the 8D complete and approved, N clean lots, the outcome
    confirmed."""
    eightd_data.fill(complaint, engineer, ("d7", "d8"))
    approve_required(complaint, qe, password)
    deliver(complaint)
    confirm(complaint, qe, confirmer, password)
