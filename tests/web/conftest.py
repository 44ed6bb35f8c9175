import pytest

from tests.fixtures import complaint_data


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    """Pages are tested without `collectstatic`: a missing or older manifest must not fail
    them (the hashed storage itself is the static files' concern, not the pages')."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


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
