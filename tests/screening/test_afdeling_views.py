"""The afdeling register's pages, as staff, secretariat, a board member (own and foreign) and anonymous."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.template import Context, Template
from django.urls import reverse
from openpyxl import load_workbook

from screening.models import Afdeling
from tests.factories import AfdelingFactory, BestyrelsesmedlemFactory, OmraadeFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_login(client, own_afdeling):
    for url in (
        reverse("afdeling_list"),
        reverse("afdeling_detail", args=[own_afdeling.pk]),
        reverse("home"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_staff_sees_every_afdeling(client_as, medarbejder, own_afdeling, foreign_afdeling):
    response = client_as(medarbejder).get(reverse("afdeling_list"))
    assert response.status_code == 200
    assert "Egen Afdeling" in response.text and "Fremmed Afdeling" in response.text


def test_secretariat_reads_but_cannot_edit(client_as, sekretariat, foreign_afdeling):
    client = client_as(sekretariat)
    assert client.get(reverse("afdeling_detail", args=[foreign_afdeling.pk])).status_code == 200
    assert client.get(reverse("afdeling_edit", args=[foreign_afdeling.pk])).status_code == 403
    assert client.get(reverse("afdeling_create")).status_code == 403
    assert client.get(reverse("afdeling_import")).status_code == 403


def test_board_member_sees_only_own_afdeling(client_as, bestyrelse, own_afdeling, foreign_afdeling):
    client = client_as(bestyrelse)
    listing = client.get(reverse("afdeling_list"))
    assert "Egen Afdeling" in listing.text
    assert "Fremmed Afdeling" not in listing.text
    assert client.get(reverse("afdeling_detail", args=[own_afdeling.pk])).status_code == 200
    assert client.get(reverse("afdeling_detail", args=[foreign_afdeling.pk])).status_code == 404
    assert client.get(reverse("afdeling_edit", args=[foreign_afdeling.pk])).status_code == 404
    assert client.get(reverse("afdeling_edit", args=[own_afdeling.pk])).status_code == 403


def test_board_member_search_and_filters_never_reveal_foreign(client_as, bestyrelse, foreign_afdeling):
    client = client_as(bestyrelse)
    search = client.get(reverse("afdeling_list"), {"q": "Fremmed"})
    assert "Fremmed Afdeling" not in search.text
    by_org = client.get(reverse("afdeling_list"), {"organisation": foreign_afdeling.organisation_id})
    assert "Fremmed Afdeling" not in by_org.text
    # The filter drop-downs offer only the board member's own organisations and areas.
    assert foreign_afdeling.organisation.navn not in search.text
    assert foreign_afdeling.boligomraade.navn not in search.text
    area = client.get(reverse("omraade_detail", args=[foreign_afdeling.boligomraade_id]))
    assert area.status_code == 404
    assert foreign_afdeling.boligomraade.navn not in client.get(reverse("omraade_list")).text


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_board_member_export_holds_only_own(client_as, bestyrelse, own_afdeling, foreign_afdeling, fmt):
    response = client_as(bestyrelse).get(reverse("afdeling_export", args=[fmt]))
    assert response.status_code == 200
    body = response.content
    if fmt == "xlsx":
        sheet = load_workbook(BytesIO(body)).active
        names = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    else:
        names = [line.split(";")[2] for line in body.decode("utf-8-sig").splitlines()[1:]]
    assert names == ["Egen Afdeling"]


def test_export_follows_filters(client_as, medarbejder):
    AfdelingFactory(navn="Nord", bydel="Bispebjerg")
    AfdelingFactory(navn="Syd", bydel="Amager Vest")
    response = client_as(medarbejder).get(reverse("afdeling_export", args=["csv"]), {"bydel": "Amager Vest"})
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("organisation;afdeling_nr;navn")
    assert len(lines) == 2 and ";Syd;" in lines[1]


def test_the_bydel_filter_works_after_the_api_schema_was_made(client_as, medarbejder):
    """The schema makes the class's filter fields (without this user's bydele); a list must still filter."""
    AfdelingFactory(navn="Nord", bydel="Bispebjerg")
    AfdelingFactory(navn="Syd", bydel="Amager Vest")
    client = client_as(medarbejder)
    assert client.get("/api/v1/schema/").status_code == 200
    response = client.get(reverse("afdeling_export", args=["csv"]), {"bydel": "Amager Vest"})
    lines = response.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 2 and ";Syd;" in lines[1]


def test_export_rows_in_the_import_layout(client_as, medarbejder):
    organisation = OrganisationFactory(navn="SAB")
    AfdelingFactory(
        organisation=organisation, nummer="2-1", navn="Syd", adresse="Sydvej 2", boligomraade=None
    )
    AfdelingFactory(
        organisation=organisation,
        nummer="1-1",
        navn="Nord",
        adresse="Nordvej 1",
        boligomraade=OmraadeFactory(navn="Nordvest"),
        areal_m2=Decimal("812.5"),
    )
    client = client_as(medarbejder)
    csv_text = client.get(reverse("afdeling_export", args=["csv"])).content.decode("utf-8")
    assert csv_text == (
        "\ufefforganisation;afdeling_nr;navn;adresse;postnr;bydel;boligomraade;lejemaal;areal_m2;beboere\r\n"
        "SAB;1-1;Nord;Nordvej 1;2400;Bispebjerg;Nordvest;200;812,50;450\r\n"
        "SAB;2-1;Syd;Sydvej 2;2400;Bispebjerg;;200;15000,00;450\r\n"
    )
    workbook = client.get(reverse("afdeling_export", args=["xlsx"])).content
    rows = list(load_workbook(BytesIO(workbook)).active.iter_rows(values_only=True))
    assert rows[1] == ("SAB", "1-1", "Nord", "Nordvej 1", "2400", "Bispebjerg", "Nordvest", 200, 812.5, 450)
    assert rows[2] == ("SAB", "2-1", "Syd", "Sydvej 2", "2400", "Bispebjerg", None, 200, 15000, 450)


def test_unknown_export_format_is_404(client_as, medarbejder):
    assert client_as(medarbejder).get("/afdelinger/eksport.pdf").status_code == 404


def test_list_filters_sort_and_paginate(client_as, medarbejder):
    for i in range(30):
        AfdelingFactory(navn=f"Blok {i:02d}", lejemaal=100 + i)
    client = client_as(medarbejder)
    first = client.get(reverse("afdeling_list"), {"sort": "-lejemaal"})
    assert first.text.index("Blok 29") < first.text.index("Blok 28")
    second = client.get(reverse("afdeling_list"), {"sort": "-lejemaal", "side": 2})
    assert "Blok 00" in second.text and "Blok 29" not in second.text
    searched = client.get(reverse("afdeling_list"), {"q": "blok 07"})
    assert "Blok 07" in searched.text and "Blok 08" not in searched.text


@pytest.fixture
def four_organisations(db):
    """fsb's own afdelinger and its partners', their names in mixed case."""
    for navn, nummer, afdeling in [
        ("SAB", "3-1", "Syd"),
        ("AAB", "1-1", "alfa"),
        ("fsb", "01-20", "Lærkevænget"),
        ("aKB København", "2-1", "Bøgen"),
        ("fsb", "01-10", "grønvænget"),
    ]:
        AfdelingFactory(organisation=OrganisationFactory(navn=navn), nummer=nummer, navn=afdeling)


def test_the_list_shows_fsbs_own_afdelinger_first_then_the_others_by_name_whatever_the_case(
    client_as, medarbejder, four_organisations
):
    client = client_as(medarbejder)

    def results(**query):
        page = client.get(reverse("afdeling_list"), query).text
        return page[page.index('id="afdeling-results"') :]

    page = results()
    order = ["grønvænget", "Lærkevænget", "alfa", "Bøgen", "Syd"]
    assert sorted(order, key=page.index) == order
    by_name = results(sort="navn")
    names = ["alfa", "Bøgen", "grønvænget", "Lærkevænget", "Syd"]
    assert sorted(names, key=by_name.index) == names
    by_organisation = results(sort="-organisation")
    organisations = ["Syd", "grønvænget", "Bøgen", "alfa"]
    assert sorted(organisations, key=by_organisation.index) == organisations
    export = client.get(reverse("afdeling_export", args=["csv"])).content.decode("utf-8-sig")
    assert [line.split(";")[2] for line in export.splitlines()[1:]] == order


def test_htmx_request_gets_only_the_results_fragment(client_as, medarbejder, own_afdeling):
    response = client_as(medarbejder).get(reverse("afdeling_list"), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="afdeling-results"')
    assert "<html" not in response.text
    assert "HX-Request" in response["Vary"]


# The list's rows as the template wrote them before screening.rows.afdeling_rows.
TEMPLATE_ROWS = """{% load formatting %}
      {% for afdeling in rows %}
      <tr>
        <td class="app-nowrap">{{ afdeling.nummer }}</td>
        <td><a href="{% url 'afdeling_detail' afdeling.pk %}">{{ afdeling.navn }}</a></td>
        <td>{{ afdeling.organisation.navn }}</td>
        <td>{{ afdeling.bydel }}</td>
        <td>{{ afdeling.boligomraade.navn|default:"–" }}</td>
        <td class="app-num">{{ afdeling.lejemaal|count }}</td>
        <td class="app-num">{{ afdeling.areal_m2|count }}</td>
        <td class="app-num">{{ afdeling.beboere|count }}</td>
      </tr>
      {% endfor %}
    """


def test_rows_written_in_python_are_the_template_rows_escaped(client_as, medarbejder):
    """The rows are written by a template tag in Python from plain values: every text from the database
    must be escaped, and the numbers shown as the |count filter shows them."""
    organisation = OrganisationFactory(navn='Bo & Co <"Nord">')
    AfdelingFactory(
        organisation=organisation,
        nummer='<1>&"',
        navn='Tårnet <b>&"Øst"',
        bydel="Vest & <Syd>",
        boligomraade=OmraadeFactory(navn='Parken <&">'),
        lejemaal=1234567,
        areal_m2=Decimal("1234.50"),
        beboere=0,
    )
    AfdelingFactory(organisation=organisation, boligomraade=None, areal_m2=Decimal("0.49"), beboere=1000)
    AfdelingFactory(organisation=organisation, areal_m2=Decimal("2.50"), lejemaal=7)
    AfdelingFactory(organisation=organisation, areal_m2=Decimal("999999.99"))

    rows = list(
        Afdeling.objects.select_related("organisation", "boligomraade").order_by(
            "organisation__navn", "nummer"
        )
    )
    expected = Template(TEMPLATE_ROWS).render(Context({"rows": rows}))

    html = client_as(medarbejder).get(reverse("afdeling_list")).text
    shown = html[html.index("<tbody>") + len("<tbody>") : html.index("</tbody>")]
    assert shown == expected
    assert "Tårnet &lt;b&gt;&amp;&quot;Øst&quot;" in shown
    assert "<td>–</td>" in shown and "1.000.000" in shown and "1.234" in shown  # 1234,50 m², half to even


def test_bad_filter_values_show_everything_instead_of_failing(client_as, medarbejder, own_afdeling):
    response = client_as(medarbejder).get(
        reverse("afdeling_list"), {"organisation": "x", "sort": "nope", "side": "z"}
    )
    assert response.status_code == 200
    assert "Egen Afdeling" in response.text


def test_staff_creates_and_edits_afdeling(client_as, medarbejder, own_afdeling):
    client = client_as(medarbejder)
    data = {
        "organisation": own_afdeling.organisation_id,
        "nummer": "09-99",
        "navn": "Nybyg",
        "adresse": "Nyvej 1",
        "postnr": "2450",
        "bydel": "Kongens Enghave",
        "boligomraade": "",
        "lejemaal": "120",
        "areal_m2": "9000,5",
        "beboere": "260",
    }
    response = client.post(reverse("afdeling_create"), data)
    created = Afdeling.objects.get(nummer="09-99")
    assert response.status_code == 302 and response["Location"] == reverse(
        "afdeling_detail", args=[created.pk]
    )
    assert str(created.areal_m2) == "9000.50"
    data["navn"] = "Nybyg Syd"
    client.post(reverse("afdeling_edit", args=[created.pk]), data)
    created.refresh_from_db()
    assert created.navn == "Nybyg Syd"
    assert created.history.count() == 2


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("lejemaal", "-3", "Antallet kan ikke være negativt."),
        ("areal_m2", "12,345", "Højst to decimaler."),
        ("postnr", "24000", "højst have 4 tegn"),
        ("postnr", "24a0", "Postnummeret skal være fire cifre."),
        # digits of other scripts are digits to Python's \d, not to the import or a Danish address
        ("postnr", "٢٤٥٠", "Postnummeret skal være fire cifre."),
        ("postnr", "２４５０", "Postnummeret skal være fire cifre."),
        ("nummer", "٠٩-٩٨", "Afdelingsnummeret må kun have cifrene 0-9."),
        ("navn", "", "Dette felt er påkrævet."),
        ("beboere", "mange", "Indtast et heltal."),
    ],
)
def test_bad_afdeling_input_is_refused_in_danish(client_as, medarbejder, own_afdeling, field, value, message):
    data = {
        "organisation": own_afdeling.organisation_id,
        "nummer": "09-98",
        "navn": "Ny",
        "adresse": "Nyvej 2",
        "postnr": "2450",
        "bydel": "Kongens Enghave",
        "lejemaal": "120",
        "areal_m2": "9000",
        "beboere": "260",
        field: value,
    }
    response = client_as(medarbejder).post(reverse("afdeling_create"), data)
    assert response.status_code == 400
    assert message in response.text
    assert not Afdeling.objects.filter(nummer="09-98").exists()


@pytest.mark.parametrize("url_name", ["afdeling_create", "afdeling_edit"])
def test_an_empty_post_shows_the_form_with_its_errors(client_as, medarbejder, own_afdeling, url_name):
    before = list(Afdeling.objects.values())
    args = [own_afdeling.pk] if url_name == "afdeling_edit" else []
    response = client_as(medarbejder).post(reverse(url_name, args=args))
    assert response.status_code == 400
    assert "Dette felt er påkrævet." in response.text and 'name="navn"' in response.text
    assert list(Afdeling.objects.values()) == before


def test_duplicate_number_in_same_organisation_is_refused(client_as, medarbejder, own_afdeling):
    data = {
        "organisation": own_afdeling.organisation_id,
        "nummer": own_afdeling.nummer,
        "navn": "Dublet",
        "adresse": "Nyvej 3",
        "postnr": "2450",
        "bydel": "Kongens Enghave",
        "lejemaal": "1",
        "areal_m2": "1",
        "beboere": "1",
    }
    response = client_as(medarbejder).post(reverse("afdeling_create"), data)
    assert response.status_code == 400
    assert "findes allerede" in response.text


def test_detail_shows_board_members(client_as, medarbejder, own_afdeling):
    BestyrelsesmedlemFactory(afdeling=own_afdeling, user__first_name="Grethe", user__last_name="Vestergaard")
    response = client_as(medarbejder).get(reverse("afdeling_detail", args=[own_afdeling.pk]))
    assert "Grethe Vestergaard" in response.text


def test_the_area_list_is_paged_and_searched_by_name(client_as, medarbejder):
    for number in range(30):
        AfdelingFactory(boligomraade=OmraadeFactory(navn=f"Område {number:02}"), lejemaal=100, beboere=250)
    client = client_as(medarbejder)
    first = client.get(reverse("omraade_list"))
    assert "Område 00" in first.text and "Område 24" in first.text and "Område 25" not in first.text
    assert "<strong>30</strong> boligområder, side 1 af 2" in first.text
    second = client.get(reverse("omraade_list"), {"side": 2, "q": "Område"})
    assert "Område 25" in second.text and "Område 24" not in second.text
    assert '<td class="app-num">1</td><td class="app-num">100</td><td class="app-num">250</td>' in second.text
    assert 'href="?q=Omr%C3%A5de&amp;side=1"' in second.text  # the pager keeps the search
    found = client.get(reverse("omraade_list"), {"q": "råde 1"}, headers={"HX-Request": "true"})
    assert found.text.lstrip().startswith('<section id="omraade-results"') and "<html" not in found.text
    assert "<strong>10</strong> boligområder" in found.text and "Område 20" not in found.text
    nothing = client.get(reverse("omraade_list"), {"q": "<Ingen>"})
    assert "Ingen boligområder hedder noget med «&lt;Ingen&gt;»." in nothing.text
