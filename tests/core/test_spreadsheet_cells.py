"""The one CSV writer: a text a spreadsheet would run is marked as text, numbers stay numbers."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from repertoire.core.spreadsheet_cells import CsvWriter, csv_text, restored_text


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://evil.example/x","Voir")',
        "+1+1",
        "-2+3",
        "@SUM(A1:A2)",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_a_text_starting_like_a_formula_gets_a_quote_and_reads_back(text):
    line = csv_text([[text, "ok"]])
    (row,) = csv.reader(io.StringIO(line), delimiter=";")
    assert row == ["'" + text, "ok"]
    assert restored_text(row[0]) == text


def test_numbers_stay_numbers_negative_ones_too():
    assert csv_text([[-3, -2.5, 0, Decimal("-1.50"), True, None, "a-b"]]) == (
        "-3;-2.5;0;-1.50;True;;a-b\r\n"
    )
    assert csv_text([[-2.5, 71.4, "-2,5"]], decimal_comma=True) == "-2,5;71,4;'-2,5\r\n"


def test_other_values_are_written_as_their_text_and_checked_as_such():
    class Name:
        def __str__(self):
            return "=1+1"

    assert csv_text([[Name()]]) == "'=1+1\r\n"


def test_a_writer_writes_to_its_file_and_hands_back_the_line():
    out = io.StringIO()
    writer = CsvWriter(out, lineterminator="\n")
    assert writer.writerow(["a;b", "=x"]) == '"a;b";\'=x\n'
    writer.writerows([[1], []])
    assert out.getvalue() == '"a;b";\'=x\n1\n\n'


def test_an_ordinary_quote_is_kept_when_read_back():
    assert restored_text("'ordinaire") == "'ordinaire"
    assert restored_text("l'appellation") == "l'appellation"
