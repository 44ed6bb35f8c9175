"""The token endpoint counts wrong passwords with the login page (SPEC §13)."""

from datetime import timedelta
from unittest import mock

from django.conf import settings
from django.test import Client
from django.utils import timezone

from kesu.api.models import ApiToken
from tests.fixtures import PASSWORD


def issue(anonymous, username, password):
    return anonymous.post("/auth/token", {"username": username, "password": password})


def test_five_wrong_passwords_lock_the_token_endpoint(anonymous, cs_agent):
    codes = [issue(anonymous, "agent", "wrong-guess").status_code for _ in range(5)]
    assert codes == [401, 401, 401, 401, 429]
    response = issue(anonymous, "agent", PASSWORD)
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "login_locked"
    assert "Too many failed logins" in body["message"]
    assert set(body) <= {"code", "message", "fields"}
    assert ApiToken.objects.count() == 0


def test_the_message_follows_accept_language(anonymous, cs_agent):
    for _ in range(5):
        issue(anonymous, "agent", "wrong-guess")
    response = anonymous.post(
        "/auth/token", {"username": "agent", "password": PASSWORD}, **{"Accept-Language": "zh-hans"}
    )
    assert "登录失败次数过多" in response.json()["message"]


def test_another_user_still_gets_a_token(anonymous, cs_agent, qe):
    for _ in range(5):
        issue(anonymous, "agent", "wrong-guess")
    assert issue(anonymous, "qe", PASSWORD).status_code == 201


def test_api_and_login_page_share_the_count(anonymous, cs_agent):
    for _ in range(3):
        issue(anonymous, "agent", "wrong-guess")
    page = Client()
    for _ in range(2):
        response = page.post("/login/", {"username": "agent", "password": "wrong-guess"})
    assert response.status_code == 429
    assert issue(anonymous, "agent", PASSWORD).status_code == 429


def test_the_token_endpoint_opens_again_after_the_cool_off(anonymous, cs_agent):
    for _ in range(5):
        issue(anonymous, "agent", "wrong-guess")
    later = timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(seconds=1)
    with mock.patch("axes.handlers.proxy.now", return_value=later):
        assert issue(anonymous, "agent", PASSWORD).status_code == 201


def test_the_openapi_document_declares_the_lockout(anonymous, db):
    document = Client().get("/api/v1/openapi.json").json()
    responses = document["paths"]["/api/v1/auth/token"]["post"]["responses"]
    assert "429" in responses
