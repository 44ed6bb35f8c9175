"""The intake page records through the same service as the API, at a pinned query count."""

from kesu.complaints.models import Complaint

# Session and user (2); customer and products parsed (2); routing rules (1); the transaction
# as in tests/api/test_recording_costs_few_queries.py, plus the recorder's department for the
# first step, which the session's user does not carry (19). The answer is a redirect.
INTAKE_QUERIES = 24


def test_recording_on_the_intake_page_costs_a_fixed_number_of_queries(
    as_user, cs_agent, intake_post, django_assert_num_queries
):
    client = as_user(cs_agent)
    client.post("/complaints/new/", intake_post())
    with django_assert_num_queries(INTAKE_QUERIES):
        response = client.post("/complaints/new/", intake_post(title="第二件"))
    assert response.status_code == 302
    assert Complaint.objects.count() == 2
