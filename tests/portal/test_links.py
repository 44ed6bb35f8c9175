"""Signed, expiring links that open one complaint in the portal (kesu.portal.links)."""

import time
from unittest import mock

import pytest

from kesu.org.models import Role, User
from kesu.portal.access import ONLY
from kesu.portal.links import link_token, portal_contact, signed_url

DAY = 24 * 3600


def made_ago(seconds: int, **kwargs) -> str:
    """A token signed `seconds` ago: the signer reads the clock through time.time()."""
    with mock.patch("django.core.signing.time.time", return_value=time.time() - seconds):
        return signed_url(**kwargs)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_signed_url_is_absolute_under_the_configured_base(
    settings, awaiting_decision, customer_contact
):
    settings.KESU_BASE_URL = "https://kesu.example.cn/"
    url = signed_url(user=customer_contact, complaint=awaiting_decision)
    assert url.startswith("https://kesu.example.cn/portal/link/")
    assert url.endswith("/")


def test_following_a_link_logs_in_for_that_complaint(
    client, awaiting_decision, customer_contact
):
    customer_contact.language = "en"
    customer_contact.save(update_fields=["language"])
    response = client.get(signed_url(user=customer_contact, complaint=awaiting_decision))
    assert response.status_code == 302
    assert response["Location"] == f"/portal/{awaiting_decision.number}/"
    assert response.cookies["django_language"].value == "en"
    assert int(client.session["_auth_user_id"]) == customer_contact.pk
    assert client.session[ONLY] == awaiting_decision.number
    page = client.get(response["Location"])
    assert page.status_code == 200 and "Accept the plan" in page.text


def test_a_link_can_be_followed_again(client, awaiting_decision, customer_contact):
    url = signed_url(user=customer_contact, complaint=awaiting_decision)
    assert client.get(url).status_code == 302
    client.logout()
    assert client.get(url).status_code == 302


def test_an_expired_link_is_refused_in_the_users_language(
    client, awaiting_decision, customer_contact
):
    customer_contact.language = "en"
    customer_contact.save(update_fields=["language"])
    url = made_ago(15 * DAY, user=customer_contact, complaint=awaiting_decision)
    response = client.get(url)
    assert response.status_code == 410
    assert "The link has expired." in response.text
    assert 'href="/login/"' in response.text
    assert not logged_in(client)


def test_the_link_lifetime_is_a_setting(settings, client, awaiting_decision, customer_contact):
    url = made_ago(2 * DAY, user=customer_contact, complaint=awaiting_decision)
    assert client.get(url).status_code == 302
    client.logout()
    settings.KESU_PORTAL_LINK_DAYS = 1
    assert client.get(url).status_code == 410
    assert not logged_in(client)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: token[:20],
        lambda token: "x" + token,
        lambda token: token.split(":", 1)[0],
        lambda token: "not-a-token",
        lambda token: "%00",
        lambda token: "<script>alert(1)",
    ],
)
def test_a_tampered_link_is_refused(client, awaiting_decision, customer_contact, tamper):
    token = link_token(user=customer_contact, complaint=awaiting_decision)
    response = client.get(f"/portal/link/{tamper(token)}/")
    assert response.status_code == 400
    assert "<script>alert(1)" not in response.text
    assert 'href="/login/"' in response.text
    assert not logged_in(client)


def test_a_token_from_another_signer_is_refused(client, awaiting_decision, customer_contact):
    """Django signs other things too (cookies, sessions): their tokens are not links."""
    from django.core import signing

    token = signing.TimestampSigner().sign_object(
        {"u": customer_contact.pk, "c": awaiting_decision.number, "f": "x"}
    )
    assert client.get(f"/portal/link/{token}/").status_code == 400
    assert not logged_in(client)


def test_changing_the_password_revokes_links(client, awaiting_decision, customer_contact):
    url = signed_url(user=customer_contact, complaint=awaiting_decision)
    customer_contact.set_password("a-new-pass-word")
    customer_contact.save()
    response = client.get(url)
    assert response.status_code == 410
    assert not logged_in(client)


def test_deactivating_the_user_revokes_links(client, awaiting_decision, customer_contact):
    url = signed_url(user=customer_contact, complaint=awaiting_decision)
    customer_contact.is_active = False
    customer_contact.save()
    assert client.get(url).status_code == 410
    assert not logged_in(client)


def test_a_user_moved_to_another_customer_loses_the_link(
    client, awaiting_decision, customer_contact, another_customer
):
    url = signed_url(user=customer_contact, complaint=awaiting_decision)
    customer_contact.customer = another_customer
    customer_contact.save()
    assert client.get(url).status_code == 410
    assert not logged_in(client)


def test_a_staff_users_link_opens_nothing(client, awaiting_decision, cs_agent):
    """Links are for customer contacts; a token naming a staff account logs nobody in."""
    assert client.get(signed_url(user=cs_agent, complaint=awaiting_decision)).status_code == 410
    assert not logged_in(client)


def test_a_refused_link_leaves_the_current_session_alone(
    client, awaiting_decision, customer_contact, cs_agent
):
    client.force_login(cs_agent)
    client.get("/portal/link/garbage/")
    assert int(client.session["_auth_user_id"]) == cs_agent.pk


def test_a_full_login_stays_full_after_following_a_link(
    login, awaiting_decision, customer_contact, make_complaint
):
    second = make_complaint(title="第二个投诉")
    client = login(customer_contact)
    client.get(signed_url(user=customer_contact, complaint=awaiting_decision))
    assert ONLY not in client.session
    assert client.get(f"/portal/{second.number}/").status_code == 200


def test_a_password_login_lifts_the_link_limit(
    client, awaiting_decision, customer_contact, make_complaint
):
    second = make_complaint(title="第二个投诉")
    client.get(signed_url(user=customer_contact, complaint=awaiting_decision))
    assert client.get(f"/portal/{second.number}/").status_code == 404
    # The login page is offered, not skipped, to someone who came in through a link.
    assert client.get("/login/").status_code == 200
    response = client.post(
        "/login/", {"username": customer_contact.username, "password": "pass-word-1"}
    )
    assert response["Location"] == "/portal/"
    assert client.get(f"/portal/{second.number}/").status_code == 200


# --- portal_contact ---------------------------------------------------------------------------


def test_portal_contact_creates_a_customer_user_without_password(awaiting_decision):
    User.objects.filter(email__iexact="wang@example.com").delete()
    user = portal_contact(awaiting_decision)
    assert user.role == Role.CUSTOMER
    assert user.customer_id == awaiting_decision.customer_id
    assert user.email == "wang@example.com" and user.username == "wang@example.com"
    assert user.is_active and not user.has_usable_password()
    assert user.display_name == "王工"
    assert portal_contact(awaiting_decision) == user


def test_portal_contact_finds_the_existing_contact_case_insensitively(
    make_complaint, customer_contact
):
    complaint = make_complaint(contact_email="ACME_Contact@Example.com")
    assert portal_contact(complaint) == customer_contact


def test_portal_contact_is_per_customer(
    make_complaint, cs_agent, product, another_customer
):
    from kesu.complaints import services
    from tests.fixtures import complaint_data

    ours = make_complaint(contact_email="li@example.com")
    theirs = services.complaint_create(
        actor=cs_agent,
        data=complaint_data(another_customer, product, contact_email="li@example.com"),
    )
    mine, other = portal_contact(ours), portal_contact(theirs)
    assert mine != other
    assert (mine.customer, other.customer) == (ours.customer, another_customer)
    assert mine.username != other.username


def test_portal_contact_never_reuses_a_staff_account(make_complaint, cs_agent):
    complaint = make_complaint(contact_email=cs_agent.email)
    user = portal_contact(complaint)
    assert user != cs_agent and user.role == Role.CUSTOMER
    assert user.username != cs_agent.username


def test_portal_contact_username_is_safe(make_complaint):
    complaint = make_complaint(contact_email="o'brien+qa/x@example.com")
    user = portal_contact(complaint)
    assert user.username == "o_brien+qa_x@example.com"
    user.full_clean()


def test_portal_contact_keeps_a_deactivated_user(make_complaint, customer_contact):
    customer_contact.is_active = False
    customer_contact.save()
    complaint = make_complaint(contact_email=customer_contact.email)
    assert portal_contact(complaint) == customer_contact
    assert not User.objects.filter(email=customer_contact.email).exclude(
        pk=customer_contact.pk
    ).exists()


def test_no_contact_email_no_portal_user(make_complaint):
    complaint = make_complaint(contact_email="")
    assert portal_contact(complaint) is None
