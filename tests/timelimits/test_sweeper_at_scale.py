"""The sweeper at scale (issue 12 §4): a batch costs the same few queries however many steps
it holds (the ladder's people, the complaints and the calendars are looked up once per batch),
and how the due steps are cut into batches changes no event, escalation or person told."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kesu.complaints.choices import Status
from kesu.complaints.models import ComplaintEvent
from kesu.notifications.models import Notification
from kesu.timelimits.models import Escalation, Step
from kesu.timelimits.sweeper import sla_sweep
from tests.timelimits.conftest import MONDAY_9, local

# Every clock of these complaints is past its due time by then; some past the whole ladder.
LATE = local(2026, 3, 18, 14, 0)
ALERTS = ("reminder", "overdue", "escalated")


@pytest.fixture
def late_complaints(at, make_complaint, drive, center_head, handling_process, eightd_hours):
    def make(count):
        eightd_hours(d3=24)
        with at(MONDAY_9):
            return [drive(make_complaint(contact_email=""), Status.ANALYSIS) for _ in range(count)]

    return make


def _sweep_queries(now) -> tuple[int, int]:
    due = Step.objects.filter(done_at__isnull=True, next_check_at__lte=now).count()
    with CaptureQueriesContext(connection) as queries:
        sla_sweep(now=now)
    return due, len(queries)


def test_a_batch_costs_the_same_queries_for_two_steps_or_twelve(late_complaints, django_db_setup):
    late_complaints(1)
    few, few_queries = _sweep_queries(LATE)
    # The same people, with nothing open to fold into, as before the first sweep.
    Notification.objects.all().delete()
    late_complaints(6)
    many, many_queries = _sweep_queries(LATE)
    assert (few, many) == (2, 12)
    assert many_queries == few_queries


def _told(rows) -> set[tuple[int, str, str]]:
    """(recipient, channel, event) for every alert told, alone or as an item of a digest."""
    told = set()
    for row in rows:
        keys = [item["event_key"] for item in row.context.get("items", [])] or [row.event_key]
        told |= {(row.recipient_id, row.channel, key) for key in keys if key.startswith("step:")}
    return told


def _outcome():
    events = sorted(
        (e.complaint_id, e.type, e.payload["step"], e.payload.get("level"),
         tuple(e.payload.get("passed", [])), e.payload.get("to"))
        for e in ComplaintEvent.objects.filter(type__in=ALERTS)
    )
    escalations = sorted(
        Escalation.objects.values_list("step_id", "recipient_id", "level", "target")
    )
    return events, escalations, _told(Notification.objects.all())


@pytest.mark.parametrize("batch", [1, 3])
def test_batches_of_any_size_raise_the_same_alerts_to_the_same_people(late_complaints, batch):
    late_complaints(4)
    clocks = list(Step.objects.values_list("pk", "stage", "next_check_at"))
    sla_sweep(now=LATE)
    whole = _outcome()
    assert len(whole[0]) == 8 and whole[1] and whole[2]
    # The same steps once more, as they were, swept a few at a time.
    ComplaintEvent.objects.filter(type__in=ALERTS).delete()
    Escalation.objects.all().delete()
    Notification.objects.filter(kind__in=(*ALERTS, "digest")).delete()
    for pk, stage, next_check_at in clocks:
        Step.objects.filter(pk=pk).update(stage=stage, next_check_at=next_check_at)
    sla_sweep(now=LATE, batch=batch)
    assert _outcome() == whole
