"""Documents, packs and pack exports kept in an S3 bucket (moto's S3 server on the loopback): uploaded and
made through the real views, stored in the bucket under their random names, and handed out only by the
permission-checked views, which stream them from the store."""

import io
import zipfile

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader
from storages.backends.s3 import S3Storage

from helhedsplaner import lifecycle
from helhedsplaner.models import Pakke, Pakkeeksport
from tests.factories import BestyrelsesmedlemFactory, UserFactory
from tests.helhedsplaner.conftest import NO_CONDITIONS, place
from tests.world import one_page_pdf

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
PDF = one_page_pdf()


@pytest.fixture
def foreign_board_member(foreign_afdeling):
    user = UserFactory(username="t-fremmed", role="afdelingsbestyrelse")
    BestyrelsesmedlemFactory(user=user, afdeling=foreign_afdeling)
    return user


def content(response) -> bytes:
    assert response.status_code == 200, response.status_code
    assert "attachment" in response["Content-Disposition"]
    return b"".join(response.streaming_content)


def test_the_files_of_these_tests_are_kept_in_the_bucket(object_storage):
    assert isinstance(storages["default"], S3Storage)
    assert storages["default"].bucket_name == object_storage.name
    assert Pakke._meta.get_field("fil").storage.bucket_name == object_storage.name


def test_a_decision_letter_goes_to_the_bucket_and_out_only_through_the_permission_check(
    client, client_as, sekretariat, medarbejder, foreign_board_member, plan, object_storage
):
    place(plan, lifecycle.PRAEKVALIFIKATION_BEHANDLES)
    letter = SimpleUploadedFile("afgoerelse.pdf", PDF, content_type="application/pdf")
    response = client_as(sekretariat).post(
        reverse("plan_decision_create", args=[plan.pk]),
        {
            "fase_nr": plan.fase_nr,
            "organ": "lbf",
            "dato": "2026-03-02",
            "udfald": "godkendt",
            "dokument": letter,
            **NO_CONDITIONS,
        },
        **HTMX,
    )
    assert response.status_code == 204
    decision = plan.beslutninger.get()
    assert object_storage.keys() == [decision.dokument.name]
    assert decision.dokument.name.startswith(f"helhedsplaner/{plan.pk}/")
    assert object_storage.read(decision.dokument.name) == PDF

    url = reverse("plan_decision_document", args=[plan.pk, decision.pk])
    assert content(client_as(medarbejder).get(url)) == PDF
    assert client_as(foreign_board_member).get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_an_attachment_removed_from_the_plan_leaves_the_bucket(
    client_as, medarbejder, plan, object_storage, django_capture_on_commit_callbacks
):
    client = client_as(medarbejder)
    response = client.post(
        reverse("plan_attachment_upload", args=[plan.pk]),
        {"titel": "Kommunens anbefaling", "fil": SimpleUploadedFile("anbefaling.pdf", PDF)},
    )
    assert response.status_code == 302
    attachment = plan.bilag.get()
    assert object_storage.keys() == [attachment.fil.name]
    download = client.get(reverse("plan_attachment_download", args=[plan.pk, attachment.pk]))
    assert content(download) == PDF

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("plan_attachment_delete", args=[plan.pk, attachment.pk]))
    assert object_storage.keys() == []


def test_a_document_missing_from_the_bucket_is_not_found(client_as, medarbejder, plan, object_storage):
    client = client_as(medarbejder)
    client.post(
        reverse("plan_attachment_upload", args=[plan.pk]),
        {"titel": "Referat", "fil": SimpleUploadedFile("referat.pdf", PDF)},
    )
    attachment = plan.bilag.get()
    object_storage.delete(attachment.fil.name)
    response = client.get(reverse("plan_attachment_download", args=[plan.pk, attachment.pk]))
    assert response.status_code == 404


def test_a_store_that_does_not_answer_gives_a_page_that_says_so(
    client_as, medarbejder, plan, object_storage, settings, free_tcp_port
):
    client = client_as(medarbejder)
    client.post(
        reverse("plan_attachment_upload", args=[plan.pk]),
        {"titel": "Referat", "fil": SimpleUploadedFile("referat.pdf", PDF)},
    )
    attachment = plan.bilag.get()
    # The store moved to an address where nothing answers.
    unreachable = object_storage.storage()
    unreachable["OPTIONS"] = {**unreachable["OPTIONS"], "endpoint_url": f"http://127.0.0.1:{free_tcp_port}"}
    settings.STORAGES = {**settings.STORAGES, "default": unreachable}
    response = client.get(reverse("plan_attachment_download", args=[plan.pk, attachment.pk]))
    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert "Filarkivet svarer ikke lige nu" in response.content.decode()
    refused = client.post(
        reverse("plan_attachment_upload", args=[plan.pk]),
        {"titel": "Referat 2", "fil": SimpleUploadedFile("referat2.pdf", PDF)},
    )
    assert refused.status_code == 503 and plan.bilag.count() == 1


def test_a_pack_and_its_export_are_made_from_and_kept_in_the_bucket(
    client_as,
    medarbejder,
    sekretariat,
    bestyrelse,
    foreign_board_member,
    plan,
    object_storage,
    tasks_run_here,
    django_capture_on_commit_callbacks,
):
    # An uploaded PDF is merged into the pack: the renderer reads it back from the bucket.
    client_as(medarbejder).post(
        reverse("plan_attachment_upload", args=[plan.pk]),
        {"titel": "Kommunens anbefaling", "fil": SimpleUploadedFile("anbefaling.pdf", PDF)},
    )
    with django_capture_on_commit_callbacks(execute=True):
        ordered = client_as(medarbejder).post(
            reverse("plan_pack_order", args=[plan.pk]), {"pakketype": "helhedsplan"}, **HTMX
        )
    assert ordered.status_code == 200
    pakke = Pakke.objects.get(plan=plan)
    assert pakke.status == Pakke.Status.DONE, pakke.error
    assert pakke.fil.name in object_storage.keys()

    url = reverse("plan_pack_download", args=[plan.pk, pakke.pk])
    pdf = content(client_as(bestyrelse).get(url))
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == pakke.sider
    assert "Kommunens anbefaling" in "".join(page.extract_text() for page in reader.pages)
    assert client_as(foreign_board_member).get(url).status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        client_as(sekretariat).post(
            reverse("pack_export"), {"pakketype": "helhedsplan", "planer": [plan.pk]}, **HTMX
        )
    eksport = Pakkeeksport.objects.get()
    assert eksport.status == Pakkeeksport.Status.DONE, eksport.error
    assert eksport.fil.name in object_storage.keys()
    archive = content(client_as(sekretariat).get(reverse("pack_export_download", args=[eksport.pk])))
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        pdf_names = [name for name in opened.namelist() if name.endswith(".pdf")]
        assert len(pdf_names) == 1 and opened.read(pdf_names[0]) == pdf
    assert client_as(bestyrelse).get(reverse("pack_export_download", args=[eksport.pk])).status_code == 403
