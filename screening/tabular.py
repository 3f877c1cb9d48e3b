"""Reading uploaded CSV and XLSX tables, with Danish messages for everything that can be wrong with a file.

Every import in the application (afdelinger, screening figures, actuals) reads its file through here, so
they all accept the same formats: UTF-8 CSV separated by comma or semicolon (Danish Excel writes
semicolons), or the first sheet of an .xlsx workbook. The first non-empty row holds the column names.
"""

import csv
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import PurePath

from django.http import HttpResponse
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

MAX_ROWS = 200_000


class FileProblem(Exception):
    """The file as a whole cannot be read; the message is Danish and meant for the user."""


@dataclass(frozen=True)
class Table:
    columns: list[str]
    # (line number in the file as the user sees it, {column: text}) for every non-empty row.
    rows: list[tuple[int, dict[str, str]]]


def read_table(content: bytes, filename: str) -> Table:
    suffix = PurePath(filename or "").suffix.lower()
    if not content:
        raise FileProblem("Filen er tom.")
    if suffix == ".csv" or suffix == ".txt":
        table = _read_csv(content)
    elif suffix == ".xlsx":
        table = _read_xlsx(content)
    else:
        raise FileProblem(
            f"Filtypen '{suffix or 'ukendt'}' kan ikke læses. Brug CSV (UTF-8) eller Excel (.xlsx)."
        )
    if not table.rows:
        raise FileProblem("Filen har ingen datarækker under overskriftsrækken.")
    if len(table.rows) > MAX_ROWS:
        raise FileProblem(f"Filen har {len(table.rows):,} rækker; højst {MAX_ROWS:,} kan indlæses ad gangen.")
    return table


def _normalise_header(name) -> str:
    return str(name or "").strip().lower().replace(" ", "_")


def _read_csv(content: bytes) -> Table:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileProblem(
            "Filen er ikke gemt som UTF-8. Gem den i Excel som 'CSV UTF-8 (kommasepareret)' og prøv igen."
        ) from None
    if "\x00" in text:
        raise FileProblem("Filen indeholder binære data og er ikke en CSV-fil.")
    lines = text.splitlines()
    header_line = next((line for line in lines if line.strip()), "")
    if not header_line:
        raise FileProblem("Filen er tom.")
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    columns: list[str] | None = None
    rows = []
    try:
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            if columns is None:
                columns = [_normalise_header(v) for v in values]
                continue
            line = reader.line_num
            row = {col: (values[i].strip() if i < len(values) else "") for i, col in enumerate(columns)}
            if len(values) > len(columns) and any(v.strip() for v in values[len(columns) :]):
                row["__extra__"] = "ja"
            rows.append((line, row))
    except csv.Error as error:
        raise FileProblem(f"CSV-filen kan ikke læses: {error}.") from None
    return Table(columns=columns or [], rows=rows)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        # Excel stores 12.5 as a binary float; repr gives the shortest exact decimal text.
        return repr(value)
    return str(value).strip()


def _read_xlsx(content: bytes) -> Table:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise FileProblem("Filen kunne ikke læses som et Excel-regneark (.xlsx).") from None
    try:
        sheet = workbook.worksheets[0]
        columns: list[str] | None = None
        rows = []
        for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            texts = [_cell_text(v) for v in values]
            if not any(texts):
                continue
            if columns is None:
                columns = [_normalise_header(v) for v in texts]
                while columns and not columns[-1]:
                    columns.pop()
                continue
            row = {col: (texts[i] if i < len(texts) else "") for i, col in enumerate(columns)}
            rows.append((line, row))
    finally:
        workbook.close()
    return Table(columns=columns or [], rows=rows)


def missing_columns_message(missing: list[str], found: list[str]) -> str:
    message = "Filen mangler kolonnen/kolonnerne: " + ", ".join(missing) + "."
    if len(found) == 1:
        message += " Kolonnerne skal adskilles med komma eller semikolon."
    return message


def parse_decimal(text: str, *, max_decimals: int = 2) -> Decimal:
    """A number as Danes and machines write it: '1.234,56', '1234,56' or '1234.56'. Raises ValueError."""
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "")
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"'{text}' er ikke et tal.") from None
    if not value.is_finite():
        raise ValueError(f"'{text}' er ikke et tal.")
    if -value.as_tuple().exponent > max_decimals:
        raise ValueError(f"'{text}' har mere end {max_decimals} decimaler.")
    return value


def parse_count(text: str) -> int:
    """A whole, non-negative number such as a count of lejemål or residents. Raises ValueError."""
    value = parse_decimal(text, max_decimals=0)
    if value < 0:
        raise ValueError(f"'{text}' er negativt; antal kan ikke være negative.")
    return int(value)


def csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    """A CSV download that Danish Excel opens correctly: UTF-8 with BOM, semicolon-separated."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(header)
    writer.writerows(rows)
    return response


def xlsx_response(filename: str, sheet_title: str, header: list[str], rows) -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    sheet.freeze_panes = "A2"
    for index, name in enumerate(header, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = max(12, len(name) + 2)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
