"""Ids beyond 64 bits and far dates on the web forms: a form error, and nothing changes."""

from kesu.complaints.models import Complaint

HUGE = str(2**64)


def test_a_product_id_beyond_64_bits_is_a_form_error(as_user, cs_agent, intake_post):
    response = as_user(cs_agent).post("/complaints/new/", intake_post(products=[HUGE]))
    assert response.status_code == 422
    assert response.context["form"].errors["products"]
    assert not Complaint.objects.exists()


def test_a_far_received_date_is_a_form_error_with_the_range(as_user, cs_agent, intake_post):
    response = as_user(cs_agent).post(
        "/complaints/new/", intake_post(received_at="0001-01-01T00:00")
    )
    assert response.status_code == 422
    [message] = response.context["form"].errors["received_at"]
    assert "1900-01-01" in message and "2999-12-31" in message
    assert not Complaint.objects.exists()


def test_far_list_filter_dates_are_shown_as_errors_and_ignored(as_user, cs_agent, make_complaint):
    complaint = make_complaint()
    response = as_user(cs_agent).get(
        "/complaints/", {"received_from": "0001-01-01", "received_to": "9999-12-31"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"received_from", "received_to"}
    assert complaint.number in response.content.decode()


def test_far_on_time_period_is_a_form_error(as_user, process_owner):
    response = as_user(process_owner).get(
        "/time-limits/on-time/", {"start": "0001-01-01", "end": "9999-12-31"}
    )
    assert response.status_code == 422
    assert set(response.context["form"].errors) == {"start", "end"}
