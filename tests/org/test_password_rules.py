"""Passwords follow Django's validators as configured in settings (SPEC §13)."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tests import factories as f
from tests.fixtures import PASSWORD


def test_the_personas_password_passes_the_validators(cs_agent):
    validate_password(PASSWORD, cs_agent)


@pytest.mark.parametrize(
    "password",
    [
        "wangxiaoming",  # the user name
        "wangxiaoming2026",  # the display name
        "wang@factory.example",  # the e-mail address
        "Short-1",
        "2026112233",
        "qwertyuiop",
    ],
)
def test_a_password_like_the_user_or_too_simple_is_refused(db, password):
    user = f.UserFactory(
        username="wangxiaoming", display_name="Wang Xiaoming 2026", email="wang@factory.example"
    )
    with pytest.raises(ValidationError):
        validate_password(password, user)
