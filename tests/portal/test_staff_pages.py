"""Customers use the portal: a staff page sends them to its portal equivalent (middleware)."""

import pytest

from kesu.complaints.models import Complaint
from tests.fixtures import complaint_data

STAFF_PAGES = [
    "/",
    "/complaints/",
    "/complaints/new/",
    "/masterdata/",
    "/time-limits/on-time/",
    "/notifications/",
    "/notifications/settings/",
    "/admin/",
    "/no-such-page/",
]


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_a_staff_page_sends_the_customer_to_the_portal(login, customer_contact, path):
    response = login(customer_contact).get(path)
    assert response.status_code == 302 and response["Location"] == "/portal/"


def test_a_complaint_page_sends_them_to_that_complaint_in_the_portal(
    login, customer_contact, awaiting_decision
):
    client = login(customer_contact)
    number = awaiting_decision.number
    for suffix in ("", "edit/", "actions/customer_accept/", "attachments/1/"):
        response = client.get(f"/complaints/{number}/{suffix}")
        assert response["Location"] == f"/portal/{number}/", suffix
    assert client.get(response["Location"]).status_code == 200


def test_another_customers_number_leads_to_the_portals_404(
    login, other_customer_contact, awaiting_decision
):
    client = login(other_customer_contact)
    response = client.get(f"/complaints/{awaiting_decision.number}/", follow=True)
    assert response.status_code == 404
    assert awaiting_decision.title not in response.text


def test_customer_contacts_cannot_use_the_agents_intake(login, customer_contact, product):
    client = login(customer_contact)
    assert client.get("/complaints/new/")["Location"] == "/portal/"
    data = complaint_data(customer_contact.customer, product)
    assert client.post("/complaints/new/", data)["Location"] == "/portal/"
    assert not Complaint.objects.exists()


def test_a_staff_action_posted_by_a_customer_changes_nothing(
    login, customer_contact, awaiting_decision
):
    complaint = awaiting_decision
    response = login(customer_contact).post(
        f"/complaints/{complaint.number}/actions/customer_accept/",
        {"version": complaint.version},
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == "confirmation"


def test_what_stays_open_to_customers(login, customer_contact, awaiting_decision):
    client = login(customer_contact)
    # Health and metrics answer for themselves (503 here: no worker runs in tests).
    assert client.get("/healthz").status_code in (200, 503)
    assert client.get("/metrics").status_code == 200
    # Served by WhiteNoise after collectstatic; here it only must not be sent to the portal.
    assert client.get("/static/kesu/kesu.css").status_code != 302
    # The API applies its own customer scoping.
    api = client.get(f"/api/v1/complaints/{awaiting_decision.number}")
    assert api.status_code == 200
    assert client.post("/i18n/setlang/", {"language": "en"}).status_code == 302
    assert client.post("/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_staff_are_not_redirected(login, cs_agent):
    assert login(cs_agent).get("/complaints/").status_code == 200


def test_customers_land_in_the_portal_after_login(client, customer_contact):
    response = client.post(
        "/login/", {"username": customer_contact.username, "password": "pass-word-1"}
    )
    assert response["Location"] == "/portal/"
    # Already logged in: the login page sends them there too.
    assert client.get("/login/")["Location"] == "/portal/"


def test_staff_still_land_on_my_work(client, cs_agent):
    response = client.post("/login/", {"username": cs_agent.username, "password": "pass-word-1"})
    assert response["Location"] == "/"


def test_an_htmx_fragment_of_a_staff_page_is_not_swapped_with_the_portal(login, customer_contact):
    """The bell on an error page asks /notifications/bell/: no portal page inside the bell."""
    response = login(customer_contact).get("/notifications/bell/", HTTP_HX_REQUEST="true")
    assert response.status_code == 286 and response.content == b""
