"""Reading uploaded CSV and XLSX tables, with Danish messages for everything that can be wrong with a file.

Every import in the application (afdelinger, screening figures, actuals) reads its file through here, so
they all accept the same formats: UTF-8 CSV separated by comma or semicolon (Danish Excel writes
semicolons), or the first sheet of an .xlsx workbook. The first non-empty row holds the column names.
The list exports' CSV and XLSX downloads are written here too.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import PurePath
from xml.sax.saxutils import escape, quoteattr

from django.http import HttpResponse
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

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


# The parts of a one-sheet workbook around the sheet itself. Style 1 is the bold header, style 2 a date.
_XLSX_PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml"'
        ' ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml"'
        ' ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml"'
        ' ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="xl/workbook.xml"'
        ' Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
        "</Relationships>"
    ),
    "xl/_rels/workbook.xml.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="worksheets/sheet1.xml"'
        ' Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
        '<Relationship Id="rId2" Target="styles.xml"'
        ' Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"/>'
        "</Relationships>"
    ),
    "xl/styles.xml": (
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
        '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    ),
}
_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_SPREADSHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_EXCEL_EPOCH = date(1899, 12, 30)
# Characters XML 1.0 cannot hold; a name pasted from another system may carry one.
_ILLEGAL_XML_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_MAX_CELL_TEXT = 32767  # Excel's limit for one cell
_NUMBER_TYPES = {int, float, Decimal}


def _xlsx_text_cell(reference: str, value: str, style: str = "") -> str:
    # Always a text cell: a name beginning with "=" must never become a formula.
    text = escape(_ILLEGAL_XML_CHARACTERS.sub("", value[:_MAX_CELL_TEXT]))
    return f'<c r="{reference}"{style} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def _xlsx_cell(reference: str, value) -> str:
    if value is None or value == "":
        return ""
    # Exact types first: numbers are most of the cells, and a bool (an int) is not a number here.
    if type(value) in _NUMBER_TYPES:
        # As openpyxl writes numbers, so 1136.00 reads back as the whole number 1136.
        return f'<c r="{reference}"><v>{float(value):.16g}</v></c>'
    if isinstance(value, str):
        return _xlsx_text_cell(reference, value)
    if type(value) is date:
        return f'<c r="{reference}" s="2"><v>{(value - _EXCEL_EPOCH).days}</v></c>'
    raise TypeError(f"Cannot write {type(value).__name__} to a spreadsheet cell: {value!r}")


def _xlsx_sheet(header: list[str], rows) -> str:
    letters = [get_column_letter(index) for index in range(1, len(header) + 1)]
    columns = "".join(
        f'<col min="{index}" max="{index}" width="{max(12, len(name) + 2)}" customWidth="1"/>'
        for index, name in enumerate(header, start=1)
    )
    parts = [
        f'{_XML_DECLARATION}<worksheet xmlns="{_SPREADSHEET_NS}">'
        '<sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
        f"</sheetView></sheetViews><cols>{columns}</cols><sheetData>",
        '<row r="1">',
        *(
            _xlsx_text_cell(f"{letter}1", name, ' s="1"')
            for letter, name in zip(letters, header, strict=True)
        ),
        "</row>",
    ]
    for number, row in enumerate(rows, start=2):
        parts.append(f'<row r="{number}">')
        parts.extend(
            _xlsx_cell(f"{letter}{number}", value) for letter, value in zip(letters, row, strict=True)
        )
        parts.append("</row>")
    parts.append("</sheetData></worksheet>")
    return "".join(parts)


def xlsx_response(filename: str, sheet_title: str, header: list[str], rows) -> HttpResponse:
    """A one-sheet download: a bold, frozen header row over the rows, each column as wide as its name.

    The sheet's XML is written here rather than through openpyxl, which builds and serialises an object per
    cell: 3 s of a national screening export (7,500 rows of 32 columns), in write-only mode as well.
    Texts, whole and decimal numbers and dates (shown as yyyy-mm-dd) are what the exports hold."""
    workbook_xml = (
        f'<workbook xmlns="{_SPREADSHEET_NS}"'
        ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheets><sheet name={quoteattr(sheet_title[:31])} sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, xml in _XLSX_PARTS.items():
            package.writestr(name, _XML_DECLARATION + xml)
        package.writestr("xl/workbook.xml", _XML_DECLARATION + workbook_xml)
        package.writestr("xl/worksheets/sheet1.xml", _xlsx_sheet(header, rows))
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
