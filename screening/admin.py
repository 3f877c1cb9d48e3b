from django.contrib import admin
from django.db.models import Min, Q

from config.admin import HistoryAdmin
from screening import results
from screening.models import (
    Afdeling,
    Bestyrelsesmedlem,
    Boligomraade,
    Boligorganisation,
    Indikator,
    Maaling,
    Regelsaet,
    Risikomodel,
    Risikotaerskel,
    Screeningsimport,
    Screeningsrunde,
    Vurdering,
)


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
class AfdelingAdmin(HistoryAdmin):
    list_display = ["nummer", "navn", "organisation", "bydel", "boligomraade", "lejemaal", "beboere"]
    list_filter = ["organisation", "bydel", "boligomraade"]
    search_fields = ["nummer", "navn", "adresse"]
    list_select_related = ["organisation", "boligomraade"]
    inlines = [BestyrelsesmedlemInline]

    def has_delete_permission(self, request, obj=None):
        # An afdeling in a frame sent to or approved by the funders, or in a closed indsats, is part of that
        # record (indsatser/ramme.py): it leaves such a plan only through an approved change request. The
        # admin's bulk delete asks this for every afdeling it would delete, too.
        if obj is not None and obj.indsatser.filter(Q(ramme_laast=True) | Q(status="afsluttet")).exists():
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Bestyrelsesmedlem)
class BestyrelsesmedlemAdmin(HistoryAdmin):
    list_display = ["user", "afdeling", "rolle", "valgt_dato", "valgt_til", "fratraadt"]
    list_filter = ["rolle", ("fratraadt", admin.EmptyFieldListFilter)]
    search_fields = ["user__username", "user__first_name", "user__last_name", "afdeling__navn"]
    list_select_related = ["user", "afdeling"]
    autocomplete_fields = ["user", "afdeling"]


# --- screening -----------------------------------------------------------------------------------------


@admin.register(Indikator)
class IndikatorAdmin(admin.ModelAdmin):
    list_display = ["kode", "kort_navn", "enhed", "retning", "niveau", "officiel", "kilde"]
    list_filter = ["officiel", "niveau", "enhed"]
    search_fields = ["kode", "navn"]


@admin.register(Regelsaet)
class RegelsaetAdmin(HistoryAdmin):
    list_display = ["navn", "kode", "scenarie", "gyldig_fra_aar", "gyldig_til_aar", "vedvarende_runder"]


class RisikotaerskelInline(admin.TabularInline):
    model = Risikotaerskel
    extra = 0
    autocomplete_fields = ["indikator"]


@admin.register(Risikomodel)
class RisikomodelAdmin(HistoryAdmin):
    """A new version for a later year: open the current one, change its start year and "Gem som ny"."""

    list_display = [
        "navn",
        "gyldig_fra_aar",
        "graense_ejendomsfunktionaer",
        "graense_udviklingsprojekt",
        "graense_helhedsplan",
    ]
    inlines = [RisikotaerskelInline]
    save_as = True


@admin.register(Screeningsrunde)
class ScreeningsrundeAdmin(HistoryAdmin):
    list_display = ["aar", "status", "regelsaet", "landsgennemsnit_domfaeldte_pct", "afsluttet"]
    list_filter = ["status"]
    list_select_related = ["regelsaet"]
    readonly_fields = ["afsluttet", "afsluttet_af"]


@admin.register(Maaling)
class MaalingAdmin(admin.ModelAdmin):
    list_display = ["runde", "indikator", "afdeling", "boligomraade", "vaerdi", "kilde"]
    list_filter = ["runde", "indikator"]
    list_select_related = ["runde", "indikator", "afdeling", "boligomraade"]
    search_fields = ["afdeling__navn", "afdeling__nummer", "boligomraade__navn"]
    autocomplete_fields = ["afdeling", "boligomraade"]

    # Saves mark the stored results and counts stale through a receiver (screening.results); deletes are
    # marked here.
    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        results.mark_stale(from_aar=obj.runde.aar)
        results.forget_counts(Screeningsrunde.objects.filter(pk=obj.runde_id))

    def delete_queryset(self, request, queryset):
        first_year = queryset.aggregate(first=Min("runde__aar"))["first"]
        round_ids = list(queryset.order_by().values_list("runde", flat=True).distinct())
        super().delete_queryset(request, queryset)
        if first_year is not None:
            results.mark_stale(from_aar=first_year)
            results.forget_counts(Screeningsrunde.objects.filter(pk__in=round_ids))


@admin.register(Vurdering)
class VurderingAdmin(HistoryAdmin):
    list_display = [
        "afdeling",
        "runde",
        "foreslaaet_type",
        "beslutning",
        "valgt_type",
        "besluttet_af",
        "besluttet",
    ]
    list_filter = ["runde", "beslutning", "valgt_type"]
    list_select_related = ["afdeling", "runde", "besluttet_af"]
    autocomplete_fields = ["afdeling"]


@admin.register(Screeningsimport)
class ScreeningsimportAdmin(admin.ModelAdmin):
    list_display = ["filnavn", "aar", "status", "oprettet_af", "created", "resultat", "error"]
    list_filter = ["status"]
    exclude = ["indhold"]
    readonly_fields = [
        "status",
        "aar",
        "landsgennemsnit_domfaeldte_pct",
        "filnavn",
        "progress",
        "resultat",
        "error",
        "row_errors",
        "oprettet_af",
        "created",
        "sent",
        "started",
        "finished",
        "attempts",
    ]

    def has_add_permission(self, request):
        # Imports start from the upload page, which checks the file before anything is stored.
        return False
