"""Master data (SPEC §2): customers, products, suppliers, defect catalogue, lots."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CustomerGrade(models.TextChoices):
    STRATEGIC = "strategic", _("Strategic")
    KEY = "key", _("Key")
    NORMAL = "normal", _("Normal")


class CooperationStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
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
        indexes = [models.Index(fields=["customer", "product", "ship_date"])]

    def __str__(self):
        return self.number
