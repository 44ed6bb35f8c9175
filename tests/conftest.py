import pytest

from tests.calendar_data import install_time_limit_defaults

pytest_plugins = ["tests.fixtures", "tests.mailserver"]


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
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Personas get passwords; PBKDF2's million rounds would dominate the suite's time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Calendars, holidays and time limits, as `make run` leaves a fresh install."""
    with django_db_blocker.unblock():
        install_time_limit_defaults()


@pytest.fixture(autouse=True)
def _time_limit_defaults_after_flush(request):
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
