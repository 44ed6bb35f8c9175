"""Notification vocabularies, each value with a translated label."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """Why a notification is sent; each kind has its templates in `notifications/<kind>/`."""

    ASSIGNED = "assigned", _("Assigned")
    REMINDER = "reminder", _("Deadline reminder")
    OVERDUE = "overdue", _("Overdue")
    ESCALATED = "escalated", _("Escalated")
    CUSTOMER_REPLY = "customer_reply", _("Customer replied")
    STATUS_CHANGED = "status_changed", _("Status changed")
    ADMIN_ALERT = "admin_alert", _("Administrator alert")
    CUSTOMER_UPDATE = "customer_update", _("Update for the customer")
    # Several notices to one person from one batch (a sweep), told as one list.
    DIGEST = "digest", _("Digest")


class ChannelKind(models.TextChoices):
    INAPP = "inapp", _("In Kesu")
    EMAIL = "email", _("E-mail")
    WECOM = "wecom", _("WeCom group robot")
    DINGTALK = "dingtalk", _("DingTalk group robot")
    FEISHU = "feishu", _("Feishu group robot")


# A person chooses among these; group robots are configured by an administrator instead.
PERSONAL_CHANNELS = (ChannelKind.INAPP, ChannelKind.EMAIL)


class RobotKind(models.TextChoices):
    WECOM = ChannelKind.WECOM.value, ChannelKind.WECOM.label
    DINGTALK = ChannelKind.DINGTALK.value, ChannelKind.DINGTALK.label
    FEISHU = ChannelKind.FEISHU.value, ChannelKind.FEISHU.label


class Status(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Gave up")
