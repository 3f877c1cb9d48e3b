import copy
from collections import defaultdict

from django import forms
from django.db import transaction
from django.db.models import Q

from config.web.formatting import numeric_date
from config.web.forms import DkfdsFormMixin
from config.web.lists import PERSON_NAME
from config.web.roles import staff_users
from indsatser import overlap, ramme
from indsatser.afslutning import too_short
from indsatser.lifecycle import comment_required
from indsatser.models import (
    Afslutningsvurdering,
    Aktivitet,
    Aktivitetstype,
    Deltagertal,
    Indikator,
    Indsats,
    Indsatsomraade,
    Kontaktperson,
    Maalsaetning,
    Maaltal,
    Partner,
)
from screening.afdeling_picker import AfdelingPicker, AfdelingSearchMixin
from screening.options import kept_choices, kept_value
from screening.widgets import NamedSelect

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def grouped(bound_field, key) -> list[tuple[str, list]]:
    """A multiple-choice field's checkboxes grouped by `key(instance)`, groups in order of appearance."""
    groups = defaultdict(list)
    for checkbox in bound_field:
        groups[key(checkbox.data["value"].instance)].append(checkbox)
    return list(groups.items())


class StaffChoiceField(forms.ModelChoiceField):
    """The ansvarlig of an indsats or a plan: one of staff, by name (the user name when there is none). The
    drop-down (some 500 staff at national scale) is the one screening.options keeps ready, with the same
    label in the database."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Ansvarlig medarbejder")
        super().__init__(
            queryset=staff_users(), required=False, widget=NamedSelect(label=PERSON_NAME), **kwargs
        )

    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class OverlapConfirmationMixin:
    """A checkbox and a reason for keeping afdelinger in two helhedsplaner with overlapping periods. The
    fields appear once the service has refused for that reason (ask_overlap_confirmation) and stay while
    the form comes back; overlap_begrundelse() is the reason when the box is ticked, else ''."""

    OVERLAP_SHOWN = "overlap_vist"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound and self.data.get(self.OVERLAP_SHOWN):
            self._add_overlap_fields()

    def _add_overlap_fields(self):
        self.fields[self.OVERLAP_SHOWN] = forms.CharField(widget=forms.HiddenInput, required=False)
        self.fields["bekraeft_overlap"] = forms.BooleanField(
            label="Afdelingerne skal være med i begge helhedsplaner",
            required=False,
            widget=forms.CheckboxInput(attrs={"class": "form-checkbox"}),
        )
        self.fields["overlap_begrundelse"] = forms.CharField(
            label="Begrundelse for overlappet",
            required=False,
            max_length=2000,
            help_text="Skrives på planens tidslinje.",
            widget=forms.Textarea(attrs={"rows": 3, "class": "form-input"}),
        )

    def ask_overlap_confirmation(self):
        """Show the confirmation fields on a form the service refused because of an overlap."""
        if self.OVERLAP_SHOWN not in self.fields:
            self._add_overlap_fields()
        self.data = self.data.copy()
        self.data[self.OVERLAP_SHOWN] = "1"

    def clean(self):
        cleaned = super().clean()
        reason = (cleaned.get("overlap_begrundelse") or "").strip()
        if cleaned.get("bekraeft_overlap") and not reason:
            self.add_error("overlap_begrundelse", "Skriv, hvorfor afdelingerne skal være med i begge planer.")
        elif cleaned.get("bekraeft_overlap") and too_short(reason):
            self.add_error("overlap_begrundelse", overlap.REASON_TOO_SHORT)
        return cleaned

    def cleaned_without_overlap(self) -> dict:
        """The cleaned data less the confirmation fields (which go to the service as overlap_begrundelse)."""
        confirmation = (self.OVERLAP_SHOWN, "bekraeft_overlap", "overlap_begrundelse")
        return {name: value for name, value in self.cleaned_data.items() if name not in confirmation}

    def overlap_begrundelse(self) -> str:
        if not self.cleaned_data.get("bekraeft_overlap"):
            return ""
        return (self.cleaned_data.get("overlap_begrundelse") or "").strip()


class IndsatsForm(AfdelingSearchMixin, OverlapConfirmationMixin, DkfdsFormMixin, forms.ModelForm):
    ansvarlig = StaffChoiceField()

    class Meta:
        model = Indsats
        fields = [
            "titel",
            "type",
            "periode",
            "startdato",
            "slutdato",
            "afdelinger",
            "maal",
            "indsatsomraader",
            "maalgrupper",
            "partnere",
            "ansvarlig",
            "beskrivelse",
        ]
        widgets = {
            "startdato": DATE_WIDGET,
            "slutdato": DATE_WIDGET,
            "afdelinger": AfdelingPicker,
            "maal": forms.CheckboxSelectMultiple,
            "indsatsomraader": forms.CheckboxSelectMultiple,
            "maalgrupper": forms.CheckboxSelectMultiple,
            "partnere": forms.CheckboxSelectMultiple,
            "beskrivelse": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "type": "Typen kan ikke ændres senere. En helhedsplans bevillingsforløb følges i helhedsplanen.",
            "indsatsomraader": "Kun indsatsområderne i den valgte finansieringsperiode kan vælges.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indsatsomraader"].queryset = Indsatsomraade.objects.select_related("periode")
        self.fields["partnere"].queryset = Partner.objects.select_related("partnertype").order_by(
            "partnertype__sortering", "navn"
        )
        self.fields["type"].empty_label = "Vælg type"
        if self.instance.pk:
            self.know_afdelinger(self.instance.afdelinger.all())
            self.fields["type"].disabled = True
            self.fields["type"].help_text = "Typen kan ikke ændres."
        self.frame_locked = bool(self.instance.pk) and ramme.frame_locked(self.instance)
        if self.frame_locked:
            # A disabled field keeps its stored value whatever is posted; the page says why and where a
            # change is asked for.
            for name in ramme.FRAME_FIELDS:
                self.fields[name].disabled = True
                self.fields[name].help_text = "Låst: en del af den godkendte ramme."

    def omraade_groups(self):
        """Indsatsområder per funding period (the page shows only those of the chosen period)."""
        groups = defaultdict(list)
        for checkbox in self["indsatsomraader"]:
            groups[checkbox.data["value"].instance.periode].append(checkbox)
        return list(groups.items())

    def partner_groups(self):
        return grouped(self["partnere"], lambda p: p.partnertype.navn)

    def frame_changes_posted(self) -> list[str]:
        """The locked frame fields a POST would change. A disabled field keeps its stored value whatever is
        posted and a browser does not post it, so only a crafted POST holds one: it is refused as a whole
        rather than answered as saved."""
        posted = []
        for name in ramme.FRAME_FIELDS:
            field = self.fields[name]
            if self.add_prefix(name) not in self.data:
                continue
            value = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            enabled = copy.copy(field)  # has_changed() reports no change for a disabled field
            enabled.disabled = False
            if enabled.has_changed(self.get_initial_for_field(field, name), value):
                posted.append(name)
        return posted

    def clean(self):
        cleaned = super().clean()
        if self.frame_locked and self.frame_changes_posted():
            raise forms.ValidationError(ramme.frame_message(self.instance))
        start, slut = cleaned.get("startdato"), cleaned.get("slutdato")
        if start and slut and slut < start:
            self.add_error("slutdato", "Slutdatoen ligger før startdatoen.")
        periode = cleaned.get("periode")
        omraader = cleaned.get("indsatsomraader") or []
        wrong = [o.navn for o in omraader if o.periode_id != getattr(periode, "pk", None)]
        if wrong:
            if periode is None:
                message = "Vælg en finansieringsperiode, før der vælges indsatsområder."
            else:
                message = f"Hører ikke til perioden {periode.navn}: " + ", ".join(wrong) + "."
            self.add_error("indsatsomraader", message)
        return cleaned


class AktivitetstypeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.navn} ({obj.get_evidens_display().lower()})"


class YearFieldsMixin:
    """Adds one field per year the indsats runs in; the subclass says which and how they are saved."""

    def year_rows(self):
        return [
            (year, [self[name.format(year=year)] for name in self.year_field_names]) for year in self.years
        ]


class AktivitetForm(YearFieldsMixin, DkfdsFormMixin, forms.ModelForm):
    year_field_names = ["deltagere_{year}"]

    aktivitetstype = AktivitetstypeChoiceField(
        queryset=Aktivitetstype.objects.none(), label="Aktivitet fra kataloget"
    )

    class Meta:
        model = Aktivitet
        fields = [
            "aktivitetstype",
            "betegnelse",
            "indsatsomraade",
            "ansvarlig_partner",
            "status",
            "beskrivelse",
        ]
        widgets = {"beskrivelse": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, indsats: Indsats, **kwargs):
        self.indsats = indsats
        self.years = indsats.aar
        super().__init__(*args, **kwargs)
        current = self.instance.aktivitetstype_id if self.instance.pk else None
        self.fields["aktivitetstype"].queryset = Aktivitetstype.objects.filter(Q(i_brug=True) | Q(pk=current))
        self.fields["indsatsomraade"].queryset = Indsatsomraade.objects.filter(periode_id=indsats.periode_id)
        if indsats.periode_id is None:
            self.fields["indsatsomraade"].help_text = "Indsatsen har ingen finansieringsperiode."
        self.fields["ansvarlig_partner"].queryset = Partner.objects.order_by("navn")
        for name in ("aktivitetstype", "indsatsomraade", "ansvarlig_partner"):
            kept_choices(self.fields[name])
        # An activity to edit is read by indsatser.queries.activities(), with its yearly numbers.
        participants = self.instance.participants if self.instance.pk else []
        existing = {row["aar"]: row["antal"] for row in participants}
        for year in self.years:
            self.fields[f"deltagere_{year}"] = forms.IntegerField(
                label=f"Deltagere {year}",
                required=False,
                min_value=0,
                max_value=1_000_000,
                initial=existing.get(year),
                widget=forms.NumberInput(
                    attrs={"class": "form-input input-width-xs", "inputmode": "numeric"}
                ),
                error_messages={"min_value": "Antallet kan ikke være negativt."},
            )

    def save(self, commit=True):
        ramme.check_open(self.indsats)
        with transaction.atomic():
            aktivitet = super().save(commit=False)
            aktivitet.indsats = self.indsats
            aktivitet.save()
            for year in self.years:
                antal = self.cleaned_data.get(f"deltagere_{year}")
                if antal is None:
                    Deltagertal.objects.filter(aktivitet=aktivitet, aar=year).delete()
                else:
                    Deltagertal.objects.update_or_create(
                        aktivitet=aktivitet, aar=year, defaults={"antal": antal}
                    )
        return aktivitet


class ForankringForm(DkfdsFormMixin, forms.ModelForm):
    class Meta:
        model = Aktivitet
        fields = ["forankring", "forankring_hvem", "forankring_fra"]
        widgets = {"forankring_fra": DATE_WIDGET}
        labels = {"forankring": "Forankringsbeslutning"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forankring"].required = True
        self.fields["forankring"].error_messages["required"] = "Vælg, hvordan aktiviteten forankres."
        self.fields["forankring_fra"].required = True
        self.fields["forankring_fra"].error_messages["required"] = "Angiv fra hvilken dato."

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("forankring") not in ("", None, Aktivitet.Forankring.OPHOERER)
            and not (cleaned.get("forankring_hvem") or "").strip()
        ):
            self.add_error("forankring_hvem", "Skriv, hvem der overtager aktiviteten.")
        return cleaned

    def save(self, commit=True):
        ramme.check_open(self.instance.indsats)
        return super().save(commit)


def _indicators() -> list[tuple[int, str, bool]]:
    """Every indicator as (pk, label, one of the city's shared goals), in the model's order."""
    return [
        (indikator.pk, str(indikator), indikator.bymaal_id is not None)
        for indikator in Indikator.objects.all()
    ]


class NyMaalsaetningForm(DkfdsFormMixin, forms.ModelForm):
    """A new goal, on an existing indicator or on a new indicator of the indsats's own."""

    indikator = forms.ModelChoiceField(
        queryset=Indikator.objects.select_related("bymaal"),
        required=False,
        label="Indikator",
        empty_label="Vælg en indikator, eller opret en ny nedenfor",
    )
    ny_indikator = forms.CharField(label="Ny indikator", max_length=160, required=False)
    ny_enhed = forms.CharField(label="Enhed for den nye indikator", max_length=40, required=False)
    ny_hoejere_er_bedre = forms.TypedChoiceField(
        label="For den nye indikator er",
        choices=[("1", "et højere tal bedre"), ("0", "et lavere tal bedre")],
        coerce=lambda v: v == "1",
        initial="1",
        required=False,
        empty_value=True,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Maalsaetning
        fields = ["indikator", "indsatsomraade", "baseline", "baseline_aar", "beskrivelse"]
        localized_fields = ["baseline"]
        widgets = {"beskrivelse": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, indsats: Indsats, **kwargs):
        self.indsats = indsats
        super().__init__(*args, **kwargs)
        self.fields["indsatsomraade"].queryset = Indsatsomraade.objects.filter(periode_id=indsats.periode_id)
        kept_choices(self.fields["indsatsomraade"])
        self.fields["baseline_aar"].widget.attrs["inputmode"] = "numeric"
        field = self.fields["indikator"]
        field.queryset = Indikator.objects.exclude(
            pk__in=Maalsaetning.objects.filter(indsats=indsats).values("indikator_id")
        )
        # Shown as option groups: the city's shared goals first, then indicators of fsb's own; those the
        # indsats has goals for already are left out. Validation still goes through the queryset.
        used = {maalsaetning.indikator_id for maalsaetning in indsats.maalsaetninger.all()}
        shared, own = [], []
        for pk, label, is_shared in kept_value("indsatser:indikatorer", _indicators):
            if pk not in used:
                (shared if is_shared else own).append((pk, label))
        field.choices = [("", field.empty_label), ("Fælles bymål", shared), ("Egne indikatorer", own)]

    def clean(self):
        cleaned = super().clean()
        indikator, ny = cleaned.get("indikator"), (cleaned.get("ny_indikator") or "").strip()
        if indikator and ny:
            self.add_error("ny_indikator", "Vælg en indikator i listen eller opret en ny, ikke begge dele.")
        elif not indikator and not ny:
            self.add_error("indikator", "Vælg en indikator, eller skriv navnet på en ny.")
        elif ny:
            if Indikator.objects.filter(navn__iexact=ny).exists():
                self.add_error("ny_indikator", "Indikatoren findes allerede. Vælg den i listen.")
            if not (cleaned.get("ny_enhed") or "").strip():
                self.add_error("ny_enhed", "Angiv enheden, fx '%' eller 'antal'.")
        baseline_aar = cleaned.get("baseline_aar")
        if baseline_aar is not None and not 1990 <= baseline_aar <= 2100:
            self.add_error("baseline_aar", "Angiv et årstal, fx 2024.")
        return cleaned

    def save(self, commit=True):
        ramme.check_open(self.indsats)
        with transaction.atomic():
            maalsaetning = super().save(commit=False)
            maalsaetning.indsats = self.indsats
            if not self.cleaned_data.get("indikator"):
                maalsaetning.indikator = Indikator.objects.create(
                    navn=self.cleaned_data["ny_indikator"].strip(),
                    enhed=self.cleaned_data["ny_enhed"].strip(),
                    hoejere_er_bedre=self.cleaned_data["ny_hoejere_er_bedre"],
                )
            maalsaetning.save()
        return maalsaetning


class MaalsaetningForm(YearFieldsMixin, DkfdsFormMixin, forms.ModelForm):
    """Edit a goal: its baseline, and the target and measured value of each year the indsats runs."""

    year_field_names = ["maal_{year}", "maalt_{year}"]

    class Meta:
        model = Maalsaetning
        fields = ["indsatsomraade", "baseline", "baseline_aar", "beskrivelse"]
        localized_fields = ["baseline"]
        widgets = {"beskrivelse": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        indsats = self.instance.indsats
        self.years = indsats.aar
        self.fields["indsatsomraade"].queryset = Indsatsomraade.objects.filter(periode_id=indsats.periode_id)
        kept_choices(self.fields["indsatsomraade"])
        existing = {m.aar: m for m in self.instance.maaltal.all()}
        for year in self.years:
            for kind, label in (("maal", "Mål"), ("maalt", "Målt")):
                current = existing.get(year)
                self.fields[f"{kind}_{year}"] = forms.DecimalField(
                    label=f"{label} {year}",
                    required=False,
                    max_digits=12,
                    decimal_places=2,
                    localize=True,
                    initial=getattr(current, kind) if current else None,
                    widget=forms.TextInput(
                        attrs={"class": "form-input input-width-xs", "inputmode": "decimal"}
                    ),
                    error_messages={
                        "invalid": "Skriv et tal, fx 12,5.",
                        "max_decimal_places": "Højst to decimaler.",
                    },
                )

    def clean_baseline_aar(self):
        value = self.cleaned_data.get("baseline_aar")
        if value is not None and not 1990 <= value <= 2100:
            raise forms.ValidationError("Angiv et årstal, fx 2024.")
        return value

    def save(self, commit=True):
        ramme.check_open(self.instance.indsats)
        with transaction.atomic():
            maalsaetning = super().save()
            for year in self.years:
                maal, maalt = self.cleaned_data.get(f"maal_{year}"), self.cleaned_data.get(f"maalt_{year}")
                if maal is None and maalt is None:
                    Maaltal.objects.filter(maalsaetning=maalsaetning, aar=year).delete()
                else:
                    Maaltal.objects.update_or_create(
                        maalsaetning=maalsaetning, aar=year, defaults={"maal": maal, "maalt": maalt}
                    )
        return maalsaetning


class AfslutningForm(DkfdsFormMixin, forms.Form):
    """The five closing criteria, each met or not met with a justification. Saving an incomplete list is fine:
    the closing guard says what is still missing."""

    OPFYLDT_CHOICES = [("ja", "Opfyldt"), ("nej", "Ikke opfyldt")]
    # Each justification's label names its criterion, so the five fields are told apart (a screen reader reads
    # the label alone).
    BEGRUNDELSE_LABELS = {
        Afslutningsvurdering.Kriterium.BEHOV: "Begrundelse: behovet for en indsats",
        Afslutningsvurdering.Kriterium.MAAL: "Begrundelse: målene og udviklingen",
        Afslutningsvurdering.Kriterium.FORANKRING: "Begrundelse: forankringen af aktiviteterne",
        Afslutningsvurdering.Kriterium.OPBAKNING: "Begrundelse: den lokale opbakning",
        Afslutningsvurdering.Kriterium.FINANSIERING: "Begrundelse: finansieringen",
    }

    def __init__(self, *args, indsats: Indsats, vurderinger, **kwargs):
        self.indsats = indsats
        super().__init__(*args, **kwargs)
        existing = {v.kriterium: v for v in vurderinger}
        for kriterium in Afslutningsvurdering.Kriterium:
            current = existing.get(kriterium.value)
            opfyldt = (
                None if current is None or current.opfyldt is None else ("ja" if current.opfyldt else "nej")
            )
            self.fields[f"opfyldt_{kriterium.value}"] = forms.ChoiceField(
                label=kriterium.label,
                choices=self.OPFYLDT_CHOICES,
                required=False,
                widget=forms.RadioSelect(attrs={"class": "form-radio"}),
                initial=opfyldt,
            )
            self.fields[f"begrundelse_{kriterium.value}"] = forms.CharField(
                label=self.BEGRUNDELSE_LABELS[kriterium],
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-input"}),
                initial=current.begrundelse if current else "",
            )

    def criteria(self):
        return [
            (kriterium, self[f"opfyldt_{kriterium.value}"], self[f"begrundelse_{kriterium.value}"])
            for kriterium in Afslutningsvurdering.Kriterium
        ]

    def save(self):
        ramme.check_open(self.indsats)
        with transaction.atomic():
            for kriterium in Afslutningsvurdering.Kriterium:
                answer = self.cleaned_data.get(f"opfyldt_{kriterium.value}")
                begrundelse = self.cleaned_data.get(f"begrundelse_{kriterium.value}", "").strip()
                opfyldt = {"ja": True, "nej": False}.get(answer)
                vurdering, created = Afslutningsvurdering.objects.get_or_create(
                    indsats=self.indsats,
                    kriterium=kriterium.value,
                    defaults={"opfyldt": opfyldt, "begrundelse": begrundelse},
                )
                if not created and (vurdering.opfyldt, vurdering.begrundelse) != (opfyldt, begrundelse):
                    vurdering.opfyldt, vurdering.begrundelse = opfyldt, begrundelse
                    vurdering.save()


class OvergangForm(DkfdsFormMixin, forms.Form):
    kommentar = forms.CharField(
        label="Kommentar", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, transition, **kwargs):
        super().__init__(*args, **kwargs)
        if comment_required(transition):
            self.fields["kommentar"].required = True
            self.fields["kommentar"].label = "Begrundelse"
            self.fields["kommentar"].error_messages["required"] = "Skriv en begrundelse."


class KontaktpersonForm(DkfdsFormMixin, forms.ModelForm):
    class Meta:
        model = Kontaktperson
        fields = ["navn", "rolle", "organisation", "telefon", "email", "fra_dato"]
        widgets = {"fra_dato": DATE_WIDGET}

    def __init__(self, *args, current: Kontaktperson | None, **kwargs):
        self.current = current
        super().__init__(*args, **kwargs)

    def clean_fra_dato(self):
        fra = self.cleaned_data["fra_dato"]
        if self.current and fra <= self.current.fra_dato:
            raise forms.ValidationError(
                f"Datoen skal ligge efter den nuværende kontaktpersons startdato "
                f"({numeric_date(self.current.fra_dato)})."
            )
        return fra


class AfmeldForm(DkfdsFormMixin, forms.Form):
    til_dato = forms.DateField(label="Sidste dag", widget=DATE_WIDGET)

    def __init__(self, *args, current: Kontaktperson, **kwargs):
        self.current = current
        super().__init__(*args, **kwargs)

    def clean_til_dato(self):
        til = self.cleaned_data["til_dato"]
        if til < self.current.fra_dato:
            raise forms.ValidationError("Datoen ligger før kontaktpersonens startdato.")
        return til


class PartnerForm(DkfdsFormMixin, forms.ModelForm):
    class Meta:
        model = Partner
        fields = ["navn", "partnertype"]
        error_messages = {"navn": {"unique": "Der findes allerede en partner med det navn."}}
