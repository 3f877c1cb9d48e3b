"""The admin's shared shapes: the base of every model kept with django-simple-history, and the one read-only
shape, for the records that are written only through the application's rules (budgets with their states,
decisions' conditions, change requests, closing criteria, the timeline)."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin


def _check_id(field, value) -> None:
    """404 for an id from the address that the field cannot hold ("abc", a NUL byte), which
    django-simple-history would hand to the database unchecked (a 500)."""
    try:
        field.to_python(unquote(value))
    except (ValidationError, ValueError, TypeError):
        raise Http404 from None


class HistoryAdmin(SimpleHistoryAdmin):
    """The admin of every model with a history: its history pages answer 404 for an id that is no id, as
    Django's own change page does."""

    def history_view(self, request, object_id, extra_context=None):
        _check_id(self.model._meta.pk, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        history_model = getattr(self.model, self.model._meta.simple_history_manager_attribute).model
        _check_id(self.model._meta.pk, object_id)
        _check_id(history_model._meta.pk, version_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReadOnlyAdmin:
    """Mixed into a ModelAdmin before it: the admin lists and shows the rows, and never adds, changes or
    deletes them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
