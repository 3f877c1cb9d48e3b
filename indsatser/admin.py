from django import forms
from django.contrib import admin

from config.admin import HistoryAdmin, ReadOnlyAdmin
from indsatser import actions, ramme
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
    list_display = ["navn", "kode", "enhed", "bymaal", "hoejere_er_bedre"]
    list_filter = ["bymaal"]
    search_fields = ["navn", "kode"]


@admin.register(Aktivitetstype)
class AktivitetstypeAdmin(HistoryAdmin):
    list_display = ["navn", "evidens", "maalgruppe", "indsatsomraade", "i_brug"]
    list_filter = ["evidens", "i_brug"]
    search_fields = ["navn", "beskrivelse"]


class AktivitetInline(admin.TabularInline):
    model = Aktivitet
    extra = 0
    fields = ["aktivitetstype", "betegnelse", "indsatsomraade", "status", "forankring"]

    def has_delete_permission(self, request, obj=None):
        # An activity of an indsats that has started ends with a forankring; it is not deleted.
        if obj is not None and obj.status in actions.RUNNING:
            return False
        return super().has_delete_permission(request, obj)


class AfslutningsvurderingInline(admin.TabularInline):
    """The closing criteria, corrected here with the indsats: on a closed indsats only with the reason its
    form asks for, which goes on the timeline. Assessed on the indsats's page, never deleted here."""

    model = Afslutningsvurdering
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class HaendelseInline(admin.TabularInline):
    model = IndsatsHaendelse
    extra = 0
    can_delete = False
    readonly_fields = ["tidspunkt", "bruger", "overgang", "fra_status", "til_status", "kommentar"]

    def has_add_permission(self, request, obj=None):
        return False


class IndsatsAdminForm(forms.ModelForm):
    """A closed indsats is corrected only with a reason: it goes on the indsats's timeline and history."""

    rettelse = forms.CharField(
        label="Begrundelse for rettelsen",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kræves, når indsatsen er afsluttet: hvad rettes, og hvorfor.",
    )

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and ramme.is_closed(self.instance) and not cleaned.get("rettelse", "").strip():
            self.add_error("rettelse", "Indsatsen er afsluttet: skriv, hvorfor den rettes.")
        return cleaned


@admin.register(Indsats)
class IndsatsAdmin(HistoryAdmin):
    form = IndsatsAdminForm
    list_display = ["titel", "type", "status", "startdato", "slutdato"]
    list_filter = ["type", "status", "periode"]
    search_fields = ["titel"]
    filter_horizontal = ["afdelinger", "maal", "indsatsomraader", "maalgrupper", "partnere"]
    # The status follows the lifecycle (the register's, or the helhedsplan's), never a hand edit.
    readonly_fields = ["status", "ramme_laast", "afsluttet_af", "afsluttet_tidspunkt"]
    inlines = [AktivitetInline, AfslutningsvurderingInline, HaendelseInline]

    def has_delete_permission(self, request, obj=None):
        # An indsats that has run (its activities end with a forankring) or whose frame is with or approved
        # by the funders is the record of what happened; it is not deleted. The bulk delete asks this too.
        if obj is not None and (obj.status in actions.RUNNING or ramme.frame_locked(obj)):
            return False
        return super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        # The approved frame changes only through an ændring af godkendt plan (indsatser/ramme.py); before
        # that, a helhedsplan's afdelinger and period are set on its own pages, where an overlap with another
        # helhedsplan needs a confirmed reason and the change reaches the timeline.
        if obj is not None and (ramme.frame_locked(obj) or obj.type.has_own_lifecycle):
            fields += [name for name in ramme.FRAME_FIELDS if name not in fields]
        return fields

    def save_model(self, request, obj, form, change):
        if change and ramme.is_closed(obj):
            reason = form.cleaned_data.get("rettelse", "").strip()
            actions.correct_closed_indsats(obj, reason, acting_user=request.user)
        else:
            super().save_model(request, obj, form, change)


@admin.register(Afslutningsvurdering)
class AfslutningsvurderingAdmin(ReadOnlyAdmin, HistoryAdmin):
    """Read here: the criteria are assessed on the indsats's page and corrected with the indsats (its
    inline), where a closed indsats's correction asks for a reason."""

    list_display = ["indsats", "kriterium", "opfyldt"]
    list_filter = ["kriterium", "opfyldt"]


@admin.register(Kontaktperson)
class KontaktpersonAdmin(HistoryAdmin):
    list_display = ["navn", "afdeling", "rolle", "fra_dato", "til_dato"]
    search_fields = ["navn", "afdeling__navn", "afdeling__nummer"]
    list_select_related = ["afdeling"]
    actions = ["anonymise"]

    @admin.action(description="Fjern personoplysninger (navn erstattes, historikken bevares)")
    def anonymise(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        actions.anonymise_kontaktpersoner(ids, acting_user=request.user)
        self.message_user(request, f"Personoplysningerne er fjernet for {len(ids)} kontaktperson(er).")
