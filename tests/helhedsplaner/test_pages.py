"""The pages: list with filters in place, plan overview with the diagram, timeline, changes; query counts."""

import html
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from helhedsplaner import aarscyklus, actions, lifecycle
from helhedsplaner.models import Haendelse
from helhedsplaner.views import history
from indsatser.models import Indikator as MaalIndikator
from indsatser.models import Maalsaetning
from screening.models import Indikator, Maaling, Screeningsrunde
from tests.factories import AfdelingFactory, HelhedsplanFactory, UserFactory
from tests.helhedsplaner.conftest import Organ, Udfald, decide, place, vote

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_list_filters_by_state_and_search_in_place(client_as, medarbejder, plan, foreign_afdeling):
    other = HelhedsplanFactory(indsats__titel="Nordplanen", indsats__afdelinger=[foreign_afdeling])
    place(other, lifecycle.AKTIV)
    client = client_as(medarbejder)
    by_state = client.get(reverse("plan_list"), {"tilstand": lifecycle.AKTIV})
    assert "Nordplanen" in by_state.text and "Testparken" not in by_state.text
    fragment = client.get(reverse("plan_list"), {"q": "Fremmed Afdeling"}, **HTMX)
    assert "<html" not in fragment.text and 'id="plan-results"' in fragment.text
    assert "Nordplanen" in fragment.text and "Testparken" not in fragment.text
    by_area = client.get(reverse("plan_list"), {"boligomraade": foreign_afdeling.boligomraade_id})
    assert "Nordplanen" in by_area.text and "Testparken" not in by_area.text
    stale = client.get(reverse("plan_list"), {"tilstand": "findes-ikke"})
    assert stale.status_code == 200 and "Nordplanen" in stale.text and "Testparken" in stale.text


def test_the_overview_draws_the_diagram_and_the_next_steps(client_as, medarbejder, plan):
    place(plan, lifecycle.ORGANISATIONSBESTYRELSE)
    page = client_as(medarbejder).get(reverse("plan_detail", args=[plan.pk])).text
    for state in lifecycle.MAIN_PATH:
        assert lifecycle.STATE[state].label in page
    assert 'aria-current="step"' in page
    assert "helhedsplan-step--done" in page and "helhedsplan-step--todo" in page
    assert "Start ansøgningen om prækvalifikation" in page
    assert "Organisationsbestyrelsens beslutning er ikke registreret." in page
    assert "Registrér beslutning fra Organisationsbestyrelsen" in page


def test_what_can_be_done_now_comes_first_and_what_cannot_is_folded_away_with_its_reasons(
    client_as, sekretariat, plan
):
    place(plan, lifecycle.PRAEKVALIFIKATION_BEHANDLES)
    page = client_as(sekretariat).get(reverse("plan_detail", args=[plan.pk])).text
    box = page[page.index('<section class="helhedsplan-next"') :]
    box = box[: box.index("</section>")]
    possible = box.index("Registrér beslutning fra Landsbyggefonden eller Københavns Kommune")
    blocked_actions = [t for t, problems in lifecycle.available(plan, sekretariat) if problems]
    assert len(blocked_actions) == 3
    folded = box.index("<details")
    assert possible < folded
    assert f"Ikke muligt nu ({len(blocked_actions)})" in box[folded:]
    for transition in blocked_actions:
        assert box.index(transition.label) > folded
    assert "Landsbyggefondens beslutning er ikke registreret." in box[folded:]
    link = box[:possible]
    assert link[link.rindex("<a ") :].count("button-primary") == 1


def test_a_plan_on_a_side_exit_shows_where_it_stopped(client_as, medarbejder, sekretariat, plan):
    place(plan, lifecycle.PRAEKVALIFIKATION_BEHANDLES)
    decide(plan, Organ.LBF, Udfald.AFVIST, sekretariat)
    lifecycle.fire(plan, "praekvalifikation_afvist", notify=False, acting_user=sekretariat)
    page = client_as(medarbejder).get(reverse("plan_detail", args=[plan.pk])).text
    assert "helhedsplan-step--stopped" in page and "helhedsplan-exit--current" in page


def test_the_refreshing_fragment_is_served_to_htmx(client_as, medarbejder, plan):
    fragment = client_as(medarbejder).get(reverse("plan_detail", args=[plan.pk]), **HTMX)
    assert "<html" not in fragment.text
    assert 'hx-trigger="helhedsplanChanged from:body"' in fragment.text


def test_secretariat_sees_the_funder_steps_as_buttons(client_as, sekretariat, plan):
    place(plan, lifecycle.GODKENDELSE)
    page = client_as(sekretariat).get(reverse("plan_detail", args=[plan.pk])).text
    assert "Registrér beslutning fra Landsbyggefonden eller Københavns Kommune" in page
    assert "Opgiv planen" not in page  # staff only


def test_the_analysis_shows_screening_figures_with_small_counts_hidden_from_board(
    client_as, medarbejder, bestyrelse, plan, own_afdeling
):
    runde = Screeningsrunde.objects.create(aar=2025, status="endelig")
    evictions = Indikator.objects.get(kode="udsaettelser_antal")
    youth = Indikator.objects.get(kode="uden_job_uddannelse_pct")
    Maaling.objects.create(runde=runde, indikator=evictions, afdeling=own_afdeling, vaerdi=Decimal(3))
    Maaling.objects.create(runde=runde, indikator=youth, afdeling=own_afdeling, vaerdi=Decimal("41.5"))
    staff_page = client_as(medarbejder).get(reverse("plan_detail", args=[plan.pk])).text
    assert "screeningen 2025" in staff_page and "41,5 %" in staff_page
    figures = staff_page[staff_page.index("helhedsplan-figures") :]
    assert ">3<" in figures
    board_page = client_as(bestyrelse).get(reverse("plan_detail", args=[plan.pk])).text
    assert "&lt;\u00a05" in board_page and "41,5 %" in board_page


def test_the_analysis_takes_the_newest_round_that_measured_the_plans_afdelinger(
    client_as, medarbejder, plan, own_afdeling, foreign_afdeling
):
    youth = Indikator.objects.get(kode="uden_job_uddannelse_pct")
    for aar, afdeling, value in (
        (2023, own_afdeling, "30"),
        (2024, own_afdeling, "35"),
        (2026, foreign_afdeling, "9"),
    ):
        runde = Screeningsrunde.objects.create(aar=aar, status="endelig")
        Maaling.objects.create(runde=runde, indikator=youth, afdeling=afdeling, vaerdi=Decimal(value))
    page = client_as(medarbejder).get(reverse("plan_detail", args=[plan.pk])).text
    assert "screeningen 2024" in page and "35,0 %" in page
    assert "2026" not in page[page.index("helhedsplan-figures") :]


def test_without_screening_figures_the_analysis_says_so(client_as, medarbejder, plan):
    page = client_as(medarbejder).get(reverse("plan_detail", args=[plan.pk])).text
    assert "Der er endnu ingen screeningstal for planens afdelinger." in page


def test_the_timeline_holds_every_kind_of_event_in_order(
    client_as, medarbejder, sekretariat, bestyrelse, plan, own_afdeling, private_storage
):
    actions.add_attachment(
        plan, titel="Analyse", fil=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x"), acting_user=medarbejder
    )
    actions.post_comment(plan, sektion="analyse", tekst="Godt.", notify=False, acting_user=bestyrelse)
    lifecycle.fire(plan, "send_til_organisationsbestyrelsen", notify=False, acting_user=medarbejder)
    decide(plan, Organ.ORGANISATIONSBESTYRELSE, Udfald.GODKENDT, medarbejder)
    place(plan, lifecycle.AFDELINGSMOEDER)
    vote(plan, own_afdeling, medarbejder, 30, 10)
    client = client_as(medarbejder)
    page = client.get(reverse("plan_timeline", args=[plan.pk])).text
    for label in ("Bilag", "Kommentar", "Ny fase", "Beslutning", "Afdelingsmøde"):
        assert f"<strong>{label}</strong>" in page
    assert page.index("<strong>Afdelingsmøde</strong>") < page.index("<strong>Bilag</strong>")  # newest first
    only = client.get(
        reverse("plan_timeline", args=[plan.pk]),
        {"art": "beslutning"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="timeline-results",
    )
    assert "<html" not in only.text and "<strong>Beslutning</strong>" in only.text
    assert "<strong>Bilag</strong>" not in only.text


def test_what_changed_since_shows_the_words_added_and_removed(client_as, medarbejder, plan):
    actions.save_text(plan, {"resume": "Børn og unge i området."}, version=1, acting_user=medarbejder)
    actions.save_text(plan, {"resume": "Børn, unge og ældre i området."}, version=2, acting_user=medarbejder)
    page = client_as(medarbejder).get(reverse("plan_changes", args=[plan.pk]), {"siden": 2}).text
    diff = page[page.index('<div class="helhedsplan-diff-text">') :]
    diff = diff[: diff.index("</div>")]
    assert diff == (
        '<div class="helhedsplan-diff-text"><del class="helhedsplan-removed">Børn </del>'
        '<ins class="helhedsplan-added">Børn, unge </ins>og <del class="helhedsplan-removed">unge </del>'
        '<ins class="helhedsplan-added">ældre </ins>i området.'
    )
    assert "Feltændringer" in page and "Resumé" in page
    oldest = client_as(medarbejder).get(reverse("plan_changes", args=[plan.pk]), {"siden": "x"})
    assert oldest.status_code == 200


def test_the_lifecycle_page_lists_every_transition(client_as, bestyrelse):
    page = client_as(bestyrelse).get(reverse("plan_lifecycle")).text
    for transition in lifecycle.TRANSITIONS:
        assert transition.label in page
    assert "Boligsocialt Sekretariat" in page


def test_the_lifecycle_page_shows_each_transitions_requirements(client_as, bestyrelse, medarbejder):
    for user in (bestyrelse, medarbejder):
        page = client_as(user).get(reverse("plan_lifecycle")).text
        rows = re.findall(r'<tr>\s*<th scope="row">(.*?)</th>(.*?)</tr>', page, re.S)
        cells = {html.unescape(label): re.findall(r"<td>(.*?)</td>", rest, re.S) for label, rest in rows}
        assert set(cells) == {transition.label for transition in lifecycle.TRANSITIONS}
        for transition in lifecycle.TRANSITIONS:
            krav = html.unescape(cells[transition.label][3])
            expected = [guard.requirement for guard in transition.guards] or ["–"]
            assert [line.strip() for line in krav.split("<br>")] == expected, transition.name


@pytest.mark.parametrize("target", [lifecycle.PRAEKVALIFICERET, lifecycle.GODKENDELSE])
def test_the_register_and_the_afdeling_page_use_the_plans_own_status_word(
    client_as, medarbejder, bestyrelse, own_afdeling, plan, walk_to, target
):
    plan = walk_to(plan, target)
    word = lifecycle.STATE[target].label
    for user in (medarbejder, bestyrelse):
        client = client_as(user)
        register = client.get(reverse("indsats_list")).text
        row = register[register.index("Helhedsplan for Testparken") :]
        row = row[: row.index("</tr>")]
        assert word in row and "Forslag" not in row
        afdeling = client.get(reverse("afdeling_detail", args=[own_afdeling.pk])).text
        row = afdeling[afdeling.index("Helhedsplan for Testparken") :]
        assert word in row[: row.index("</tr>")]
        detail = client.get(reverse("indsats_detail", args=[plan.indsats_id])).text
        assert word in detail and ">Forslag<" not in detail
    assert plan.indsats.status_label == word


def test_a_new_plan_and_each_transition_name_the_plans_phase_on_its_indsats(medarbejder, own_afdeling):
    plan = actions.create_plan(titel="Ny plan", afdelinger=[own_afdeling], acting_user=medarbejder)
    assert plan.indsats.fase == lifecycle.STATE[lifecycle.IDE].label
    actions.save_text(plan, {"resume": "Resumé.", "analyse": "Analyse."}, version=1, acting_user=medarbejder)
    plan = lifecycle.fire(plan, "send_til_organisationsbestyrelsen", notify=False, acting_user=medarbejder)
    plan.indsats.refresh_from_db()
    assert plan.indsats.fase == "Organisationsbestyrelsen behandler"
    assert plan.indsats.status_label == "Organisationsbestyrelsen behandler"


def _plans(count, afdelinger_each, staff, secretariat, board):
    """Plans with afdelinger, decisions, comments and events, so every list on the pages has rows."""
    plans = []
    for index in range(count):
        afdelinger = [AfdelingFactory() for _ in range(afdelinger_each)]
        board.bestyrelsesposter.create(afdeling=afdelinger[0])
        plan = HelhedsplanFactory(
            indsats__titel=f"Plan {index}", indsats__afdelinger=afdelinger, indsats__ansvarlig=staff
        )
        commenter = type(board).objects.get(pk=board.pk)  # a fresh user: board seats are cached per object
        for _ in range(afdelinger_each):
            actions.post_comment(
                plan, sektion="analyse", tekst="Spørgsmål", notify=False, acting_user=commenter
            )
            actions.add_member(plan, gruppe="styregruppe", navn="Medlem", acting_user=staff)
        place(plan, lifecycle.PRAEKVALIFIKATION_BEHANDLES)
        decide(plan, Organ.LBF, Udfald.GODKENDT, secretariat)
        plans.append(plan)
    return plans


@pytest.mark.parametrize(("count", "each"), [(2, 2), (7, 5)])
def test_query_counts_do_not_grow_with_the_data(
    client_as, django_assert_num_queries, medarbejder, sekretariat, count, each
):
    board = UserFactory(username="t-bestyrelse-mange", role="afdelingsbestyrelse")
    plans = _plans(count, each, medarbejder, sekretariat, board)
    client = client_as(medarbejder)
    client.get(reverse("home"))  # session and user warmed up
    # session, user, groups; count, page of plans (with their afdelinger); the filters' areas, organisations,
    # staff
    with django_assert_num_queries(8):
        client.get(reverse("plan_list"))
    # session, user, groups, plan (with the indsatsområder, goals, activities and organisation); afdelinger
    # with this round's meetings; the plan's decisions, which the 3 transitions' guards and the funders'
    # grants share; the comments; screening round; attachments; the conditions; the access log entry (the
    # comments)
    with django_assert_num_queries(11):
        client.get(reverse("plan_detail", args=[plans[-1].pk]))
    # session, user, groups, plan; count and page of events; the reports; the current decisions for the guards
    with django_assert_num_queries(8):
        client.get(reverse("plan_timeline", args=[plans[-1].pk]))
    # session, user, groups, plan; the current decisions for the guards; decisions, their conditions
    with django_assert_num_queries(7):
        client.get(reverse("plan_decisions", args=[plans[-1].pk]))
    board_client = client_as(board)
    board_client.get(reverse("home"))
    # session, user, groups; count; the model permissions asked for the "new plan" button (user, groups);
    # the filters' areas and organisations (the board member's own), page of plans (with their afdelinger).
    # The staff filter is the same list for everyone, kept since the staff member's request.
    with django_assert_num_queries(9):
        board_client.get(reverse("plan_list"))
    assert Haendelse.objects.filter(plan=plans[-1]).count() > each


@pytest.mark.parametrize("more_afdelinger", [0, 6])
def test_the_form_pages_are_constant(
    client_as, django_assert_num_queries, medarbejder, plan, more_afdelinger
):
    plan.indsats.afdelinger.add(*[AfdelingFactory() for _ in range(more_afdelinger)])
    client = client_as(medarbejder)
    # session, user, groups; staff (no afdeling is chosen yet, and none is listed until searched for)
    with django_assert_num_queries(4):
        assert client.get(reverse("plan_create")).status_code == 200
    # session, user, groups, plan (with its indsats), its afdelinger (with organisation and område; the
    # staff list now kept)
    with django_assert_num_queries(5):
        assert client.get(reverse("plan_text_edit", args=[plan.pk])).status_code == 200


def test_the_overview_writes_each_number_by_its_kind(client_as, medarbejder, plan, own_afdeling):
    """Counts whole, kroner per m² without decimals, a goal's baseline as the figure it is (not «150,00
    antal»)."""
    runde = Screeningsrunde.objects.create(aar=2024, status="endelig")
    for kode, value in (("husleje_kr_m2", "1012"), ("restancer_antal", "14"), ("fraflytning_pct", "11.4")):
        Maaling.objects.create(
            runde=runde,
            indikator=Indikator.objects.get(kode=kode),
            afdeling=own_afdeling,
            vaerdi=Decimal(value),
        )
    count = MaalIndikator.objects.create(navn="Unge i fritidsjob", enhed="antal")
    Maalsaetning.objects.create(indsats=plan.indsats, indikator=count, baseline=Decimal("150"))
    page = client_as(medarbejder).get(reverse("plan_detail", args=[plan.pk])).text
    figures = page[page.index("helhedsplan-figures") :]
    assert "1.012 kr./m²" in figures and "1.012,0" not in figures
    assert ">14<" in figures and "11,4 %" in figures
    assert "150,00" not in page and ">150<" in page


def _active_plan_with_obligations(plan, medarbejder, sekretariat):
    """The plan active from two years ago to two years ahead, its obligations made as the approval makes
    them; the oldest sent, the one after it ready (and so overdue), one to come marked ready."""
    today = timezone.localdate()
    plan.indsats.startdato = date(today.year - 2, 1, 1)
    plan.indsats.slutdato = date(today.year + 2, 12, 31)
    plan.indsats.save()
    plan = place(plan, lifecycle.AKTIV)
    aarscyklus.sync_obligations(plan, acting_user=medarbejder)
    past = list(plan.forpligtelser.filter(frist__lt=today).order_by("frist"))
    coming = list(plan.forpligtelser.filter(frist__gte=today).order_by("frist"))
    actions.mark_obligation_ready(past[0], acting_user=medarbejder)
    actions.mark_obligation_sent(past[0], dato=today, acting_user=sekretariat)
    actions.mark_obligation_ready(past[1], acting_user=medarbejder)
    actions.mark_obligation_ready(coming[0], acting_user=medarbejder, today=coming[0].frist)
    return plan


def _timeline_items(page):
    """The heads of the timeline's items in the order shown, as (kind, date) with the date as ISO text."""
    return [
        (kind, when[:10])
        for kind, when in re.findall(
            r'helhedsplan-event helhedsplan-event--(\w+).*?<time datetime="([^"]+)"', page, re.S
        )
    ]


def test_the_timeline_shows_the_reports_with_their_state_among_the_events(
    client_as, medarbejder, sekretariat, plan
):
    plan = _active_plan_with_obligations(plan, medarbejder, sekretariat)
    today = timezone.localdate()
    # Events spread over the period, so the reports fall between them.
    for years_back, event in enumerate(plan.haendelser.order_by("-tid", "-id")):
        Haendelse.objects.filter(pk=event.pk).update(tid=event.tid - timedelta(days=200 * years_back))
    page = client_as(medarbejder).get(reverse("plan_timeline", args=[plan.pk])).text
    items = _timeline_items(page)
    assert [when for _, when in items] == sorted((when for _, when in items), reverse=True)
    assert sum(kind == "frist" for kind, _ in items) == plan.forpligtelser.count()
    assert sum(kind != "frist" for kind, _ in items) == plan.haendelser.count()
    states = {o.pk: o.tilstand_pr(today) for o in plan.forpligtelser.select_related("type").order_by("frist")}
    assert set(states.values()) == {"sendt", "forfalden", "klar", "kommende"}
    for obligation in plan.forpligtelser.select_related("type"):
        link = f'<a href="{reverse("plan_year", args=[plan.pk, obligation.aar])}">{obligation.type.navn}'
        assert link in page
    for label in ("Sendt", "Forfalden", "Klar", "Kommende"):
        assert f"<strong>Rapporteringsfrist</strong> · {label}" in page
    only = client_as(medarbejder).get(reverse("plan_timeline", args=[plan.pk]), {"art": "frister"}).text
    assert {kind for kind, _ in _timeline_items(only)} == {"frist"}
    events_only = client_as(medarbejder).get(reverse("plan_timeline", args=[plan.pk]), {"art": "overgang"})
    assert "Rapporteringsfrist</strong>" not in events_only.text


def test_each_report_is_on_the_one_timeline_page_that_covers_its_deadline(
    client_as, medarbejder, sekretariat, plan, monkeypatch
):
    monkeypatch.setattr(history, "TIMELINE_PAGE_SIZE", 2)
    plan = _active_plan_with_obligations(plan, medarbejder, sekretariat)
    for index in range(6):
        actions.post_comment(
            plan, sektion="analyse", tekst=f"Nr. {index}", notify=False, acting_user=medarbejder
        )
    for years_back, event in enumerate(plan.haendelser.order_by("-tid", "-id")):
        Haendelse.objects.filter(pk=event.pk).update(tid=event.tid - timedelta(days=150 * years_back))
    client, shown, side = client_as(medarbejder), [], 1
    while True:
        page = client.get(reverse("plan_timeline", args=[plan.pk]), {"side": side}).text
        shown += _timeline_items(page)
        if "Ældre ›" not in page:
            break
        side += 1
    assert side > 3
    assert [when for _, when in shown] == sorted((when for _, when in shown), reverse=True)
    assert sum(kind == "frist" for kind, _ in shown) == plan.forpligtelser.count()
    assert sum(kind != "frist" for kind, _ in shown) == plan.haendelser.count()


@pytest.mark.parametrize("comments", [0, 60])
def test_the_timeline_of_an_active_plan_runs_a_fixed_number_of_queries(
    client_as, django_assert_num_queries, medarbejder, sekretariat, plan, comments
):
    plan = _active_plan_with_obligations(plan, medarbejder, sekretariat)
    for index in range(comments):
        actions.post_comment(
            plan, sektion="analyse", tekst=f"Nr. {index}", notify=False, acting_user=medarbejder
        )
    client = client_as(medarbejder)
    client.get(reverse("home"))
    # session, user, groups, plan; count and page of events; the reports (with their types); with more than
    # one page, the next page's first event. An active plan's next steps need no decisions.
    with django_assert_num_queries(8 if comments else 7):
        assert client.get(reverse("plan_timeline", args=[plan.pk])).status_code == 200
