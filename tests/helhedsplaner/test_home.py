"""The start page runs a fixed number of queries however many organisations, plans and reminders there are."""

import re
from datetime import timedelta

import pytest
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone

from config.web.formatting import count, long_date
from helhedsplaner import actions, frister, lifecycle
from helhedsplaner.models import (
    Beslutning,
    Helhedsplan,
    Kommentar,
    Rapporteringsforpligtelse,
    Rapporteringstype,
)
from screening.models import Afdeling
from tests.factories import AfdelingFactory, HelhedsplanFactory, OrganisationFactory, UserFactory
from tests.helhedsplaner.conftest import place
from tests.screening.screening_data import BAD_FIGURES, make_round, measure

pytestmark = pytest.mark.django_db


def build(size: int, board):
    """`size` organisations and, for each, plans that remind staff (a decision pending for long, a plan
    ending soon without this year's goal figures) and a comment from the board member."""
    staff = UserFactory(username=f"home-staff-{size}", role="medarbejder")
    runde = make_round(2024, status="endelig")
    long_ago = timezone.now() - timedelta(weeks=12)
    for index in range(size):
        organisation = OrganisationFactory(navn=f"Hjemorganisation {size}-{index}")
        afdelinger = [AfdelingFactory(organisation=organisation) for _ in range(size)]
        board.bestyrelsesposter.get_or_create(afdeling=afdelinger[0])
        waiting = HelhedsplanFactory(
            indsats__titel=f"Venter {size}-{index}", indsats__afdelinger=afdelinger, indsats__ansvarlig=staff
        )
        place(waiting, lifecycle.PRAEKVALIFIKATION_BEHANDLES, tilstand_siden=long_ago)
        ending = HelhedsplanFactory(
            indsats__titel=f"Slutter {size}-{index}", indsats__afdelinger=afdelinger, indsats__ansvarlig=staff
        )
        place(ending, lifecycle.AKTIV)
        ending.indsats.slutdato = timezone.localdate() + timedelta(days=200)
        ending.indsats.save()
        Rapporteringsforpligtelse.objects.create(
            plan=ending,
            type=Rapporteringstype.objects.order_by("pk").first(),
            aar=timezone.localdate().year,
            frist=timezone.localdate() + timedelta(days=index - 1),
            ansvarlig=staff,
        )
        drafting = HelhedsplanFactory(indsats__titel=f"Udkast {size}-{index}", indsats__afdelinger=afdelinger)
        commenter = type(board).objects.get(pk=board.pk)  # board seats are cached per user object
        actions.post_comment(
            drafting, sektion="analyse", tekst="Spørgsmål", notify=False, acting_user=commenter
        )
        measure(runde, afdelinger[0], **BAD_FIGURES)
    frister.write_reminders(timezone.localdate())
    return staff


@pytest.mark.parametrize("size", [2, 6])
def test_the_start_page_queries_do_not_grow_with_the_data(client_as, django_assert_num_queries, size):
    board = UserFactory(username=f"home-board-{size}", role="afdelingsbestyrelse")
    staff = build(size, board)
    assert Helhedsplan.objects.count() == 3 * size
    assert not Beslutning.objects.exists()
    client = client_as(staff)
    page = client.get(reverse("home"))
    assert page.text.count("helhedsplan-reminder--") == 3 * size  # waiting, ending, no goal figures
    # session, user, groups; plans per state; threads waiting for fsb; the open conditions of the tilsagn;
    # the newest final screening round; plans at the funders; the reports due that they are responsible for
    # and their deadline reminders. The reminders (two queries), the round's watch list and the
    # organisations with the key figures were read by the first request and are kept (one query each when
    # they are not).
    assert page.text.count("påmindet ") == size
    with django_assert_num_queries(10):
        client.get(reverse("home"))
    board_client = client_as(board)
    board_client.get(reverse("home"))
    # session, user, groups; their afdelinger; plans open for comments; threads answered by fsb (the key
    # figures and organisations are shown to those who see every afdeling only)
    with django_assert_num_queries(6):
        board_client.get(reverse("home"))


def test_long_lists_on_the_start_page_are_capped_with_the_users_own_reminders_first(client_as):
    board = UserFactory(username="home-board-long", role="afdelingsbestyrelse")
    staff = build(7, board)  # 7 organisations, 21 reminders, all for `staff`
    colleague = UserFactory(username="home-colleague", role="medarbejder")
    own_plan = HelhedsplanFactory(indsats__titel="Kollegens plan", indsats__ansvarlig=colleague)
    long_ago = timezone.now() - timedelta(weeks=12)
    place(own_plan, lifecycle.PRAEKVALIFIKATION_BEHANDLES, tilstand_siden=long_ago)
    for _ in range(20):
        AfdelingFactory()

    page = client_as(colleague).get(reverse("home")).text

    assert page.count("helhedsplan-reminder--") == 20
    assert page.index("Kollegens plan") < page.index("Venter 7-0")
    assert "Viser 20 af 22 påmindelser, dine egne først." in page
    assert page.count("?organisation=") == 20
    assert "De 20 største efter antal lejemål." in page
    assert staff


def test_the_key_figures_add_up_every_afdeling_of_every_organisation(client_as):
    staff = UserFactory(username="home-staff-figures", role="medarbejder")
    small, large = OrganisationFactory(navn="Lille"), OrganisationFactory(navn="Store")
    OrganisationFactory(navn="Uden afdelinger")
    AfdelingFactory(organisation=small, lejemaal=10, beboere=25)
    AfdelingFactory(organisation=large, lejemaal=300, beboere=700)
    AfdelingFactory(organisation=large, lejemaal=400, beboere=900)
    expected = Afdeling.objects.aggregate(antal=Count("id"), lejemaal=Sum("lejemaal"), beboere=Sum("beboere"))

    page = client_as(staff).get(reverse("home")).text

    for label, figure in (("Afdelinger", "antal"), ("Lejemål", "lejemaal"), ("Beboere", "beboere")):
        assert f"<dt>{label}</dt><dd>{count(expected[figure])}</dd>" in page
    assert page.index(">Store</a>") < page.index(">Lille</a>") < page.index(">Uden afdelinger</a>")


def test_the_key_figures_and_organisations_follow_every_change_to_the_register(client_as):
    staff = UserFactory(username="home-staff-register", role="medarbejder")
    small, large = OrganisationFactory(navn="Lille"), OrganisationFactory(navn="Store")
    AfdelingFactory(organisation=small, lejemaal=10, beboere=25)
    AfdelingFactory(organisation=large, lejemaal=300, beboere=700)
    client = client_as(staff)
    assert "<dt>Lejemål</dt><dd>310</dd>" in client.get(reverse("home")).text

    AfdelingFactory(organisation=small, lejemaal=500, beboere=1200)
    page = client.get(reverse("home")).text
    assert "<dt>Afdelinger</dt><dd>3</dd>" in page and "<dt>Lejemål</dt><dd>810</dd>" in page
    assert page.index(">Lille</a>") < page.index(">Store</a>")

    small.navn = "Lille og omdøbt"
    small.save()
    assert ">Lille og omdøbt</a>" in client.get(reverse("home")).text


def test_the_lists_escape_the_texts_and_name_removed_authors(client_as):
    staff = UserFactory(username="home-staff-rows", role="medarbejder")
    board = UserFactory(
        username="home-board-rows", role="afdelingsbestyrelse", first_name="Bo", last_name="<B>"
    )
    OrganisationFactory(navn="Bo & <Co>")
    plan = HelhedsplanFactory(indsats__titel="Plan <1> & 'to'")
    Kommentar.objects.create(plan=plan, sektion="analyse", forfatter=board, tekst="Spørgsmål")
    # A removed user's thread: the author is set to NULL
    Kommentar.objects.create(plan=plan, sektion="bilag", forfatter=None, tekst="Spørgsmål")
    place(HelhedsplanFactory(indsats__titel="Hos <fonden>"), lifecycle.GODKENDELSE)

    page = client_as(staff).get(reverse("home")).text

    detail = reverse("plan_detail", args=[plan.pk])
    today = long_date(timezone.localdate())
    assert (
        f'<li><a href="{detail}#kommentarer-analyse">'
        "Plan &lt;1&gt; &amp; &#x27;to&#x27;: «Analyse af udfordringerne»</a> "
        f'<span class="app-muted">Bo &lt;B&gt;, {today}</span></li>'
    ) in page
    assert f'«Bilag»</a> <span class="app-muted">Slettet bruger, {today}</span>' in page
    assert '>Hos &lt;fonden&gt;</a> <span class="app-muted">Til godkendelse hos LBF og kommune siden' in page
    assert ">Bo &amp; &lt;Co&gt;</a></td>" in page


def _menu(client, url):
    page = client.get(url).text
    bar = page[page.index('<nav class="app-nav"') :]
    bar = bar[: bar.index("</nav>")]
    return re.findall(r'<a href="([^"]+)"( aria-current="page")?>([^<]+)</a>', bar)


def test_a_board_member_gets_a_short_menu_staff_the_whole(client_as, bestyrelse, medarbejder, sekretariat):
    board = _menu(client_as(bestyrelse), reverse("plan_list"))
    assert [label for _, _, label in board] == ["Forside", "Mine afdelinger", "Helhedsplaner"]
    assert [label for _, current, label in board if current] == ["Helhedsplaner"]
    staff = [label for _, _, label in _menu(client_as(medarbejder), reverse("home"))]
    assert staff == [
        "Forside",
        "Afdelinger",
        "Boligområder",
        "Screening",
        "Indsatser",
        "Helhedsplaner",
        "Frister",
        "Pakkeeksport",
        "Budgetter",
    ]
    assert "Pakkeeksport" in [label for _, _, label in _menu(client_as(sekretariat), reverse("home"))]
    # The drawer a small screen opens holds the same items.
    page = client_as(bestyrelse).get(reverse("home")).text
    drawer = page[page.index('<nav class="navigation-menu-mobile"') :]
    assert re.findall(r"<span>([^<]+)</span>", drawer[: drawer.index("</nav>")]) == [
        "Forside",
        "Mine afdelinger",
        "Helhedsplaner",
    ]
