"""Forms of the screening app: an afdeling, the upload of figures, the overview's filters, the assessment."""

from django import forms

from config.web.formatting import numeric_date
from config.web.forms import DkfdsFormMixin, checked_import_file, import_file_field
from screening import criteria, official_lists
from screening.models import Afdeling, Bestyrelsesmedlem, Vurdering, other_digits
from screening.options import long_options
from screening.screening_import import VALUE_RANGE
from screening.widgets import NamedSelect


class AfdelingForm(DkfdsFormMixin, forms.ModelForm):
    class Meta:
        model = Afdeling
        fields = [
            "organisation",
            "nummer",
            "navn",
            "adresse",
            "postnr",
            "bydel",
            "boligomraade",
            "lejemaal",
            "areal_m2",
            "beboere",
        ]
        localized_fields = ["areal_m2"]
        # 500 organisations and 900 areas at national scale: their options are kept ready (screening.options).
        widgets = {"organisation": NamedSelect(), "boligomraade": NamedSelect()}
        help_texts = {"nummer": "Fx 01-52. Skal være entydigt i organisationen."}
        error_messages = {
            "lejemaal": {"min_value": "Antallet kan ikke være negativt."},
            "beboere": {"min_value": "Antallet kan ikke være negativt."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["areal_m2"].error_messages["min_value"] = "Arealet kan ikke være negativt."
        self.fields["areal_m2"].error_messages["max_decimal_places"] = "Højst to decimaler."

    def clean_nummer(self):
        nummer = self.cleaned_data["nummer"]
        if other_digits(nummer):
            raise forms.ValidationError("Afdelingsnummeret må kun have cifrene 0-9.")
        return nummer


class ScreeningImportForm(DkfdsFormMixin, forms.Form):
    fil = import_file_field()
    aar = forms.IntegerField(
        label="År",
        min_value=1990,
        max_value=2100,
        help_text="Screeningsrunden, tallene hører til. Findes runden ikke, oprettes den som kladde.",
        error_messages={
            "min_value": "Året skal ligge mellem 1990 og 2100.",
            "max_value": "Året skal ligge mellem 1990 og 2100.",
        },
    )
    landsgennemsnit = forms.DecimalField(
        label="Landsgennemsnit, domfældte (%)",
        required=False,
        min_value=0.01,
        max_value=100,
        decimal_places=2,
        localize=True,
        help_text="Andelen af alle beboere i landet, der er dømt: referencen for kriterium B. Fx 1,05.",
        error_messages={"max_decimal_places": "Højst to decimaler."},
    )
    region_gennemsnitsindkomst = forms.DecimalField(
        label="Regionens gennemsnitsindkomst (kr.)",
        required=False,
        min_value=0.01,
        max_value=VALUE_RANGE.maximum,
        decimal_places=2,
        localize=True,
        help_text=(
            "Den gennemsnitlige bruttoindkomst for 15-64-årige (ekskl. uddannelsessøgende) i regionen: "
            "grundlaget for kriterium D i de rækker, der har d_indkomst_sum uden "
            "d_region_gennemsnitsindkomst. Fx 351200."
        ),
        error_messages={"max_decimal_places": "Højst to decimaler."},
    )

    def clean_fil(self):
        return checked_import_file(self.cleaned_data["fil"])


SIGNAL_CHOICES = [
    ("", "Alle"),
    ("roed", "Rødt signal"),
    ("gul", "Gult (ingen røde)"),
    ("groen", "Kun grønne"),
]
CLASS_CHOICES = [
    ("", "Alle"),
    ("ingen", "Ingen"),
    ("forebyggelsesomraade", "Forebyggelsesområde"),
    ("udsat", "Udsat boligområde"),
    ("parallelsamfund", "Parallelsamfund / ghettoområde"),
    ("omdannelsesomraade", "Omdannelsesområde / hårdt ghettoområde"),
]
SORT_KEYS = ("nummer", "navn", "omraade", "signal", "risiko", "aendring", "klassifikation", "forslag")


class OverviewFilterForm(DkfdsFormMixin, forms.Form):
    """Filters of the round overview. Every field is optional; a bad value is dropped, not an error page."""

    q = forms.CharField(label="Søg", required=False, widget=forms.TextInput(attrs={"type": "search"}))
    # Plain ids checked against the visible ones (see _visible): as choice fields, Django would normalise
    # 1.400 choices on every request, for drop-downs the template draws from options() anyway.
    organisation = forms.IntegerField(label="Boligorganisation", required=False)
    boligomraade = forms.IntegerField(label="Boligområde", required=False)
    klassifikation = forms.ChoiceField(label="Områdets klassifikation", required=False, choices=CLASS_CHOICES)
    signal = forms.ChoiceField(label="Signaler", required=False, choices=SIGNAL_CHOICES)
    forslag = forms.ChoiceField(
        label="Foreslået indsats",
        required=False,
        choices=[("", "Alle")] + [(c, criteria.SUGGESTION_LABELS[c]) for c in criteria.SUGGESTIONS],
    )
    scenarie = forms.ChoiceField(
        label="Scenarie",
        required=False,
        help_text="Beregn runden efter et andet regelsæt og se, hvilke områder der ændrer klasse.",
    )
    kun_aendrede = forms.BooleanField(label="Kun områder, der ændrer klasse i scenariet", required=False)
    sort = forms.ChoiceField(
        required=False,
        choices=[(k, k) for k in SORT_KEYS] + [(f"-{k}", k) for k in SORT_KEYS],
        widget=forms.HiddenInput,
    )

    def __init__(self, data, *, organisations, areas, scenarios=None):
        """`organisations` and `areas`: querysets of the ones the user may see. `scenarios`: the rule sets the
        round can be computed under besides its own, for a user who may use scenarios (else None: the
        scenario filters are not there)."""
        super().__init__(data)
        self.choices = {"organisation": organisations, "boligomraade": areas}
        self.scenarios = {regelsaet.kode: regelsaet for regelsaet in scenarios or ()}
        if scenarios is None:
            del self.fields["scenarie"], self.fields["kun_aendrede"]
        else:
            self.fields["scenarie"].choices = [("", "Ingen: rundens eget regelsæt")] + [
                (kode, regelsaet.navn) for kode, regelsaet in self.scenarios.items()
            ]

    def _visible(self, name: str) -> int | None:
        value = self.cleaned_data[name]
        if value is not None and not self.choices[name].filter(pk=value).exists():
            raise forms.ValidationError("Kendes ikke.")
        return value

    def clean_organisation(self):
        return self._visible("organisation")

    def clean_boligomraade(self):
        return self._visible("boligomraade")

    def options(self) -> dict[str, str]:
        """The long drop-downs (900 areas, 500 organisations nationally) as ready <option> HTML: drawn by
        the widget templates they cost more than the rest of the page."""
        return {name: long_options(visible, self.data.get(name)) for name, visible in self.choices.items()}

    def short_fields(self) -> list:
        return [self[name] for name in ("klassifikation", "signal", "forslag")]

    def scenario_fields(self) -> list:
        return [self[name] for name in ("scenarie", "kun_aendrede") if name in self.fields]

    def values(self) -> dict:
        """The valid filters; a stale or hand-edited value is ignored rather than failing the page. The
        scenario is given as its rule set; "only changed areas" only with a scenario."""
        self.is_valid()
        values = {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}
        only_changed = values.pop("kun_aendrede", False)
        if "scenarie" in values:
            values["scenarie"] = self.scenarios[values["scenarie"]]
            if only_changed:
                values["kun_aendrede"] = True
        return values


class VurderingForm(DkfdsFormMixin, forms.Form):
    beslutning = forms.ChoiceField(
        label="Beslutning",
        choices=[
            (Vurdering.Beslutning.BEKRAEFTET, "Bekræft forslaget"),
            (Vurdering.Beslutning.TILSIDESAT, "Tilsidesæt forslaget"),
        ],
        widget=forms.RadioSelect,
    )
    valgt_type = forms.ChoiceField(
        label="Indsats i stedet",
        required=False,
        choices=[("", "Vælg …")] + Vurdering.TYPE_CHOICES,
        help_text="Kun når forslaget tilsidesættes.",
    )
    begrundelse = forms.CharField(
        label="Begrundelse",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Skal udfyldes, når forslaget tilsidesættes.",
    )

    def __init__(self, *args, suggestion: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.suggestion = suggestion

    def clean(self):
        data = super().clean()
        if data.get("beslutning") == Vurdering.Beslutning.TILSIDESAT:
            if not data.get("valgt_type"):
                self.add_error("valgt_type", "Vælg den indsats, der skal gælde i stedet.")
            elif data["valgt_type"] == self.suggestion:
                self.add_error("valgt_type", "Det er den foreslåede indsats; bekræft forslaget i stedet.")
            if not data.get("begrundelse", "").strip():
                self.add_error("begrundelse", "Skriv en begrundelse for at tilsidesætte forslaget.")
        return data


class GenaabnRundeForm(DkfdsFormMixin, forms.Form):
    begrundelse = forms.CharField(
        label="Hvorfor genåbnes runden?",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Gemmes med runden. Så længe den er kladde, ser kun fsb's medarbejdere dens tal.",
        error_messages={"required": "Skriv hvorfor runden genåbnes."},
    )


class OfficialListForm(DkfdsFormMixin, forms.Form):
    fil = import_file_field()
    aar = forms.IntegerField(
        label="År",
        min_value=1990,
        help_text="Året, listen blev offentliggjort (1. december). Er året indlæst før, erstattes det.",
        error_messages={"min_value": "Året skal ligge mellem 1990 og i år."},
    )

    def clean_fil(self):
        return checked_import_file(self.cleaned_data["fil"])

    def clean_aar(self):
        aar = self.cleaned_data["aar"]
        if aar > official_lists.latest_allowed_year():
            raise forms.ValidationError(
                "Listerne for et år udkommer 1. december samme år; året ligger ude i fremtiden."
            )
        return aar


DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BestyrelsesmedlemForm(DkfdsFormMixin, forms.Form):
    """A board member: the person (name and e-mail, on their user account) and their seat on this afdeling's
    board (role and term)."""

    fornavn = forms.CharField(label="Fornavn", max_length=150)
    efternavn = forms.CharField(label="Efternavn", max_length=150)
    email = forms.EmailField(
        label="E-mail",
        max_length=150,
        help_text="Invitationen sendes hertil, og adressen bliver brugernavnet. Har personen allerede en "
        "bruger (fx fra en anden afdelings bestyrelse), får den bruger afdelingen med.",
    )
    rolle = forms.ChoiceField(
        label="Rolle i bestyrelsen",
        choices=Bestyrelsesmedlem.Rolle.choices,
        initial=Bestyrelsesmedlem.Rolle.MEDLEM,
    )
    valgt_dato = forms.DateField(label="Valgt", required=False, widget=DATE_WIDGET)
    valgt_til = forms.DateField(
        label="Valgt til", required=False, widget=DATE_WIDGET, help_text="Hvornår valgperioden udløber."
    )

    def __init__(self, *args, seat: Bestyrelsesmedlem | None = None, **kwargs):
        if seat is not None:
            user = seat.user
            kwargs.setdefault(
                "initial",
                {
                    "fornavn": user.first_name,
                    "efternavn": user.last_name,
                    "email": user.email,
                    "rolle": seat.rolle,
                    "valgt_dato": seat.valgt_dato,
                    "valgt_til": seat.valgt_til,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "off"
        if seat is not None:
            self.fields[
                "email"
            ].help_text = "Ændres adressen, ændres også brugernavnet, hvis det var adressen."

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        valgt, til = cleaned.get("valgt_dato"), cleaned.get("valgt_til")
        if valgt and til and til <= valgt:
            self.add_error("valgt_til", "Valgperioden skal udløbe efter valget.")
        return cleaned


class FratraedForm(DkfdsFormMixin, forms.Form):
    fratraadt = forms.DateField(label="Fratrådt den", widget=DATE_WIDGET)

    def __init__(self, *args, seat: Bestyrelsesmedlem, today, **kwargs):
        self.seat, self.today = seat, today
        super().__init__(*args, **kwargs)
        self.fields["fratraadt"].initial = today

    def clean_fratraadt(self):
        day = self.cleaned_data["fratraadt"]
        if day > self.today:
            raise forms.ValidationError(
                "Datoen kan ikke ligge i fremtiden: registrér fratrædelsen, når den sker."
            )
        if self.seat.valgt_dato and day < self.seat.valgt_dato:
            raise forms.ValidationError(f"Datoen ligger før valget ({numeric_date(self.seat.valgt_dato)}).")
        return day
