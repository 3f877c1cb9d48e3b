"""Drop-downs drawn without a template per option: the long lists of named things (screening.options keeps
their options ready) and the short choice lists of the filters. The HTML is the same as Django's."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from screening.options import NAME, long_options

SELECTED = mark_safe(" selected")


class LongSelect(forms.Select):
    """A drop-down whose options are written with format_html instead of through a template each; the HTML is
    the same as Django's."""

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final_attrs["multiple"] = True  # as Django's SelectMultiple puts it
        options = self.option_tags(self.format_value(value))
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(final_attrs), options)

    def option_tags(self, chosen: list[str]) -> SafeString:
        return format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((option, SELECTED if str(option) in chosen else "", label) for option, label in self.choices),
        )


class NamedSelect(LongSelect):
    """The drop-down of a ModelChoiceField (a filter's or a form's) over one of the long lists of named things
    (boligområder, boligorganisationer, staff): the field's empty label, then the options screening.options
    keeps ready."""

    def __init__(self, label=NAME):
        super().__init__(attrs={"class": "form-select"})
        self.label = label

    def option_tags(self, chosen: list[str]) -> SafeString:
        value = chosen[0] if chosen else ""
        return format_html(
            '<option value=""{}>{}</option>{}',
            "" if value else SELECTED,
            self.choices.field.empty_label,
            long_options(self.choices.queryset, value, self.label),
        )


SELECT = LongSelect(attrs={"class": "form-select"})
