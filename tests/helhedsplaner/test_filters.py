"""The plan list's filter of responsible staff: names read without a model per person, chosen one selected."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_staff_are_offered_by_full_name_or_user_name(client_as, medarbejder):
    named = UserFactory(username="ahol", first_name="Anne", last_name="Holm & Co", role="medarbejder")
    unnamed = UserFactory(username="uden-navn", first_name="", last_name="", role="medarbejder")
    UserFactory(username="kun-bestyrelse", role="afdelingsbestyrelse")
    html = client_as(medarbejder).get(reverse("plan_list"), {"ansvarlig": named.pk}).content.decode()
    assert f'<option value="{named.pk}" selected>Anne Holm &amp; Co</option>' in html
    assert f'<option value="{unnamed.pk}">uden-navn</option>' in html
    assert "kun-bestyrelse" not in html
