"""What a cell of a CSV file the app writes holds, and the one CSV writer.

A spreadsheet runs a cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return as a formula (OWASP "CSV injection"): a weighing titled
``=HYPERLINK("http://…","Voir")`` would become a live link in the file an officer opens.
Such a text is written with a leading single quote, which spreadsheets read as "this is
text"; numbers (a negative one too) stay numbers. ``typesetting.spreadsheets`` is where the
apps take their writers from: it re-exports this CSV writer beside the XLSX one (the
journal, below typesetting, takes it from here).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, TextIO

# French Excel reads ";" as the separator of a CSV file.
CSV_DELIMITER = ";"

# What a spreadsheet takes for the start of a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Spreadsheets show a text cell's leading single quote as "text follows", not as text.
TEXT_MARK = "'"


def is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def looks_like_formula(value: Any) -> bool:
    """A text a spreadsheet would run (numbers are never formulas, negative ones included)."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def neutral_text(text: str) -> str:
    """The text as a CSV cell: marked as text when a spreadsheet would run it."""
    return TEXT_MARK + text if looks_like_formula(text) else text


def restored_text(text: str) -> str:
    """A cell read back from a file the app wrote: the text mark taken off again."""
    if text.startswith(TEXT_MARK) and looks_like_formula(text[len(TEXT_MARK) :]):
        return text[len(TEXT_MARK) :]
    return text


class _Echo:
    """A file whose ``write`` hands back what it is given: one line of the writer."""

    def write(self, value: str) -> str:
        return value


class CsvWriter:
    """The one way the app writes CSV: every text cell neutralised, numbers as numbers.

    ``out`` is a text file (a ``StringIO``, standard output); without one, ``writerow``
    only returns the line, for a response streamed line by line. ``decimal_comma`` writes
    decimals as French Excel reads them ("71,4": "71.4" would be text, or a date).
    """

    def __init__(
        self,
        out: TextIO | None = None,
        *,
        delimiter: str = CSV_DELIMITER,
        lineterminator: str = "\r\n",
        decimal_comma: bool = False,
    ):
        self._out = out
        self._lines = csv.writer(_Echo(), delimiter=delimiter, lineterminator=lineterminator)
        self._decimal_comma = decimal_comma

    def cell(self, value: Any) -> Any:
        if value is None or isinstance(value, bool):
            return value
        if is_number(value):
            if self._decimal_comma and isinstance(value, float | Decimal):
                return str(value).replace(".", ",")
            return value
        return neutral_text(value if isinstance(value, str) else str(value))

    def writerow(self, row: Iterable[Any]) -> str:
        """Write one row; returns its line."""
        line = self._lines.writerow([self.cell(value) for value in row])
        if self._out is not None:
            self._out.write(line)
        return line

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_text(rows: Iterable[Iterable[Any]], **options) -> str:
    """The rows as one CSV text (options as ``CsvWriter``'s)."""
    return "".join(CsvWriter(**options).writerow(row) for row in rows)
