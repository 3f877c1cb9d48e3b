"""Import of screening figures from CSV/XLSX: one row per afdeling or boligområde, one column per indicator.

A row names an afdeling by `organisation` + `afdeling_nr`, or an area by `boligomraade`; the other columns
are indicator codes (plus optional `kilde` and `note`). Everything is checked first; if anything is wrong,
the report lists every problem row by row and nothing is written. Figures that are already stored with the
same value count as unchanged, so importing the same file twice changes nothing.

An official criterion can come as its share or as its count and population base (criteria.COUNT_BASES).
Where a row gives the count and base, the share is computed from them and stored beside them (a share in the
same row is then not used); where it gives only the share, a count and base stored earlier for that row's
afdeling or area are removed, so a share and the counts kept with it always agree. D's count is an income
sum: it is compared with the persons at the region's average income, given in the row
(d_region_gennemsnitsindkomst) or for the whole file, and stored with the row's figures.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from config.web.formatting import danish_number
from config.web.limits import NumberRange, quoted, shortened
from config.web.tabular import FileProblem, Table, parse_number, read_table
from screening import criteria, results
from screening.afdeling_import import ImportReport, RowError
from screening.bulk import insert_rows
from screening.display import HIDDEN_IN_FILES
from screening.models import Afdeling, Boligomraade, Indikator, Maaling, Regelsaet, Screeningsrunde

IDENTIFIERS = ("organisation", "afdeling_nr", "boligomraade")
# A count under 5 as the application shows it to all but staff (screening.display, without spaces).
MASKED = HIDDEN_IN_FILES.replace(" ", "")
MEASUREMENT_FIELDS = [
    "runde_id",
    "indikator_id",
    "afdeling_id",
    "boligomraade_id",
    "vaerdi",
    "kilde",
    "note",
    "aendret",
]
TEXT_COLUMNS = {name: Maaling._meta.get_field(name).max_length for name in ("kilde", "note")}
# What a figure may be before its indicator's own rules (Indikator.check_value): what the field holds.
VALUE_RANGE = NumberRange.of(Maaling._meta.get_field("vaerdi"))
BATCH = 1000

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ParsedRow:
    line: int
    afdeling_id: int | None
    area_id: int | None
    values: dict[int, Decimal]  # indikator id -> value
    kilde: str
    note: str
    cleared: tuple[int, ...] = ()  # indikator ids of counts and bases no longer behind the row's shares
    masked: int = 0  # counts given as «< 5», not stored


def _no_progress(done: int, total: int) -> None:
    pass


def check_columns(table: Table, indicators: dict[str, Indikator]) -> list[RowError]:
    """The header's problems. The rows are checked after these too (every error in one report), unless no row
    can be read (rows_readable)."""
    columns = table.columns
    errors = []
    has_afdeling = "organisation" in columns and "afdeling_nr" in columns
    if not has_afdeling and "boligomraade" not in columns:
        message = (
            "Filen mangler kolonnerne organisation og afdeling_nr (for afdelinger) eller boligomraade "
            "(for boligområder)."
        )
        if len(columns) == 1:
            message += " Kolonnerne skal adskilles med komma eller semikolon."
        return [RowError(1, "", message)]
    if ("organisation" in columns) != ("afdeling_nr" in columns):
        missing = "afdeling_nr" if "organisation" in columns else "organisation"
        errors.append(RowError(1, missing, f"Kolonnen {missing} mangler: en afdeling kendes på begge."))
    seen = set()
    for column in columns:
        if column in seen:
            errors.append(RowError(1, column, f"Kolonnen {shortened(column)} står der flere gange."))
        seen.add(column)
        if not column:
            if any(values.get("") for _, values in table.rows):
                errors.append(RowError(1, "", "En kolonne med tal mangler en overskrift."))
        elif column not in indicators and column not in IDENTIFIERS and column not in TEXT_COLUMNS:
            errors.append(
                RowError(
                    1,
                    column,
                    f"{quoted(column)} er ikke en kendt indikatorkode. Se skabelonen for de gyldige koder.",
                )
            )
    if not any(column in indicators for column in columns):
        errors.append(RowError(1, "", "Filen har ingen kolonner med indikatorer."))
    return errors


def rows_readable(table: Table, indicators: dict[str, Indikator]) -> bool:
    """Whether the rows can be checked at all: they name afdelinger or areas and hold some indicator."""
    columns = set(table.columns)
    names_units = {"organisation", "afdeling_nr"} <= columns or "boligomraade" in columns
    return names_units and bool(columns & indicators.keys())


def _given(table: Table, column: str) -> bool:
    """Whether any row has a value in the column (a column left blank asks for nothing)."""
    return column in table.columns and any(values.get(column) for _, values in table.rows)


def check_round(
    aar: int, national: Decimal | None, table: Table, region_income: Decimal | None = None
) -> list[RowError]:
    if national is not None and not Decimal(0) < national <= 100:
        return [RowError(0, "", "Landsgennemsnittet for domfældte skal være en andel over 0 og højst 100 %.")]
    if region_income is not None and not Decimal(0) < region_income <= VALUE_RANGE.maximum:
        return [RowError(0, "", "Regionens gennemsnitsindkomst skal være et beløb over 0 kr.")]
    runde = Screeningsrunde.objects.filter(aar=aar).first()
    if runde is not None and runde.is_final:
        return [RowError(0, "", f"Screeningen for {aar} er endelig; dens tal kan ikke længere ændres.")]
    known_rate = national or (runde.landsgennemsnit_domfaeldte_pct if runde else None)
    for column in ("domfaeldte_pct", "b_domfaeldte_antal"):
        if _given(table, column) and known_rate is None:
            message = (
                f"Angiv landsgennemsnittet for domfældte for {aar}; ellers kan kriterium B ikke beregnes."
            )
            return [RowError(0, column, message)]
    if _given(table, "d_indkomst_sum") and criteria.REGION_INCOME not in table.columns and not region_income:
        return [RowError(0, "d_indkomst_sum", REGION_INCOME_MISSING)]
    return []


REGION_INCOME_MISSING = (
    "Angiv regionens gennemsnitsindkomst for filen eller i kolonnen d_region_gennemsnitsindkomst; ellers kan "
    "kriterium D ikke beregnes af d_indkomst_sum."
)


def _identify(line, values, afdelinger, areas, first_line_of) -> tuple[tuple | None, list[RowError]]:
    organisation = values.get("organisation", "")
    nummer = values.get("afdeling_nr", "")
    area_name = values.get("boligomraade", "")
    if organisation or nummer:
        if not (organisation and nummer):
            column = "organisation" if not organisation else "afdeling_nr"
            return None, [RowError(line, column, "Udfyld både organisation og afdeling_nr.")]
        afdeling = afdelinger.get((organisation.casefold(), nummer.casefold()))
        if afdeling is None:
            return None, [
                RowError(
                    line,
                    "afdeling_nr",
                    f"Afdeling {shortened(nummer)} i {shortened(organisation)} findes ikke.",
                )
            ]
        if area_name and (
            afdeling.boligomraade is None or afdeling.boligomraade.navn.casefold() != area_name.casefold()
        ):
            return None, [
                RowError(
                    line,
                    "boligomraade",
                    f"Afdeling {nummer} i {organisation} hører ikke til {quoted(area_name)}.",
                )
            ]
        unit = (afdeling.pk, None)
    elif area_name:
        area = areas.get(area_name.casefold())
        if area is None:
            return None, [RowError(line, "boligomraade", f"Boligområdet {quoted(area_name)} findes ikke.")]
        unit = (None, area.pk)
    else:
        return None, [RowError(line, "", "Rækken mangler organisation og afdeling_nr eller boligomraade.")]
    if unit in first_line_of:
        return None, [RowError(line, "", f"Samme enhed står også i række {first_line_of[unit]}.")]
    first_line_of[unit] = line
    return unit, []


def is_masked(text: str) -> bool:
    """«< 5» (or «<5»): a count under 5, as the application writes it for all but staff."""
    return text.replace(" ", "").replace("\u00a0", "") == MASKED


def _parse_values(line, values, indicators, is_area) -> tuple[dict[str, Decimal], list[str], list[RowError]]:
    """The row's figures by indicator code, and the codes of its masked counts (not stored)."""
    parsed, masked, errors = {}, [], []
    for code, indikator in indicators.items():
        text = values.get(code, "")
        if not text:
            continue
        if is_masked(text):
            if indikator.is_count:
                masked.append(code)
            else:
                errors.append(
                    RowError(line, code, f"«{HIDDEN_IN_FILES}» bruges kun for antal: angiv {code} som tal.")
                )
            continue
        try:
            value = parse_number(text, VALUE_RANGE)
        except ValueError as error:
            errors.append(RowError(line, code, str(error)))
            continue
        problem = indikator.check_value(value)
        if problem is None and is_area and indikator.niveau == Indikator.Niveau.AFDELING:
            problem = f"{code} opgøres kun for afdelinger, ikke for boligområder."
        if problem:
            errors.append(RowError(line, code, problem))
        else:
            parsed[code] = value
    return parsed, masked, errors


def _shares_from_counts(
    line, values: dict[str, Decimal], region_income, masked=()
) -> tuple[list[str], list[RowError]]:
    """Put the share each given count and base make into `values` (with the region's average income the
    D share was computed with), and name the counts and bases to remove where a share comes without them.
    A masked count makes no share: its base is then not stored either."""
    cleared, errors = [], []
    for basis in criteria.COUNT_BASES:
        if basis.count in masked:
            if basis.base != "beboere":
                values.pop(basis.base, None)
            continue
        count, base = values.get(basis.count), values.get(basis.base)
        if count is None:
            if base is not None and basis.base != "beboere":
                errors.append(
                    RowError(line, basis.count, f"{basis.base} er givet uden {basis.count}; angiv begge.")
                )
            elif basis.share in values:
                cleared += [basis.count] + ([] if basis.base == "beboere" else [basis.base])
                if basis.share == criteria.INDKOMST:
                    cleared.append(criteria.REGION_INCOME)
            continue
        if base is None:
            errors.append(
                RowError(line, basis.base, f"{basis.count} er givet uden {basis.base}; angiv begge.")
            )
            continue
        if not base:
            errors.append(
                RowError(line, basis.base, f"{basis.base} er 0; andelen kan ikke beregnes af {basis.count}.")
            )
            continue
        if basis.share == criteria.INDKOMST:
            region = values.get(criteria.REGION_INCOME, region_income)
            if not region:
                message = REGION_INCOME_MISSING if region is None else f"{criteria.REGION_INCOME} er 0."
                errors.append(RowError(line, criteria.REGION_INCOME, message))
                continue
            values[criteria.REGION_INCOME] = region
        elif count > base:
            message = (
                f"{basis.count} ({danish_number(count, 0)}) er større end "
                f"{basis.base} ({danish_number(base, 0)}): et antal kan ikke overstige sit grundlag."
            )
            errors.append(RowError(line, basis.count, message))
            continue
        share = criteria.share_of(*criteria.fraction(basis, values))
        if share > VALUE_RANGE.maximum:
            errors.append(
                RowError(line, basis.count, f"Andelen {basis.share}, som {basis.count} giver, er for stor.")
            )
            continue
        values[basis.share] = share
    if criteria.REGION_INCOME in values and values.get("d_indkomst_sum") is None:
        errors.append(
            RowError(
                line,
                criteria.REGION_INCOME,
                f"{criteria.REGION_INCOME} bruges kun sammen med d_indkomst_sum og d_personer_15_64.",
            )
        )
    return cleared, errors


def validate(
    table: Table,
    aar: int,
    national: Decimal | None,
    progress: Progress = _no_progress,
    region_income: Decimal | None = None,
):
    """(rows, errors): every row parsed and looked up; errors name the line and column of each problem."""
    all_indicators = {i.kode: i for i in Indikator.objects.all()}
    errors = check_columns(table, all_indicators)
    if not rows_readable(table, all_indicators):
        return [], errors
    errors += check_round(aar, national, table, region_income)
    # A file-wide problem (the region's average missing) is not repeated for every row it stops.
    file_wide = {error.message for error in errors}
    indicators = {code: i for code, i in all_indicators.items() if code in table.columns}
    afdelinger = {
        (a.organisation.navn.casefold(), a.nummer.casefold()): a
        for a in Afdeling.objects.select_related("organisation", "boligomraade")
    }
    areas = {a.navn.casefold(): a for a in Boligomraade.objects.all()}
    rows, first_line_of = [], {}
    total = len(table.rows)
    for index, (line, values) in enumerate(table.rows, start=1):
        row_errors = []
        if values.get("__extra__"):
            row_errors.append(RowError(line, "", "Rækken har flere felter end overskriftsrækken."))
        unit, unit_errors = _identify(line, values, afdelinger, areas, first_line_of)
        row_errors += unit_errors
        parsed, masked, value_errors = _parse_values(
            line, values, indicators, unit is not None and unit[1] is not None
        )
        row_errors += value_errors
        cleared, count_errors = _shares_from_counts(line, parsed, region_income, masked)
        row_errors += [error for error in count_errors if error.message not in file_wide]
        for column, limit in TEXT_COLUMNS.items():
            if len(values.get(column, "")) > limit:
                row_errors.append(RowError(line, column, f"Højst {limit} tegn."))
        if row_errors:
            errors += row_errors
        elif unit is not None:
            rows.append(
                ParsedRow(
                    line,
                    *unit,
                    {all_indicators[code].pk: value for code, value in parsed.items()},
                    values.get("kilde", ""),
                    values.get("note", ""),
                    tuple(all_indicators[code].pk for code in cleared),
                    len(masked),
                )
            )
        if index % BATCH == 0:
            progress(index, total * 2)
    progress(total, total * 2)
    return rows, errors


def write(rows: list[ParsedRow], aar: int, national: Decimal | None, progress: Progress = _no_progress):
    """Write the figures and compute the round's stored results (and those of later rounds, which look back
    on it) in one transaction. A changed figure is replaced: deleted and written again with the new ones,
    so that a file that changes every figure costs one COPY instead of 150.000 row updates."""
    report = ImportReport()
    default_source = dict(Indikator.objects.values_list("pk", "kilde"))
    with transaction.atomic():
        runde, created = Screeningsrunde.objects.select_for_update().get_or_create(
            aar=aar,
            defaults={
                "regelsaet": Regelsaet.objects.in_force(aar),
                "landsgennemsnit_domfaeldte_pct": national,
            },
        )
        if runde.is_final:
            # Made final while this file was being checked: the whole import is refused.
            return ImportReport(errors=[RowError(0, "", f"Screeningen for {aar} er endelig.")])
        rate_changed = (
            not created and national is not None and runde.landsgennemsnit_domfaeldte_pct != national
        )
        if rate_changed:
            runde.landsgennemsnit_domfaeldte_pct = national
            runde.save(update_fields=["landsgennemsnit_domfaeldte_pct"])
        existing = {
            (indikator_id, afdeling_id, area_id): (pk, (vaerdi, kilde, note))
            for pk, indikator_id, afdeling_id, area_id, vaerdi, kilde, note in Maaling.objects.filter(
                runde=runde
            ).values_list("pk", "indikator_id", "afdeling_id", "boligomraade_id", "vaerdi", "kilde", "note")
        }
        now = timezone.now()
        to_write, replaced, removed = [], [], []
        for row in rows:
            for indikator_id in row.cleared:
                current = existing.get((indikator_id, row.afdeling_id, row.area_id))
                if current is not None:
                    removed.append(current[0])
            for indikator_id, value in row.values.items():
                kilde = row.kilde or default_source[indikator_id]
                current = existing.get((indikator_id, row.afdeling_id, row.area_id))
                if current is not None and current[1] == (value, kilde, row.note):
                    report.unchanged += 1
                    continue
                if current is not None:
                    replaced.append(current[0])
                to_write.append(
                    (runde.pk, indikator_id, row.afdeling_id, row.area_id, value, kilde, row.note, now)
                )
        deleted = replaced + removed
        for start in range(0, len(deleted), BATCH):
            Maaling.objects.filter(pk__in=deleted[start : start + BATCH]).delete()
        insert_rows(Maaling, MEASUREMENT_FIELDS, to_write)
        if created or rate_changed or to_write or removed:
            results.refresh_from(aar)
    report.created, report.updated = len(to_write) - len(replaced), len(replaced)
    report.removed = len(removed)
    progress(len(rows) * 2, len(rows) * 2)
    return report


def import_table(
    table: Table,
    aar: int,
    national: Decimal | None = None,
    progress: Progress = _no_progress,
    *,
    region_income: Decimal | None = None,
):
    """`region_income`: the region's average income for the rows with D's counts that do not give it."""
    rows, errors = validate(table, aar, national, progress, region_income)
    if errors:
        return ImportReport(errors=errors)
    report = write(rows, aar, national, progress)
    report.masked = sum(row.masked for row in rows)
    return report


def import_file(
    content: bytes,
    filename: str,
    aar: int,
    national: Decimal | None = None,
    progress=_no_progress,
    *,
    region_income: Decimal | None = None,
):
    try:
        table = read_table(content, filename)
    except FileProblem as problem:
        return ImportReport(errors=[RowError(0, "", str(problem))])
    return import_table(table, aar, national, progress, region_income=region_income)


def template_rows(
    indicators: list[Indikator], afdeling: Afdeling | None, area: Boligomraade | None
) -> tuple[list[str], list[list[str]]]:
    """The downloadable template: header and two example rows, for an afdeling and an area of the register,
    so that the file imports as it is with nothing but the year. Criterion B is left blank: its share needs
    the round's national share, which the upload asks for."""
    header = ["organisation", "afdeling_nr", "boligomraade", *[i.kode for i in indicators], "kilde", "note"]
    examples = {
        "beboere": ("540", "3120"),
        "uden_job_uddannelse_pct": ("38,5", "41,2"),
        "kun_grundskole_pct": ("52", "61,3"),
        "indkomst_pct_region": ("58,4", "54,1"),
        "ikke_vestlige_pct": ("47", "52,5"),
        "husleje_kr_m2": ("1012", ""),
        "fraflytning_pct": ("11,4", ""),
        "restancer_antal": ("14", ""),
        "udsaettelser_antal": ("2", ""),
        "tomgang_pct": ("1,2", ""),
        "unge_uden_uddannelse_pct": ("28", ""),
        "ungdomskriminalitet_pct": ("3,1", ""),
        "husordenssager_antal": ("9", ""),
        "a_uden_job_uddannelse_antal": ("128", ""),
        "a_personer_18_64": ("332", ""),
        "c_kun_grundskole_antal": ("109", ""),
        "c_personer_30_59": ("210", ""),
        "d_indkomst_sum": ("48210000", ""),
        "d_personer_15_64": ("290", ""),
        "d_region_gennemsnitsindkomst": ("351200", ""),
        "ikke_vestlige_antal": ("254", ""),
    }
    afdeling_row = [afdeling.organisation.navn, afdeling.nummer, ""] if afdeling else ["fsb", "01-10", ""]
    area_row = ["", "", area.navn if area else "Eksempelområdet"]
    for indikator in indicators:
        afdeling_value, area_value = examples.get(indikator.kode, ("", ""))
        afdeling_row.append(afdeling_value)
        area_row.append(area_value)
    return header, [afdeling_row + ["", ""], area_row + ["Danmarks Statistik", ""]]
