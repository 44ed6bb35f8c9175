from kesu.complaints.choices import Status
from kesu.complaints.models import ComplaintEvent


def test_complaint_travels_the_whole_loop(make_complaint, drive):
    complaint = make_complaint()
    assert complaint.number.startswith("KS-")
    closed = drive(complaint, Status.CLOSED)
    assert closed.status == Status.CLOSED
    assert ComplaintEvent.objects.filter(complaint=complaint).count() > 7


def test_feedback_takes_the_short_path(make_complaint, drive):
    feedback = make_complaint(kind="feedback", category="commercial")
    assert drive(feedback, Status.CLOSED).status == Status.CLOSED


def test_my_work_lists_what_waits_on_me(make_complaint, drive, cs_agent, dept_manager, outsider):
    from kesu.complaints.selectors import my_work

    complaint = drive(make_complaint(), Status.DISPATCHED)
    assert list(my_work(dept_manager)) == [complaint]
    assert complaint not in my_work(cs_agent)
    assert list(my_work(outsider)) == []
