"""The team report as a spreadsheet: CSV (UTF-8 with BOM, so Excel reads the Chinese) and XLSX."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence

from openpyxl import Workbook
from openpyxl.styles import Font

from dispatch.reports.service import Period, TeamRates

COLUMNS = (
    "report.team",
    "report.dispatched",
    "report.accepted",
    "report.resolved",
    "report.returned",
    "report.callbacks",
    "report.satisfied",
    "report.response_rate",
    "report.resolution_rate",
    "report.satisfaction_rate",
)


def _rows(rates: Sequence[TeamRates], english: bool) -> list[list[str | int | float | None]]:
    return [
        [
            (r.team_name_en or r.team_code) if english else r.team_name,
            r.dispatched,
            r.accepted,
            r.resolved,
            r.returned,
            r.callbacks,
            r.satisfied,
            r.response_rate,
            r.resolution_rate,
            r.satisfaction_rate,
        ]
        for r in rates
    ]


def _percent(value: str | int | float | None, is_rate: bool) -> str | int | float | None:
    if not is_rate:
        return value
    return "" if value is None else f"{float(value) * 100:.1f}%"


def to_csv(rates: Sequence[TeamRates], t: Callable[[str], str], english: bool) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([t(c) for c in COLUMNS])
    for row in _rows(rates, english):
        writer.writerow([_percent(v, i >= 7) for i, v in enumerate(row)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(
    rates: Sequence[TeamRates], t: Callable[[str], str], english: bool, period: Period
) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = t("report.sheet")
    sheet.append([f"{t('report.period')}: {period.first.isoformat()} — {period.last.isoformat()}"])
    sheet.append([t(c) for c in COLUMNS])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in _rows(rates, english):
        sheet.append(row)
        for cell in sheet[sheet.max_row][7:]:
            cell.number_format = "0.0%"
    sheet.column_dimensions["A"].width = 28
    for letter in "BCDEFGHIJ":
        sheet.column_dimensions[letter].width = 12
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
