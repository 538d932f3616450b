"""Every CSV and XLSX file the app writes goes through here: the CSV dialect French Excel
opens, the layout of a worksheet, and writers that never let a text become a formula.

A text a spreadsheet would run (starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return, see ``core.spreadsheet_cells``) is written to CSV behind a single quote,
and to XLSX as a text cell with Excel's quote prefix, never as a formula: openpyxl would
store a ``str`` starting with ``=`` as one. Numbers stay numbers.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook as _Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from repertoire.core.spreadsheet_cells import (
    CSV_DELIMITER,
    CsvWriter,
    csv_text,
    looks_like_formula,
)
from repertoire.core.text import without_controls

__all__ = [
    "CSV_DELIMITER",
    "CsvWriter",
    "Sheet",
    "Spreadsheet",
    "csv_text",
    "table_layout",
]


def table_layout(sheet, widths: list[int]) -> None:
    """Bold frozen header with filters, and readable column widths."""
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


class Sheet:
    """One worksheet being written, row after row."""

    def __init__(self, worksheet):
        self._worksheet = worksheet

    def append(self, row: Iterable[Any]) -> None:
        self._worksheet.append([self._cell(value) for value in row])

    def _cell(self, value: Any) -> Any:
        if isinstance(value, str):
            # A workbook cannot hold control characters: openpyxl would refuse the file.
            value = without_controls(value)
        if not looks_like_formula(value):
            return value
        cell = Cell(self._worksheet, value=value)
        cell.data_type = "s"  # a text, whatever it starts with
        cell.quotePrefix = True  # and Excel keeps it one when the cell is edited
        return cell

    def layout(self, widths: Iterable[int]) -> None:
        """Bold frozen header with filters, and these column widths."""
        table_layout(self._worksheet, list(widths))

    def wrap_last_columns(self, count: int) -> None:
        """Long texts of the last ``count`` columns wrapped, top-aligned, below the header."""
        for row in self._worksheet.iter_rows(min_row=2):
            for cell in row[-count:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")


class Spreadsheet:
    """The one way the app writes an XLSX workbook: sheets of rows, then its bytes."""

    def __init__(self, title: str | None = None):
        self._workbook = _Workbook()
        self._first_sheet_free = True
        if title is not None:
            self._workbook.properties.title = title

    def sheet(self, title: str) -> Sheet:
        """A new sheet, after the others (the first one takes the workbook's own)."""
        if self._first_sheet_free:
            self._first_sheet_free = False
            worksheet = self._workbook.active
            worksheet.title = title
        else:
            worksheet = self._workbook.create_sheet(title)
        return Sheet(worksheet)

    def content(self) -> bytes:
        out = io.BytesIO()
        self._workbook.save(out)
        return out.getvalue()
