"""Token authentication: issued once, stored hashed, refused when wrong, revoked, expired or
when the password changed."""

import hashlib
from datetime import timedelta

from kesu.api.models import ApiToken
from kesu.core import clock
from tests.api.conftest import ApiClient
from tests.fixtures import PASSWORD


def issue(anonymous, username, password=PASSWORD, **extra):
    return anonymous.post("/auth/token", {"username": username, "password": password, **extra})


def test_token_is_issued_once_and_stored_only_as_its_digest(anonymous, cs_agent):
    response = issue(anonymous, "agent", name="ERP")
    assert response.status_code == 201
    body = response.json()
    key = body["token"]
    assert key.startswith("ksu_") and len(key) > 40
    assert body["prefix"] == key[:12]
    token = ApiToken.objects.get(user=cs_agent)
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert token.name == "ERP"
    stored = [str(value) for value in ApiToken.objects.values_list().get()]
    assert not any(key in value for value in stored)


def test_the_token_authenticates_its_user(anonymous, cs_agent):
    key = issue(anonymous, "agent").json()["token"]
    me = ApiClient(key).get("/me")
    assert me.status_code == 200
    assert me.json()["username"] == "agent"
    assert me.json()["role"] == "cs_agent"
    assert ApiToken.objects.get().last_used_at is not None


def test_wrong_password_is_401_json(anonymous, cs_agent):
    response = issue(anonymous, "agent", "not-the-password")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "invalid_credentials"
    assert ApiToken.objects.count() == 0


def test_unknown_user_and_disabled_account_are_refused_alike(anonymous, cs_agent):
    cs_agent.is_active = False
    cs_agent.save()
    assert issue(anonymous, "agent").status_code == 401
    assert issue(anonymous, "nobody").json()["code"] == "invalid_credentials"


def test_missing_credentials_are_422_with_field_names(anonymous, db):
    response = anonymous.post("/auth/token", {"username": "agent"})
    assert response.status_code == 422
    assert response.json()["fields"] == {"password": ["This field is required."]}


def test_no_token_is_401_unauthenticated(anonymous, db):
    response = anonymous.get("/complaints")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_invalid_token_is_401(db):
    response = ApiClient("ksu_made-up").get("/complaints")
    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "unauthenticated"
    assert "revoked" in body["message"]


def test_other_authorization_schemes_are_401(anonymous, cs_agent):
    response = anonymous.get("/me", HTTP_AUTHORIZATION="Basic YWdlbnQ6eA==")
    assert response.status_code == 401


def test_revoked_token_no_longer_works(anonymous, cs_agent):
    key = issue(anonymous, "agent").json()["token"]
    client = ApiClient(key)
    assert client.delete("/auth/token").status_code == 204
    assert ApiToken.objects.get().revoked
    response = client.get("/me")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_token_of_a_deactivated_user_stops_working(anonymous, cs_agent):
    key = issue(anonymous, "agent").json()["token"]
    cs_agent.is_active = False
    cs_agent.save()
    assert ApiClient(key).get("/me").status_code == 401


def test_revoking_needs_a_token(cs_agent, client):
    client.force_login(cs_agent)
    response = client.delete("/api/v1/auth/token")
    assert response.status_code == 400
    assert response.json()["code"] == "no_token"


def test_customer_contact_sees_their_company_in_me(api_as, customer_contact):
    me = api_as(customer_contact).get("/me").json()
    assert me["customer"]["code"] == "ACME"
    assert me["department"] is None


def test_a_token_expires_after_the_configured_days(anonymous, cs_agent, settings):
    settings.KESU_TOKEN_DAYS = 30
    body = issue(anonymous, "agent").json()
    token = ApiToken.objects.get()
    assert timedelta(days=29) < token.expires_at - clock.now() <= timedelta(days=30)
    assert body["expires_at"]
    client = ApiClient(body["token"])
    assert client.get("/me").status_code == 200
    ApiToken.objects.update(expires_at=clock.now() - timedelta(seconds=1))
    response = client.get("/me")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert "expired" in response.json()["message"]


def test_a_password_change_kills_the_users_tokens(anonymous, cs_agent):
    key = issue(anonymous, "agent").json()["token"]
    client = ApiClient(key)
    assert client.get("/me").status_code == 200
    cs_agent.set_password("a-new-pass-word-2")
    cs_agent.save()
    response = client.get("/me")
    assert response.status_code == 401
    assert set(response.json()) <= {"code", "message", "fields"}


def test_an_unusable_password_kills_the_users_tokens(anonymous, cs_agent):
    key = issue(anonymous, "agent").json()["token"]
    cs_agent.set_unusable_password()
    cs_agent.save()
    assert ApiClient(key).get("/me").status_code == 401


def test_other_users_tokens_survive_a_password_change(anonymous, cs_agent, qe):
    key = issue(anonymous, "qe").json()["token"]
    cs_agent.set_password("a-new-pass-word-2")
    cs_agent.save()
    assert ApiClient(key).get("/me").status_code == 200
