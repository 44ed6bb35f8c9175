import pytest
from django.conf import settings

from kesu.complaints.choices import Status


@pytest.fixture
def as_user(client):
    """`as_user(persona)`: the test client logged in as that persona, reading English pages
    (the messages asserted here are the English msgids; zh-Hans is the default)."""

    def login(user):
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return login


@pytest.fixture
def analysis(make_complaint, drive):
    """A serious complaint in analysis: the engineer handles it, the QE tracks it."""
    return drive(make_complaint(), Status.ANALYSIS)
