"""Text from users (a complaint's title, a note) is shown as text everywhere: escaped in HTML
pages, verbatim in plain-text mail."""

from kesu.notifications.delivery import deliver
from kesu.notifications.models import Notification
from kesu.notifications.services import Notice

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_hostile_title_is_escaped_in_the_inbox(client, make_complaint, engineer, tell):
    complaint = make_complaint(title=HOSTILE, contact_email="")
    tell(
        Notice(
            kind="status_changed",
            event_key="k",
            recipients=[engineer],
            complaint=complaint,
            context={"note": "<b>注意</b>", "status": "analysis"},
        )
    )
    client.force_login(engineer)
    page = client.get("/notifications/")
    assert "<script>alert" not in page.text and "<img src=x" not in page.text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page.text


def test_hostile_title_stays_inert_text_in_the_mail(smtp_server, make_complaint, engineer, tell):
    complaint = make_complaint(title=HOSTILE, contact_email="")
    tell(
        Notice(
            kind="customer_reply",
            event_key="k",
            recipients=[engineer],
            complaint=complaint,
            context={"message": "</pre><a href='javascript:alert(1)'>点我</a>"},
        )
    )
    deliver(Notification.objects.get(event_key="k", channel="email").pk)
    [message] = smtp_server.messages
    # One text/plain part and no HTML alternative: no mail client renders this as markup.
    assert message.get_content_type() == "text/plain" and not message.is_multipart()
    body = message.get_content()
    assert HOSTILE in body and "<a href='javascript:alert(1)'>点我</a>" in body
    assert HOSTILE in str(message["Subject"])
