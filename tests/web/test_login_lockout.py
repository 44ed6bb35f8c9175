"""Wrong passwords on the login page are throttled per user name and address (SPEC §13)."""

from datetime import timedelta
from unittest import mock

from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.test import Client
from django.utils import timezone

from tests.fixtures import PASSWORD


def login(client, username, password, address="10.0.0.1"):
    return client.post(
        "/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def fail(client, username, times, address="10.0.0.1"):
    return [login(client, username, "wrong-guess", address).status_code for _ in range(times)]


def test_five_wrong_passwords_lock_the_user_name_even_with_the_right_one(client, cs_agent):
    assert settings.AXES_FAILURE_LIMIT == 5
    assert fail(client, "agent", 4) == [200, 200, 200, 200]
    assert fail(client, "agent", 1) == [429]
    response = login(client, "agent", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    text = response.content.decode()
    assert "登录失败次数过多" in text  # the Chinese message, not a bare English 403
    assert 'class="form-errors"' in text and 'name="password"' in text


def test_the_last_tries_before_the_lock_are_announced(client, cs_agent):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    first = login(client, "agent", "wrong-guess").content.decode()
    assert "lock this user name" not in first  # one typo is not a threat
    second = login(client, "agent", "wrong-guess").content.decode()
    assert "3 more failed logins lock this user name for 15 minutes." in second
    login(client, "agent", "wrong-guess")
    fourth = login(client, "agent", "wrong-guess").content.decode()
    assert "1 more failed login locks this user name for 15 minutes." in fourth


def test_the_warning_is_in_chinese_by_default(client, cs_agent):
    fail(client, "agent", 2)
    text = login(client, "agent", "wrong-guess").content.decode()
    assert "再失败 2 次，此用户名将被锁定 15 分钟。" in text


def test_the_lockout_speaks_english_to_an_english_user(client, cs_agent):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    fail(client, "agent", 5)
    response = login(client, "agent", PASSWORD)
    assert "Too many failed logins" in response.content.decode()
    assert "15 minutes" in response.content.decode()


def test_failed_logins_are_kept_for_the_administrator(client, cs_agent):
    fail(client, "agent", 3)
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address, attempt.failures_since_start) == (
        "agent", "10.0.0.1", 3,
    )
    assert AccessFailureLog.objects.filter(username="agent").count() == 3
    assert "wrong-guess" not in str(attempt.post_data)


def test_another_user_is_not_locked_out(client, cs_agent, qe):
    fail(client, "agent", 5)
    response = login(Client(), "qe", PASSWORD)
    assert response.status_code == 302


def test_the_same_user_from_another_address_is_not_locked_out(client, cs_agent):
    fail(client, "agent", 5, address="10.0.0.66")
    assert login(Client(), "agent", PASSWORD, address="10.0.0.1").status_code == 302


def test_a_success_before_the_limit_starts_the_count_again(client, cs_agent):
    fail(client, "agent", 4)
    assert login(client, "agent", PASSWORD).status_code == 302
    assert fail(Client(), "agent", 4) == [200, 200, 200, 200]


def test_the_lock_lifts_after_the_cool_off(client, cs_agent):
    fail(client, "agent", 5)
    # Axes reads django.utils.timezone.now() when a login arrives, not Kesu's clock.
    later = timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(seconds=1)
    with mock.patch("axes.handlers.proxy.now", return_value=later):
        assert login(client, "agent", PASSWORD).status_code == 302


def test_the_lock_holds_just_before_the_cool_off_ends(client, cs_agent):
    fail(client, "agent", 5)
    later = timezone.now() + settings.AXES_COOLOFF_TIME - timedelta(minutes=1)
    with mock.patch("axes.handlers.proxy.now", return_value=later):
        assert login(client, "agent", PASSWORD).status_code == 429


def test_the_admin_login_is_throttled_too(client, cs_agent):
    for _ in range(5):
        response = client.post(
            "/admin/login/", {"username": "agent", "password": "wrong-guess"},
            REMOTE_ADDR="10.0.0.1",
        )
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()


def test_trying_again_during_the_lock_does_not_prolong_it(client, cs_agent):
    fail(client, "agent", 5)
    halfway = timezone.now() + settings.AXES_COOLOFF_TIME / 2
    with mock.patch("axes.handlers.proxy.now", return_value=halfway):
        assert login(client, "agent", PASSWORD).status_code == 429
    later = timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(seconds=1)
    with mock.patch("axes.handlers.proxy.now", return_value=later):
        assert login(client, "agent", PASSWORD).status_code == 302
