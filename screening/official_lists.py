"""The official lists of boligområder: importing a year's published list, and reading an area's place on them.

The ministry publishes the lists every 1 December (almenboligloven § 61 a and § 61 b). A file has one row per
area and list, with the columns `boligomraade, kommune, liste`; its areas are found among the boligområder by
name, and a name that matches none is reported, never guessed. Importing a year again replaces that year.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from config.web.limits import quoted
from config.web.tabular import FileProblem, Table, missing_columns_message, read_table
from screening import criteria
from screening.afdeling_import import ImportReport, RowError
from screening.models import Boligomraade, OfficielListeplacering

COLUMNS = ["boligomraade", "kommune", "liste"]
Liste = OfficielListeplacering.Liste
LIST_CODES = [code for code, _label in Liste.choices]
NOT_LISTED = "ingen"
KOMMUNE_MAX = OfficielListeplacering._meta.get_field("kommune").max_length
AREA_NAME_MAX = Boligomraade._meta.get_field("navn").max_length


@dataclass
class ListReport(ImportReport):
    aar: int = 0
    replaced: int = 0
    per_list: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        if self.errors:
            return super().summary()
        counts = ", ".join(f"{Liste(code).label.lower()}: {count}" for code, count in self.per_list.items())
        noun = "placering" if self.created == 1 else "placeringer"
        text = f"{self.created} {noun} på listerne for {self.aar} ({counts or 'ingen'})."
        if self.replaced:
            text += f" De {self.replaced} placeringer, der var indlæst for {self.aar}, er erstattet."
        return text


def _list_code(text: str) -> str | None:
    code = text.strip().casefold().replace("å", "aa")
    return code if code in LIST_CODES else None


def validate(table: Table) -> tuple[list[tuple[Boligomraade, str, str]], list[RowError]]:
    """The rows as (area, kommune, list code), or every problem in the file."""
    missing = [c for c in COLUMNS if c not in table.columns]
    if missing:
        return [], [RowError(1, "", missing_columns_message(missing, table.columns))]
    areas = {area.navn.casefold(): area for area in Boligomraade.objects.only("pk", "navn")}
    rows, errors = [], []
    first_line_of: dict[tuple[int, str], int] = {}
    for line, values in table.rows:
        row_errors = []
        if values.get("__extra__"):
            row_errors.append(RowError(line, "", "Rækken har flere felter end overskriftsrækken."))
        for column in COLUMNS:
            if not values[column]:
                row_errors.append(RowError(line, column, "Feltet skal udfyldes."))
        if len(values["kommune"]) > KOMMUNE_MAX:
            row_errors.append(RowError(line, "kommune", f"Højst {KOMMUNE_MAX} tegn."))
        area = None
        if values["boligomraade"]:
            area = areas.get(values["boligomraade"].strip().casefold())
            if area is None:
                name = values["boligomraade"][: AREA_NAME_MAX + 1]
                row_errors.append(
                    RowError(line, "boligomraade", f"Boligområdet {quoted(name)} findes ikke i registret.")
                )
        code = None
        if values["liste"]:
            code = _list_code(values["liste"])
            if code is None:
                row_errors.append(
                    RowError(
                        line,
                        "liste",
                        f"{quoted(values['liste'])} er ingen liste. Brug en af: {', '.join(LIST_CODES)}.",
                    )
                )
        if area is not None and code is not None:
            key = (area.pk, code)
            if key in first_line_of:
                row_errors.append(
                    RowError(line, "liste", f"Området står på samme liste i række {first_line_of[key]}.")
                )
            else:
                first_line_of[key] = line
        if row_errors:
            errors.extend(row_errors)
        else:
            rows.append((area, values["kommune"].strip(), code))
    return rows, errors


def import_table(table: Table, aar: int, *, acting_user=None) -> ListReport:
    rows, errors = validate(table)
    if errors:
        return ListReport(errors=errors, aar=aar)
    report = ListReport(aar=aar)
    with transaction.atomic():
        report.replaced = remove_year(aar, acting_user=acting_user)
        bulk_create_with_history(
            [
                OfficielListeplacering(aar=aar, boligomraade=area, kommune=kommune, liste=code)
                for area, kommune, code in rows
            ],
            OfficielListeplacering,
            default_user=acting_user,
        )
    report.created = len(rows)
    report.per_list = {code: sum(1 for *_, c in rows if c == code) for code in LIST_CODES}
    report.per_list = {code: count for code, count in report.per_list.items() if count}
    return report


def remove_year(aar: int, *, acting_user=None) -> int:
    """Take a year's lists away (one imported by mistake); each row leaves its history. Returns how many."""
    removed = 0
    with transaction.atomic():
        for placering in OfficielListeplacering.objects.filter(aar=aar).select_for_update():
            placering._history_user = acting_user
            placering.delete()
            removed += 1
    return removed


def latest_allowed_year() -> int:
    """A year's lists are published on 1 December of that year, so no later year can be imported."""
    return timezone.localdate().year


def import_file(content: bytes, filename: str, aar: int, *, acting_user=None) -> ListReport:
    try:
        table = read_table(content, filename)
    except FileProblem as problem:
        return ListReport(errors=[RowError(0, "", str(problem))], aar=aar)
    return import_table(table, aar, acting_user=acting_user)


def official_class(lists: set[str]) -> str:
    """The strictest class the area's lists of one year give it (an omdannelsesområde is also on the
    parallelsamfund list), or NOT_LISTED."""
    if not lists:
        return NOT_LISTED
    return max(lists, key=lambda code: criteria.SEVERITY[code])


def class_label(code: str) -> str:
    return "Ikke på listerne" if code == NOT_LISTED else Liste(code).label


def differs(official: str, computed: str) -> bool:
    """Whether the app's class and the official one disagree (the 2018 terms count as their successors)."""
    return criteria.SEVERITY[official] != criteria.SEVERITY[computed]


@dataclass(frozen=True)
class ListYear:
    aar: int
    klassifikation: str
    label: str
    kommune: str
    parallel_years: int  # years in a row on the parallelsamfund list (or stricter), up to this one
    # Off the omdannelse list, but bound by the udviklingsplan begun in this year.
    udviklingsplan_since: int | None


def classes_in_year(aar: int) -> dict[int, str] | None:
    """Each listed area's official class in the year, by area id; None when no list of the year is imported
    (an area missing from an imported year is NOT_LISTED)."""
    lists: dict[int, set[str]] = {}
    for area_id, liste in OfficielListeplacering.objects.filter(aar=aar).values_list("boligomraade", "liste"):
        lists.setdefault(area_id, set()).add(liste)
    if not lists:
        return None
    return {area_id: official_class(codes) for area_id, codes in lists.items()}


def imported_years() -> list[int]:
    return list(OfficielListeplacering.objects.order_by("aar").values_list("aar", flat=True).distinct())


def area_history(area: Boligomraade, years: list[int]) -> list[ListYear]:
    """The area's place on every imported year's lists, oldest first. An area keeps the duties of its
    udviklingsplan after it leaves the omdannelse list, so a later year names the year the plan began."""
    lists_by_year: dict[int, set[str]] = {year: set() for year in years}
    kommune_by_year: dict[int, str] = {}
    for aar, liste, kommune in area.officielle_lister.values_list("aar", "liste", "kommune"):
        lists_by_year.setdefault(aar, set()).add(liste)
        kommune_by_year[aar] = kommune
    history, run, omdannelse_from, previous = [], 0, None, None
    for aar in sorted(lists_by_year):
        code = official_class(lists_by_year[aar])
        if previous is not None and aar != previous + 1:
            run = 0  # a year without an imported list breaks the run: the law counts lists in a row
        previous = aar
        run = run + 1 if criteria.SEVERITY[code] >= criteria.SEVERITY[Liste.PARALLELSAMFUND] else 0
        if code == Liste.OMDANNELSESOMRAADE and omdannelse_from is None:
            omdannelse_from = aar
        still_bound = omdannelse_from if code != Liste.OMDANNELSESOMRAADE else None
        history.append(ListYear(aar, code, class_label(code), kommune_by_year.get(aar, ""), run, still_bound))
    return history
