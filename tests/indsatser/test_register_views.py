"""The register's list (filters in place, export), the create and edit form, and transitions over HTTP."""

from datetime import date
from io import BytesIO

import pytest
from django.template import Context, Template
from django.urls import reverse
from openpyxl import load_workbook

from indsatser.forms import IndsatsForm
from indsatser.models import Finansieringsperiode, Indsats, IndsatsHaendelse, Indsatsomraade, Maal, Maalgruppe
from tests.factories import AfdelingFactory, IndsatsFactory, OmraadeFactory, OrganisationFactory, UserFactory
from tests.indsatser.factories import AktivitetFactory, PartnerFactory, active_indsats, indsatstype

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(db):
    tingbjerg = OmraadeFactory(navn="Tingbjerg")
    husum = OmraadeFactory(navn="Husum")
    sab = OrganisationFactory(navn="SAB")
    plan = active_indsats(
        titel="Helhedsplan Tingbjerg",
        type=indsatstype("helhedsplan"),
        afdelinger=[AfdelingFactory(boligomraade=tingbjerg, organisation=sab)],
        periode=Finansieringsperiode.objects.get(navn="2019-26"),
    )
    plan.maal.set(Maal.objects.all())
    projekt = IndsatsFactory(
        titel="Fædrenetværk Husum", afdelinger=[AfdelingFactory(boligomraade=husum, navn="Bøgebakken")]
    )
    projekt.maal.set(Maal.objects.filter(nummer=4))
    return {"tingbjerg": tingbjerg, "husum": husum, "sab": sab, "plan": plan, "projekt": projekt}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"type": "helhedsplan"}, ["Helhedsplan Tingbjerg"]),
        ({"status": "forslag"}, ["Fædrenetværk Husum"]),
        ({"omraade": "husum"}, ["Fædrenetværk Husum"]),
        ({"organisation": "sab"}, ["Helhedsplan Tingbjerg"]),
        ({"periode": "2019-26"}, ["Helhedsplan Tingbjerg"]),
        ({"maal": 4}, ["Fædrenetværk Husum", "Helhedsplan Tingbjerg"]),
        ({"maal": 1}, ["Helhedsplan Tingbjerg"]),
        ({"q": "bøgebakken"}, ["Fædrenetværk Husum"]),
    ],
)
def test_list_filters(client_as, medarbejder, register, params, expected):
    resolved = {}
    for key, value in params.items():
        if key == "type":
            value = indsatstype(value).pk
        elif key == "omraade":
            value = register[value].pk
        elif key == "organisation":
            value = register[value].pk
        elif key == "periode":
            value = Finansieringsperiode.objects.get(navn=value).pk
        elif key == "maal":
            value = Maal.objects.get(nummer=value).pk
        resolved[key] = value
    response = client_as(medarbejder).get(reverse("indsats_list"), resolved)
    shown = [t for t in ("Fædrenetværk Husum", "Helhedsplan Tingbjerg") if t in response.text]
    assert shown == expected


def test_htmx_gets_only_results_and_export_follows_filters(client_as, medarbejder, register):
    client = client_as(medarbejder)
    response = client.get(reverse("indsats_list"), {"status": "aktiv"}, headers={"HX-Request": "true"})
    assert response.text.lstrip().startswith('<section id="indsats-results"')
    assert "HX-Request" in response["Vary"]
    assert reverse("indsats_export") + "?status=aktiv" in response.text
    export = client.get(reverse("indsats_export"), {"status": "aktiv"})
    sheet = load_workbook(BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Titel"
    assert [r[0] for r in rows[1:]] == ["Helhedsplan Tingbjerg"]
    assert rows[1][2] == "Aktiv" and rows[1][7] == "SAB" and rows[1][9] == "1, 2, 3, 4"


def test_bad_filter_values_show_everything(client_as, medarbejder, register):
    response = client_as(medarbejder).get(reverse("indsats_list"), {"type": "x", "side": "y", "maal": "999"})
    assert response.status_code == 200
    assert "Fædrenetværk Husum" in response.text and "Helhedsplan Tingbjerg" in response.text


def form_data(**overrides):
    data = {
        "titel": "Tryghedspartnerskab",
        "type": indsatstype("udviklingsprojekt").pk,
        "startdato": "2026-01-01",
        "slutdato": "2029-12-31",
        "beskrivelse": "Fire år med kommune, SSP og politi.",
    }
    data.update(overrides)
    return data


def test_staff_creates_an_indsats_with_lists(client_as, medarbejder):
    afdeling = AfdelingFactory()
    periode = Finansieringsperiode.objects.get(navn="2019-26")
    omraade = Indsatsomraade.objects.filter(periode=periode).first()
    data = form_data(
        afdelinger=[afdeling.pk],
        maal=[Maal.objects.get(nummer=4).pk],
        periode=periode.pk,
        indsatsomraader=[omraade.pk],
    )
    response = client_as(medarbejder).post(reverse("indsats_create"), data)
    indsats = Indsats.objects.get(titel="Tryghedspartnerskab")
    assert response.status_code == 302 and response["Location"] == reverse(
        "indsats_detail", args=[indsats.pk]
    )
    assert list(indsats.afdelinger.all()) == [afdeling]
    assert list(indsats.indsatsomraader.all()) == [omraade]
    assert indsats.status == Indsats.Status.FORSLAG
    assert indsats.history.first().history_user == medarbejder


def test_indsatsomraader_must_belong_to_the_chosen_period(client_as, medarbejder):
    old = Indsatsomraade.objects.get(periode__navn="2015-18", navn="Tryghed og trivsel")
    new_period = Finansieringsperiode.objects.get(navn="2019-26")
    client = client_as(medarbejder)
    response = client.post(
        reverse("indsats_create"), form_data(periode=new_period.pk, indsatsomraader=[old.pk])
    )
    assert response.status_code == 400
    assert "Hører ikke til perioden 2019-26: Tryghed og trivsel." in response.text
    response = client.post(reverse("indsats_create"), form_data(indsatsomraader=[old.pk]))
    assert response.status_code == 400
    assert "Vælg en finansieringsperiode" in response.text
    assert not Indsats.objects.exists()


def test_invalid_dates_and_missing_title_rerender_in_danish(client_as, medarbejder):
    response = client_as(medarbejder).post(
        reverse("indsats_create"), form_data(titel="", startdato="2026-05-01", slutdato="2026-01-01")
    )
    assert response.status_code == 400
    assert "Slutdatoen ligger før startdatoen." in response.text
    assert "Dette felt er påkrævet." in response.text
    assert not Indsats.objects.exists()


def test_edit_keeps_the_type_and_status(client_as, medarbejder):
    indsats = active_indsats(titel="Gammel titel")
    response = client_as(medarbejder).post(
        reverse("indsats_edit", args=[indsats.pk]),
        form_data(
            titel="Ny titel",
            type=indsatstype("helhedsplan").pk,
            afdelinger=[a.pk for a in indsats.afdelinger.all()],
        ),
    )
    assert response.status_code == 302
    indsats.refresh_from_db()
    assert indsats.titel == "Ny titel"
    assert indsats.type.kode == "udviklingsprojekt" and indsats.status == Indsats.Status.AKTIV


def test_transition_page_fires_and_records(client_as, medarbejder):
    indsats = IndsatsFactory(afdelinger=[AfdelingFactory()])
    client = client_as(medarbejder)
    url = reverse("indsats_overgang", args=[indsats.pk, "behandl"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"kommentar": "Ja ved afdelingsmødet 3. marts."})
    assert response.status_code == 302
    indsats.refresh_from_db()
    assert indsats.status == Indsats.Status.BEHANDLET
    event = IndsatsHaendelse.objects.get(indsats=indsats)
    assert event.bruger == medarbejder and event.kommentar == "Ja ved afdelingsmødet 3. marts."
    detail = client.get(reverse("indsats_detail", args=[indsats.pk]))
    assert "Status: Forslag → Behandlet på afdelingsmøde" in detail.text


def test_transition_over_htmx_redirects_or_shows_reasons(client_as, medarbejder):
    indsats = active_indsats()
    client = client_as(medarbejder)
    refused = client.post(
        reverse("indsats_overgang", args=[indsats.pk, "afslut"]), headers={"HX-Request": "true"}
    )
    assert refused.status_code == 400
    assert "Handlingen kan ikke udføres endnu" in refused.text and "<html" not in refused.text
    missing_reason = client.post(
        reverse("indsats_overgang", args=[indsats.pk, "opgiv"]), headers={"HX-Request": "true"}
    )
    assert missing_reason.status_code == 400 and "Skriv en begrundelse." in missing_reason.text
    done = client.post(
        reverse("indsats_overgang", args=[indsats.pk, "opgiv"]),
        {"kommentar": "Ingen midler."},
        headers={"HX-Request": "true"},
    )
    assert done.status_code == 200 and done["HX-Redirect"] == reverse("indsats_detail", args=[indsats.pk])


def test_helhedsplan_detail_offers_no_simple_transitions(client_as, medarbejder):
    plan = active_indsats(type=indsatstype("helhedsplan"), startdato=date(2024, 1, 1))
    detail = client_as(medarbejder).get(reverse("indsats_detail", args=[plan.pk]))
    assert "bevillingsforløb" in detail.text
    assert reverse("indsats_overgang", args=[plan.pk, "opgiv"]) not in detail.text
    response = client_as(medarbejder).post(
        reverse("indsats_overgang", args=[plan.pk, "opgiv"]), {"kommentar": "x"}
    )
    assert response.status_code == 400
    plan.refresh_from_db()
    assert plan.status == Indsats.Status.AKTIV


# The rows of the list as the template wrote them before indsatser.rows.indsats_rows; the
# values the query gives each row are worked out here from the models instead.
TEMPLATE_ROWS = """{% load indsatser_tags formatting %}
      {% for indsats in rows %}
      <tr>
        <td><a href="{% url 'indsats_detail' indsats.pk %}">{{ indsats.titel }}</a>{% if indsats.ansvarlig %}<br><span class="app-muted">{{ indsats.ansvarlig.get_full_name|default:indsats.ansvarlig.username }}</span>{% endif %}</td>
        <td>{{ indsats.type.navn }}</td>
        <td><span class="badge {{ indsats.status|status_badge }}">{{ indsats.get_status_display }}</span></td>
        <td>{% if indsats.startdato %}{{ indsats.startdato.year }}–{{ indsats.slutdato.year }}{% else %}–{% endif %}{% if indsats.periode %}<br><span class="app-muted">LBF {{ indsats.periode.navn }}</span>{% endif %}</td>
        <td>{% with afdelinger=indsats.afdeling_labels %}{{ afdelinger|slice:":3"|afdeling_labels }}{% if afdelinger|length > 3 %} og {{ afdelinger|length|add:"-3" }} flere{% endif %}{% endwith %}</td>
        <td>{% for maal in indsats.aims %}<span class="indsatser-aim" title="{{ maal.navn }}">{{ maal.nummer }}<span class="sr-only"> {{ maal.navn }}</span></span>{% empty %}–{% endfor %}</td>
        <td class="app-num">{{ indsats.antal_aktiviteter }}</td>
      </tr>
      {% endfor %}
    """  # noqa: E501


def test_the_rows_are_the_html_the_template_wrote(client_as, medarbejder):
    full = active_indsats(
        titel='Tryghed & trivsel i "Øst" <2025>',
        ansvarlig=UserFactory(first_name="Åse", last_name="O'Brien & Co"),
        periode=Finansieringsperiode.objects.get(navn="2019-26"),
        afdelinger=[AfdelingFactory(nummer=f"0{i}", navn=f"Blok {i} & <{i}>") for i in (5, 1, 3, 2, 4)],
    )
    full.maal.set(Maal.objects.all())
    for _ in range(3):
        AktivitetFactory(indsats=full)
    IndsatsFactory(titel="Uden noget")
    active_indsats(
        titel="Kun brugernavn",
        status=Indsats.Status.OPGIVET,
        slutdato=None,
        ansvarlig=UserFactory(username="uden-navn", first_name="", last_name=""),
        afdelinger=[AfdelingFactory(nummer="7", navn=navn) for navn in ("C", "A", "B")],
    )
    active_indsats(
        titel="Kun fornavn",
        status=Indsats.Status.BEHANDLET,
        startdato=date(2019, 5, 1),
        ansvarlig=UserFactory(first_name="Mette", last_name=""),
    ).maal.set(Maal.objects.filter(nummer=2))

    rows = list(
        Indsats.objects.select_related("type", "periode", "ansvarlig").order_by("-startdato", "titel", "pk")
    )
    for indsats in rows:
        afdelinger = indsats.afdelinger.order_by("nummer", "navn")
        indsats.afdeling_labels = [f"{a.nummer} {a.navn}" for a in afdelinger]
        indsats.aims = [{"nummer": m.nummer, "navn": m.navn} for m in indsats.maal.order_by("nummer")]
        indsats.antal_aktiviteter = indsats.aktiviteter.count()
    expected = Template(TEMPLATE_ROWS).render(Context({"rows": rows}))

    html = client_as(medarbejder).get(reverse("indsats_list")).text
    shown = html[html.index("<tbody>") + len("<tbody>") : html.index("</tbody>")]
    assert shown == expected
    assert "Tryghed &amp; trivsel i &quot;Øst&quot; &lt;2025&gt;" in shown


def test_the_edit_form_shows_every_choice_of_the_indsats(client_as, medarbejder):
    """The edit page reads only the pks of what is chosen: each field is drawn as from the whole indsats."""
    periode = Finansieringsperiode.objects.first()
    indsats = active_indsats(afdelinger=[AfdelingFactory(), AfdelingFactory()], periode=periode)
    indsats.maal.set(Maal.objects.all()[:2])
    indsats.indsatsomraader.set(Indsatsomraade.objects.filter(periode=periode)[:2])
    indsats.maalgrupper.set(Maalgruppe.objects.all()[:1])
    indsats.partnere.set([PartnerFactory(), PartnerFactory()])
    indsats.ansvarlig = medarbejder
    indsats.save()
    page_form = client_as(medarbejder).get(reverse("indsats_edit", args=[indsats.pk])).context["form"]
    whole_form = IndsatsForm(instance=Indsats.objects.get(pk=indsats.pk))
    for name in whole_form.fields:
        assert str(page_form[name]) == str(whole_form[name]), name
    assert str(page_form).count(" checked") == 2 + 2 + 2 + 1 + 2


def test_a_new_indsats_is_given_to_its_author_and_the_drop_downs_say_what_to_choose(client_as, medarbejder):
    html = client_as(medarbejder).get(reverse("indsats_create")).text
    assert f'<option value="{medarbejder.pk}" selected>' in html
    assert "---------" not in html
    assert '<option value="" selected>Vælg finansieringsperiode</option>' in html
    assert '<option value="">Vælg ansvarlig medarbejder</option>' in html
