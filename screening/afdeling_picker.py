"""Choosing afdelinger in a form: the form shows the chosen ones, ticked, and a search box whose matches (the
first MATCHES_SHOWN, by number or name, among those the user may see) come from a small search view, with htmx
as one types, and without JavaScript from a "Søg" button that sends the form back with the matches and with
everything entered kept. The field posts the pks of the ticked afdelinger, as a list of checkboxes does."""

import re

from django import forms
from django.db.models import Q
from django.forms.utils import ErrorDict
from django.template.loader import render_to_string

from config.web.lists import whole_number
from screening.models import Afdeling

MATCHES_SHOWN = 20
SEARCH_SUFFIX = "_soeg"
BUTTON_SUFFIX = "_soeg_knap"
FIELD_NAME = re.compile(r"[\w-]{1,60}")


def _pks(values) -> list[int]:
    return [pk for pk in map(whole_number, values) if pk is not None]


def chosen(pks, known=(), user=None) -> list[Afdeling]:
    """The afdelinger with these pks (anything else is ignored, and with a `user`, anything they may not
    see), by number; those among `known` (afdelinger read with their organisation and område) are not read
    again."""
    known = {afdeling.pk: afdeling for afdeling in known}
    wanted = set(_pks(pks))
    afdelinger = [known[pk] for pk in wanted & known.keys()]
    if wanted - known.keys():
        readable = Afdeling.objects.visible_to(user) if user is not None else Afdeling.objects.all()
        afdelinger += readable.filter(pk__in=wanted - known.keys()).select_related(
            "organisation", "boligomraade"
        )
    return sorted(afdelinger, key=lambda afdeling: (afdeling.nummer, afdeling.navn, afdeling.pk))


def matching(user, text: str, exclude=()) -> tuple[list[Afdeling], bool]:
    """The first MATCHES_SHOWN afdelinger the user may see whose number starts with, or whose name holds, each
    word of `text` (none for no words), less `exclude` (pks); and whether there are more."""
    words = text.split()[:5]
    if not words:
        return [], False
    afdelinger = Afdeling.objects.visible_to(user).exclude(pk__in=_pks(exclude))
    for word in words:
        afdelinger = afdelinger.filter(Q(nummer__istartswith=word) | Q(navn__icontains=word))
    found = list(
        afdelinger.select_related("organisation", "boligomraade").order_by("nummer", "navn", "pk")[
            : MATCHES_SHOWN + 1
        ]
    )
    return found[:MATCHES_SHOWN], len(found) > MATCHES_SHOWN


def choices_context(name: str, chosen_afdelinger, text: str, matches, more: bool, disabled=False) -> dict:
    """What screening/_afdeling_choices.html draws: the chosen afdelinger ticked, then the matches."""
    return {
        "name": name,
        "id": f"id_{name}",
        "chosen": chosen_afdelinger,
        "search": text,
        "matches": matches,
        "more": more,
        "shown": MATCHES_SHOWN,
        "disabled": disabled,
    }


class AfdelingPicker(forms.Widget):
    template_name = "screening/_afdeling_picker.html"
    allow_multiple_selected = True

    def __init__(self, attrs=None):
        super().__init__(attrs)
        # Set by AfdelingSearchMixin.find_afdelinger when the form comes back from its "Søg" button.
        self.search_text, self.matches, self.more = "", [], False
        # The afdelinger the form has read already (an instance's own), with organisation and område.
        self.known = []

    def id_for_label(self, id_):
        return f"{id_}{SEARCH_SUFFIX}" if id_ else id_

    def value_from_datadict(self, data, files, name):
        return data.getlist(name) if hasattr(data, "getlist") else data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return False  # no ticked checkbox posts nothing, as with Django's checkboxes

    def format_value(self, value):
        if value is None:
            return []
        if not isinstance(value, list | tuple):
            value = [value]
        return [str(v) for v in value if v is not None]

    def render(self, name, value, attrs=None, renderer=None):
        # The project's templates (Django's form renderer looks only in the apps' and its own).
        return render_to_string(self.template_name, self.get_context(name, value, attrs))

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        disabled = bool(context["widget"]["attrs"].get("disabled"))
        context.update(
            choices_context(
                name,
                chosen(context["widget"]["value"], self.known),
                self.search_text,
                self.matches,
                self.more,
                disabled,
            )
        )
        return context


class AfdelingPickerField(forms.ModelMultipleChoiceField):
    widget = AfdelingPicker

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Afdelinger")
        super().__init__(queryset=Afdeling.objects.all(), **kwargs)


class AfdelingSearchMixin:
    """For a form with an AfdelingPickerField named `afdelinger`: sent back from its "Søg" button (no
    JavaScript), the form is not valid but shows no errors, and the view calls find_afdelinger(user) to show
    the matches."""

    afdeling_field = "afdelinger"

    @property
    def searching(self) -> bool:
        return self.is_bound and self.add_prefix(self.afdeling_field) + BUTTON_SUFFIX in self.data

    def know_afdelinger(self, afdelinger) -> None:
        """Show these afdelinger, read with their organisation and område, without reading them again."""
        self.fields[self.afdeling_field].widget.known = afdelinger

    def find_afdelinger(self, user) -> None:
        name = self.add_prefix(self.afdeling_field)
        widget = self.fields[self.afdeling_field].widget
        widget.search_text = self.data.get(name + SEARCH_SUFFIX, "")[:100]
        widget.matches, widget.more = matching(user, widget.search_text, exclude=self.data.getlist(name))

    def full_clean(self):
        if self.searching:
            self._errors, self.cleaned_data = ErrorDict(), {}
            return
        super().full_clean()

    def is_valid(self):
        return not self.searching and super().is_valid()
