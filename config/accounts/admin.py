from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from config.accounts import actions
from config.accounts.models import ProviderIdentity, SecondFactorEvent
from config.admin import ReadOnlyAdmin

# The apps' secrets are never shown, and devices change only through accounts.actions (recorded).
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)


class UserWithSecondFactorAdmin(UserAdmin):
    actions = ["reset_second_factor"]

    @admin.action(description="Nulstil totrinslogin (ny app ved næste login)")
    def reset_second_factor(self, request, queryset):
        for user in queryset:
            actions.reset_app(user, acting_user=request.user)
        messages.success(request, f"Totrinslogin er nulstillet for {queryset.count()} bruger(e).")


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), UserWithSecondFactorAdmin)


@admin.register(SecondFactorEvent)
class SecondFactorEventAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["at", "user", "kind", "acting_user"]
    list_filter = ["kind"]
    search_fields = ["user__username", "acting_user__username"]
    list_select_related = ["user", "acting_user"]


@admin.register(ProviderIdentity)
class ProviderIdentityAdmin(admin.ModelAdmin):
    """Which user each fsb account logs in as. An administrator links an account the login could not link by
    itself (the refusal is logged with the account's subject), or removes a link."""

    list_display = ["user", "subject", "issuer", "created_at"]
    search_fields = ["user__username", "user__email", "subject"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
