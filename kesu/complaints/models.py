"""The complaint record (SPEC §3, §4), its event log, attachments, numbering and routing rules."""

from django.conf import settings
from django.db import models
from django.db.models.lookups import IsNull
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kesu.complaints.choices import (
    OPEN_STATUS_LIST,
    STATUS_COLOURS,
    Category,
    Channel,
    Kind,
    Severity,
    Status,
    Visibility,
)

# The most urgent first: the earliest due time, then (clocks paused or not running: no due time)
# the longest waiting. "Due time unset" is a key of its own, not NULLS LAST: SQLite serves
# NULLS LAST from no index and re-reads the rows to sort them.
OPEN_WORK_ORDER = (
    IsNull(models.F("due_at"), True),
    models.F("due_at"),
    models.F("status_changed_at"),
    models.F("id"),
)


class Complaint(models.Model):
    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    # Optimistic locking: every write compares and bumps it (SPEC §13, no lost updates).
    version = models.PositiveIntegerField(default=1, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )

    # Classification (§4)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    severity = models.CharField(
        _("severity"), max_length=20, choices=Severity.choices, default=Severity.GENERAL
    )
    is_repeat = models.BooleanField(_("repeat of an earlier problem"), default=False)

    # Intake (§3)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    received_at = models.DateTimeField(_("received at"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("received by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Internal transfer: whoever forwarded it stays informed of every step.
    transferred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("transferred by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    customer = models.ForeignKey(
        "masterdata.Customer",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    contact_name = models.CharField(_("contact"), max_length=100)
    contact_phone = models.CharField(_("contact phone"), max_length=50, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    customer_reference = models.CharField(_("customer reference"), max_length=100, blank=True)
    order_number = models.CharField(_("order number"), max_length=100, blank=True)
    products = models.ManyToManyField(
        "masterdata.Product", verbose_name=_("products"), related_name="complaints"
    )
    lots = models.ManyToManyField(
        "masterdata.Lot", verbose_name=_("lots"), blank=True, related_name="complaints"
    )
    quantity_affected = models.PositiveIntegerField(_("quantity affected"), null=True, blank=True)
    defect_code = models.ForeignKey(
        "masterdata.DefectCode",
        verbose_name=_("defect code"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    # The remedy sought is mandatory (ISO 10002 / GB/T 19012-2019); a list of Remedy values.
    remedies = models.JSONField(_("remedy sought"), default=list)
    remedy_detail = models.TextField(_("remedy details"), blank=True)

    # Ownership
    responsible_department = models.ForeignKey(
        "org.Department",
        verbose_name=_("responsible department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handler"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_complaints",
    )
    # Rule: every quality complaint is tracked by a quality engineer.
    tracker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tracker (QE)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tracked_complaints",
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("improvement team"),
        blank=True,
        related_name="team_complaints",
    )

    # Committed reply time told to the customer on receipt (SPEC §3, 预计处理时限).
    reply_due_at = models.DateTimeField(
        pgettext_lazy("the time by which", "reply committed by"), null=True, blank=True
    )

    # Loop state
    is_valid = models.BooleanField(_("valid"), null=True, blank=True)
    dispatch_due_at = models.DateTimeField(_("department answer due"), null=True, blank=True)
    plan_rounds = models.PositiveSmallIntegerField(_("plan rejections"), default=0)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    recurrence_count = models.PositiveSmallIntegerField(_("recurrences"), default=0)
    verification_lots = models.PositiveSmallIntegerField(_("lots to verify"), default=2)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # The earliest due time of the open steps (kesu.timelimits keeps it): lists sort and
    # colour by it without touching the step table.
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    # Set while the complaint waits for information asked of the customer: clocks stop.
    info_requested_at = models.DateTimeField(
        _("information requested at"), null=True, blank=True
    )
    # When the current status began: "my work" lists what has waited longest first.
    status_changed_at = models.DateTimeField(_("in this status since"))

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_at"]
        indexes = [
            # The ledger's default order: newest first.
            models.Index(fields=["-received_at", "-id"], name="complaint_received_desc"),
            models.Index(fields=["status", "received_at"]),
            models.Index(fields=["customer", "received_at"]),
            models.Index(fields=["responsible_department", "status"]),
            models.Index(fields=["due_at"], name="complaint_due_at"),
            # "My work": the open complaints (a few percent of the ledger) in the page's order
            # (`OPEN_WORK_ORDER`), with every column that says who may act on them, so the page
            # and its count read this index alone and the table only for the rows shown. Key
            # columns, not INCLUDE: SQLite has none.
            models.Index(
                *OPEN_WORK_ORDER,
                *(
                    models.F(field)
                    for field in (
                        "status",
                        "kind",
                        "handler",
                        "tracker",
                        "responsible_department",
                        "received_by",
                        "transferred_by",
                        "customer",
                    )
                ),
                condition=models.Q(status__in=OPEN_STATUS_LIST),
                name="complaint_open_by_due",
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def status_colour(self) -> str:
        return STATUS_COLOURS[self.status]


class ComplaintEvent(models.Model):
    """One row per thing that happened: the timeline and the basis of every statistic.

    Append-only: rows are never updated or deleted.
    """

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="events")
    # A type registered in kesu.complaints.events by the app it belongs to.
    type = models.CharField(_("type"), max_length=20)
    action = models.CharField(_("action"), max_length=40, blank=True)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    # Null for what Kesu itself did: reminders, escalations, recalculated due times.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), db_index=True)
    note = models.TextField(_("note"), blank=True)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.INTERNAL
    )
    payload = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("complaint event")
        verbose_name_plural = _("complaint events")
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["complaint", "at"]),
            # A customer contact's recent messages and files: the limits on what they write.
            models.Index(fields=["actor", "type", "at"], name="complaint_event_by_actor"),
        ]

    def __str__(self):
        return f"{self.complaint_id} {self.type} {self.action}"


def attachment_path(instance, filename):
    # The stored name is the content hash: no user-chosen path ever reaches the file system.
    return f"attachments/{instance.sha256[:2]}/{instance.sha256}"


class Attachment(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="attachments")
    event = models.OneToOneField(
        ComplaintEvent, on_delete=models.PROTECT, related_name="attachment", null=True
    )
    file = models.FileField(_("file"), upload_to=attachment_path)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name


class NumberSequence(models.Model):
    """Last complaint number issued per year; incremented inside the creating transaction.

    A rolled-back creation rolls the counter back too, so numbers are never skipped.
    """

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last}"


class RoutingRule(models.Model):
    """Configuration as data (SPEC §4): first matching rule by priority decides the owner."""

    priority = models.PositiveSmallIntegerField(_("priority"), default=100)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, blank=True)
    severity = models.CharField(_("severity"), max_length=20, choices=Severity.choices, blank=True)
    product_line = models.ForeignKey(
        "masterdata.ProductLine",
        verbose_name=_("product line"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    customer = models.ForeignKey(
        "masterdata.Customer",
        verbose_name=_("customer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("responsible department"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handler"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    tracker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tracker (QE)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["priority", "id"]

    def __str__(self):
        return self.name


class SearchDocument(models.Model):
    """A complaint's words for full-text search (issue 13): the pre-tokenised text of its
    record, customer, products, lots and what other apps contribute (the 8D's root causes and
    lessons), written by the services in the complaint's transaction
    (`kesu.complaints.search`). The database's index over it is `kesu.core.search`'s."""

    complaint = models.OneToOneField(
        Complaint, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    terms = models.TextField(blank=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")

    def __str__(self):
        return str(self.complaint_id)
