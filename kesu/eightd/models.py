"""The 8D report of a complaint (SPEC §7).

A report has eight disciplines; each holds a validated document (`content.py`), an owner, a
version for optimistic locking and, through `kesu.signoff`, its signatures. Due dates come from
the customer's 8D profile and are time-limit steps (`kesu.timelimits`). What the customer was
shown is frozen in `CustomerVersion` rows, never edited afterwards.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

DISCIPLINES = {
    "d1": _("D1 Team"),
    "d2": _("D2 Problem description"),
    "d3": _("D3 Containment actions"),
    "d4": _("D4 Root causes (occurrence and escape)"),
    "d5": _("D5 Chosen permanent corrective actions"),
    "d6": _("D6 Implementation and validation"),
    "d7": _("D7 Prevention and horizontal roll-out"),
    "d8": _("D8 Closure and team recognition"),
}
# Where a line names the discipline and then what it lacks, a title whose parenthesis would say
# the same as the items after it is shortened ("D4 根本原因：分析发生原因和流出原因").
SHORT_TITLES = {"d4": _("D4 Root causes")}


class EightDReport(models.Model):
    complaint = models.OneToOneField(
        "complaints.Complaint", on_delete=models.PROTECT, related_name="eightd"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("8D report")
        verbose_name_plural = _("8D reports")

    def __str__(self):
        return f"8D {self.complaint_id}"


class Discipline(models.Model):
    report = models.ForeignKey(
        EightDReport, on_delete=models.PROTECT, related_name="disciplines"
    )
    code = models.CharField(_("discipline"), max_length=2, choices=list(DISCIPLINES.items()))
    content = models.JSONField(_("content"), default=dict)
    # Not shown to the customer nor printed in what they receive.
    internal_note = models.TextField(_("internal note"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Optimistic locking per discipline: two engineers may write different disciplines at once.
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("8D discipline")
        verbose_name_plural = _("8D disciplines")
        ordering = ["report", "code"]
        constraints = [
            models.UniqueConstraint(fields=["report", "code"], name="one_discipline_per_code")
        ]

    def __str__(self):
        return str(DISCIPLINES[self.code])

    @property
    def subject(self) -> str:
        """What its signatures name (kesu.signoff)."""
        return f"eightd.discipline:{self.pk}"


class EightDProfile(models.Model):
    """A customer's 8D requirements: when each discipline is due, counted from the complaint's
    receipt, and whether general complaints may use the short form. The row without a customer
    is the default."""

    customer = models.OneToOneField(
        "masterdata.Customer",
        verbose_name=_("customer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="eightd_profile",
    )
    calendar = models.ForeignKey(
        "calendars.Calendar",
        verbose_name=_("calendar"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Customers usually count 8D deadlines in calendar hours (24×7)."),
    )
    d1_hours = models.PositiveIntegerField(_("D1 due (hours)"), null=True, blank=True)
    d2_hours = models.PositiveIntegerField(_("D2 due (hours)"), null=True, blank=True)
    d3_hours = models.PositiveIntegerField(_("D3 due (hours)"), null=True, blank=True)
    d4_hours = models.PositiveIntegerField(_("D4 due (hours)"), null=True, blank=True)
    d5_hours = models.PositiveIntegerField(_("D5 due (hours)"), null=True, blank=True)
    d6_hours = models.PositiveIntegerField(_("D6 due (hours)"), null=True, blank=True)
    d7_hours = models.PositiveIntegerField(_("D7 due (hours)"), null=True, blank=True)
    d8_hours = models.PositiveIntegerField(_("D8 due (hours)"), null=True, blank=True)
    general_short_form = models.BooleanField(
        _("general complaints may use the short form (D2, D4, D5)"), default=True
    )

    class Meta:
        verbose_name = _("8D profile")
        verbose_name_plural = _("8D profiles")
        constraints = [
            models.UniqueConstraint(
                fields=["customer"],
                condition=models.Q(customer__isnull=True),
                name="one_default_eightd_profile",
                violation_error_message=_("There is already a default 8D profile."),
            )
        ]

    def __str__(self):
        return str(self.customer) if self.customer_id else str(_("Default 8D profile"))

    def hours(self, code: str) -> int | None:
        return getattr(self, f"{code}_hours")


class Purpose(models.TextChoices):
    PLAN = "plan", _("Plan for confirmation")
    REPORT = "report", _("8D report sent")


class Decision(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class CustomerVersion(models.Model):
    """Exactly what the customer was shown: the customer-visible 8D and its signatures, frozen
    when the plan went to them or the report was sent, with their decision on it."""

    report = models.ForeignKey(EightDReport, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices)
    snapshot = models.JSONField(_("content as shown"), editable=False)
    content_hash = models.CharField(max_length=64, editable=False)
    shared_at = models.DateTimeField(_("shared at"))
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("shared by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision = models.CharField(
        _("customer's decision"), max_length=10, choices=Decision.choices, blank=True
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("version shown to the customer")
        verbose_name_plural = _("versions shown to the customer")
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="one_version_number")
        ]

    def __str__(self):
        return f"{self.report} v{self.number}"


class DisciplineAttachment(models.Model):
    """A file of the complaint (photos, evidence) filed under one discipline. The file itself is
    a complaint attachment, so it is on the timeline and leaves only through its access check."""

    discipline = models.ForeignKey(
        Discipline, on_delete=models.PROTECT, related_name="attachments"
    )
    attachment = models.OneToOneField(
        "complaints.Attachment", on_delete=models.PROTECT, related_name="discipline_link"
    )

    class Meta:
        verbose_name = _("8D evidence")
        verbose_name_plural = _("8D evidence")
        ordering = ["discipline", "pk"]

    def __str__(self):
        return f"{self.discipline}: {self.attachment_id}"


class ExportFormat(models.TextChoices):
    PDF = "pdf", _("PDF")
    XLSX = "xlsx", _("Excel (.xlsx)")


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being made")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


# Not finished yet: the page keeps polling, and they count against the queue's limit.
PENDING_EXPORTS = (ExportStatus.QUEUED, ExportStatus.RUNNING)


class Export(models.Model):
    """A rendering of the 8D as PDF or workbook, made in the worker (never in a request). With a
    customer version it prints exactly that version; `send` mails it to the customer."""

    report = models.ForeignKey(EightDReport, on_delete=models.PROTECT, related_name="exports")
    version = models.ForeignKey(
        CustomerVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="exports"
    )
    format = models.CharField(_("format"), max_length=10, choices=ExportFormat.choices)
    language = models.CharField(_("language"), max_length=10)
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    file = models.FileField(upload_to="exports/%Y/%m/", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    send = models.BooleanField(_("send to the customer"), default=False)

    class Meta:
        verbose_name = _("8D export")
        verbose_name_plural = _("8D exports")
        ordering = ["-requested_at", "-pk"]

    def __str__(self):
        return f"{self.report} {self.format} {self.language}"
