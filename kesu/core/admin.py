"""Admin pieces every app may use."""


class ReadOnlyAdminMixin:
    """Records that are evidence (signatures, deliveries, recalculations): shown, never added,
    edited or deleted through the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
