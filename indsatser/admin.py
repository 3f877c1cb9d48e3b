from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from indsatser.models import (
    Afslutningsvurdering,
    Aktivitet,
    Aktivitetstype,
    Bymaal,
    Finansieringsperiode,
    Indikator,
    Indsats,
    IndsatsHaendelse,
    Indsatsomraade,
    Indsatstype,
    Kontaktperson,
    Maal,
    Maalgruppe,
    Partner,
    Partnertype,
)


@admin.register(Indsatstype)
class IndsatstypeAdmin(admin.ModelAdmin):
    list_display = ["navn", "kode", "normal_varighed_aar", "sortering"]
    filter_horizontal = ["maal"]
    readonly_fields = ["kode"]


class IndsatsomraadeInline(admin.TabularInline):
    model = Indsatsomraade
    extra = 1


@admin.register(Finansieringsperiode)
class FinansieringsperiodeAdmin(admin.ModelAdmin):
    list_display = ["navn", "startaar", "slutaar"]
    inlines = [IndsatsomraadeInline]


@admin.register(Maal, Bymaal)
class NumberedAdmin(admin.ModelAdmin):
    list_display = ["nummer", "navn"]


@admin.register(Maalgruppe, Partnertype)
class SortedAdmin(admin.ModelAdmin):
    list_display = ["navn", "sortering"]


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["navn", "partnertype"]
    list_filter = ["partnertype"]
    search_fields = ["navn"]


@admin.register(Indikator)
class IndikatorAdmin(admin.ModelAdmin):
    list_display = ["navn", "enhed", "bymaal", "hoejere_er_bedre"]
    list_filter = ["bymaal"]
    search_fields = ["navn"]


@admin.register(Aktivitetstype)
class AktivitetstypeAdmin(SimpleHistoryAdmin):
    list_display = ["navn", "evidens", "maalgruppe", "indsatsomraade", "i_brug"]
    list_filter = ["evidens", "i_brug"]
    search_fields = ["navn", "beskrivelse"]


class AktivitetInline(admin.TabularInline):
    model = Aktivitet
    extra = 0
    fields = ["aktivitetstype", "betegnelse", "indsatsomraade", "status", "forankring"]


class HaendelseInline(admin.TabularInline):
    model = IndsatsHaendelse
    extra = 0
    can_delete = False
    readonly_fields = ["tidspunkt", "bruger", "overgang", "fra_status", "til_status", "kommentar"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Indsats)
class IndsatsAdmin(SimpleHistoryAdmin):
    list_display = ["titel", "type", "status", "startdato", "slutdato"]
    list_filter = ["type", "status", "periode"]
    search_fields = ["titel"]
    filter_horizontal = ["afdelinger", "maal", "indsatsomraader", "maalgrupper", "partnere"]
    # The status follows the lifecycle (the register's, or the helhedsplan's), never a hand edit.
    readonly_fields = ["status", "afsluttet_af", "afsluttet_tidspunkt"]
    inlines = [AktivitetInline, HaendelseInline]


@admin.register(Afslutningsvurdering)
class AfslutningsvurderingAdmin(SimpleHistoryAdmin):
    list_display = ["indsats", "kriterium", "opfyldt"]
    list_filter = ["kriterium", "opfyldt"]


@admin.register(Kontaktperson)
class KontaktpersonAdmin(SimpleHistoryAdmin):
    list_display = ["navn", "afdeling", "rolle", "fra_dato", "til_dato"]
    search_fields = ["navn", "afdeling__navn", "afdeling__nummer"]
    list_select_related = ["afdeling"]
    actions = ["anonymise"]

    @admin.action(description="Fjern personoplysninger (navn erstattes, historikken bevares)")
    def anonymise(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        values = {"navn": "(fjernet person)", "telefon": "", "email": ""}
        Kontaktperson.objects.filter(pk__in=ids).update(**values)
        # The history holds the same personal data; it is scrubbed too, so the person is gone everywhere.
        Kontaktperson.history.filter(id__in=ids).update(**values)
        self.message_user(request, f"Personoplysningerne er fjernet for {len(ids)} kontaktperson(er).")
