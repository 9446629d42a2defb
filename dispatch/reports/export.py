"""Reports as spreadsheets: CSV (UTF-8 with BOM, so Excel reads the Chinese) and XLSX.

A report is a `Sheet`: a title line and one or more blocks (a heading, column labels,
rows). Labels arrive translated; this module only lays them out.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from unicodedata import east_asian_width

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter


@dataclass(frozen=True)
class Percent:
    """A rate: 50.0% in the CSV, a number formatted as a percentage in Excel, blank if None."""

    value: float | None


Cell = str | int | float | Percent | None


@dataclass(frozen=True)
class Block:
    columns: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    heading: str | None = None


@dataclass(frozen=True)
class Sheet:
    name: str
    title: str
    blocks: Sequence[Block] = field(default_factory=list)


def _text(value: Cell) -> str | int | float:
    if isinstance(value, Percent):
        return "" if value.value is None else f"{value.value * 100:.1f}%"
    return "" if value is None else value


def to_csv(sheet: Sheet) -> bytes:
    """The blocks one after another, a blank line between; the file name carries the title."""
    out = io.StringIO()
    writer = csv.writer(out)
    for i, block in enumerate(sheet.blocks):
        if i:
            writer.writerow([])
        if block.heading:
            writer.writerow([block.heading])
        writer.writerow(block.columns)
        writer.writerows([_text(v) for v in row] for row in block.rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _width(value: object) -> int:
    # A Chinese character takes two columns of an Excel cell.
    return sum(2 if east_asian_width(ch) in "WF" else 1 for ch in str(value))


def _xlsx_value(value: Cell) -> str | int | float | None:
    """What a cell can hold: control characters (a name typed with one) are dropped."""
    if isinstance(value, Percent):
        return value.value
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def to_xlsx(sheet: Sheet) -> bytes:
    """The title on the first row, then the blocks, headings and column labels in bold."""
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet.name[:31]  # Excel's limit for a sheet name
    ws.append([sheet.title])
    bold = Font(bold=True)
    widths: dict[int, int] = {}
    for i, block in enumerate(sheet.blocks):
        if i:
            ws.append([])
        if block.heading:
            ws.append([block.heading])
            ws.cell(ws.max_row, 1).font = bold
        ws.append(list(block.columns))
        for cell in ws[ws.max_row]:
            cell.font = bold
        for row in block.rows:
            ws.append([_xlsx_value(v) for v in row])
            for column, value in enumerate(row, start=1):
                if isinstance(value, Percent):
                    ws.cell(ws.max_row, column).number_format = "0.0%"
        for column, label in enumerate(block.columns, start=1):
            longest = max([_width(label), *(_width(_text(r[column - 1])) for r in block.rows)])
            widths[column] = max(widths.get(column, 0), longest)
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = min(max(width + 2, 10), 60)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
