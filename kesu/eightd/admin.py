from auditlog.registry import auditlog
from django.contrib import admin

from kesu.eightd.models import EightDProfile


@admin.register(EightDProfile)
class EightDProfileAdmin(admin.ModelAdmin):
    """Customers' 8D requirements. Changes apply to 8Ds that start afterwards; deadlines already
    running keep the limits they started with."""

    list_display = ("__str__", "calendar", "d3_hours", "d4_hours", "d8_hours",
                    "general_short_form")
    autocomplete_fields = ("customer",)
    fieldsets = (
        (None, {"fields": ("customer", "calendar", "general_short_form")}),
        (None, {"fields": (("d1_hours", "d2_hours", "d3_hours", "d4_hours"),
                           ("d5_hours", "d6_hours", "d7_hours", "d8_hours"))}),
    )

    def has_delete_permission(self, request, obj=None):
        # Kept as evidence of what a customer required; edit the hours instead.
        return False


auditlog.register(EightDProfile)
