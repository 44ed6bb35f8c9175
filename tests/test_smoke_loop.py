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
