"""Recording a complaint through the API costs a fixed, small number of queries (issue 12: it
was 29), so that a change cannot make the write path creep back unnoticed."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from kesu.complaints.models import Complaint
from tests.fixtures import complaint_data

# Token (1); customer and products parsed (2); routing rules (1), before the transaction.
# In it: counter (1), complaint (1), its products (1), its search document (1); time limits:
# ladder, policies, first step, due times (4); 8D report and its disciplines (2); the created
# event (1); the contact's acknowledgement: portal login, robots, existing rows, insert, ids to
# send (5); BEGIN and COMMIT, or a savepoint and its release (2). The answer: complaint, team
# check, products, lots, team (5).
API_CREATE_QUERIES = 27


def test_recording_through_the_api_costs_a_fixed_number_of_queries(
    api_as, cs_agent, customer, product, django_assert_num_queries
):
    api = api_as(cs_agent)
    assert api.post("/complaints", complaint_data(customer, product)).status_code == 201
    with django_assert_num_queries(API_CREATE_QUERIES):
        response = api.post("/complaints", complaint_data(customer, product, title="第二件"))
    assert response.status_code == 201


def test_the_counter_is_the_first_write_and_nothing_is_read_twice(
    api_as, cs_agent, customer, product
):
    api = api_as(cs_agent)
    api.post("/complaints", complaint_data(customer, product))
    with CaptureQueriesContext(connection) as captured:
        api.post("/complaints", complaint_data(customer, product, title="第二件"))
    sql = [query["sql"] for query in captured.captured_queries]
    counter = next(i for i, s in enumerate(sql) if "complaints_numbersequence" in s)
    # Only the transaction's start comes between the reads and the counter: the lock on it is
    # held for the writes alone.
    assert sql[counter - 1].startswith(("BEGIN", "SAVEPOINT"))
    assert not any("complaints_routingrule" in s for s in sql[counter:])
    assert sum("complaints_numbersequence" in s for s in sql) == 1
    assert Complaint.objects.count() == 2
