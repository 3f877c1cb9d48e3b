"""Forms for budgets, the fordelingsnøgle, the regnskab and the funders' payments, with a Danish message for
any bad input."""

import re
from decimal import Decimal

from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory

from config.web.formatting import danish_number, kroner, percent
from config.web.forms import DkfdsFormMixin
from config.web.limits import NumberRange, quoted
from config.web.tabular import parse_decimal
from finansiering import allocation
from finansiering.models import (
    Budgetlinje,
    Budgetversion,
    Finansieringspart,
    Fordelingsnoegle,
    Kommuneanvendelse,
    Omkostningstype,
    Udbetalingspart,
)
from finansiering.queries import budget_omraader, period_years
from indsatser.models import Indsatsomraade

# "1.500" or "12.345.678" with no comma: Danish thousands separators, not a decimal point.
DANISH_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")
# What the amount columns of budgets, regnskab and agreed shares hold (14 digits, 2 of them decimals).
AMOUNT_RANGE = NumberRange.of(Budgetlinje._meta.get_field("beloeb"))


def parse_amount(text: str) -> Decimal:
    """An amount in kroner as typed: '1.234.567,89', '1234567,89', '1234567.89', '1.500' (= 1500) or ''.

    Raises ValueError with a Danish message for text, negative amounts and fractions of an øre.
    """
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "").removesuffix("kr.").removesuffix("kr")
    if not cleaned:
        return Decimal("0.00")
    if DANISH_THOUSANDS.match(cleaned):
        cleaned = cleaned.replace(".", "")
    try:
        value = parse_decimal(cleaned)
    except ValueError:
        if re.fullmatch(r"-?[\d.,]+", cleaned):
            raise ValueError("Beløbet må højst have to decimaler (øre).") from None
        raise ValueError(f"{quoted(text.strip())} er ikke et beløb. Skriv fx 125.000,00.") from None
    if value < 0:
        raise ValueError("Beløbet kan ikke være negativt.")
    if value > AMOUNT_RANGE.maximum:
        raise ValueError(f"Beløbet er for stort (højst {danish_number(AMOUNT_RANGE.maximum, 2)} kr.).")
    return value.quantize(Decimal("0.01"))


class AmountField(forms.CharField):
    """Kroner and øre as Danes type them; blank means 0."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")
        self.widget.attrs.setdefault("autocomplete", "off")

    def to_python(self, value):
        text = super().to_python(value)
        if len(text) > 30:
            raise forms.ValidationError("Beløbet er for langt.")
        try:
            return parse_amount(text)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None


class PercentField(forms.DecimalField):
    def __init__(self, **kwargs):
        super().__init__(max_digits=7, decimal_places=4, localize=True, **kwargs)
        self.error_messages.update(
            invalid="Skriv en procentsats, fx 12,5.",
            max_decimal_places="Højst fire decimaler.",
            max_digits="Procentsatsen er for stor.",
        )
        self.widget.attrs.setdefault("inputmode", "decimal")

    def prepare_value(self, value):
        # 12.5000 as stored is shown as 12,5.
        if isinstance(value, Decimal):
            value = value.normalize()
        return super().prepare_value(value)

    def clean(self, value):
        value = super().clean(value)
        if value is not None and value < 0:
            raise forms.ValidationError("Procentsatsen kan ikke være negativ.")
        if value is not None and value > 100:
            raise forms.ValidationError("Procentsatsen kan ikke være over 100.")
        return value


class CellForm(forms.Form):
    """One cell of the budget or regnskab table (the amount), posted on its own by htmx."""

    beloeb = AmountField(label="Beløb (kr.)")


class AmountNoteForm(forms.Form):
    """A line's amount and note, when its year, område and type are given."""

    beloeb = AmountField(label="Beløb (kr.)")
    note = forms.CharField(label="Note", max_length=500, required=False)


class LineForm(DkfdsFormMixin, forms.Form):
    """A budget or regnskab line with its note; the year must lie in the indsats period."""

    aar = forms.IntegerField(label="År", error_messages={"invalid": "Vælg et år.", "required": "Vælg et år."})
    indsatsomraade = forms.ModelChoiceField(
        queryset=None,
        label="Indsatsområde",
        error_messages={"invalid_choice": "Vælg et af indsatsområderne."},
    )
    omkostningstype = forms.ModelChoiceField(
        queryset=Omkostningstype.objects.filter(aktiv=True),
        label="Omkostningstype",
        error_messages={"invalid_choice": "Vælg en af omkostningstyperne."},
    )
    beloeb = AmountField(label="Beløb (kr.)", help_text="Fx 125.000,00. Højst to decimaler.")
    note = forms.CharField(
        label="Note", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, indsats, **kwargs):
        super().__init__(*args, **kwargs)
        self.years = period_years(indsats)
        self.fields["aar"].widget = forms.Select(
            choices=[("", "Vælg år")] + [(y, y) for y in self.years], attrs={"class": "form-select"}
        )
        omraade_ids = [o.pk for o in budget_omraader(indsats)]
        self.fields["indsatsomraade"].queryset = Indsatsomraade.objects.filter(pk__in=omraade_ids).order_by(
            "periode__startaar", "sortering"
        )

    def clean_aar(self):
        aar = self.cleaned_data["aar"]
        if not self.years:
            raise forms.ValidationError(
                "Indsatsen skal have en startdato og en slutdato, før der kan budgetteres."
            )
        if aar not in self.years:
            raise forms.ValidationError(
                f"{aar} ligger uden for indsatsens periode ({self.years[0]}–{self.years[-1]})."
            )
        return aar


class VersionForm(DkfdsFormMixin, forms.Form):
    fase = forms.ChoiceField(
        label="Formål",
        choices=Budgetversion.Fase.choices,
        help_text="Versionen er et udkast. Den indsendes med ansøgningen og bliver godkendt, "
        "når Landsbyggefonden og kommunen godkender planen.",
    )
    kilde = forms.ModelChoiceField(
        queryset=Budgetversion.objects.none(),
        label="Kopiér linjerne fra",
        required=False,
        empty_label="Start med et tomt budget",
    )
    begrundelse = forms.CharField(
        label="Begrundelse",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Skal udfyldes, når budgettet allerede er godkendt: hvad ændres, og hvorfor?",
    )

    def __init__(self, *args, indsats, approved: bool, **kwargs):
        super().__init__(*args, **kwargs)
        versions = indsats.budgetversioner.order_by("-nummer")
        self.fields["kilde"].queryset = versions
        self.fields["kilde"].initial = versions.first()
        if approved:
            self.fields["fase"].initial = Budgetversion.Fase.ANSOEGNING
            self.fields["begrundelse"].required = True
            self.fields["begrundelse"].error_messages["required"] = (
                "Budgettet er godkendt. Skriv, hvad der ændres, og hvorfor."
            )


class FordelingsnoegleForm(DkfdsFormMixin, forms.ModelForm):
    afvigelsesgraense = PercentField(
        label="Grænse for afvigelser (%)",
        help_text="Forskelle mellem budget og regnskab over denne procentdel af budgettet markeres.",
    )

    class Meta:
        model = Fordelingsnoegle
        fields = ["afdelingsgrundlag", "afvigelsesgraense"]
        widgets = {"afdelingsgrundlag": forms.RadioSelect}


class PartForm(DkfdsFormMixin, forms.ModelForm):
    procent = PercentField(label="Andel (%)")

    class Meta:
        model = Finansieringspart
        fields = ["navn", "art", "procent"]
        error_messages = {
            "navn": {"required": "Skriv partens navn."},
            "art": {"required": "Vælg partens art."},
        }


class PrefilledInlineFormSet(BaseInlineFormSet):
    """Extra rows prefilled with defaults (the type's usual parties on a new key) count as filled in,
    so they are saved even if the user accepts them unchanged; a default row is removed by ticking Slet.

    A form must count the saved rows there are (its INITIAL_FORMS): Django takes a saved row beyond that
    count for a new one and stores it twice. A form opened before a colleague added a row, or tampered with,
    is refused instead."""

    def clean(self):
        super().clean()
        if self.initial_form_count() != len(self.get_queryset()):
            raise forms.ValidationError("Formularen passer ikke til de gemte rækker. Hent siden igen.")

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        extra_index = i - self.initial_form_count()
        if 0 <= extra_index < len(self.initial_extra or []):
            form.empty_permitted = False
            form.has_changed = lambda: True
        return form


class BasePartFormSet(PrefilledInlineFormSet):
    def kept_forms(self):
        """The parties that remain after saving: filled in and not marked for deletion (blank extra rows
        have empty cleaned_data)."""
        return [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]

    def clean(self):
        super().clean()
        if any(form.errors for form in self.forms):
            return
        kept = self.kept_forms()
        percentages = {form.cleaned_data["navn"]: form.cleaned_data["procent"] for form in kept}
        if len(percentages) != len(kept):
            raise forms.ValidationError("To parter har samme navn.")
        try:
            allocation.check_percentages(percentages)
        except allocation.AllocationError as error:
            raise forms.ValidationError(str(error)) from None
        for art, label in (
            (Finansieringspart.Art.AFDELINGER, "boligorganisation/afdelinger"),
            (Finansieringspart.Art.KOMMUNE, "kommunen"),
        ):
            if sum(1 for form in kept if form.cleaned_data["art"] == art) > 1:
                raise forms.ValidationError(f"Der kan kun være én part for {label}.")

    def kommune_procent(self) -> Decimal | None:
        for form in self.kept_forms():
            if form.cleaned_data["art"] == Finansieringspart.Art.KOMMUNE:
                return form.cleaned_data["procent"]
        return None


def part_formset(defaults: int):
    """The parties' formset, with room for the type's default parties (on a new key) plus two blank rows."""
    return inlineformset_factory(
        Fordelingsnoegle,
        Finansieringspart,
        form=PartForm,
        formset=BasePartFormSet,
        fields=["navn", "art", "procent"],
        extra=defaults + 2,
        can_delete=True,
    )


class AnvendelseForm(DkfdsFormMixin, forms.ModelForm):
    procentpoint = PercentField(label="Procentpoint")

    class Meta:
        model = Kommuneanvendelse
        fields = ["navn", "procentpoint"]
        error_messages = {"navn": {"required": "Skriv, hvad andelen bruges til."}}


class BaseAnvendelseFormSet(PrefilledInlineFormSet):
    """The kommune's sub-uses must add up to exactly the kommune's percentage, which the view sets in
    `kommune_procent` from the parties' formset (None when no party is the kommune) before validating;
    `check_sum` is off while the parties themselves are invalid (their errors come first)."""

    kommune_procent: Decimal | None = None
    check_sum = True

    def clean(self):
        super().clean()
        if any(form.errors for form in self.forms):
            return
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not kept or not self.check_sum:
            return
        if self.kommune_procent is None:
            raise forms.ValidationError("Anvendelser kræver en part af arten kommune.")
        points = sum((f.cleaned_data["procentpoint"] for f in kept), Decimal(0))
        if points != self.kommune_procent:
            raise forms.ValidationError(
                f"Anvendelserne giver {percent(points)} procentpoint, men kommunens andel er "
                f"{percent(self.kommune_procent)} %. De skal give det samme."
            )


def anvendelse_formset(defaults: int):
    """The kommune's sub-uses, with room for the default ones (on a new key) plus one blank row."""
    return inlineformset_factory(
        Finansieringspart,
        Kommuneanvendelse,
        form=AnvendelseForm,
        formset=BaseAnvendelseFormSet,
        fields=["navn", "procentpoint"],
        extra=defaults + 1,
        can_delete=True,
    )


class AftalteBeloebForm(forms.Form):
    """One agreed amount (kr. for the whole period) per current afdeling of the indsats."""

    def __init__(self, *args, afdelinger, aftalt: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.afdelinger = afdelinger
        for afdeling in afdelinger:
            self.fields[f"afdeling-{afdeling.pk}"] = AmountField(
                label=f"{afdeling.nummer} {afdeling.navn}",
                initial=kroner(aftalt[afdeling.pk]) if afdeling.pk in aftalt else "",
            )
            self.fields[f"afdeling-{afdeling.pk}"].widget.attrs["class"] = "form-input finansiering-amount"

    def amounts(self) -> dict[int, Decimal]:
        return {a.pk: self.cleaned_data[f"afdeling-{a.pk}"] for a in self.afdelinger}

    def rows(self):
        return [(afdeling, self[f"afdeling-{afdeling.pk}"]) for afdeling in self.afdelinger]


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class _PaymentForm(DkfdsFormMixin, forms.Form):
    """What an expected instalment and a payment received share: the funder, the date and the amount."""

    part = forms.ChoiceField(
        label="Part",
        choices=[("", "---------"), *Udbetalingspart.choices],
        error_messages={
            "required": "Vælg parten.",
            "invalid_choice": "Vælg Landsbyggefonden eller kommunen.",
        },
    )
    dato = forms.DateField(label="Dato", widget=_DateInput, error_messages={"invalid": "Skriv en dato."})
    beloeb = AmountField(label="Beløb (kr.)", required=True, help_text="Fx 1.250.000,00.")
    begrundelse = forms.CharField(
        label="Begrundelse",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kun hvis beløbet bringer parten over sit tilsagn.",
    )

    def clean_beloeb(self):
        beloeb = self.cleaned_data["beloeb"]
        if beloeb <= 0:
            raise forms.ValidationError("Beløbet skal være større end 0.")
        return beloeb


class ForventetUdbetalingForm(_PaymentForm):
    beskrivelse = forms.CharField(
        label="Beskrivelse", required=False, max_length=200, help_text="Fx 1. rate 2025."
    )
    field_order = ["part", "dato", "beloeb", "beskrivelse", "begrundelse"]


class ModtagetUdbetalingForm(_PaymentForm):
    reference = forms.CharField(
        label="Reference", max_length=100, help_text="Fondens eller bankens reference."
    )
    field_order = ["part", "dato", "beloeb", "reference", "begrundelse"]
