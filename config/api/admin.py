from django.contrib import admin

from config.api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Read only: a token is made and revoked by its owner on their own page."""

    list_display = ["navn", "user", "begyndelse", "oprettet", "udloeber", "sidst_brugt", "tilbagekaldt"]
    search_fields = ["navn", "user__username"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
