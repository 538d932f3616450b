"""Hostile and oversized employee files are refused whole or by line and column, before
anything is stored: a decompression bomb, a cell longer than any field, a NUL byte."""

from __future__ import annotations

import io
import zipfile
from functools import cache

import pytest

from repertoire.core.limits import CELL_MAX_CHARS, LONG_TEXT_MAX, ROW_MAX_CELLS
from repertoire.core.payroll import PayrollFileError, read_payroll
from repertoire.core.zips import check_zip
from tests.core.test_payroll import FRENCH_HEADERS, csv_bytes, xlsx_bytes

ROW = ["N001", "DUPONT", "Marie", "Comptable", "Finances", "01/02/2010"]


@cache
def bomb(cell_bytes: int) -> bytes:
    """A real workbook whose first row's last cell (an ignored column, "Observations") is
    ``cell_bytes`` letters long: its sheet is
    rewritten with an inline string, streamed into the zip (a few hundred KB on disk)."""
    plain = xlsx_bytes([FRENCH_HEADERS, ROW])
    source = zipfile.ZipFile(io.BytesIO(plain))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename != "xl/worksheets/sheet1.xml":
                target.writestr(member, data)
                continue
            head, _, _ = data.partition(b"<sheetData>")
            with target.open(member.filename, "w", force_zip64=True) as sheet:
                sheet.write(head + b"<sheetData>")
                sheet.write(b'<row r="1">')
                names = ("Matricule", "Nom", "Intitulé", "Observations")
                for column, name in zip("ABCD", names, strict=True):
                    sheet.write(f'<c r="{column}1" t="inlineStr"><is><t>'.encode())
                    sheet.write(name.encode() + b"</t></is></c>")
                sheet.write(b'</row><row r="2"><c r="A2" t="inlineStr"><is><t>N1</t></is></c>')
                sheet.write(b'<c r="B2" t="inlineStr"><is><t>DUPONT</t></is></c>')
                sheet.write(b'<c r="C2" t="inlineStr"><is><t>Comptable</t></is></c>')
                sheet.write(b'<c r="D2" t="inlineStr"><is><t>')
                chunk = b"a" * 2**20
                for _ in range(cell_bytes // len(chunk)):
                    sheet.write(chunk)
                sheet.write(b"a" * (cell_bytes % len(chunk)))
                sheet.write(b"</t></is></c></row></sheetData></worksheet>")
    return out.getvalue()


def test_an_xlsx_that_expands_to_hundreds_of_megabytes_is_refused_before_it_is_read():
    content = bomb(200 * 2**20)
    assert len(content) < 1 * 2**20  # passes any upload cap
    with pytest.raises(PayrollFileError) as refused:
        read_payroll(content, "personnel.xlsx")
    assert "décompress" in str(refused.value)


def test_a_zip_declaring_more_than_the_cap_in_total_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for number in range(3):
            archive.writestr(f"part{number}.xml", b"x" * 4000)
    check_zip(out.getvalue(), max_total=12_000)
    with pytest.raises(ValueError, match="Mo une fois décompressé"):
        check_zip(out.getvalue(), max_total=11_999)


def test_an_ordinary_workbook_passes_the_zip_checks():
    rows = [FRENCH_HEADERS] + [
        [f"N{n:05}", "DUPONT", "Marie", "Comptable", "Finances", "01/02/2010"] for n in range(5000)
    ]
    check_zip(xlsx_bytes(rows), ratio_from=2**16)  # expands far less than a bomb


def test_an_xlsx_cell_longer_than_excel_holds_is_refused_by_line_and_column():
    content = bomb(CELL_MAX_CHARS + 1)
    payroll = read_payroll(content, "personnel.xlsx")
    assert payroll.rows == []
    [error] = payroll.errors
    assert (error.line, error.column) == (2, "Observations")
    assert f"{CELL_MAX_CHARS + 1} caractères" in error.message


def test_a_csv_cell_over_the_csv_modules_limit_is_refused_by_line_and_column():
    huge = "x" * 131_073
    payroll = read_payroll(csv_bytes([FRENCH_HEADERS, ROW, [*ROW[:1], huge, *ROW[2:]]]))
    assert [row.line for row in payroll.rows] == [2]
    [error] = payroll.errors
    assert (error.line, error.column) == (3, "Nom")
    assert str(CELL_MAX_CHARS) in error.message


def test_a_long_job_description_is_refused_not_stored():
    headers = [*FRENCH_HEADERS, "Description du poste"]
    fine = [*ROW, "d" * LONG_TEXT_MAX]
    long = ["N002", *ROW[1:], "d" * (LONG_TEXT_MAX + 1)]
    payroll = read_payroll(csv_bytes([headers, fine, long]))
    assert [row.line for row in payroll.rows] == [2]
    [error] = payroll.errors
    assert (error.line, error.column) == (3, "Description du poste")


def test_an_oversized_header_is_refused_whole():
    with pytest.raises(PayrollFileError, match="ligne 1"):
        read_payroll(csv_bytes([[*FRENCH_HEADERS, "h" * (CELL_MAX_CHARS + 1)], ROW]))


def test_a_nul_byte_after_the_first_kilobytes_is_refused_with_its_line():
    rows = [FRENCH_HEADERS] + [[f"N{n:04}", *ROW[1:]] for n in range(200)]
    content = csv_bytes(rows)
    assert len(content) > 4096
    at = content.index(b"N0150")
    content = content[:at] + b"N\x000150" + content[at + 5 :]
    with pytest.raises(PayrollFileError, match="ligne 152 : caractère nul"):
        read_payroll(content, "personnel.csv")


def test_a_long_bad_value_is_quoted_short_in_its_message():
    payroll = read_payroll(csv_bytes([FRENCH_HEADERS, [*ROW[:5], "9" * 30_000]]))
    [error] = payroll.errors
    assert len(error.message) < 200 and "30000 caractères" in error.message


# --- the other tables: appellations, titles to match ---------------------------------


def test_a_table_cell_over_the_csv_modules_limit_is_refused_with_line_and_column():
    from repertoire.core.tables import TableInvalid, read_table

    data = ("code;appellation\r\nx;Comptable\r\ny;" + "z" * 200_000 + "\r\n").encode()
    with pytest.raises(TableInvalid) as refused:
        read_table(data, {"code": {"code"}, "appellation": {"appellation"}}, {"code"})
    assert refused.value.line == 3
    assert "« appellation »" in refused.value.message


def test_a_table_with_a_nul_byte_is_refused_with_its_line():
    from repertoire.core.tables import TableInvalid, read_table

    data = b"code;appellation\r\n" + b"x;Comptable\r\n" * 400 + b"y;Compt\x00able\r\n"
    with pytest.raises(TableInvalid) as refused:
        read_table(data, {"code": {"code"}, "appellation": {"appellation"}}, {"code"})
    assert refused.value.line == 402


def test_a_long_unknown_header_is_listed_short():
    payroll = read_payroll(csv_bytes([[*FRENCH_HEADERS, "h" * 30_000], [*ROW, "x"]]))
    [ignored] = payroll.ignored
    assert len(ignored) < 200 and "30000 caractères" in ignored


@pytest.mark.parametrize("where", ["above the header", "in a row"])
def test_a_line_of_millions_of_separators_is_refused_before_its_cells_are_read(where):
    """One line of 2 million separators (an 18-MB file can hold 19 million) is refused
    by its line and width, not read cell by cell; a file padded with empty cells up to
    the limit is still read."""
    wide = ";" * 2_000_000
    lines = [";".join(FRENCH_HEADERS), ";".join(ROW)]
    lines.insert(0 if where == "above the header" else 2, wide)
    with pytest.raises(PayrollFileError, match=r"ligne [13] : 2 000 001 cellules, 10 000 au plus"):
        read_payroll("\r\n".join(lines).encode(), "rh.csv")
    padded = [";".join(FRENCH_HEADERS), ";".join(ROW) + ";" * (ROW_MAX_CELLS - len(ROW))]
    assert len(read_payroll("\r\n".join(padded).encode(), "rh.csv").rows) == 1


def test_an_xlsx_sheet_wider_than_the_limit_is_refused_on_its_first_line():
    # A sheet's rows are read as wide as its widest one: the first is refused.
    content = xlsx_bytes([FRENCH_HEADERS, ROW, [None] * ROW_MAX_CELLS + ["x"]])
    with pytest.raises(PayrollFileError, match="ligne 1 : 10 001 cellules, 10 000 au plus"):
        read_payroll(content, "rh.xlsx")
