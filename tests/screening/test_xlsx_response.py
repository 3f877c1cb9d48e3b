"""The one-sheet workbooks every list export downloads (config.web.tabular.xlsx_response), read back with
openpyxl as a user's spreadsheet program would read them."""

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from config.web.tabular import xlsx_response

HEADER = ["navn", "afdeling_nr", "areal_m2", "lejemaal", "startdato", "en_meget_lang_kolonneoverskrift"]


def workbook(rows, header=HEADER, title="Afdelinger"):
    response = xlsx_response("afdelinger.xlsx", title, header, rows)
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="afdelinger.xlsx"'
    return load_workbook(io.BytesIO(response.content))


def test_header_is_bold_frozen_and_sets_the_column_widths():
    book = workbook([])
    assert book.sheetnames == ["Afdelinger"]
    sheet = book.active
    assert [cell.value for cell in sheet[1]] == HEADER
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    widths = [sheet.column_dimensions[letter].width for letter in "ABCDEF"]
    assert widths == [12, 13, 12, 12, 12, len("en_meget_lang_kolonneoverskrift") + 2]


def test_values_keep_their_types_and_dates_their_format():
    rows = [
        ("Æblehaven & Søndergård <1>", "007", Decimal("1136.00"), 180, date(2028, 1, 1), "< 5"),
        ("  Mellemrum  ", "008", Decimal("42.64"), 0, None, ""),
    ]
    sheet = workbook(iter(rows)).active
    first, second = list(sheet.iter_rows(min_row=2))
    # A date reads back as midnight of the day; 1136.00 as the whole number it is.
    expected = ["Æblehaven & Søndergård <1>", "007", 1136, 180, datetime(2028, 1, 1), "< 5"]
    assert [cell.value for cell in first] == expected
    assert first[4].number_format == "yyyy-mm-dd"
    assert [cell.number_format for cell in first[:4]] == ["General"] * 4
    assert not any(cell.font.b for cell in first)
    # Nothing and an empty text both leave the cell empty.
    assert [cell.value for cell in second] == ["  Mellemrum  ", "008", 42.64, 0, None, None]


def test_text_is_never_a_formula_and_loses_characters_xml_cannot_hold():
    rows = [('=HYPERLINK("http://example.com")', "Linje\x0bskift", 1, 2, None, None)]
    sheet = workbook(rows).active
    assert sheet["A2"].data_type == "s" and sheet["A2"].value == '\'=HYPERLINK("http://example.com")'
    assert sheet["B2"].value == "Linjeskift"


def test_sheet_title_is_cut_to_excels_31_characters():
    book = workbook([], title="Screening 2024 for hele landet med alle afdelinger")
    assert book.sheetnames == ["Screening 2024 for hele landet "]


def test_a_value_no_export_holds_is_refused():
    with pytest.raises(TypeError):
        xlsx_response("x.xlsx", "X", ["ja"], [(True,)])
