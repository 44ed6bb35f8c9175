"""Notifications (SPEC §12): an outbox written with the change that causes it, delivered after
commit, with every attempt on record; group robots; per-user channel choices; follows."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kesu.notifications.choices import ChannelKind, Kind, RobotKind, Status


class Robot(models.Model):
    """A group robot (WeCom, DingTalk, Feishu) posting into a department's chat group."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=RobotKind.choices)
    webhook_url = models.URLField(_("webhook URL"), max_length=500)
    # DingTalk "加签" and Feishu "签名校验"; WeCom robots have none.
    secret = models.CharField(
        _("signing secret"),
        max_length=200,
        blank=True,
        help_text=_("Only if the robot was set up with a signature (DingTalk, Feishu)."),
    )
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Only complaints of this department; empty for every department."),
    )
    kinds = models.JSONField(
        _("notification kinds"),
        default=list,
        blank=True,
        help_text=_("Kinds of notification it posts; none ticked posts every kind."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("group robot")
        verbose_name_plural = _("group robots")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class Notification(models.Model):
    """One message to one recipient on one channel: the outbox row.

    Written in the transaction of the change that causes it, so a change that rolls back leaves
    no notification and a committed one cannot lose its notification. `dedupe_key` is unique:
    the same event never reaches the same recipient twice on the same channel, whoever retries.
    """

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=ChannelKind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notifications",
    )
    # An external e-mail recipient, such as the complaint's customer contact.
    address = models.EmailField(_("address"), blank=True)
    robot = models.ForeignKey(
        Robot,
        verbose_name=_("group robot"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notifications",
    )
    # Fixed when the row is written: a retry days later still speaks the recipient's language.
    language = models.CharField(_("language"), max_length=10)
    complaint = models.ForeignKey(
        "complaints.Complaint",
        verbose_name=_("complaint"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notifications",
    )
    event_key = models.CharField(_("event"), max_length=200)
    dedupe_key = models.CharField(max_length=500, unique=True)
    context = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    # A worker's claim on a row being sent; past it, the worker is presumed dead.
    claimed_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    # The e-mail's RFC 5322 Message-ID, fixed at its first try: every later try (such as one
    # after a worker died between the server's acceptance and our record of it) carries the same
    # one, so mail servers and clients drop the copy instead of showing the mail twice.
    email_message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The delivery sweep: pending rows that are due.
            models.Index(fields=["status", "next_attempt_at"], name="notification_due"),
            # The bell: a user's unread in-app notifications.
            models.Index(fields=["recipient", "channel", "read_at"], name="notification_bell"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.target_label}"

    @property
    def target_label(self) -> str:
        if self.robot_id:
            return str(self.robot)
        if self.recipient_id:
            return str(self.recipient)
        return self.address


class DeliveryAttempt(models.Model):
    """One try at sending a notification, successful or not. Append-only."""

    notification = models.ForeignKey(
        Notification, on_delete=models.PROTECT, related_name="delivery_attempts"
    )
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"))
    ok = models.BooleanField(_("succeeded"))
    detail = models.TextField(_("detail"), blank=True)

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["started_at", "id"]

    def __str__(self):
        return f"{self.notification_id} {self.started_at:%Y-%m-%d %H:%M:%S} {self.ok}"


class ChannelPreference(models.Model):
    """A user's choice for one personal channel. Without a row the default applies (see
    `selectors.channel_preferences`)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="channel_preferences",
    )
    channel = models.CharField(_("channel"), max_length=20, choices=ChannelKind.choices)
    enabled = models.BooleanField(_("enabled"))

    class Meta:
        verbose_name = _("channel preference")
        verbose_name_plural = _("channel preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "channel"], name="channel_preference_once")
        ]

    def __str__(self):
        return f"{self.user_id} {self.channel} {self.enabled}"


class Follow(models.Model):
    """Someone who is not on the complaint but wants to hear about it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.CASCADE, related_name="follows"
    )
    created_at = models.DateTimeField(_("since"))

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [models.UniqueConstraint(fields=["user", "complaint"], name="follow_once")]

    def __str__(self):
        return f"{self.user_id} → {self.complaint_id}"
