"""Who hears about a complaint: handler, tracker, the responsible department's manager,
whoever transferred it in, and followers; active users only."""

from kesu.notifications import services
from kesu.notifications.selectors import watchers
from tests import factories as f


def test_watchers_are_the_people_on_the_complaint_and_its_followers(
    make_complaint,
    drive,
    cs_agent,
    qe,
    dept_manager,
    engineer,
    process_owner,
    outsider,
    django_assert_num_queries,
):
    complaint = drive(make_complaint(), "analysis")
    transferrer = f.UserFactory(username="sales_transfer")
    complaint.transferred_by = transferrer
    complaint.save(update_fields=["transferred_by"])
    services.follow(user=process_owner, complaint=complaint)

    with django_assert_num_queries(1):
        people = watchers(complaint)
    assert people == {engineer, qe, dept_manager, transferrer, process_owner}
    assert cs_agent not in people and outsider not in people


def test_inactive_watchers_are_left_out(make_complaint, drive, qe, engineer, dept_manager):
    complaint = drive(make_complaint(), "analysis")
    engineer.is_active = False
    engineer.save(update_fields=["is_active"])
    assert watchers(complaint) == {qe, dept_manager}


def test_a_new_complaint_has_only_its_followers(make_complaint, outsider):
    complaint = make_complaint()
    assert watchers(complaint) == set()
    services.follow(user=outsider, complaint=complaint)
    assert watchers(complaint) == {outsider}
