"""Bench: a customer contact floods one complaint with long messages (issue 10).

    DATABASE_URL=sqlite:////tmp/flood.sqlite3 KESU_VAR_DIR=/tmp/floodvar \
        KESU_DEMO_PASSWORD=… .venv/bin/python bench/message_flood.py --messages 500

Needs a database with the demo loaded (`kesu load-demo`). Posts N messages of 10,000 characters
as the demo customer contact on one open complaint through the real service, then prints how
many were accepted, how many notifications (and of those, e-mails and robot posts) the flood
wrote, and the size of the staff complaint page and the portal page.

--burst posts them all at the same moment; --spaced posts them at the pace the limits allow
(one every 30 minutes), which is the most a contact can legitimately write.
"""

import argparse
import os
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.settings")
os.environ.setdefault("HUEY_IMMEDIATE", "true")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402

from kesu.complaints import services  # noqa: E402
from kesu.complaints.access import can_comment  # noqa: E402
from kesu.complaints.choices import Status  # noqa: E402
from kesu.complaints.models import Complaint  # noqa: E402
from kesu.core import clock  # noqa: E402
from kesu.core.errors import KesuError  # noqa: E402
from kesu.notifications.choices import ChannelKind  # noqa: E402
from kesu.notifications.delivery import deliver_due  # noqa: E402
from kesu.notifications.models import ChannelPreference, Notification  # noqa: E402
from kesu.org.models import User  # noqa: E402

TEXT = ("质量问题 quality issue, batch 2611-A: " * 400)[:10_000]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=500)
    parser.add_argument("--spaced", action="store_true")
    args = parser.parse_args()

    customer = User.objects.get(username="huaxing")
    complaint = next(
        c
        for c in Complaint.objects.filter(customer_id=customer.customer_id)
        .exclude(status__in=[Status.CLOSED, Status.CANCELLED])
        .order_by("id")
        if can_comment(customer, c)
    )
    # The demo turns staff e-mail off; a real installation mails, so count as one would.
    ChannelPreference.objects.filter(channel=ChannelKind.EMAIL).update(enabled=True)
    for user in User.objects.exclude(role="customer").filter(email=""):
        user.email = f"{user.username}@example.com"
        user.save(update_fields=["email"])
    before = Notification.objects.count()
    before_mail = Notification.objects.exclude(channel=ChannelKind.INAPP).count()
    start = clock.now()
    accepted = refused = 0
    refusal = ""
    for i in range(args.messages):
        at = start + timedelta(minutes=30 * i) if args.spaced else start
        with clock.frozen(at):
            try:
                services.complaint_comment(
                    actor=customer, complaint=complaint, text=f"{i} {TEXT}"[:10_000]
                )
            except KesuError as exc:
                refused += 1
                refusal = str(exc.message)
            else:
                accepted += 1
            # The periodic sweep, run as if every minute: what is due goes out.
            deliver_due(now=at)
    notifications = Notification.objects.count() - before
    mails = Notification.objects.exclude(channel=ChannelKind.INAPP).count() - before_mail

    staff = Client()
    staff.force_login(User.objects.get(username="qe"))
    page = staff.get(f"/complaints/{complaint.number}/")
    portal = Client()
    portal.force_login(customer)
    portal_page = portal.get(f"/portal/{complaint.number}/")
    print(f"complaint {complaint.number}: {accepted} accepted, {refused} refused")
    if refusal:
        print(f"  refusal: {refusal}")
    print(f"  notifications written: {notifications}, of which e-mails/robot posts: {mails}")
    print(f"  staff page: {page.status_code}, {len(page.content):,} bytes")
    print(f"  portal page: {portal_page.status_code}, {len(portal_page.content):,} bytes")


if __name__ == "__main__":
    main()
