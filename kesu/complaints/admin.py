"""Complaints in the admin: to look, never to change. Every change to a complaint goes through
the services so that it is guarded and leaves an event (STYLE habits 2, 3); routing rules are
configuration and are edited here (habit 6)."""

from django.contrib import admin

from kesu.complaints.models import Attachment, Complaint, ComplaintEvent, RoutingRule
from kesu.core.admin import ReadOnlyAdminMixin


class ComplaintEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ComplaintEvent
    fields = ["at", "type", "action", "from_status", "to_status", "actor", "visibility", "note"]
    readonly_fields = fields
    ordering = ["at", "id"]
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "number",
        "status",
        "kind",
        "category",
        "severity",
        "customer",
        "title",
        "responsible_department",
        "handler",
        "tracker",
        "received_at",
    ]
    list_filter = ["status", "kind", "category", "severity", "channel", "responsible_department"]
    search_fields = ["number", "title", "customer__code", "customer__name", "order_number"]
    date_hierarchy = "received_at"
    list_select_related = ["customer", "responsible_department", "handler", "tracker"]
    inlines = [ComplaintEventInline]


@admin.register(ComplaintEvent)
class ComplaintEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["complaint", "at", "type", "action", "from_status", "to_status", "actor"]
    list_filter = ["type", "action", "visibility"]
    search_fields = ["complaint__number", "note"]
    date_hierarchy = "at"
    list_select_related = ["complaint", "actor"]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["original_name", "complaint", "content_type", "size", "uploaded_by"]
    search_fields = ["original_name", "complaint__number", "sha256"]
    list_select_related = ["complaint", "uploaded_by"]


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = [
        "priority",
        "name",
        "kind",
        "category",
        "severity",
        "product_line",
        "customer",
        "department",
        "handler",
        "tracker",
        "active",
    ]
    list_display_links = ["name"]
    list_filter = ["active", "kind", "category", "severity", "department"]
    search_fields = ["name"]
    list_select_related = ["product_line", "customer", "department", "handler", "tracker"]
    autocomplete_fields = ["product_line", "customer", "department", "handler", "tracker"]

    def has_delete_permission(self, request, obj=None):
        # Switch a rule off with "active": past complaints name the rule that routed them.
        return False
