"""Electronic signatures (SPEC §13, 21 CFR Part 11 §11.50, §11.70).

A signature names what it signs by a subject key (e.g. ``eightd.discipline:42``) and binds itself
to the SHA-256 of the signed content at that moment. It is never edited or deleted: a later edit
of the content changes the hash, and the signature then shows as no longer valid.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Meaning(models.TextChoices):
    REVIEWED = "reviewed", _("Reviewed")
    APPROVED = "approved", _("Approved")
    CONFIRMED = "confirmed", _("Confirmed")


class Signature(models.Model):
    subject = models.CharField(_("signed record"), max_length=100, db_index=True, editable=False)
    content_hash = models.CharField(_("content hash (SHA-256)"), max_length=64, editable=False)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signer"),
        on_delete=models.PROTECT,
        related_name="signatures",
        editable=False,
    )
    # Part 11 §11.50: the printed name as it was when signing, not as the account reads later.
    printed_name = models.CharField(_("printed name"), max_length=150, editable=False)
    meaning = models.CharField(_("meaning"), max_length=20, choices=Meaning.choices,
                               editable=False)
    signed_at = models.DateTimeField(_("signed at"), editable=False)

    class Meta:
        verbose_name = _("electronic signature")
        verbose_name_plural = _("electronic signatures")
        ordering = ["signed_at", "pk"]

    def __str__(self):
        return f"{self.printed_name} · {self.get_meaning_display()} · {self.subject}"


class SignatureRefusal(models.Model):
    """A signing refused for a wrong password (Part 11 §11.300(d): attempts at unauthorised use
    are detected and reported). Kept, never deleted; a run of them locks the signer's signing
    the way django-axes locks a login, since signing re-checks the password without logging in."""

    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signer"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    subject = models.CharField(_("record"), max_length=100, editable=False)
    refused_at = models.DateTimeField(_("refused at"), editable=False)

    class Meta:
        verbose_name = _("refused signature")
        verbose_name_plural = _("refused signatures")
        ordering = ["-refused_at", "-pk"]
        indexes = [models.Index(fields=["signer", "refused_at"])]

    def __str__(self):
        return f"{self.signer} · {self.subject} · {self.refused_at:%Y-%m-%d %H:%M}"
