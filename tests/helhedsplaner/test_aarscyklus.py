"""The reports an active plan owes the funders: the deadlines as a pure function of the report types and the
period, the obligations written when a plan becomes active, and moved by an approved change of period."""

import html
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from finansiering import actions as finansiering_actions
from finansiering.models import Budgetlinje, Omkostningstype
from helhedsplaner import actions, lifecycle, queries
from helhedsplaner.aarscyklus import deadlines
from helhedsplaner.forms import GoalYearForm, MilestoneForm, YearStatusForm
from helhedsplaner.models import Haendelse, Rapporteringsforpligtelse, Rapporteringstype, Reguleringspost
from indsatser.models import Indikator, Maaltal
from indsatser.transitions import Conflict, Forbidden, Refused
from tests.factories import HelhedsplanFactory
from tests.helhedsplaner.test_aendringer import approved_plan, proposal
from tests.indsatser.factories import MaalsaetningFactory
from tests.world import one_page_pdf

Art, Regel = Rapporteringstype.Art, Rapporteringstype.Fristregel
Status = Rapporteringsforpligtelse.Status

REGNSKAB = Rapporteringstype(
    pk=1, navn="Regnskab", art=Art.REGNSKAB, fristregel=Regel.EFTER_AARETS_UDGANG, maaneder=6, sortering=0
)
MAAL = Rapporteringstype(
    pk=2,
    navn="Målopfyldelse",
    art=Art.MAALOPFOELGNING,
    fristregel=Regel.FAST_DATO,
    dag=1,
    maaned=3,
    aar_forskydning=1,
    sortering=1,
)
MILEPAELE = Rapporteringstype(
    pk=3,
    navn="Milepælsplan",
    art=Art.MILEPAELSPLAN,
    fristregel=Regel.FAST_DATO,
    dag=1,
    maaned=12,
    aar_forskydning=-1,
    sortering=2,
)
MIDTVEJS = Rapporteringstype(
    pk=4, navn="Midtvejsstatus", art=Art.MIDTVEJSSTATUS, fristregel=Regel.MIDTVEJS, sortering=3
)
DEFAULTS = [REGNSKAB, MAAL, MILEPAELE, MIDTVEJS]
# A day after the test plan's period (2027-2030): every report of it can be marked ready.
AFTER_THE_PERIOD = date(2031, 7, 1)


def owed(start, end, types=DEFAULTS):
    return {(item.type.navn, item.aar): item.frist for item in deadlines(types, start, end)}


def test_a_four_year_plan_owes_the_years_accounts_goals_milestones_and_one_midway_status():
    found = owed(date(2027, 1, 1), date(2030, 12, 31))
    assert {aar: found[("Regnskab", aar)] for aar in range(2027, 2031)} == {
        aar: date(aar + 1, 6, 30) for aar in range(2027, 2031)
    }
    assert {aar: found[("Målopfyldelse", aar)] for aar in range(2027, 2031)} == {
        aar: date(aar + 1, 3, 1) for aar in range(2027, 2031)
    }
    # The first year's milestones were in the application: that plan is not owed again.
    assert ("Milepælsplan", 2027) not in found
    assert {aar: found[("Milepælsplan", aar)] for aar in range(2028, 2031)} == {
        aar: date(aar - 1, 12, 1) for aar in range(2028, 2031)
    }
    assert found[("Midtvejsstatus", 2028)] == date(2028, 12, 31)  # 730 of the period's 1,460 days on
    assert len(found) == 4 + 4 + 3 + 1


def test_a_three_year_plan_from_mid_year_owes_for_every_calendar_year_it_touches():
    found = owed(date(2027, 7, 1), date(2030, 6, 30))
    assert sorted(aar for navn, aar in found if navn == "Regnskab") == [2027, 2028, 2029, 2030]
    assert found[("Regnskab", 2030)] == date(2031, 6, 30)
    assert sorted(aar for navn, aar in found if navn == "Milepælsplan") == [2028, 2029, 2030]
    assert found[("Midtvejsstatus", 2028)] == date(2028, 12, 29)
    assert len(found) == 4 + 4 + 3 + 1


def test_a_five_year_plan():
    found = owed(date(2026, 1, 1), date(2030, 12, 31))
    assert len(found) == 5 + 5 + 4 + 1
    assert found[("Midtvejsstatus", 2028)] == date(2028, 7, 1)
    assert found[("Målopfyldelse", 2030)] == date(2031, 3, 1)


def test_a_fixed_date_on_the_first_day_of_the_period_is_owed_and_one_the_day_before_is_not():
    assert ("Milepælsplan", 2028) in owed(date(2027, 12, 1), date(2030, 11, 30), [MILEPAELE])
    assert ("Milepælsplan", 2028) not in owed(date(2027, 12, 2), date(2030, 11, 30), [MILEPAELE])


def test_months_after_the_years_end_land_on_the_last_day_of_the_month_leap_years_included():
    kind = Rapporteringstype(pk=9, navn="Sen", fristregel=Regel.EFTER_AARETS_UDGANG, maaneder=14)
    found = owed(date(2026, 1, 1), date(2027, 12, 31), [kind])
    assert found == {("Sen", 2026): date(2028, 2, 29), ("Sen", 2027): date(2029, 2, 28)}


def test_overdue_from_the_day_after_the_deadline_until_it_is_sent():
    obligation = Rapporteringsforpligtelse(frist=date(2028, 6, 30), status=Status.KLAR)
    assert not obligation.overskredet_pr(date(2028, 6, 30))
    assert obligation.overskredet_pr(date(2028, 7, 1))
    obligation.status = Status.SENDT
    assert not obligation.overskredet_pr(date(2028, 7, 1))


# --- The plan's obligations -------------------------------------------------------------------------------


@pytest.fixture
def active_plan(db, own_afdeling, second_afdeling, medarbejder, sekretariat):
    return approved_plan(
        "Helhedsplan for Årsparken", [own_afdeling, second_afdeling], medarbejder, sekretariat
    )


def obligations(plan):
    return {
        (o.type.art, o.aar): (o.frist, o.status)
        for o in Rapporteringsforpligtelse.objects.filter(plan=plan).select_related("type")
    }


def test_approval_creates_the_obligations_of_every_year_for_the_responsible_staff_member(
    active_plan, medarbejder
):
    found = obligations(active_plan)
    assert len(found) == 12
    assert found[(Art.REGNSKAB, 2030)] == (date(2031, 6, 30), Status.AABEN)
    assert set(active_plan.forpligtelser.values_list("ansvarlig", flat=True)) == {medarbejder.pk}
    event = active_plan.haendelser.get(art=Haendelse.Art.OVERGANG, til_tilstand=lifecycle.AKTIV)
    assert "Rapporteringsfrister: 12 oprettet." in event.tekst


def test_a_shorter_period_drops_the_untouched_obligations_of_the_lost_year_and_moves_the_midway_status(
    active_plan, medarbejder, sekretariat
):
    worked_on = active_plan.forpligtelser.get(type__art=Art.MAALOPFOELGNING, aar=2030)
    actions.mark_obligation_ready(worked_on, acting_user=medarbejder, today=AFTER_THE_PERIOD)
    anmodning = actions.create_change_request(
        active_plan, proposal(active_plan, slutdato=date(2029, 12, 31)), acting_user=medarbejder
    )
    Budgetlinje.objects.filter(version=anmodning.budgetversion, aar=2030).delete()
    actions.send_change_request(anmodning, acting_user=medarbejder)
    today = timezone.localdate()
    for organ, amount in (("lbf", "2700000.00"), ("kommune", "450000.00")):
        actions.record_change_decision(
            anmodning,
            {"organ": organ, "dato": today, "udfald": "godkendt", "bevilget_beloeb": Decimal(amount)},
            acting_user=sekretariat,
        )
    found = obligations(active_plan)
    assert (Art.REGNSKAB, 2030) not in found and (Art.MILEPAELSPLAN, 2030) not in found
    assert found[(Art.MAALOPFOELGNING, 2030)] == (date(2031, 3, 1), Status.KLAR)  # worked on: kept
    assert found[(Art.MIDTVEJSSTATUS, 2028)] == (date(2028, 7, 1), Status.AABEN)  # was 31.12.2028
    anmodning.refresh_from_db()
    assert "Rapporteringsfrister: 1 flyttet, 2 fjernet." in anmodning.aendringer


def test_staff_mark_an_obligation_ready_and_the_secretariat_marks_it_sent(
    active_plan, medarbejder, sekretariat
):
    obligation = active_plan.forpligtelser.get(type__art=Art.REGNSKAB, aar=2027)
    with pytest.raises(Refused, match="klar"):
        actions.mark_obligation_sent(obligation, dato=timezone.localdate(), acting_user=sekretariat)
    with pytest.raises(Forbidden):
        actions.mark_obligation_ready(obligation, acting_user=sekretariat)
    actions.mark_obligation_ready(obligation, acting_user=medarbejder, today=AFTER_THE_PERIOD)
    with pytest.raises(Forbidden):
        actions.mark_obligation_sent(obligation, dato=timezone.localdate(), acting_user=medarbejder)
    with pytest.raises(Refused, match="fremtiden"):
        actions.mark_obligation_sent(
            obligation, dato=timezone.localdate() + timedelta(days=1), acting_user=sekretariat
        )
    actions.mark_obligation_sent(obligation, dato=timezone.localdate(), acting_user=sekretariat)
    obligation.refresh_from_db()
    assert (obligation.status, obligation.sendt_dato, obligation.sendt_af) == (
        Status.SENDT,
        timezone.localdate(),
        sekretariat,
    )
    assert obligation.history.count() == 3
    assert active_plan.haendelser.filter(art=Haendelse.Art.AARSSTATUS).count() == 2


# --- The pages ---------------------------------------------------------------------------------------------


def test_a_milestone_outside_the_period_is_refused_in_danish_and_nothing_is_saved(
    client_as, medarbejder, active_plan
):
    url = reverse("plan_year_milestone", args=[active_plan.pk, 2028])
    data = {"hvad": "Lektiecaféen har 40 faste børn", "dato": "2031-01-15", "status": "planlagt"}
    response = client_as(medarbejder).post(url, data)
    assert response.status_code == 400
    assert "Milepælen ligger uden for planens periode (01.01.2027–31.12.2030)." in response.content.decode()
    assert not active_plan.milepaele.exists()
    response = client_as(medarbejder).post(url, {**data, "dato": "2028-05-01"})
    assert response.status_code == 302
    assert active_plan.milepaele.get().history.first().history_user == medarbejder


def test_staff_fill_the_year_and_the_secretariat_marks_it_sent_over_http(
    client_as, medarbejder, sekretariat, active_plan
):
    goal = MaalsaetningFactory(indsats=active_plan.indsats, baseline=Decimal("40"))
    client = client_as(medarbejder)
    response = client.post(
        reverse("plan_year_goals", args=[active_plan.pk, 2027]),
        {
            f"maalt_{goal.pk}": "44,5",
            f"vurdering_{goal.pk}": "paa_sporet",
            f"kommentar_{goal.pk}": "Godt år.",
        },
    )
    assert response.status_code == 302
    figure = goal.maaltal.get(aar=2027)
    assert (figure.maalt, figure.vurdering, figure.kommentar) == (Decimal("44.5"), "paa_sporet", "Godt år.")
    response = client.post(
        reverse("plan_year_status", args=[active_plan.pk, 2027]), {"bemaerkning": "Et år."}
    )
    assert response.status_code == 302
    obligation = active_plan.forpligtelser.get(type__art=Art.REGNSKAB, aar=2027)
    ready = reverse("plan_obligation_ready", args=[active_plan.pk, obligation.pk])
    # Today the accounts of 2027 cannot exist yet; once the year is over they can be marked ready.
    refused = client.post(ready)
    assert refused.status_code == 400
    assert "Regnskab med reguleringskonto 2027 kan først markeres klar fra 01.01.2028." in html.unescape(
        refused.content.decode()
    )
    assert ready not in client.get(reverse("plan_year", args=[active_plan.pk, 2027])).content.decode()
    actions.mark_obligation_ready(obligation, acting_user=medarbejder, today=AFTER_THE_PERIOD)
    sent = reverse("plan_obligation_sent", args=[active_plan.pk, obligation.pk])
    assert client.post(sent, {"dato": "2028-01-01"}).status_code == 403
    before_ready = client_as(sekretariat).post(sent, {"dato": "01.01.1900"})
    assert before_ready.status_code == 400
    today = timezone.localdate()
    assert (
        f"Afsendelsesdatoen kan ikke ligge før {today:%d.%m.%Y}, hvor rapporten blev markeret klar."
        in before_ready.content.decode()
    )
    response = client_as(sekretariat).post(sent, {"dato": timezone.localdate().strftime("%d.%m.%Y")})
    assert response.status_code == 302
    page = client_as(sekretariat).get(reverse("plan_year", args=[active_plan.pk, 2027])).content.decode()
    assert f"Sendt {timezone.localdate():%d.%m.%Y}" in page and "Godt år." in page and "Et år." in page


def test_a_goal_figure_in_the_year_dialog_is_checked_as_the_import_checks_it(
    client_as, medarbejder, active_plan
):
    share = MaalsaetningFactory(
        indsats=active_plan.indsats, indikator=Indikator.objects.create(navn="Andel i job", enhed="%")
    )
    count = MaalsaetningFactory(
        indsats=active_plan.indsats, indikator=Indikator.objects.create(navn="Udsættelser", enhed="antal")
    )
    url = reverse("plan_year_goals", args=[active_plan.pk, 2027])
    client = client_as(medarbejder)
    for share_figure, count_figure, message in [
        ("1e9", "3", "'1e9' er ikke et tal."),
        ("101", "3", "En andel i procent ligger mellem 0 og 100, ikke 101."),
        ("44,5", "-12", "Tallet kan ikke være negativt for enheden 'antal'."),
    ]:
        refused = client.post(url, {f"maalt_{share.pk}": share_figure, f"maalt_{count.pk}": count_figure})
        assert refused.status_code == 400 and message in html.unescape(refused.content.decode())
    assert not Maaltal.objects.filter(maalsaetning__in=[share, count]).exists()
    saved = client.post(url, {f"maalt_{share.pk}": "44,5", f"maalt_{count.pk}": "3"})
    assert saved.status_code == 302
    assert share.maaltal.get(aar=2027).maalt == Decimal("44.5")
    assert "44,50" in client.get(url).content.decode()


def test_an_auditors_statement_must_be_a_readable_pdf(client_as, medarbejder, active_plan):
    url = reverse("plan_year_status", args=[active_plan.pk, 2027])
    header_only = SimpleUploadedFile("erklaering.pdf", b"%PDF-1.4 ikke mere", content_type="application/pdf")
    refused = client_as(medarbejder).post(url, {"bemaerkning": "Et år.", "revisorerklaering": header_only})
    assert refused.status_code == 400 and "Filen kan ikke læses som PDF." in refused.content.decode()
    statement = SimpleUploadedFile("erklaering.pdf", one_page_pdf(), content_type="application/pdf")
    accepted = client_as(medarbejder).post(url, {"bemaerkning": "Et år.", "revisorerklaering": statement})
    assert accepted.status_code == 302


def test_board_members_read_their_plans_years_and_change_nothing(
    client_as, bestyrelse, foreign_afdeling, active_plan
):
    client = client_as(bestyrelse)
    page = client.get(reverse("plan_year", args=[active_plan.pk, 2028]))
    assert page.status_code == 200 and "Regnskab med reguleringskonto 2028" in page.content.decode()
    assert "Markér klar" not in page.content.decode()
    assert client.get(reverse("plan_years", args=[active_plan.pk])).status_code == 200
    assert client.get(reverse("plan_year", args=[active_plan.pk, 2031])).status_code == 404
    assert client.get(reverse("plan_year_goals", args=[active_plan.pk, 2028])).status_code == 403
    other = HelhedsplanFactory(indsats__afdelinger=[foreign_afdeling])
    assert client.get(reverse("plan_years", args=[other.pk])).status_code == 404


def test_the_year_dialogs_fields_added_after_the_forms_init_are_drawn_in_the_design_systems_classes(
    active_plan,
):
    """GoalYearForm and YearStatusForm add their fields after DkfdsFormMixin.__init__: the mixin dresses
    them when they are drawn."""
    MaalsaetningFactory(indsats=active_plan.indsats)
    year = queries.year_status(active_plan, 2027)
    assert year.accounts  # an explanation field per budget line
    for form in (
        GoalYearForm(rows=year.goals),
        YearStatusForm(year=year),
        MilestoneForm(plan=active_plan),
    ):
        rendered = str(form)
        controls = re.findall(r"<(?:input|select|textarea)\b[^>]*>", rendered)
        assert len(controls) == len(form.fields), type(form).__name__
        undressed = [tag for tag in controls if 'class="form-' not in tag]
        assert not undressed, (type(form).__name__, undressed)


# --- Changing milestones and taking back "klar" and "sendt" -------------------------------------------------


def _send(obligation, staff, secretariat):
    actions.mark_obligation_ready(obligation, acting_user=staff, today=AFTER_THE_PERIOD)
    return actions.mark_obligation_sent(obligation, dato=timezone.localdate(), acting_user=secretariat)


def test_staff_change_and_delete_a_milestone_until_the_years_goal_report_is_sent(
    active_plan, medarbejder, sekretariat
):
    data = {"hvad": "Lektiecaféen åbner", "dato": date(2028, 3, 1), "hvem": "", "status": "planlagt"}
    milestone = actions.save_milestone(active_plan, data, acting_user=medarbejder)
    with pytest.raises(Forbidden):
        actions.save_milestone(
            active_plan, {**data, "status": "naaet"}, milestone=milestone, acting_user=sekretariat
        )
    with pytest.raises(Refused, match="uden for planens periode"):
        actions.save_milestone(
            active_plan, {**data, "dato": date(2031, 1, 1)}, milestone=milestone, acting_user=medarbejder
        )
    actions.save_milestone(
        active_plan, {**data, "status": "naaet"}, milestone=milestone, acting_user=medarbejder
    )
    milestone.refresh_from_db()
    assert milestone.status == "naaet"
    _send(active_plan.forpligtelser.get(type__art=Art.MAALOPFOELGNING, aar=2028), medarbejder, sekretariat)
    with pytest.raises(Refused, match="Målopfyldelsesskema 2028 er sendt"):
        actions.save_milestone(
            active_plan, {**data, "hvem": "Ny"}, milestone=milestone, acting_user=medarbejder
        )
    with pytest.raises(Refused, match="Målopfyldelsesskema 2028 er sendt"):
        actions.delete_milestone(milestone, acting_user=medarbejder)
    # Nor is one of an open year moved into the reported year.
    other = actions.save_milestone(active_plan, {**data, "dato": date(2029, 3, 1)}, acting_user=medarbejder)
    with pytest.raises(Refused, match="Målopfyldelsesskema 2028 er sendt"):
        actions.save_milestone(active_plan, data, milestone=other, acting_user=medarbejder)
    actions.delete_milestone(other, acting_user=medarbejder)
    assert list(active_plan.milepaele.all()) == [milestone]
    texts = list(active_plan.haendelser.filter(art=Haendelse.Art.AARSSTATUS).values_list("tekst", flat=True))
    assert "Milepæl ændret: Lektiecaféen åbner (01.03.2028)." in texts
    assert "Milepæl slettet: Lektiecaféen åbner (01.03.2029)." in texts


def test_no_milestone_is_added_to_a_year_whose_goal_report_is_sent(
    client_as, active_plan, medarbejder, sekretariat
):
    _send(active_plan.forpligtelser.get(type__art=Art.MAALOPFOELGNING, aar=2028), medarbejder, sekretariat)
    data = {"hvad": "Fritidsjob", "dato": date(2028, 5, 5), "hvem": "", "status": "planlagt"}
    with pytest.raises(Refused, match="Målopfyldelsesskema 2028 er sendt"):
        actions.save_milestone(active_plan, data, acting_user=medarbejder)
    client = client_as(medarbejder)
    # Neither from the locked year's page nor from another year's page with a date in the locked year.
    for aar in (2028, 2029):
        url = reverse("plan_year_milestone", args=[active_plan.pk, aar])
        refused = client.post(url, {"hvad": "Fritidsjob", "dato": "2028-05-05", "status": "planlagt"})
        assert refused.status_code == 400 and "Målopfyldelsesskema 2028 er sendt" in refused.content.decode()
    assert not active_plan.milepaele.exists()
    locked_page = client.get(reverse("plan_year", args=[active_plan.pk, 2028])).content.decode()
    assert "Tilføj milepæl" not in locked_page
    dialog = client.get(reverse("plan_year_milestone", args=[active_plan.pk, 2028])).content.decode()
    assert "Målopfyldelsesskema 2028 er sendt" in dialog and "<form" not in dialog.split('id="main')[-1]
    assert "Tilføj milepæl" in client.get(reverse("plan_year", args=[active_plan.pk, 2029])).content.decode()


def test_a_sent_years_milestone_dialogs_say_it_is_locked_without_a_form(
    client_as, active_plan, medarbejder, sekretariat
):
    data = {"hvad": "Fritidsjob", "dato": date(2028, 5, 1), "hvem": "", "status": "planlagt"}
    milestone = actions.save_milestone(active_plan, data, acting_user=medarbejder)
    _send(active_plan.forpligtelser.get(type__art=Art.MAALOPFOELGNING, aar=2028), medarbejder, sekretariat)
    client = client_as(medarbejder)
    for name in ("plan_milestone_edit", "plan_milestone_delete"):
        dialog = client.get(
            reverse(name, args=[active_plan.pk, milestone.pk]), headers={"HX-Request": "true"}
        )
        text = dialog.content.decode()
        assert dialog.status_code == 200 and "Målopfyldelsesskema 2028 er sendt" in text
        assert "<form" not in text and "(01.05.2028) slettes" not in text


def test_milestones_are_changed_and_deleted_in_the_year_pages_dialogs(
    client_as, medarbejder, sekretariat, bestyrelse, active_plan
):
    data = {"hvad": "Fritidsjob", "dato": date(2028, 5, 1), "hvem": "", "status": "planlagt"}
    milestone = actions.save_milestone(active_plan, data, acting_user=medarbejder)
    client = client_as(medarbejder)
    edit = reverse("plan_milestone_edit", args=[active_plan.pk, milestone.pk])
    delete = reverse("plan_milestone_delete", args=[active_plan.pk, milestone.pk])
    page = client.get(reverse("plan_year", args=[active_plan.pk, 2028])).content.decode()
    assert f'hx-get="{edit}"' in page and f'hx-get="{delete}"' in page
    dialog = client.get(edit, headers={"HX-Request": "true"})
    assert dialog.status_code == 200 and 'value="Fritidsjob"' in dialog.content.decode()
    refused = client.post(edit, {"hvad": "Fritidsjob", "dato": "2031-01-01", "status": "naaet"})
    assert refused.status_code == 400 and "uden for planens periode" in refused.content.decode()
    moved = client.post(
        edit,
        {"hvad": "Fritidsjob til 20", "dato": "2029-05-01", "status": "naaet"},
        headers={"HX-Request": "true"},
    )
    assert moved.status_code == 204 and "HX-Trigger" in moved.headers
    milestone.refresh_from_db()
    assert (milestone.hvad, milestone.dato, milestone.status) == (
        "Fritidsjob til 20",
        date(2029, 5, 1),
        "naaet",
    )
    for user in (sekretariat, bestyrelse):
        assert client_as(user).get(edit).status_code == 403
        assert client_as(user).post(delete).status_code == 403
    board_page = client_as(bestyrelse).get(reverse("plan_year", args=[active_plan.pk, 2029])).content.decode()
    assert "Fritidsjob til 20" in board_page and edit not in board_page
    _send(active_plan.forpligtelser.get(type__art=Art.MAALOPFOELGNING, aar=2029), medarbejder, sekretariat)
    client = client_as(medarbejder)
    page = client.get(reverse("plan_year", args=[active_plan.pk, 2029])).content.decode()
    assert edit not in page and "milepælene står, som de blev rapporteret" in page
    locked = client.post(delete)
    assert locked.status_code == 400 and "Målopfyldelsesskema 2029 er sendt" in locked.content.decode()
    other = actions.save_milestone(active_plan, data, acting_user=medarbejder)
    gone = client.post(reverse("plan_milestone_delete", args=[active_plan.pk, other.pk]))
    assert gone.status_code == 302 and gone.url == reverse("plan_year", args=[active_plan.pk, 2028])
    assert list(active_plan.milepaele.all()) == [milestone]


def test_a_report_is_marked_ready_only_once_what_it_reports_on_can_be_reported(active_plan, medarbejder):
    def ready_from(art, aar):
        obligation = active_plan.forpligtelser.get(type__art=art, aar=aar)
        day = obligation.klar_fra()
        if day is not None:
            with pytest.raises(Refused, match=f"kan først markeres klar fra {day:%d.%m.%Y}"):
                actions.mark_obligation_ready(
                    obligation, acting_user=medarbejder, today=day - timedelta(days=1)
                )
        actions.mark_obligation_ready(obligation, acting_user=medarbejder, today=day or date(2026, 12, 5))
        return day

    assert ready_from(Art.REGNSKAB, 2028) == date(2029, 1, 1)
    assert ready_from(Art.MAALOPFOELGNING, 2028) == date(2029, 1, 1)
    assert ready_from(Art.MIDTVEJSSTATUS, 2028) == date(2028, 12, 31)  # the middle of 2027-2030
    assert ready_from(Art.MILEPAELSPLAN, 2029) is None  # the plan for the coming year: any time


def test_a_years_figures_are_locked_once_its_report_is_sent(client_as, active_plan, medarbejder, sekretariat):
    goal = MaalsaetningFactory(indsats=active_plan.indsats)
    client = client_as(medarbejder)
    goals_url = reverse("plan_year_goals", args=[active_plan.pk, 2027])
    status_url = reverse("plan_year_status", args=[active_plan.pk, 2027])
    page_url = reverse("plan_year", args=[active_plan.pk, 2027])
    figures = {f"maalt_{goal.pk}": "10", f"vurdering_{goal.pk}": "paa_sporet", f"kommentar_{goal.pk}": ""}
    assert client.post(goals_url, figures).status_code == 302
    assert client.post(status_url, {"bemaerkning": "Før."}).status_code == 302
    page = client.get(page_url).content.decode()
    assert goals_url in page and status_url in page
    for art in (Art.MAALOPFOELGNING, Art.REGNSKAB):
        obligation = active_plan.forpligtelser.get(type__art=art, aar=2027)
        actions.mark_obligation_ready(obligation, acting_user=medarbejder, today=AFTER_THE_PERIOD)
        actions.mark_obligation_sent(obligation, dato=timezone.localdate(), acting_user=sekretariat)
    refused = client.post(goals_url, {**figures, f"maalt_{goal.pk}": "99"})
    assert refused.status_code == 400
    assert (
        "Målopfyldelsesskema 2027 er sendt til Landsbyggefonden og kommunen: årets målopfølgning kan ikke "
        in (html.unescape(refused.content.decode()))
    )
    refused = client.post(status_url, {"bemaerkning": "Efter."})
    assert refused.status_code == 400
    assert "2027 er sendt til Landsbyggefonden og kommunen: årets forklaringer" in html.unescape(
        refused.content.decode()
    )
    assert goal.maaltal.get(aar=2027).maalt == Decimal("10")
    assert active_plan.aarsstatusser.get(aar=2027).bemaerkning == "Før."
    # Opened by a link kept from before, the dialogs say so at once rather than offer a form.
    for url, said in [(goals_url, "årets målopfølgning kan ikke"), (status_url, "årets forklaringer")]:
        dialog = client.get(url, headers={"HX-Request": "true"})
        text = html.unescape(dialog.content.decode())
        assert dialog.status_code == 200 and said in text and "<form" not in text
    page = client.get(page_url).content.decode()
    assert goals_url not in page and status_url not in page


def test_saving_the_year_dialog_keeps_an_undecided_party_undecided(client_as, active_plan, medarbejder):
    indsats = active_plan.indsats
    omraade = indsats.periode.indsatsomraader.order_by("sortering").first()
    loen = Omkostningstype.objects.get(kode="loen")
    finansiering_actions.save_regnskab_line(
        indsats, 2027, omraade, loen, Decimal("1000"), acting_user=medarbejder
    )
    parts = [row.part for row in queries.year_status(active_plan, 2027).regulations]
    assert parts
    url = reverse("plan_year_status", args=[active_plan.pk, 2027])
    client = client_as(medarbejder)
    dialog = client.get(url).content.decode()
    assert '<option value="" selected>Ikke besluttet</option>' in dialog
    undecided = {f"behandling_{part.pk}": "" for part in parts}
    assert client.post(url, {"bemaerkning": "Kun en bemærkning.", **undecided}).status_code == 302
    assert not Reguleringspost.objects.exists()
    first = f"behandling_{parts[0].pk}"
    assert client.post(url, {**undecided, first: "tilbagebetales"}).status_code == 302
    assert Reguleringspost.objects.get().behandling == "tilbagebetales"
    # Set back to undecided; a note needs a decision to belong to.
    refused = client.post(url, {**undecided, f"regulering_{parts[0].pk}": "Aftalt med fonden."})
    assert refused.status_code == 400 and "Vælg behandlingen" in refused.content.decode()
    assert client.post(url, undecided).status_code == 302
    assert not Reguleringspost.objects.exists()
    page = client.get(reverse("plan_year", args=[active_plan.pk, 2027])).content.decode()
    assert "Overføres til næste år" not in page and "Tilbagebetales" not in page


def test_a_report_sent_twice_is_a_conflict_and_a_closed_plans_year_page_offers_no_changes(
    client_as, active_plan, medarbejder, sekretariat
):
    obligation = active_plan.forpligtelser.get(type__art=Art.REGNSKAB, aar=2027)
    actions.mark_obligation_ready(obligation, acting_user=medarbejder, today=AFTER_THE_PERIOD)
    sent = reverse("plan_obligation_sent", args=[active_plan.pk, obligation.pk])
    today = timezone.localdate().strftime("%d.%m.%Y")
    assert client_as(sekretariat).post(sent, {"dato": today}).status_code == 302
    again = client_as(sekretariat).post(sent, {"dato": today})
    assert again.status_code == 409
    assert "Regnskab med reguleringskonto 2027 er allerede sendt." in html.unescape(again.content.decode())
    page_url = reverse("plan_year", args=[active_plan.pk, 2028])
    assert "Tilføj milepæl" in client_as(medarbejder).get(page_url).content.decode()
    type(active_plan).objects.filter(pk=active_plan.pk).update(tilstand=lifecycle.AFSLUTTET)
    for user in (medarbejder, sekretariat):
        page = client_as(user).get(page_url).content.decode()
        assert "Tilføj milepæl" not in page and "Markér klar" not in page and "Fortryd" not in page
        assert "Forklaringer, reguleringskonto" not in page and "fristen er overskredet" not in page


def test_staff_take_back_klar_and_the_secretariat_takes_back_sendt_with_a_reason(
    active_plan, medarbejder, sekretariat
):
    obligation = active_plan.forpligtelser.get(type__art=Art.REGNSKAB, aar=2027)
    with pytest.raises(Conflict):
        actions.unmark_obligation_ready(obligation, acting_user=medarbejder)
    actions.mark_obligation_ready(obligation, acting_user=medarbejder, today=AFTER_THE_PERIOD)
    with pytest.raises(Forbidden):
        actions.unmark_obligation_ready(obligation, acting_user=sekretariat)
    actions.unmark_obligation_ready(obligation, acting_user=medarbejder)
    obligation.refresh_from_db()
    assert (obligation.status, obligation.klar_tidspunkt, obligation.klar_af) == (Status.AABEN, None, None)
    _send(obligation, medarbejder, sekretariat)
    with pytest.raises(Conflict):
        actions.unmark_obligation_ready(obligation, acting_user=medarbejder)  # sent: too late for staff
    reason = "Fonden sendte regnskabet tilbage til rettelse."
    with pytest.raises(Forbidden):
        actions.unmark_obligation_sent(obligation, begrundelse=reason, acting_user=medarbejder)
    with pytest.raises(Refused, match="mindst 5 ord"):
        actions.unmark_obligation_sent(obligation, begrundelse="Fejl.", acting_user=sekretariat)
    actions.unmark_obligation_sent(obligation, begrundelse=reason, acting_user=sekretariat)
    obligation.refresh_from_db()
    assert (obligation.status, obligation.sendt_dato, obligation.sendt_af) == (Status.KLAR, None, None)
    texts = list(
        active_plan.haendelser.filter(art=Haendelse.Art.AARSSTATUS)
        .order_by("id")
        .values_list("tekst", flat=True)
    )
    assert texts[1] == "Regnskab med reguleringskonto 2027 er ikke længere klar."
    assert texts[-1] == (
        f"Regnskab med reguleringskonto 2027 er ikke længere sendt (var markeret sendt "
        f"{timezone.localdate():%d.%m.%Y}).\nBegrundelse: {reason}"
    )


def test_the_undo_buttons_and_dialogs_over_http(client_as, medarbejder, sekretariat, bestyrelse, active_plan):
    obligation = active_plan.forpligtelser.get(type__art=Art.REGNSKAB, aar=2027)
    unready = reverse("plan_obligation_unready", args=[active_plan.pk, obligation.pk])
    unsent = reverse("plan_obligation_unsent", args=[active_plan.pk, obligation.pk])
    year = reverse("plan_year", args=[active_plan.pk, 2027])
    actions.mark_obligation_ready(obligation, acting_user=medarbejder, today=AFTER_THE_PERIOD)
    assert unready in client_as(medarbejder).get(year).content.decode()
    assert unready not in client_as(sekretariat).get(year).content.decode()
    assert client_as(sekretariat).post(unready).status_code == 403
    assert client_as(bestyrelse).post(unready).status_code == 403
    assert client_as(medarbejder).post(unready).status_code == 302
    _send(obligation, medarbejder, sekretariat)
    assert unsent in client_as(sekretariat).get(year).content.decode()
    assert unsent not in client_as(medarbejder).get(year).content.decode()
    assert client_as(medarbejder).post(unsent, {"begrundelse": "x " * 6}).status_code == 403
    empty = client_as(sekretariat).post(unsent, {})
    assert (
        empty.status_code == 400
        and "Skriv, hvorfor rapporteringen ikke længere er sendt." in empty.content.decode()
    )
    response = client_as(sekretariat).post(
        unsent, {"begrundelse": "Sendt ved en fejl til den forkerte fond."}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 204
    obligation.refresh_from_db()
    assert obligation.status == Status.KLAR
    assert (
        client_as(sekretariat)
        .post(unsent, {"begrundelse": "Sendt ved en fejl til den forkerte fond."})
        .status_code
        == 409
    )


def test_a_filled_in_years_page_runs_at_most_fifteen_queries(
    client_as, active_plan, medarbejder, django_assert_num_queries
):
    """With everything a year holds: goal figures, a milestone, accounts with an explanation, a decision for
    each party's share (at national scale this page ran 17 queries)."""
    indsats = active_plan.indsats
    goal = MaalsaetningFactory(indsats=indsats)
    omraade = indsats.periode.indsatsomraader.order_by("sortering").first()
    loen = Omkostningstype.objects.get(kode="loen")
    finansiering_actions.save_regnskab_line(
        indsats, 2027, omraade, loen, Decimal("1000"), acting_user=medarbejder
    )
    client = client_as(medarbejder)
    figures = {f"maalt_{goal.pk}": "10", f"vurdering_{goal.pk}": "paa_sporet", f"kommentar_{goal.pk}": ""}
    assert client.post(reverse("plan_year_goals", args=[active_plan.pk, 2027]), figures).status_code == 302
    milestone = {"hvad": "Lektiecaféen åbner", "dato": date(2027, 3, 1), "hvem": "", "status": "planlagt"}
    actions.save_milestone(active_plan, milestone, acting_user=medarbejder)
    year = queries.year_status(active_plan, 2027)
    decided = {f"behandling_{row.part.pk}": "overfoeres" for row in year.regulations}
    explained = {
        f"forklaring_{row.indsatsomraade.pk}_{row.omkostningstype.pk}": "Ubesat stilling."
        for row in year.accounts
    }
    status_url = reverse("plan_year_status", args=[active_plan.pk, 2027])
    assert client.post(status_url, {"bemaerkning": "Et godt år.", **decided, **explained}).status_code == 302
    assert active_plan.aarsstatusser.get(aar=2027).forklaringer.exists()
    page_url = reverse("plan_year", args=[active_plan.pk, 2027])
    client.get(page_url)
    # session, user, roles, plan; the years with reports; the year's row with its explanations and decisions;
    # the budget in force and its lines of the year; the accounts; the parties; the reports with the payments
    # they hold (2); the goals and their figures (2); the milestones
    with django_assert_num_queries(15):
        page = client.get(page_url).content.decode()
    assert "Ubesat stilling." in page and "Overføres til næste år" in page
