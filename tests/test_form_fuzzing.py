"""Random input to the forms: the afdeling, board member and indsats forms, the plan's text, an activity, a
goal, a budget cell and line, the fordelingsnøgle, the screening upload and the regnskab import, a funder's
decision and an afdelingsmøde's votes. Whatever is posted, the answer is never a 500; a refused form leaves
the database exactly as it was; an accepted one stores every field as it was typed (read back from the stored
rows, or from the form as its page shows it again). Each test records its outcomes (`hypothesis.event`) and
fails unless both accepted and refused submissions happened, so it cannot pass by refusing everything.

Each example runs in its own savepoint, rolled back afterwards, inside the module's world (tests/world.py). On
CI the examples are drawn from a fixed seed (the "ci" profile in tests/conftest.py).
"""

import csv
import io
import re
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

import pytest
from django.contrib.auth.models import User
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import event, given, settings
from hypothesis import strategies as st

from config.web.tabular import parse_decimal
from finansiering.forms import parse_amount
from finansiering.models import Budgetlinje, Fordelingsnoegle, Regnskabslinje
from helhedsplaner.models import Afdelingsmoede, Beslutning, Haendelse, Helhedsplan
from indsatser.models import Aktivitet, Aktivitetstype, Indsats, Maalsaetning
from screening import afdeling_picker, criteria
from screening.models import (
    Afdeling,
    Bestyrelsesmedlem,
    Indikator,
    Maaling,
    Screeningsimport,
    Screeningsrunde,
)
from tests.factories import HelhedsplanFactory
from tests.logins import log_in
from tests.page_forms import page_form
from tests.world import BUDGET_YEAR, PDF, SCREENING_YEAR, module_world

pytestmark = pytest.mark.django_db

# Each test runs its examples through an inner function, so the fixtures (client, world) are shared by
# all examples on purpose; each example rolls its own changes back.
fuzz = settings(max_examples=40, deadline=None)


class Outcomes:
    """What a test's examples came to. A test proves little unless some were accepted and some refused."""

    def __init__(self):
        self.seen = set()

    def accepted(self):
        self.seen.add("accepted")
        event("accepted")

    def refused(self, status):
        self.seen.add("refused")
        event(f"refused ({status})")

    def assert_both(self):
        assert self.seen == {"accepted", "refused"}, f"only {self.seen or 'nothing'} happened"


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
    log_in(client, user)
    return client


# --- The afdeling form -----------------------------------------------------------------------------


def perturbed(baseline: dict[str, list[str]], alternatives: dict):
    """The form as its page shows it (`baseline`), with some fields given other values a person could type
    (`alternatives`: field name to a strategy of a value or a list of values) and at most one given junk."""

    @st.composite
    def form(draw):
        data = {name: list(values) for name, values in baseline.items()}
        for name in draw(st.sets(st.sampled_from(sorted(alternatives)), max_size=3)):
            value = draw(alternatives[name])
            data[name] = value if isinstance(value, list) else [value]
        for name in draw(st.sets(st.sampled_from(sorted(data)), max_size=1)):
            data[name] = [draw(JUNK)]
        return data

    return form()


DANISH_NUMBER = re.compile(r"-?[\d.]*\d(,\d*)?")
SCIENTIFIC_NUMBER = re.compile(r"[-+]?\d+(\.\d+)?[eE][-+]?\d+")  # "1e5" is shown back as "1E+5"


def normal(values, zero_is_blank=False) -> list[str]:
    """Values as the form compares them: surrounding blanks and line-end style aside, numbers by value."""
    result = []
    for value in values if isinstance(values, list) else [values]:
        value = value.replace("\r\n", "\n").replace("\r", "\n").strip()
        if DANISH_NUMBER.fullmatch(value) or SCIENTIFIC_NUMBER.fullmatch(value):
            scientific = SCIENTIFIC_NUMBER.fullmatch(value)
            machine = value if scientific else value.replace(".", "").replace(",", ".")
            try:
                value = str((Decimal(machine) + 0).normalize())  # -0 is 0
            except InvalidOperation:
                pass
        result.append("" if zero_is_blank and value == "0" else value)
    return sorted(result)


FORMSET_FIELD = re.compile(r"(?P<formset>[a-z]+)-(?P<row>\d+)-(?P<field>\w+)")


def formset_rows(data, formset, fields) -> list[tuple]:
    """A formset's filled-in rows, in any order (a saved formset shows its rows sorted its own way)."""
    rows = {}
    for name, value in data.items():
        match = FORMSET_FIELD.fullmatch(name)
        if match and match["formset"] == formset and match["field"] in fields:
            rows.setdefault(match["row"], {})[match["field"]] = tuple(normal(value))
    filled = [tuple(row.get(field, ("",)) for field in fields) for row in rows.values()]
    return sorted(row for row in filled if any(value != ("",) for value in row))


def assert_form_shows(client, url, field, posted, ignore=(), zero_is_blank=(), formsets=None):
    """The form on the page at `url` (the one holding `field`) shows every posted field as it was posted
    (those named in `zero_is_blank` show a posted 0 as blank: nothing). `formsets` (prefix: the fields a
    person fills in) are compared row by row, in any order."""
    response = client.get(url)
    assert response.status_code == 200, url
    shown = page_form(response.text, field)
    for formset, fields in (formsets or {}).items():
        assert formset_rows(shown, formset, fields) == formset_rows(posted, formset, fields), formset
    for name, value in posted.items():
        if name in ignore or name == "csrfmiddlewaretoken" or name.split("-")[0] in (formsets or {}):
            continue
        if name.endswith(afdeling_picker.SEARCH_SUFFIX):
            continue  # the afdeling search's text is a question to the form, not a value it keeps
        blank = name in zero_is_blank
        assert normal(shown.get(name, []), blank) == normal(value, blank), f"{name}: posted {value!r}"


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
    assert afdeling.adresse == data["adresse"].strip()
    assert afdeling.postnr == data["postnr"].strip()
    assert afdeling.bydel == data["bydel"].strip()
    assert str(afdeling.organisation_id) == data["organisation"]
    assert str(afdeling.boligomraade_id or "") == data["boligomraade"]
    assert afdeling.lejemaal == Decimal(data["lejemaal"]) and afdeling.beboere == Decimal(data["beboere"])
    assert afdeling.areal_m2 == Decimal(data["areal_m2"].strip().replace(".", "").replace(",", "."))


@pytest.mark.parametrize("existing", [False, True], ids=["opret", "rediger"])
def test_afdeling_form(client, world, existing):
    client = logged_in(client, world.users["medarbejder"])
    afdeling = world.own.afdeling
    url = reverse("afdeling_edit", args=[afdeling.pk]) if existing else reverse("afdeling_create")
    outcomes = Outcomes()

    @fuzz
    @given(data=afdeling_data(world))
    def post(data):
        with rolled_back():
            before = rows(Afdeling.objects.all())
            response = client.post(url, data)
            assert response.status_code in (302, 400)
            if response.status_code == 400:
                outcomes.refused(400)
                assert rows(Afdeling.objects.all()) == before
                return
            outcomes.accepted()
            changed = Afdeling.objects.get(pk=afdeling.pk) if existing else Afdeling.objects.latest("pk")
            assert_afdeling_stored(changed, data)
            others = [row for row in rows(Afdeling.objects.all()) if row["id"] != changed.pk]
            assert others == [row for row in before if row["id"] != changed.pk]

    post()
    outcomes.assert_both()


# --- An afdeling's board member ----------------------------------------------------------------------


def board_member_data():
    valid = st.fixed_dictionaries(
        {
            "fornavn": WORDS,
            "efternavn": WORDS,
            "email": st.from_regex(r"\A[a-zA-Z][a-zA-Z0-9.]{0,20}@example\.org\Z"),
            "rolle": st.sampled_from(["formand", "naestformand", "medlem", "suppleant"]),
            "valgt_dato": st.one_of(st.just(""), ISO_DATE),
            "valgt_til": st.one_of(st.just(""), ISO_DATE),
        }
    )
    return mostly_valid(valid)


def assert_board_member_stored(seat, data):
    user = seat.user
    assert (user.first_name, user.last_name) == (data["fornavn"].strip(), data["efternavn"].strip())
    assert user.email == data["email"].strip().lower()
    assert seat.rolle == data["rolle"] and seat.fratraadt is None
    assert str(seat.valgt_dato or "") == data["valgt_dato"].strip()
    assert str(seat.valgt_til or "") == data["valgt_til"].strip()


@pytest.mark.parametrize("existing", [False, True], ids=["tilfoej", "rediger"])
def test_board_member_form(client, world, existing):
    client = logged_in(client, world.users["medarbejder"])
    afdeling, seat = world.own.afdeling, world.own.seat
    if existing:
        url = reverse("afdeling_bestyrelse_edit", args=[afdeling.pk, seat.pk])
    else:
        url = reverse("afdeling_bestyrelse_add", args=[afdeling.pk])
    outcomes = Outcomes()

    @fuzz
    @given(data=board_member_data())
    def post(data):
        with rolled_back():
            before = rows(Bestyrelsesmedlem.objects.all()), rows(User.objects.all())
            response = client.post(url, data)
            assert response.status_code in (302, 400)
            if response.status_code == 400:
                outcomes.refused(400)
                assert (rows(Bestyrelsesmedlem.objects.all()), rows(User.objects.all())) == before
                return
            outcomes.accepted()
            changed = (
                Bestyrelsesmedlem.objects.get(pk=seat.pk)
                if existing
                else Bestyrelsesmedlem.objects.latest("pk")
            )
            assert changed.afdeling_id == afdeling.pk
            assert_board_member_stored(changed, data)

    post()
    outcomes.assert_both()


# --- The screening upload --------------------------------------------------------------------------


INDICATOR_VALUES = {
    Indikator.Enhed.ANTAL: st.integers(0, 5000).map(str),
    Indikator.Enhed.ANDEL: st.decimals(0, 100, places=1).map(danish),
    Indikator.Enhed.INDEKS: st.decimals(0, 300, places=1).map(danish),
    Indikator.Enhed.KR_M2: st.decimals(0, 3000, places=2).map(danish),
    Indikator.Enhed.KR: st.decimals(0, 10**8, places=2).map(danish),
}


COUNT_BASIS_OF = {basis.share: basis for basis in criteria.COUNT_BASES}


def screening_file(world):
    """A CSV of figures for known afdelinger, sometimes with one bad cell, an unknown afdeling or an
    unknown column; or bytes that are no CSV at all."""
    identifiers = [(a.organisation.navn, a.nummer) for a in (world.own.afdeling, world.foreign.afdeling)]
    # Counts and their bases come in pairs, each refused alone: tests/screening/test_counts.py covers them.
    paired = {code for basis in criteria.COUNT_BASES for code in (basis.count, basis.base)}
    indicators = [
        indicator
        for indicator in Indikator.objects.filter(niveau__in=["begge", "afdeling"]).order_by("kode")
        if indicator.kode not in paired
    ]

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
    outcomes = Outcomes()

    @fuzz
    @given(
        upload=screening_file(world),
        filename=st.sampled_from(["tal.csv", "tal.csv", "tal.xlsx", "tal.pdf"]),
        # The world's round of SCREENING_YEAR is final and refuses figures: the year after is a new draft.
        aar=st.one_of(st.just(str(SCREENING_YEAR + 1)), st.integers(1980, 2110).map(str), TEXT),
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
                outcomes.refused(400)
                after = [rows(model.objects.all()) for model in (Maaling, Screeningsrunde, Screeningsimport)]
                assert after == before
                return
            outcomes.accepted()
            assert table is not None
            header, *data = table
            for ident, *values in ((tuple(row[:2]), *row[2:]) for row in data):
                given = {code: value.strip() for code, value in zip(header[2:], values, strict=True)}
                for code, value in given.items():
                    basis = COUNT_BASIS_OF.get(code)
                    if basis is not None and given.get(basis.count) and given.get(basis.base):
                        continue  # a share the import computed from the count and base in the row
                    if code in indicator_codes and value:
                        stored = Maaling.objects.get(
                            runde__aar=int(aar), afdeling=afdeling_by_ident[ident], indikator__kode=code
                        )
                        assert stored.vaerdi == parse_decimal(value)

    post()
    outcomes.assert_both()


# --- A budget line ---------------------------------------------------------------------------------


def test_budget_line_edit(client, world):
    client = logged_in(client, world.users["medarbejder"])
    line, version = world.own.linje, world.own.version
    url = reverse("budget_line_edit", args=[version.indsats_id, version.nummer, line.pk])
    prefix = f"linje-{line.pk}-"
    outcomes = Outcomes()

    @fuzz
    @given(amount=NUMBER_TEXT, note=st.one_of(TEXT, st.text(max_size=600)), remove=st.booleans())
    def post(amount, note, remove):
        data = {f"{prefix}beloeb": amount, f"{prefix}note": note, **({"slet": "1"} if remove else {})}
        with rolled_back():
            before = rows(Budgetlinje.objects.filter(version=version))
            response = client.post(url, data)
            assert response.status_code in (302, 400)
            if response.status_code == 400:
                outcomes.refused(400)
                assert rows(Budgetlinje.objects.filter(version=version)) == before
                return
            outcomes.accepted()
            stored = Budgetlinje.objects.filter(pk=line.pk).first()
            if remove or (parse_amount(amount) == 0 and not note.strip()):
                assert stored is None
            else:
                assert (stored.beloeb, stored.note) == (parse_amount(amount), note.strip())
            others = rows(Budgetlinje.objects.filter(version=version).exclude(pk=line.pk))
            assert others == [row for row in before if row["id"] != line.pk]

    post()
    outcomes.assert_both()


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
    outcomes = Outcomes()

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
            # The secretariat records the funders' decisions: a 403 would be a failure, not a refusal.
            assert response.status_code in (302, 400, 409)
            new = Beslutning.objects.filter(plan=plan).exclude(pk__in=[row["id"] for row in before[0]])
            if response.status_code != 302:
                outcomes.refused(response.status_code)
                assert [rows(model.objects.filter(plan=plan)) for model in (Beslutning, Haendelse)] == before
                assert rows(Helhedsplan.objects.filter(pk=plan.pk)) == plan_before
                assert stored_files(plan) == files_before
                return
            outcomes.accepted()
            decision = new.get()
            assert (decision.organ, decision.udfald, decision.dato.isoformat()) == (
                data["organ"],
                data["udfald"],
                data["dato"],
            )
            assert decision.journalnummer == data["journalnummer"].strip()
            assert decision.bemaerkning == data["bemaerkning"].strip()
            assert decision.afvigelse_begrundelse == data["afvigelse_begrundelse"].strip()
            typed_amount = data["bevilget_beloeb"].strip()
            assert decision.bevilget_beloeb == (parse_amount(typed_amount) if typed_amount else None)
            condition = data["betingelse-0-tekst"].strip()
            conditions = list(decision.betingelser.all())
            assert [c.tekst for c in conditions] == ([condition] if condition else [])
            if condition:
                deadline, responsible = data["betingelse-0-frist"], data["betingelse-0-ansvarlig"]
                assert (conditions[0].frist.isoformat() if conditions[0].frist else "") == deadline
                assert str(conditions[0].ansvarlig_id or "") == responsible
            if document is not None:
                name, content = document
                assert decision.dokument_navn == name and decision.dokument.read() == content
            assert Haendelse.objects.filter(plan=plan, beslutning=decision).count() == 1

    post()
    outcomes.assert_both()


# --- An afdelingsmøde's votes ----------------------------------------------------------------------


@st.composite
def meeting_form(draw, lejemaal, started):
    """A meeting as it is registered: its date (from the day the plan was sent to the afdelingsmøder, a day
    before it now and then) and notice; then the votes (at most 2 per household present; only for a meeting
    held by today) or none yet; and perhaps a ballot of all households (at most 2 votes per lejemål)."""
    today = timezone.localdate()
    held = draw(st.dates(started - timedelta(days=1), started + timedelta(days=400)))
    has_votes = draw(st.booleans())
    if has_votes:
        held = min(held, today)
    notice = draw(st.one_of(st.just(""), st.dates(held - timedelta(days=200), held).map(date.isoformat)))
    data = {"dato": held.isoformat(), "indkaldt_dato": notice, "urafstemning": ""}
    data.update(dict.fromkeys(["husstande", "stemmer_for", "stemmer_imod", "stemmer_blanke"], ""))
    data.update(dict.fromkeys(["ur_for", "ur_imod", "ur_blanke"], ""))
    if has_votes:
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
    outcomes = Outcomes()
    started = plan.moederunde_startet(plan.moederunde)

    @fuzz
    @given(
        data=mostly_valid(meeting_form(afdeling.lejemaal, started)), minutes=st.one_of(st.none(), DOCUMENT)
    )
    def post(data, minutes):
        if minutes is not None:
            data = {**data, "nyt_referat": SimpleUploadedFile(*minutes)}
        with rolled_back():
            before = [rows(model.objects.filter(plan=plan)) for model in MEETING_RECORDS]
            files_before = stored_files(plan)
            response = client.post(url, data)
            assert response.status_code in (302, 400)
            if response.status_code == 400:
                outcomes.refused(400)
                assert [rows(model.objects.filter(plan=plan)) for model in MEETING_RECORDS] == before
                assert stored_files(plan) == files_before
                return
            outcomes.accepted()
            meeting = Afdelingsmoede.objects.get(plan=plan, afdeling=afdeling, runde=plan.moederunde)
            for name in numbers:
                typed = data[name].strip()
                assert getattr(meeting, name) == (Decimal(typed) if typed else None), name
            assert meeting.dato.isoformat() == data["dato"].strip()
            notice = data["indkaldt_dato"].strip()
            assert (meeting.indkaldt_dato.isoformat() if meeting.indkaldt_dato else "") == notice
            assert meeting.urafstemning == (data["urafstemning"].lower() not in ("", "false"))
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
    outcomes.assert_both()


# --- The indsats form ------------------------------------------------------------------------------


def test_indsats_form(client, world):
    client = logged_in(client, world.users["medarbejder"])
    url = reverse("indsats_edit", args=[world.own.indsats.pk])
    afdelinger = [str(a.pk) for a in (world.own.afdeling, world.second_afdeling, world.foreign.afdeling)]
    alternatives = {
        "titel": st.one_of(WORDS, TEXT),
        "beskrivelse": TEXT,
        "startdato": ISO_DATE,
        "slutdato": ISO_DATE,
        "afdelinger": st.lists(st.sampled_from(afdelinger), max_size=3, unique=True),
    }
    baseline = page_form(client.get(url).text, "titel")
    outcomes = Outcomes()

    @fuzz
    @given(data=perturbed(baseline, alternatives))
    def post(data):
        with rolled_back():
            before = rows(Indsats.objects.all()), rows(Indsats.afdelinger.through.objects.all())
            response = client.post(url, data)
            assert response.status_code in (302, 400)
            if response.status_code == 400:
                outcomes.refused(400)
                assert (rows(Indsats.objects.all()), rows(Indsats.afdelinger.through.objects.all())) == before
                return
            outcomes.accepted()
            assert_form_shows(client, url, "titel", data)

    post()
    outcomes.assert_both()


# --- The plan's text -------------------------------------------------------------------------------


def test_plan_text(client, world):
    client = logged_in(client, world.users["medarbejder"])
    # A new plan: its text is open for editing (the world's plans are past that phase).
    plan = HelhedsplanFactory(
        indsats__titel="Planen til fuzzing",
        indsats__afdelinger=[world.second_afdeling],
        indsats__ansvarlig=world.users["medarbejder"],
    )
    url = reverse("plan_text_edit", args=[plan.pk])
    alternatives = {
        "titel": st.one_of(WORDS, TEXT),
        **{name: st.one_of(WORDS, TEXT, st.text(max_size=400)) for name in ("resume", "analyse", "maal")},
        "organisering": TEXT,
        "varighed_aar": st.integers(0, 12).map(str),
        "planlagt_start": st.one_of(st.just(""), ISO_DATE),
    }
    baseline = page_form(client.get(url).text, "resume")
    outcomes = Outcomes()

    @fuzz
    @given(data=perturbed(baseline, alternatives))
    def post(data):
        with rolled_back():
            before = rows(Helhedsplan.objects.all()), rows(Indsats.objects.all())
            response = client.post(url, data)
            assert response.status_code in (302, 400, 409)
            if response.status_code != 302:
                outcomes.refused(response.status_code)
                assert (rows(Helhedsplan.objects.all()), rows(Indsats.objects.all())) == before
                return
            outcomes.accepted()
            # The version the form was opened on is the next one now.
            assert_form_shows(client, url, "resume", data, ignore=("version",))

    post()
    outcomes.assert_both()


# --- An activity and a goal ------------------------------------------------------------------------


def test_new_activity(client, world):
    client = logged_in(client, world.users["medarbejder"])
    indsats, existing = world.own.indsats, world.own.aktivitet
    url = reverse("aktivitet_create", args=[indsats.pk])
    shown = page_form(
        client.get(reverse("aktivitet_edit", args=[indsats.pk, existing.pk])).text,
        f"akt{existing.pk}-betegnelse",
    )
    # The form for a new activity is the edit form under another prefix.
    baseline = {name.replace(f"akt{existing.pk}-", "ny-"): values for name, values in shown.items()}
    years = [name for name in baseline if name.startswith("ny-deltagere_")]
    types = [str(pk) for pk in Aktivitetstype.objects.filter(i_brug=True).values_list("pk", flat=True)[:5]]
    alternatives = {
        "ny-betegnelse": st.one_of(WORDS, TEXT),
        "ny-beskrivelse": TEXT,
        "ny-status": st.sampled_from(Aktivitet.Status.values),
        "ny-aktivitetstype": st.sampled_from(types),
        **dict.fromkeys(years, st.one_of(st.just(""), COUNT)),
    }
    outcomes = Outcomes()

    @fuzz
    @given(data=perturbed(baseline, alternatives))
    def post(data):
        with rolled_back():
            before = rows(Aktivitet.objects.all())
            response = client.post(url, data)
            assert response.status_code in (302, 400)
            if response.status_code == 400:
                outcomes.refused(400)
                assert rows(Aktivitet.objects.all()) == before
                return
            outcomes.accepted()
            new = Aktivitet.objects.exclude(pk__in=[row["id"] for row in before]).get()
            prefix = f"akt{new.pk}-"
            as_edited = {name.replace("ny-", prefix, 1): value for name, value in data.items()}
            edit_url = reverse("aktivitet_edit", args=[indsats.pk, new.pk])
            assert_form_shows(client, edit_url, f"{prefix}betegnelse", as_edited)

    post()
    outcomes.assert_both()


def test_goal(client, world):
    client = logged_in(client, world.users["medarbejder"])
    indsats, goal = world.own.indsats, world.own.maalsaetning
    url = reverse("maalsaetning_edit", args=[indsats.pk, goal.pk])
    prefix = f"maal{goal.pk}-"
    baseline = page_form(client.get(url).text, f"{prefix}beskrivelse")
    figures = [name for name in baseline if re.fullmatch(rf"{prefix}maalt?_\d{{4}}", name)]
    decimal_text = st.decimals(-1000, 10**6, places=2, allow_nan=False).map(danish)
    alternatives = {
        f"{prefix}beskrivelse": TEXT,
        f"{prefix}baseline": st.one_of(st.just(""), decimal_text),
        f"{prefix}baseline_aar": st.one_of(st.just(""), st.integers(1980, 2110).map(str)),
        **dict.fromkeys(figures, st.one_of(st.just(""), decimal_text)),
    }
    outcomes = Outcomes()

    @fuzz
    @given(data=perturbed(baseline, alternatives))
    def post(data):
        with rolled_back():
            before = rows(Maalsaetning.objects.all()), rows(goal.maaltal.model.objects.all())
            response = client.post(url, data)
            assert response.status_code in (302, 400)
            if response.status_code == 400:
                outcomes.refused(400)
                assert (rows(Maalsaetning.objects.all()), rows(goal.maaltal.model.objects.all())) == before
                return
            outcomes.accepted()
            assert_form_shows(client, url, f"{prefix}beskrivelse", data)

    post()
    outcomes.assert_both()


# --- A budget cell and the fordelingsnøgle ---------------------------------------------------------


def test_budget_cell(client, world):
    client = logged_in(client, world.users["medarbejder"])
    side = world.own
    version, line = side.version, side.linje
    cell = {"aar": BUDGET_YEAR, "omraade_pk": side.indsatsomraade.pk, "type_pk": side.omkostningstype.pk}
    url = reverse("budget_cell", kwargs={"indsats_pk": version.indsats_id, "nummer": version.nummer, **cell})
    name = f"c-{BUDGET_YEAR}-{side.indsatsomraade.pk}-{side.omkostningstype.pk}"
    outcomes = Outcomes()

    @fuzz
    @given(amount=NUMBER_TEXT)
    def post(amount):
        with rolled_back():
            before = rows(Budgetlinje.objects.all())
            response = client.post(url, {name: amount}, headers={"HX-Request": "true"})
            assert response.status_code in (200, 400)
            if response.status_code == 400:
                outcomes.refused(400)
                assert rows(Budgetlinje.objects.all()) == before
                return
            outcomes.accepted()
            stored = Budgetlinje.objects.filter(pk=line.pk).first()
            typed = parse_amount(amount) if amount.strip() else Decimal(0)
            assert (stored.beloeb if stored else Decimal(0)) == typed
            assert (stored.note if stored else line.note) == line.note  # the cell leaves the note alone
            others = [row for row in rows(Budgetlinje.objects.all()) if row["id"] != line.pk]
            assert others == [row for row in before if row["id"] != line.pk]

    post()
    outcomes.assert_both()


def test_fordelingsnoegle(client, world):
    client = logged_in(client, world.users["medarbejder"])
    indsats_pk = world.own.plan.indsats_id
    url = reverse("finansiering_edit", args=[indsats_pk])
    baseline = page_form(client.get(url).text, "noegle-afvigelsesgraense")
    percent = st.decimals(0, 100, places=2).map(danish)
    alternatives = {
        **{name: percent for name in baseline if name.endswith(("-procent", "-procentpoint"))},
        **{name: WORDS for name in baseline if re.fullmatch(r"(parter|anvendelser)-\d+-navn", name)},
        **{
            name: st.decimals(0, 10**6, places=2).map(danish)
            for name in baseline
            if name.startswith("aftalt-")
        },
        "noegle-afvigelsesgraense": percent,
    }
    outcomes = Outcomes()

    @fuzz
    @given(data=perturbed(baseline, alternatives))
    def post(data):
        with rolled_back():
            before = rows(Fordelingsnoegle.objects.all())
            response = client.post(url, data, follow=True)
            if "Fordelingsnøglen er gemt." not in response.text:
                outcomes.refused(response.redirect_chain or response.status_code)
                assert rows(Fordelingsnoegle.objects.all()) == before
                return
            outcomes.accepted()
            agreed = [name for name in data if name.startswith("aftalt-")]  # 0 kr. agreed: no agreement
            formsets = {"parter": ("navn", "art", "procent"), "anvendelser": ("navn", "procentpoint")}
            assert_form_shows(
                client, url, "noegle-afvigelsesgraense", data, zero_is_blank=agreed, formsets=formsets
            )

    post()
    outcomes.assert_both()


# --- The regnskab import ---------------------------------------------------------------------------


def test_regnskab_import(client, world):
    client = logged_in(client, world.users["medarbejder"])
    side = world.own
    url = reverse("regnskab_import", args=[side.plan.indsats_id])
    lines = st.tuples(
        st.one_of(st.just(str(BUDGET_YEAR)), st.just(str(BUDGET_YEAR + 1)), JUNK),
        st.one_of(st.just(side.indsatsomraade.navn), WORDS),
        st.one_of(st.just(side.omkostningstype.navn), WORDS),
        st.one_of(st.decimals(0, 10**6, places=2).map(danish), NUMBER_TEXT),
        st.one_of(st.just(""), WORDS),
    )
    outcomes = Outcomes()

    @fuzz
    @given(
        table=st.lists(lines, min_size=1, max_size=3),
        delimiter=st.sampled_from([";", ","]),
        filename=st.sampled_from(["regnskab.csv", "regnskab.csv", "regnskab.xlsx", "regnskab.txt"]),
    )
    def post(table, delimiter, filename):
        text = io.StringIO()
        writer = csv.writer(text, delimiter=delimiter)
        writer.writerow(["aar", "indsatsomraade", "omkostningstype", "beloeb", "note"])
        writer.writerows(table)
        handle = io.BytesIO(text.getvalue().encode())
        handle.name = filename
        with rolled_back():
            before = rows(Regnskabslinje.objects.all())
            response = client.post(url, {"fil": handle})
            assert response.status_code in (302, 400)
            if response.status_code == 400:
                outcomes.refused(400)
                assert rows(Regnskabslinje.objects.all()) == before
                return
            outcomes.accepted()
            last = {}  # a later row for the same cell wins
            for aar, _omraade, _type, amount, note in table:
                if amount.strip():  # a row without an amount is left out, as in the template to fill in
                    last[int(parse_decimal(aar))] = (parse_amount(amount), note.strip())
            for aar, (amount, note) in last.items():
                stored = Regnskabslinje.objects.filter(
                    indsats_id=side.plan.indsats_id,
                    aar=aar,
                    indsatsomraade=side.indsatsomraade,
                    omkostningstype=side.omkostningstype,
                ).first()
                if stored is None:
                    assert amount == 0
                else:
                    assert (stored.beloeb, stored.note) == (amount, note)

    post()
    outcomes.assert_both()
