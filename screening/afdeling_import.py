"""Import of the afdeling register from CSV/XLSX: validate every row, then write all in one transaction."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from config.web.kept import forget_everything
from config.web.limits import NumberRange, quoted
from config.web.tabular import FileProblem, Table, missing_columns_message, parse_number, read_table
from screening import results
from screening.models import Afdeling, Boligomraade, Boligorganisation, other_digits

COLUMNS = [
    "organisation",
    "afdeling_nr",
    "navn",
    "adresse",
    "postnr",
    "bydel",
    "boligomraade",
    "lejemaal",
    "areal_m2",
    "beboere",
]
REQUIRED_VALUES = [
    "organisation",
    "afdeling_nr",
    "navn",
    "adresse",
    "postnr",
    "bydel",
    "lejemaal",
    "areal_m2",
    "beboere",
]
# What each number column may hold: the range of the field it is stored in, as the afdeling form checks it.
NUMBER_RANGES = {
    column: NumberRange.of(Afdeling._meta.get_field(column)) for column in ("lejemaal", "areal_m2", "beboere")
}
TEXT_LIMITS = {
    "organisation": Boligorganisation._meta.get_field("navn").max_length,
    "afdeling_nr": Afdeling._meta.get_field("nummer").max_length,
    "navn": Afdeling._meta.get_field("navn").max_length,
    "adresse": Afdeling._meta.get_field("adresse").max_length,
    "bydel": Afdeling._meta.get_field("bydel").max_length,
    "boligomraade": Boligomraade._meta.get_field("navn").max_length,
}


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str


@dataclass
class ImportReport:
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0  # figures no longer given (screening_import: counts behind a share now given alone)
    masked: int = 0  # screening_import: counts given as «< 5», accepted and not stored

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def error_rows(self) -> list[tuple[int, str, str]]:
        """The errors as (line, column, message), the rows screening/_import_errors.html lists."""
        return [(error.line, error.column, error.message) for error in self.errors]

    @property
    def error_lines(self) -> list[str]:
        """The errors as the import commands print them: «række 4, kolonne lejemaal: …»."""
        lines = []
        for error in self.errors:
            where = f"række {error.line}" if error.line else "filen"
            column = f", kolonne {error.column}" if error.column else ""
            lines.append(f"{where}{column}: {error.message}")
        return lines

    def summary(self) -> str:
        if self.errors:
            return f"{len(self.errors)} fejl i filen. Intet er gemt."
        summary = f"{self.created} oprettet, {self.updated} opdateret, {self.unchanged} uændret"
        summary += f", {self.removed} fjernet." if self.removed else "."
        if self.masked:
            what = "maskeret lille antal" if self.masked == 1 else "maskerede små antal"
            summary += f" {self.masked} {what} («< 5») er ikke gemt."
        return summary


@dataclass(frozen=True)
class AfdelingRow:
    organisation: str
    nummer: str
    navn: str
    adresse: str
    postnr: str
    bydel: str
    boligomraade: str
    lejemaal: int
    areal_m2: Decimal
    beboere: int


def validate(table: Table) -> tuple[list[AfdelingRow], list[RowError]]:
    missing = [c for c in COLUMNS if c not in table.columns]
    if missing:
        return [], [RowError(1, "", missing_columns_message(missing, table.columns))]
    rows: list[AfdelingRow] = []
    errors: list[RowError] = []
    first_line_of: dict[tuple[str, str], int] = {}
    for line, values in table.rows:
        row_errors = []
        if values.get("__extra__"):
            row_errors.append(RowError(line, "", "Rækken har flere felter end overskriftsrækken."))
        for column in REQUIRED_VALUES:
            if not values[column]:
                row_errors.append(RowError(line, column, "Feltet skal udfyldes."))
        numbers = {}
        for column, allowed in NUMBER_RANGES.items():
            if values[column]:
                try:
                    numbers[column] = parse_number(values[column], allowed)
                except ValueError as error:
                    row_errors.append(RowError(line, column, str(error)))
        if other_digits(values["afdeling_nr"]):
            message = f"{quoted(values['afdeling_nr'])} har cifre, der ikke er 0-9."
            row_errors.append(RowError(line, "afdeling_nr", message))
        postnr = values["postnr"]
        if postnr and not (postnr.isascii() and postnr.isdigit() and len(postnr) == 4):
            row_errors.append(
                RowError(line, "postnr", f"{quoted(postnr)} er ikke et postnummer på fire cifre.")
            )
        for column, limit in TEXT_LIMITS.items():
            if len(values[column]) > limit:
                row_errors.append(RowError(line, column, f"Højst {limit} tegn."))
        key = (values["organisation"].casefold(), values["afdeling_nr"].casefold())
        if all(key):
            if key in first_line_of:
                row_errors.append(
                    RowError(line, "afdeling_nr", f"Afdelingen står også i række {first_line_of[key]}.")
                )
            else:
                first_line_of[key] = line
        if row_errors:
            errors.extend(row_errors)
            continue
        rows.append(
            AfdelingRow(
                organisation=values["organisation"],
                nummer=values["afdeling_nr"],
                navn=values["navn"],
                adresse=values["adresse"],
                postnr=values["postnr"],
                bydel=values["bydel"],
                boligomraade=values["boligomraade"],
                lejemaal=int(numbers["lejemaal"]),
                areal_m2=numbers["areal_m2"],
                beboere=int(numbers["beboere"]),
            )
        )
    return rows, errors


def _by_name(model, names: list[str]) -> dict:
    """The rows of `model` by their name in any case, with those of `names` that are missing created in bulk
    (in the spelling of their first mention)."""
    found = {row.navn.casefold(): row for row in model.objects.all()}
    missing = {}
    for name in names:
        if name.casefold() not in found:
            missing.setdefault(name.casefold(), name)
    created = model.objects.bulk_create([model(navn=name) for name in missing.values()])
    return found | {row.navn.casefold(): row for row in created}


def import_table(table: Table, *, acting_user=None) -> ImportReport:
    """Write every row of a valid table at once: the new and the changed afdelinger in bulk with their history
    rows (by `acting_user`), and the rounds' results marked stale and the kept lists renewed once, as the
    afdelingers' save signals would for each row."""
    rows, errors = validate(table)
    if errors:
        return ImportReport(errors=errors)
    report = ImportReport()
    with transaction.atomic():
        organisations = _by_name(Boligorganisation, [row.organisation for row in rows])
        areas = _by_name(Boligomraade, [row.boligomraade for row in rows if row.boligomraade])
        existing = {
            (a.organisation.navn.casefold(), a.nummer.casefold()): a
            for a in Afdeling.objects.select_related("organisation", "boligomraade")
        }
        new, changed, changed_fields = [], [], {"aendret"}
        now = timezone.now()
        for row in rows:
            organisation = organisations[row.organisation.casefold()]
            wanted = {
                "navn": row.navn,
                "adresse": row.adresse,
                "postnr": row.postnr,
                "bydel": row.bydel,
                "boligomraade": areas[row.boligomraade.casefold()] if row.boligomraade else None,
                "lejemaal": row.lejemaal,
                "areal_m2": row.areal_m2,
                "beboere": row.beboere,
            }
            afdeling = existing.get((organisation.navn.casefold(), row.nummer.casefold()))
            if afdeling is None:
                new.append(Afdeling(organisation=organisation, nummer=row.nummer, **wanted))
                continue
            names = [name for name, value in wanted.items() if getattr(afdeling, name) != value]
            if names:
                for name in names:
                    setattr(afdeling, name, wanted[name])
                afdeling.aendret = now  # bulk_update leaves auto_now fields alone
                changed.append(afdeling)
                changed_fields.update(names)
            else:
                report.unchanged += 1
        bulk_create_with_history(new, Afdeling, default_user=acting_user)
        if changed:
            bulk_update_with_history(changed, Afdeling, sorted(changed_fields), default_user=acting_user)
        report.created, report.updated = len(new), len(changed)
        if new or changed:
            # Bulk writes send no signals.
            results.mark_stale()
            forget_everything()
    return report


def import_file(content: bytes, filename: str, *, acting_user=None) -> ImportReport:
    try:
        table = read_table(content, filename)
    except FileProblem as problem:
        return ImportReport(errors=[RowError(0, "", str(problem))])
    return import_table(table, acting_user=acting_user)
