"""Complaint vocabularies. Each carries a translated label; statuses also carry a badge colour."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind(models.TextChoices):
    # SPEC §4: feedback takes the short path, complaints the 8D loop.
    COMPLAINT = "complaint", _("Complaint")
    FEEDBACK = "feedback", _("Feedback")


class Category(models.TextChoices):
    QUALITY = "quality", _("Quality")
    DESIGN = "design", _("Product design")
    DELIVERY = "delivery", _("Delivery")
    COMMERCIAL = "commercial", _("Commercial")
    SERVICE = "service", _("Service")
    RETURN = "return", _("Return")
    OTHER = "other", _("Other")


class Severity(models.TextChoices):
    GENERAL = "general", _("General")
    SERIOUS = "serious", _("Serious")
    MAJOR = "major", _("Major")


SEVERITY_CRITERIA = {
    Severity.GENERAL: _(
        "No safety impact, no line stop at the customer, small volume, first occurrence."
    ),
    Severity.SERIOUS: _(
        "Line stop at the customer, a whole lot affected, or a repeat of an earlier defect."
    ),
    Severity.MAJOR: _(
        "Safety or regulatory impact, recall risk, or several lots or customers affected."
    ),
}


class Channel(models.TextChoices):
    HOTLINE = "hotline", _("Hotline (400)")
    EMAIL = "email", _("E-mail")
    WECHAT = "wechat", _("WeChat / WeCom / DingTalk")
    PORTAL = "portal", _("Customer portal")
    FIELD = "field", _("Field report (sales)")
    TRANSFER = "transfer", _("Internal transfer")
    API = "api", _("API")


class Remedy(models.TextChoices):
    # ISO 10002 / GB/T 19012-2019: what the complainant asks for is recorded at intake.
    EXPLANATION = "explanation", pgettext_lazy("remedy", "Explanation")
    REPORT_8D = "8d_report", _("8D report")
    RETURN = "return", _("Return")
    REPLACEMENT = "replacement", _("Replacement")
    COMPENSATION = "compensation", _("Compensation")


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    ASSESSED = "assessed", _("Assessed, to dispatch")
    DISPATCHED = "dispatched", _("Dispatched, awaiting acceptance")
    ANALYSIS = "analysis", _("Containment and analysis")
    CONFIRMATION = "confirmation", _("Awaiting customer confirmation")
    IMPLEMENTATION = "implementation", _("Implementation")
    VERIFICATION = "verification", _("Effect verification")
    REPLIED = "replied", _("Replied")
    FOLLOW_UP = "follow_up", _("Followed up")
    CLOSED = "closed", _("Closed")
    INVALID = "invalid", _("Closed as not valid")
    CANCELLED = "cancelled", _("Cancelled")


# Badge colours, in one place with the statuses (used by templates as CSS classes).
STATUS_COLOURS = {
    Status.RECEIVED: "blue",
    Status.ASSESSED: "indigo",
    Status.DISPATCHED: "purple",
    Status.ANALYSIS: "orange",
    Status.CONFIRMATION: "yellow",
    Status.IMPLEMENTATION: "teal",
    Status.VERIFICATION: "cyan",
    Status.REPLIED: "indigo",
    Status.FOLLOW_UP: "teal",
    Status.CLOSED: "green",
    Status.INVALID: "grey",
    Status.CANCELLED: "grey",
}

TERMINAL_STATUSES = frozenset({Status.CLOSED, Status.INVALID, Status.CANCELLED})
OPEN_STATUSES = frozenset(set(Status) - TERMINAL_STATUSES)
# The open statuses in a fixed order, for the condition of the open-work index and the queries
# that use it: SQLite uses a partial index only when the query repeats its condition word for
# word, and a set's order changes from one process to the next.
OPEN_STATUS_LIST = sorted(status.value for status in OPEN_STATUSES)


class CancelReason(models.TextChoices):
    DUPLICATE = "duplicate", _("Duplicate")
    WITHDRAWN = "withdrawn", _("Withdrawn by the customer")
    ENTERED_IN_ERROR = "error", _("Entered in error")


class Visibility(models.TextChoices):
    INTERNAL = "internal", _("Internal")
    CUSTOMER = "customer", _("Visible to the customer")
