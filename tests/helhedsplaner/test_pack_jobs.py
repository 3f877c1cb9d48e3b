"""Pack jobs: one pack per plan, type, afdeling and data version, held by the database; a stalled job is shown
as stalled and can be sent again at once."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from config.web.jobs import Job
from helhedsplaner.models import Pakke
from helhedsplaner.packs import documents, exports
from tests.helhedsplaner.conftest import worker_holding
from tests.screening.screening_data import make_round

pytestmark = pytest.mark.usefixtures("private_storage")


@pytest.mark.parametrize(
    "what",
    [
        lambda plan, runde: {"plan": plan, "pakketype": "helhedsplan"},
        lambda plan, runde: {
            "plan": plan,
            "pakketype": "afdelingsmoede",
            "afdeling": plan.indsats.afdelinger.first(),
        },
        lambda plan, runde: {"runde": runde, "pakketype": "screeningsrapport"},
    ],
    ids=["plan", "plan-and-afdeling", "screening-round"],
)
def test_the_database_holds_one_pack_per_data_version(plan, what):
    fields = what(plan, make_round(2025))
    Pakke.objects.create(data_version="v1", **fields)
    Pakke.objects.create(data_version="v2", **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Pakke.objects.create(data_version="v1", status=Pakke.Status.FAILED, **fields)


def test_packs_of_different_afdelinger_or_types_may_share_a_data_version(plan, second_afdeling, own_afdeling):
    Pakke.objects.create(plan=plan, pakketype="afdelingsmoede", afdeling=own_afdeling, data_version="v")
    Pakke.objects.create(plan=plan, pakketype="afdelingsmoede", afdeling=second_afdeling, data_version="v")
    Pakke.objects.create(plan=plan, pakketype="helhedsplan", data_version="v")
    Pakke.objects.create(plan=plan, pakketype="afslutning", data_version="v")
    assert Pakke.objects.count() == 4


def test_ordering_again_after_a_failure_makes_the_same_job_again(plan, medarbejder, sent_jobs):
    version = documents.plan_source(plan, "helhedsplan").version
    failed = Pakke.objects.create(
        plan=plan, pakketype="helhedsplan", data_version=version, status=Pakke.Status.FAILED, error="Fejl"
    )
    with transaction.atomic():
        ordered = documents.bestil_pakke(plan, "helhedsplan", medarbejder)
    assert ordered.pakke.pk == failed.pk and not ordered.genbrugt
    failed.refresh_from_db()
    assert failed.status == Pakke.Status.QUEUED and failed.error == ""
    assert Pakke.objects.count() == 1


def running_job(plan, progress=40) -> Pakke:
    return Pakke.objects.create(
        plan=plan,
        pakketype="helhedsplan",
        data_version="x",
        status=Pakke.Status.RUNNING,
        progress=progress,
    )


def test_a_job_whose_worker_is_gone_is_shown_stalled_and_can_be_sent_again_at_once(
    client_as, medarbejder, plan, sent_jobs, django_capture_on_commit_callbacks
):
    pakke = running_job(plan)
    client = client_as(medarbejder)
    status_url = reverse("plan_pack_status", args=[plan.pk, pakke.pk])
    retry_url = reverse("plan_pack_retry", args=[plan.pk, pakke.pk])

    with worker_holding(pakke):
        running = client.get(status_url, headers={"HX-Request": "true"}).content.decode()
        assert "Genereres 40 %" in running and "Prøv igen" not in running
        with django_capture_on_commit_callbacks(execute=True):
            client.post(retry_url)
        assert sent_jobs == [] and Pakke.objects.get(pk=pakke.pk).status == Pakke.Status.RUNNING

    stalled = client.get(status_url, headers={"HX-Request": "true"}).content.decode()
    assert "Gået i stå ved 40 %: ingen er i gang med at lave pakken." in stalled
    assert "Prøv igen" in stalled and 'hx-trigger="every 2s"' in stalled
    section = client.get(reverse("plan_packs", args=[plan.pk])).content.decode()
    assert "Gået i stå ved 40 %" in section
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(retry_url)
    assert response.status_code == 302
    assert sent_jobs == [(Pakke, pakke.pk)]
    pakke.refresh_from_db()
    assert pakke.status == Pakke.Status.QUEUED and pakke.progress == 0


def test_a_job_waiting_in_the_queue_too_long_is_shown_stalled(client_as, sekretariat, plan):
    pakke = Pakke.objects.create(plan=plan, pakketype="helhedsplan", data_version="x")
    status_url = reverse("plan_pack_status", args=[plan.pk, pakke.pk])
    client = client_as(sekretariat)
    assert "I kø" in client.get(status_url, headers={"HX-Request": "true"}).content.decode()
    Pakke.objects.filter(pk=pakke.pk).update(sent=timezone.now() - Job.queued_patience - timedelta(seconds=1))
    stalled = client.get(status_url, headers={"HX-Request": "true"}).content.decode()
    assert "Gået i stå: pakken venter stadig i køen." in stalled and "Prøv igen" in stalled


def test_board_members_see_a_stalled_job_without_the_retry_button(client_as, bestyrelse, plan):
    pakke = running_job(plan)
    stalled = client_as(bestyrelse).get(
        reverse("plan_pack_status", args=[plan.pk, pakke.pk]), headers={"HX-Request": "true"}
    )
    assert "Gået i stå" in stalled.content.decode() and "Prøv igen" not in stalled.content.decode()
    assert client_as(bestyrelse).post(reverse("plan_pack_retry", args=[plan.pk, pakke.pk])).status_code == 403


def test_an_export_reuses_the_failed_pack_of_the_same_version(plan, medarbejder):
    version = documents.plan_source(plan, "praekvalifikation").version
    failed = Pakke.objects.create(
        plan=plan, pakketype="praekvalifikation", data_version=version, status=Pakke.Status.FAILED
    )
    pakke = exports.current_pack(plan, "praekvalifikation", None, medarbejder)
    assert pakke.pk == failed.pk and pakke.status == Pakke.Status.DONE and pakke.fil
    assert Pakke.objects.count() == 1


def test_a_job_whose_plan_changed_before_it_was_made_becomes_the_pack_of_the_new_data(plan):
    pakke = Pakke.objects.create(plan=plan, pakketype="afslutning", data_version="bestilt før ændringen")
    documents.generate(pakke)
    pakke.refresh_from_db()
    assert pakke.status == Pakke.Status.DONE
    assert pakke.data_version == documents.plan_source(plan, "afslutning").version


def test_a_job_whose_new_data_have_a_pack_already_fails_with_the_reason(plan):
    version = documents.plan_source(plan, "afslutning").version
    Pakke.objects.create(plan=plan, pakketype="afslutning", data_version=version, status=Pakke.Status.DONE)
    pakke = Pakke.objects.create(plan=plan, pakketype="afslutning", data_version="bestilt før ændringen")
    documents.generate(pakke)
    pakke.refresh_from_db()
    assert pakke.status == Pakke.Status.FAILED and not pakke.fil
    assert pakke.error == "Planen blev ændret, mens pakken blev lavet, og den nye udgave findes allerede."
    assert Pakke.objects.filter(data_version=version).count() == 1
