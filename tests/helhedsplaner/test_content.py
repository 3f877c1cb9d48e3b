"""The plan content: text with optimistic concurrency, locked outside drafting; organisation; attachments."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from config.web.limits import MAX_TEXT_CHARS
from helhedsplaner import actions, lifecycle, uploads
from helhedsplaner.models import Bilag, Haendelse, Helhedsplan
from indsatser.transitions import Conflict, Refused
from tests.factories import HelhedsplanFactory
from tests.helhedsplaner.conftest import place
from tests.world import PDF

pytestmark = pytest.mark.django_db


def text_form(plan, **changes):
    data = {
        "titel": plan.indsats.titel,
        "afdelinger": [a.pk for a in plan.indsats.afdelinger.all()],
        "ansvarlig": plan.indsats.ansvarlig_id or "",
        "planlagt_start": "2027-01-01",
        "varighed_aar": 4,
        "resume": plan.resume,
        "analyse": plan.analyse,
        "maal": "",
        "organisering": "",
        "version": plan.version,
    }
    data.update(changes)
    return data


def test_staff_saves_the_text_and_the_version_goes_up(client_as, medarbejder, plan):
    url = reverse("plan_text_edit", args=[plan.pk])
    response = client_as(medarbejder).post(url, text_form(plan, maal="Flere unge i job."))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.maal == "Flere unge i job." and plan.version == 2
    assert plan.tekst_aendret_af == medarbejder
    event = plan.haendelser.get(art=Haendelse.Art.TEKST)
    assert "vision og mål" in event.tekst and "planlagt start" in event.tekst
    plan.indsats.refresh_from_db()
    assert str(plan.indsats.startdato) == "2027-01-01" and str(plan.indsats.slutdato) == "2030-12-31"


@pytest.mark.parametrize("field", ["resume", "analyse", "maal", "organisering"])
def test_a_text_is_held_to_two_hundred_thousand_characters(client_as, medarbejder, plan, field):
    """A 3 MB analysis made a pack take 108 s and 500 MB to render: every form's text has one limit."""
    url = reverse("plan_text_edit", args=[plan.pk])
    client = client_as(medarbejder)
    response = client.post(url, text_form(plan, **{field: "x" * (MAX_TEXT_CHARS + 1)}))
    assert response.status_code == 400
    assert "Teksten må højst have 200.000 tegn (den har 200.001)." in response.text
    plan.refresh_from_db()
    assert plan.version == 1
    response = client.post(url, text_form(plan, **{field: "x" * MAX_TEXT_CHARS}))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert len(getattr(plan, field)) == MAX_TEXT_CHARS


def test_the_second_save_of_a_stale_form_is_refused_and_nothing_is_lost(
    client_as, medarbejder, administrator, plan
):
    opened = text_form(plan)
    client_as(administrator).post(
        reverse("plan_text_edit", args=[plan.pk]), {**opened, "resume": "Den gemte."}
    )
    response = client_as(medarbejder).post(
        reverse("plan_text_edit", args=[plan.pk]), {**opened, "resume": "Min egen tekst."}
    )
    assert response.status_code == 409
    assert "Ændringerne er ikke gemt" in response.text
    assert "Min egen tekst." in response.text  # the user's text stays in the form
    assert "Den gemte." in response.text  # next to the text that was saved meanwhile
    assert 'name="version" value="2"' in response.text
    plan.refresh_from_db()
    assert plan.resume == "Den gemte." and plan.version == 2


def test_a_save_that_changes_nothing_keeps_the_version(medarbejder, plan):
    actions.save_text(plan, {"resume": plan.resume}, version=plan.version, acting_user=medarbejder)
    plan.refresh_from_db()
    assert plan.version == 1
    assert not plan.haendelser.filter(art=Haendelse.Art.TEKST).exists()


@pytest.mark.parametrize(
    "state", [lifecycle.ORGANISATIONSBESTYRELSE, lifecycle.AFDELINGSMOEDER, lifecycle.AKTIV]
)
def test_content_is_locked_outside_the_drafting_states(client_as, medarbejder, plan, state, private_storage):
    place(plan, state)
    client = client_as(medarbejder)
    response = client.post(
        reverse("plan_text_edit", args=[plan.pk]), text_form(plan, resume="Ny"), follow=True
    )
    assert "Planens indhold er låst" in response.text
    upload = SimpleUploadedFile("bilag.pdf", PDF)
    response = client.post(
        reverse("plan_attachment_upload", args=[plan.pk]), {"titel": "Bilag", "fil": upload}
    )
    assert response.status_code == 400
    assert "låst" in response.text
    with pytest.raises(Refused):
        actions.save_text(plan, {"resume": "Ny"}, version=plan.version, acting_user=medarbejder)
    plan.refresh_from_db()
    assert plan.resume != "Ny"
    assert not Bilag.objects.exists()


@pytest.mark.parametrize(
    "state", [lifecycle.IDE, lifecycle.PRAEKVALIFIKATION_UDARBEJDES, lifecycle.HELHEDSPLAN_UDARBEJDES]
)
def test_content_is_editable_while_drafting(medarbejder, plan, state):
    place(plan, state)
    actions.save_text(plan, {"resume": "Ny"}, version=plan.version, acting_user=medarbejder)
    plan.refresh_from_db()
    assert plan.resume == "Ny"


def test_changing_the_afdelinger_is_recorded(medarbejder, plan, own_afdeling):
    actions.save_text(plan, {"afdelinger": [own_afdeling]}, version=plan.version, acting_user=medarbejder)
    assert list(plan.indsats.afdelinger.all()) == [own_afdeling]
    assert "afdelinger" in plan.haendelser.get(art=Haendelse.Art.TEKST).tekst


def test_the_text_form_shows_the_plan_without_saving(client_as, medarbejder, plan):
    response = client_as(medarbejder).get(reverse("plan_text_edit", args=[plan.pk]))
    assert response.status_code == 200
    assert plan.analyse in response.text


def test_stale_version_raises_conflict_in_the_service(medarbejder, plan):
    actions.save_text(plan, {"resume": "A"}, version=1, acting_user=medarbejder)
    with pytest.raises(Conflict):
        actions.save_text(plan, {"resume": "B"}, version=1, acting_user=medarbejder)


def test_attachments_are_private_and_checked(
    client_as, medarbejder, bestyrelse, foreign_afdeling, plan, private_storage, settings
):
    client = client_as(medarbejder)
    url = reverse("plan_attachment_upload", args=[plan.pk])
    ok = client.post(url, {"titel": "Samarbejdsaftale", "fil": SimpleUploadedFile("aftale.pdf", PDF)})
    assert ok.status_code == 302
    attachment = Bilag.objects.get()
    assert attachment.filnavn == "aftale.pdf" and attachment.stoerrelse == len(PDF)
    stored = private_storage / attachment.fil.name
    assert stored.exists() and "aftale" not in stored.name  # stored under a random name
    assert not str(stored).startswith(str(settings.STATIC_ROOT))
    assert plan.haendelser.filter(art=Haendelse.Art.BILAG, bilag=attachment).exists()
    download_url = reverse("plan_attachment_download", args=[plan.pk, attachment.pk])
    download = client_as(bestyrelse).get(download_url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    other = HelhedsplanFactory(indsats__afdelinger=[foreign_afdeling])
    assert (
        client_as(bestyrelse)
        .get(reverse("plan_attachment_download", args=[other.pk, attachment.pk]))
        .status_code
        == 404
    )


@pytest.mark.parametrize(
    ("name", "body", "message"),
    [
        ("program.exe", b"MZ\x90\x00", "Filtypen «.exe» kan ikke bruges"),
        ("falsk.pdf", b"MZ\x90\x00", "ikke en gyldig PDF-fil"),
        ("tom.pdf", b"", "fil er tom"),  # Django says "indsendte", REST framework's Danish "medsendte"
        ("billede.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64, None),
    ],
)
def test_upload_types_are_checked(client_as, medarbejder, plan, private_storage, name, body, message):
    response = client_as(medarbejder).post(
        reverse("plan_attachment_upload", args=[plan.pk]),
        {"titel": "Fil", "fil": SimpleUploadedFile(name, body)},
    )
    if message is None:
        assert response.status_code == 302
    else:
        assert response.status_code == 400
        assert message in response.text


def test_uploads_over_the_size_limit_are_refused(client_as, medarbejder, plan, private_storage, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_BYTES", 20)
    response = client_as(medarbejder).post(
        reverse("plan_attachment_upload", args=[plan.pk]),
        {"titel": "Stor", "fil": SimpleUploadedFile("stor.pdf", PDF)},
    )
    assert response.status_code == 400
    assert "grænsen er 10 MB" in response.text
    assert not Bilag.objects.exists()


def test_a_missing_file_is_404_not_an_error(client_as, medarbejder, plan, private_storage):
    attachment = actions.add_attachment(
        plan, titel="X", fil=SimpleUploadedFile("x.pdf", PDF), acting_user=medarbejder
    )
    (private_storage / attachment.fil.name).unlink()
    url = reverse("plan_attachment_download", args=[plan.pk, attachment.pk])
    assert client_as(medarbejder).get(url).status_code == 404


def test_organisation_members_are_added_and_removed(client_as, medarbejder, plan):
    client = client_as(medarbejder)
    client.post(
        reverse("plan_member_add", args=[plan.pk]),
        {"gruppe": "styregruppe", "navn": "Karin Holm", "rolle": "Formand"},
    )
    member = plan.organisation.get()
    assert member.get_gruppe_display() == "Styregruppe"
    assert (
        client.post(reverse("plan_member_add", args=[plan.pk]), {"gruppe": "x", "navn": ""}).status_code
        == 400
    )
    client.post(reverse("plan_member_delete", args=[plan.pk, member.pk]))
    assert not plan.organisation.exists()
    texts = list(plan.haendelser.filter(art=Haendelse.Art.ORGANISATION).values_list("tekst", flat=True))
    assert any("Tilføjet til styregruppe: Karin Holm" in t for t in texts)
    assert any("Fjernet fra styregruppe: Karin Holm" in t for t in texts)


def test_staff_creates_a_plan_in_the_first_state(client_as, medarbejder, own_afdeling):
    client = client_as(medarbejder)
    assert client.post(reverse("plan_create"), {"titel": "", "varighed_aar": 4}).status_code == 400
    response = client.post(
        reverse("plan_create"),
        {
            "titel": "Helhedsplan Nord 2028-32",
            "afdelinger": [own_afdeling.pk],
            "varighed_aar": 4,
            "planlagt_start": "2028-01-01",
            "ansvarlig": medarbejder.pk,
        },
    )
    assert response.status_code == 302
    plan = Helhedsplan.objects.get(indsats__titel="Helhedsplan Nord 2028-32")
    assert plan.tilstand == lifecycle.IDE and plan.indsats.type.kode == "helhedsplan"
    assert plan.indsats.status == "forslag" and plan.haendelser.filter(art=Haendelse.Art.OPRETTET).exists()
