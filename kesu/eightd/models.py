"""The 8D report of a complaint (SPEC §7).

For now one text per discipline; the structured 8D (teams, causes, actions, sign-off) replaces
these fields later without changing how the workflow asks "is D1–D5 complete?" (see gates.py).
"""

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


class EightDReport(models.Model):
    complaint = models.OneToOneField(
        "complaints.Complaint", on_delete=models.PROTECT, related_name="eightd"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    d1 = models.TextField(DISCIPLINES["d1"], blank=True)
    d2 = models.TextField(DISCIPLINES["d2"], blank=True)
    d3 = models.TextField(DISCIPLINES["d3"], blank=True)
    d4 = models.TextField(DISCIPLINES["d4"], blank=True)
    d5 = models.TextField(DISCIPLINES["d5"], blank=True)
    d6 = models.TextField(DISCIPLINES["d6"], blank=True)
    d7 = models.TextField(DISCIPLINES["d7"], blank=True)
    d8 = models.TextField(DISCIPLINES["d8"], blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("8D report")
        verbose_name_plural = _("8D reports")

    def __str__(self):
        return f"8D {self.complaint_id}"
