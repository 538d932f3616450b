"""How the app's tables look in Excel: the CSV dialect French Excel opens, and the layout
of a worksheet."""

from __future__ import annotations

from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

# French Excel reads ";" as the separator of a CSV file.
CSV_DELIMITER = ";"


def table_layout(sheet, widths: list[int]) -> None:
    """Bold frozen header with filters, and readable column widths."""
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
