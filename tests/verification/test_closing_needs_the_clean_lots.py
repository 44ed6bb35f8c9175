"""N clean lots delivered after implementation let the complaint close (SPEC §5 step 7, seed 000:
close only after the next 2–3 lots delivered to that customer came through clean)."""

from datetime import date

import pytest

from kesu.complaints.choices import Status
from kesu.core import clock
from kesu.core.errors import InvalidTransition
from kesu.verification.selectors import current_round, round_read
from tests import factories as f
from tests import verification_data
from tests.fixtures import PASSWORD, step


def test_entering_verification_starts_a_round_from_d6s_day(verifying):
    round = current_round(verifying)
    # D6's implementation is done 2026-03-09; a serious complaint needs three lots.
    assert (round.number, round.implemented_on, round.lots_required) == (1, date(2026, 3, 9), 3)
    assert verifying.events.filter(type="verification_started").count() == 1


def test_a_general_complaint_needs_two_lots(make_complaint, drive):
    complaint = drive(make_complaint(severity="general"), Status.VERIFICATION)
    assert current_round(complaint).lots_required == 2


def test_the_customers_number_of_lots_wins(make_complaint, drive, customer):
    customer.verification_lots = 5
    customer.save()
    complaint = drive(make_complaint(severity="general"), Status.VERIFICATION)
    assert current_round(complaint).lots_required == 5


def test_three_clean_lots_allow_closing(eightd_done, qe, process_owner, cs_agent):
    verification_data.deliver(eightd_done, 3)
    verification_data.confirm(eightd_done, qe, process_owner, PASSWORD)
    closed = step(eightd_done, cs_agent, "close", note="后续3批合格")
    assert closed.status == Status.CLOSED
    assert current_round(closed).ended_at is not None


def test_two_clean_lots_are_refused_with_the_reason(eightd_done, qe, process_owner, cs_agent):
    verification_data.deliver(eightd_done, 2)
    verification_data.confirm(eightd_done, qe, process_owner, PASSWORD)
    with pytest.raises(InvalidTransition) as refused:
        step(eightd_done, cs_agent, "close", note="2批合格")
    assert "2 / 3" in str(refused.value.message)  # "实施后交付的合格批次 2 / 3…"
    assert refused.value.problems[0].url.endswith("#verification")
    eightd_done.refresh_from_db()
    assert eightd_done.status == Status.VERIFICATION


def test_a_lot_without_a_result_holds_the_lots_after_it(eightd_done):
    verification_data.deliver(eightd_done, 1, result=None)
    verification_data.deliver(eightd_done, 3, days_after=1)
    view = round_read(eightd_done)
    assert (view.clean, view.pending, view.lots_ready) == (3, 1, False)


def test_a_lot_delivered_before_implementation_is_not_counted(eightd_done):
    product = eightd_done.products.first()
    before = f.LotFactory(product=product, customer=eightd_done.customer,
                          ship_date=date(2026, 3, 1), delivery_date=date(2026, 3, 2))
    other_customer = f.LotFactory(product=product, ship_date=date(2026, 4, 1),
                                  delivery_date=date(2026, 4, 2))
    lots = verification_data.deliver(eightd_done, 1)
    shown = [row.lot for row in round_read(eightd_done).rows]
    assert shown == lots and before not in shown and other_customer not in shown


def test_the_complaints_own_lots_are_not_counted(eightd_done, cs_agent):
    from kesu.complaints import services

    lot = verification_data.deliver(eightd_done, 1)[0]
    services.complaint_update(actor=cs_agent, complaint=eightd_done,
                              version=eightd_done.version, data={"lots": [lot.pk]})
    assert round_read(eightd_done).rows == []


def test_the_customers_result_is_preferred_to_ours(eightd_done, defect):
    from kesu.masterdata.models import Inspection

    lot = verification_data.deliver(eightd_done, 1, side="outgoing")[0]
    Inspection.objects.create(lot=lot, side="customer", result="ng", quantity_checked=10,
                              quantity_bad=1, defect_code=None, inspected_on=date(2026, 4, 1),
                              recorded_at=clock.now())
    assert round_read(eightd_done).rows[0].result == "ng"


def test_the_outcome_must_be_confirmed(eightd_done, cs_agent):
    verification_data.deliver(eightd_done, 3)
    with pytest.raises(InvalidTransition) as refused:
        step(eightd_done, cs_agent, "close", note="3批合格")
    assert "验证结论" in str(refused.value.message)  # the verification outcome


def test_an_outcome_confirmed_not_effective_does_not_close(
    eightd_done, qe, process_owner, cs_agent
):
    verification_data.deliver(eightd_done, 3)
    verification_data.confirm(eightd_done, qe, process_owner, PASSWORD, outcome="not_effective")
    with pytest.raises(InvalidTransition):
        step(eightd_done, cs_agent, "close", note="3批合格")
