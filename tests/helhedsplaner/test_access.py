"""Who may see and change a plan: staff, the secretariat, a board member (own plan and foreign) and anonymous.

A board member gets 404 for everything about a plan that does not touch their afdelinger (its existence is
not revealed), and 403 when they try to change a plan they may read.
"""

import pytest
from django.urls import reverse

from helhedsplaner import lifecycle
from tests.factories import AfdelingFactory, HelhedsplanFactory
from tests.helhedsplaner.conftest import place

pytestmark = pytest.mark.django_db


@pytest.fixture
def foreign_plan(db, foreign_afdeling):
    return HelhedsplanFactory(indsats__titel="Fremmed plan", indsats__afdelinger=[foreign_afdeling])


def read_urls(plan):
    return [
        reverse("plan_detail", args=[plan.pk]),
        reverse("plan_decisions", args=[plan.pk]),
        reverse("plan_meetings", args=[plan.pk]),
        reverse("plan_timeline", args=[plan.pk]),
        reverse("plan_changes", args=[plan.pk]),
    ]


def change_requests(plan, afdeling):
    """(method, url, data) for every endpoint that changes a plan."""
    return [
        ("get", reverse("plan_text_edit", args=[plan.pk]), None),
        ("post", reverse("plan_text_edit", args=[plan.pk]), {"resume": "x"}),
        ("get", reverse("plan_transition", args=[plan.pk, "send_til_organisationsbestyrelsen"]), None),
        ("post", reverse("plan_transition", args=[plan.pk, "opgiv"]), {"begrundelse": "x", "fase_nr": 0}),
        ("get", reverse("plan_decision_create", args=[plan.pk]), None),
        ("post", reverse("plan_member_add", args=[plan.pk]), {"gruppe": "styregruppe", "navn": "x"}),
        ("post", reverse("plan_attachment_upload", args=[plan.pk]), {"titel": "x"}),
        ("get", reverse("plan_meeting_edit", args=[plan.pk, afdeling.pk]), None),
    ]


def test_anonymous_is_sent_to_login(client, plan):
    for url in [reverse("plan_list"), *read_urls(plan)]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("role", ["medarbejder", "sekretariat", "administrator"])
def test_staff_and_secretariat_read_every_plan(request, client_as, plan, foreign_plan, role):
    client = client_as(request.getfixturevalue(role))
    listing = client.get(reverse("plan_list"))
    assert "Helhedsplan for Testparken" in listing.text and "Fremmed plan" in listing.text
    for url in read_urls(foreign_plan):
        assert client.get(url).status_code == 200, url


def test_board_member_reads_own_plan_and_nothing_of_others(
    client_as, bestyrelse, plan, foreign_plan, foreign_afdeling
):
    client = client_as(bestyrelse)
    listing = client.get(reverse("plan_list"))
    assert "Helhedsplan for Testparken" in listing.text
    assert "Fremmed plan" not in listing.text
    for url in read_urls(plan):
        assert client.get(url).status_code == 200, url
    for url in read_urls(foreign_plan):
        assert client.get(url).status_code == 404, url
    for method, url, data in change_requests(foreign_plan, foreign_afdeling):
        assert getattr(client, method)(url, data).status_code == 404, url
    search = client.get(reverse("plan_list"), {"q": "Fremmed"})
    assert "Fremmed plan" not in search.text


def test_board_member_may_not_change_own_plan(client_as, bestyrelse, plan, own_afdeling):
    client = client_as(bestyrelse)
    for method, url, data in change_requests(plan, own_afdeling):
        assert getattr(client, method)(url, data).status_code == 403, url
    plan.refresh_from_db()
    assert plan.tilstand == lifecycle.IDE
    assert client.get(reverse("plan_create")).status_code == 403


def test_board_member_of_an_afdeling_that_left_no_longer_sees_the_plan(
    client_as, bestyrelse, plan, own_afdeling
):
    plan.indsats.afdelinger.remove(own_afdeling)
    assert client_as(bestyrelse).get(reverse("plan_detail", args=[plan.pk])).status_code == 404


def test_secretariat_reads_but_does_not_edit_content(client_as, sekretariat, plan, own_afdeling):
    client = client_as(sekretariat)
    assert client.get(reverse("plan_text_edit", args=[plan.pk])).status_code == 403
    assert client.get(reverse("plan_create")).status_code == 403
    assert (
        client.post(
            reverse("plan_member_add", args=[plan.pk]), {"gruppe": "partner", "navn": "x"}
        ).status_code
        == 403
    )
    url = reverse("plan_transition", args=[plan.pk, "send_til_organisationsbestyrelsen"])
    assert client.get(url).status_code == 403
    place(plan, lifecycle.AFDELINGSMOEDER)
    assert client.get(reverse("plan_meeting_edit", args=[plan.pk, own_afdeling.pk])).status_code == 403


def test_staff_may_not_record_the_funders_decisions(client_as, medarbejder, sekretariat, plan):
    place(plan, lifecycle.GODKENDELSE)
    url = reverse("plan_decision_create", args=[plan.pk])
    assert client_as(medarbejder).get(url).status_code == 403
    assert (
        client_as(medarbejder)
        .post(url, {"organ": "lbf", "udfald": "godkendt", "dato": "2026-03-02"})
        .status_code
        == 403
    )
    assert client_as(sekretariat).get(url).status_code == 200
    assert not plan.beslutninger.exists()


def test_an_afdeling_outside_the_plan_has_no_meeting_page(client_as, medarbejder, plan):
    place(plan, lifecycle.AFDELINGSMOEDER)
    other = AfdelingFactory()
    assert (
        client_as(medarbejder).get(reverse("plan_meeting_edit", args=[plan.pk, other.pk])).status_code == 404
    )


def test_unknown_transition_is_404(client_as, medarbejder, plan):
    assert client_as(medarbejder).get(reverse("plan_transition", args=[plan.pk, "tryl"])).status_code == 404


def test_read_only_endpoints_refuse_other_methods(client_as, medarbejder, plan):
    client = client_as(medarbejder)
    assert client.get(reverse("plan_comment_create", args=[plan.pk, "resume"])).status_code == 405
    assert client.get(reverse("plan_member_add", args=[plan.pk])).status_code == 405
