"""A staff member walks a helhedsplan from idé to aktiv through the dialogs; a board member comments on the
analysis and staff answer; the secretariat records Landsbyggefonden's and the kommune's decisions.
axe-core finds nothing serious on the plan page or in a dialog."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from helhedsplaner.models import Helhedsplan
from tests.e2e.conftest import axe_violations, login
from tests.factories import AfdelingFactory, BestyrelsesmedlemFactory, OmraadeFactory, UserFactory
from tests.helhedsplaner.conftest import give_budget


@pytest.fixture
def register(db):
    area = OmraadeFactory(navn="Tingbjerg/Utterslevhuse")
    own = AfdelingFactory(nummer="01-10", navn="Grønvænget", boligomraade=area, lejemaal=300)
    AfdelingFactory(nummer="01-13", navn="Lærkevænget", boligomraade=area, lejemaal=250)
    UserFactory(username="medarbejder", role="medarbejder", first_name="Mette", last_name="Kragelund")
    UserFactory(username="sekretariat", role="sekretariat", first_name="Sami", last_name="Østergård")
    board = UserFactory(
        username="bestyrelse", role="afdelingsbestyrelse", first_name="Birthe", last_name="Lundholm"
    )
    BestyrelsesmedlemFactory(user=board, afdeling=own)


@pytest.fixture
def other_user(open_page):
    """A second browser context (another person at another desk)."""

    def open_as(username):
        page = open_page()
        login(page, username)
        return page

    return open_as


def state(page):
    return page.locator(".app-page-head .helhedsplan-state")


def act(page, label, fields=None, selects=None):
    """Click an action, fill its dialog and submit it; the dialog closes and the page refreshes in place."""
    # The previous action refreshes the page part by part: click only once htmx has settled and has taken
    # charge of the new link, or the click would follow the link's plain (no-JavaScript) address.
    page.wait_for_function(
        """label => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')
            && [...document.querySelectorAll('.helhedsplan-actions a')]
                .some(a => a.textContent.includes(label) && a['htmx-internal-data'] !== undefined)""",
        arg=label,
    )
    page.click(f".helhedsplan-actions a:has-text('{label}')")
    dialog = page.locator("#helhedsplan-dialog")
    expect(dialog).to_be_visible()
    for selector, value in (selects or {}).items():
        if isinstance(value, dict):  # by label: {"label": "..."}
            dialog.locator(selector).select_option(**value)
        else:
            dialog.locator(selector).select_option(value)
    for selector, value in (fields or {}).items():
        dialog.locator(selector).fill(value)
    dialog.locator("button[type=submit]").click()
    expect(dialog).to_be_hidden()


def record_decision(page, organ, outcome="godkendt", date="2026-03-02", granted=None):
    fields = {"#id_dato": date, "#id_journalnummer": f"{organ}-1"}
    if granted:
        fields["#id_bevilget_beloeb"] = granted
    act(page, "Registrér beslutning", fields, {"#id_organ": organ, "#id_udfald": outcome})


def test_walk_a_plan_from_idea_to_active(page, register, other_user):
    login(page, "medarbejder")
    page.click("nav >> text=Helhedsplaner")
    page.click("text=Ny helhedsplan")
    page.fill("#id_titel", "Helhedsplan Tingbjerg 2028-32")
    page.fill("#id_afdelinger_soeg", "vænget")  # both afdelinger
    expect(page.locator("#id_afdelinger_choices input[type=checkbox]")).to_have_count(2)
    page.click("label:has-text('Grønvænget')")
    page.click("label:has-text('Lærkevænget')")
    page.fill("#id_planlagt_start", "2028-07-01")
    page.fill("#id_resume", "Børn og unge i Tingbjerg skal have bedre chancer.")
    page.click("button:has-text('Opret planen')")
    expect(page.locator("h1")).to_have_text("Helhedsplan Tingbjerg 2028-32")
    expect(state(page)).to_have_text("Idé og analyse")
    assert axe_violations(page) == []

    page.click("text=Redigér planteksten")
    page.fill("#id_analyse", "Mange unge uden uddannelse og job.")
    page.fill("#id_maal", "Flere unge i uddannelse.")
    page.fill("#id_organisering", "Styregruppe med fsb, kommunen og afdelingsbestyrelserne.")
    page.click("button:has-text('Gem planteksten')")
    expect(page.locator(".alert-success, .alert")).to_contain_text(["Planteksten er gemt."])

    act(page, "Send til organisationsbestyrelsen", {"#id_kommentar": "Klar til mødet i marts."})
    expect(state(page)).to_have_text("Organisationsbestyrelsen behandler")
    expect(page.locator("#helhedsplan-message")).to_contain_text("Organisationsbestyrelsen behandler")
    record_decision(page, "organisationsbestyrelse")
    act(page, "Start ansøgningen om prækvalifikation")
    expect(state(page)).to_have_text("Prækvalifikation under udarbejdelse")

    # The board member reads the plan and comments on the analysis; staff answer and resolve the thread.
    board = other_user("bestyrelse")
    board.goto(page.url)
    board.click("#kommentarer-analyse summary:has-text('Kommentér')")
    board.fill("#id_analyse-tekst", "De ældre beboere i Grønvænget mangler i analysen.")
    board.click("#kommentarer-analyse button:has-text('Send kommentar')")
    expect(board.locator("#kommentarer-analyse .helhedsplan-thread")).to_contain_text("De ældre beboere")
    expect(board.locator(".helhedsplan-actions a")).to_have_count(0)  # a board member has no actions
    page.reload()
    thread = page.locator("#kommentarer-analyse .helhedsplan-thread").first
    thread.locator("summary:has-text('Svar')").click()
    thread.locator("textarea").fill("Tak, vi tilføjer et afsnit om dem.")
    thread.locator("button:has-text('Send svar')").click()
    expect(page.locator("#kommentarer-analyse")).to_contain_text("Tak, vi tilføjer et afsnit om dem.")
    page.locator("#kommentarer-analyse button:has-text('Markér som løst')").click()
    expect(page.locator("#kommentarer-analyse")).to_contain_text("Løst af Mette Kragelund")

    # The prækvalifikation needs a budget estimate: 1.000.000 kr. of salaries in 2028.
    give_budget(Helhedsplan.objects.get(indsats__titel="Helhedsplan Tingbjerg 2028-32"))
    page.reload()
    act(page, "Send ansøgningen om prækvalifikation", {"#id_indsendt": "2026-04-01"})
    expect(state(page)).to_have_text("Prækvalifikation til behandling hos LBF og kommune")

    # The secretariat records the funders' decisions; staff cannot.
    expect(page.locator(".helhedsplan-actions a:has-text('Registrér beslutning')")).to_have_count(0)
    secretariat = other_user("sekretariat")
    secretariat.goto(page.url)
    record_decision(secretariat, "lbf")
    act(
        secretariat,
        "Registrér beslutning",
        {
            "#id_dato": "2026-06-10",
            "#id_betingelse-0-tekst": "Samarbejdsaftale først.",
            "#id_betingelse-0-frist": "2026-12-01",
        },
        {
            "#id_organ": "kommune",
            "#id_udfald": "godkendt_med_betingelser",
            "#id_betingelse-0-ansvarlig": {"label": "Mette Kragelund"},
        },
    )

    page.reload()
    act(page, "Registrér planen som prækvalificeret")
    act(page, "Start udarbejdelsen af helhedsplanen")
    expect(state(page)).to_have_text("Helhedsplan under udarbejdelse")
    act(page, "Send planen til afdelingsmøderne")
    expect(state(page)).to_have_text("Afdelingsmøder")

    page.click(".helhedsplan-tabs >> text=Afdelingsmøder")
    today = date.today()
    for row in range(2):
        page.locator("#plan-main tbody tr").nth(row).locator("a:has-text('Registrér')").click()
        dialog = page.locator("#helhedsplan-dialog")
        expect(dialog).to_be_visible()
        if row == 0:
            assert axe_violations(page) == []
        # Held today: a meeting with votes lies between the day the plan was sent to the meetings and today.
        for field, value in {
            "#id_dato": today.isoformat(),
            "#id_indkaldt_dato": (today - timedelta(days=36)).isoformat(),
            "#id_husstande": "60",
            "#id_stemmer_for": "90",
            "#id_stemmer_imod": "20",
            "#id_stemmer_blanke": "3",
        }.items():
            dialog.locator(field).fill(value)
        dialog.locator("button[type=submit]").click()
        expect(dialog).to_be_hidden()
    expect(page.locator("#plan-main tbody").first).to_contain_text("Vedtaget")

    page.click(".helhedsplan-tabs >> text=Oversigt")
    act(page, "Send planen til LBF og kommunen", {"#id_indsendt": "2026-10-01"})
    expect(state(page)).to_have_text("Til godkendelse hos LBF og kommune")

    secretariat.reload()
    record_decision(secretariat, "lbf", date=today.isoformat(), granted="750.000,00")
    record_decision(secretariat, "kommune", date=today.isoformat(), granted="125.000,00")

    page.reload()
    act(page, "Registrér godkendelse og start planen", {"#id_startdato": "2028-07-01"})
    expect(state(page)).to_have_text("Aktiv")
    expect(page.locator("#periode")).to_contain_text(re.compile(r"01\.07\.2028.30\.06\.2032"))
    tilsagn = page.locator("#tilsagn")
    expect(tilsagn).to_contain_text("750.000 kr.")  # whole kroner in overviews
    expect(tilsagn).to_contain_text("Samarbejdsaftale først.")
    tilsagn.locator("a:has-text('Markér som opfyldt')").click()
    dialog = page.locator("#helhedsplan-dialog")
    expect(dialog).to_be_visible()
    dialog.locator("#id_note").fill("Aftalen er underskrevet.")
    dialog.locator("button[type=submit]").click()
    expect(dialog).to_be_hidden()
    expect(page.locator("#tilsagn")).to_contain_text("Aftalen er underskrevet.")

    page.click(".helhedsplan-tabs >> text=Tidslinje")
    timeline = page.locator(".helhedsplan-timeline")
    expect(timeline).to_contain_text("Landsbyggefonden: Godkendt")
    expect(timeline).to_contain_text("De ældre beboere i Grønvænget")
