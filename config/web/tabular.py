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
from xml.parsers import expat
from xml.sax.saxutils import escape, quoteattr

from django.http import HttpResponse
from openpyxl.packaging.manifest import Manifest
from openpyxl.reader.excel import _find_workbook_part
from openpyxl.reader.workbook import WorkbookParser
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils import coordinate_to_tuple, get_column_letter
from openpyxl.utils.datetime import from_excel, from_ISO8601
from openpyxl.worksheet._reader import _cast_number
from openpyxl.xml.constants import ARC_CONTENT_TYPES, SHARED_STRINGS
from openpyxl.xml.functions import fromstring

from config.web.formatting import danish_number
from config.web.limits import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_UNPACKED_BYTES,
    MAX_UPLOAD_BYTES,
    MAX_WORKBOOK_PART_BYTES,
    MAX_XML_ELEMENTS,
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


_NOT_A_WORKBOOK = "Filen kunne ikke læses som et Excel-regneark (.xlsx)."
# Element names as expat gives them with namespace_separator=" ".
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main "
_ROW, _CELL, _VALUE, _INLINE = _MAIN + "row", _MAIN + "c", _MAIN + "v", _MAIN + "is"
_STRING, _RUN, _TEXT = _MAIN + "si", _MAIN + "r", _MAIN + "t"
_TEXT_PATHS = {(_STRING, _TEXT), (_INLINE, _TEXT), (_STRING, _RUN, _TEXT), (_INLINE, _RUN, _TEXT)}
_CHUNK_BYTES = 16 * 1024


class _Workbook(zipfile.ZipFile):
    """An XLSX file's zip. openpyxl reads the parts it is given whole (the manifest, the workbook and its
    relations, the styles): each may unpack to at most MAX_WORKBOOK_PART_BYTES. The shared strings and the
    sheet are streamed instead (`stream`), within MAX_XML_ELEMENTS."""

    def open(self, name, mode="r", pwd=None, **kwargs):
        info = name if isinstance(name, zipfile.ZipInfo) else self.getinfo(name)
        if mode == "r" and info.file_size > MAX_WORKBOOK_PART_BYTES:
            raise FileProblem(
                f"Regnearkets del {info.filename} fylder mere end {megabytes(MAX_WORKBOOK_PART_BYTES)}, når "
                "den pakkes ud, og kan ikke indlæses. Gem regnearket som CSV, og indlæs det i stedet."
            )
        return super().open(name, mode, pwd, **kwargs)

    def stream(self, name):
        return super().open(name)


class _ElementBudget:
    """The XML elements one workbook may still have read: the first beyond MAX_XML_ELEMENTS refuses it."""

    def __init__(self):
        self.left = MAX_XML_ELEMENTS

    def spend(self):
        self.left -= 1
        if self.left < 0:
            raise FileProblem(
                f"Regnearket har mere end {danish_number(MAX_XML_ELEMENTS, 0)} XML-elementer (rækker, celler "
                "og tekster) og kan ikke indlæses. Del det op i flere filer."
            )


def _parse(source, reader, budget: _ElementBudget) -> Iterator[None]:
    """Feed the XML of `source` to expat a chunk at a time, with `reader`'s handlers (start, end, text), each
    element spending one of `budget`; yield after each chunk, so that the caller hands on what it completed.
    A part with a document type (which XLSX never has) is refused, so no entity is ever expanded."""

    def start(name, attributes):
        budget.spend()
        reader.start(name, attributes)

    def no_document_type(*args):
        raise FileProblem(_NOT_A_WORKBOOK)

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = no_document_type
    parser.StartElementHandler, parser.EndElementHandler = start, reader.end
    parser.CharacterDataHandler = reader.text
    while chunk := source.read(_CHUNK_BYTES):
        parser.Parse(chunk, False)
        yield
    parser.Parse(b"", True)
    yield


def _is_text(path: list[str]) -> bool:
    """Whether the innermost element of `path` is the text of a shared or inline string: a <t> of the string,
    or of one of its runs of rich text; not of its phonetic guide."""
    return tuple(path[-2:]) in _TEXT_PATHS or tuple(path[-3:]) in _TEXT_PATHS


class _SharedStrings:
    """expat handlers that collect a workbook's shared strings as openpyxl reads them: each string's text
    without its formatting."""

    def __init__(self):
        self.strings: list[str] = []
        self.path: list[str] = []
        self.parts: list[str] = []

    def start(self, name, attributes):
        self.path.append(name)

    def text(self, data):
        if _is_text(self.path):
            self.parts.append(data)

    def end(self, name):
        self.path.pop()
        if name == _STRING:
            # As openpyxl reads them: Excel writes a literal "_x0041_" as "_x005F_x0041_".
            self.strings.append("".join(self.parts).replace("x005F_", ""))
            self.parts.clear()


class _SheetReader:
    """expat handlers that read a worksheet's rows as openpyxl's parser does (values only, no formulas): a
    row or cell without its reference follows the one before it; numbers, dates (by the cell's style), truth
    values and texts (shared or inline) become their cell texts. Blank cells take no room; a value in a column
    beyond MAX_COLUMNS refuses the file."""

    def __init__(self, shared_strings: list[str], workbook):
        self.shared_strings = shared_strings
        self.date_styles, self.duration_styles = workbook._date_formats, workbook._timedelta_formats
        self.epoch = workbook.epoch
        self.rows: list[tuple[int, list[str]]] = []  # completed, not yet handed on
        self.path: list[str] = []
        self.row, self.texts, self.column = 0, [], 0
        self.kind, self.style, self.value, self.inline = "n", 0, [], None

    def start(self, name, attributes):
        self.path.append(name)
        if name == _ROW:
            self.row = int(attributes["r"]) if "r" in attributes else self.row + 1
            self.texts, self.column = [], 0
        elif name == _CELL:
            reference = attributes.get("r")
            self.column = coordinate_to_tuple(reference)[1] if reference else self.column + 1
            self.kind, self.style = attributes.get("t", "n"), int(attributes.get("s") or 0)
            self.value, self.inline = [], None
        elif self.path[-2:] == [_CELL, _INLINE]:
            self.inline = []

    def text(self, data):
        if self.path[-2:] == [_CELL, _VALUE]:
            self.value.append(data)
        elif self.inline is not None and _is_text(self.path):
            self.inline.append(data)

    def end(self, name):
        self.path.pop()
        if name == _CELL:
            text = _cell_text(self.cell_value())
            if not text:
                return
            if self.column > MAX_COLUMNS:
                raise FileProblem(
                    f"Række {self.row} har en celle i kolonne {self.column}; "
                    f"højst {MAX_COLUMNS} kan indlæses."
                )
            self.texts.extend([""] * (self.column - len(self.texts)))
            self.texts[self.column - 1] = text
        elif name == _ROW:
            self.rows.append((self.row, self.texts))

    def cell_value(self):
        if self.kind == "inlineStr":
            return None if self.inline is None else "".join(self.inline)
        value = "".join(self.value)
        if not value:
            return None
        if self.kind == "n":
            number = _cast_number(value)
            if self.style not in self.date_styles:
                return number
            try:
                return from_excel(number, self.epoch, timedelta=self.style in self.duration_styles)
            except (OverflowError, ValueError):
                return "#VALUE!"
        if self.kind == "s":
            return self.shared_strings[int(value)]
        if self.kind == "b":
            return bool(int(value))
        if self.kind == "d":
            return from_ISO8601(value)
        return value  # a formula's text ("str") or an error ("e")


def _xlsx_records(content: bytes) -> Iterator[tuple[int, list[str]]]:
    """The first sheet's rows as they are read, numbered as in the sheet (rows it leaves out are blank).

    The zip's directory gives every part's unpacked size before any is read (and unpacking stops at that
    size). openpyxl reads the small parts that say where the first sheet and the shared strings are and which
    styles are dates; its sheet and string readers are not used, as they build an object per element of a
    whole row or string table, which a file of a few kilobytes can make millions long. The shared strings and
    the sheet are streamed here, element by element, within MAX_XML_ELEMENTS."""
    not_a_workbook = FileProblem(_NOT_A_WORKBOOK)
    try:
        archive = _Workbook(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise not_a_workbook from None
    with archive:
        if sum(member.file_size for member in archive.infolist()) > MAX_UNPACKED_BYTES:
            raise FileProblem(
                f"Regnearket fylder mere end {megabytes(MAX_UNPACKED_BYTES)}, når det pakkes ud, og kan ikke "
                "indlæses. Del det op i flere filer."
            )
        try:
            package = Manifest.from_tree(fromstring(archive.read(ARC_CONTENT_TYPES)))
            workbook = WorkbookParser(archive, _find_workbook_part(package).PartName[1:], keep_links=False)
            workbook.parse()
            apply_stylesheet(archive, workbook.wb)  # which number formats are dates
            names = set(archive.namelist())
            first_sheet = next(rel.target for _, rel in workbook.find_sheets() if rel.target in names)
            strings_part = package.find(SHARED_STRINGS)
        except FileProblem:
            raise
        except Exception:  # openpyxl raises many kinds for a file that is not a workbook
            raise not_a_workbook from None
        budget = _ElementBudget()
        try:
            strings = _SharedStrings()
            if strings_part is not None:
                with archive.stream(strings_part.PartName[1:]) as source:
                    for _ in _parse(source, strings, budget):
                        pass
            sheet = _SheetReader(strings.strings, workbook.wb)
            with archive.stream(first_sheet) as source:
                for _ in _parse(source, sheet, budget):
                    yield from sheet.rows
                    sheet.rows.clear()
        except FileProblem:
            raise
        except Exception:  # a broken sheet shows only as it is read
            raise not_a_workbook from None


def missing_columns_message(missing: list[str], found: list[str]) -> str:
    message = "Filen mangler kolonnen/kolonnerne: " + ", ".join(missing) + "."
    if len(found) == 1:
        message += " Kolonnerne skal adskilles med komma eller semikolon."
    return message


# A number once its Danish form is turned into the machine form: digits and at most one point. No exponent:
# Decimal reads '1e1000000' at once, but every sum, comparison or int() of it then works on a million digits.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


def parse_decimal(text: str, *, max_decimals: int = 2) -> Decimal:
    """A number as Danes and machines write it: '1.234,56', '1234,56' or '1234.56', negative with '-' or,
    as the pages show it, '−'. Raises ValueError."""
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "").replace("\u2212", "-")
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
