from django.utils import timezone

from kesu.complaints.choices import Status


def test_my_work_lists_what_waits_on_me_with_its_due_time(
    as_user, make_complaint, drive, dept_manager, outsider
):
    complaint = drive(make_complaint(), Status.DISPATCHED)
    response = as_user(dept_manager).get("/")
    html = response.content.decode()
    assert [c.number for c in response.context["page"].object_list] == [complaint.number]
    assert 'data-status="dispatched"' in html
    # The department's answer is due when the acceptance step's time limit says.
    assert complaint.dispatch_due_at is not None
    assert timezone.localtime(complaint.dispatch_due_at).strftime("%m-%d %H:%M") in html
    assert 'data-due-state="on-track"' in html


def test_my_work_lists_the_longest_waiting_first(as_user, cs_agent, make_complaint):
    first = make_complaint(title="先到")
    second = make_complaint(title="后到")
    response = as_user(cs_agent).get("/")
    assert [c.number for c in response.context["page"].object_list] == [
        first.number,
        second.number,
    ]


def test_nothing_waits_on_an_outsider(as_user, make_complaint, outsider):
    make_complaint()
    response = as_user(outsider).get("/")
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == []


# Session, user, count, page, open steps (one prefetch for the due column), escalations
# waiting on the user.
MY_WORK_QUERIES = 6
# A department manager with escalations: their department (for the scoping), whether they own
# the process, and the people they may reassign to.
MY_WORK_QUERIES_ESCALATED = MY_WORK_QUERIES + 3


def test_my_work_runs_the_same_queries_for_one_complaint_or_a_full_page(
    as_user, cs_agent, make_complaint, drive, django_assert_num_queries
):
    make_complaint(title="第一件")
    client = as_user(cs_agent)
    client.get("/")  # warm the session and content types
    with django_assert_num_queries(MY_WORK_QUERIES):
        one = client.get("/")
    assert len(one.context["page"].object_list) == 1
    # A full page with more to follow, some assessed (department and tracker set, a step
    # for customer service to take next): still the same queries.
    for n in range(3):
        drive(make_complaint(title=f"已评估{n}"), Status.ASSESSED)
    for n in range(27):
        make_complaint(title=f"投诉{n}")
    with django_assert_num_queries(MY_WORK_QUERIES):
        full = client.get("/")
    assert len(full.context["page"].object_list) == 25
    assert full.context["page"].has_next()


def test_escalations_in_my_work_cost_the_same_queries_for_one_or_many(
    as_user, make_complaint, drive, dept_manager, django_assert_num_queries
):
    from kesu.timelimits.models import Escalation

    def escalate(complaint):
        step = complaint.steps.filter(done_at__isnull=True).first()
        Escalation.objects.create(
            step=step, complaint=complaint, recipient=dept_manager, level=1,
            target="dept_manager", raised_at=timezone.now(),
        )

    escalate(drive(make_complaint(title="一件"), Status.DISPATCHED))
    client = as_user(dept_manager)
    client.get("/")
    with django_assert_num_queries(MY_WORK_QUERIES_ESCALATED):
        one = client.get("/")
    assert len(one.context["escalations"]) == 1
    for n in range(6):
        escalate(drive(make_complaint(title=f"多件{n}"), Status.DISPATCHED))
    with django_assert_num_queries(MY_WORK_QUERIES_ESCALATED):
        many = client.get("/")
    assert len(many.context["escalations"]) == 7
    assert many.content.decode().count('class="escalation card"') == 7
