from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from kesu.complaints.choices import Status
from kesu.complaints.models import Complaint
from kesu.complaints.selectors import my_work


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


def test_due_complaints_come_first_then_those_without_a_due_time(
    as_user, cs_agent, make_complaint
):
    waiting_longest = make_complaint(title="暂停计时")
    due_later = make_complaint(title="后到期")
    due_sooner = make_complaint(title="先到期")
    now = timezone.now()
    Complaint.objects.filter(pk=waiting_longest.pk).update(due_at=None)
    Complaint.objects.filter(pk=due_later.pk).update(due_at=now + timedelta(days=3))
    Complaint.objects.filter(pk=due_sooner.pk).update(due_at=now + timedelta(days=1))
    response = as_user(cs_agent).get("/")
    assert [c.number for c in response.context["page"].object_list] == [
        due_sooner.number,
        due_later.number,
        waiting_longest.number,
    ]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's rule for partial indexes")
def test_my_work_and_its_count_can_read_the_open_work_index(cs_agent, engineer, make_complaint):
    # SQLite takes a partial index only when the query states its condition with the same
    # literal values (a bound parameter or another order silently falls back to the ledger),
    # and serves the page's order from it only without NULLS LAST. INDEXED BY makes SQLite
    # refuse the query ("no query solution") when the index cannot answer it; which index it
    # prefers depends on the statistics of a real ledger, not of this test's few rows.
    make_complaint()
    table = '"complaints_complaint"'
    for user in (cs_agent, engineer):
        for query in (my_work(user)[:25], my_work(user).order_by()[:10_001]):
            sql, params = query.query.sql_with_params()
            assert sql.count(f"FROM {table} ") == 1
            sql = sql.replace(f"FROM {table} ", f"FROM {table} INDEXED BY complaint_open_by_due ")
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
                plan = " ".join(row[-1] for row in cursor.fetchall())
            assert "TEMP B-TREE" not in plan, plan
