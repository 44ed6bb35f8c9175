from contextlib import nullcontext
from datetime import datetime

import pytest
from django.conf import settings as django_settings
from django.utils import translation

from kesu.core import clock
from tests.calendar_data import install_time_limit_defaults

pytest_plugins = ["tests.fixtures", "tests.mailserver"]


def pytest_addoption(parser):
    parser.addoption(
        "--clock",
        metavar="ISO",
        help="run every test with the clock frozen at this moment (e.g. 2027-12-31T23:30+08:00)"
        " instead of the present: the suite must pass on any day, this shows it does.",
    )


def _suite_moment(config) -> datetime | None:
    value = config.getoption("--clock")
    return datetime.fromisoformat(value) if value else None


@pytest.fixture(autouse=True)
def _suite_clock(pytestconfig):
    """Tests that freeze the clock themselves still do; `clock.frozen` nests."""
    moment = _suite_moment(pytestconfig)
    with clock.frozen(moment) if moment else nullcontext():
        yield


@pytest.fixture(autouse=True)
def _tasks_run_inline(settings):
    """Tasks run inside enqueue(), so a test sees their effects without a worker."""
    settings.HUEY_IMMEDIATE = True


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    """Pages are tested without `collectstatic`: a missing or older manifest must not fail
    them (the hashed storage itself is the static files' concern, not the pages')."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language, as a request without a choice does: a
    language a previous test on the same worker activated must not leak into the next."""
    with translation.override(django_settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Personas get passwords; PBKDF2's million rounds would dominate the suite's time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, request):
    """Calendars, holidays and time limits, as `make run` leaves a fresh install."""
    moment = _suite_moment(request.config)
    with django_db_blocker.unblock(), clock.frozen(moment) if moment else nullcontext():
        install_time_limit_defaults()


@pytest.fixture(autouse=True)
def _time_limit_defaults_after_flush(request, _suite_clock):
    """A transactional test starts after another one flushed the database: install again."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("live_server", "transactional_db")
    )
    if transactional:
        request.getfixturevalue("transactional_db")
        install_time_limit_defaults()


@pytest.fixture(autouse=True)
def _fresh_schedules():
    """Each test's calendars are its own, whatever revision numbers repeat after rollbacks."""
    from kesu.calendars.schedules import clear_cache

    clear_cache()
