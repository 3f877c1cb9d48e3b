from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from screening.models import Afdeling, Bestyrelsesmedlem, Boligomraade, Boligorganisation


class BestyrelsesmedlemInline(admin.TabularInline):
    model = Bestyrelsesmedlem
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Boligorganisation)
class BoligorganisationAdmin(admin.ModelAdmin):
    search_fields = ["navn"]


@admin.register(Boligomraade)
class BoligomraadeAdmin(admin.ModelAdmin):
    search_fields = ["navn"]


@admin.register(Afdeling)
class AfdelingAdmin(SimpleHistoryAdmin):
    list_display = ["nummer", "navn", "organisation", "bydel", "boligomraade", "lejemaal", "beboere"]
    list_filter = ["organisation", "bydel", "boligomraade"]
    search_fields = ["nummer", "navn", "adresse"]
    list_select_related = ["organisation", "boligomraade"]
    inlines = [BestyrelsesmedlemInline]


@admin.register(Bestyrelsesmedlem)
class BestyrelsesmedlemAdmin(SimpleHistoryAdmin):
    list_display = ["user", "afdeling", "rolle", "valgt_dato"]
    list_filter = ["rolle"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "afdeling__navn"]
    list_select_related = ["user", "afdeling"]
    autocomplete_fields = ["user", "afdeling"]
