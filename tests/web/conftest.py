import pytest

from tests.fixtures import complaint_data


@pytest.fixture
def as_user(client):
    """`as_user(persona)` logs the test client in as that persona and returns it."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def intake_post(customer, product):
    """The intake form's POST body for a valid quality complaint, with overrides."""

    def make(**overrides):
        return complaint_data(customer, product, **overrides)

    return make
