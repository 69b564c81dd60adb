"""Every spreadsheet the portal hands out (CSV and XLSX) is written here, so that none carries
a live formula.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is read as a formula by
spreadsheet software: a registrant's answer `=HYPERLINK("http://…";"x")` would become a link
that leaks data, or worse (OWASP, "CSV Injection"). Such a cell gets a leading `'`, which
spreadsheets show as text. Numbers stay numbers: an `int`, a `float` or a `Decimal` is left as
it is, and so is a string that is only a signed number or a telephone number (`-4.1`,
`+33299000000`), which the national standard of places needs verbatim and which no spreadsheet
can turn into a call.

Two CSV shapes: `spreadsheet=True` (semicolons and a byte-order mark, what French spreadsheet
software opens without an import wizard) for the staff's exports, `spreadsheet=False` (commas,
no mark, RFC 4180) for open data read by programs.
"""

import csv
import datetime
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal

from django.http import HttpResponse, StreamingHttpResponse

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Digits with separators only: no letter, quote or operator that a formula could use.
_INERT = re.compile(r"[+-]?\d[\d .,]*")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value):
    """The cell as it can safely be written: numbers and dates unchanged, `None` empty, text
    prefixed with `'` when a spreadsheet would read it as a formula."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal | datetime.date):
        return value
    text = str(value)
    if text.startswith(FORMULA_TRIGGERS) and not _INERT.fullmatch(text):
        return "'" + text
    return text


def restore(text: str) -> str:
    """Undo `neutralise` on a cell read back from one of our CSV files (the directory's import
    takes its own export), leaving every other value as it is."""
    if text.startswith("'") and neutralise(text[1:]) == text:
        return text[1:]
    return text


class _Line:
    """What `csv.writer` writes to: each `write` hands back the line instead of storing it."""

    def write(self, line: str) -> str:
        return line


def csv_lines(
    *, header: Sequence, rows: Iterable[Sequence], spreadsheet: bool = True
) -> Iterator[str]:
    """The CSV file line by line, every cell neutralised; rows may be a lazy iterator."""
    writer = csv.writer(_Line(), delimiter=";" if spreadsheet else ",")
    if spreadsheet:
        yield "\ufeff"
    yield writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        yield writer.writerow([neutralise(cell) for cell in row])


def csv_write(
    stream, *, header: Sequence, rows: Iterable[Sequence], spreadsheet: bool = False
) -> None:
    """Write the CSV file to a text stream (a management command's output, a file)."""
    for line in csv_lines(header=header, rows=rows, spreadsheet=spreadsheet):
        stream.write(line)


def csv_response(
    *, filename: str, header: Sequence, rows: Iterable[Sequence], spreadsheet: bool = True
) -> StreamingHttpResponse:
    """A download streamed as it is written: 100,000 subscribers never sit in memory at once."""
    response = StreamingHttpResponse(
        csv_lines(header=header, rows=rows, spreadsheet=spreadsheet),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(
    *, filename: str, header: Sequence, rows: Iterable[Sequence], title: str
) -> HttpResponse:
    """An XLSX download of one sheet; no cell is ever a formula."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    def cells(row):
        for value in map(neutralise, row):
            # XML 1.0 has no place for most control characters; openpyxl refuses them.
            yield ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    sheet.append(list(cells(header)))
    for row in rows:
        sheet.append(list(cells(row)))
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class NeutralisedSpreadsheetMixin:
    """For a Wagtail listing with `list_export` (its own CSV and XLSX downloads): every cell
    goes through `neutralise`, which Wagtail's export does not do for CSV."""

    def preprocess_field_value(self, field, value, export_format):
        return neutralise(super().preprocess_field_value(field, value, export_format))
