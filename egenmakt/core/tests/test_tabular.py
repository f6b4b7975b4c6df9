"""Exports as CSV and XLSX: every cell a spreadsheet would run is written as text."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from openpyxl import load_workbook

from egenmakt.core.tabular import Table, csv_lines, neutralise, to_csv, to_xlsx

EVIL = 'HYPERLINK("http://evil.example")'


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r", "\n"])
def test_cells_that_a_spreadsheet_would_run_are_neutralised(start):
    assert neutralise(start + EVIL).startswith("'")


def test_ordinary_cells_are_left_alone():
    assert neutralise("Psykiatrimottagning Centrum") == "Psykiatrimottagning Centrum"
    assert neutralise(None) == ""


def _read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def test_csv_escapes_titles_headers_and_cells_but_keeps_numbers():
    tables = [
        Table("=Omgångar", ["Omgång", "@Antal"], [["=" + EVIL, -3], ["Höst", 4]]),
        Table("Arbetsplatser", ["Namn"], [["+46 31 00 00"]]),
    ]
    text = to_csv(tables)
    assert text.startswith("\ufeff")
    assert _read_csv(text) == [
        ["'=Omgångar"],
        ["Omgång", "'@Antal"],
        ["'=" + EVIL, "-3"],  # a count below zero is a number, not a formula
        ["Höst", "4"],
        [],
        ["Arbetsplatser"],
        ["Namn"],
        ["'+46 31 00 00"],
    ]


def test_one_table_has_no_title_line_and_the_mark_can_be_left_out():
    text = to_csv([Table("Tratt", ["Steg", "Antal"], [["Ansökt", 6]])], bom=False)
    assert text == "Steg,Antal\r\nAnsökt,6\r\n"


def test_xlsx_writes_a_formula_as_text_and_numbers_as_numbers():
    content = to_xlsx(
        [
            Table("Omgångar: vår/höst", ["Omgång", "Antal"], [["=" + EVIL, 10], ["Vår", None]]),
            Table("Tom", ["Namn"], []),
        ]
    )
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Omgångar vårhöst", "Tom"]
    sheet = book["Omgångar vårhöst"]
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["Omgång", "Antal"],
        ["'=" + EVIL, 10],
        ["Vår", None],
    ]
    assert sheet["A2"].data_type == "s"
    assert sheet["A1"].font.b


def test_streamed_lines_are_escaped_and_read_one_row_at_a_time():
    read = []

    def rows() -> Iterator[tuple[str, int]]:
        for i in range(3):
            read.append(i)
            yield ("=1+1" if i == 1 else f"rad {i}", i)

    lines = csv_lines(["Rad", "Nummer"], rows())
    assert next(lines) == "\ufeffRad,Nummer\r\n"
    assert read == []  # nothing is read before the first row is asked for
    assert next(lines) == "rad 0,0\r\n"
    assert read == [0]
    assert list(lines) == ["'=1+1,1\r\n", "rad 2,2\r\n"]
