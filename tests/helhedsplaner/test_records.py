"""Plausible records: afdelingsmøder and decisions that could have happened, the latest registered
decision counting, and the majority rule, tried over HTTP, at service level and in the admin."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from helhedsplaner import actions, lifecycle, queries
from helhedsplaner.lifecycle import fire
from helhedsplaner.models import Afdelingsmoede, Beslutning, Haendelse
from indsatser.transitions import Forbidden, Refused, blockers
from tests.factories import AfdelingFactory, HelhedsplanFactory
from tests.helhedsplaner.conftest import Organ, Udfald, decide, place, vote

HTMX = {"HTTP_HX_REQUEST": "true"}
MAJORITY_RULE = Afdelingsmoede.MAJORITY_RULE


def today():
    return timezone.localdate()


@pytest.fixture
def big_afdeling(db):
    return AfdelingFactory(navn="Store Gård", lejemaal=593)


@pytest.fixture
def meeting_plan(db, big_afdeling, medarbejder, walk_to):
    """A plan sent to its afdelingsmøder through the lifecycle (so the round's start is on record)."""
    plan = HelhedsplanFactory(indsats__afdelinger=[big_afdeling], indsats__ansvarlig=medarbejder)
    return walk_to(plan, lifecycle.AFDELINGSMOEDER)


def meeting_url(plan, afdeling):
    return reverse("plan_meeting_edit", args=[plan.pk, afdeling.pk])


def unvalidated_meeting(plan, afdeling, **values):
    """A meeting as a caller that skipped the form would hand it to the service."""
    plan.refresh_from_db()
    meeting = queries.new_meeting(plan, afdeling)
    for name, value in {"dato": today(), **values}.items():
        setattr(meeting, name, value)
    return meeting


# --- Households and votes ---------------------------------------------------------------------------


def test_more_households_than_lejemaal_are_refused_over_http(
    client_as, medarbejder, meeting_plan, big_afdeling
):
    response = client_as(medarbejder).post(
        meeting_url(meeting_plan, big_afdeling),
        {"dato": today(), "husstande": 1779, "stemmer_for": 2000, "stemmer_imod": 900, "stemmer_blanke": 65},
        **HTMX,
    )
    assert response.status_code == 400
    assert "1779 fremmødte husstande er flere end afdelingens 593 lejemål" in response.text
    assert not Afdelingsmoede.objects.exists()


def test_more_households_than_lejemaal_are_refused_by_the_service(medarbejder, meeting_plan, big_afdeling):
    meeting = unvalidated_meeting(
        meeting_plan, big_afdeling, husstande=1779, stemmer_for=2000, stemmer_imod=900, stemmer_blanke=65
    )
    with pytest.raises(Refused, match="flere end afdelingens 593 lejemål"):
        actions.save_meeting(meeting, notify=False, acting_user=medarbejder)
    assert not Afdelingsmoede.objects.exists() and not Beslutning.objects.filter(organ=Organ.AFDELINGSMOEDE)


def test_more_votes_than_two_per_household_are_refused_by_the_service(
    medarbejder, meeting_plan, big_afdeling
):
    meeting = unvalidated_meeting(
        meeting_plan, big_afdeling, husstande=300, stemmer_for=400, stemmer_imod=150, stemmer_blanke=51
    )
    with pytest.raises(Refused, match="højst 600 stemmer"):
        actions.save_meeting(meeting, notify=False, acting_user=medarbejder)
    assert not Afdelingsmoede.objects.exists()


def test_more_votes_than_two_per_household_are_refused_over_http(
    client_as, medarbejder, meeting_plan, big_afdeling
):
    response = client_as(medarbejder).post(
        meeting_url(meeting_plan, big_afdeling),
        {"dato": today(), "husstande": 300, "stemmer_for": 2000, "stemmer_imod": 965, "stemmer_blanke": 0},
        **HTMX,
    )
    assert response.status_code == 400
    assert "Der er afgivet 2965 stemmer, men 300 husstande har højst 600 stemmer" in response.text
    assert not Afdelingsmoede.objects.exists()


def test_every_household_of_the_afdeling_may_come(medarbejder, meeting_plan, big_afdeling):
    meeting = vote(meeting_plan, big_afdeling, medarbejder, 1000, 186, husstande=593)
    assert meeting.vedtaget


# --- Meeting dates ----------------------------------------------------------------------------------


def test_a_meeting_with_votes_in_the_future_is_refused_over_http(
    client_as, medarbejder, meeting_plan, big_afdeling
):
    response = client_as(medarbejder).post(
        meeting_url(meeting_plan, big_afdeling),
        {
            "dato": today() + timedelta(days=1),
            "husstande": 40,
            "stemmer_for": 50,
            "stemmer_imod": 20,
            "stemmer_blanke": 0,
        },
        **HTMX,
    )
    assert response.status_code == 400
    assert "Et møde med stemmetal kan ikke ligge i fremtiden" in response.text
    assert not Afdelingsmoede.objects.exists()


def test_a_meeting_with_votes_in_the_future_is_refused_by_the_service(
    medarbejder, meeting_plan, big_afdeling
):
    meeting = unvalidated_meeting(
        meeting_plan,
        big_afdeling,
        dato=today() + timedelta(days=3),
        husstande=40,
        stemmer_for=50,
        stemmer_imod=20,
        stemmer_blanke=0,
    )
    with pytest.raises(Refused, match="kan ikke ligge i fremtiden"):
        actions.save_meeting(meeting, notify=False, acting_user=medarbejder)
    meeting_plan.refresh_from_db()
    assert blockers(meeting_plan, lifecycle.TRANSITION["send_til_godkendelse"])


def test_a_meeting_to_come_may_be_planned(client_as, medarbejder, meeting_plan, big_afdeling):
    response = client_as(medarbejder).post(
        meeting_url(meeting_plan, big_afdeling), {"dato": today() + timedelta(days=20)}, **HTMX
    )
    assert response.status_code == 204
    assert not Afdelingsmoede.objects.get().har_resultat


def test_a_meeting_before_the_plan_reached_the_meetings_is_refused(
    client_as, medarbejder, meeting_plan, big_afdeling
):
    sent = timezone.localdate(meeting_plan.tilstand_siden)
    data = {"dato": sent - timedelta(days=1), "husstande": 40, "stemmer_for": 50, "stemmer_imod": 20}
    response = client_as(medarbejder).post(
        meeting_url(meeting_plan, big_afdeling), {**data, "stemmer_blanke": 0}, **HTMX
    )
    assert response.status_code == 400
    assert f"Mødet kan ikke ligge før {sent:%d.%m.%Y}" in response.text
    meeting = unvalidated_meeting(meeting_plan, big_afdeling, **data, stemmer_blanke=0)
    with pytest.raises(Refused, match="hvor planen blev sendt til afdelingsmøderne"):
        actions.save_meeting(meeting, notify=False, acting_user=medarbejder)
    assert not Afdelingsmoede.objects.exists()


def test_an_earlier_rounds_start_is_read_from_the_timeline(medarbejder, meeting_plan, big_afdeling):
    first = vote(meeting_plan, big_afdeling, medarbejder, 10, 30)
    round_one = timezone.localdate(meeting_plan.tilstand_siden)
    Haendelse.objects.filter(plan=meeting_plan, til_tilstand=lifecycle.AFDELINGSMOEDER).update(
        tid=timezone.now() - timedelta(days=30)
    )
    meeting_plan = fire(
        meeting_plan,
        "afdelingsmoeder_tilbage",
        {"begrundelse": "Revideres."},
        notify=False,
        acting_user=medarbejder,
    )
    assert meeting_plan.moederunde_startet(1) == round_one - timedelta(days=30)
    first.refresh_from_db()
    first.dato = round_one - timedelta(days=31)
    with pytest.raises(Exception, match="Mødet kan ikke ligge før"):
        first.full_clean()


# --- Decisions --------------------------------------------------------------------------------------


def decision_url(plan):
    return reverse("plan_decision_create", args=[plan.pk])


def test_a_decision_in_the_future_is_refused_over_http(client_as, sekretariat, plan):
    place(plan, lifecycle.GODKENDELSE)
    response = client_as(sekretariat).post(
        decision_url(plan),
        {
            "fase_nr": plan.fase_nr,
            "organ": Organ.LBF,
            "dato": today() + timedelta(days=1),
            "udfald": Udfald.GODKENDT,
        },
        **HTMX,
    )
    assert response.status_code == 400
    assert "Beslutningens dato kan ikke ligge i fremtiden" in response.text
    assert not plan.beslutninger.exists()


def test_a_decision_in_the_future_is_refused_by_the_service(sekretariat, plan):
    place(plan, lifecycle.GODKENDELSE)
    with pytest.raises(Refused, match="kan ikke ligge i fremtiden"):
        decide(plan, Organ.LBF, Udfald.GODKENDT, sekretariat, dato=today() + timedelta(days=2))
    assert not plan.beslutninger.exists()


def test_a_refusal_registered_after_an_approval_counts_even_when_dated_earlier(sekretariat, plan):
    place(plan, lifecycle.GODKENDELSE)
    approval = decide(plan, Organ.LBF, Udfald.GODKENDT, sekretariat, dato=today() - timedelta(days=2))
    decide(plan, Organ.KOMMUNE, Udfald.GODKENDT, sekretariat, dato=today() - timedelta(days=2))
    refusal = decide(plan, Organ.LBF, Udfald.AFVIST, sekretariat, dato=today() - timedelta(days=9))

    assert lifecycle.current_decisions(plan)[Organ.LBF] == refusal
    assert refusal.erstatter == approval
    assert blockers(plan, lifecycle.TRANSITION["godkend"]) == ["Landsbyggefonden har ikke godkendt (afvist)."]
    assert not blockers(plan, lifecycle.TRANSITION["godkendelse_afvist"])
    event = plan.haendelser.get(beslutning=refusal)
    assert f"erstatter beslutningen af {approval.dato:%d.%m.%Y}" in event.tekst


def test_the_decisions_tab_shows_what_a_decision_replaces(client_as, sekretariat, medarbejder, plan):
    place(plan, lifecycle.GODKENDELSE)
    approval = decide(plan, Organ.LBF, Udfald.GODKENDT, sekretariat, dato=today() - timedelta(days=2))
    decide(plan, Organ.LBF, Udfald.SENDT_TILBAGE, sekretariat, dato=today() - timedelta(days=5))
    form = client_as(sekretariat).get(decision_url(plan), **HTMX)
    assert "En ny beslutning fra samme organ erstatter den." in form.text
    page = client_as(medarbejder).get(reverse("plan_decisions", args=[plan.pk]))
    assert f"Erstatter beslutning af {approval.dato:%d.%m.%Y}" in page.text
    # The earlier decision stays on the list, marked as replaced.
    assert page.text.count("<strong>Erstattet</strong>") == 1
    assert page.text.index("Erstatter beslutning af") < page.text.index("<strong>Erstattet</strong>")


def test_a_decision_of_another_organ_replaces_nothing(sekretariat, plan):
    place(plan, lifecycle.GODKENDELSE)
    decide(plan, Organ.LBF, Udfald.GODKENDT, sekretariat)
    assert decide(plan, Organ.KOMMUNE, Udfald.GODKENDT, sekretariat).erstatter is None


# --- The admin ----------------------------------------------------------------------------------------


def admin_meeting_data(meeting, **changes):
    fields = ["dato", "indkaldt_dato", "husstande", "stemmer_for", "stemmer_imod", "stemmer_blanke"]
    data = {name: "" if getattr(meeting, name) is None else getattr(meeting, name) for name in fields}
    data["referat_navn"] = meeting.referat_navn
    return {**data, **changes}


def test_the_admin_refuses_an_implausible_meeting(admin_client, medarbejder, meeting_plan, big_afdeling):
    meeting = vote(meeting_plan, big_afdeling, medarbejder, 50, 20, husstande=40)
    url = reverse("admin:helhedsplaner_afdelingsmoede_change", args=[meeting.pk])
    response = admin_client.post(url, admin_meeting_data(meeting, husstande=1779, stemmer_for=2900))
    assert response.status_code == 200
    assert "flere end afdelingens 593 lejemål" in response.content.decode()
    response = admin_client.post(url, admin_meeting_data(meeting, dato=today() + timedelta(days=5)))
    assert "kan ikke ligge i fremtiden" in response.content.decode()
    meeting.refresh_from_db()
    assert (meeting.husstande, meeting.stemmer_for, meeting.dato) == (40, 50, today())


def test_an_admin_correction_of_a_meeting_is_on_the_timeline(
    admin_client, medarbejder, meeting_plan, big_afdeling
):
    meeting = vote(meeting_plan, big_afdeling, medarbejder, 50, 20, husstande=40)
    url = reverse("admin:helhedsplaner_afdelingsmoede_change", args=[meeting.pk])
    response = admin_client.post(url, admin_meeting_data(meeting, stemmer_for=15, stemmer_imod=60))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert not meeting.vedtaget and meeting.beslutning.udfald == Udfald.AFVIST
    event = meeting_plan.haendelser.filter(afdelingsmoede=meeting).order_by("-id").first()
    assert event.tekst.startswith("Rettet i administrationen: stemmer for, stemmer imod.")
    assert "Forkastet (15 for, 60 imod" in event.tekst


def test_an_admin_correction_of_a_decision_is_checked_and_on_the_timeline(admin_client, sekretariat, plan):
    place(plan, lifecycle.GODKENDELSE)
    decision = decide(plan, Organ.LBF, Udfald.GODKENDT, sekretariat, journalnummer="LBF-1")
    url = reverse("admin:helhedsplaner_beslutning_change", args=[decision.pk])
    data = {"dato": decision.dato, "udfald": Udfald.GODKENDT, "journalnummer": "LBF-2", "dokument_navn": ""}
    refused = admin_client.post(url, {**data, "dato": today() + timedelta(days=3)})
    assert "kan ikke ligge i fremtiden" in refused.content.decode()
    decision.refresh_from_db()
    assert decision.journalnummer == "LBF-1"
    assert admin_client.post(url, data).status_code == 302
    decision.refresh_from_db()
    assert decision.journalnummer == "LBF-2"
    event = plan.haendelser.filter(beslutning=decision).order_by("-id").first()
    assert event.tekst.startswith("Rettet i administrationen: journalnummer.")


def test_the_outcome_of_a_decision_the_plan_has_moved_on_from_is_not_corrected(
    admin_client, administrator, sekretariat, plan
):
    """An LBF approval was changed to "afvist" in the admin while the plan it made active stayed active."""
    place(plan, lifecycle.GODKENDELSE)
    decision = decide(plan, Organ.LBF, Udfald.GODKENDT, sekretariat, journalnummer="LBF-1")
    place(plan, lifecycle.AKTIV)
    url = reverse("admin:helhedsplaner_beslutning_change", args=[decision.pk])
    data = {"dato": decision.dato, "udfald": Udfald.AFVIST, "journalnummer": "LBF-2", "dokument_navn": ""}
    assert admin_client.post(url, data).status_code == 302
    decision.refresh_from_db()
    assert decision.udfald == Udfald.GODKENDT and decision.journalnummer == "LBF-2"
    decision.udfald = Udfald.AFVIST
    with pytest.raises(Refused, match="udfaldet kan ikke rettes"):
        actions.correct_decision(decision, ["udfald"], acting_user=administrator)


def test_the_outcome_of_a_meeting_the_plan_has_moved_on_from_is_not_corrected(
    admin_client, administrator, medarbejder, meeting_plan, big_afdeling
):
    """The admin turned an afdelingsmøde's yes into a no on an active plan: its decision said «afvist» while
    the afdeling stayed in the plan the funders had approved."""
    meeting = vote(meeting_plan, big_afdeling, medarbejder, 50, 20, husstande=40)
    place(meeting_plan, lifecycle.AKTIV)
    url = reverse("admin:helhedsplaner_afdelingsmoede_change", args=[meeting.pk])
    refused = admin_client.post(url, admin_meeting_data(meeting, stemmer_for=15, stemmer_imod=60))
    assert refused.status_code == 200 and "udfaldet kan ikke rettes" in refused.content.decode()
    meeting.refresh_from_db()
    assert meeting.vedtaget and meeting.beslutning.udfald == Udfald.GODKENDT
    # A typo that leaves the outcome as it was is still corrected.
    assert admin_client.post(url, admin_meeting_data(meeting, stemmer_for=49)).status_code == 302
    meeting.refresh_from_db()
    assert meeting.stemmer_for == 49
    meeting.stemmer_for, meeting.stemmer_imod = 15, 60
    with pytest.raises(Refused, match="udfaldet kan ikke rettes"):
        actions.correct_meeting(meeting, ["stemmer_for", "stemmer_imod"], acting_user=administrator)
    assert Afdelingsmoede.objects.get(pk=meeting.pk).vedtaget


def test_an_afdelingsmoedes_decision_is_corrected_through_its_meeting(
    admin_client, administrator, medarbejder, meeting_plan, big_afdeling
):
    """The decision admin set an afdelingsmøde's decision to «afvist» while its meeting said «vedtaget»."""
    meeting = vote(meeting_plan, big_afdeling, medarbejder, 50, 20, husstande=40)
    decision = meeting.beslutning
    url = reverse("admin:helhedsplaner_beslutning_change", args=[decision.pk])
    data = {"dato": decision.dato, "udfald": Udfald.AFVIST, "journalnummer": "", "dokument_navn": ""}
    assert admin_client.post(url, data).status_code == 403
    decision.refresh_from_db()
    assert decision.udfald == Udfald.GODKENDT
    decision.udfald = Udfald.AFVIST
    with pytest.raises(Refused, match="afdelingsmødet"):
        actions.correct_decision(decision, ["udfald"], acting_user=administrator)
    assert Beslutning.objects.get(pk=decision.pk).udfald == Udfald.GODKENDT


def test_the_admin_neither_adds_nor_deletes_decisions_and_meetings(
    admin_client, sekretariat, medarbejder, meeting_plan, big_afdeling
):
    meeting = vote(meeting_plan, big_afdeling, medarbejder, 50, 20, husstande=40)
    for model, pk in (("afdelingsmoede", meeting.pk), ("beslutning", meeting.beslutning.pk)):
        assert admin_client.get(reverse(f"admin:helhedsplaner_{model}_add")).status_code == 403
        delete = reverse(f"admin:helhedsplaner_{model}_delete", args=[pk])
        assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert Afdelingsmoede.objects.filter(pk=meeting.pk).exists()


def test_the_corrections_service_is_for_administrators_only(medarbejder, sekretariat, plan):
    place(plan, lifecycle.GODKENDELSE)
    decision = decide(plan, Organ.LBF, Udfald.GODKENDT, sekretariat)
    decision.udfald = Udfald.AFVIST
    with pytest.raises(Forbidden):
        actions.correct_decision(decision, ["udfald"], acting_user=medarbejder)
    decision.refresh_from_db()
    assert decision.udfald == Udfald.GODKENDT


# --- Majority ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stemmer_for", "stemmer_imod", "stemmer_blanke", "adopted"),
    [
        (21, 20, 0, True),
        (20, 20, 0, False),  # a tie rejects
        (20, 20, 30, False),  # blank votes count for neither side
        (10, 9, 70, True),  # however many blank votes there are
        (9, 10, 0, False),
        (0, 0, 12, False),
    ],
)
def test_a_simple_majority_of_the_votes_cast_decides(
    medarbejder, meeting_plan, big_afdeling, stemmer_for, stemmer_imod, stemmer_blanke, adopted
):
    meeting = vote(meeting_plan, big_afdeling, medarbejder, stemmer_for, stemmer_imod, stemmer_blanke)
    assert meeting.vedtaget is adopted
    assert meeting.beslutning.udfald == (Udfald.GODKENDT if adopted else Udfald.AFVIST)


def test_a_tied_ballot_rejects(medarbejder, meeting_plan, big_afdeling):
    meeting = vote(
        meeting_plan,
        big_afdeling,
        medarbejder,
        40,
        10,
        urafstemning=True,
        ur_for=300,
        ur_imod=300,
        ur_blanke=2,
    )
    assert meeting.moedet_vedtog and not meeting.vedtaget


def test_the_meeting_form_says_how_the_majority_is_counted(
    client_as, admin_client, medarbejder, meeting_plan, big_afdeling
):
    response = client_as(medarbejder).get(meeting_url(meeting_plan, big_afdeling), **HTMX)
    assert response.status_code == 200
    assert response.text.count(MAJORITY_RULE) == 2  # in the dialog's introduction and at the votes
    assert "står det lige, er planen forkastet" in MAJORITY_RULE
    # The votes are entered in the administrator's correction too.
    meeting = vote(meeting_plan, big_afdeling, medarbejder, 50, 20, husstande=40)
    correction = admin_client.get(reverse("admin:helhedsplaner_afdelingsmoede_change", args=[meeting.pk]))
    assert MAJORITY_RULE in correction.content.decode()


def test_a_plan_with_replaced_decisions_can_still_be_deleted(sekretariat, plan):
    place(plan, lifecycle.GODKENDELSE)
    decide(plan, Organ.LBF, Udfald.GODKENDT, sekretariat)
    decide(plan, Organ.LBF, Udfald.AFVIST, sekretariat)
    plan.indsats.delete()
    assert not Beslutning.objects.exists()


def test_the_guards_share_what_they_read_for_one_question_only(
    medarbejder, meeting_plan, big_afdeling, django_assert_num_queries
):
    """available() asks the guards of every transition at once; they read this round's meetings and the
    plan's afdelinger once between them, and the next question reads them again."""

    def blocked(name):
        return dict(lifecycle.available(meeting_plan, medarbejder))[lifecycle.TRANSITION[name]]

    # this round's meetings, the afdelinger, the latest budget version (with whether it has lines)
    with django_assert_num_queries(3):
        assert any("Mangler resultat" in reason for reason in blocked("send_til_godkendelse"))
    vote(meeting_plan, big_afdeling, medarbejder, 50, 20)
    assert blocked("send_til_godkendelse") == []
    assert blocked("afdelingsmoeder_tilbage") == []
