"""API tokens (SPEC §14): a secret shown once, stored only as its SHA-256 digest."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    # The token has 256 random bits, so an unsalted digest is as good as a password hash here
    # and lets a request find its row by index.
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters of the token, so that a user can tell their tokens apart.
    prefix = models.CharField(_("prefix"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked = models.BooleanField(_("revoked"), default=False)
    # Issued for KESU_TOKEN_DAYS; a script that needs longer asks for a new token.
    expires_at = models.DateTimeField(_("expires at"))
    # The user's session hash at issue (an HMAC of their password hash): a password change
    # changes it, so the token dies exactly when the user's browser sessions do.
    user_stamp = models.CharField(max_length=64, editable=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.prefix}… ({self.user})"
