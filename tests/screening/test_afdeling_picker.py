"""Choosing afdelinger by a search: the forms show only the chosen ones, the search view the first matches the
user may see, and without JavaScript the "Søg" button sends the form back with the matches and what was
entered."""

import pytest
from django.urls import reverse

from indsatser.models import Indsats
from screening import afdeling_picker
from screening.afdeling_picker import MATCHES_SHOWN
from tests.factories import AfdelingFactory, OmraadeFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def search(client, text, ticked=()):
    return client.get(
        reverse("afdeling_search"), {"felt": "afdelinger", "afdelinger_soeg": text, "afdelinger": ticked}
    )


def test_the_search_finds_by_number_or_name_and_escapes(client_as, medarbejder):
    organisation = OrganisationFactory(navn="<fsb>")
    by_name = AfdelingFactory(nummer="17", navn='Hørgården "Nord"', organisation=organisation)
    by_number = AfdelingFactory(nummer="1701", navn="Lergravsparken", organisation=organisation)
    AfdelingFactory(nummer="99", navn="Bellahøj")
    client = client_as(medarbejder)
    html = search(client, "hørg").content.decode()
    assert f'value="{by_name.pk}"' in html and "Lergravsparken" not in html and "Bellahøj" not in html
    assert "Hørgården &quot;Nord&quot; (&lt;fsb&gt;" in html and "<fsb>" not in html
    html = search(client, "17").content.decode()
    assert f'value="{by_name.pk}"' in html and f'value="{by_number.pk}"' in html and "Bellahøj" not in html


def test_the_search_shows_the_ticked_ones_first_and_not_again_among_the_matches(client_as, medarbejder):
    ticked = AfdelingFactory(navn="Tingbjerg 1")
    other = AfdelingFactory(navn="Tingbjerg 2")
    html = search(client_as(medarbejder), "tingbjerg", [ticked.pk]).content.decode()
    assert html.count(f'value="{ticked.pk}"') == 1 and f'value="{ticked.pk}" checked' in html
    assert f'value="{other.pk}">' in html
    assert html.index(f'value="{ticked.pk}"') < html.index(f'value="{other.pk}"')


def test_the_search_shows_the_first_matches_and_says_there_are_more(
    client_as, medarbejder, django_assert_num_queries
):
    area = OmraadeFactory()
    for i in range(MATCHES_SHOWN + 5):
        AfdelingFactory(navn=f"Mange {i}", boligomraade=area)
    client = client_as(medarbejder)
    # session, user, groups; the matches (with organisation and område); no afdeling is ticked
    with django_assert_num_queries(4):
        html = search(client, "mange").content.decode()
    assert html.count('type="checkbox"') == MATCHES_SHOWN
    assert f"De første {MATCHES_SHOWN} afdelinger" in html


def test_only_staff_search_the_forms_afdelinger(
    client_as, bestyrelse, sekretariat, own_afdeling, foreign_afdeling
):
    """Only staff fill in the forms with the picker; a board member naming a foreign afdeling as ticked learns
    nothing about it."""
    for user in (bestyrelse, sekretariat):
        answer = search(client_as(user), "afdeling", ticked=[own_afdeling.pk, foreign_afdeling.pk])
        assert answer.status_code == 403 and "Fremmed Afdeling" not in answer.content.decode()


def test_the_ticked_afdelinger_are_read_as_the_user_may_see_them(bestyrelse, own_afdeling, foreign_afdeling):
    chosen = afdeling_picker.chosen([own_afdeling.pk, foreign_afdeling.pk], user=bestyrelse)
    assert chosen == [own_afdeling]


def test_the_indsats_form_sends_only_the_chosen_afdelinger(client_as, medarbejder):
    chosen = AfdelingFactory(navn="Valgt")
    for _ in range(30):
        AfdelingFactory(navn="Ikke valgt")
    client = client_as(medarbejder)
    html = client.get(reverse("indsats_create")).content.decode()
    assert "Ikke valgt" not in html and "Ingen afdelinger valgt." in html
    assert 'name="afdelinger_soeg"' in html and 'hx-get="/afdelinger/soeg/"' in html
    assert "<noscript>" in html and 'name="afdelinger_soeg_knap"' in html
    response = client.post(reverse("indsats_create"), {"titel": "Halvfærdig", "afdelinger": [chosen.pk]})
    assert response.status_code == 400
    assert f'value="{chosen.pk}" checked' in response.content.decode()


def test_without_javascript_the_search_button_shows_the_matches_and_keeps_what_was_entered(
    client_as, medarbejder
):
    chosen = AfdelingFactory(navn="Allerede valgt")
    match = AfdelingFactory(navn="Mjølnerparken")
    client = client_as(medarbejder)
    response = client.post(
        reverse("indsats_create"),
        {
            "titel": "Min <indsats>",
            "afdelinger": [chosen.pk],
            "afdelinger_soeg": "mjøl",
            "afdelinger_soeg_knap": "1",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert not Indsats.objects.exists()
    assert 'value="Min &lt;indsats&gt;"' in html
    assert f'value="{chosen.pk}" checked' in html and f'value="{match.pk}">' in html
    assert 'value="mjøl"' in html
    assert "form-error-message" not in html  # a search is no attempt to save

    # Ticking the match and saving sends both, as ticked checkboxes do.
    response = client.post(
        reverse("indsats_create"), {"titel": "Min indsats", "afdelinger": [chosen.pk, match.pk]}
    )
    assert f'value="{match.pk}" checked' in response.content.decode()


def test_the_plan_form_searches_the_same_way(client_as, medarbejder):
    match = AfdelingFactory(navn="Tingbjerg")
    client = client_as(medarbejder)
    response = client.post(
        reverse("plan_create"), {"titel": "Ny plan", "afdelinger_soeg": "tingb", "afdelinger_soeg_knap": "1"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'value="{match.pk}">' in html and 'value="Ny plan"' in html
    assert '<label class="form-label" for="id_afdelinger_soeg">' in html


# A superscript digit passes str.isdigit() but not int(), and int() refuses a number of 5,000 digits.
NOT_PKS = ["²", "٣", "9" * 5000, "-1", " 7"]


def test_ticked_values_that_are_no_pks_are_ignored_by_the_search(client_as, medarbejder):
    ticked = AfdelingFactory(navn="Tingbjerg 1")
    response = search(client_as(medarbejder), "tingbjerg", [ticked.pk, *NOT_PKS])
    assert response.status_code == 200
    assert f'value="{ticked.pk}" checked' in response.content.decode()


@pytest.mark.parametrize("searching", [False, True], ids=["saving", "searching"])
def test_a_form_sent_with_values_that_are_no_pks_is_refused_or_searched(client_as, medarbejder, searching):
    ticked = AfdelingFactory(navn="Tingbjerg 1")
    data = {"titel": "Min indsats", "afdelinger": [ticked.pk, *NOT_PKS], "afdelinger_soeg": "ting"}
    if searching:
        data["afdelinger_soeg_knap"] = "1"
    response = client_as(medarbejder).post(reverse("indsats_create"), data)
    assert response.status_code == (200 if searching else 400)
    assert f'value="{ticked.pk}" checked' in response.content.decode()
    assert not Indsats.objects.exists()
