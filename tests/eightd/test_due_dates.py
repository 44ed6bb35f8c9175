"""Each discipline is due as the customer's 8D profile says, as a step with a time limit."""

from datetime import timedelta

from auditlog.models import LogEntry

from kesu.complaints.choices import Status
from kesu.eightd.models import Discipline, EightDProfile
from kesu.eightd.services import discipline_update
from kesu.timelimits.models import Step
from tests import eightd_data
from tests.fixtures import PASSWORD


def steps(complaint):
    return {s.type: s for s in Step.objects.filter(complaint=complaint, type__startswith="eightd_")}


def test_the_default_profile_d3_in_24_hours_d4_in_7_days_d8_in_30_days(
    make_complaint, drive
):
    complaint = drive(make_complaint(severity="serious"), Status.ANALYSIS)
    due = {t: s.due_at - complaint.received_at for t, s in steps(complaint).items()}
    assert due["eightd_d3"] == timedelta(hours=24)
    assert due["eightd_d4"] == timedelta(days=7)
    assert due["eightd_d8"] == timedelta(days=30)
    assert len(due) == 8  # the full 8D: every discipline


def test_a_short_form_times_only_its_disciplines(make_complaint, drive):
    complaint = drive(make_complaint(severity="general"), Status.ANALYSIS)
    assert set(steps(complaint)) == {"eightd_d2", "eightd_d4", "eightd_d5"}


def test_a_customer_profile_sets_its_own_deadlines(make_complaint, drive, customer):
    default = EightDProfile.objects.get(customer__isnull=True)
    EightDProfile.objects.create(customer=customer, calendar=default.calendar, d3_hours=12,
                                 d4_hours=72)
    complaint = drive(make_complaint(severity="major"), Status.ANALYSIS)
    due = {t: s.due_at - complaint.received_at for t, s in steps(complaint).items()}
    assert due == {"eightd_d3": timedelta(hours=12), "eightd_d4": timedelta(hours=72)}


def test_the_owner_of_a_discipline_answers_for_its_step(
    make_complaint, drive, engineer, dept_manager
):
    complaint = drive(make_complaint(), Status.ANALYSIS)
    assert steps(complaint)["eightd_d4"].assignee == engineer
    discipline_update(actor=engineer, complaint=complaint, code="d4", version=1,
                      owner=dept_manager)
    assert steps(complaint)["eightd_d4"].assignee == dept_manager


def test_approval_ends_the_step_on_time_or_late(make_complaint, drive, engineer, qe):
    complaint = drive(make_complaint(), Status.ANALYSIS)
    eightd_data.fill(complaint, engineer, ("d4",))
    eightd_data.approve(complaint, qe, ("d4",), PASSWORD)
    d4 = steps(complaint)["eightd_d4"]
    assert d4.done_at is not None and d4.on_time is True


def test_a_rejected_plan_restarts_only_what_is_not_signed_off(
    make_complaint, drive, engineer, customer_contact
):
    from tests.fixtures import step

    complaint = drive(make_complaint(), Status.CONFIRMATION)
    step(complaint, customer_contact, "customer_reject", note="措施不足")
    d4 = Discipline.objects.get(report__complaint=complaint, code="d4")
    assert d4.content["occurrence"]["statement"]  # kept for revising
    open_types = {s.type for s in Step.objects.filter(complaint=complaint, done_at__isnull=True,
                                                      type__startswith="eightd_")}
    assert "eightd_d5" not in open_types  # approved before the plan went out


def test_the_administrator_edits_a_profile_and_it_is_logged(admin_client, customer):
    default = EightDProfile.objects.get(customer__isnull=True)
    response = admin_client.post("/admin/eightd/eightdprofile/add/", {
        "customer": customer.pk, "calendar": default.calendar_id, "d3_hours": "12",
        "general_short_form": "on",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    profile = EightDProfile.objects.get(customer=customer)
    assert profile.d3_hours == 12 and profile.d4_hours is None
    assert LogEntry.objects.get_for_object(profile).count() == 1
