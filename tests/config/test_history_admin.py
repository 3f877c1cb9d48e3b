"""The admin's history pages of every model kept with django-simple-history: an id that is no id is 404."""

import pytest
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from config.admin import HistoryAdmin

pytestmark = pytest.mark.django_db

HISTORY_ADMINS = sorted(
    (model._meta.app_label, model._meta.model_name, type(model_admin))
    for model, model_admin in admin.site._registry.items()
    if isinstance(model_admin, SimpleHistoryAdmin)
)


def test_every_history_admin_shares_the_base():
    assert HISTORY_ADMINS
    assert [cls.__name__ for *_, cls in HISTORY_ADMINS if not issubclass(cls, HistoryAdmin)] == []


@pytest.mark.parametrize("app_label,model_name", [(app, model) for app, model, _ in HISTORY_ADMINS])
@pytest.mark.parametrize("path", ["abc/history/", "%00/history/", "abc/history/1/", "1/history/abc/"])
def test_a_history_page_of_no_such_id_answers_404(admin_client, app_label, model_name, path):
    response = admin_client.get(f"/admin/{app_label}/{model_name}/{path}")
    assert response.status_code == 404
