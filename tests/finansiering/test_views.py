"""Budget, financing and regnskab pages as staff, secretariat, board member (own, foreign) and anonymous."""

import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from finansiering import actions as budget_actions
from finansiering.models import (
    Budgetlinje,
    Budgetversion,
    Finansieringspart,
    Fordelingsnoegle,
    Kommuneanvendelse,
    Regnskabslinje,
)
from tests.finansiering.conftest import approve

pytestmark = pytest.mark.django_db
D = Decimal
HTMX = {"HX-Request": "true"}


def read_urls(indsats, version):
    pk = indsats.pk
    return [
        reverse("budget_detail", args=[pk]),
        reverse("budget_version", args=[pk, version.nummer]),
        reverse("budget_lines", args=[pk, version.nummer]),
        reverse("budget_compare", args=[pk]),
        reverse("budget_export", args=[pk]),
        reverse("finansiering_detail", args=[pk]),
        reverse("finansiering_afdelinger", args=[pk]),
        reverse("regnskab_detail", args=[pk]),
    ]


def cell_url(version, omraade, omkostningstype, aar=2025):
    return reverse(
        "budget_cell", args=[version.indsats_id, version.nummer, aar, omraade.pk, omkostningstype.pk]
    )


def cell_name(omraade, omkostningstype, aar=2025):
    return f"c-{aar}-{omraade.pk}-{omkostningstype.pk}"


def test_anonymous_is_sent_to_login(client, version):
    for url in read_urls(version.indsats, version) + [reverse("budget_list")]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_staff_reads_every_page(client_as, medarbejder, version):
    client = client_as(medarbejder)
    for url in read_urls(version.indsats, version) + [reverse("budget_list")]:
        assert client.get(url).status_code == 200, url


def test_secretariat_reads_everything_but_changes_nothing(client_as, sekretariat, version, omraader, typer):
    client = client_as(sekretariat)
    indsats = version.indsats
    for url in read_urls(indsats, version):
        assert client.get(url).status_code == 200, url
    assert client.post(cell_url(version, omraader[0], typer["loen"]), {}).status_code == 403
    assert client.get(reverse("budget_version_create", args=[indsats.pk])).status_code == 403
    assert client.get(reverse("finansiering_edit", args=[indsats.pk])).status_code == 403
    assert client.get(reverse("regnskab_import", args=[indsats.pk])).status_code == 403
    assert not client.get(reverse("budget_version", args=[indsats.pk, 1])).context["can_edit"]


def test_board_member_reads_own_plans_budget_and_cannot_edit(client_as, bestyrelse, version, omraader, typer):
    client = client_as(bestyrelse)
    indsats = version.indsats
    for url in read_urls(indsats, version):
        assert client.get(url).status_code == 200, url
    name = cell_name(omraader[0], typer["loen"])
    assert (
        client.post(cell_url(version, omraader[0], typer["loen"]), {name: "1"}, headers=HTMX).status_code
        == 403
    )
    assert client.post(reverse("budget_save", args=[indsats.pk, 1]), {name: "1"}).status_code == 403
    assert (
        client.get(reverse("budget_line_edit", args=[indsats.pk, 1, version.linjer.first().pk])).status_code
        == 403
    )
    assert client.post(reverse("budget_lines", args=[indsats.pk, 1]), {"aar": "2025"}).status_code == 403
    assert client.post(reverse("finansiering_edit", args=[indsats.pk]), {}).status_code == 403
    assert client.post(reverse("regnskab_save", args=[indsats.pk]), {"aar": "2025"}).status_code == 403
    assert Budgetlinje.objects.get(version=version, aar=2025).beloeb == D("1000000.00")
    page = client.get(reverse("budget_version", args=[indsats.pk, 1]))
    assert "<input" not in page.content.decode().split("<table", 1)[1]


def test_board_member_gets_404_for_foreign_plans(
    client_as, bestyrelse, indsats, foreign_indsats, medarbejder
):
    version = budget_actions.create_version(foreign_indsats, "praekvalifikation", acting_user=medarbejder)
    client = client_as(bestyrelse)
    for url in read_urls(foreign_indsats, version):
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("finansiering_edit", args=[foreign_indsats.pk])).status_code == 404
    listing = client.get(reverse("budget_list")).content.decode()
    assert "Fremmed Plan" not in listing and "Helhedsplan Testparken" in listing


def test_board_member_sees_only_own_afdelings_share(client_as, bestyrelse, version, second_afdeling):
    page = client_as(bestyrelse).get(reverse("finansiering_afdelinger", args=[version.indsats.pk]))
    text = page.content.decode()
    assert "Egen Afdeling" in text and "Anden Afdeling" not in text
    sheet = load_workbook(
        BytesIO(client_as(bestyrelse).get(reverse("budget_export", args=[version.indsats.pk])).content)
    ).active
    labels = [row[0] for row in sheet.iter_rows(values_only=True) if row[0]]
    assert any("Egen Afdeling" in label for label in labels)
    assert not any("Anden Afdeling" in label for label in labels)


def test_budget_page_shows_totals_per_year_omraade_type_and_overall(
    client_as, medarbejder, version, omraader, typer
):
    response = client_as(medarbejder).get(reverse("budget_detail", args=[version.indsats.pk]))
    text = response.content.decode()
    assert '<span id="tot-year-2025">1.000.000,00</span>' in text
    assert f'<span id="tot-blk-{omraader[0].pk}">1.250.000,50</span>' in text
    assert f'<span id="tot-type-{typer["aktiviteter"].pk}-2026">250.000,50</span>' in text
    assert '<span id="tot-all">1.250.000,50</span>' in text
    assert ">2025</th>" in text  # years are not written with a thousands separator


def test_htmx_cell_saves_and_swaps_the_totals_out_of_band(client_as, medarbejder, version, omraader, typer):
    name = cell_name(omraader[1], typer["loen"])
    response = client_as(medarbejder).post(
        cell_url(version, omraader[1], typer["loen"]), {name: "2.500,25"}, headers=HTMX
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert text.lstrip().startswith("<td")
    assert 'value="2.500,25"' in text
    assert '<span id="tot-all" hx-swap-oob="true">1.252.500,75</span>' in text
    assert '<span id="tot-year-2025" hx-swap-oob="true">1.002.500,25</span>' in text
    assert f'<span id="tot-blk-{omraader[1].pk}" hx-swap-oob="true">2.500,25</span>' in text
    assert Budgetlinje.objects.get(version=version, indsatsomraade=omraader[1]).beloeb == D("2500.25")


@pytest.mark.parametrize(
    "value,message",
    [
        ("-5", "Beløbet kan ikke være negativt."),
        ("12,345", "Beløbet må højst have to decimaler (øre)."),
        ("mange penge", "er ikke et beløb"),
    ],
)
def test_bad_cell_input_answers_400_in_danish_and_saves_nothing(
    client_as, medarbejder, version, omraader, typer, value, message
):
    name = cell_name(omraader[0], typer["loen"])
    response = client_as(medarbejder).post(
        cell_url(version, omraader[0], typer["loen"]), {name: value}, headers=HTMX
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert Budgetlinje.objects.get(version=version, aar=2025).beloeb == D("1000000.00")


def test_cell_outside_the_period_or_layout_is_404(client_as, medarbejder, version, omraader, typer):
    client = client_as(medarbejder)
    assert (
        client.post(cell_url(version, omraader[0], typer["loen"], aar=2031), {}, headers=HTMX).status_code
        == 404
    )
    url = reverse("budget_cell", args=[version.indsats_id, 1, 2025, 999999, typer["loen"].pk])
    assert client.post(url, {}, headers=HTMX).status_code == 404


def test_cell_without_htmx_redirects_back(client_as, medarbejder, version, omraader, typer):
    name = cell_name(omraader[0], typer["loen"])
    response = client_as(medarbejder).post(cell_url(version, omraader[0], typer["loen"]), {name: "1"})
    assert response.status_code == 302 and response["Location"] == reverse(
        "budget_version", args=[version.indsats_id, 1]
    )


def test_whole_table_form_saves_all_or_nothing(client_as, medarbejder, version, omraader, typer):
    client = client_as(medarbejder)
    url = reverse("budget_save", args=[version.indsats_id, 1])
    good, bad = cell_name(omraader[2], typer["evaluering"], 2027), cell_name(omraader[0], typer["loen"])
    response = client.post(url, {good: "40.000", bad: "abc"})
    assert response.status_code == 400 and "Budgettet blev ikke gemt" in response.content.decode()
    assert not Budgetlinje.objects.filter(version=version, aar=2027).exists()
    response = client.post(url, {good: "40.000", bad: "1.000.000,00"})
    assert response.status_code == 302
    assert Budgetlinje.objects.get(version=version, aar=2027).beloeb == D("40000.00")


def test_locked_version_cannot_be_edited(client_as, medarbejder, version, omraader, typer):
    approve(version, medarbejder)
    client = client_as(medarbejder)
    name = cell_name(omraader[0], typer["loen"])
    response = client.post(cell_url(version, omraader[0], typer["loen"]), {name: "1"}, headers=HTMX)
    assert response.status_code == 400 and "låst" in response.content.decode()
    response = client.post(reverse("budget_save", args=[version.indsats_id, 1]), {name: "1"})
    assert response.status_code == 400
    assert Budgetlinje.objects.get(version=version, aar=2025).beloeb == D("1000000.00")
    page = client.get(reverse("budget_version", args=[version.indsats_id, 1]))
    assert "godkendt af bevillingsgiverne og låst" in page.content.decode() and not page.context["can_edit"]


def test_add_line_refuses_a_year_outside_the_period(client_as, medarbejder, version, omraader, typer):
    url = reverse("budget_lines", args=[version.indsats_id, 1])
    data = {
        "aar": "2030",
        "indsatsomraade": omraader[0].pk,
        "omkostningstype": typer["loen"].pk,
        "beloeb": "10",
    }
    response = client_as(medarbejder).post(url, data)
    assert response.status_code == 400
    assert "2030 ligger uden for indsatsens periode (2025–2028)." in response.content.decode()
    data.update(aar="2028", note="Sommerlejr")
    assert client_as(medarbejder).post(url, data).status_code == 302
    assert Budgetlinje.objects.get(version=version, aar=2028).note == "Sommerlejr"


def test_line_edit_inline_and_delete(client_as, medarbejder, version):
    client = client_as(medarbejder)
    line = version.linjer.get(aar=2025)
    url = reverse("budget_line_edit", args=[version.indsats_id, 1, line.pk])
    form_row = client.get(url, headers=HTMX)
    assert form_row.content.decode().lstrip().startswith('<tr id="linje-')
    prefix = f"linje-{line.pk}"
    bad = client.post(url, {f"{prefix}-beloeb": "1,001", f"{prefix}-note": "x"}, headers=HTMX)
    assert bad.status_code == 400 and "to decimaler" in bad.content.decode()
    saved = client.post(url, {f"{prefix}-beloeb": "900.000", f"{prefix}-note": "Ny note"}, headers=HTMX)
    assert saved.status_code == 200 and "900.000,00" in saved.content.decode()
    line.refresh_from_db()
    assert (line.beloeb, line.note) == (D("900000.00"), "Ny note")
    deleted = client.post(url, {"slet": "1"}, headers=HTMX)
    assert deleted["HX-Redirect"] == reverse("budget_lines", args=[version.indsats_id, 1])
    assert not Budgetlinje.objects.filter(pk=line.pk).exists()


def test_new_version_after_approval_needs_a_reason(client_as, medarbejder, version):
    client = client_as(medarbejder)
    pk = version.indsats_id
    approve(version, medarbejder)
    url = reverse("budget_version_create", args=[pk])
    response = client.post(url, {"fase": "ansoegning", "kilde": version.pk, "begrundelse": ""})
    assert response.status_code == 400 and "Skriv, hvad der ændres, og hvorfor." in response.content.decode()
    response = client.post(url, {"fase": "ansoegning", "kilde": version.pk, "begrundelse": "Ny medarbejder"})
    assert response.status_code == 302
    assert Budgetversion.objects.get(indsats_id=pk, nummer=2).linjer.count() == 2


def test_compare_versions(client_as, medarbejder, version, omraader, typer):
    approve(version, medarbejder)
    revision = budget_actions.create_version(
        version.indsats, "ansoegning", "Mere løn", kilde=version, acting_user=medarbejder
    )
    budget_actions.save_budget_line(
        revision, 2025, omraader[0], typer["loen"], D("1100000.00"), acting_user=medarbejder
    )
    response = client_as(medarbejder).get(
        reverse("budget_compare", args=[version.indsats_id]), {"a": 1, "b": 2}
    )
    comparison = response.context["comparison"]
    assert comparison["total"].difference == D("100000.00")
    assert [(r.label, r.difference) for r in comparison["years"]][0] == ("2025", D("100000.00"))
    assert len(comparison["changed_lines"]) == 1
    assert "Mere løn" in response.content.decode()


def test_excel_export_layout(client_as, medarbejder, version, omraader):
    response = client_as(medarbejder).get(reverse("budget_export", args=[version.indsats_id]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = next(r for r in rows if r[0] == "Indsatsområde")
    header_row = rows.index(header) + 1
    assert sheet.cell(header_row, 3).number_format == "General"  # a year, not an amount
    assert sheet.cell(header_row + 1, 3).number_format == "#,##0.00"
    assert list(header[:7]) == ["Indsatsområde", "Omkostningstype", 2025, 2026, 2027, 2028, "I alt"]
    first = next(r for r in rows if r[0] == omraader[0].navn and r[1] == "Løn")
    assert first[2] == 1000000 and first[6] == 1000000
    total = next(r for r in rows if r[0] == "Budget i alt")
    assert total[6] == 1250000.5
    labels = [r[0] for r in rows]
    assert labels.index("Finansiering") > labels.index("Budget i alt")
    lbf = next(r for r in rows if r[0] == "Landsbyggefonden")
    assert lbf[1] == 75 and lbf[2] == 750000
    assert any(str(label).startswith("Afdelingernes andel") for label in labels if label)


def test_ten_million_shows_the_kommune_and_the_afdelinger_their_exact_share(
    client_as, medarbejder, ten_million
):
    """10,000,000.00 kr. on 75/12.5/12.5 is 1,250,000.00 for the kommune and the afdelinger, on the page
    and in the export, even when some years end in half an øre for both."""
    client = client_as(medarbejder)
    page = client.get(reverse("finansiering_detail", args=[ten_million.indsats_id])).content.decode()
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</tr>", page, re.S)
    totals = {
        re.sub(r"<.*", "", row, flags=re.S).strip(): re.findall(r">([\d.,]+)</td>", row)[-1] for row in rows
    }
    assert totals == {
        "Landsbyggefonden": "7.500.000,00",
        "Københavns Kommune": "1.250.000,00",
        "Boligorganisation/afdelinger": "1.250.000,00",
    }
    assert "1.250.000,01" not in page and "1.249.999,99" not in page
    sheet = load_workbook(
        BytesIO(client.get(reverse("budget_export", args=[ten_million.indsats_id])).content)
    )
    rows = {row[0]: row for row in sheet.active.iter_rows(values_only=True) if row[0]}
    assert rows["Københavns Kommune"][6] == 1250000 and rows["Boligorganisation/afdelinger"][6] == 1250000


def test_fordelingsnoegle_must_sum_to_100_and_nothing_is_saved_otherwise(client_as, medarbejder, version):
    client = client_as(medarbejder)
    url = reverse("finansiering_edit", args=[version.indsats_id])
    page = client.get(url)
    assert page.status_code == 200
    data = form_data(page.context)
    data["parter-0-procent"] = "70"
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Procentsatserne skal give præcis 100, men giver 95." in response.content.decode()
    assert version.indsats.fordelingsnoegle.parter.get(art="lbf").procent == D(75)
    data["parter-0-procent"] = "80"
    data["parter-2-procent"] = "7,5"
    data["anvendelser-0-procentpoint"] = "10,6"
    data["noegle-afdelingsgrundlag"] = "areal"
    response = client.post(url, data, follow=True)
    assert response.redirect_chain, response.content.decode()
    assert "Den lokale medfinansiering er 20 %" in response.content.decode()
    assert Fordelingsnoegle.objects.get(indsats=version.indsats).afdelingsgrundlag == "areal"


def test_kommune_sub_uses_must_match_the_kommune_share(client_as, medarbejder, version):
    client = client_as(medarbejder)
    url = reverse("finansiering_edit", args=[version.indsats_id])
    data = form_data(client.get(url).context)
    data["anvendelser-1-procentpoint"] = "2,9"
    response = client.post(url, data)
    assert response.status_code == 400 and "De skal give det samme." in response.content.decode()
    data["anvendelser-1-procentpoint"] = "1,9"
    data["parter-3-navn"] = "Fonden for Naboskab"
    data["parter-3-art"] = "anden"
    data["parter-3-procent"] = "5"
    data["parter-0-procent"] = "70"
    response = client.post(url, data, follow=True)
    assert "Den lokale medfinansiering er 30 %" not in response.content.decode()  # 30 % is above 25 %
    assert list(
        Finansieringspart.objects.filter(noegle__indsats=version.indsats).values_list("navn", "sortering")
    ) == [
        ("Landsbyggefonden", 0),
        ("Københavns Kommune", 1),
        ("Boligorganisation/afdelinger", 2),
        ("Fonden for Naboskab", 3),
    ]


@pytest.mark.parametrize("formset", ["parter", "anvendelser"])
def test_a_form_that_counts_fewer_saved_rows_than_there_are_is_refused_and_nothing_doubled(
    client_as, medarbejder, version, formset
):
    """A form whose count of saved rows (INITIAL_FORMS) is lower than the rows there are, as a form tampered
    with or opened before a colleague added a row: Django would take the saved rows it leaves out for new
    ones and store them twice."""
    client = client_as(medarbejder)
    url = reverse("finansiering_edit", args=[version.indsats_id])
    data = form_data(client.get(url).context)
    parts = list(Finansieringspart.objects.filter(noegle__indsats=version.indsats).values_list("pk", "navn"))
    uses = list(
        Kommuneanvendelse.objects.filter(part__noegle__indsats=version.indsats).values_list("pk", "navn")
    )
    data[f"{formset}-INITIAL_FORMS"] = "0"
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Formularen passer ikke til de gemte rækker. Hent siden igen." in response.content.decode()
    assert (
        list(Finansieringspart.objects.filter(noegle__indsats=version.indsats).values_list("pk", "navn"))
        == parts
    )
    assert (
        list(
            Kommuneanvendelse.objects.filter(part__noegle__indsats=version.indsats).values_list("pk", "navn")
        )
        == uses
    )


def test_new_key_is_prefilled_with_the_default_and_saved_as_is(client_as, medarbejder, indsats):
    client = client_as(medarbejder)
    url = reverse("finansiering_edit", args=[indsats.pk])
    data = form_data(client.get(url).context)
    assert client.post(url, data).status_code == 302
    assert indsats.fordelingsnoegle.parter.count() == 3
    assert indsats.fordelingsnoegle.parter.get(art="kommune").anvendelser.count() == 2


def test_regnskab_cell_and_variance_flag(client_as, medarbejder, version, omraader, typer):
    client = client_as(medarbejder)
    pk = version.indsats_id
    name = cell_name(omraader[0], typer["loen"])
    url = reverse("regnskab_cell", args=[pk, 2025, omraader[0].pk, typer["loen"].pk])
    response = client.post(url, {name: "850.000"}, headers=HTMX)
    assert response.status_code == 200
    text = response.content.decode()
    assert text.lstrip().startswith('<tr id="row-') and "Over grænsen" in text and "\u221215 %" in text
    assert 'id="regnskab-summary" aria-labelledby="regnskab-summary-heading" hx-swap-oob="true"' in text
    assert Regnskabslinje.objects.get(indsats_id=pk).beloeb == D("850000.00")
    bad = client.post(url, {name: "-1"}, headers=HTMX)
    assert bad.status_code == 400 and "negativt" in bad.content.decode()
    page = client.get(reverse("regnskab_detail", args=[pk]), {"aar": 2025})
    assert page.context["table"]["flagged"] == 1
    assert client.get(reverse("regnskab_detail", args=[pk]), {"aar": "x"}).status_code == 200


def test_regnskab_year_form_without_javascript(client_as, medarbejder, version, omraader, typer):
    client = client_as(medarbejder)
    pk = version.indsats_id
    url = reverse("regnskab_save", args=[pk])
    name = cell_name(omraader[0], typer["loen"], 2026)
    response = client.post(url, {"aar": "2026", name: "1,234"})
    assert response.status_code == 400 and not Regnskabslinje.objects.exists()
    response = client.post(url, {"aar": "2026", name: "1.234"})
    assert response.status_code == 302 and response["Location"].endswith("?aar=2026")
    assert Regnskabslinje.objects.get().beloeb == D("1234.00")


def form_data(context) -> dict:
    """The edit page's forms as the browser would post them unchanged."""
    data = {}
    for key in ("parts", "anvendelser"):
        formset = context[key]
        for name, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{name}"] = value
        for form in formset.forms:
            for field in form.visible_fields():
                if field.name == "DELETE":
                    continue
                value = field.value()
                data[field.html_name] = "" if value is None else str(value).replace(".", ",")
            for field in form.hidden_fields():
                value = field.value()
                data[field.html_name] = "" if value is None else value
    form = context["form"]
    data["noegle-afdelingsgrundlag"] = form["afdelingsgrundlag"].value()
    data["noegle-afvigelsesgraense"] = str(form["afvigelsesgraense"].value()).replace(".", ",")
    for _afdeling, field in context["aftalte"].rows():
        data[field.html_name] = field.value() or ""
    return data


def test_a_line_left_outside_a_shortened_period_can_be_deleted_but_not_changed(
    client_as, medarbejder, version
):
    indsats = version.indsats
    indsats.slutdato = indsats.slutdato.replace(year=2025)
    indsats.save()
    client = client_as(medarbejder)
    page = client.get(reverse("budget_version", args=[indsats.pk, 1]))
    assert "ligger uden for indsatsens periode" in page.content.decode()
    line = version.linjer.get(aar=2026)
    url = reverse("budget_line_edit", args=[indsats.pk, 1, line.pk])
    prefix = f"linje-{line.pk}"
    response = client.post(url, {f"{prefix}-beloeb": "1", f"{prefix}-note": ""})
    assert (
        response.status_code == 400
        and "2026 ligger uden for indsatsens periode (2025–2025)." in response.content.decode()
    )
    assert client.post(url, {"slet": "1"}).status_code == 302
    assert not Budgetlinje.objects.filter(pk=line.pk).exists()


def test_too_large_amount_is_refused(client_as, medarbejder, version, omraader, typer):
    name = cell_name(omraader[0], typer["loen"])
    response = client_as(medarbejder).post(
        cell_url(version, omraader[0], typer["loen"]), {name: "1.000.000.000.000"}, headers=HTMX
    )
    assert response.status_code == 400 and "Beløbet er for stort" in response.content.decode()


def test_there_is_no_way_for_staff_to_mark_a_version_approved(client_as, medarbejder, version):
    """Staff's "Godkendt" button locked the budget of a plan still in idé, with no funder decision."""
    client = client_as(medarbejder)
    page = client.get(reverse("budget_version", args=[version.indsats_id, 1])).content.decode()
    assert "godkend" not in page.split("<main", 1)[1].split("Budget pr. år")[0].lower().replace(
        "godkendt af bevillingsgiverne", ""
    )
    assert client.post(f"/indsatser/{version.indsats_id}/budget/1/godkend/").status_code == 404
    version.refresh_from_db()
    assert version.status == Budgetversion.Status.UDKAST and not version.laast


def test_nothing_changes_over_http_while_the_budget_is_with_the_funders(
    client_as, medarbejder, version, omraader, typer
):
    """A cell changed to 9,999,999.99 and an empty version added while the plan was with the funders."""
    budget_actions.submit_budget(version, acting_user=medarbejder)
    client = client_as(medarbejder)
    pk = version.indsats_id
    name = cell_name(omraader[0], typer["loen"])
    cell = client.post(cell_url(version, omraader[0], typer["loen"]), {name: "9999999,99"}, headers=HTMX)
    assert cell.status_code == 400 and "sendt til bevillingsgiverne" in cell.content.decode()
    assert client.post(reverse("budget_save", args=[pk, 1]), {name: "9999999,99"}).status_code == 400
    line = version.linjer.get(aar=2025)
    assert client.post(reverse("budget_line_edit", args=[pk, 1, line.pk]), {"slet": "1"}).status_code in (
        400,
        403,
    )
    created = client.post(reverse("budget_version_create", args=[pk]), {"fase": "ansoegning", "kilde": ""})
    assert created.status_code == 400 and "sendt til bevillingsgiverne" in created.content.decode()
    assert list(Budgetversion.objects.filter(indsats_id=pk).values_list("nummer", flat=True)) == [1]
    assert sorted(version.linjer.values_list("beloeb", flat=True)) == [D("250000.50"), D("1000000.00")]
    page = client.get(reverse("budget_version", args=[pk, 1]))
    assert not page.context["can_edit"] and not page.context["can_create"]
    assert "sendt til Landsbyggefonden og kommunen" in page.content.decode()


def test_an_older_draft_cannot_be_changed_while_a_newer_version_is_with_the_funders(
    client_as, medarbejder, version, omraader, typer
):
    submitted = budget_actions.create_version(
        version.indsats, "ansoegning", kilde=version, acting_user=medarbejder
    )
    budget_actions.submit_budget(submitted, acting_user=medarbejder)
    client = client_as(medarbejder)
    data = {
        "aar": "2027",
        "indsatsomraade": omraader[0].pk,
        "omkostningstype": typer["loen"].pk,
        "beloeb": "1",
    }
    response = client.post(reverse("budget_lines", args=[version.indsats_id, 1]), data)
    assert response.status_code == 403  # the draft was laid aside when the newer version was sent
    assert Budgetversion.objects.get(pk=version.pk).status == Budgetversion.Status.ERSTATTET
    assert not Budgetlinje.objects.filter(aar=2027).exists()


def test_a_draft_passed_over_by_the_approved_version_is_not_changed(
    client_as, medarbejder, version, omraader, typer
):
    """A plan approved on its revised budget (version 3) kept the draft its afdelingsmøder voted on (version
    2) as an editable draft: on the active plan a cell of it was set to 9,999,999.99."""
    approve(
        budget_actions.create_version(version.indsats, "ansoegning", kilde=version, acting_user=medarbejder),
        medarbejder,
    )
    client = client_as(medarbejder)
    name = cell_name(omraader[0], typer["loen"])
    cell = client.post(cell_url(version, omraader[0], typer["loen"]), {name: "9999999,99"}, headers=HTMX)
    assert cell.status_code == 400 and "erstattet" in cell.content.decode()
    assert version.linjer.get(aar=2025).beloeb == D("1000000.00")
    page = client.get(reverse("budget_version", args=[version.indsats_id, version.nummer]))
    assert not page.context["can_edit"] and "Erstattet" in page.content.decode()
