import pytest

pytest_plugins = ["tests.fixtures"]


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
