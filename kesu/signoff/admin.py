from django.contrib import admin

from kesu.signoff.models import Signature, SignatureRefusal


@admin.register(Signature)
class SignatureAdmin(admin.ModelAdmin):
    """Read-only: signatures are evidence and are never edited or deleted."""

    list_display = ("signed_at", "printed_name", "meaning", "subject", "content_hash")
    list_filter = ("meaning",)
    search_fields = ("subject", "printed_name")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SignatureRefusal)
class SignatureRefusalAdmin(admin.ModelAdmin):
    """Read-only: the record of wrong passwords given when signing (Part 11 §11.300(d))."""

    list_display = ("refused_at", "signer", "subject")
    search_fields = ("signer__username", "subject")
    date_hierarchy = "refused_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
