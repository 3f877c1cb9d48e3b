"""Administration of helhedsplaner: read what happened, correct facts. The phase is never edited here:
only the lifecycle's transitions move a plan."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from helhedsplaner.models import Afdelingsmoede, Beslutning, Haendelse, Helhedsplan, Kommentar


@admin.register(Helhedsplan)
class HelhedsplanAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "fase", "tilstand_siden", "version"]
    list_select_related = ["indsats"]
    search_fields = ["indsats__titel"]
    readonly_fields = ["indsats", "fase", "tilstand_siden", "fase_nr", "moederunde", "version"]

    @admin.display(description="fase")
    def fase(self, plan):
        return plan.state.label


@admin.register(Beslutning)
class BeslutningAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "organ", "udfald", "dato", "journalnummer"]
    list_filter = ["organ", "udfald"]
    list_select_related = ["plan__indsats"]
    readonly_fields = ["plan", "organ", "afdeling", "afdelingsmoede", "fase", "fase_nr", "registreret_af"]


@admin.register(Afdelingsmoede)
class AfdelingsmoedeAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "afdeling", "runde", "dato", "stemmer_for", "stemmer_imod", "stemmer_blanke"]
    list_select_related = ["plan__indsats", "afdeling"]
    readonly_fields = ["plan", "afdeling", "runde", "registreret_af"]


@admin.register(Kommentar)
class KommentarAdmin(admin.ModelAdmin):
    list_display = ["plan", "sektion", "forfatter", "oprettet", "loest"]
    list_select_related = ["plan__indsats", "forfatter"]
    readonly_fields = ["plan", "sektion", "traad", "forfatter", "oprettet", "fra_personale", "loest_af"]


@admin.register(Haendelse)
class HaendelseAdmin(admin.ModelAdmin):
    """The timeline is a record of what happened: it is read here, not written."""

    list_display = ["plan", "tid", "art", "bruger"]
    list_filter = ["art"]
    list_select_related = ["plan__indsats", "bruger"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
