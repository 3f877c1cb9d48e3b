"""Rule scenarios: a round computed under another rule set beside its own, on the overview and the area page,
for staff and the secretariat only."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from screening import results
from screening.models import Regelsaet, Scenarieresultat
from tests.screening.screening_data import BAD_FIGURES, CALM_FIGURES, make_round, measure
from tests.screening.test_criteria import RULES_2021_UDEN_IKKE_VESTLIGE

pytestmark = pytest.mark.django_db

SCENARIO = "2021-uden-ikke-vestlige"


@pytest.fixture
def screened(own_afdeling, foreign_afdeling):
    """2024: the board member's area is parallelsamfund (udsat with a non-western majority); the foreign area
    is calm."""
    runde = make_round(2024)
    measure(runde, own_afdeling, **BAD_FIGURES)
    measure(runde, foreign_afdeling, **CALM_FIGURES)
    results.refresh_from(2024)
    return runde


def test_the_scenario_is_data_and_never_a_rounds_rule_set(db):
    scenario = Regelsaet.objects.get(kode=SCENARIO)
    assert scenario.scenarie and scenario.navn == "2021-regler uden kriteriet om ikke-vestlige"
    assert scenario.to_rule_set() == RULES_2021_UDEN_IKKE_VESTLIGE
    for aar in (2021, 2024, 2030):
        assert Regelsaet.objects.in_force(aar).kode == "2021"


@pytest.mark.parametrize(
    "changes,message",
    [
        ({"forebyggelse_ikke_vestlige_pct": 30}, "lad også forebyggelsesgrænsen for ikke-vestlige stå tom"),
        ({"parallel_ikke_vestlige_pct": 50}, "udfyldes sammen med de øvrige forebyggelsesgrænser"),
        ({"forebyggelse_uden_job_pct": None}, "Udfyld alle forebyggelsesgrænserne for A-D eller ingen"),
    ],
)
def test_the_non_western_criterion_is_in_a_rule_set_as_a_whole(db, changes, message):
    scenario = Regelsaet.objects.get(kode=SCENARIO)
    scenario.full_clean()
    for name, value in changes.items():
        setattr(scenario, name, value)
    with pytest.raises(ValidationError, match=message):
        scenario.full_clean()


def test_each_area_keeps_its_class_under_every_other_rule_set(screened, own_afdeling, foreign_afdeling):
    stored = {
        (r.omraade.boligomraade_id, r.regelsaet.kode): (r.klassifikation, r.kriterier, r.aendret)
        for r in Scenarieresultat.objects.select_related("omraade", "regelsaet")
    }
    own, foreign = own_afdeling.boligomraade_id, foreign_afdeling.boligomraade_id
    assert stored == {
        (own, SCENARIO): ("udsat", "A,C", True),
        (own, "2018"): ("ghettoomraade", "A,C", False),  # the same level under its 2018 name
        (foreign, SCENARIO): ("ingen", "", False),
        (foreign, "2018"): ("ingen", "", False),
    }


def test_the_overview_shows_and_filters_the_areas_that_would_change(
    client_as, sekretariat, screened, own_afdeling, foreign_afdeling
):
    client = client_as(sekretariat)
    plain = client.get(reverse("screening_overview"), {"aar": 2024}).text
    assert 'name="scenarie"' in plain and "I scenariet</th>" not in plain
    assert f'<option value="{SCENARIO}">2021-regler uden kriteriet om ikke-vestlige</option>' in plain
    page = client.get(reverse("screening_overview"), {"aar": 2024, "scenarie": SCENARIO}).text
    assert "I scenariet</th>" in page
    assert "<strong>Scenarie: 2021-regler uden kriteriet om ikke-vestlige.</strong> 1 område i listen" in page
    assert page.count("ændres i scenariet") == 1 and "uændret" in page
    assert own_afdeling.navn in page and foreign_afdeling.navn in page
    changed = client.get(
        reverse("screening_overview"), {"aar": 2024, "scenarie": SCENARIO, "kun_aendrede": "on"}
    )
    assert own_afdeling.navn in changed.text and foreign_afdeling.navn not in changed.text
    # "Only changed" means nothing without a scenario; an unknown scenario is dropped like any stale filter.
    for query in ({"kun_aendrede": "on"}, {"scenarie": "ukendt", "kun_aendrede": "on"}):
        response = client.get(reverse("screening_overview"), {"aar": 2024, **query})
        assert response.status_code == 200 and foreign_afdeling.navn in response.text
        assert "I scenariet</th>" not in response.text


def test_the_area_page_shows_the_class_under_the_scenario(client_as, medarbejder, screened, own_afdeling):
    url = reverse("screening_omraade", args=[own_afdeling.boligomraade_id])
    client = client_as(medarbejder)
    page = client.get(url, {"aar": 2024}).text
    assert "Beregn runden efter et andet regelsæt" in page and "Ændres i scenariet" not in page
    page = client.get(url, {"aar": 2024, "scenarie": SCENARIO}).text
    assert "Ændres i scenariet" in page and "Parallelsamfund" in page
    assert "Efter 2021-regler uden kriteriet om ikke-vestlige:" in page
    assert "2 af kriterierne A-D er opfyldt (mindst 2)." in page
    same = client.get(url, {"aar": 2024, "scenarie": "2018"}).text
    assert "Samme klasse som efter" in same and "Ghettoområde" in same


def test_board_members_see_no_scenario(client_as, bestyrelse, screened, own_afdeling):
    client = client_as(bestyrelse)
    for url in (
        reverse("screening_overview"),
        reverse("screening_omraade", args=[own_afdeling.boligomraade_id]),
    ):
        page = client.get(url, {"aar": 2024, "scenarie": SCENARIO, "kun_aendrede": "on"})
        assert page.status_code == 200
        assert (
            "Scenarie" not in page.text
            and "scenariet" not in page.text
            and 'name="scenarie"' not in page.text
        )
    assert (
        own_afdeling.navn
        in client.get(reverse("screening_overview"), {"aar": 2024, "kun_aendrede": "on"}).text
    )


def test_a_change_of_rule_sets_computes_the_scenarios_again(screened, own_afdeling):
    scenario = Regelsaet.objects.get(kode=SCENARIO)
    scenario.udsat_kun_grundskole_pct = 70  # C no longer met for udsat; A and C still for forebyggelse
    scenario.save()
    screened.refresh_from_db()
    results.ensure_fresh(screened)
    stored = Scenarieresultat.objects.get(omraade__boligomraade=own_afdeling.boligomraade, regelsaet=scenario)
    assert (stored.klassifikation, stored.aendret) == ("forebyggelsesomraade", True)
