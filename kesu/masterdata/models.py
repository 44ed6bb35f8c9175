"""Master data (SPEC §2): customers, products, suppliers, defect catalogue, lots."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CustomerGrade(models.TextChoices):
    STRATEGIC = "strategic", _("Strategic")
    KEY = "key", pgettext_lazy("customer grade", "Key")
    NORMAL = "normal", _("Normal")


class CooperationStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("cooperation status", "Active")
    SUSPENDED = "suspended", _("Suspended")
    ENDED = "ended", _("Ended")


class ProductGrade(models.TextChoices):
    A = "A", _("A (critical)")
    B = "B", _("B (important)")
    C = "C", _("C (general)")


class Customer(models.Model):
    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    grade = models.CharField(
        _("grade"), max_length=20, choices=CustomerGrade.choices, default=CustomerGrade.NORMAL
    )
    status = models.CharField(
        _("cooperation status"),
        max_length=20,
        choices=CooperationStatus.choices,
        default=CooperationStatus.ACTIVE,
    )
    # Effect verification (SPEC §5 step 7): clean lots required before closing; blank = default.
    verification_lots = models.PositiveSmallIntegerField(_("lots to verify"), null=True, blank=True)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class Contact(models.Model):
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=100)
    title = models.CharField(_("title"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        verbose_name = _("customer contact")
        verbose_name_plural = _("customer contacts")
        ordering = ["customer__code", "name"]

    def __str__(self):
        return self.name


class ProductLine(models.Model):
    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("product line")
        verbose_name_plural = _("product lines")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Product(models.Model):
    code = models.CharField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    product_line = models.ForeignKey(
        ProductLine,
        verbose_name=_("product line"),
        on_delete=models.PROTECT,
        related_name="products",
    )
    grade = models.CharField(
        _("grade"), max_length=2, choices=ProductGrade.choices, default=ProductGrade.B
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class Supplier(models.Model):
    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    contact_name = models.CharField(_("contact"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    status = models.CharField(
        _("cooperation status"),
        max_length=20,
        choices=CooperationStatus.choices,
        default=CooperationStatus.ACTIVE,
    )

    class Meta:
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class DefectCode(models.Model):
    """Two-level catalogue: a group (parent is null) and its codes, e.g. appearance › scratch."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("defect code")
        verbose_name_plural = _("defect codes")
        ordering = ["code"]

    def __str__(self):
        if self.parent_id:
            return f"{self.parent.name} › {self.name}"
        return self.name


class Lot(models.Model):
    """A shipped lot: what effect verification counts and complaint rate divides by."""

    number = models.CharField(_("lot number"), max_length=50, unique=True)
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="lots"
    )
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="lots"
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    ship_date = models.DateField(_("ship date"))
    delivery_date = models.DateField(_("delivery date"), null=True, blank=True)

    class Meta:
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        ordering = ["-ship_date", "number"]
        indexes = [
            models.Index(fields=["customer", "product", "ship_date"]),
            # The lot picker before a customer is chosen: the latest shipments first.
            models.Index(fields=["-ship_date", "number"], name="lot_latest_first"),
        ]

    def __str__(self):
        return self.number


class InspectionSide(models.TextChoices):
    CUSTOMER = "customer", _("Customer's incoming inspection")
    OUTGOING = "outgoing", _("Our outgoing inspection")


class InspectionResult(models.TextChoices):
    OK = "ok", pgettext_lazy("inspection result", "OK")
    NG = "ng", pgettext_lazy("inspection result", "NG")


class Inspection(models.Model):
    """The result of one inspection of a lot, on one side (the customer's incoming inspection
    or our outgoing one): what effect verification reads to call a delivered lot clean. One row
    per lot and side, so importing the same file twice changes nothing."""

    lot = models.ForeignKey(
        Lot, verbose_name=_("lot"), on_delete=models.CASCADE, related_name="inspections"
    )
    side = models.CharField(_("inspection"), max_length=10, choices=InspectionSide.choices)
    result = models.CharField(_("result"), max_length=2, choices=InspectionResult.choices)
    defect_code = models.ForeignKey(
        DefectCode,
        verbose_name=_("defect code"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    quantity_checked = models.PositiveIntegerField(_("quantity checked"))
    quantity_bad = models.PositiveIntegerField(_("quantity bad"), default=0)
    inspected_on = models.DateField(_("inspected on"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-inspected_on", "lot_id"]
        constraints = [
            models.UniqueConstraint(fields=["lot", "side"], name="inspection_one_per_lot_side"),
            models.CheckConstraint(
                condition=models.Q(quantity_bad__lte=models.F("quantity_checked")),
                name="inspection_bad_within_checked",
            ),
        ]

    def __str__(self):
        return f"{self.lot} {self.get_side_display()} {self.get_result_display()}"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


# Not finished yet: the page polls these, the sweeper looks at them.
OPEN_IMPORT_STATUSES = (ImportStatus.QUEUED, ImportStatus.RUNNING)
IMPORT_STATUS_BADGES = {
    ImportStatus.QUEUED: "grey",
    ImportStatus.RUNNING: "blue",
    ImportStatus.DONE: "green",
    ImportStatus.FAILED: "red",
}


class ImportStage(models.TextChoices):
    READING = "reading", _("Reading the file")
    CHECKING = "checking", _("Checking the rows")
    WRITING = "writing", _("Writing the rows")


class ImportJob(models.Model):
    """One import of a master-data file, made in the worker (never in a request).

    The upload is stored before the row is written; the worker claims the row (queued →
    running), reads the stored file and ends it done (the rows were written, or a trial run
    found them all good) or failed (the file or some rows were refused, or the import broke).
    Status changes are compare-and-set on the status and the start time, so a job the sweeper
    gave up on cannot be finished by a worker that was merely slow: its writes roll back.
    """

    kind = models.CharField(_("kind"), max_length=30)
    dry_run = models.BooleanField(_("trial run"), default=False)
    # The stored upload (default storage); deleted once the job is finished.
    file = models.CharField(max_length=255)
    file_name = models.CharField(_("file name"), max_length=255)
    file_size = models.PositiveBigIntegerField(_("size"))
    # The requester's language: the worker writes the report in it.
    language = models.CharField(max_length=10)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    stage = models.CharField(_("stage"), max_length=10, choices=ImportStage.choices, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"))
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    # From the sheet's own dimension while reading (an estimate), the real count after.
    rows_total = models.PositiveIntegerField(_("rows in the file"), null=True, blank=True)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    summary = models.TextField(_("result"), blank=True)
    # [{"row": int | None, "column": str, "message": str}], the first MAX_PROBLEMS_KEPT.
    problems = models.JSONField(default=list, blank=True)
    problem_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("master data import")
        verbose_name_plural = _("master data imports")
        ordering = ["-requested_at", "-pk"]
        indexes = [
            models.Index(
                fields=["status", "requested_at"],
                name="masterdata_import_open",
                condition=models.Q(status__in=["queued", "running"]),
            ),
            models.Index(fields=["requested_by", "requested_at"]),
        ]

    def __str__(self):
        return f"{self.kind} {self.file_name}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_IMPORT_STATUSES

    @property
    def badge(self) -> str:
        return IMPORT_STATUS_BADGES[self.status]

    @property
    def percent(self) -> int | None:
        if not self.rows_total:
            return None
        return min(100, self.rows_read * 100 // self.rows_total)
