"""No lot within the configured days after implementation raises a reminder, once, instead of
waiting silently forever; the sweep is idempotent."""

from datetime import timedelta

from django.test import override_settings
from django.utils import timezone

from kesu.core import clock
from kesu.notifications.models import Notification
from kesu.verification.selectors import current_round
from kesu.verification.tasks import verification_sweep
from tests import verification_data


def test_the_reminder_is_due_thirty_days_after_implementation(verifying):
    round = current_round(verifying)
    assert round.remind_on == round.implemented_on + timedelta(days=30)


def test_the_sweep_reminds_once(verifying, qe, engineer):
    # D6's day (2026-03-09) is long past: the reminder is due.
    assert verification_sweep()["reminded"] == 1
    assert verification_sweep()["reminded"] == 0
    assert verifying.events.filter(type="no_lot_reminder").count() == 1
    told = Notification.objects.filter(complaint=verifying, kind="overdue")
    assert set(told.values_list("recipient_id", flat=True)) == {qe.pk, engineer.pk}
    round = current_round(verifying)
    assert round.remind_on is None and round.reminded_at is not None


def test_no_reminder_when_a_lot_came(verifying):
    verification_data.deliver(verifying, 1, result=None)
    assert verification_sweep()["reminded"] == 0
    assert not verifying.events.filter(type="no_lot_reminder").exists()


@override_settings(KESU_VERIFICATION_REMINDER_DAYS=30)
def test_no_reminder_before_the_day(make_complaint, drive, defect, engineer):
    from kesu.complaints.choices import Status
    from tests import eightd_data
    from tests.fixtures import step

    complaint = drive(make_complaint(defect_code=defect.pk), Status.IMPLEMENTATION)
    today = timezone.localdate(clock.now()).isoformat()
    content = dict(eightd_data.COMPLETE["d6"])
    content["implementations"] = [dict(content["implementations"][0], done=today)]
    content["containment_removed"] = today
    from kesu.eightd.models import Discipline
    from kesu.eightd.services import discipline_update

    d6 = Discipline.objects.get(report__complaint=complaint, code="d6")
    discipline_update(actor=engineer, complaint=complaint, code="d6", version=d6.version,
                      content=content)
    complaint = step(complaint, engineer, "submit_implementation")
    assert current_round(complaint).implemented_on == timezone.localdate(clock.now())
    assert verification_sweep()["reminded"] == 0
    later = clock.now() + timedelta(days=31)
    with clock.frozen(later):
        assert verification_sweep()["reminded"] == 1
