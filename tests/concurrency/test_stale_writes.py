"""No lost updates (SPEC §13): of two writers holding the same version, one wins and the other
is told, whether they come one after the other or at the same instant."""

import pytest

from kesu.complaints import services
from kesu.complaints.choices import Status
from kesu.complaints.models import Complaint, ComplaintEvent
from kesu.core.errors import StaleVersion
from kesu.eightd.models import Discipline
from kesu.eightd.services import discipline_update
from tests.concurrency.threads import run_together


def fresh(complaint):
    return Complaint.objects.get(pk=complaint.pk)


def outcomes(results):
    wins = [r for r in results if not isinstance(r, BaseException)]
    losses = [r for r in results if isinstance(r, BaseException)]
    return wins, losses


def test_second_save_of_the_same_version_is_refused(make_complaint, cs_agent, qe):
    complaint = make_complaint()
    mine, theirs = fresh(complaint), fresh(complaint)
    services.complaint_update(actor=cs_agent, complaint=mine, version=1, data={"title": "甲的标题"})
    with pytest.raises(StaleVersion):
        services.complaint_update(actor=qe, complaint=theirs, version=1, data={"title": "乙的标题"})
    complaint.refresh_from_db()
    assert (complaint.title, complaint.version) == ("甲的标题", 2)
    assert ComplaintEvent.objects.filter(complaint=complaint, type="updated").count() == 1


@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_one_wins_one_is_told(make_complaint, cs_agent, qe):
    complaint = make_complaint(contact_email="")
    copies = [fresh(complaint), fresh(complaint)]
    editors = [cs_agent, qe]

    def save(index):
        return services.complaint_update(
            actor=editors[index], complaint=copies[index], version=1, data={"title": f"标题{index}"}
        ).title

    wins, losses = outcomes(run_together(2, save))
    assert len(wins) == 1 and len(losses) == 1
    assert isinstance(losses[0], StaleVersion)
    complaint.refresh_from_db()
    assert (complaint.title, complaint.version) == (wins[0], 2)


@pytest.mark.django_db(transaction=True)
def test_same_transition_at_once_happens_exactly_once(make_complaint, cs_agent, process_owner):
    complaint = make_complaint(contact_email="")
    people = [cs_agent, process_owner, cs_agent, process_owner]
    copies = [fresh(complaint) for _ in people]

    def assess(index):
        return services.complaint_transition(
            actor=people[index],
            complaint=copies[index],
            action="assess_invalid",
            version=1,
            data={"note": f"第{index}人：不成立"},
        ).status

    wins, losses = outcomes(run_together(len(people), assess))
    assert wins == [Status.INVALID]
    assert all(isinstance(loss, StaleVersion) for loss in losses), losses
    complaint.refresh_from_db()
    assert (complaint.status, complaint.version) == (Status.INVALID, 2)
    assert ComplaintEvent.objects.filter(complaint=complaint, type="transition").count() == 1


@pytest.mark.django_db(transaction=True)
def test_simultaneous_8d_saves_one_wins(make_complaint, drive, engineer, dept_manager):
    complaint = drive(make_complaint(contact_email=""), Status.ANALYSIS)
    writers = [engineer, dept_manager]

    def write(index):
        cause = {"occurrence": {"statement": f"原因{index}"}}
        return discipline_update(
            actor=writers[index], complaint=complaint, code="d4", version=1, content=cause
        ).content["occurrence"]["statement"]

    wins, losses = outcomes(run_together(2, write))
    assert len(wins) == 1 and isinstance(losses[0], StaleVersion)
    d4 = Discipline.objects.get(report__complaint=complaint, code="d4")
    assert (d4.content["occurrence"]["statement"], d4.version) == (wins[0], 2)
