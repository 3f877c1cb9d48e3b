from django.contrib import admin

from config.admin import HistoryAdmin, ReadOnlyAdmin
from finansiering.models import Budgetversion, Fordelingsnoegle, Omkostningstype


@admin.register(Omkostningstype)
class OmkostningstypeAdmin(HistoryAdmin):
    """Reference data: rename, add or retire cost types (a retired type stays on the lines that use it)."""

    list_display = ["navn", "kode", "sortering", "aktiv"]
    list_editable = ["sortering", "aktiv"]
    search_fields = ["navn", "kode"]


@admin.register(Budgetversion)
class BudgetversionAdmin(ReadOnlyAdmin, HistoryAdmin):
    """Read-only here: budgets are changed through the application, where locking and versions are kept."""

    list_display = ["indsats", "nummer", "fase", "oprettet", "godkendt_tidspunkt"]
    list_filter = ["fase"]
    search_fields = ["indsats__titel"]
    list_select_related = ["indsats"]


@admin.register(Fordelingsnoegle)
class FordelingsnoegleAdmin(HistoryAdmin):
    list_display = ["indsats", "afdelingsgrundlag", "afvigelsesgraense"]
    search_fields = ["indsats__titel"]
    list_select_related = ["indsats"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
