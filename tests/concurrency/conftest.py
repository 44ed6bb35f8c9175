import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Personas get passwords; PBKDF2's million rounds would dominate these tests."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
