"""Sending what the outbox holds: claim a row, send it outside any transaction, record the try.

Never lost: a row stays pending until a send succeeds or the retries are used up, and the
periodic sweep (`deliver_due`) picks up whatever the after-commit task missed. Never twice: a
worker claims a row with a compare-and-set before sending, so two workers (or a task and the
sweep) cannot both send it; a worker that dies mid-send loses its claim when the lease expires.
Should it die after the server accepted a mail but before the row said so, the copy sent after
the lease carries the same Message-ID (fixed at the first try), and the receiving side drops it.
"""

import logging
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import translation

from kesu.core import clock
from kesu.notifications.channels import REGISTRY, DeliveryFailed, Rendered
from kesu.notifications.channels.email import message_id
from kesu.notifications.choices import ChannelKind, Kind, Status
from kesu.notifications.models import DeliveryAttempt, Notification, Robot
from kesu.notifications.rendering import render

logger = logging.getLogger(__name__)

# Longer than any send can take (robots time out after 10 s, SMTP after 30 s), so a live worker
# never loses its claim; short enough that a dead worker's rows go out within minutes.
LEASE = timedelta(minutes=5)
# Wait after the n-th failed attempt; the last value repeats.
BACKOFF_MINUTES = (1, 5, 15, 60, 240)
# About a day of trying (1+5+15+60+240×3 min) before giving up.
MAX_ATTEMPTS = 8
DETAIL_LIMIT = 2000


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed try."""
    index = min(max(attempts, 1), len(BACKOFF_MINUTES)) - 1
    return timedelta(minutes=BACKOFF_MINUTES[index])


def _claim(notification_id: int, now: datetime) -> bool:
    return bool(
        Notification.objects.filter(
            pk=notification_id, status=Status.PENDING, next_attempt_at__lte=now
        ).update(status=Status.SENDING, claimed_until=now + LEASE, attempts=F("attempts") + 1)
    )


def _send(notification: Notification) -> tuple[bool, str, bool]:
    """Render and send; return (ok, detail, whether a failure is final)."""
    try:
        with translation.override(notification.language):
            rendered = render(notification)
            detail = REGISTRY[notification.channel]().send(notification, rendered)
    except DeliveryFailed as exc:
        return False, exc.detail, exc.permanent
    except Exception as exc:
        # A bug or a broken template must not stop the other notifications; the row is retried
        # (a fix may be deployed meanwhile) and the traceback goes to the log.
        logger.exception("notification %s: sending raised", notification.pk)
        return False, f"{type(exc).__name__}: {exc}", False
    return True, detail, False


def deliver(notification_id: int, *, now: datetime | None = None) -> bool:
    """Try to send one notification if it is due and nobody else is sending it. Returns whether
    this call sent it. Must not run inside a transaction: the send is slow network I/O."""
    now = now or clock.now()
    if not _claim(notification_id, now):
        return False  # not due, already sent, or another worker has it
    notification = Notification.objects.select_related(
        "recipient", "robot", "complaint", "complaint__customer"
    ).get(pk=notification_id)
    if notification.channel == ChannelKind.EMAIL and not notification.email_message_id:
        # Stored (and committed) before the first send, so that every later try reuses it.
        notification.email_message_id = message_id(notification)
        Notification.objects.filter(pk=notification.pk, email_message_id="").update(
            email_message_id=notification.email_message_id
        )
    # Our claim token: every claim adds one, so a worker whose lease ran out and whose row was
    # claimed again no longer matches and cannot overwrite the newer worker's outcome.
    attempts = notification.attempts
    started = time.monotonic()
    ok, detail, final = _send(notification)
    finished_at = now + timedelta(seconds=time.monotonic() - started)
    detail = detail[:DETAIL_LIMIT]

    if ok:
        # Recorded at once, in a statement of its own (autocommit), before the attempt row or
        # anything else that could fail: once the server has the message, a crash must not
        # leave the row to be sent again. Only the claim token is compared: a row released
        # after our lease ran out but not claimed again is still ours to call sent.
        if not Notification.objects.filter(pk=notification.pk, attempts=attempts).update(
            status=Status.SENT, sent_at=finished_at, last_error="", claimed_until=None
        ):
            logger.warning(
                "notification %s: sent, but claimed again after the lease ran out; the other "
                "copy carries the same Message-ID",
                notification.pk,
            )
        DeliveryAttempt.objects.create(
            notification=notification,
            started_at=now,
            finished_at=finished_at,
            ok=True,
            detail=detail,
        )
        return True
    if final or attempts >= MAX_ATTEMPTS:
        outcome = {"status": Status.FAILED, "last_error": detail}
        logger.error(
            "notification %s (%s via %s to %s): gave up after %s attempts: %s",
            notification.pk,
            notification.kind,
            notification.channel,
            notification.target_label,
            attempts,
            detail,
        )
    else:
        outcome = {
            "status": Status.PENDING,
            "next_attempt_at": now + backoff(attempts),
            "last_error": detail,
        }
        logger.warning(
            "notification %s: attempt %s failed, next at %s: %s",
            notification.pk,
            attempts,
            outcome["next_attempt_at"].isoformat(),
            detail,
        )
    with transaction.atomic():
        DeliveryAttempt.objects.create(
            notification=notification,
            started_at=now,
            finished_at=finished_at,
            ok=False,
            detail=detail,
        )
        # Still ours only if nobody re-claimed it after our lease ran out.
        Notification.objects.filter(
            pk=notification.pk, status=Status.SENDING, attempts=attempts
        ).update(claimed_until=None, **outcome)
    return False


def release_expired(*, now: datetime) -> int:
    """Give rows whose worker died mid-send back to the queue (or give up on them). The lost
    try counts as an attempt: it may have reached the recipient before the worker died."""
    released = 0
    expired = Notification.objects.filter(status=Status.SENDING, claimed_until__lt=now)
    for pk, attempts in expired.values_list("pk", "attempts"):
        status = Status.FAILED if attempts >= MAX_ATTEMPTS else Status.PENDING
        with transaction.atomic():
            # Compare-and-set: another sweeper may be releasing the same row.
            if not Notification.objects.filter(
                pk=pk, status=Status.SENDING, claimed_until__lt=now
            ).update(status=status, claimed_until=None, last_error="lease expired"):
                continue
            DeliveryAttempt.objects.create(
                notification_id=pk,
                started_at=now,
                finished_at=now,
                ok=False,
                detail="lease expired: the worker sending it stopped before recording the outcome",
            )
        logger.warning("notification %s: lease expired, now %s", pk, status)
        released += 1
    return released


def deliver_due(*, now: datetime | None = None, limit: int = 500) -> int:
    """Send every pending notification that is due; return how many were sent. Safe to run
    in several workers at once: each row is claimed before it is sent."""
    now = now or clock.now()
    release_expired(now=now)
    due = (
        Notification.objects.filter(status=Status.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(deliver(pk, now=now) for pk in list(due))


def send_test(robot: Robot) -> str:
    """Post a test message through a robot at once, bypassing the outbox (the administrator
    is watching the group). Returns the robot's answer or raises DeliveryFailed."""
    notification = Notification(
        kind=Kind.ADMIN_ALERT,
        channel=robot.kind,
        robot=robot,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        context={"message": translation.gettext("This is a test message from Kesu.")},
    )
    rendered: Rendered = render(notification)
    return REGISTRY[robot.kind]().send(notification, rendered)
