from django.contrib import admin

from kesu.core.admin import ReadOnlyAdminMixin
from kesu.signoff.models import Signature, SignatureRefusal


@admin.register(Signature)
class SignatureAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: signatures are evidence and are never edited or deleted."""

    list_display = ("signed_at", "printed_name", "meaning", "subject", "content_hash")
    list_filter = ("meaning",)
    search_fields = ("subject", "printed_name")


@admin.register(SignatureRefusal)
class SignatureRefusalAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: the record of wrong passwords given when signing (Part 11 §11.300(d))."""

    list_display = ("refused_at", "signer", "subject")
    search_fields = ("signer__username", "subject")
    date_hierarchy = "refused_at"
