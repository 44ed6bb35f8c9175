"""Effect verification (SPEC §5 step 7, seed 000): after implementation, the next N lots of the
complaint's products delivered to its customer are watched; N clean lots, or a signed override,
and an outcome confirmed by someone other than the handler let the complaint close.

One `Round` per entry into verification: a recurrence sends the complaint back to analysis and
the next implementation starts a new round with its own date. Which lots a round counts is not
stored: lots arrive by import or API at any time, so they are read from the lots when asked
(`selectors.round_lots`), never from a list a hook might have missed.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    # Veeva QMS / IATF 16949 10.2.3 f: the effectiveness of the action, reviewed.
    EFFECTIVE = "effective", _("Effective")
    NOT_EFFECTIVE = "not_effective", _("Not effective")
    INCONCLUSIVE = "inconclusive", _("Inconclusive")


OUTCOME_COLOURS = {
    Outcome.EFFECTIVE: "green",
    Outcome.NOT_EFFECTIVE: "red",
    Outcome.INCONCLUSIVE: "yellow",
}


class Round(models.Model):
    complaint = models.ForeignKey(
        "complaints.Complaint",
        verbose_name=_("complaint"),
        on_delete=models.PROTECT,
        related_name="verification_rounds",
    )
    number = models.PositiveSmallIntegerField(_("round"), default=1)
    # Compare-and-set on every write of the round (outcome, override, reminder, end).
    version = models.PositiveIntegerField(default=1, editable=False)
    started_at = models.DateTimeField(_("started at"))
    # Lots delivered on or after this day count: D6's last implementation, else the day the
    # implementation was reported done.
    implemented_on = models.DateField(_("implemented on"))
    lots_required = models.PositiveSmallIntegerField(_("clean lots required"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    # The lot whose defect recurred and ended the round, if one did.
    recurred_lot = models.ForeignKey(
        "masterdata.Lot",
        verbose_name=_("recurred on lot"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    # No delivered lot by this day: a reminder instead of waiting silently. Cleared once sent
    # (the sweep claims it by compare-and-set) or when the round ends.
    remind_on = models.DateField(_("reminder due"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)

    # Closing before N clean lots: a signed override (21 CFR Part 11, as for the 8D).
    override_reason = models.TextField(_("reason for closing early"), blank=True)
    override_signature = models.ForeignKey(
        "signoff.Signature",
        verbose_name=_("override signature"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    # The outcome: proposed by one person, confirmed by another who is not the handler.
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("outcome note"), blank=True)
    outcome_proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("outcome proposed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    outcome_proposed_at = models.DateTimeField(_("outcome proposed at"), null=True, blank=True)
    outcome_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("outcome confirmed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    outcome_confirmed_at = models.DateTimeField(_("outcome confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("verification round")
        verbose_name_plural = _("verification rounds")
        ordering = ["complaint_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "number"], name="verification_round_unique"
            ),
        ]
        indexes = [
            # The reminder sweep reads only the rounds still waiting for a first lot.
            models.Index(
                fields=["remind_on"],
                condition=models.Q(remind_on__isnull=False),
                name="verification_remind_due",
            ),
        ]

    def __str__(self):
        return f"{self.complaint_id}/{self.number}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None
