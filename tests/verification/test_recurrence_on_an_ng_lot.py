"""An NG lot with the complaint's defect reopens it as a recurrence (SPEC §5 step 7): back to
analysis, counted, linked to the lot, told to the tracker, handler and process owner."""

from datetime import date

import pytest

from kesu.complaints.choices import Status
from kesu.core.errors import NotAllowed, ValidationFailed
from kesu.notifications.models import Notification
from kesu.org.models import Process, ProcessKind
from kesu.verification import services
from kesu.verification.selectors import current_round, round_read
from kesu.verification.tasks import verification_sweep
from tests import verification_data


def record(complaint, actor, lot, result="ng", defect=None, **extra):
    return services.verification_record_result(
        actor=actor, complaint=complaint, lot=lot, side="customer", result=result,
        defect_code=defect, quantity_checked=200, quantity_bad=5 if result == "ng" else 0,
        inspected_on=date(2026, 4, 2), **extra,
    )


def test_ng_with_the_same_defect_reopens_as_a_recurrence(
    verifying, qe, engineer, process_owner, defect, org_chart
):
    Process.objects.create(kind=ProcessKind.COMPLAINT_HANDLING, owning_department=org_chart["cs"],
                           owner=process_owner)
    lot = verification_data.deliver(verifying, 1, result=None)[0]
    round = current_round(verifying)
    record(verifying, qe, lot, defect=defect)
    verifying.refresh_from_db()
    assert verifying.status == Status.ANALYSIS
    assert verifying.recurrence_count == 1
    step = verifying.events.get(type="transition", action="report_recurrence")
    assert lot.number in step.note
    recurred = verifying.events.get(type="lot_recurred")
    assert (recurred.payload["lot_id"], recurred.payload["lot"]) == (lot.pk, lot.number)
    round.refresh_from_db()
    assert round.recurred_lot == lot and round.ended_at is not None
    told = set(Notification.objects.filter(complaint=verifying).values_list(
        "recipient_id", flat=True))
    assert {qe.pk, engineer.pk, process_owner.pk} <= told


def test_the_qe_may_say_it_is_the_same_defect(verifying, qe, other_defect):
    lot = verification_data.deliver(verifying, 1, result=None)[0]
    record(verifying, qe, lot, defect=other_defect, same_defect=True)
    verifying.refresh_from_db()
    assert (verifying.status, verifying.recurrence_count) == (Status.ANALYSIS, 1)


def test_ng_with_another_defect_is_shown_but_does_not_reopen(verifying, qe, other_defect):
    lot = verification_data.deliver(verifying, 1, result=None)[0]
    record(verifying, qe, lot, defect=other_defect)
    verifying.refresh_from_db()
    assert (verifying.status, verifying.recurrence_count) == (Status.VERIFICATION, 0)
    view = round_read(verifying)
    assert [(row.lot, row.result) for row in view.rows] == [(lot, "ng")]
    assert view.clean == 0
    event = verifying.events.get(type="lot_checked")
    assert event.payload["same_defect"] is False


def test_an_ok_result_counts_as_clean(verifying, qe):
    lot = verification_data.deliver(verifying, 1, result=None)[0]
    record(verifying, qe, lot, result="ok")
    assert round_read(verifying).clean == 1


def test_only_a_watched_lot_takes_a_result(verifying, qe):
    from tests import factories as f

    stranger = f.LotFactory(delivery_date=date(2026, 4, 1))
    with pytest.raises(ValidationFailed):
        record(verifying, qe, stranger, result="ok")


def test_the_handler_does_not_record_results(verifying, engineer):
    lot = verification_data.deliver(verifying, 1, result=None)[0]
    with pytest.raises(NotAllowed):
        record(verifying, engineer, lot, result="ok")


def test_an_imported_ng_result_is_acted_on_by_the_sweep(verifying, defect):
    verification_data.deliver(verifying, 1, result="ng", defect_code=defect)
    assert verification_sweep()["recurred"] == 1
    verifying.refresh_from_db()
    assert (verifying.status, verifying.recurrence_count) == (Status.ANALYSIS, 1)
    assert verification_sweep()["recurred"] == 0  # idempotent: the round has ended
    verifying.refresh_from_db()
    assert verifying.recurrence_count == 1


def test_after_a_recurrence_the_next_round_counts_new_lots_only(
    verifying, qe, defect, drive, engineer, cs_agent
):
    from tests.fixtures import step

    old = verification_data.deliver(verifying, 1, result=None)[0]
    record(verifying, qe, old, defect=defect)
    verifying.refresh_from_db()
    complaint = step(verifying, engineer, "submit_plan")
    complaint = step(complaint, cs_agent, "customer_accept")
    complaint = step(complaint, engineer, "submit_implementation")
    round = current_round(complaint)
    assert round.number == 2
    assert old not in [row.lot for row in round_read(complaint).rows]


def test_an_ng_result_from_the_erp_reopens_at_once_not_at_the_next_sweep(
    verifying, qe, defect, django_capture_on_commit_callbacks
):
    from kesu.masterdata.services import inspection_record

    lot = verification_data.deliver(verifying, 1, result=None)[0]
    values = {
        "result": "ng", "defect_code": defect.code, "quantity_checked": 200,
        "quantity_bad": 4, "inspected_on": date(2026, 4, 2), "note": "",
    }
    with django_capture_on_commit_callbacks(execute=True):
        inspection_record(actor=qe, lot=lot, side="customer", values=values)
    verifying.refresh_from_db()
    assert verifying.status == Status.ANALYSIS
    assert verifying.recurrence_count == 1
    assert verifying.events.filter(type="lot_recurred").count() == 1
    # The same result sent again changes nothing and reopens nothing.
    with django_capture_on_commit_callbacks(execute=True):
        inspection_record(actor=qe, lot=lot, side="customer", values=values)
    verifying.refresh_from_db()
    assert verifying.recurrence_count == 1


def test_an_ok_result_from_the_erp_reopens_nothing(
    verifying, qe, django_capture_on_commit_callbacks
):
    from kesu.masterdata.services import inspection_record

    lot = verification_data.deliver(verifying, 1, result=None)[0]
    values = {
        "result": "ok", "quantity_checked": 200, "quantity_bad": 0,
        "inspected_on": date(2026, 4, 2), "note": "",
    }
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        inspection_record(actor=qe, lot=lot, side="customer", values=values)
    assert callbacks == []  # nothing NG, nothing sent
    verifying.refresh_from_db()
    assert verifying.status == Status.VERIFICATION
