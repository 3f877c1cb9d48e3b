"""Import of a plan's goal figures (indicator series) from the funders' data exports, by the same rules as the
other imports: every row is checked first, errors are reported row by row in Danish, nothing is written if
any row is wrong, and importing the same file again changes nothing.

A row gives one figure: an indicator of one of the plan's goals (by its code or its name, with its unit, as a
check that the file means the same thing), a period (a year, 2025, or a half year, 2025H1 or 2025H2: the
exports are updated twice a year) within the plan's period, and the value. With the optional column
`omraade` a row is a figure for one of the plan's boligområder; without it, or with it blank, a figure for
the plan as a whole, which also sets the goal's measured value of the year (indsatser/actions.py,
save_goal_figures). Rows with a blank value are left out: the exports leave out figures too small to
publish.

`preview` tells what a file would change without writing anything; the page shows it before the staff member
confirms, and the confirmation carries the checked rows (signed) rather than the file.
"""

import re
from dataclasses import dataclass

from django.core import signing

from config.web.limits import quoted
from config.web.tabular import FileProblem, Table, missing_columns_message, read_table
from indsatser import ramme
from indsatser.actions import GoalFigure, save_goal_figures
from indsatser.goals import parse_goal_figure
from indsatser.models import Indikator, Indikatortal, Indsats
from indsatser.models.maalopfoelgning import periode_tekst
from screening.afdeling_import import ImportReport, RowError
from screening.models import Boligomraade

COLUMNS = ["indikator", "enhed", "periode", "vaerdi"]
OPTIONAL_COLUMNS = ["omraade"]
# 2025, 2025H1, 2025 H2, 2025-h2
PERIOD = re.compile(r"(?P<aar>[0-9]{4})(?:\s*-?\s*[Hh](?P<halvaar>[12]))?")
SIGNING_SALT = "indsatser.goal_figures_import"


@dataclass(frozen=True)
class Change:
    """What one checked row does: its figure, and the value stored before (None: a new figure)."""

    figure: GoalFigure
    before: object

    @property
    def indikator(self):
        return self.figure.maalsaetning.indikator

    @property
    def periode(self) -> str:
        return periode_tekst(self.figure.aar, self.figure.halvaar)

    @property
    def changed(self) -> bool:
        return self.before != self.figure.vaerdi


def plan_years(indsats: Indsats) -> list[int]:
    """The years a figure may be given for: the plan's start date's year to its end date's year."""
    if not indsats.startdato or not indsats.slutdato or indsats.slutdato < indsats.startdato:
        return []
    return list(range(indsats.startdato.year, indsats.slutdato.year + 1))


def plan_areas(indsats: Indsats) -> list[Boligomraade]:
    return list(Boligomraade.objects.filter(afdelinger__indsatser=indsats).distinct().order_by("navn"))


def _goals_by_indicator(indsats: Indsats) -> dict:
    """The plan's goals by their indicator's code and name (case ignored)."""
    goals = {}
    for maalsaetning in indsats.maalsaetninger.select_related("indikator"):
        indikator = maalsaetning.indikator
        goals[indikator.navn.casefold()] = maalsaetning
        if indikator.kode:
            goals[indikator.kode.casefold()] = maalsaetning
    return goals


def _every_indicator() -> set[str]:
    """The names and codes of every indicator (case ignored), so that a row naming one the plan has no goal
    for is told from a row naming none: one query, whatever the file's length."""
    known = set()
    for navn, kode in Indikator.objects.values_list("navn", "kode"):
        known.add(navn.casefold())
        if kode:
            known.add(kode.casefold())
    return known


def validate(table: Table, indsats: Indsats) -> tuple[list[GoalFigure], list[RowError]]:
    if ramme.is_closed(indsats):
        return [], [RowError(0, "", ramme.CLOSED_MESSAGE)]
    missing = [c for c in COLUMNS if c not in table.columns]
    if missing:
        return [], [RowError(1, "", missing_columns_message(missing, table.columns))]
    years = plan_years(indsats)
    if not years:
        return [], [
            RowError(0, "", "Planen skal have en startdato og en slutdato, før der kan indlæses tal.")
        ]
    goals = _goals_by_indicator(indsats)
    if not goals:
        return [], [RowError(0, "", "Planen har endnu ingen mål at indlæse tal til.")]
    areas = {area.navn.casefold(): area for area in plan_areas(indsats)}
    every_indicator = _every_indicator()
    has_area = "omraade" in table.columns
    figures, errors = [], []
    first_line_of: dict[tuple, int] = {}
    for line, values in table.rows:
        if not values["vaerdi"]:
            continue
        row_errors = []
        if values.get("__extra__"):
            row_errors.append(RowError(line, "", "Rækken har flere felter end overskriftsrækken."))
        text = values["indikator"]
        maalsaetning = goals.get(text.casefold())
        if maalsaetning is None:
            if not text:
                message = "Feltet skal udfyldes."
            elif text.casefold() in every_indicator:
                message = f"Planen har intet mål for indikatoren {quoted(text)}."
            else:
                message = f"{quoted(text)} er ikke en kendt indikator (hverken kode eller navn)."
            row_errors.append(RowError(line, "indikator", message))
        enhed = values["enhed"]
        if not enhed:
            row_errors.append(RowError(line, "enhed", "Feltet skal udfyldes."))
        elif maalsaetning and enhed.casefold() != maalsaetning.indikator.enhed.casefold():
            row_errors.append(
                RowError(
                    line,
                    "enhed",
                    f"Enheden {quoted(enhed)} passer ikke til indikatorens enhed "
                    f"'{maalsaetning.indikator.enhed}'.",
                )
            )
        aar = halvaar = None
        periode = values["periode"]
        match = PERIOD.fullmatch(periode.strip())
        if not periode:
            row_errors.append(RowError(line, "periode", "Feltet skal udfyldes."))
        elif match is None:
            row_errors.append(
                RowError(
                    line,
                    "periode",
                    f"{quoted(periode)} er ikke en periode; skriv fx 2025, 2025H1 eller 2025H2.",
                )
            )
        elif int(match["aar"]) not in years:
            row_errors.append(
                RowError(
                    line,
                    "periode",
                    f"{match['aar']} ligger uden for planens periode ({years[0]}–{years[-1]}).",
                )
            )
        else:
            aar, halvaar = int(match["aar"]), int(match["halvaar"] or 0)
        vaerdi = None
        try:
            unit = maalsaetning.indikator.enhed if maalsaetning else enhed
            vaerdi = parse_goal_figure(values["vaerdi"], unit)
        except ValueError as error:
            row_errors.append(RowError(line, "vaerdi", str(error)))
        area = None
        area_text = values.get("omraade", "") if has_area else ""
        if area_text:
            area = areas.get(area_text.casefold())
            if area is None:
                row_errors.append(
                    RowError(line, "omraade", f"{quoted(area_text)} er ikke et af planens boligområder.")
                )
        if maalsaetning and aar and not (area_text and area is None):
            key = (maalsaetning.pk, area.pk if area else None, aar, halvaar)
            if key in first_line_of:
                row_errors.append(
                    RowError(
                        line,
                        "",
                        f"Samme indikator, periode og område står også i række {first_line_of[key]}.",
                    )
                )
            else:
                first_line_of[key] = line
        if row_errors:
            errors.extend(row_errors)
            continue
        figures.append(GoalFigure(maalsaetning, area, aar, halvaar, vaerdi))
    return figures, errors


def preview(table: Table, indsats: Indsats) -> tuple[list[Change], list[RowError]]:
    """What importing the table would change, figure by figure; nothing is written."""
    figures, errors = validate(table, indsats)
    if errors:
        return [], errors
    stored = {
        (t.maalsaetning_id, t.boligomraade_id, t.aar, t.halvaar): t.vaerdi
        for t in Indikatortal.objects.filter(maalsaetning__indsats=indsats)
    }
    return [Change(figure, stored.get(figure.key)) for figure in figures], []


def import_table(table: Table, indsats: Indsats, source: str, *, acting_user) -> ImportReport:
    figures, errors = validate(table, indsats)
    if errors:
        return ImportReport(errors=errors)
    counts = save_goal_figures(indsats, figures, source, acting_user=acting_user)
    return ImportReport(**counts)


def read(content: bytes, filename: str) -> tuple[Table | None, list[RowError]]:
    try:
        return read_table(content, filename), []
    except FileProblem as problem:
        return None, [RowError(0, "", str(problem))]


def import_file(content: bytes, filename: str, indsats: Indsats, *, acting_user) -> ImportReport:
    table, errors = read(content, filename)
    if errors:
        return ImportReport(errors=errors)
    return import_table(table, indsats, filename, acting_user=acting_user)


def sign_table(table: Table, filename: str) -> str:
    """The checked table as the preview's confirmation carries it: signed, so that what is confirmed is what
        was checked and shown (it is checked again when confirmed, as the plan may have changed meanwhile).
    Rows without a value are left out, as the import leaves them."""
    rows = [(line, values) for line, values in table.rows if values.get("vaerdi")]
    return signing.dumps(
        {"columns": table.columns, "rows": rows, "fil": filename}, salt=SIGNING_SALT, compress=True
    )


def unsign_table(token: str) -> tuple[Table, str]:
    """The table and file name of a signed confirmation; raises signing.BadSignature for anything else."""
    data = signing.loads(token, salt=SIGNING_SALT)
    return Table(columns=data["columns"], rows=[(line, row) for line, row in data["rows"]]), data["fil"]
