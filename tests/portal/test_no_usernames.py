"""A customer never reads a staff username (issue 11 part 6): names, not logins, on every
portal page and in every mail to the customer. Signatures name the signer by display name."""

import re

from kesu.complaints.choices import Status
from kesu.notifications.delivery import deliver_due
from kesu.org.models import Role, User

TAGS = re.compile(r"<script.*?</script>|<style.*?</style>|<[^>]+>", re.S)


def _usernames():
    return list(User.objects.exclude(role=Role.CUSTOMER).values_list("username", flat=True))


def _shown(text, usernames):
    words = TAGS.sub(" ", text)
    return [u for u in usernames if re.search(rf"(?<![\w@.]){re.escape(u)}(?![\w@])", words)]


def test_portal_pages_and_customer_mail_show_no_staff_username(
    make_complaint, drive, login, customer_contact, smtp_server
):
    complaint = drive(make_complaint(), Status.CONFIRMATION)
    usernames = _usernames()
    assert "qe" in usernames
    client = login(customer_contact)
    for path in ("", f"{complaint.number}/", f"{complaint.number}/versions/",
                 f"{complaint.number}/versions/1/"):
        response = client.get(f"/portal/{path}")
        assert response.status_code == 200, path
        assert not _shown(response.text, usernames), path
    deliver_due()
    mails = [m for m in smtp_server.messages if m["To"] == "wang@example.com"]
    assert mails
    for mail in mails:
        assert not _shown(str(mail["Subject"]) + mail.get_body().get_content(), usernames)
