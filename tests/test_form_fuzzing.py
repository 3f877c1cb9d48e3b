"""Random input to the main forms: the afdeling form, the screening upload, a budget line, a funder's
decision and an afdelingsmøde's votes. Whatever is posted, the answer is never a 500; a refused form leaves
the database exactly as it was; an accepted one stores what was typed.

Each example runs in its own savepoint, rolled back afterwards, inside the module's world (tests/world.py).
"""

import csv
import io
from contextlib import contextmanager
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from config.web.tabular import parse_decimal
from finansiering.forms import parse_amount
from finansiering.models import Budgetlinje
from helhedsplaner.models import Afdelingsmoede, Beslutning, Haendelse, Helhedsplan
from screening.models import Afdeling, Indikator, Maaling, Screeningsimport, Screeningsrunde
from tests.world import PDF, SCREENING_YEAR, module_world

pytestmark = pytest.mark.django_db

# Each test runs its examples through an inner function, so the fixtures (client, world) are shared by
# all examples on purpose; each example rolls its own changes back.
fuzz = settings(max_examples=40, deadline=None)

# Any text a browser could send (no lone surrogates: they cannot be encoded as UTF-8 at all).
TEXT = st.text(st.characters(blacklist_categories=["Cs"]), max_size=40)
NUMBER_TEXT = st.one_of(
    st.integers(-10, 10**12).map(str),
    st.decimals(-1000, 10**7, places=3, allow_nan=False).map(lambda d: str(d).replace(".", ",")),
    st.sampled_from(["", " ", "1.234,50", "1e5", "NaN", "-0", "12,3456", "9" * 25]),
    TEXT,
)
DATE_TEXT = st.one_of(st.dates().map(date.isoformat), st.sampled_from(["", "31.02.2025", "2025-13-01"]), TEXT)
JUNK = st.one_of(NUMBER_TEXT, DATE_TEXT)
# What a person fills in: a name, an address, a note.
WORDS = st.from_regex(r"\A[A-Za-zÆØÅæøå0-9][A-Za-zÆØÅæøå0-9 .,'-]{0,30}\Z")
COUNT = st.integers(0, 10**6).map(str)
ISO_DATE = st.dates(date(2000, 1, 1), date(2030, 12, 31)).map(date.isoformat)
# An uploaded document (name, content): a real PDF, or anything under any name.
DOCUMENT = st.tuples(
    st.sampled_from(["dokument.pdf", "brev.docx", "program.exe", "uden-endelse"]),
    st.one_of(st.just(PDF), st.binary(max_size=100)),
)


def danish(value: Decimal) -> str:
    return str(value).replace(".", ",")


def mostly_valid(valid_form):
    """A valid form (a dict) with a few of its fields, often none, replaced by junk: so that both the
    refused and the accepted answer are tried often."""

    @st.composite
    def form(draw):
        data = draw(valid_form)
        for name in draw(st.sets(st.sampled_from(sorted(data)), max_size=2)):
            data[name] = draw(JUNK)
        return data

    return form()


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with module_world(django_db_blocker, tmp_path_factory.mktemp("privat")) as built:
        yield built


@contextmanager
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def rows(queryset) -> list[dict]:
    return list(queryset.order_by("pk").values())


def stored_files(plan) -> list[str]:
    """The uploaded files kept for a plan (decisions' documents, minutes, attachments)."""
    folder = f"helhedsplaner/{plan.pk}"
    return sorted(default_storage.listdir(folder)[1]) if default_storage.exists(folder) else []


def logged_in(client, user):
    client.force_login(user)
    return client


# --- The afdeling form -----------------------------------------------------------------------------


def afdeling_data(world):
    organisations = [world.own.afdeling.organisation_id, world.foreign.afdeling.organisation_id]
    valid = st.fixed_dictionaries(
        {
            "organisation": st.sampled_from(organisations).map(str),
            "nummer": st.from_regex(r"\A\d{2}-\d{2}\Z"),
            "navn": WORDS,
            "adresse": WORDS,
            "postnr": st.from_regex(r"\A\d{4}\Z"),
            "bydel": WORDS,
            "boligomraade": st.sampled_from(["", str(world.own.omraade.pk), str(world.foreign.omraade.pk)]),
            "lejemaal": COUNT,
            "areal_m2": st.decimals(0, 10**6, places=2).map(danish),
            "beboere": COUNT,
        }
    )
    return mostly_valid(valid)


def assert_afdeling_stored(afdeling, data):
    assert afdeling.navn == data["navn"].strip()
    assert afdeling.nummer == data["nummer"].strip()
    assert str(afdeling.organisation_id) == data["organisation"]
    assert str(afdeling.boligomraade_id or "") == data["boligomraade"]
    assert afdeling.lejemaal == Decimal(data["lejemaal"]) and afdeling.beboere == Decimal(data["beboere"])
    assert afdeling.areal_m2 == Decimal(data["areal_m2"].strip().replace(".", "").replace(",", "."))


@pytest.mark.parametrize("existing", [False, True], ids=["opret", "rediger"])
def test_afdeling_form(client, world, existing):
    client = logged_in(client, world.users["medarbejder"])
    afdeling = world.own.afdeling
    url = reverse("afdeling_edit", args=[afdeling.pk]) if existing else reverse("afdeling_create")

    @fuzz
    @given(data=afdeling_data(world))
    def post(data):
        with rolled_back():
            before = rows(Afdeling.objects.all())
            response = client.post(url, data)
            assert response.status_code in (302, 400)
            if response.status_code == 400:
                assert rows(Afdeling.objects.all()) == before
                return
            changed = Afdeling.objects.get(pk=afdeling.pk) if existing else Afdeling.objects.latest("pk")
            assert_afdeling_stored(changed, data)
            others = [row for row in rows(Afdeling.objects.all()) if row["id"] != changed.pk]
            assert others == [row for row in before if row["id"] != changed.pk]

    post()


# --- The screening upload --------------------------------------------------------------------------


INDICATOR_VALUES = {
    Indikator.Enhed.ANTAL: st.integers(0, 5000).map(str),
    Indikator.Enhed.ANDEL: st.decimals(0, 100, places=1).map(danish),
    Indikator.Enhed.INDEKS: st.decimals(0, 300, places=1).map(danish),
    Indikator.Enhed.KR_M2: st.decimals(0, 3000, places=2).map(danish),
}


def screening_file(world):
    """A CSV of figures for known afdelinger, sometimes with one bad cell, an unknown afdeling or an
    unknown column; or bytes that are no CSV at all."""
    identifiers = [(a.organisation.navn, a.nummer) for a in (world.own.afdeling, world.foreign.afdeling)]
    indicators = list(Indikator.objects.filter(niveau__in=["begge", "afdeling"]).order_by("kode"))

    @st.composite
    def csv_file(draw):
        chosen = draw(st.lists(st.sampled_from(indicators), min_size=1, max_size=4, unique=True))
        named = draw(st.lists(st.sampled_from(identifiers), min_size=1, max_size=2, unique=True))
        table = [["organisation", "afdeling_nr", *(i.kode for i in chosen)]]
        table += [[*ident, *(draw(INDICATOR_VALUES[i.enhed]) for i in chosen)] for ident in named]
        mistake = draw(st.sampled_from(["ingen", "ingen", "celle", "afdeling", "kolonne"]))
        if mistake == "celle":
            table[draw(st.integers(1, len(named)))][draw(st.integers(2, len(chosen) + 1))] = draw(JUNK)
        elif mistake == "afdeling":
            table[1][:2] = ["Ukendt", "99-99"]
        elif mistake == "kolonne":
            table[0][-1] = draw(WORDS)
        text = io.StringIO()
        csv.writer(text, delimiter=draw(st.sampled_from([";", ","]))).writerows(table)
        return text.getvalue().encode(), table

    return st.one_of(csv_file(), st.binary(max_size=200).map(lambda content: (content, None)))


def test_screening_upload(client, world):
    client = logged_in(client, world.users["medarbejder"])
    url = reverse("screening_import")
    indicator_codes = set(Indikator.objects.values_list("kode", flat=True))
    afdeling_by_ident = {
        (a.organisation.navn, a.nummer): a for a in (world.own.afdeling, world.foreign.afdeling)
    }

    @fuzz
    @given(
        upload=screening_file(world),
        filename=st.sampled_from(["tal.csv", "tal.csv", "tal.xlsx", "tal.pdf"]),
        aar=st.one_of(st.just(str(SCREENING_YEAR)), st.integers(1980, 2110).map(str), TEXT),
    )
    def post(upload, filename, aar):
        content, table = upload
        with rolled_back():
            before = [rows(model.objects.all()) for model in (Maaling, Screeningsrunde, Screeningsimport)]
            handle = io.BytesIO(content)
            handle.name = filename
            response = client.post(url, {"fil": handle, "aar": aar})
            assert response.status_code in (302, 400)
            if response.status_code == 400:
                after = [rows(model.objects.all()) for model in (Maaling, Screeningsrunde, Screeningsimport)]
                assert after == before
                return
            assert table is not None
            header, *data = table
            for ident, *values in ((tuple(row[:2]), *row[2:]) for row in data):
                for code, value in zip(header[2:], values, strict=True):
                    if code in indicator_codes and value.strip():
                        stored = Maaling.objects.get(
                            runde__aar=int(aar), afdeling=afdeling_by_ident[ident], indikator__kode=code
                        )
                        assert stored.vaerdi == parse_decimal(value)

    post()


# --- A budget line ---------------------------------------------------------------------------------


def test_budget_line_edit(client, world):
    client = logged_in(client, world.users["medarbejder"])
    line, version = world.own.linje, world.own.version
    url = reverse("budget_line_edit", args=[version.indsats_id, version.nummer, line.pk])
    prefix = f"linje-{line.pk}-"

    @fuzz
    @given(amount=NUMBER_TEXT, note=st.one_of(TEXT, st.text(max_size=600)), remove=st.booleans())
    def post(amount, note, remove):
        data = {f"{prefix}beloeb": amount, f"{prefix}note": note, **({"slet": "1"} if remove else {})}
        with rolled_back():
            before = rows(Budgetlinje.objects.filter(version=version))
            response = client.post(url, data)
            assert response.status_code in (302, 400)
            if response.status_code == 400:
                assert rows(Budgetlinje.objects.filter(version=version)) == before
                return
            stored = Budgetlinje.objects.filter(pk=line.pk).first()
            if remove or (parse_amount(amount) == 0 and not note.strip()):
                assert stored is None
            else:
                assert (stored.beloeb, stored.note) == (parse_amount(amount), note.strip())
            others = rows(Budgetlinje.objects.filter(version=version).exclude(pk=line.pk))
            assert others == [row for row in before if row["id"] != line.pk]

    post()


# --- A funder's decision ---------------------------------------------------------------------------


def test_decision(client, world):
    client = logged_in(client, world.users["sekretariat"])
    plan = world.own.funder_plan
    url = reverse("plan_decision_create", args=[plan.pk])
    valid = st.fixed_dictionaries(
        {
            "organ": st.sampled_from([Beslutning.Organ.LBF, Beslutning.Organ.KOMMUNE]),
            "udfald": st.sampled_from(Beslutning.Udfald.values),
            "dato": ISO_DATE,
            "journalnummer": st.one_of(st.just(""), WORDS),
            "bevilget_beloeb": st.one_of(st.just(""), st.sampled_from(["18.750.000,00", "1,5", "abc", "-3"])),
            "afvigelse_begrundelse": st.one_of(st.just(""), WORDS),
            "betingelse-TOTAL_FORMS": st.just("1"),
            "betingelse-INITIAL_FORMS": st.just("0"),
            "betingelse-0-tekst": st.one_of(st.just(""), WORDS),
            "betingelse-0-frist": st.one_of(st.just(""), ISO_DATE),
            "betingelse-0-ansvarlig": st.sampled_from(["", str(world.users["medarbejder"].pk), "999999"]),
            "bemaerkning": st.one_of(st.just(""), WORDS),
            "fase_nr": st.sampled_from([str(plan.fase_nr), str(plan.fase_nr - 1)]),
        }
    )

    @fuzz
    @given(data=mostly_valid(valid), document=st.one_of(st.none(), DOCUMENT))
    def post(data, document):
        if document is not None:
            data = {**data, "dokument": SimpleUploadedFile(*document)}
        with rolled_back():
            before = [rows(model.objects.filter(plan=plan)) for model in (Beslutning, Haendelse)]
            plan_before = rows(Helhedsplan.objects.filter(pk=plan.pk))
            files_before = stored_files(plan)
            response = client.post(url, data)
            assert response.status_code in (302, 400, 403, 409)
            new = Beslutning.objects.filter(plan=plan).exclude(pk__in=[row["id"] for row in before[0]])
            if response.status_code != 302:
                assert [rows(model.objects.filter(plan=plan)) for model in (Beslutning, Haendelse)] == before
                assert rows(Helhedsplan.objects.filter(pk=plan.pk)) == plan_before
                assert stored_files(plan) == files_before
                return
            decision = new.get()
            assert (decision.organ, decision.udfald, decision.dato.isoformat()) == (
                data["organ"],
                data["udfald"],
                data["dato"],
            )
            condition = data["betingelse-0-tekst"].strip()
            assert [c.tekst for c in decision.betingelser.all()] == ([condition] if condition else [])
            if document is not None:
                name, content = document
                assert decision.dokument_navn == name and decision.dokument.read() == content
            assert Haendelse.objects.filter(plan=plan, beslutning=decision).count() == 1

    post()


# --- An afdelingsmøde's votes ----------------------------------------------------------------------


@st.composite
def meeting_form(draw, lejemaal):
    """A meeting as it is registered: its date and notice; then the votes (at most 2 per household present)
    or none yet; and perhaps a ballot of all households (at most 2 votes per lejemål)."""
    held = draw(st.dates(date(2024, 1, 1), date(2026, 12, 31)))
    notice = draw(st.one_of(st.just(""), st.dates(date(2023, 6, 1), held).map(date.isoformat)))
    data = {"dato": held.isoformat(), "indkaldt_dato": notice, "urafstemning": ""}
    data.update(dict.fromkeys(["husstande", "stemmer_for", "stemmer_imod", "stemmer_blanke"], ""))
    data.update(dict.fromkeys(["ur_for", "ur_imod", "ur_blanke"], ""))
    if draw(st.booleans()):
        households = draw(st.integers(0, 300))
        data["husstande"] = str(households)
        left = 2 * households
        for name in ("stemmer_for", "stemmer_imod", "stemmer_blanke"):
            votes = draw(st.integers(0, left))
            data[name], left = str(votes), left - votes
        if draw(st.booleans()):
            data["urafstemning"] = "on"
            left = 2 * lejemaal
            for name in ("ur_for", "ur_imod", "ur_blanke"):
                votes = draw(st.integers(0, left))
                data[name], left = str(votes), left - votes
    return data


# What registering a meeting writes: the meeting, its decision and the plan's event.
MEETING_RECORDS = (Afdelingsmoede, Beslutning, Haendelse)


def test_meeting_votes(client, world):
    client = logged_in(client, world.users["medarbejder"])
    plan, afdeling = world.own.plan, world.own.afdeling
    url = reverse("plan_meeting_edit", args=[plan.pk, afdeling.pk])
    numbers = ["husstande", "stemmer_for", "stemmer_imod", "stemmer_blanke", "ur_for", "ur_imod", "ur_blanke"]

    @fuzz
    @given(data=mostly_valid(meeting_form(afdeling.lejemaal)), minutes=st.one_of(st.none(), DOCUMENT))
    def post(data, minutes):
        if minutes is not None:
            data = {**data, "nyt_referat": SimpleUploadedFile(*minutes)}
        with rolled_back():
            before = [rows(model.objects.filter(plan=plan)) for model in MEETING_RECORDS]
            files_before = stored_files(plan)
            response = client.post(url, data)
            assert response.status_code in (302, 400)
            if response.status_code == 400:
                assert [rows(model.objects.filter(plan=plan)) for model in MEETING_RECORDS] == before
                assert stored_files(plan) == files_before
                return
            meeting = Afdelingsmoede.objects.get(plan=plan, afdeling=afdeling, runde=plan.moederunde)
            for name in numbers:
                typed = data[name].strip()
                assert getattr(meeting, name) == (Decimal(typed) if typed else None), name
            votes = (meeting.stemmer_for, meeting.stemmer_imod, meeting.stemmer_blanke)
            if meeting.husstande is not None:
                assert sum(votes) <= 2 * meeting.husstande
            if minutes is not None:
                name, content = minutes
                assert meeting.referat_navn == name and meeting.referat.read() == content
            decision = Beslutning.objects.filter(afdelingsmoede=meeting).first()
            if meeting.har_resultat:
                expected = Beslutning.Udfald.GODKENDT if meeting.vedtaget else Beslutning.Udfald.AFVIST
                assert decision is not None and decision.udfald == expected
            else:
                assert decision is None

    post()
