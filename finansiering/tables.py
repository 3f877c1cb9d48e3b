"""Budget and regnskab laid out as tables: rows indsatsområde × omkostningstype, columns years, with totals.

Each function reads its lines in one query and adds up in Python, so a page costs the same number of
queries whether the budget has 20 lines or 400.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from finansiering.models import Budgetlinje, Budgetversion, Omkostningstype, Regnskabslinje
from finansiering.queries import budget_omraader, cost_types, period_years
from indsatser.models import Indsats, Indsatsomraade

ZERO = Decimal("0.00")


@dataclass
class Cell:
    aar: int
    omraade: Indsatsomraade
    omkostningstype: Omkostningstype
    line: Budgetlinje | Regnskabslinje | None
    # Set when a posted value was refused: the text as typed and the Danish reason.
    raw: str | None = None
    error: str = ""

    @property
    def beloeb(self) -> Decimal:
        return self.line.beloeb if self.line else ZERO

    @property
    def note(self) -> str:
        return self.line.note if self.line else ""

    @property
    def name(self) -> str:
        """The form field name of the cell in the whole-table form."""
        return f"c-{self.aar}-{self.omraade.pk}-{self.omkostningstype.pk}"


@dataclass
class Row:
    omraade: Indsatsomraade
    omkostningstype: Omkostningstype
    cells: list[Cell]

    @property
    def total(self) -> Decimal:
        return sum((c.beloeb for c in self.cells), ZERO)


@dataclass
class Block:
    omraade: Indsatsomraade
    rows: list[Row]
    year_totals: dict[int, Decimal] = field(default_factory=dict)

    @property
    def total(self) -> Decimal:
        return sum(self.year_totals.values(), ZERO)


@dataclass
class TypeTotal:
    omkostningstype: Omkostningstype
    year_totals: dict[int, Decimal]

    @property
    def total(self) -> Decimal:
        return sum(self.year_totals.values(), ZERO)


@dataclass
class Grid:
    years: list[int]
    blocks: list[Block]
    type_totals: list[TypeTotal]
    year_totals: dict[int, Decimal]
    # Lines whose year lies outside the indsats period (the dates were changed after they were entered).
    outside: list

    @property
    def total(self) -> Decimal:
        return sum(self.year_totals.values(), ZERO)

    @property
    def cells(self):
        return {c.name: c for b in self.blocks for r in b.rows for c in r.cells}

    @property
    def reported_years(self) -> set[int]:
        """The years with at least one line."""
        return {c.aar for c in self.cells.values() if c.line}

    def totals_around(self, cell: Cell) -> dict:
        """Every total one cell counts towards, for updating them in place after the cell changed."""
        year = cell.aar
        block = next(b for b in self.blocks if b.omraade.pk == cell.omraade.pk)
        row = next(r for r in block.rows if r.omkostningstype.pk == cell.omkostningstype.pk)
        type_total = next(t for t in self.type_totals if t.omkostningstype.pk == cell.omkostningstype.pk)
        return {
            "row": row.total,
            "block_year": block.year_totals[year],
            "block": block.total,
            "type_year": type_total.year_totals[year],
            "type": type_total.total,
            "year": self.year_totals[year],
            "all": self.total,
        }


def _layout(indsats: Indsats, lines) -> tuple[list[Indsatsomraade], list[Omkostningstype]]:
    """The områder and cost types to show: the indsats's own, the active types, and any a line uses."""
    omraader = budget_omraader(indsats)
    typer = cost_types()
    used_omraader = {line.indsatsomraade_id for line in lines}
    used_typer = {line.omkostningstype_id for line in lines}
    known = {o.pk for o in omraader}
    missing = used_omraader - known
    if missing:
        omraader += list(
            Indsatsomraade.objects.filter(pk__in=missing).order_by("periode__startaar", "sortering")
        )
    typer = [t for t in typer if t.aktiv or t.pk in used_typer]
    return omraader, typer


def build_grid(indsats: Indsats, lines: list, layout=None) -> Grid:
    """The lines as a table, laid out by `layout` (områder, cost types) or by their own."""
    years = period_years(indsats)
    omraader, typer = layout or _layout(indsats, lines)
    by_cell = {(line.aar, line.indsatsomraade_id, line.omkostningstype_id): line for line in lines}
    blocks = []
    type_sums = {t.pk: dict.fromkeys(years, ZERO) for t in typer}
    for omraade in omraader:
        rows = []
        block_sums = dict.fromkeys(years, ZERO)
        for omkostningstype in typer:
            cells = []
            for year in years:
                line = by_cell.get((year, omraade.pk, omkostningstype.pk))
                cell = Cell(year, omraade, omkostningstype, line)
                cells.append(cell)
                block_sums[year] += cell.beloeb
                type_sums[omkostningstype.pk][year] += cell.beloeb
            rows.append(Row(omraade, omkostningstype, cells))
        blocks.append(Block(omraade, rows, block_sums))
    year_totals = {year: sum((b.year_totals[year] for b in blocks), ZERO) for year in years}
    outside = [line for line in lines if line.aar not in years]
    return Grid(
        years=years,
        blocks=blocks,
        type_totals=[TypeTotal(t, type_sums[t.pk]) for t in typer],
        year_totals=year_totals,
        outside=outside,
    )


def budget_grid(version: Budgetversion) -> Grid:
    return build_grid(version.indsats, list(version.linjer.all()))


def regnskab_grid(indsats: Indsats) -> Grid:
    return build_grid(indsats, list(indsats.regnskabslinjer.all()))


def budget_and_regnskab_grids(version: Budgetversion | None, indsats: Indsats) -> tuple[Grid | None, Grid]:
    """The budget of `version` (None without one) and the indsats's regnskab, laid out alike: the rows of
    both, read in the queries of one layout."""
    budget_lines = list(version.linjer.all()) if version else []
    regnskab_lines = list(indsats.regnskabslinjer.all())
    layout = _layout(indsats, budget_lines + regnskab_lines)
    budget = build_grid(indsats, budget_lines, layout) if version else None
    return budget, build_grid(indsats, regnskab_lines, layout)


@dataclass
class Variance:
    budget: Decimal
    regnskab: Decimal
    threshold: Decimal
    aar: int | None = None
    # False for a year with no regnskab at all yet: nothing to flag before the accounts are in.
    reported: bool = True

    @property
    def afvigelse(self) -> Decimal:
        return self.regnskab - self.budget

    @property
    def procent(self) -> Decimal | None:
        """The variance in percent of the budget (None where nothing was budgeted)."""
        if not self.budget:
            return None
        return (self.afvigelse * 100 / self.budget).quantize(Decimal("0.1"))

    @property
    def flag(self) -> bool:
        """Over the threshold, or spending where nothing was budgeted."""
        if not self.reported:
            return False
        if not self.budget:
            return self.regnskab > 0
        return abs(self.afvigelse) * 100 > self.threshold * self.budget


@dataclass
class VarianceRow:
    omraade: Indsatsomraade
    omkostningstype: Omkostningstype
    years: list[Variance]


def variance_table(budget: Grid, regnskab: Grid, threshold: Decimal) -> dict:
    """Budget against regnskab for every line and year, with totals per year, and the flagged cells."""
    budget_cells = budget.cells
    reported = regnskab.reported_years
    rows = []
    for block in regnskab.blocks:
        for row in block.rows:
            variances = []
            for cell in row.cells:
                budgeted = budget_cells.get(cell.name)
                variances.append(
                    Variance(
                        budgeted.beloeb if budgeted else ZERO,
                        cell.beloeb,
                        threshold,
                        cell.aar,
                        cell.aar in reported,
                    )
                )
            if any(v.budget or v.regnskab for v in variances):
                rows.append(VarianceRow(row.omraade, row.omkostningstype, variances))
    years = [
        (year, Variance(budget.year_totals.get(year, ZERO), total, threshold, year, year in reported))
        for year, total in regnskab.year_totals.items()
    ]
    return {
        "rows": rows,
        "years": years,
        "flagged": sum(1 for row in rows for v in row.years if v.flag),
    }


@dataclass
class ComparedRow:
    label: str
    a: Decimal
    b: Decimal

    @property
    def difference(self) -> Decimal:
        return self.b - self.a


def compare(a: Grid, b: Grid) -> dict:
    """Two versions side by side: per year, per område, per cost type and overall (b minus a)."""
    years = sorted(set(a.years) | set(b.years))
    per_year = [ComparedRow(str(y), a.year_totals.get(y, ZERO), b.year_totals.get(y, ZERO)) for y in years]

    def by_omraade(grid):
        return {block.omraade.pk: (block.omraade, block.total) for block in grid.blocks}

    def by_type(grid):
        return {t.omkostningstype.pk: (t.omkostningstype, t.total) for t in grid.type_totals}

    def merged(left, right):
        keys = list(dict.fromkeys([*left, *right]))
        return [
            ComparedRow(
                str((left.get(k) or right.get(k))[0]),
                left.get(k, (None, ZERO))[1],
                right.get(k, (None, ZERO))[1],
            )
            for k in keys
        ]

    a_cells, b_cells = a.cells, b.cells
    changed_lines = []
    for name in dict.fromkeys([*a_cells, *b_cells]):
        old, new = a_cells.get(name), b_cells.get(name)
        old_value = old.beloeb if old else ZERO
        new_value = new.beloeb if new else ZERO
        if old_value != new_value:
            cell = new or old
            label = f"{cell.aar} · {cell.omraade} · {cell.omkostningstype}"
            changed_lines.append(ComparedRow(label, old_value, new_value))
    return {
        "years": per_year,
        "omraader": merged(by_omraade(a), by_omraade(b)),
        "typer": merged(by_type(a), by_type(b)),
        "total": ComparedRow("I alt", a.total, b.total),
        "changed_lines": changed_lines,
    }
