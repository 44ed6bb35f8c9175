"""Administration of master data (SPEC §2). Nothing is deleted (SPEC §13): products and defect
codes are switched off with `active`, customers and suppliers with their cooperation status."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from kesu.masterdata.exporting import export_download
from kesu.masterdata.models import (
    Contact,
    Customer,
    DefectCode,
    Lot,
    Product,
    ProductLine,
    Supplier,
)


class MasterDataAdmin(admin.ModelAdmin):
    """No delete button and no "delete selected"; an export of the selection instead."""

    # The spreadsheet kind (kesu.masterdata.columns) exported by the action.
    sheet_kind = ""
    actions = ["export_selected"]

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not self.sheet_kind:
            actions.pop("export_selected", None)
        return actions

    @admin.action(description=_("Export selected to Excel"), permissions=["view"])
    def export_selected(self, request, queryset):
        return export_download(self.sheet_kind, queryset)


class ContactInline(admin.TabularInline):
    model = Contact
    fields = ["name", "title", "phone", "email"]
    extra = 0

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Customer)
class CustomerAdmin(MasterDataAdmin):
    sheet_kind = "customers"
    list_display = ["code", "name", "grade", "status", "verification_lots"]
    list_filter = ["grade", "status"]
    search_fields = ["code", "name", "contacts__name"]
    inlines = [ContactInline]


@admin.register(Contact)
class ContactAdmin(MasterDataAdmin):
    list_display = ["name", "customer", "title", "phone", "email"]
    list_filter = ["customer__grade"]
    search_fields = ["name", "phone", "email", "customer__code", "customer__name"]
    list_select_related = ["customer"]
    autocomplete_fields = ["customer"]


@admin.register(ProductLine)
class ProductLineAdmin(MasterDataAdmin):
    sheet_kind = "product-lines"
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Product)
class ProductAdmin(MasterDataAdmin):
    sheet_kind = "products"
    list_display = ["code", "name", "product_line", "grade", "active"]
    list_filter = ["product_line", "grade", "active"]
    search_fields = ["code", "name"]
    list_select_related = ["product_line"]


@admin.register(Supplier)
class SupplierAdmin(MasterDataAdmin):
    sheet_kind = "suppliers"
    list_display = ["code", "name", "contact_name", "phone", "email", "status"]
    list_filter = ["status"]
    search_fields = ["code", "name", "contact_name"]


class DefectGroupFilter(admin.SimpleListFilter):
    title = _("group")
    parameter_name = "group"

    def lookups(self, request, model_admin):
        groups = DefectCode.objects.filter(parent__isnull=True).order_by("code")
        return [(str(group.pk), group.name) for group in groups]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(parent_id=self.value())
        return queryset


@admin.register(DefectCode)
class DefectCodeAdmin(MasterDataAdmin):
    sheet_kind = "defect-codes"
    list_display = ["code", "name", "parent", "active"]
    list_filter = [DefectGroupFilter, "active"]
    search_fields = ["code", "name", "parent__name"]
    list_select_related = ["parent"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            # Two levels: only a group can be a parent.
            kwargs["queryset"] = DefectCode.objects.filter(parent__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Lot)
class LotAdmin(MasterDataAdmin):
    sheet_kind = "lots"
    list_display = ["number", "product", "customer", "quantity", "ship_date", "delivery_date"]
    list_filter = ["product__product_line", "customer__grade"]
    search_fields = ["number", "product__code", "product__name", "customer__code", "customer__name"]
    date_hierarchy = "ship_date"
    list_select_related = ["product", "customer"]
    autocomplete_fields = ["product", "customer"]
