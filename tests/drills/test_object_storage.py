"""A web process and a worker that share nothing but the database, Redis and an S3 bucket (moto's S3 server on
the loopback): the worker makes what the web orders, keeps it in the bucket, and the web hands it out.

The worker is a real `celery -A config worker` whose store is set by the environment alone (DJANGO_S3_*, as in
production); its local folder for files does not exist, and the web side's stays empty.
"""

import io
import zipfile

import pytest
from django.core.files.storage import storages
from django.db import connection
from django.urls import reverse
from pypdf import PdfReader
from storages.backends.s3 import S3Storage

from helhedsplaner.models import Pakke, Pakkeeksport
from tests.drills.conftest import BUDGET_TOTAL, PLAN_TITLE, wait_for, wait_for_pack
from tests.factories import BestyrelsesmedlemFactory, UserFactory

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the drills need PostgreSQL")

HTMX = {"HTTP_HX_REQUEST": "true"}


def downloaded(response) -> bytes:
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


def test_what_a_worker_keeps_in_the_bucket_is_downloaded_on_the_web(
    start_worker,
    object_storage,
    pack_storage,
    budget_plan,
    medarbejder,
    sekretariat,
    bestyrelse,
    foreign_afdeling,
    client_as,
    tmp_path,
):
    # The web side (this process) keeps its files in the bucket too: started after pack_storage, the
    # object_storage fixture's settings are the ones in force.
    assert isinstance(storages["default"], S3Storage)
    worker_folder = tmp_path / "the-worker-has-no-files-here"
    worker = start_worker(
        **object_storage.environment(),
        DJANGO_PRIVATE_STORAGE_ROOT=str(worker_folder),
    )

    ordered = client_as(medarbejder).post(
        reverse("plan_pack_order", args=[budget_plan.pk]), {"pakketype": "helhedsplan"}, **HTMX
    )
    assert ordered.status_code == 200
    pakke = wait_for_pack(Pakke.objects.get(plan=budget_plan).pk, Pakke.Status.DONE, [worker])
    assert object_storage.keys() == [pakke.fil.name]

    url = reverse("plan_pack_download", args=[budget_plan.pk, pakke.pk])
    pdf = downloaded(client_as(bestyrelse).get(url))
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) == pakke.sider and PLAN_TITLE in text and BUDGET_TOTAL in text
    foreign = UserFactory(username="t-fremmed", role="afdelingsbestyrelse")
    BestyrelsesmedlemFactory(user=foreign, afdeling=foreign_afdeling)
    assert client_as(foreign).get(url).status_code == 404

    # The export's worker reads the pack back from the bucket and keeps the ZIP there.
    client_as(sekretariat).post(
        reverse("pack_export"), {"pakketype": "helhedsplan", "planer": [budget_plan.pk]}, **HTMX
    )
    eksport = wait_for(
        lambda: Pakkeeksport.objects.filter(status=Pakkeeksport.Status.DONE).first(),
        "the export to be made",
        worker.log,
    )
    assert sorted(object_storage.keys()) == sorted([pakke.fil.name, eksport.fil.name])
    archive = downloaded(client_as(sekretariat).get(reverse("pack_export_download", args=[eksport.pk])))
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        assert [opened.read(name) for name in opened.namelist() if name.endswith(".pdf")] == [pdf]

    assert not worker_folder.exists()
    assert not pack_storage.exists() or not any(pack_storage.iterdir())
