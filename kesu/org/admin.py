"""Administration of the organisation (SPEC §1). Nothing is deleted (SPEC §13): users are
deactivated, departments marked inactive."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from kesu.org.models import Center, Department, Process, User


class NoDeleteAdmin(admin.ModelAdmin):
    """Records are kept for the life of the product (IATF 16949 7.5.3.2.1): no delete button,
    no "delete selected" action."""

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Center)
class CenterAdmin(NoDeleteAdmin):
    list_display = ["code", "name", "head"]
    search_fields = ["code", "name"]
    list_select_related = ["head"]
    autocomplete_fields = ["head"]


@admin.register(Department)
class DepartmentAdmin(NoDeleteAdmin):
    list_display = ["code", "name", "center", "manager", "sees_all_complaints", "active"]
    list_filter = ["center", "active", "sees_all_complaints"]
    search_fields = ["code", "name"]
    list_select_related = ["center", "manager"]
    autocomplete_fields = ["manager"]


@admin.register(Process)
class ProcessAdmin(NoDeleteAdmin):
    list_display = ["kind", "owning_department", "owner"]
    list_select_related = ["owning_department", "owner"]
    autocomplete_fields = ["owning_department", "owner"]


@admin.register(User)
class UserAdmin(NoDeleteAdmin, DjangoUserAdmin):
    list_display = [
        "username",
        "display_name",
        "role",
        "department",
        "customer",
        "is_active",
        "is_staff",
    ]
    list_filter = ["role", "department", "is_active", "is_staff", "is_superuser"]
    search_fields = ["username", "display_name", "first_name", "last_name", "email"]
    list_select_related = ["department", "customer"]
    autocomplete_fields = ["department", "customer"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Kesu"), {"fields": ("display_name", "role", "department", "customer", "language")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Kesu"), {"fields": ("display_name", "email", "role", "department", "customer")}),
    )
