"""Import of an indsats's regnskab (actuals) from CSV/XLSX, by the same rules as the afdeling import:
every row is checked first, errors are reported row by row in Danish, nothing is written if any row is
wrong, and importing the same file again changes nothing.

A row sets one cell (year, indsatsområde, omkostningstype); cells not in the file are left as they are,
and so are rows with an empty amount (the downloadable template lists every cell with the amount blank).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from config.web.limits import NumberRange, quoted
from config.web.tabular import FileProblem, Table, missing_columns_message, parse_number, read_table
from finansiering.actions import save_regnskab_line
from finansiering.forms import parse_amount
from finansiering.models import Omkostningstype, Regnskabslinje
from finansiering.queries import budget_omraader, period_years
from indsatser import ramme
from screening.afdeling_import import ImportReport, RowError

COLUMNS = ["aar", "indsatsomraade", "omkostningstype", "beloeb"]
OPTIONAL_COLUMNS = ["note"]
YEAR_RANGE = NumberRange.of(Regnskabslinje._meta.get_field("aar"))
NOTE_LIMIT = Regnskabslinje._meta.get_field("note").max_length


@dataclass(frozen=True)
class RegnskabRow:
    aar: int
    omraade: object
    omkostningstype: Omkostningstype
    beloeb: Decimal
    note: str | None


def validate(table: Table, indsats) -> tuple[list[RegnskabRow], list[RowError]]:
    if ramme.is_closed(indsats):
        return [], [RowError(0, "", ramme.CLOSED_MESSAGE)]
    missing = [c for c in COLUMNS if c not in table.columns]
    if missing:
        return [], [RowError(1, "", missing_columns_message(missing, table.columns))]
    years = period_years(indsats)
    if not years:
        return [], [
            RowError(0, "", "Indsatsen skal have en startdato og en slutdato, før der kan indlæses regnskab.")
        ]
    omraader = {o.navn.casefold(): o for o in budget_omraader(indsats)}
    typer = {}
    for t in Omkostningstype.objects.all():
        typer[t.navn.casefold()] = t
        typer[t.kode.casefold()] = t
    has_note = "note" in table.columns
    rows, errors = [], []
    first_line_of: dict[tuple, int] = {}
    for line, values in table.rows:
        if not values["beloeb"]:
            continue
        row_errors = []
        if values.get("__extra__"):
            row_errors.append(RowError(line, "", "Rækken har flere felter end overskriftsrækken."))
        aar = None
        text = values["aar"]
        if not text:
            row_errors.append(RowError(line, "aar", "Feltet skal udfyldes."))
        else:
            try:
                aar = int(parse_number(text, YEAR_RANGE))
            except ValueError:
                row_errors.append(RowError(line, "aar", f"{quoted(text)} er ikke et årstal."))
            if aar is not None and aar not in years:
                row_errors.append(
                    RowError(
                        line, "aar", f"{aar} ligger uden for indsatsens periode ({years[0]}–{years[-1]})."
                    )
                )
                aar = None
        omraade = omraader.get(values["indsatsomraade"].casefold())
        if omraade is None:
            message = (
                "Feltet skal udfyldes."
                if not values["indsatsomraade"]
                else f"{quoted(values['indsatsomraade'])} er ikke et af indsatsens indsatsområder."
            )
            row_errors.append(RowError(line, "indsatsomraade", message))
        omkostningstype = typer.get(values["omkostningstype"].casefold())
        if omkostningstype is None:
            message = (
                "Feltet skal udfyldes."
                if not values["omkostningstype"]
                else f"{quoted(values['omkostningstype'])} er ikke en kendt omkostningstype."
            )
            row_errors.append(RowError(line, "omkostningstype", message))
        beloeb = None
        try:
            beloeb = parse_amount(values["beloeb"])
        except ValueError as error:
            row_errors.append(RowError(line, "beloeb", str(error)))
        note = values.get("note", "") if has_note else None
        if note and len(note) > NOTE_LIMIT:
            row_errors.append(RowError(line, "note", f"Højst {NOTE_LIMIT} tegn."))
        if aar and omraade and omkostningstype:
            key = (aar, omraade.pk, omkostningstype.pk)
            if key in first_line_of:
                row_errors.append(
                    RowError(line, "", f"Samme år, område og type står også i række {first_line_of[key]}.")
                )
            else:
                first_line_of[key] = line
        if row_errors:
            errors.extend(row_errors)
            continue
        rows.append(RegnskabRow(aar, omraade, omkostningstype, beloeb, note))
    return rows, errors


def import_table(table: Table, indsats, *, acting_user) -> ImportReport:
    rows, errors = validate(table, indsats)
    if errors:
        return ImportReport(errors=errors)
    report = ImportReport()
    with transaction.atomic():
        existing = {
            (line.aar, line.indsatsomraade_id, line.omkostningstype_id): (line.beloeb, line.note)
            for line in Regnskabslinje.objects.filter(indsats=indsats)
        }
        for row in rows:
            before = existing.get((row.aar, row.omraade.pk, row.omkostningstype.pk))
            line = save_regnskab_line(
                indsats,
                row.aar,
                row.omraade,
                row.omkostningstype,
                row.beloeb,
                row.note,
                acting_user=acting_user,
            )
            after = (line.beloeb, line.note) if line else None
            if before == after:
                report.unchanged += 1
            elif before is None:
                report.created += 1
            else:
                report.updated += 1
    return report


def import_file(content: bytes, filename: str, indsats, *, acting_user) -> ImportReport:
    try:
        table = read_table(content, filename)
    except FileProblem as problem:
        return ImportReport(errors=[RowError(0, "", str(problem))])
    return import_table(table, indsats, acting_user=acting_user)
