"""Each user chooses their channels; without a choice in-app is on, and e-mail is on when they
have an address. Customer contacts hear from Kesu in the portal only."""

from kesu.notifications.models import ChannelPreference, Notification
from kesu.notifications.selectors import channel_preferences
from kesu.notifications.services import Notice, channel_preferences_set


def _channels(key, user):
    return set(
        Notification.objects.filter(event_key=key, recipient=user).values_list("channel", flat=True)
    )


def test_defaults_in_app_and_email_when_there_is_an_address(engineer, qe, tell):
    qe.email = ""
    qe.save(update_fields=["email"])
    tell(Notice(kind="admin_alert", event_key="k", recipients=[engineer, qe]))
    assert _channels("k", engineer) == {"inapp", "email"}
    assert _channels("k", qe) == {"inapp"}


def test_email_off_writes_no_email_row(engineer, tell):
    channel_preferences_set(user=engineer, enabled={"email": False, "inapp": True})
    tell(Notice(kind="admin_alert", event_key="k", recipients=[engineer]))
    assert _channels("k", engineer) == {"inapp"}


def test_in_app_off_and_email_on(engineer, tell):
    channel_preferences_set(user=engineer, enabled={"inapp": False})
    tell(Notice(kind="admin_alert", event_key="k", recipients=[engineer]))
    assert _channels("k", engineer) == {"email"}


def test_customer_contacts_get_in_app_only(customer_contact, tell):
    channel_preferences_set(user=customer_contact, enabled={"email": True})
    assert not ChannelPreference.objects.filter(user=customer_contact, channel="email").exists()
    tell(Notice(kind="customer_update", event_key="k", recipients=[customer_contact]))
    assert _channels("k", customer_contact) == {"inapp"}
    assert channel_preferences(customer_contact) == {"inapp": True}


def test_settings_page_saves_the_choice(client, engineer):
    client.force_login(engineer)
    page = client.get("/notifications/settings/")
    assert page.status_code == 200
    assert 'name="inapp"' in page.text and 'name="email"' in page.text
    response = client.post("/notifications/settings/", {"inapp": "on"})
    assert response.status_code == 302
    assert channel_preferences(engineer) == {"inapp": True, "email": False}
    client.post("/notifications/settings/", {"inapp": "on", "email": "on"})
    assert channel_preferences(engineer) == {"inapp": True, "email": True}


def test_customers_have_no_staff_settings_page(client, customer_contact):
    # Customer contacts live in the portal; their mail is the milestone mail to the complaint.
    client.force_login(customer_contact)
    assert client.get("/notifications/settings/").url == "/portal/"


def test_pages_need_a_login(client, db):
    for url in ["/notifications/", "/notifications/settings/"]:
        assert client.get(url).status_code == 302
    # A logged-out tab stops polling the bell instead of swapping the login page into it.
    assert client.get("/notifications/bell/").status_code == 286


def test_unticking_everything_is_saved(client, engineer):
    client.force_login(engineer)
    client.post("/notifications/settings/", {})
    assert channel_preferences(engineer) == {"inapp": False, "email": False}


def test_email_box_is_disabled_without_an_address_and_not_saved(client, engineer):
    engineer.email = ""
    engineer.save(update_fields=["email"])
    client.force_login(engineer)
    page = client.get("/notifications/settings/")
    assert "disabled" in page.text.split('name="email"')[1].split(">")[0]
    client.post("/notifications/settings/", {"inapp": "on", "email": "on"})
    assert not ChannelPreference.objects.filter(user=engineer, channel="email").exists()
    engineer.email = "engineer@example.com"  # once an administrator adds one, the default holds
    engineer.save(update_fields=["email"])
    assert channel_preferences(engineer) == {"inapp": True, "email": True}
