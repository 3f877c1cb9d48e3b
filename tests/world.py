"""A small world with two sides: what the board member sits on ("own") and what they must never see
("foreign"), each with an afdeling, an indsats, a helhedsplan, a budget, uploads, a comment and packs,
plus a screening round with figures. Built once per test module (see `module_world`).

Every text and every uploaded file on a side carries the side's name, followed by what it is ("Zulu-referat"),
so a leak is found by searching for the name and told apart by the rest of the mark."""

import io
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import override_settings
from pypdf import PdfWriter

from config.api import actions as api_actions
from config.api.models import ApiToken
from finansiering import actions as budget_actions
from finansiering.models import Budgetlinje, Budgetversion, Omkostningstype
from helhedsplaner import aarscyklus, actions, lifecycle, queries
from helhedsplaner.models import (
    Aarsstatus,
    Aendringsanmodning,
    Aendringsbeslutning,
    Afdelingsmoede,
    Beslutning,
    Betingelse,
    Bilag,
    Helhedsplan,
    Kommentar,
    Milepael,
    Organisationsmedlem,
    Pakke,
    Pakkeeksport,
    Rapporteringsforpligtelse,
)
from indsatser.models import (
    Aktivitet,
    Finansieringsperiode,
    Indsats,
    Indsatsomraade,
    Kontaktperson,
    Maalsaetning,
)
from screening import results
from screening.models import (
    Afdeling,
    Bestyrelsesmedlem,
    Boligomraade,
    Maaling,
    OfficielListeplacering,
    Screeningsimport,
    Screeningsrunde,
)
from tests.factories import (
    AfdelingFactory,
    BestyrelsesmedlemFactory,
    HelhedsplanFactory,
    OmraadeFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.helhedsplaner.conftest import place
from tests.indsatser.factories import (
    AktivitetFactory,
    KontaktpersonFactory,
    MaalsaetningFactory,
    active_indsats,
)
from tests.screening.screening_data import BAD_FIGURES, CALM_FIGURES, make_round, measure

# Every text and file on the foreign side carries this word, so a leak to the board member is easy to spot.
FOREIGN_MARK = "Zulu"
# The own side's word: a user without a role sees neither side.
OWN_MARK = "Alfa"


def one_page_pdf() -> bytes:
    """A PDF of one blank page: what the attachment upload accepts."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_saying(text: str) -> bytes:
    """A one-page PDF whose text (ASCII) is `text`, as pypdf reads it back."""
    stream = f"BT /F1 12 Tf 72 770 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    pdf, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(pdf)


PDF = one_page_pdf()
SCREENING_YEAR = 2025
BUDGET_YEAR = 2025


@dataclass
class Side:
    afdeling: Afdeling
    omraade: Boligomraade
    kontaktperson: Kontaktperson
    indsats: Indsats
    aktivitet: Aktivitet
    maalsaetning: Maalsaetning
    plan: Helhedsplan  # at the afdelingsmøder: open for comments, meetings can be recorded
    funder_plan: Helhedsplan  # waiting for LBF's and the kommune's decisions
    aendring: Aendringsanmodning  # of an active plan, sent: waiting for LBF's and the kommune's decisions
    change_decision: Aendringsbeslutning  # LBF's on the change, with its letter: the kommune's is awaited
    version: Budgetversion
    linje: Budgetlinje
    indsatsomraade: Indsatsomraade
    omkostningstype: Omkostningstype
    decision: Beslutning
    condition: Betingelse  # of LBF's tilsagn on the funder plan: open, with a document
    meeting: Afdelingsmoede
    comment: Kommentar
    member: Organisationsmedlem
    attachment: Bilag
    finished_pack: Pakke
    failed_pack: Pakke
    seat: Bestyrelsesmedlem  # a board member of the afdeling invited by e-mail, who has no password yet
    obligation: Rapporteringsforpligtelse  # the active plan's accounts for BUDGET_YEAR: open
    aarsstatus: Aarsstatus  # the active plan's status for BUDGET_YEAR, with the auditor's statement
    milestone: Milepael  # the active plan's, in BUDGET_YEAR
    api_token: ApiToken  # the board member's own on the own side, staff's on the foreign side


@dataclass
class World:
    own: Side
    foreign: Side
    runde: Screeningsrunde
    screening_job: Screeningsimport
    screening_report: Pakke  # finished
    failed_screening_report: Pakke
    pack_export: Pakkeeksport  # finished
    failed_pack_export: Pakkeeksport
    # The board member's second afdeling, in another organisation: they sit on two afdelinger.
    second_afdeling: Afdeling
    # by role: bestyrelse, sekretariat, medarbejder, administrator; "uden" has no role, "inaktiv" is the board
    # member's deactivated colleague on the same afdeling
    users: dict[str, User]


def _side(name, organisation, omraade, staff, commenter, board_member=None) -> Side:
    afdeling = AfdelingFactory(
        navn=f"{name}parken",
        adresse=f"{name}vej 1",
        bydel=f"{name}-bydelen",
        organisation=organisation,
        boligomraade=omraade,
    )
    if board_member is not None:
        BestyrelsesmedlemFactory(user=board_member, afdeling=afdeling)
    indsats = active_indsats(titel=f"{name}-indsatsen", afdelinger=[afdeling])
    periode = Finansieringsperiode.objects.get(navn="2019-26")
    plans = [
        HelhedsplanFactory(
            indsats__titel=f"{name}-planen{suffix}",
            indsats__afdelinger=[afdeling],
            indsats__ansvarlig=staff,
            indsats__startdato=date(BUDGET_YEAR, 1, 1),
            indsats__slutdato=date(BUDGET_YEAR + 1, 12, 31),
            indsats__periode=periode,
        )
        for suffix in ("", " til godkendelse")
    ]
    plan = place(plans[0], lifecycle.AFDELINGSMOEDER)
    funder_plan = place(plans[1], lifecycle.GODKENDELSE)

    indsatsomraade = periode.indsatsomraader.order_by("sortering").first()
    omkostningstype = Omkostningstype.objects.get(kode="loen")
    aendring = _sent_change_request(name, afdeling, staff, periode, indsatsomraade, omkostningstype)
    version = budget_actions.create_version(plan.indsats, "praekvalifikation", acting_user=staff)
    linje = budget_actions.save_budget_line(
        version,
        BUDGET_YEAR,
        indsatsomraade,
        omkostningstype,
        Decimal("100000.00"),
        f"{name}-projektleder",
        acting_user=staff,
    )

    change_decision = Aendringsbeslutning(
        anmodning=aendring,
        organ=Beslutning.Organ.LBF,
        dato=date(2025, 10, 1),
        udfald=Beslutning.Udfald.GODKENDT,
        registreret_af=staff,
        journalnummer=f"{name}-aendringsjournal",
        dokument_navn=f"{name}-aendringsbeslutning.pdf",
    )
    change_decision.dokument.save(
        "beslutning.pdf", ContentFile(pdf_saying(f"{name}-aendringsbeslutningen")), save=True
    )
    decision = Beslutning(
        plan=plan,
        organ=Beslutning.Organ.ORGANISATIONSBESTYRELSE,
        dato=date(2025, 3, 1),
        udfald=Beslutning.Udfald.GODKENDT,
        fase=lifecycle.ORGANISATIONSBESTYRELSE,
        fase_nr=0,
        registreret_af=staff,
        journalnummer=f"{name}-journal",
        bemaerkning=f"{name}-bemaerkningen",
        dokument_navn=f"{name}-beslutning.pdf",
    )
    decision.dokument.save(
        "beslutning.pdf", ContentFile(pdf_saying(f"{name}-beslutningsdokumentet")), save=True
    )
    grant = Beslutning.objects.create(
        plan=funder_plan,
        organ=Beslutning.Organ.LBF,
        dato=date(2025, 9, 1),
        udfald=Beslutning.Udfald.GODKENDT_MED_BETINGELSER,
        bevilget_beloeb=Decimal("75000.00"),
        fase=lifecycle.GODKENDELSE,
        fase_nr=funder_plan.fase_nr,
        registreret_af=staff,
    )
    # The plan has no tilsagn: its payments carry a reason.
    budget_actions.add_expected_payment(
        plan.indsats,
        part="lbf",
        dato=date(2026, 3, 1),
        beloeb=Decimal("40000.00"),
        beskrivelse=f"{name}-raten",
        begrundelse=f"{name}-rategrunden er aftalt med fonden skriftligt",
        tilsagn=None,
        acting_user=staff,
    )
    budget_actions.record_payment(
        plan.indsats,
        part="lbf",
        dato=date(2026, 3, 5),
        beloeb=Decimal("40000.00"),
        reference=f"{name}-referencen",
        begrundelse=f"{name}-betalingsgrunden er aftalt med fonden skriftligt",
        tilsagn=None,
        acting_user=staff,
    )
    condition = Betingelse(
        plan=funder_plan,
        beslutning=grant,
        tekst=f"{name}-betingelsen",
        frist=date(2026, 6, 30),
        ansvarlig=staff,
        dokument_navn=f"{name}-dokumentation.pdf",
    )
    condition.dokument.save(
        "dokumentation.pdf", ContentFile(pdf_saying(f"{name}-dokumentationen")), save=True
    )
    meeting = queries.new_meeting(plan, afdeling)
    meeting.dato = date(2025, 6, 1)
    meeting.referat_navn = f"{name}-referat.pdf"
    meeting.registreret_af = staff
    meeting.referat.save("referat.pdf", ContentFile(pdf_saying(f"{name}-referatet")), save=True)
    attachment_pdf = pdf_saying(f"{name}-bilagsfilen")
    attachment = Bilag(
        plan=plan, titel=f"{name}-bilaget", filnavn=f"{name}-bilag.pdf", stoerrelse=len(attachment_pdf)
    )
    attachment.fil.save("bilag.pdf", ContentFile(attachment_pdf), save=True)
    finished_pack = Pakke(
        plan=plan, pakketype=Pakke.Type.HELHEDSPLAN, status=Pakke.Status.DONE, data_version="1"
    )
    finished_pack.fil.save("pakke.pdf", ContentFile(pdf_saying(f"{name}-pakken")), save=True)
    failed_pack = Pakke.objects.create(
        plan=plan, pakketype=Pakke.Type.PRAEKVALIFIKATION, status=Pakke.Status.FAILED, data_version="0"
    )
    aarsstatus = Aarsstatus(
        plan=aendring.plan,
        aar=BUDGET_YEAR,
        bemaerkning=f"{name}-aarsstatussen",
        revisorerklaering_navn=f"{name}-revisorerklaering.pdf",
    )
    aarsstatus.revisorerklaering.save(
        "revisorerklaering.pdf", ContentFile(pdf_saying(f"{name}-revisorerklaeringen")), save=True
    )
    return Side(
        afdeling=afdeling,
        omraade=omraade,
        kontaktperson=KontaktpersonFactory(
            afdeling=afdeling, navn=f"{name}-kontakten", email=f"{name.lower()}-kontakten@example.org"
        ),
        indsats=indsats,
        aktivitet=AktivitetFactory(
            indsats=indsats, betegnelse=f"{name}-aktiviteten", beskrivelse=f"{name}-aktivitetens beskrivelse"
        ),
        maalsaetning=MaalsaetningFactory(indsats=indsats, beskrivelse=f"{name}-maalsaetningen"),
        plan=plan,
        funder_plan=funder_plan,
        aendring=aendring,
        change_decision=change_decision,
        version=version,
        linje=linje,
        indsatsomraade=indsatsomraade,
        omkostningstype=omkostningstype,
        decision=decision,
        condition=condition,
        meeting=meeting,
        comment=actions.post_comment(
            plan, sektion="resume", tekst=f"Et spørgsmål fra {name}.", notify=False, acting_user=commenter
        ),
        member=Organisationsmedlem.objects.create(
            plan=plan,
            gruppe=Organisationsmedlem.Gruppe.STYREGRUPPE,
            navn=f"{name}-formanden",
            rolle=f"{name}-rollen",
        ),
        attachment=attachment,
        finished_pack=finished_pack,
        failed_pack=failed_pack,
        obligation=aendring.plan.forpligtelser.get(type__art="regnskab", aar=BUDGET_YEAR),
        aarsstatus=aarsstatus,
        milestone=Milepael.objects.create(
            plan=aendring.plan, hvad=f"{name}-milepaelen", dato=date(BUDGET_YEAR, 6, 1)
        ),
        seat=BestyrelsesmedlemFactory(
            afdeling=afdeling,
            user=UserFactory(
                username=f"{name.lower()}-medlem",
                first_name=f"{name}-medlemmet",
                email=f"{name.lower()}-medlem@example.org",
                role="afdelingsbestyrelse",
                password=None,  # made unusable (make_password(None)): invited, not yet chosen
            ),
        ),
        api_token=api_actions.create_token(
            navn=f"{name}-noeglen", udloeber=None, acting_user=board_member or staff
        )[0],
    )


def _sent_change_request(name, afdeling, staff, periode, indsatsomraade, omkostningstype):
    """An active plan with an approved budget, and a change of its end date sent to the funders."""
    active = HelhedsplanFactory(
        indsats__titel=f"{name}-planen aktiv",
        indsats__afdelinger=[afdeling],
        indsats__ansvarlig=staff,
        indsats__startdato=date(BUDGET_YEAR, 1, 1),
        indsats__slutdato=date(BUDGET_YEAR + 1, 12, 31),
        indsats__periode=periode,
    )
    version = budget_actions.create_version(active.indsats, "ansoegning", acting_user=staff)
    budget_actions.save_budget_line(
        version, BUDGET_YEAR, indsatsomraade, omkostningstype, Decimal("500000.00"), acting_user=staff
    )
    budget_actions.approve_budget(budget_actions.submit_budget(version, acting_user=staff), acting_user=staff)
    active = place(active, lifecycle.AKTIV)
    aarscyklus.sync_obligations(active, acting_user=staff)
    proposal = queries.current_frame(active.indsats)
    proposal.update(
        begrundelse=f"{name}-planen forlænges et halvt år.", slutdato=date(BUDGET_YEAR + 2, 6, 30)
    )
    return actions.send_change_request(
        actions.create_change_request(active, proposal, acting_user=staff), acting_user=staff
    )


def build_world() -> World:
    users = {
        "bestyrelse": UserFactory(username="verden-bestyrelse", role="afdelingsbestyrelse"),
        "sekretariat": UserFactory(username="verden-sekretariat", role="sekretariat"),
        "medarbejder": UserFactory(username="verden-medarbejder", role="medarbejder"),
        "administrator": UserFactory(username="verden-admin", role="administrator"),
        "uden": UserFactory(username="verden-uden-rolle"),
        "inaktiv": UserFactory(username="verden-inaktiv", role="afdelingsbestyrelse", is_active=False),
    }
    own_area, foreign_area = OmraadeFactory(navn="Alfaområdet"), OmraadeFactory(navn=f"{FOREIGN_MARK}området")
    own_org = OrganisationFactory(navn="Alfa Boligselskab")
    foreign_org = OrganisationFactory(navn=f"{FOREIGN_MARK} Boligselskab")
    own = _side(
        "Alfa", own_org, own_area, users["medarbejder"], users["bestyrelse"], board_member=users["bestyrelse"]
    )
    foreign = _side(FOREIGN_MARK, foreign_org, foreign_area, users["medarbejder"], users["medarbejder"])
    # A foreign organisation's afdeling in the board member's own area: the area pages show the area,
    # never this neighbour.
    neighbour = AfdelingFactory(navn=f"{FOREIGN_MARK}naboen", organisation=foreign_org, boligomraade=own_area)
    second_afdeling = AfdelingFactory(
        navn="Alfahusene", organisation=OrganisationFactory(navn="Alfa Andelsboliger"), boligomraade=own_area
    )
    BestyrelsesmedlemFactory(user=users["bestyrelse"], afdeling=second_afdeling)
    BestyrelsesmedlemFactory(user=users["inaktiv"], afdeling=own.afdeling)

    # The national data that `make bench` sweeps every page in (tests/bench/sweep.py) hold this round already.
    runde = Screeningsrunde.objects.filter(aar=SCREENING_YEAR).first() or make_round(SCREENING_YEAR)
    measure(runde, own.afdeling, **BAD_FIGURES)
    measure(runde, foreign.afdeling, **BAD_FIGURES)
    Maaling.objects.filter(afdeling=foreign.afdeling).update(note=f"{FOREIGN_MARK}-maalingen")
    measure(runde, neighbour, **CALM_FIGURES)
    for area in (own_area, foreign_area):
        OfficielListeplacering.objects.create(
            aar=SCREENING_YEAR, boligomraade=area, kommune=f"{area.navn} Kommune", liste="udsat"
        )
    job = Screeningsimport.objects.create(
        aar=SCREENING_YEAR, filnavn="tal.csv", indhold=b"", oprettet_af=users["medarbejder"]
    )
    report = Pakke(
        runde=runde, pakketype=Pakke.Type.SCREENINGSRAPPORT, status=Pakke.Status.DONE, data_version="1"
    )
    report.fil.save("rapport.pdf", ContentFile(PDF), save=True)
    failed_report = Pakke.objects.create(
        runde=runde, pakketype=Pakke.Type.SCREENINGSRAPPORT, status=Pakke.Status.FAILED, data_version="0"
    )
    # The round's results computed, as an import leaves them: a page reading them then writes nothing.
    results.refresh_from(SCREENING_YEAR)
    export = Pakkeeksport.objects.create(
        pakketype=Pakke.Type.HELHEDSPLAN, status=Pakkeeksport.Status.DONE, oprettet_af=users["medarbejder"]
    )
    export.planer.set([own.plan, foreign.plan])
    export.fil.save("eksport.zip", ContentFile(b"eksport"), save=True)
    failed_export = Pakkeeksport.objects.create(
        pakketype=Pakke.Type.HELHEDSPLAN, status=Pakkeeksport.Status.FAILED
    )
    return World(
        own=own,
        foreign=foreign,
        runde=runde,
        screening_job=job,
        screening_report=report,
        failed_screening_report=failed_report,
        pack_export=export,
        failed_pack_export=failed_export,
        second_afdeling=second_afdeling,
        users=users,
    )


@contextmanager
def world_in_transaction(storage_dir):
    """Build the world in a transaction that is rolled back afterwards. Uploads go to `storage_dir`."""
    storages = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": storage_dir},
        },
    }
    with (
        override_settings(
            STORAGES=storages, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
        ),
        transaction.atomic(),
    ):
        yield build_world()
        transaction.set_rollback(True)


@contextmanager
def module_world(django_db_blocker, storage_dir):
    """The world for a test module; each test then runs inside it in its own rolled-back savepoint
    (pytest-django's `db`)."""
    with django_db_blocker.unblock(), world_in_transaction(storage_dir) as world:
        yield world
