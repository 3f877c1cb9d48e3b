"""The budget as an Excel workbook laid out the way a funder's caseworker reads it: years as columns,
indsatsområder and omkostningstyper as rows, then the financing per party and per afdeling below."""

import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from config.web.formatting import numeric_date
from config.web.tabular import spreadsheet_value
from finansiering.financing import Finansiering
from finansiering.tables import Grid

MONEY = "#,##0.00"
PERCENT = "0.0###"
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
TOTAL_BORDER = Border(top=Side(style="thin"))
LABEL_COLUMNS = 2  # A and B hold labels; the years start in column C in every block


class _Sheet:
    def __init__(self, sheet):
        self.sheet = sheet
        self.row = 1

    def write(self, values, *, bold=False, header=False, total=False, formats=None):
        for column, value in enumerate(values, start=1):
            # openpyxl writes a text beginning with "=" as a formula.
            cell = self.sheet.cell(self.row, column, spreadsheet_value(value))
            if bold or header or total:
                cell.font = BOLD
            if header:
                cell.fill = HEADER_FILL
                cell.alignment = Alignment(horizontal="left" if column <= LABEL_COLUMNS else "right")
            if total:
                cell.border = TOTAL_BORDER
            number_format = (formats or {}).get(column, MONEY if column > LABEL_COLUMNS else None)
            if number_format and not header and not isinstance(value, str):
                cell.number_format = number_format
        self.row += 1

    def skip(self, rows=1):
        self.row += rows


def budget_workbook(grid: Grid, finansiering: Finansiering, regnskab: Grid | None = None) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Budget"
    out = _Sheet(sheet)
    indsats, version = finansiering.indsats, finansiering.version
    years = grid.years
    out.write([f"Budget: {indsats.titel}"])
    sheet.cell(1, 1).font = TITLE
    version_text = (
        f"Version {version.nummer}, {version.get_fase_display().lower()}" if version else "Intet budget"
    )
    if version and version.godkendt_tidspunkt:
        version_text += f" (godkendt {numeric_date(timezone.localtime(version.godkendt_tidspunkt))})"
    out.write([version_text, f"Udskrevet {numeric_date(timezone.localtime())}"])
    out.skip()

    out.write(["Indsatsområde", "Omkostningstype", *years, "I alt"], header=True)
    sheet.freeze_panes = sheet.cell(out.row, LABEL_COLUMNS + 1)
    for block in grid.blocks:
        for row in block.rows:
            out.write(
                [block.omraade.navn, row.omkostningstype.navn, *(c.beloeb for c in row.cells), row.total]
            )
        out.write([f"I alt {block.omraade.navn}", "", *block.year_totals.values(), block.total], total=True)
    out.skip()
    out.write(["Omkostningstyper i alt", "", *years, "I alt"], header=True)
    for type_total in grid.type_totals:
        out.write(["", type_total.omkostningstype.navn, *type_total.year_totals.values(), type_total.total])
    out.write(["Budget i alt", "", *grid.year_totals.values(), grid.total], total=True)

    out.skip()
    out.write(["Finansiering", "Andel (%)", *years, "I alt"], header=True)
    percent = {LABEL_COLUMNS: PERCENT}
    for part in finansiering.parter:
        out.write([part.navn, part.procent, *part.values(years), part.total], formats=percent)
        for anvendelse in part.anvendelser:
            out.write(
                [
                    f"   heraf {anvendelse.navn}",
                    anvendelse.procentpoint,
                    *anvendelse.values(years),
                    anvendelse.total,
                ],
                formats=percent,
            )
    out.write(
        [
            "I alt",
            sum(p.procent for p in finansiering.parter),
            *(sum(p.per_aar.get(y, 0) for p in finansiering.parter) for y in years),
            sum(p.total for p in finansiering.parter),
        ],
        total=True,
        formats=percent,
    )

    if finansiering.afdelinger:
        out.skip()
        grundlag = {"lejemaal": "Lejemål", "areal": "Areal (m²)", "aftalt": "Aftalt beløb"}[
            finansiering.afdelingsgrundlag
        ]
        out.write(
            [
                f"Afdelingernes andel ({finansiering.afdelingsgrundlag_label.lower()})",
                grundlag,
                *years,
                "I alt",
                "Pr. år",
                "Pr. lejemål pr. år",
                "Pr. m² pr. år",
            ],
            header=True,
        )
        base_format = {LABEL_COLUMNS: "#,##0" if finansiering.afdelingsgrundlag == "lejemaal" else MONEY}
        for andel in finansiering.afdelinger:
            afdeling = andel.afdeling
            out.write(
                [
                    f"{afdeling.nummer} {afdeling.navn} ({afdeling.organisation.navn})",
                    andel.grundlag,
                    *andel.values(years),
                    andel.total,
                    andel.pr_aar,
                    andel.pr_lejemaal_pr_aar,
                    andel.pr_m2_pr_aar,
                ],
                formats=base_format,
            )
        part = finansiering.afdelingspart
        out.write(["I alt", "", *part.values(years), part.total], total=True)

    if finansiering.advarsler:
        out.skip()
        out.write(["Bemærkninger"], bold=True)
        for warning in finansiering.advarsler:
            out.write([warning])

    sheet.column_dimensions["A"].width = 44
    sheet.column_dimensions["B"].width = 32
    for index in range(len(years) + 5):
        sheet.column_dimensions[sheet.cell(1, LABEL_COLUMNS + 1 + index).column_letter].width = 17

    if regnskab is not None:
        _regnskab_sheet(workbook.create_sheet("Budget og regnskab"), grid, regnskab)
    return workbook


def _regnskab_sheet(sheet, budget: Grid, regnskab: Grid):
    out = _Sheet(sheet)
    out.write(["År", "", "Budget", "Regnskab", "Afvigelse"], header=True)
    reported = regnskab.reported_years
    for year, actual in regnskab.year_totals.items():
        planned = budget.year_totals.get(year, 0)
        if year in reported:
            out.write([year, "", planned, actual, actual - planned], formats={1: "0"})
        else:
            out.write([year, "", planned, "Intet regnskab endnu"], formats={1: "0"})
    reported_budget = sum(total for year, total in budget.year_totals.items() if year in reported)
    out.write(
        ["I alt (år med regnskab)", "", reported_budget, regnskab.total, regnskab.total - reported_budget],
        total=True,
    )
    sheet.column_dimensions["A"].width = 24
    for letter in "CDE":
        sheet.column_dimensions[letter].width = 18


def xlsx_download(workbook: Workbook, title: str) -> HttpResponse:
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="budget-{slugify(title) or "indsats"}.xlsx"'
    return response
