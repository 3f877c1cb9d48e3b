"""Reading uploaded CSV and XLSX tables, with Danish messages for everything that can be wrong with a file.

Every import in the application (afdelinger, screening figures, actuals) reads its file through here, so
they all accept the same formats: UTF-8 CSV separated by comma or semicolon (Danish Excel writes
semicolons), or the first sheet of an .xlsx workbook. The first non-empty row holds the column names.
The list exports' CSV and XLSX downloads are written here too, every text cell through one formula guard
(spreadsheet_text), which reading undoes.
"""

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import PurePath
from xml.sax.saxutils import escape, quoteattr

from django.http import HttpResponse
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._reader import WorkSheetParser

from config.web.formatting import danish_number
from config.web.limits import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_UNPACKED_BYTES,
    MAX_UPLOAD_BYTES,
    NumberRange,
    megabytes,
    quoted,
)

# What a spreadsheet program may take for the start of a formula (OWASP's advice on CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class FileProblem(Exception):
    """The file as a whole cannot be read; the message is Danish and meant for the user."""


@dataclass(frozen=True)
class Table:
    columns: list[str]
    # (line number in the file as the user sees it, {column: text}) for every non-empty row.
    rows: list[tuple[int, dict[str, str]]]


def read_table(content: bytes, filename: str) -> Table:
    """The file's table, read row by row within the limits of config/web/limits.py: reading stops at the first
    row, column or cell beyond them, so a hostile file costs no more than a file at the limits."""
    suffix = PurePath(filename or "").suffix.lower()
    if not content:
        raise FileProblem("Filen er tom.")
    if len(content) > MAX_UPLOAD_BYTES:
        raise FileProblem(f"Filen er større end {megabytes(MAX_UPLOAD_BYTES)}.")
    if suffix == ".csv" or suffix == ".txt":
        table = _collect(_csv_records(content), extra_values_flagged=True)
    elif suffix == ".xlsx":
        table = _collect(_xlsx_records(content), extra_values_flagged=False)
    else:
        raise FileProblem(
            f"Filtypen '{suffix or 'ukendt'}' kan ikke læses. Brug CSV (UTF-8) eller Excel (.xlsx)."
        )
    if not table.rows:
        raise FileProblem("Filen har ingen datarækker under overskriftsrækken.")
    return table


def _normalise_header(name) -> str:
    return str(name or "").strip().lower().replace(" ", "_")


def _unguarded(text: str) -> str:
    """A cell as it was before an export's formula guard (spreadsheet_text) put an apostrophe in front, so
    that an exported file imports as the values it was written from."""
    if text.startswith("'") and text[1:2] and text[1] in FORMULA_START:
        return text[1:].strip()
    return text


def _collect(records: Iterable[tuple[int, list[str]]], *, extra_values_flagged: bool) -> Table:
    """The table of (line, cell texts) records, numbered as in the file: the first non-blank one is the
    header, which may be followed by MAX_ROWS rows, blank or not. A CSV row with more non-blank fields than
    the header is marked `__extra__`; an XLSX sheet's header loses its blank end."""
    columns: list[str] | None = None
    rows = []
    for line, texts in records:
        if line > MAX_ROWS + 1:
            raise FileProblem(
                f"Filen har mere end {danish_number(MAX_ROWS, 0)} rækker under overskriften (tomme rækker "
                "tæller med); del den op i flere filer."
            )
        if not any(texts):
            continue
        if columns is None:
            columns = [_normalise_header(_unguarded(text)) for text in texts]
            while not extra_values_flagged and columns and not columns[-1]:
                columns.pop()
            if len(columns) > MAX_COLUMNS:
                raise FileProblem(f"Filen har {len(columns)} kolonner; højst {MAX_COLUMNS} kan indlæses.")
            continue
        for index, text in enumerate(texts):
            if len(text) > MAX_CELL_CHARS:
                column = columns[index] if index < len(columns) else f"nr. {index + 1}"
                raise FileProblem(
                    f"Række {line}, kolonne {column}: cellen har {danish_number(len(text), 0)} tegn; "
                    f"højst {danish_number(MAX_CELL_CHARS, 0)} tegn pr. celle."
                )
        row = {col: (_unguarded(texts[i]) if i < len(texts) else "") for i, col in enumerate(columns)}
        if extra_values_flagged and any(texts[len(columns) :]):
            row["__extra__"] = "ja"
        rows.append((line, row))
    return Table(columns=columns or [], rows=rows)


def _csv_records(content: bytes) -> Iterator[tuple[int, list[str]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileProblem(
            "Filen er ikke gemt som UTF-8. Gem den i Excel som 'CSV UTF-8 (kommasepareret)' og prøv igen."
        ) from None
    if "\x00" in text:
        raise FileProblem("Filen indeholder binære data og er ikke en CSV-fil.")
    header_line = next((line for line in text.splitlines() if line.strip()), "")
    if not header_line:
        raise FileProblem("Filen er tom.")
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for values in reader:
            yield reader.line_num, [value.strip() for value in values]
    except csv.Error:
        # The csv module's own cap on a field (131,072 characters) is all that can go wrong here: an
        # unclosed quote makes the rest of the file one field.
        raise FileProblem(
            f"CSV-filen kan ikke læses efter række {reader.line_num}: en celle er for lang, eller et "
            "anførselstegn afsluttes ikke."
        ) from None


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        # Excel stores 12.5 as a binary float; repr gives the shortest exact decimal, written without an
        # exponent (1.5e-07 as 0.00000015) as parse_decimal reads it.
        return format(Decimal(repr(value)), "f")
    return str(value).strip()


def _xlsx_records(content: bytes) -> Iterator[tuple[int, list[str]]]:
    """The first sheet's rows as they are parsed, numbered as in the sheet (rows it leaves out are blank).

    The zip's directory gives every part's unpacked size before any is read (and unpacking stops at that
    size), which bounds the shared strings openpyxl loads whole. The sheet is streamed by openpyxl's own
    parser, given the workbook's strings and styles as load_workbook would; load_workbook's read-only sheet
    is not used, as it parses the whole sheet once before the first row when the sheet does not state its
    size (a hand-made file), which no row limit can stop."""
    not_a_workbook = FileProblem("Filen kunne ikke læses som et Excel-regneark (.xlsx).")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise not_a_workbook from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise FileProblem(
            f"Regnearket fylder mere end {megabytes(MAX_UNPACKED_BYTES)}, når det pakkes ud, og kan ikke "
            "indlæses. Del det op i flere filer."
        )
    try:
        reader = ExcelReader(io.BytesIO(content), read_only=True, data_only=True)
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)  # which number formats are dates
        first_sheet = next(
            rel.target for _, rel in reader.parser.find_sheets() if rel.target in reader.valid_files
        )
        source = reader.archive.open(first_sheet)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise not_a_workbook from None
    parser = WorkSheetParser(
        source,
        reader.shared_strings,
        data_only=True,
        epoch=reader.wb.epoch,
        date_formats=reader.wb._date_formats,
        timedelta_formats=reader.wb._timedelta_formats,
    )
    try:
        for line, cells in parser.parse():
            texts = []
            for cell in cells:
                text = _cell_text(cell["value"])
                if not text:
                    continue
                column = cell["column"]
                if column > MAX_COLUMNS:
                    message = (
                        f"Række {line} har en celle i kolonne {column}; højst {MAX_COLUMNS} kan indlæses."
                    )
                    raise FileProblem(message)
                texts.extend([""] * (column - len(texts)))
                texts[column - 1] = text
            yield line, texts
    except FileProblem:
        raise
    except Exception:  # a broken sheet shows only as it is read
        raise not_a_workbook from None
    finally:
        source.close()
        reader.archive.close()


def missing_columns_message(missing: list[str], found: list[str]) -> str:
    message = "Filen mangler kolonnen/kolonnerne: " + ", ".join(missing) + "."
    if len(found) == 1:
        message += " Kolonnerne skal adskilles med komma eller semikolon."
    return message


# A number once its Danish form is turned into the machine form: digits and at most one point. No exponent:
# Decimal reads '1e1000000' at once, but every sum, comparison or int() of it then works on a million digits.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


def parse_decimal(text: str, *, max_decimals: int = 2) -> Decimal:
    """A number as Danes and machines write it: '1.234,56', '1234,56' or '1234.56'. Raises ValueError."""
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "")
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    if not _PLAIN_NUMBER.fullmatch(cleaned):
        raise ValueError(f"{quoted(text)} er ikke et tal.")
    value = Decimal(cleaned)
    if -value.as_tuple().exponent > max_decimals:
        if max_decimals == 0:
            raise ValueError(f"{quoted(text)} skal være et helt tal.")
        raise ValueError(f"{quoted(text)} har mere end {max_decimals} decimaler.")
    return value


def parse_number(text: str, allowed: NumberRange) -> Decimal:
    """A number (as parse_decimal reads it) that the model field `allowed` was taken from can hold: one with
    more digits would fail to save or, through a prepared statement, be cut to 32 bits without a word."""
    value = parse_decimal(text, max_decimals=allowed.decimals)
    problem = allowed.problem(value, text)
    if problem:
        raise ValueError(problem)
    return value


def spreadsheet_text(value: str) -> str:
    """Text that a spreadsheet program shows as text and never runs as a formula: with an apostrophe in
    front if it begins with = + - @, a tab or a carriage return. Every CSV and XLSX file the application
    writes passes its text cells through here; numbers are written as numbers and keep their sign."""
    return f"'{value}" if value.startswith(FORMULA_START) else value


def spreadsheet_value(value):
    """A cell's value to write: text through spreadsheet_text, anything else as it is."""
    return spreadsheet_text(value) if isinstance(value, str) else value


class GuardedCsvWriter:
    """A csv.writer whose text cells pass through spreadsheet_text."""

    def __init__(self, stream, **options):
        self._writer = csv.writer(stream, **options)

    def writerow(self, row) -> None:
        self._writer.writerow([spreadsheet_value(value) for value in row])

    def writerows(self, rows) -> None:
        for row in rows:
            self.writerow(row)


def csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    """A CSV download that Danish Excel opens correctly: UTF-8 with BOM, semicolon-separated."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = GuardedCsvWriter(response, delimiter=";")
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
    # Always a text cell, so a name beginning with "=" is no formula; guarded too, as it becomes one when
    # the cell is edited, or copied into another workbook.
    text = escape(_ILLEGAL_XML_CHARACTERS.sub("", spreadsheet_text(value)[:_MAX_CELL_TEXT]))
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
    cell (in write-only mode as well), and the national exports have hundreds of thousands of cells.
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
