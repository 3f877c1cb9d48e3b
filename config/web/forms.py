"""What every app's forms share: the Danish design system's widget classes, the bound-on-POST rule, and the
upload field of every import."""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.forms.utils import pretty_name

from config.web.formatting import whole_number
from config.web.limits import MAX_TEXT_CHARS, MAX_UPLOAD_BYTES, megabytes

# What Django's drop-downs offer as their empty choice (django.db.models.fields.BLANK_CHOICE_DASH).
DJANGO_EMPTY_LABEL = "---------"
IMPORT_HELP_TEXT = f"CSV i UTF-8 med komma eller semikolon, eller .xlsx. Højst {megabytes(MAX_UPLOAD_BYTES)}."


def posted(request):
    """The submitted data of a POST (even an empty one, which must fail validation), None for a GET.
    (`request.POST or None` takes an empty POST for a GET: the form stays unbound and shows no errors.)"""
    return request.POST if request.method == "POST" else None


def choose_label(label) -> str:
    """ "Vælg ansvarlig medarbejder": a drop-down's empty choice, from the field's label (its first letter in
    lower case unless the word is an abbreviation such as LBF)."""
    label = str(label)
    if label[1:2].islower():
        label = label[:1].lower() + label[1:]
    return f"Vælg {label}"


def _say_what_to_choose(form_field, label) -> None:
    """Django's empty choice "---------" said in Danish: "Vælg …" and the field's label."""
    if isinstance(form_field, forms.ModelChoiceField):
        if form_field.empty_label == DJANGO_EMPTY_LABEL:
            form_field.empty_label = choose_label(label)
    elif isinstance(form_field, forms.ChoiceField) and not isinstance(form_field, forms.MultipleChoiceField):
        choices = list(form_field.choices)
        if any(text == DJANGO_EMPTY_LABEL for _value, text in choices):
            form_field.choices = [
                (value, choose_label(label) if text == DJANGO_EMPTY_LABEL else text)
                for value, text in choices
            ]


def within_text_limit(value: str) -> None:
    """The one limit of a typed text (a form's text field without a shorter one of its own)."""
    if len(value) > MAX_TEXT_CHARS:
        limit, length = whole_number(MAX_TEXT_CHARS), whole_number(len(value))
        raise forms.ValidationError(
            f"Teksten må højst have {limit} tegn (den har {length}).", code="max_length"
        )


class DkfdsFormMixin:
    """Gives every widget the CSS class the Danish design system styles it by, every drop-down's empty
    choice a Danish "Vælg …", and every text field without a limit of its own the common one (a text of
    megabytes would make every page and pack that shows it slow).

    Many forms add fields in their own __init__, after this one has run, so a field is also dressed when
    it is drawn (__getitem__, which every way of rendering goes through) and before the form is cleaned."""

    widget_classes = {
        forms.Select: "form-select",
        forms.SelectMultiple: "form-select",
        forms.CheckboxInput: "form-checkbox",
        forms.RadioSelect: "form-radio",
        forms.CheckboxSelectMultiple: "form-checkbox",
        forms.Textarea: "form-input",
        forms.ClearableFileInput: "form-file-input",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._dress_fields()

    def __getitem__(self, name):
        if name in self.fields:
            self._dress(name, self.fields[name])
        return super().__getitem__(name)

    def full_clean(self):
        self._dress_fields()
        super().full_clean()

    def _dress_fields(self):
        for name, form_field in self.fields.items():
            self._dress(name, form_field)

    def _dress(self, name, form_field):
        """Idempotent: a field already dressed keeps its class, its choices and one text limit."""
        widget = form_field.widget
        css_class = next(
            (css for kind, css in self.widget_classes.items() if type(widget) is kind), "form-input"
        )
        widget.attrs.setdefault("class", css_class)
        _say_what_to_choose(form_field, form_field.label or pretty_name(name))
        # Plain text fields only: CharField's subclasses (amounts, e-mail) clean to values of their own.
        if (
            type(form_field) is forms.CharField
            and form_field.max_length is None
            and within_text_limit not in form_field.validators
        ):
            form_field.validators.append(within_text_limit)


def import_file_field() -> forms.FileField:
    """The file field of every import's upload form (afdelinger, screening figures, regnskab)."""
    return forms.FileField(
        label="Fil (CSV eller Excel)",
        help_text=IMPORT_HELP_TEXT,
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )


def checked_import_file(upload):
    """The upload, refused before it is read if it is larger than an import reads."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise forms.ValidationError(f"Filen er større end {megabytes(MAX_UPLOAD_BYTES)}.")
    return upload


class ImportForm(DkfdsFormMixin, forms.Form):
    fil = import_file_field()

    def clean_fil(self):
        return checked_import_file(self.cleaned_data["fil"])


class PasswordChangeForm(DkfdsFormMixin, auth_forms.PasswordChangeForm):
    """Django's form, drawn as the application's forms are."""


class SetPasswordForm(DkfdsFormMixin, auth_forms.SetPasswordForm):
    """Django's form behind a password link (a reset or a new board member's invitation), drawn as the
    application's forms are."""
