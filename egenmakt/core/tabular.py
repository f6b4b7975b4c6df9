"""Tables leaving the system as CSV or XLSX, made with ``tablib``.

Every cell passes through ``_cell`` on its way into a file, so formula escaping (ASVS
1.2.10, OWASP's CSV injection advice) is applied in one place for every export: a cell that
a spreadsheet would run as a formula is written as text instead.

The access log's export streams: an auditor may export millions of rows, and a
``tablib.Dataset`` holds all of its rows in memory before it writes the first byte. That one
export therefore goes through ``streaming_csv_response``, which writes line by line with the
same ``csv`` dialect tablib uses and the same ``_cell``, so its memory stays bounded.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import tablib
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.functional import Promise

# The byte-order mark makes Excel read a CSV file as UTF-8 (å, ä, ö).
BOM = "\ufeff"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# What a spreadsheet reads as the start of a formula (=, +, -, @) or may strip before it
# looks for one (tab, carriage return, line feed).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise(value: object) -> str:
    """Stop spreadsheet formula injection (ASVS 1.2.10, OWASP's CSV injection advice)."""
    text = "" if value is None else str(value)
    if text[:1] in _FORMULA_STARTS:
        return "'" + text
    return text


def _cell(value: Any) -> Any:
    """Text is escaped; numbers, dates and empty cells keep their type, so a spreadsheet
    can still count with them (a negative count is a number, not a formula)."""
    if isinstance(value, str | Promise):
        return neutralise(value)
    return value


@dataclass
class Table:
    """One table of an export: a sheet in XLSX, a block of lines in CSV."""

    title: str
    headers: list[Any]
    rows: list[list[Any]] = field(default_factory=list)


def _dataset(table: Table) -> tablib.Dataset:
    data = tablib.Dataset(title=neutralise(table.title))
    data.headers = [_cell(header) for header in table.headers]
    for row in table.rows:
        data.append([_cell(value) for value in row])
    return data


def _title_line(title: str) -> str:
    heading = tablib.Dataset()
    heading.append([neutralise(title)])
    return str(heading.export("csv"))


def to_csv(tables: Sequence[Table], *, bom: bool = True) -> str:
    """The tables as CSV text; several are separated by an empty line, each under its title."""
    parts = [BOM] if bom else []
    for i, table in enumerate(tables):
        if len(tables) > 1:
            if i:
                parts.append("\r\n")
            parts.append(_title_line(table.title))
        parts.append(str(_dataset(table).export("csv")))
    return "".join(parts)


def to_xlsx(tables: Sequence[Table]) -> bytes:
    """The tables as a workbook, one sheet each, headers bold and frozen."""
    book = tablib.Databook([_dataset(table) for table in tables])
    # Sheet names may not hold []:*?/\ (and at most 31 characters): those are left out.
    content = book.export("xlsx", invalid_char_subst="", column_width="adaptive")
    return bytes(content)


def csv_response(table: Table, *, filename: str, bom: bool = True) -> HttpResponse:
    """One table as a CSV download."""
    response = HttpResponse(to_csv([table], bom=bom), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class _Echo:
    """A file that hands back what is written to it, so ``csv.writer`` yields lines."""

    def write(self, value: str) -> str:
        return value


def csv_lines(headers: Sequence[Any], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The CSV lines one at a time, the first with the byte-order mark."""
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow([_cell(header) for header in headers])
    for row in rows:
        yield writer.writerow([_cell(value) for value in row])


def streaming_csv_response(lines: Iterator[str], *, filename: str) -> StreamingHttpResponse:
    """A CSV download written while it is sent (from ``csv_lines``)."""
    response = StreamingHttpResponse(lines, content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
