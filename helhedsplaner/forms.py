from django import forms
from django.utils import formats, timezone

from config.web.forms import DkfdsFormMixin
from finansiering.forms import AmountField, ModtagetUdbetalingForm
from finansiering.queries import period_years
from helhedsplaner import uploads
from helhedsplaner.lifecycle import IDE, STATE_CHOICES, needed_before
from helhedsplaner.models import (
    Aendringsbeslutning,
    Afdelingsmoede,
    Beslutning,
    Helhedsplan,
    Levering,
    Milepael,
    Organisationsmedlem,
    Pakke,
    Pakkeeksport,
    Rapporteringsforpligtelse,
    Reguleringspost,
)
from indsatser.forms import OverlapConfirmationMixin, StaffChoiceField
from indsatser.goals import parse_goal_figure
from indsatser.models import Finansieringsperiode, Maaltal
from screening.afdeling_picker import AfdelingPickerField, AfdelingSearchMixin


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


AFDELINGER_HELP = "Søg afdelingerne frem, og sæt flueben ved dem, der skal med."


class NeededBeforeMixin:
    """Fields the plan may leave empty for now but not past its next step that needs them: marked with that
    step (the lifecycle's guards say which) instead of "(valgfri)" (includes/form_fields.html)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plan = getattr(self, "instance", None)
        for name, transition in needed_before(plan.tilstand if plan else IDE).items():
            if name in self.fields:
                self.fields[name].needed_before = transition.label


class PlanCreateForm(
    NeededBeforeMixin, AfdelingSearchMixin, OverlapConfirmationMixin, DkfdsFormMixin, forms.Form
):
    titel = forms.CharField(
        label="Titel", max_length=200, help_text="Fx 'Helhedsplan for Tingbjerg 2026-2030'."
    )
    afdelinger = AfdelingPickerField(help_text=AFDELINGER_HELP)
    ansvarlig = StaffChoiceField()
    planlagt_start = forms.DateField(label="Planlagt start", required=False, widget=DateInput)
    varighed_aar = forms.IntegerField(label="Varighed (år)", min_value=1, max_value=10, initial=4)
    resume = forms.CharField(label="Idéen kort", required=False, widget=forms.Textarea(attrs={"rows": 4}))


class PlanTextForm(
    NeededBeforeMixin, AfdelingSearchMixin, OverlapConfirmationMixin, DkfdsFormMixin, forms.ModelForm
):
    """The plan's text and facts. `version` is the version the form was opened on."""

    titel = forms.CharField(label="Titel", max_length=200)
    afdelinger = AfdelingPickerField(help_text=AFDELINGER_HELP)
    ansvarlig = StaffChoiceField()
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Helhedsplan
        fields = ["planlagt_start", "varighed_aar", "resume", "analyse", "maal", "organisering"]
        widgets = {
            "planlagt_start": DateInput,
            "resume": forms.Textarea(attrs={"rows": 6}),
            "analyse": forms.Textarea(attrs={"rows": 14}),
            "maal": forms.Textarea(attrs={"rows": 8}),
            "organisering": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            indsats = self.instance.indsats
            afdelinger = list(indsats.afdelinger.select_related("organisation", "boligomraade"))
            self.know_afdelinger(afdelinger)
            self.initial.update(
                titel=indsats.titel,
                ansvarlig=indsats.ansvarlig_id,
                afdelinger=[afdeling.pk for afdeling in afdelinger],
                version=self.instance.version,
            )


class TransitionFormBase(OverlapConfirmationMixin, DkfdsFormMixin, forms.Form):
    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("startdato"), cleaned.get("slutdato")
        if start and end and end <= start:
            self.add_error("slutdato", "Slutdatoen skal ligge efter startdatoen.")
        return cleaned


def transition_form_class(transition):
    """The dialog form for a transition, built from the inputs its declaration asks for."""
    fields = {"fase_nr": forms.IntegerField(widget=forms.HiddenInput)}
    for spec in transition.inputs:
        if spec.kind == "date":
            field = forms.DateField(
                label=spec.label, required=spec.required, help_text=spec.help, widget=DateInput
            )
        else:
            field = forms.CharField(
                label=spec.label,
                required=spec.required,
                help_text=spec.help,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
        fields[spec.name] = field
    return type("TransitionForm", (TransitionFormBase,), fields)


class GrantField(AmountField):
    """An amount in kroner as Danes type it; blank means no amount (not 0)."""

    def to_python(self, value):
        if not (value or "").strip():
            return None
        return super().to_python(value)


class BaseDecisionForm(DkfdsFormMixin, forms.ModelForm):
    """The fields every decision is recorded with (models.AbstractBeslutning), for the organs the plan or
    the change awaits."""

    bevilget_beloeb = GrantField(label="Bevilget beløb (kr.)")

    class Meta:
        fields = [
            "organ",
            "dato",
            "udfald",
            "journalnummer",
            "bevilget_beloeb",
            "afvigelse_begrundelse",
            "bemaerkning",
            "dokument",
        ]
        widgets = {
            "dato": DateInput,
            "afvigelse_begrundelse": forms.Textarea(attrs={"rows": 2}),
            "bemaerkning": forms.Textarea(attrs={"rows": 3}),
            "dokument": forms.ClearableFileInput(attrs={"accept": uploads.ACCEPT}),
        }
        help_texts = {"dokument": uploads.HELP_TEXT}

    def __init__(self, *args, organs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organ"].choices = [(organ, Beslutning.Organ(organ).label) for organ in organs]
        if len(organs) == 1:
            self.fields["organ"].initial = organs[0]

    def clean_dokument(self):
        document = self.cleaned_data.get("dokument")
        return uploads.validate(document) if document else document


class DecisionForm(BaseDecisionForm):
    fase_nr = forms.IntegerField(widget=forms.HiddenInput)

    class Meta(BaseDecisionForm.Meta):
        model = Beslutning
        help_texts = {
            **BaseDecisionForm.Meta.help_texts,
            "afvigelse_begrundelse": "Kun hvis det bevilgede beløb afviger fra partens andel af det "
            "indsendte budget: hvorfor?",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bevilget_beloeb"].help_text = (
            "Tilsagnet: det beløb, Landsbyggefonden eller kommunen bevilger, når de godkender planen. "
            "Fx 18.750.000,00."
        )


class ConditionForm(DkfdsFormMixin, forms.Form):
    """One condition of a decision: what, by when, and who follows up. A blank row is no condition."""

    tekst = forms.CharField(
        label="Betingelse", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    frist = forms.DateField(label="Frist", required=False, widget=DateInput)
    ansvarlig = StaffChoiceField(label="Følges op af", empty_label="Vælg medarbejder")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("tekst", "").strip():
            if not cleaned.get("frist"):
                self.add_error("frist", "Sæt en frist for betingelsen.")
            if not cleaned.get("ansvarlig"):
                self.add_error("ansvarlig", "Vælg, hvem der følger op på betingelsen.")
        elif cleaned.get("frist") or cleaned.get("ansvarlig"):
            self.add_error("tekst", "Skriv betingelsen.")
        return cleaned


class BaseConditionFormSet(forms.BaseFormSet):
    def conditions(self) -> list[dict]:
        """The filled-in rows, as the data actions.record_decision takes."""
        return [
            {
                "tekst": form.cleaned_data["tekst"].strip(),
                **{k: form.cleaned_data[k] for k in ("frist", "ansvarlig")},
            }
            for form in self.forms
            if form.cleaned_data.get("tekst", "").strip()
        ]


ConditionFormSet = forms.formset_factory(
    ConditionForm, formset=BaseConditionFormSet, extra=3, max_num=10, validate_max=True
)
CONDITIONS_HELP = (
    "Ved «godkendt med betingelser»: hver betingelse med frist og den medarbejder, der følger op."
)


class ConditionMetForm(DkfdsFormMixin, forms.Form):
    note = forms.CharField(
        label="Hvordan er betingelsen opfyldt?",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    dokument = forms.FileField(
        label="Dokumentation",
        required=False,
        help_text=uploads.HELP_TEXT,
        widget=forms.ClearableFileInput(attrs={"accept": uploads.ACCEPT}),
    )

    def clean_dokument(self):
        document = self.cleaned_data.get("dokument")
        return uploads.validate(document) if document else document

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("note", "").strip() and not cleaned.get("dokument") and not self.errors:
            raise forms.ValidationError(
                "Skriv en note eller vedhæft et dokument, der viser, at betingelsen er opfyldt."
            )
        return cleaned


class MeetingForm(DkfdsFormMixin, forms.ModelForm):
    nyt_referat = forms.FileField(
        label="Referat",
        required=False,
        help_text=uploads.HELP_TEXT,
        widget=forms.ClearableFileInput(attrs={"accept": uploads.ACCEPT}),
    )

    class Meta:
        model = Afdelingsmoede
        fields = [
            "dato",
            "indkaldt_dato",
            "husstande",
            "stemmer_for",
            "stemmer_imod",
            "stemmer_blanke",
            "urafstemning",
            "ur_for",
            "ur_imod",
            "ur_blanke",
        ]
        widgets = {"dato": DateInput, "indkaldt_dato": DateInput}
        help_texts = {
            "husstande": "Hver fremmødt husstand har 2 stemmer. Højst afdelingens antal lejemål. "
            "Udfyld efter mødet.",
            "stemmer_for": Afdelingsmoede.MAJORITY_RULE,
            "urafstemning": "Hvis en urafstemning blandt alle husstande fulgte mødet, "
            "er det dens resultat, der gælder.",
        }

    def clean_nyt_referat(self):
        minutes = self.cleaned_data.get("nyt_referat")
        return uploads.validate(minutes) if minutes else minutes


class CommentForm(DkfdsFormMixin, forms.Form):
    tekst = forms.CharField(label="Kommentar", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class MemberForm(DkfdsFormMixin, forms.ModelForm):
    class Meta:
        model = Organisationsmedlem
        fields = ["gruppe", "navn", "rolle"]


class AttachmentForm(DkfdsFormMixin, forms.Form):
    titel = forms.CharField(label="Titel", max_length=200)
    fil = forms.FileField(
        label="Fil",
        help_text=uploads.ATTACHMENT_HELP_TEXT,
        widget=forms.ClearableFileInput(attrs={"accept": uploads.ACCEPT}),
    )

    def clean_fil(self):
        return uploads.validate(self.cleaned_data["fil"])


EKSPORT_TYPE_CHOICES = Pakkeeksport._meta.get_field("pakketype").choices
# How many years back the export page offers årsrapporter for.
RAPPORTAAR_BACK = 10


class PakkeeksportFilterForm(DkfdsFormMixin, forms.Form):
    """The export page's filters: the pack type to export and which plans to list (e.g. one round's
    prækvalifikationsansøgninger: their phase and financing period or planned start)."""

    pakketype = forms.ChoiceField(label="Pakketype", choices=EKSPORT_TYPE_CHOICES)
    tilstand = forms.ChoiceField(label="Fase", choices=[("", "Alle"), *STATE_CHOICES], required=False)
    periode = forms.ModelChoiceField(
        label="Finansieringsperiode",
        queryset=Finansieringsperiode.objects.order_by("-startaar"),
        empty_label="Alle",
        required=False,
    )
    aar = forms.TypedChoiceField(label="Planlagt start", coerce=int, empty_value=None, required=False)
    # Only for årsrapporter: the year they report on (this year when none is chosen).
    rapportaar = forms.TypedChoiceField(
        label="Årsrapportens år", coerce=int, empty_value=None, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        years = Helhedsplan.objects.filter(planlagt_start__isnull=False).dates(
            "planlagt_start", "year", order="DESC"
        )
        self.fields["aar"].choices = [("", "Alle år"), *((day.year, str(day.year)) for day in years)]
        this_year = timezone.localdate().year
        self.fields["rapportaar"].choices = [
            (year, str(year)) for year in range(this_year, this_year - RAPPORTAAR_BACK - 1, -1)
        ]
        if self.data.get("pakketype") != Pakke.Type.AARSRAPPORT:
            del self.fields["rapportaar"]


class PakkeeksportForm(forms.Form):
    """Starting an export: the pack type, for årsrapporter their year, and the plans: those ticked in the
    page's table, or with `alle` every plan in `matching` (the plans the page's filters match, chosen here on
    the server, never from posted ids)."""

    pakketype = forms.ChoiceField(choices=EKSPORT_TYPE_CHOICES)
    rapportaar = forms.IntegerField(required=False, min_value=2000, max_value=2100)
    planer = forms.ModelMultipleChoiceField(
        queryset=Helhedsplan.objects.none(),
        required=False,
        error_messages={
            "invalid_choice": "En af de valgte planer findes ikke længere. Vælg igen.",
            "invalid_pk_value": "En af de valgte planer findes ikke. Vælg igen.",
        },
    )
    alle = forms.BooleanField(required=False)

    def __init__(self, user, matching, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["planer"].queryset = Helhedsplan.objects.visible_to(user).select_related("indsats")
        self.matching = matching

    def clean(self):
        """The plans: every matching one with `alle`, else the ticked ones. An årsrapport is made only for a
        year of the plan's period, as on the plan's page."""
        cleaned = super().clean()
        if cleaned.get("alle"):
            cleaned["planer"] = list(self.matching.select_related("indsats"))
            if not cleaned["planer"]:
                raise forms.ValidationError("Ingen helhedsplaner matcher filtrene. Vælg andre filtre.")
        elif "planer" in self.errors:
            return cleaned
        elif not cleaned["planer"]:
            raise forms.ValidationError("Vælg mindst én plan.")
        if cleaned.get("pakketype") != Pakke.Type.AARSRAPPORT:
            return cleaned
        aar = cleaned.get("rapportaar") or timezone.localdate().year
        planer = cleaned["planer"]
        outside = sorted(plan.indsats.titel for plan in planer if aar not in period_years(plan.indsats))
        if outside:
            remedy = "Afgræns filtrene" if cleaned.get("alle") else "Fravælg planerne"
            raise forms.ValidationError(
                f"{aar} ligger uden for perioden for {named_titles(outside)}. "
                f"{remedy}, eller vælg et andet år."
            )
        return cleaned


# An error names at most this many plans (an export of every plan may hold hundreds).
NAMED_TITLES = 10


def named_titles(titles: list[str]) -> str:
    """The titles for an error, the first NAMED_TITLES of them and how many more there are."""
    if len(titles) <= NAMED_TITLES:
        return ", ".join(titles)
    return f"{', '.join(titles[:NAMED_TITLES])} og {len(titles) - NAMED_TITLES} andre"


class AendringForm(AfdelingSearchMixin, DkfdsFormMixin, forms.Form):
    """A change request's reason and proposed frame: afdelinger, period and one percentage per party of the
    plan's fordelingsnøgle (the budget is edited as its own version on the budget pages)."""

    begrundelse = forms.CharField(
        label="Begrundelse",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Hvorfor planen skal ændres: Landsbyggefonden og kommunen læser den.",
    )
    afdelinger = AfdelingPickerField(help_text=AFDELINGER_HELP)
    startdato = forms.DateField(label="Startdato", widget=DateInput)
    slutdato = forms.DateField(label="Slutdato", widget=DateInput)

    def __init__(self, *args, parts, **kwargs):
        super().__init__(*args, **kwargs)
        self.parts = parts
        for part in parts:
            self.fields[f"procent_{part.pk}"] = forms.DecimalField(
                label=f"{part.navn} (%)",
                max_digits=7,
                decimal_places=4,
                min_value=0,
                max_value=100,
                localize=True,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "form-input input-width-xs"}),
                error_messages={"invalid": "Skriv et tal, fx 12,5."},
            )

    def clean(self):
        cleaned = super().clean()
        start, slut = cleaned.get("startdato"), cleaned.get("slutdato")
        if start and slut and slut < start:
            self.add_error("slutdato", "Slutdatoen ligger før startdatoen.")
        shares = [cleaned.get(f"procent_{part.pk}") for part in self.parts]
        if self.parts and None not in shares and sum(shares) != 100:
            raise forms.ValidationError("Fordelingsnøglens andele skal give præcis 100 %.")
        return cleaned

    def proposal(self) -> dict:
        cleaned = self.cleaned_data
        return {
            "begrundelse": cleaned["begrundelse"],
            "afdelinger": list(cleaned["afdelinger"]),
            "startdato": cleaned["startdato"],
            "slutdato": cleaned["slutdato"],
            "procenter": {str(part.pk): str(cleaned[f"procent_{part.pk}"]) for part in self.parts},
        }

    @staticmethod
    def initial_from(frame: dict, begrundelse: str = "") -> dict:
        return {
            "begrundelse": begrundelse,
            "afdelinger": [a.pk for a in frame["afdelinger"]],
            "startdato": frame["startdato"],
            "slutdato": frame["slutdato"],
            **{f"procent_{pk}": value for pk, value in frame["procenter"].items()},
        }


class AendringsbeslutningForm(BaseDecisionForm):
    class Meta(BaseDecisionForm.Meta):
        model = Aendringsbeslutning
        help_texts = {
            **BaseDecisionForm.Meta.help_texts,
            "afvigelse_begrundelse": "Kun hvis det bevilgede beløb afviger fra partens andel af det "
            "foreslåede budget: hvorfor?",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A change is approved or refused: it is not sent back (the empty "Vælg …" choice stays).
        self.fields["udfald"].choices = [
            (value, label)
            for value, label in self.fields["udfald"].choices
            if not value or value in Aendringsbeslutning.OUTCOMES
        ]
        grant = "Tilsagnet, når ændringen flytter partens andel af pengene: det beløb, den nu bevilger."
        self.fields["bevilget_beloeb"].help_text = grant


# --- The active years ---------------------------------------------------------------------------------


class ObligationSentForm(DkfdsFormMixin, forms.Form):
    dato = forms.DateField(label="Sendt til Landsbyggefonden og kommunen den", widget=DateInput)


class ObligationUnsentForm(DkfdsFormMixin, forms.Form):
    begrundelse = forms.CharField(
        label="Begrundelse",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Står på planens tidslinje. Fx «Fonden sendte regnskabet tilbage til rettelse».",
        error_messages={"required": "Skriv, hvorfor rapporteringen ikke længere er sendt."},
    )


class MilestoneForm(DkfdsFormMixin, forms.ModelForm):
    """A milestone of the plan: its date must lie in the plan's period (Milepael.clean)."""

    class Meta:
        model = Milepael
        fields = ["hvad", "dato", "hvem", "status", "aktivitet"]
        widgets = {"dato": DateInput}
        help_texts = {"hvem": "Den eller de ansvarlige, fx «Projektleder og lektiecaféens frivillige»."}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.plan = plan
        self.fields["aktivitet"].queryset = plan.indsats.aktiviteter.order_by("betegnelse")
        self.fields["aktivitet"].empty_label = "Ingen bestemt aktivitet"


class GoalFigureField(forms.CharField):
    """A measured goal figure, checked as the goal-figure import checks it (goals.parse_goal_figure)."""

    def __init__(self, *, enhed, **kwargs):
        super().__init__(**kwargs)
        self.enhed = enhed
        self.widget.attrs.setdefault("inputmode", "decimal")

    def prepare_value(self, value):
        return formats.localize_input(value)

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        if len(text) > 30:
            raise forms.ValidationError("Tallet er for langt.")
        try:
            return parse_goal_figure(text, self.enhed)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None


class GoalYearForm(DkfdsFormMixin, forms.Form):
    """The year's measured value, assessment and comment for each of the plan's goals (queries.goal_rows)."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            name = row.maalsaetning.indikator.navn
            self.fields[f"maalt_{row.maalsaetning.pk}"] = GoalFigureField(
                enhed=row.maalsaetning.indikator.enhed,
                label=f"{name}: målt",
                required=False,
                initial=row.maalt,
            )
            self.fields[f"vurdering_{row.maalsaetning.pk}"] = forms.ChoiceField(
                label=f"{name}: vurdering",
                choices=[("", "Ikke vurderet"), *Maaltal.Vurdering.choices],
                required=False,
                initial=row.vurdering,
            )
            self.fields[f"kommentar_{row.maalsaetning.pk}"] = forms.CharField(
                label=f"{name}: kommentar",
                max_length=5000,
                required=False,
                initial=row.kommentar,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def goal_rows(self) -> list[dict]:
        """The cleaned values in the shape actions.save_goal_year takes."""
        return [
            {
                "maalsaetning": row.maalsaetning,
                "maalt": self.cleaned_data[f"maalt_{row.maalsaetning.pk}"],
                "vurdering": self.cleaned_data[f"vurdering_{row.maalsaetning.pk}"],
                "kommentar": self.cleaned_data[f"kommentar_{row.maalsaetning.pk}"],
            }
            for row in self.rows
        ]


class YearStatusForm(DkfdsFormMixin, forms.Form):
    """The year's comment, the auditor's statement, an explanation per account line and what is done with
    each party's part of the difference (queries.year_status)."""

    bemaerkning = forms.CharField(
        label="Bemærkning til året",
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    revisorerklaering = forms.FileField(
        label="Revisorerklæring",
        required=False,
        help_text=uploads.HELP_TEXT,
        widget=forms.ClearableFileInput(attrs={"accept": uploads.ACCEPT}),
    )

    def __init__(self, *args, year, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        if year.status is not None:
            self.fields["bemaerkning"].initial = year.status.bemaerkning
        for row in year.accounts:
            self.fields[self._line(row)] = forms.CharField(
                label=f"Forklaring: {row.indsatsomraade} · {row.omkostningstype}",
                max_length=5000,
                required=False,
                initial=row.forklaring,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        for row in year.regulations:
            self.fields[f"behandling_{row.part.pk}"] = forms.ChoiceField(
                label=f"{row.part.navn}: behandling",
                # Saving the dialog for something else keeps an undecided party undecided.
                choices=[("", "Ikke besluttet"), *Reguleringspost.Behandling.choices],
                required=False,
                initial=row.behandling,
            )
            self.fields[f"regulering_{row.part.pk}"] = forms.CharField(
                label=f"{row.part.navn}: bemærkning", max_length=500, required=False, initial=row.bemaerkning
            )

    @staticmethod
    def _line(row) -> str:
        return f"forklaring_{row.indsatsomraade.pk}_{row.omkostningstype.pk}"

    def clean_revisorerklaering(self):
        document = self.cleaned_data.get("revisorerklaering")
        return uploads.validate(document) if document else document

    def explanations(self) -> dict:
        return {
            (row.indsatsomraade.pk, row.omkostningstype.pk): self.cleaned_data[self._line(row)]
            for row in self.year.accounts
        }

    def clean(self):
        cleaned = super().clean()
        for row in self.year.regulations:
            if cleaned.get(f"regulering_{row.part.pk}") and not cleaned.get(f"behandling_{row.part.pk}"):
                self.add_error(f"behandling_{row.part.pk}", "Vælg behandlingen, som bemærkningen hører til.")
        return cleaned

    def regulations(self) -> dict:
        """Each party's choice; ("", "") for one not decided."""
        return {
            row.part.pk: (
                self.cleaned_data[f"behandling_{row.part.pk}"],
                self.cleaned_data[f"regulering_{row.part.pk}"],
            )
            for row in self.year.regulations
        }


class NotificationChoicesForm(DkfdsFormMixin, forms.Form):
    """How the user wants each kind of notification by e-mail: one choice per kind the user receives."""

    def __init__(self, *args, current: dict, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        for art in kinds:
            self.fields[art.value] = forms.ChoiceField(
                label=art.label,
                choices=Levering.choices,
                initial=current.get(art.value, Levering.STRAKS),
                # Added after DkfdsFormMixin styled the form's declared fields: styled here.
                widget=forms.Select(attrs={"class": "form-select"}),
            )


class ReceivedPaymentForm(ModtagetUdbetalingForm):
    """A payment received, and the report of the plan the funder paid it for, if any."""

    forpligtelse = forms.ModelChoiceField(
        label="For rapport",
        queryset=Rapporteringsforpligtelse.objects.none(),
        required=False,
        empty_label="Ingen bestemt rapport",
        help_text="Den rate, betalingen dækker, venter så kun på denne rapport.",
        error_messages={"invalid_choice": "Vælg en af planens rapporter."},
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forpligtelse"].queryset = plan.forpligtelser.select_related("type").order_by(
            "frist", "id"
        )
        self.fields["forpligtelse"].label_from_instance = lambda o: f"{o.type.navn} {o.aar}"
