"""The outbox's figures for /healthz and /metrics: how long the oldest notification has been
due without being sent, and how many are due. Mail that waits means nobody is being told."""

from django.conf import settings
from django.db.models import Count, Min, Q

from kesu.core.health import Figure
from kesu.notifications.choices import Status
from kesu.notifications.models import Notification


def backlog(now) -> list[Figure]:
    # Due: waiting for its (next) attempt, or claimed by a worker whose lease ran out.
    due = Notification.objects.filter(
        Q(status=Status.PENDING, next_attempt_at__lte=now)
        | Q(status=Status.SENDING, claimed_until__lt=now)
    ).aggregate(
        count=Count("pk"),
        pending_since=Min("next_attempt_at", filter=Q(status=Status.PENDING)),
        lease_lost_since=Min("claimed_until", filter=Q(status=Status.SENDING)),
    )
    since = [moment for moment in (due["pending_since"], due["lease_lost_since"]) if moment]
    oldest = (now - min(since)).total_seconds() if since else 0.0
    return [
        Figure(
            "kesu_notification_oldest_due_seconds",
            "Seconds the oldest notification due to be sent has waited.",
            max(0.0, oldest),
            settings.KESU_HEALTH_NOTIFICATION_SECONDS,
        ),
        Figure("kesu_notifications_due", "Notifications due to be sent now.", due["count"]),
    ]
