"""Every text field of the world filled with hostile text: markup, quotes, an ampersand and the starts of
spreadsheet formulas. Every page of the permission matrix's sweep, for staff and for a board member, shows
it as text (no element or attribute of its own); every CSV and XLSX download guards the formulas; a pack's
PDF prints it as it was typed.
"""

import csv
import io
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.db import models
from django.db.models import Value
from django.db.models.functions import Cast, Concat
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from config.web.tabular import FORMULA_START
from helhedsplaner.models import Helhedsplan
from helhedsplaner.packs import documents
from tests.logins import log_in
from tests.test_permission_matrix import EXPECTED, FRAGMENTS, MATRIX_NAMES, ROLES, SAME, kwargs_for
from tests.world import module_world

pytestmark = pytest.mark.django_db

MARKUP = '<script>alert(1)</script><i data-hostile="1">\'"&amp;'
HOSTILE = f'=HYPERLINK("https://angriber.example/"){MARKUP}'
# Each field begins with one of these, in turn.
STARTS = ("", "+", "-", "@")
# Fields the application writes itself, never a person: states, codes, digests and stored JSON.
MACHINE_FIELDS = {
    "tilstand",
    "fra_tilstand",
    "til_tilstand",
    "overgang",
    "fase",
    "sha256",
    "data_version",
    "godkendt_grundlag",
    "aendringer",
    "klassifikation",
    "kriterier",
    "aendring",
    "label",
    "klasse_parallel",
    "klasse_vedvarende",
    "enhed",
    "password",
    "username",
}
APPS = ("screening", "indsatser", "finansiering", "helhedsplaner")


def hostile_fields():
    """(model, field) for every text a person types, in the apps and their history, and users' names."""
    models_ = [m for label in APPS for m in apps.get_app_config(label).get_models()] + [User]
    for model in models_:
        for field in model._meta.concrete_fields:
            if (
                isinstance(field, models.CharField | models.TextField)
                and not field.choices
                and not field.unique
                and field.name not in MACHINE_FIELDS
                and not field.name.startswith("history_")
            ):
                yield model, field


def fill_with_hostile_text():
    for number, (model, field) in enumerate(hostile_fields()):
        text = STARTS[number % len(STARTS)] + HOSTILE
        if field.max_length and field.max_length < 12:
            value = Value(text[: field.max_length])
        else:
            # The row's id at the end keeps values apart where they must differ (an afdeling's number).
            room = field.max_length - 8 if field.max_length else len(text)
            value = Concat(Value(text[:room]), Value("#"), Cast("pk", models.CharField()))
        model._default_manager.update(**{field.attname: value})


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with module_world(django_db_blocker, tmp_path_factory.mktemp("privat")) as built:
        with django_db_blocker.unblock():
            fill_with_hostile_text()
        yield built


class MarkupOfItsOwn(HTMLParser):
    """Finds what hostile text would have made of the page had it not been escaped."""

    def __init__(self):
        super().__init__()
        self.found = []
        self._script_type = None  # inside a <script>: its type

    def handle_starttag(self, tag, attrs):
        if any(name == "data-hostile" for name, _ in attrs):
            self.found.append(f"<{tag} data-hostile>")
        self._script_type = dict(attrs).get("type", "text/javascript") if tag == "script" else None

    def handle_endtag(self, tag):
        self._script_type = None

    def handle_data(self, data):
        # Data for a script (json_script's) may hold the text, escaped for JSON; a script that runs may not.
        if self._script_type not in (None, "application/json") and "alert(1)" in data:
            self.found.append(f"<script>{data}</script>")


def assert_escaped(url, html):
    parser = MarkupOfItsOwn()
    parser.feed(html)
    assert parser.found == [], f"{url} runs hostile text as markup: {parser.found}"


def assert_guarded(url, cells) -> bool:
    """No cell with hostile text may begin a formula: the guard puts an apostrophe in front. Says whether
    the file held hostile text at all (a template to fill in holds none)."""
    hostile = [cell for cell in cells if isinstance(cell, str) and "HYPERLINK" in cell]
    unguarded = [cell for cell in hostile if cell.startswith(FORMULA_START)]
    assert unguarded == [], f"{url} writes formulas: {unguarded[:3]}"
    return bool(hostile)


def csv_cells(content: bytes) -> list[str]:
    text = content.decode("utf-8-sig")
    dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=";,")
    return [cell for row in csv.reader(io.StringIO(text), dialect) for cell in row]


def xlsx_cells(url, content: bytes) -> list:
    workbook = load_workbook(io.BytesIO(content))
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    formulas = [cell.value for cell in cells if cell.data_type == "f"]
    assert formulas == [], f"{url} writes formulas: {formulas[:3]}"
    return [cell.value for cell in cells]


def sweep(world, role, side):
    """(url, response) for every URL of the matrix that answers `role` with a page or a file."""
    client = Client()
    log_in(client, world.users[role.split("_")[0]])
    for name in MATRIX_NAMES:
        get_row = EXPECTED[name][0]
        expected = get_row.split()[ROLES.index(role)] if get_row != SAME else "200"
        if expected != "200" and not (name in FRAGMENTS and expected == "R"):
            continue
        url = reverse(name, kwargs=kwargs_for(name, side, world))
        headers = {"HX-Request": "true"} if name in FRAGMENTS else {}
        response = client.get(url, headers=headers)
        assert response.status_code == 200, url
        yield url, response
    for fmt in ("csv", "xlsx"):
        url = reverse("afdeling_export", kwargs={"fmt": fmt})
        yield url, client.get(url)


@pytest.mark.parametrize("role", ["administrator", "bestyrelse_egen"])
def test_every_page_and_download_shows_hostile_text_as_text(world, role):
    files_with_hostile_text = []
    for url, response in sweep(world, role, world.own):
        content = b"".join(response.streaming_content) if response.streaming else response.content
        kind = response.get("Content-Type", "")
        if kind.startswith("text/html"):
            assert_escaped(url, content.decode())
        elif kind.startswith("text/csv") and assert_guarded(url, csv_cells(content)):
            files_with_hostile_text.append(url)
        elif "spreadsheetml" in kind and assert_guarded(url, xlsx_cells(url, content)):
            files_with_hostile_text.append(url)
    # The afdeling list (CSV and XLSX), the screening and indsats workbooks, the budget workbook.
    assert len(files_with_hostile_text) >= 5, files_with_hostile_text


def test_a_pack_prints_hostile_text_as_typed(world):
    plan = Helhedsplan.objects.select_related("indsats").get(pk=world.own.plan.pk)
    rendered, _version = documents.render(plan, "helhedsplan")
    reader = PdfReader(io.BytesIO(rendered.content))
    text = "".join("".join(page.extract_text() for page in reader.pages).split())
    assert "".join(MARKUP.split()) in text
