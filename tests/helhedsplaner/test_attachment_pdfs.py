"""PDF attachments: hostile files refused at upload, a bad one stored earlier never breaks a pack, and staff
can remove an attachment."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader, PdfWriter

from helhedsplaner import lifecycle, uploads
from helhedsplaner.models import Bilag, Haendelse, Pakke, Pakkeeksport
from helhedsplaner.packs import documents
from helhedsplaner.packs.pdf import MAX_APPENDIX_PAGES, count_pages
from helhedsplaner.tasks import build_pack_export
from indsatser.models import Indsats
from tests.helhedsplaner.conftest import place

pytestmark = pytest.mark.django_db


def raw_pdf(*objects: str) -> bytes:
    """A PDF written byte by byte: object 1 is the catalog, with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def page_tree_bomb(fanout=10, depth=5) -> bytes:
    """Under 1 KB: each level of the page tree names the next level `fanout` times, so the tree has
    fanout ** depth (100,000) pages while it claims one."""
    catalog = "<< /Type /Catalog /Pages 2 0 R >>"
    levels = [
        f"<< /Type /Pages /Kids [{' '.join([f'{number + 1} 0 R'] * fanout)}] /Count 1 >>"
        for number in range(2, 2 + depth)
    ]
    page = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"
    return raw_pdf(catalog, *levels, page)


def many_pages(count: int) -> bytes:
    """One page named `count` times: a small file that claims, and has, `count` pages."""
    return raw_pdf(
        "<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{' '.join(['3 0 R'] * count)}] /Count {count} >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    )


def blank_pdf(pages=1, password=None) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if password:
        writer.encrypt(password)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def upload(client, plan, name, body):
    return client.post(
        reverse("plan_attachment_upload", args=[plan.pk]),
        {"titel": "Kommunens anbefaling", "fil": SimpleUploadedFile(name, body)},
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (page_tree_bomb(), "sideopbygning er for stor eller for indviklet"),
        (many_pages(2_000), "sideopbygning er for stor eller for indviklet"),
        (many_pages(20_000), "sideopbygning er for stor eller for indviklet"),
        (
            many_pages(MAX_APPENDIX_PAGES + 1),
            f"har {MAX_APPENDIX_PAGES + 1} sider; et bilag må højst have 200",
        ),
        (blank_pdf(password="hemmelig"), "krypteret eller beskyttet med adgangskode"),
        (b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "kan ikke læses som PDF"),
        (b"%PDF-1.7 afbrudt upload", "kan ikke læses som PDF"),
        (raw_pdf("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [] /Count 0 >>"), "ingen sider"),
    ],
    ids=[
        "page-tree-bomb",
        "2000-pages",
        "20000-pages",
        "201-pages",
        "encrypted",
        "no-pages",
        "cut-off",
        "empty",
    ],
)
def test_hostile_and_unusable_pdfs_are_refused_at_upload(
    client_as, medarbejder, plan, private_storage, body, message
):
    response = upload(client_as(medarbejder), plan, "anbefaling.pdf", body)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Bilag.objects.exists()
    assert not any(private_storage.rglob("*.pdf"))


def test_a_sound_pdf_of_the_most_pages_allowed_is_accepted(client_as, medarbejder, plan, private_storage):
    assert count_pages(many_pages(MAX_APPENDIX_PAGES)) == MAX_APPENDIX_PAGES
    response = upload(client_as(medarbejder), plan, "anbefaling.pdf", blank_pdf(pages=3))
    assert response.status_code == 302
    assert Bilag.objects.get(plan=plan).filnavn == "anbefaling.pdf"


def test_the_upload_form_states_the_page_limit(client_as, medarbejder, plan):
    page = client_as(medarbejder).get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert f"En PDF vedlægges ansøgningspakkerne og må højst have {MAX_APPENDIX_PAGES} sider." in page


def store_attachment(plan, titel, body) -> Bilag:
    """As a file uploaded before uploads were checked: straight into storage."""
    return Bilag.objects.create(
        plan=plan, titel=titel, filnavn=f"{titel}.pdf", stoerrelse=len(body), fil=ContentFile(body, "x.pdf")
    )


@pytest.fixture
def poisoned_plan(plan, private_storage):
    store_attachment(plan, "Sidebombe", page_tree_bomb())
    store_attachment(plan, "Totusind sider", many_pages(2_000))
    store_attachment(plan, "Samarbejdsaftale", blank_pdf(pages=2))
    return plan


@pytest.mark.parametrize("pakketype", ["praekvalifikation", "helhedsplan"])
def test_a_pack_leaves_out_a_bad_appendix_stored_earlier_and_says_so(poisoned_plan, pakketype):
    rendered, _version = documents.render(poisoned_plan, pakketype)
    reader = PdfReader(io.BytesIO(rendered.content))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Sidebombe" in text and "Totusind sider" in text
    assert text.count("Filen kunne ikke læses eller har for mange sider og er ikke vedlagt.") == 2
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert outline[-1] == "Bilag 3: Samarbejdsaftale"
    assert rendered.pages < 40


def test_the_appendices_of_a_pack_are_held_to_a_total_number_of_pages(plan, private_storage):
    for number in range(1, 4):
        store_attachment(
            plan, f"Bilag med {MAX_APPENDIX_PAGES} sider nr. {number}", many_pages(MAX_APPENDIX_PAGES)
        )
    appendices = documents.plan_appendices(plan)
    assert [a.pages for a in appendices] == [MAX_APPENDIX_PAGES, MAX_APPENDIX_PAGES, 0]
    assert sum(a.pages for a in appendices) == documents.MAX_PACK_APPENDIX_PAGES
    assert appendices[2].problem == "Bilagene fylder tilsammen for mange sider."


def test_ordering_a_pack_of_a_poisoned_plan_finishes(
    client_as, medarbejder, poisoned_plan, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(medarbejder).post(
            reverse("plan_pack_order", args=[poisoned_plan.pk]), {"pakketype": "helhedsplan"}
        )
    assert response.status_code == 302
    assert Pakke.objects.get(plan=poisoned_plan).status == Pakke.Status.DONE


def test_an_export_including_a_poisoned_plan_finishes(poisoned_plan, medarbejder):
    eksport = Pakkeeksport.objects.create(pakketype="praekvalifikation", oprettet_af=medarbejder)
    eksport.planer.set([poisoned_plan])
    assert build_pack_export.run(eksport.pk) == eksport.pk
    eksport.refresh_from_db()
    assert eksport.status == Pakkeeksport.Status.DONE and eksport.antal_pakker == 1


def test_staff_remove_an_attachment_after_confirming(
    client_as, medarbejder, plan, private_storage, django_capture_on_commit_callbacks
):
    attachment = store_attachment(plan, "Sidebombe", page_tree_bomb())
    stored = private_storage / attachment.fil.name
    url = reverse("plan_attachment_delete", args=[plan.pk, attachment.pk])
    client = client_as(medarbejder)
    assert 'href="' + url in client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    question = client.get(url)
    assert question.status_code == 200 and "Bilaget «Sidebombe»" in question.content.decode()
    assert Bilag.objects.filter(pk=attachment.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    assert not Bilag.objects.filter(pk=attachment.pk).exists()
    assert not stored.exists()
    event = plan.haendelser.filter(art=Haendelse.Art.BILAG).latest("tid")
    assert event.tekst == "Fjernet: Sidebombe (Sidebombe.pdf)." and event.bruger == medarbejder


def test_staff_remove_an_attachment_also_when_the_text_is_locked(
    client_as, medarbejder, plan, private_storage, walk_to
):
    attachment = store_attachment(plan, "Sidebombe", page_tree_bomb())
    plan = walk_to(plan, lifecycle.PRAEKVALIFIKATION_BEHANDLES)
    assert not plan.state.editable
    response = client_as(medarbejder).post(
        reverse("plan_attachment_delete", args=[plan.pk, attachment.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 204 and "helhedsplanChanged" in response["HX-Trigger"]
    assert not Bilag.objects.filter(pk=attachment.pk).exists()


def test_an_attachment_of_a_closed_plan_stays(client_as, medarbejder, plan, private_storage):
    attachment = store_attachment(plan, "Samarbejdsaftale", blank_pdf())
    place(plan, lifecycle.AFSLUTTET)
    Indsats.objects.filter(pk=plan.indsats_id).update(status=Indsats.Status.AFSLUTTET)
    url = reverse("plan_attachment_delete", args=[plan.pk, attachment.pk])
    client = client_as(medarbejder)
    assert url not in client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    response = client.post(url)
    assert response.status_code in (400, 409) and "afsluttet" in response.content.decode()
    assert Bilag.objects.filter(pk=attachment.pk).exists()


@pytest.mark.parametrize("role", ["bestyrelse", "sekretariat"])
def test_only_staff_remove_attachments(client_as, plan, private_storage, role, request):
    attachment = store_attachment(plan, "Samarbejdsaftale", blank_pdf())
    url = reverse("plan_attachment_delete", args=[plan.pk, attachment.pk])
    client = client_as(request.getfixturevalue(role))
    assert client.post(url).status_code == 403
    assert url not in client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert Bilag.objects.filter(pk=attachment.pk).exists()


def test_a_long_file_name_is_shortened_with_its_extension_kept():
    name = uploads.original_name(SimpleUploadedFile("a" * 300 + ".pdf", b""))
    assert len(name) == 200 and name.endswith("aaa.pdf")
    assert uploads.original_name(SimpleUploadedFile("../../referat.pdf", b"")) == "referat.pdf"
    assert uploads.original_name(SimpleUploadedFile("b" * 300, b"")) == "b" * 200
