"""The admin's one read-only shape, for the records that are written only through the application's rules
(budgets with their states, decisions' conditions, change requests, closing criteria, the timeline)."""


class ReadOnlyAdmin:
    """Mixed into a ModelAdmin before it: the admin lists and shows the rows, and never adds, changes or
    deletes them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
