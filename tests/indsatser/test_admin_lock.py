"""The admin keeps the lock: a locked frame is read-only there, an activity that has run cannot be deleted,
and a closed indsats is corrected only with a reason, which goes on its timeline and history."""

from datetime import date

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from helhedsplaner.admin import HelhedsplanAdmin
from helhedsplaner.models import Helhedsplan
from indsatser import ramme
from indsatser.admin import AktivitetInline, IndsatsAdmin
from indsatser.models import Afslutningsvurdering, Indsats, IndsatsHaendelse
from tests.factories import AfdelingFactory, HelhedsplanFactory, UserFactory
from tests.indsatser.factories import AktivitetFactory, active_indsats, complete_checklist

pytestmark = pytest.mark.django_db


def admin_request(user):
    user.is_staff = user.is_superuser = True  # what Django's own permissions in the admin ask of the user
    request = RequestFactory().post("/admin/")
    request.user = user
    return request


def test_locked_frame_is_read_only_in_the_admin(administrator):
    indsats = active_indsats(ramme_laast=True)
    model_admin = IndsatsAdmin(Indsats, admin.site)
    readonly = model_admin.get_readonly_fields(admin_request(administrator), indsats)
    assert set(ramme.FRAME_FIELDS) <= set(readonly)
    form = model_admin.get_form(admin_request(administrator), indsats)
    assert not set(ramme.FRAME_FIELDS) & set(form.base_fields)
    open_indsats = active_indsats()
    assert "afdelinger" not in model_admin.get_readonly_fields(admin_request(administrator), open_indsats)


@pytest.mark.parametrize(("status", "deletable"), [("forslag", True), ("aktiv", False), ("afsluttet", False)])
def test_an_activity_that_has_run_cannot_be_deleted_in_the_admin(administrator, status, deletable):
    indsats = active_indsats(status=status)
    inline = AktivitetInline(Indsats, admin.site)
    assert inline.has_delete_permission(admin_request(administrator), indsats) is deletable


def test_a_closed_indsats_is_corrected_only_with_a_reason(administrator):
    indsats = active_indsats(status=Indsats.Status.AFSLUTTET, ramme_laast=True)
    model_admin = IndsatsAdmin(Indsats, admin.site)
    request = admin_request(administrator)
    form_class = model_admin.get_form(request, indsats)
    data = {"titel": "Rettet titel", "beskrivelse": ""}
    form = form_class(data, instance=indsats)
    assert not form.is_valid()
    assert form.errors["rettelse"] == ["Indsatsen er afsluttet: skriv, hvorfor den rettes."]
    form = form_class({**data, "rettelse": "Titlen var stavet forkert i ansøgningen."}, instance=indsats)
    assert form.is_valid(), form.errors
    corrected = form.save(commit=False)
    model_admin.save_model(request, corrected, form, change=True)
    entry = IndsatsHaendelse.objects.get(indsats=indsats, overgang="rettelse")
    assert entry.bruger == administrator and "stavet forkert" in entry.kommentar
    history = Indsats.history.filter(id=indsats.pk).first()
    assert history.history_user == administrator and history.history_change_reason.startswith("Rettelse:")
    assert Indsats.objects.get(pk=indsats.pk).titel == "Rettet titel"


def test_a_closed_plans_text_is_not_changed_in_the_admin(admin_client):
    """The plan admin saved a closed plan's analysis and period with no reason and no timeline entry."""
    plan = HelhedsplanFactory(indsats__status=Indsats.Status.AFSLUTTET, analyse="Som afsluttet.")
    url = reverse("admin:helhedsplaner_helhedsplan_change", args=[plan.pk])
    assert admin_client.post(url, {"analyse": "Omskrevet bagefter.", "varighed_aar": 9}).status_code == 403
    plan.refresh_from_db()
    assert plan.analyse == "Som afsluttet."


def test_an_afdeling_in_a_locked_frame_is_not_deleted_in_the_admin(admin_client):
    """Deleting an afdeling in the admin took it out of a plan that was with the funders."""
    locked = active_indsats(titel="Låst", afdelinger=[AfdelingFactory(navn="Låstparken")])
    Indsats.objects.filter(pk=locked.pk).update(ramme_laast=True)
    afdeling = locked.afdelinger.get()
    free = AfdelingFactory(navn="Friparken")
    delete = reverse("admin:screening_afdeling_delete", args=[afdeling.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:screening_afdeling_changelist")
    bulk = {"action": "delete_selected", "_selected_action": [afdeling.pk, free.pk], "post": "yes"}
    admin_client.post(changelist, bulk)
    assert locked.afdelinger.filter(pk=afdeling.pk).exists()
    assert (
        admin_client.post(
            reverse("admin:screening_afdeling_delete", args=[free.pk]), {"post": "yes"}
        ).status_code
        == 302
    )


def test_a_closed_indsats_closing_criteria_are_not_changed_outside_its_correction(admin_client):
    """The criteria's own admin turned a closed indsats's met criterion into «ikke opfyldt» with "." as the
    reason, and deleted it, with no reason asked and nothing on its timeline."""
    indsats = active_indsats(status=Indsats.Status.AFSLUTTET)
    complete_checklist(indsats)
    vurdering = indsats.afslutningsvurderinger.get(kriterium="maal")
    change = reverse("admin:indsatser_afslutningsvurdering_change", args=[vurdering.pk])
    data = {"indsats": indsats.pk, "kriterium": "maal", "opfyldt": "false", "begrundelse": "."}
    assert admin_client.post(change, data).status_code == 403
    delete = reverse("admin:indsatser_afslutningsvurdering_delete", args=[vurdering.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    vurdering.refresh_from_db()
    assert vurdering.opfyldt is True and vurdering.begrundelse.startswith("Styregruppens")
    # They are corrected with the indsats, where the reason is asked and written on the timeline.
    inlines = IndsatsAdmin(Indsats, admin.site).get_inline_instances(admin_request(UserFactory()), indsats)
    assert any(inline.model is Afslutningsvurdering for inline in inlines)


@pytest.mark.parametrize(
    ("status", "ramme_laast", "deletable"),
    [
        ("forslag", False, True),
        ("forslag", True, False),
        ("aktiv", False, False),
        ("afsluttet", False, False),
    ],
)
def test_an_indsats_that_has_run_or_is_with_the_funders_is_not_deleted_in_the_admin(
    admin_client, status, ramme_laast, deletable
):
    """The admin deleted a running ejendomsfunktionær and, with it, the activities that had run."""
    indsats = active_indsats(status=status, ramme_laast=ramme_laast)
    AktivitetFactory(indsats=indsats)
    delete = reverse("admin:indsatser_indsats_delete", args=[indsats.pk])
    response = admin_client.post(delete, {"post": "yes"})
    assert response.status_code == (302 if deletable else 403)
    assert Indsats.objects.filter(pk=indsats.pk).exists() is not deletable


def test_a_helhedsplans_afdelinger_and_period_are_not_set_in_the_admin(admin_client, administrator):
    """The admin put an afdeling of another live helhedsplan into a plan in idé, in the other's period, with
    no confirmation asked and nothing on the timeline."""
    running = HelhedsplanFactory(
        indsats__titel="Kørende plan",
        indsats__afdelinger=[AfdelingFactory(navn="Delt Afdeling")],
        indsats__startdato=date(2025, 1, 1),
        indsats__slutdato=date(2028, 12, 31),
        indsats__status=Indsats.Status.AKTIV,
    )
    idea = HelhedsplanFactory(indsats__titel="Ny plan", planlagt_start=date(2027, 1, 1))
    request = admin_request(administrator)
    readonly = IndsatsAdmin(Indsats, admin.site).get_readonly_fields(request, idea.indsats)
    assert set(ramme.FRAME_FIELDS) <= set(readonly)
    shared = running.indsats.afdelinger.get()
    url = reverse("admin:indsatser_indsats_change", args=[idea.indsats_id])
    admin_client.post(url, {"titel": "Ny plan", "beskrivelse": "", "afdelinger": [shared.pk]})
    assert not idea.indsats.afdelinger.filter(pk=shared.pk).exists()
    plan_admin = HelhedsplanAdmin(Helhedsplan, admin.site)
    assert {"planlagt_start", "varighed_aar"} <= set(plan_admin.get_readonly_fields(request, idea))
    # The register's other kinds of indsats keep their afdelinger and period editable here.
    other = active_indsats()
    assert "afdelinger" not in IndsatsAdmin(Indsats, admin.site).get_readonly_fields(request, other)
