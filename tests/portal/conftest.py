import pytest
from django.test import Client

from kesu.complaints import services
from kesu.complaints.choices import Status
from tests import factories as f
from tests.fixtures import complaint_data


@pytest.fixture
def login():
    """`login(user)`: a client of its own, logged in as that user (two users, two browsers)."""

    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def awaiting_decision(make_complaint, drive):
    """A complaint of the customer whose plan (D1–D5, D5 approved) awaits their decision."""
    return drive(make_complaint(), Status.CONFIRMATION)


@pytest.fixture
def others_complaint(cs_agent, product, other_customer_contact, drive):
    """A complaint of the other customer, also awaiting their decision."""
    complaint = services.complaint_create(
        actor=cs_agent,
        data=complaint_data(
            other_customer_contact.customer, product, title="别家的投诉", contact_email=""
        ),
    )
    return drive(complaint, Status.CONFIRMATION)


@pytest.fixture
def another_customer(db):
    return f.CustomerFactory(code="ZZZ", name="另一家客户")

