"""The recurrence radar's links (issue 13): a later complaint linked to an earlier one as a
recurrence of the same problem or as a duplicate of it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LinkKind(models.TextChoices):
    # A recurrence counts on the earlier complaint (`recurrence_count`), the KPI of SPEC §9.
    RECURRENCE = "recurrence", _("Recurrence")
    DUPLICATE = "duplicate", _("Duplicate")


class ComplaintLink(models.Model):
    complaint = models.ForeignKey(
        "complaints.Complaint", verbose_name=_("complaint"), on_delete=models.PROTECT,
        related_name="radar_links",
    )
    earlier = models.ForeignKey(
        "complaints.Complaint", verbose_name=_("earlier complaint"), on_delete=models.PROTECT,
        related_name="radar_linked_from",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=LinkKind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("complaint link")
        verbose_name_plural = _("complaint links")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["complaint", "earlier"], name="radar_one_link"),
            models.CheckConstraint(
                condition=~models.Q(complaint=models.F("earlier")), name="radar_not_itself"
            ),
        ]
        indexes = [models.Index(fields=["earlier", "kind"])]

    def __str__(self):
        return f"{self.complaint_id} → {self.earlier_id} ({self.kind})"
