from django.contrib import admin

from kesu.signoff.models import Signature


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
