"""The funders' payments on a plan: expected instalments, payments received, holds while a report is overdue,
and the cash position per funder; a payment over the tilsagn needs a reason. Service and HTTP level."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from finansiering import actions as finansiering_actions
from finansiering.models import ForventetUdbetaling, ModtagetUdbetaling
from finansiering.payments import Instalment, Payment, cash_position, open_amounts, settled_by
from helhedsplaner import actions
from helhedsplaner.models import Beslutning, Rapporteringsforpligtelse, Rapporteringstype, RapportUdbetaling
from helhedsplaner.payments import plan_payments, waits_for
from indsatser.models import Indsats
from indsatser.transitions import Forbidden, Refused
from tests.factories import BestyrelsesmedlemFactory, HelhedsplanFactory, UserFactory

pytestmark = pytest.mark.django_db
D = Decimal
DEADLINE = date(2026, 6, 30)
TILSAGN = D("1000000")


def grant(plan, organ, amount):
    Beslutning.objects.create(
        plan=plan,
        organ=organ,
        udfald="godkendt",
        dato=date(2025, 1, 1),
        bevilget_beloeb=D(amount),
        fase="godkendelse",
        fase_nr=plan.fase_nr,
    )


def obligation(plan, frist=DEADLINE, aar=2025, **fields):
    return Rapporteringsforpligtelse.objects.create(
        plan=plan,
        type=Rapporteringstype.objects.order_by("sortering").first(),
        aar=aar,
        frist=frist,
        **fields,
    )


def expect(plan, part, dato, amount, **fields):
    return finansiering_actions.add_expected_payment(
        plan.indsats, part=part, dato=dato, beloeb=D(amount), tilsagn=TILSAGN, acting_user=None, **fields
    )


def receive(plan, part, dato, amount, reference="B-1", tilsagn=TILSAGN, **fields):
    return finansiering_actions.record_payment(
        plan.indsats,
        part=part,
        dato=dato,
        beloeb=D(amount),
        reference=reference,
        tilsagn=tilsagn,
        acting_user=None,
        **fields,
    )


# --- The sums, on plain values ---------------------------------------------------------------------------


def test_payments_settle_instalments_oldest_first():
    instalments = [
        Instalment(2, "lbf", date(2026, 1, 1), D("300")),
        Instalment(1, "lbf", date(2025, 1, 1), D("500")),
        Instalment(3, "kommune", date(2025, 1, 1), D("100")),
    ]
    assert open_amounts(instalments, {"lbf": D("600")}) == {1: D("0"), 2: D("200"), 3: D("100")}
    positions = cash_position(
        [("lbf", "LBF"), ("kommune", "Kommune")], {"lbf": D("800")}, instalments, {"lbf": D("600")}, {2, 3}
    )
    lbf, kommune = positions
    assert (lbf.tilsagn, lbf.forventet, lbf.modtaget, lbf.tilbageholdt, lbf.udestaaende) == (
        D("800"),
        D("800"),
        D("600"),
        D("200"),
        D("200"),
    )
    assert (kommune.tilsagn, kommune.forventet, kommune.tilbageholdt, kommune.udestaaende) == (
        None,
        D("100"),
        D("100"),
        D("100"),
    )


# --- Holds at the day boundaries --------------------------------------------------------------------------


def test_a_report_is_overdue_the_day_after_its_deadline(plan):
    report = obligation(plan)
    assert waits_for(date(2026, 9, 1), [report], DEADLINE) == []  # the deadline day itself: on time
    assert waits_for(date(2026, 9, 1), [report], DEADLINE + timedelta(days=1)) == [report]
    # An instalment due on the deadline waits for the report; one due the day before does not.
    assert waits_for(DEADLINE, [report], date(2026, 12, 1)) == [report]
    assert waits_for(DEADLINE - timedelta(days=1), [report], date(2026, 12, 1)) == []
    report.status = Rapporteringsforpligtelse.Status.SENDT
    assert waits_for(date(2026, 9, 1), [report], date(2026, 12, 1)) == []


def test_a_held_instalment_shows_why_and_the_hold_lifts_when_the_report_is_sent(plan):
    grant(plan, "lbf", "1000000")
    first = expect(plan, "lbf", date(2026, 3, 1), "400000")
    second = expect(plan, "lbf", date(2026, 9, 1), "600000")
    report = obligation(plan)
    receive(plan, "lbf", date(2026, 3, 5), "400000")
    payments = plan_payments(plan, today=date(2026, 7, 1))
    rows = {row.instalment: row for row in payments.instalments}
    assert not rows[first].held and rows[first].aaben == 0
    assert rows[second].held
    assert rows[second].reason == (
        f"Tilbageholdes, fordi rapporteringen er overskredet: {report.type.navn} 2025 (frist 30.06.2026)."
    )
    lbf = payments.positions[0]
    assert (lbf.tilsagn, lbf.forventet, lbf.modtaget, lbf.tilbageholdt, lbf.udestaaende) == (
        D("1000000"),
        D("1000000"),
        D("400000"),
        D("600000"),
        D("600000"),
    )
    assert not [row for row in plan_payments(plan, today=DEADLINE).instalments if row.held]
    Rapporteringsforpligtelse.objects.filter(pk=report.pk).update(status="sendt", sendt_dato=date(2026, 7, 2))
    assert plan_payments(plan, today=date(2026, 7, 3)).positions[0].tilbageholdt == 0


# --- The tilsagn ------------------------------------------------------------------------------------------


def test_a_payment_over_the_tilsagn_needs_a_reason(plan, medarbejder):
    receive(plan, "lbf", date(2026, 1, 5), "900000", tilsagn=TILSAGN)
    with pytest.raises(finansiering_actions.BudgetError) as refused:
        receive(plan, "lbf", date(2026, 6, 5), "100000.01", tilsagn=TILSAGN)
    assert str(refused.value) == (
        "Med dette beløb bliver det i alt 1.000.000,01 kr. fra Landsbyggefonden, mere end tilsagnet på "
        "1.000.000,00 kr. Skriv en begrundelse."
    )
    assert ModtagetUdbetaling.objects.count() == 1
    receive(plan, "lbf", date(2026, 6, 5), "100000", tilsagn=TILSAGN)  # up to the tilsagn: fine
    payment = finansiering_actions.record_payment(
        plan.indsats,
        part="lbf",
        dato=date(2026, 7, 1),
        beloeb=D("5000"),
        reference="B-9",
        begrundelse="Efterregulering aftalt med LBF ved årets afslutning.",
        tilsagn=TILSAGN,
        acting_user=medarbejder,
    )
    assert payment.history.get().history_user == medarbejder
    with pytest.raises(finansiering_actions.BudgetError, match="ikke registreret et tilsagn fra Kommune"):
        receive(plan, "kommune", date(2026, 1, 5), "1", tilsagn=None)
    with pytest.raises(finansiering_actions.BudgetError, match="over tilsagnet|mere end tilsagnet"):
        expect(plan, "lbf", date(2027, 1, 1), "1000000.01")
    assert ForventetUdbetaling.objects.count() == 0


# --- Pages ------------------------------------------------------------------------------------------------


def test_staff_add_instalments_and_payments(plan, medarbejder, client_as):
    grant(plan, "lbf", "1000000")
    client = client_as(medarbejder)
    response = client.post(
        reverse("plan_payment_expected_add", args=[plan.pk]),
        {
            "forventet-part": "lbf",
            "forventet-dato": "2026-03-01",
            "forventet-beloeb": "400.000,00",
            "forventet-beskrivelse": "1. rate",
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("plan_payment_received_add", args=[plan.pk]),
        {
            "modtaget-part": "lbf",
            "modtaget-dato": "2026-03-05",
            "modtaget-beloeb": "1.000.000,01",
            "modtaget-reference": "LBF-2026-17",
        },
    )
    assert response.status_code == 400
    assert "mere end tilsagnet på 1.000.000,00 kr. Skriv en begrundelse." in response.content.decode()
    assert not ModtagetUdbetaling.objects.exists()
    response = client.post(
        reverse("plan_payment_received_add", args=[plan.pk]),
        {
            "modtaget-part": "lbf",
            "modtaget-dato": "2026-03-05",
            "modtaget-beloeb": "400000",
            "modtaget-reference": "LBF-2026-17",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("plan_payments", args=[plan.pk])).content.decode()
    assert "LBF-2026-17" in page and "1. rate" in page and "Registrér modtaget udbetaling" in page
    empty = client.post(reverse("plan_payment_received_add", args=[plan.pk]), {})
    assert empty.status_code == 400 and "Vælg parten." in empty.content.decode()


def _post_payment(client, plan, kind, **fields):
    url = reverse(
        "plan_payment_received_add" if kind == "modtaget" else "plan_payment_expected_add", args=[plan.pk]
    )
    data = {"part": "lbf", "beloeb": "1000", "reference": "R-1", **fields}
    return client.post(url, {f"{kind}-{name}": value for name, value in data.items()})


def test_payment_dates_lie_within_the_plan_and_a_payment_received_not_in_the_future(
    plan, medarbejder, client_as
):
    Indsats.objects.filter(pk=plan.indsats_id).update(startdato=date(2025, 1, 1), slutdato=date(2028, 12, 31))
    grant(plan, "lbf", "1000000")
    client = client_as(medarbejder)
    tomorrow = timezone.localdate() + timedelta(days=1)
    future = _post_payment(client, plan, "modtaget", dato=tomorrow.isoformat())
    assert future.status_code == 400
    assert "kan ikke ligge i fremtiden" in future.content.decode()
    for kind, dato in [
        ("forventet", "1900-01-01"),
        ("forventet", "2099-01-01"),
        ("forventet", "2030-01-01"),
        ("modtaget", "1900-01-01"),
    ]:
        refused = _post_payment(client, plan, kind, dato=dato)
        assert refused.status_code == 400
        assert "planens periode (01.01.2025–31.12.2028)" in refused.content.decode()
    assert _post_payment(client, plan, "forventet", dato="2029-12-31").status_code == 302
    assert _post_payment(client, plan, "modtaget", dato="2025-01-01").status_code == 302


def test_a_reason_for_going_over_the_tilsagn_has_five_words(plan, medarbejder, client_as):
    client = client_as(medarbejder)
    short = _post_payment(client, plan, "modtaget", dato="2026-03-01", begrundelse="x")
    assert short.status_code == 400
    assert "Begrundelsen er for kort: skriv mindst 5 ord." in short.content.decode()
    assert not ModtagetUdbetaling.objects.exists()
    reason = "Tilsagnet fra fonden er endnu ikke registreret her."
    assert _post_payment(client, plan, "modtaget", dato="2026-03-01", begrundelse=reason).status_code == 302


def test_the_required_amount_is_not_labelled_optional(plan, medarbejder, client_as):
    page = client_as(medarbejder).get(reverse("plan_payment_received_add", args=[plan.pk])).content.decode()
    assert 'name="modtaget-beloeb"' in page
    beloeb = page.split('name="modtaget-beloeb"')[0].rsplit("<label", 1)[1]
    assert "valgfri" not in beloeb


def test_board_members_read_the_payment_lines_without_the_forms(plan, bestyrelse, sekretariat, client_as):
    grant(plan, "lbf", "1000000")
    expect(plan, "lbf", date(2026, 3, 1), "400000")
    receive(plan, "lbf", date(2026, 3, 5), "400000", reference="LBF-REF-1")
    url = reverse("plan_payments", args=[plan.pk])
    page = client_as(bestyrelse).get(url).content.decode()
    assert "Likviditet pr. part" in page and "400.000,00" in page
    assert "LBF-REF-1" in page and "Forventede udbetalinger" in page
    assert "Tilføj forventet udbetaling" not in page and "Registrér modtaget udbetaling" not in page
    add = reverse("plan_payment_received_add", args=[plan.pk])
    assert client_as(bestyrelse).post(add, {}).status_code == 403
    secretariat_page = client_as(sekretariat).get(url).content.decode()
    assert "LBF-REF-1" in secretariat_page and "Registrér modtaget udbetaling" not in secretariat_page
    assert client_as(sekretariat).post(add, {}).status_code == 403


def test_a_foreign_board_member_gets_404(plan, client_as, foreign_afdeling):
    outsider = UserFactory(username="t-fremmed", role="afdelingsbestyrelse")
    BestyrelsesmedlemFactory(user=outsider, afdeling=foreign_afdeling)
    assert client_as(outsider).get(reverse("plan_payments", args=[plan.pk])).status_code == 404


@pytest.mark.parametrize("count", [1, 12])
def test_the_page_runs_the_same_queries_however_many_payments(
    plan, medarbejder, client_as, count, django_assert_num_queries
):
    grant(plan, "lbf", "100000000")
    obligation(plan)
    for month in range(count):
        expect(plan, "lbf", date(2026, 1 + month, 1), "1000")
        receive(plan, "lbf", date(2026, 1 + month, 2), "500", reference=f"R-{month}")
    client = client_as(medarbejder)
    client.get(reverse("plan_payments", args=[plan.pk]))  # warms the session and the cached choices
    with django_assert_num_queries(QUERIES):
        assert client.get(reverse("plan_payments", args=[plan.pk])).status_code == 200


# The session, the user, their roles, the plan, its afdelinger (the head's permissions), the instalments, the
# payments received (with the reports they were paid for), the reports not yet sent (with their types), the
# tilsagn. The forms to add a line open in a dialog of their own.
QUERIES = 9


# --- Changing and deleting lines; a payment paid for a report ---------------------------------------------


def test_payments_settle_instalments_in_date_order_and_run_on_into_the_next():
    instalments = [
        Instalment("a", "lbf", date(2025, 1, 1), D("500")),
        Instalment("b", "lbf", date(2026, 1, 1), D("300")),
        Instalment("c", "kommune", date(2025, 1, 1), D("100")),
    ]
    payments = [Payment(2, "lbf", date(2025, 6, 1), D("400")), Payment(1, "lbf", date(2025, 2, 1), D("200"))]
    assert settled_by(instalments, payments) == {"a": {1, 2}, "b": {2}, "c": set()}


def _report(plan, art, frist, aar=2025):
    return Rapporteringsforpligtelse.objects.create(
        plan=plan, type=Rapporteringstype.objects.filter(art=art).first(), aar=aar, frist=frist
    )


def test_an_instalment_paid_in_part_for_a_report_waits_for_that_report_too(plan, medarbejder):
    grant(plan, "lbf", "1000000")
    accounts = _report(plan, "regnskab", DEADLINE)
    goals = _report(plan, "maalopfoelgning", date(2026, 3, 1))
    instalment = expect(plan, "lbf", date(2026, 9, 1), "1000000")
    payment = receive(plan, "lbf", date(2026, 3, 5), "400000")
    day = date(2026, 12, 1)
    (row,) = plan_payments(plan, today=day).instalments
    assert row.afventer == [goals, accounts]  # due by its date and overdue: both
    actions.save_plan_payment(plan, payment, forpligtelse=accounts, acting_user=medarbejder)
    (row,) = plan_payments(plan, today=day).instalments
    assert row.held and row.afventer == [goals, accounts]  # the tie lifts no overdue report's hold
    Rapporteringsforpligtelse.objects.filter(pk=accounts.pk).update(status="sendt", sendt_dato=day)
    (row,) = plan_payments(plan, today=day).instalments
    assert row.held and row.afventer == [goals]  # the goal report is still overdue
    Rapporteringsforpligtelse.objects.filter(pk=goals.pk).update(status="sendt", sendt_dato=day)
    assert not plan_payments(plan, today=day).instalments[0].held
    # Untied again, it waits for every overdue report due by its date.
    Rapporteringsforpligtelse.objects.filter(pk=goals.pk).update(status="aaben", sendt_dato=None)
    actions.save_plan_payment(plan, payment, forpligtelse=None, acting_user=medarbejder)
    assert plan_payments(plan, today=day).instalments[0].afventer == [goals]
    assert not RapportUdbetaling.objects.exists()
    other = HelhedsplanFactory()
    with pytest.raises(Refused, match="Rapporten hører ikke til planen"):
        actions.save_plan_payment(
            plan, payment, forpligtelse=_report(other, "regnskab", DEADLINE), acting_user=medarbejder
        )
    assert instalment.pk


def test_a_small_payment_for_a_report_not_yet_due_does_not_release_a_held_instalment(plan, medarbejder):
    grant(plan, "lbf", "1000000")
    plan_2027 = _report(plan, "milepaelsplan", date(2026, 12, 1), aar=2027)
    accounts_2028 = _report(plan, "regnskab", date(2029, 6, 30), aar=2028)
    expect(plan, "lbf", date(2027, 1, 1), "500000")
    day = date(2026, 12, 5)
    assert plan_payments(plan, today=day).instalments[0].afventer == [plan_2027]
    payment = receive(plan, "lbf", date(2026, 12, 2), "1")
    actions.save_plan_payment(plan, payment, forpligtelse=accounts_2028, acting_user=medarbejder)
    (row,) = plan_payments(plan, today=day).instalments
    assert row.held and row.afventer == [plan_2027, accounts_2028]
    assert row.reason == (
        f"Tilbageholdes, fordi rapporteringen er overskredet: {plan_2027.type.navn} 2027 (frist 01.12.2026). "
        f"Afventer desuden: {accounts_2028.type.navn} 2028 (frist 30.06.2029)."
    )
    Rapporteringsforpligtelse.objects.filter(pk=plan_2027.pk).update(status="sendt", sendt_dato=day)
    (row,) = plan_payments(plan, today=day).instalments
    assert row.held and row.reason == (
        f"Tilbageholdes, indtil rapporten er sendt: {accounts_2028.type.navn} 2028 (frist 30.06.2029)."
    )


def test_a_changed_line_is_checked_as_a_new_one_counting_itself_once(plan, medarbejder):
    grant(plan, "lbf", "1000000")
    instalment = expect(plan, "lbf", date(2026, 3, 1), "1000000")
    instalment.beloeb = D("900000")
    actions.save_plan_payment(plan, instalment, acting_user=medarbejder)  # within the tilsagn: fine
    instalment.beloeb = D("1000000.01")
    with pytest.raises(finansiering_actions.BudgetError, match="mere end tilsagnet"):
        actions.save_plan_payment(plan, instalment, acting_user=medarbejder)
    instalment.begrundelse = "Fonden har lovet et tillæg skriftligt."
    actions.save_plan_payment(plan, instalment, acting_user=medarbejder)
    payment = receive(plan, "lbf", date(2026, 3, 5), "1000")
    payment.dato = timezone.localdate() + timedelta(days=1)
    with pytest.raises(finansiering_actions.BudgetError, match="fremtiden"):
        actions.save_plan_payment(plan, payment, acting_user=medarbejder)
    with pytest.raises(Forbidden):
        actions.delete_plan_payment(payment, acting_user=UserFactory(role="sekretariat"))
    actions.delete_plan_payment(payment, acting_user=medarbejder)
    assert not ModtagetUdbetaling.objects.exists()
    assert ModtagetUdbetaling.history.filter(history_type="-").get().history_user == medarbejder
    assert ForventetUdbetaling.objects.get().beloeb == D("1000000.01")


def test_staff_change_and_delete_lines_in_dialogs_and_tie_a_payment_to_a_report(
    plan, medarbejder, sekretariat, bestyrelse, client_as
):
    Indsats.objects.filter(pk=plan.indsats_id).update(startdato=date(2025, 1, 1), slutdato=date(2028, 12, 31))
    grant(plan, "lbf", "1000000")
    report = _report(plan, "regnskab", DEADLINE)
    foreign = _report(HelhedsplanFactory(), "regnskab", DEADLINE)
    instalment = expect(plan, "lbf", date(2026, 3, 1), "400000", beskrivelse="1. rate")
    payment = receive(plan, "lbf", date(2026, 3, 5), "400000", reference="LBF-7")
    client = client_as(medarbejder)
    page = client.get(reverse("plan_payments", args=[plan.pk])).content.decode()
    edit = reverse("plan_payment_received_edit", args=[plan.pk, payment.pk])
    delete = reverse("plan_payment_expected_delete", args=[plan.pk, instalment.pk])
    assert f'hx-get="{edit}"' in page and f'hx-get="{delete}"' in page
    dialog = client.get(edit, headers={"HX-Request": "true"}).content.decode()
    assert 'value="LBF-7"' in dialog and "For rapport" in dialog and f"{report.type.navn} 2025" in dialog
    fields = {"part": "lbf", "dato": "2026-03-05", "beloeb": "400.000,00", "reference": "LBF-7"}
    data = {f"modtaget-{name}": value for name, value in fields.items()}
    refused = client.post(edit, {**data, "modtaget-forpligtelse": foreign.pk})
    assert refused.status_code == 400 and "Vælg en af planens rapporter." in refused.content.decode()
    over = client.post(edit, {**data, "modtaget-beloeb": "1.000.000,01"})
    assert over.status_code == 400 and "Skriv en begrundelse." in over.content.decode()
    short = client.post(edit, {**data, "modtaget-beloeb": "1.000.000,01", "modtaget-begrundelse": "Aftalt."})
    assert short.status_code == 400 and "mindst 5 ord" in short.content.decode()
    future = client.post(
        edit, {**data, "modtaget-dato": (timezone.localdate() + timedelta(days=1)).isoformat()}
    )
    assert future.status_code == 400 and "fremtiden" in future.content.decode()
    saved = client.post(edit, {**data, "modtaget-forpligtelse": report.pk}, headers={"HX-Request": "true"})
    assert saved.status_code == 204
    assert RapportUdbetaling.objects.get().forpligtelse == report
    year_url = reverse("plan_year", args=[plan.pk, 2025])
    page = client.get(reverse("plan_payments", args=[plan.pk])).content.decode()
    assert f'<a href="{year_url}">{report.type.navn} 2025</a>' in page
    for user in (sekretariat, bestyrelse):
        assert client_as(user).get(edit).status_code == 403
        assert client_as(user).post(delete).status_code == 403
    board_year = client_as(bestyrelse).get(year_url).content.decode()
    assert f"{report.type.navn} 2025: Landsbyggefonden 05.03.2026, 400.000,00 kr. (LBF-7)" in board_year
    client = client_as(medarbejder)
    expected_edit = reverse("plan_payment_expected_edit", args=[plan.pk, instalment.pk])
    moved = client.post(
        expected_edit,
        {"forventet-part": "lbf", "forventet-dato": "2030-01-01", "forventet-beloeb": "400000"},
    )
    assert moved.status_code == 400 and "planens periode (01.01.2025–31.12.2028)" in moved.content.decode()
    assert client.post(delete).status_code == 302
    assert not ForventetUdbetaling.objects.exists()
    missing = reverse("plan_payment_expected_edit", args=[plan.pk, instalment.pk])
    assert client.get(missing).status_code == 404
    assert client.get(reverse("plan_payment_expected_edit", args=[plan.pk, payment.pk])).status_code == 404
