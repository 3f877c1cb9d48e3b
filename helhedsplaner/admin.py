"""Administration of helhedsplaner: read what happened, correct facts. The phase is never edited here:
only the lifecycle's transitions move a plan."""

from copy import copy

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import construct_instance

from config.admin import HistoryAdmin, ReadOnlyAdmin
from helhedsplaner import actions, queries
from helhedsplaner.models import (
    Aendringsanmodning,
    Aendringsbeslutning,
    Afdelingsmoede,
    Beslutning,
    Betingelse,
    Haendelse,
    Helhedsplan,
    Kommentar,
    Rapporteringstype,
)
from indsatser import ramme
from indsatser.transitions import Refused


@admin.register(Helhedsplan)
class HelhedsplanAdmin(HistoryAdmin):
    list_display = ["__str__", "fase", "tilstand_siden", "version"]
    list_select_related = ["indsats"]
    search_fields = ["indsats__titel"]
    # The planned period is set on the plan's page, where an overlap with another helhedsplan needs a
    # confirmed reason and the register's period follows it.
    readonly_fields = [
        "indsats",
        "fase",
        "tilstand_siden",
        "fase_nr",
        "moederunde",
        "version",
        "planlagt_start",
        "varighed_aar",
    ]

    @admin.display(description="fase")
    def fase(self, plan):
        return plan.state.label

    def has_change_permission(self, request, obj=None):
        # A closed plan is the record of how it ended (indsatser/ramme.py); its indsats is corrected with a
        # reason in the Indsats admin.
        if obj is not None and ramme.is_closed(obj.indsats):
            return False
        return super().has_change_permission(request, obj)


class RecordCorrectionAdmin(HistoryAdmin):
    """Decisions and afdelingsmøder are recorded on the plan's pages, where the lifecycle's rules apply.
    Here an administrator corrects one: the model's rules are checked by the form, and the save goes
    through the same service, which writes the correction on the plan's timeline. Nothing is added or
    deleted here: a decision is corrected by a new one that replaces it."""

    correct = None  # staticmethod: the action that saves a correction (record, changed fields, acting_user=)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        self.correct(obj, form.changed_data, acting_user=request.user)


@admin.register(Beslutning)
class BeslutningAdmin(RecordCorrectionAdmin):
    """An afdelingsmøde's decision is its meeting's result: it is read here and corrected with the meeting."""

    list_display = ["plan", "organ", "udfald", "dato", "journalnummer"]
    list_filter = ["organ", "udfald"]
    list_select_related = ["plan__indsats"]
    # The tilsagn is checked against the submitted budget when it is recorded: it is read here, not changed.
    readonly_fields = [
        "plan",
        "organ",
        "afdeling",
        "afdelingsmoede",
        "fase",
        "fase_nr",
        "registreret_af",
        "registreret",
        "erstatter",
        "bevilget_beloeb",
        "afvigelse_begrundelse",
    ]
    correct = staticmethod(actions.correct_decision)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.organ == Beslutning.Organ.AFDELINGSMOEDE:
            return False
        return super().has_change_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        # The plan has moved on because of the outcome: it is corrected by the lifecycle, not here.
        if obj is not None and queries.outcome_settled(obj):
            return [*self.readonly_fields, "udfald"]
        return self.readonly_fields


class MeetingCorrectionForm(forms.ModelForm):
    """The meeting's rules (the model's clean) and, once the plan has moved on from the meetings, its
    outcome kept: the same check the correction's service makes, shown as the form's error."""

    class Meta:
        help_texts = {"stemmer_for": Afdelingsmoede.MAJORITY_RULE}

    def clean(self):
        cleaned = super().clean()
        try:
            actions.check_meeting_correction(construct_instance(self, copy(self.instance)))
        except Refused as refused:
            raise ValidationError(refused.problems) from refused
        return cleaned


@admin.register(Betingelse)
class BetingelseAdmin(ReadOnlyAdmin, HistoryAdmin):
    """A tilsagn's conditions are read here; staff mark them met on the plan's page (a timeline entry)."""

    list_display = ["plan", "tekst", "frist", "ansvarlig", "status"]
    list_filter = ["status"]
    list_select_related = ["plan__indsats", "ansvarlig"]


@admin.register(Afdelingsmoede)
class AfdelingsmoedeAdmin(RecordCorrectionAdmin):
    form = MeetingCorrectionForm
    list_display = ["plan", "afdeling", "runde", "dato", "stemmer_for", "stemmer_imod", "stemmer_blanke"]
    list_select_related = ["plan__indsats", "afdeling"]
    readonly_fields = [
        "plan",
        "afdeling",
        "runde",
        "registreret_af",
        "udgift_pr_aar",
        "udgift_pr_lejemaal_pr_aar",
    ]
    correct = staticmethod(actions.correct_meeting)


@admin.register(Kommentar)
class KommentarAdmin(admin.ModelAdmin):
    list_display = ["plan", "sektion", "forfatter", "oprettet", "loest"]
    list_select_related = ["plan__indsats", "forfatter"]
    readonly_fields = ["plan", "sektion", "traad", "forfatter", "oprettet", "fra_personale", "loest_af"]


@admin.register(Haendelse)
class HaendelseAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """The timeline is a record of what happened: it is read here, not written."""

    list_display = ["plan", "tid", "art", "bruger"]
    list_filter = ["art"]
    list_select_related = ["plan__indsats", "bruger"]


class AendringsbeslutningInline(admin.TabularInline):
    model = Aendringsbeslutning
    extra = 0
    can_delete = False
    readonly_fields = [
        "organ",
        "dato",
        "udfald",
        "journalnummer",
        "bevilget_beloeb",
        "afvigelse_begrundelse",
        "bemaerkning",
        "dokument_navn",
        "registreret_af",
        "registreret",
        "erstatter",
    ]
    exclude = ["dokument"]  # the letter is downloaded from the change request's page

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Aendringsanmodning)
class AendringsanmodningAdmin(ReadOnlyAdmin, HistoryAdmin):
    """Read here: a change request is written, sent and decided on the plan's pages, where the frame's
    rules hold (helhedsplaner/actions.py)."""

    list_display = ["__str__", "status", "oprettet", "afgjort"]
    list_filter = ["status"]
    list_select_related = ["plan__indsats"]
    inlines = [AendringsbeslutningInline]


@admin.register(Rapporteringstype)
class RapporteringstypeAdmin(admin.ModelAdmin):
    """What the funders expect each year of a funding period, and by when: changed here when a period's
    regulations say otherwise. Plans already active keep their obligations until their period changes."""

    list_display = ["navn", "periode", "art", "fristregel", "maaneder", "dag", "maaned", "aar_forskydning"]
    list_filter = ["periode", "art"]
