"""Organisation (SPEC §1): centers, departments, users with roles, processes and their owners."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """A user's job in Kesu. Relations to a complaint (tracker, handler…) are not roles."""

    CS_AGENT = "cs_agent", _("Customer-service agent")
    SALES = "sales", _("Salesperson / order follower")
    QE = "qe", _("Quality engineer")
    ENGINEER = "engineer", _("Department engineer")
    DEPT_MANAGER = "dept_manager", _("Department manager")
    RD_DIRECTOR = "rd_director", _("R&D director")
    SALES_MANAGER = "sales_manager", _("Sales manager")
    PROCESS_OWNER = "process_owner", _("Process owner")
    CENTER_HEAD = "center_head", _("Center head")
    MARKETING_DIRECTOR = "marketing_director", _("Marketing director")
    VP = "vp", _("Vice president")
    CUSTOMER = "customer", _("Customer contact")
    ADMIN = "admin", _("Administrator")


# Roles that see every complaint, whatever their department (SPEC §13).
ROLES_SEEING_ALL = frozenset(
    {
        Role.CS_AGENT,
        Role.QE,
        Role.PROCESS_OWNER,
        Role.CENTER_HEAD,
        Role.MARKETING_DIRECTOR,
        Role.VP,
        Role.ADMIN,
    }
)


class Center(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    head = models.ForeignKey(
        "org.User",
        verbose_name=_("center head"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("center")
        verbose_name_plural = _("centers")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Department(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="departments"
    )
    manager = models.ForeignKey(
        "org.User",
        verbose_name=_("manager"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Customer service and Quality track every complaint, so their members see all of them.
    sees_all_complaints = models.BooleanField(_("sees all complaints"), default=False)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["center__code", "code"]

    def __str__(self):
        return self.name


class User(AbstractUser):
    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    role = models.CharField(_("role"), max_length=30, choices=Role.choices, default=Role.ENGINEER)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    # Set only for customer contacts: the company whose complaints they may see.
    customer = models.ForeignKey(
        "masterdata.Customer",
        verbose_name=_("customer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="portal_users",
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        blank=True,
        choices=[("zh-hans", "简体中文"), ("en", "English")],
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self):
        return self.display_name or self.get_full_name() or self.username

    @property
    def is_customer(self) -> bool:
        return self.role == Role.CUSTOMER


class ProcessKind(models.TextChoices):
    COMPLAINT_HANDLING = "complaint_handling", _("Complaint handling")
    CUSTOMER_CLAIMS = "customer_claims", _("Customer claims")
    SUPPLIER_CLAIMS = "supplier_claims", _("Supplier claims")
    QUALITY_RETURNS = "quality_returns", _("Quality returns")
    COMMERCIAL_RETURNS = "commercial_returns", _("Commercial returns")
    REPLENISHMENT = "replenishment", _("Replenishment")
    QUALITY_EXCEPTIONS = "quality_exceptions", _("Quality exceptions")


class Process(models.Model):
    kind = models.CharField(_("process"), max_length=30, choices=ProcessKind.choices, unique=True)
    owning_department = models.ForeignKey(
        Department,
        verbose_name=_("owning department"),
        on_delete=models.PROTECT,
        related_name="processes",
    )
    owner = models.ForeignKey(
        User,
        verbose_name=_("process owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_processes",
    )

    class Meta:
        verbose_name = _("process")
        verbose_name_plural = _("processes")
        ordering = ["kind"]

    def __str__(self):
        return self.get_kind_display()
