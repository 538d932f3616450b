"""Read an employee file as HR systems export it: CSV (any usual encoding and separator)
or XLSX, French or English column names in any order and case.

The reader never stops at the first problem: it returns every row it understood and
every problem it found, each named by its line and column, so that a person fixes the
file once. Nothing here touches a database; the positioning app decides what to write.

A file may also give each person's pay for the year (sex, base and variable pay,
working time), for the pay-transparency reports of ``core.pay``: it is read into
``PayrollRow.pay``, apart from the employee's fields (see
``payroll_columns.PAY_FIELDS``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from repertoire.core.cells import (  # what one cell of an HR export means
    cell_text,
    parse_amount,
    parse_date,
    parse_level,
    parse_sex,
    parse_working_time,
)
from repertoire.core.limits import (
    CELL_MAX_CHARS,
    EMPLOYEE_FILE_MAX_LINES,
    ROW_MAX_CELLS,
    TABLE_MAX_COLUMNS,
    XLSX_MAX_CELLS,
    shown,
)
from repertoire.core.payroll_columns import (
    DATE_FIELDS,
    FIELD_LABELS,
    HEADER_SHOWN_CHARS,
    MAX_LENGTHS,
    PAY_FIELDS,
    PAY_REQUIRED,
    REQUIRED,
    map_columns,
    names_required,
)
from repertoire.core.refusals import Refused
from repertoire.core.zips import check_zip

XLSX_MAGIC = b"PK\x03\x04"
# Old binary Excel (.xls) and other compound documents.
OLE_MAGIC = b"\xd0\xcf\x11\xe0"


NOT_A_TABLE = (
    "ce fichier n'est ni un CSV ni un classeur Excel (.xlsx) : "
    "exportez le personnel en CSV ou en XLSX"
)


class PayrollFileError(Refused):
    """The file as a whole cannot be read (wrong type, no header, missing columns)."""


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"ligne {self.line}" + (f", colonne « {self.column} »" if self.column else "")
        return f"{where} : {self.message}"


@dataclass(frozen=True)
class Pay:
    """One person's pay for the year as the file gives it (see ``core.pay``)."""

    sex: str  # "F" or "M"
    base: Decimal  # annual gross base salary actually paid, > 0
    variable: Decimal  # annual gross variable and complementary pay, >= 0
    working_time: Decimal  # share of full time, in (0, 1]


@dataclass(frozen=True)
class PayrollRow:
    """One employee as the file gives them: only the fields the file has columns for.

    ``values`` holds the employee's fields; ``pay`` their pay, None when the file has no
    pay column or the row leaves every pay cell blank.
    """

    line: int
    values: dict[str, Any]
    pay: Pay | None = None


@dataclass
class PayrollFile:
    format: str  # "csv" or "xlsx"
    columns: dict[str, str]  # field → the header it was read from
    ignored: list[str]  # headers that name no field
    rows: list[PayrollRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    encoding: str = ""
    delimiter: str = ""
    pay_columns: dict[str, str] = field(default_factory=dict)  # pay field → header

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(self.columns)

    @property
    def lines_read(self) -> int:
        return len(self.rows) + len({error.line for error in self.errors if error.line > 1})


def decode(content: bytes) -> tuple[str, str]:
    """The text of a CSV export and its encoding: UTF-8 (with or without BOM) or Windows-1252."""
    if content.startswith(b"\xef\xbb\xbf"):
        try:
            return content[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            # A tool wrote the UTF-8 mark, then the text in Windows-1252: read as such.
            content = content[3:]
    try:
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        # Five byte values have no Windows-1252 character; Latin-1 reads everything.
        return content.decode("latin-1"), "latin-1"


def sniff_delimiter(header_line: str) -> str:
    """The separator of the header line: the most frequent of ; , and tab."""
    counts = {delimiter: header_line.count(delimiter) for delimiter in (";", "\t", ",")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ";"


# Exports often open with a title line or two ("Export du personnel au …"): the header
# is the first of the opening non-blank rows that names every required column.
HEADER_SEARCH_ROWS = 10


def _header_line(text: str) -> str:
    """The line the separator is sniffed on: the header's, else the first non-blank one."""
    lines = [line for line in text.splitlines() if line.strip()][:HEADER_SEARCH_ROWS]
    for line in lines:
        if names_required(line.split(sniff_delimiter(line), TABLE_MAX_COLUMNS)):
            return line
    return lines[0] if lines else ""


def read_payroll(
    content: bytes,
    filename: str = "",
    *,
    progress: Callable[[float], None] | None = None,
    header_only: bool = False,
) -> PayrollFile:
    """Read an employee file; raises ``PayrollFileError`` when it cannot be read at all.

    ``header_only`` reads the columns and no row (what a form asks before the file is
    analysed: does it carry pay?)."""
    if not content.strip():
        raise PayrollFileError("le fichier est vide")
    name = filename.lower()
    if content.startswith(OLE_MAGIC) or name.endswith(".xls"):
        raise PayrollFileError(
            "format Excel 97-2003 (.xls) non lu : enregistrez le fichier en .xlsx ou en CSV"
        )
    check_file(content)
    if content.startswith(XLSX_MAGIC):
        table, meta = _xlsx_rows(content), {"format": "xlsx", "encoding": "", "delimiter": ""}
    elif name.endswith((".xlsx", ".xlsm")):
        raise PayrollFileError("ce fichier .xlsx n'est pas un classeur Excel lisible")
    else:
        text, encoding = decode(content)
        delimiter = sniff_delimiter(_header_line(text))
        table = _csv_rows(text, delimiter)
        meta = {"format": "csv", "encoding": encoding, "delimiter": delimiter}
    return _read_table(_within_lines(table), meta, progress, header_only=header_only)


def _within_lines(rows: Iterator[tuple[int, list[Any]]]) -> Iterator[tuple[int, list[Any]]]:
    """The rows, refused past ``EMPLOYEE_FILE_MAX_LINES`` (the line that goes beyond named)."""
    for count, (line, cells) in enumerate(rows, start=1):
        if count > EMPLOYEE_FILE_MAX_LINES:
            raise PayrollFileError(
                f"ligne {line} : plus de {EMPLOYEE_FILE_MAX_LINES:,} lignes".replace(",", " ")
                + " : un fichier du personnel en a moins ; découpez-le par établissement"
            )
        yield line, cells


# The csv module refuses a field over 131,072 characters with a bare error: it reads them
# all (a file is in memory anyway), and the reader refuses a long cell by its line and
# column (``CELL_MAX_CHARS``).
CSV_FIELD_READ_LIMIT = 2**31 - 1
csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_READ_LIMIT))


def check_file(content: bytes) -> None:
    """The checks made on a whole file before it is read, or kept to be read later:
    what an XLSX file's zip declares (a decompression bomb), a NUL byte in a CSV file.
    Raises ``PayrollFileError``."""
    if content.startswith(XLSX_MAGIC):
        try:
            check_zip(content)
        except ValueError as exc:
            raise PayrollFileError(f"classeur Excel refusé : {exc}") from None
    elif content.startswith(OLE_MAGIC):
        return  # old Excel: the reader says what to send
    elif b"\x00" in content[:4096]:
        raise PayrollFileError(NOT_A_TABLE)
    elif (nul := content.find(b"\x00")) >= 0:
        # No text holds it, and no database column: refused whole, with its line.
        line = content.count(b"\n", 0, nul) + 1
        raise PayrollFileError(
            f"ligne {line} : caractère nul (octet 0) : le fichier est endommagé ; "
            "exportez de nouveau le personnel en CSV ou en XLSX"
        )


def _check_width(line: int, cells) -> None:
    """A row refused before its cells are read: millions of separators on one line would
    tie the request up for as many reads."""
    if len(cells) > ROW_MAX_CELLS:
        count, most = (f"{number:,}".replace(",", " ") for number in (len(cells), ROW_MAX_CELLS))
        raise PayrollFileError(f"ligne {line} : {count} cellules, {most} au plus")


def _csv_rows(text: str, delimiter: str) -> Iterator[tuple[int, list[Any]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 1
    try:
        for cells in reader:
            _check_width(line, cells)
            yield line, cells
            line = reader.line_num + 1
    except csv.Error as exc:  # a field over even the raised limit
        raise PayrollFileError(f"ligne {line} : fichier CSV illisible ({exc})") from None


def _xlsx_rows(content: bytes) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook  # only XLSX files need it

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # zip and XML errors of a damaged or foreign file
        raise PayrollFileError(f"classeur Excel illisible ({type(exc).__name__})") from exc
    try:
        sheet = workbook.worksheets[0]
        count = 0
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            _check_width(number, cells)
            count += len(cells)
            if count > XLSX_MAX_CELLS:
                raise PayrollFileError(
                    f"ligne {number} : plus de {XLSX_MAX_CELLS:,} cellules".replace(",", " ")
                    + " : le classeur est trop grand pour être lu ; découpez-le"
                )
            yield number, list(cells)
    finally:
        workbook.close()


def _column_name(index: int, headers: list[str] | None = None) -> str:
    """A column as a person finds it: its header, else its letter (A, B, …, AA)."""
    if headers and index < len(headers) and headers[index].strip():
        return shown(headers[index].strip(), 40)
    letters, number = "", index + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _oversized(line: int, cells: list[Any], headers: list[str] | None = None) -> list[RowError]:
    """The cells of a row no field may hold: over ``CELL_MAX_CHARS``, or with a NUL."""
    errors = []
    if len(cells) > TABLE_MAX_COLUMNS and any(
        cell not in (None, "") for cell in cells[TABLE_MAX_COLUMNS:]
    ):
        errors.append(RowError(line, "", f"plus de {TABLE_MAX_COLUMNS} colonnes"))
    for index, cell in enumerate(cells[:TABLE_MAX_COLUMNS]):
        if not isinstance(cell, str):
            continue
        if len(cell) > CELL_MAX_CHARS:
            errors.append(
                RowError(
                    line,
                    _column_name(index, headers),
                    f"cellule de {len(cell)} caractères, {CELL_MAX_CHARS} au plus",
                )
            )
        elif "\x00" in cell:
            errors.append(
                RowError(line, _column_name(index, headers), "caractère nul (octet 0) interdit")
            )
    return errors


def _blank(cells: list[Any]) -> bool:
    return all(cell is None or str(cell).strip() == "" for cell in cells)


def _read_table(
    table: Iterator[tuple[int, list[Any]]],
    meta: dict[str, str],
    progress: Callable[[float], None] | None,
    *,
    header_only: bool = False,
) -> PayrollFile:
    rows = iter(table)
    opening: list[tuple[int, list[Any]]] = []
    for line, cells in rows:
        if _blank(cells):
            continue
        opening.append((line, cells))
        if names_required(cells) or len(opening) == HEADER_SEARCH_ROWS:
            break
    if not opening:
        raise PayrollFileError("aucune ligne d'en-tête : le fichier ne contient que des vides")
    # No row names the required columns: report on the first, the likeliest header.
    header_line, headers = opening[-1] if names_required(opening[-1][1]) else opening[0]
    if problems := _oversized(header_line, headers):
        raise PayrollFileError(str(problems[0]))
    headers = ["" if cell is None else str(cell) for cell in headers]
    by_index, by_field, ignored = map_columns(headers)
    missing = [FIELD_LABELS[name] for name in REQUIRED if name not in by_field]
    if missing:
        raise PayrollFileError(
            f"ligne {header_line} : colonne(s) obligatoire(s) absente(s) : {', '.join(missing)}"
            f" (en-têtes lus : {_headers_read(headers)})"
        )
    pay_index, pay_columns = _split_pay_columns(by_index, by_field)
    if pay_columns:
        missing = [FIELD_LABELS[name] for name in PAY_REQUIRED if name not in pay_columns]
        if missing:
            raise PayrollFileError(
                f"ligne {header_line} : colonne(s) de rémunération absente(s) : "
                f"{', '.join(missing)} (une rémunération se lit avec le sexe, le salaire de "
                f"base et le temps de travail ; en-têtes lus : {_headers_read(headers)})"
            )
    else:
        # Without a base-salary column, no pay-like column is read, as before.
        ignored = [
            shown(h.strip(), HEADER_SHOWN_CHARS)
            for i, h in enumerate(headers)
            if h.strip() and i not in by_index
        ]
    payroll = PayrollFile(
        format=meta["format"],
        columns=by_field,
        ignored=ignored,
        encoding=meta["encoding"],
        delimiter=meta["delimiter"],
        pay_columns=pay_columns,
    )
    if header_only:
        return payroll
    seen: dict[str, int] = {}
    for count, (line, cells) in enumerate(rows, start=1):
        if progress is not None and count % 1000 == 0:
            progress(count)
        if _blank(cells):
            continue
        if oversized := _oversized(line, cells, headers):
            payroll.errors.extend(oversized)
            continue
        values, errors = _read_row(line, cells, by_index, by_field)
        pay, pay_errors = _read_pay(line, cells, pay_index, pay_columns)
        errors.extend(pay_errors)
        matricule = values.get("matricule")
        if matricule:
            if matricule in seen:
                errors.append(
                    RowError(
                        line,
                        by_field["matricule"],
                        f"matricule « {matricule} » déjà présent ligne {seen[matricule]}",
                    )
                )
            else:
                seen[matricule] = line
        if errors:
            payroll.errors.extend(errors)
        else:
            payroll.rows.append(PayrollRow(line, values, pay))
    return payroll


def _headers_read(headers: list[str]) -> str:
    shown_headers = [shown(h.strip(), HEADER_SHOWN_CHARS) for h in headers if h.strip()]
    return ", ".join(f"« {h} »" for h in shown_headers) or "aucun"


def _split_pay_columns(
    by_index: dict[int, str], by_field: dict[str, str]
) -> tuple[dict[int, str], dict[str, str]]:
    """Take the pay columns out of the employee columns (both changed in place): the pay
    columns by index and by field; none when the file has no base-salary column."""
    pay_index = {index: name for index, name in by_index.items() if name in PAY_FIELDS}
    pay_columns = {name: by_field[name] for name in PAY_FIELDS if name in by_field}
    for index in pay_index:
        del by_index[index]
    for name in pay_columns:
        del by_field[name]
    if "base_pay" not in pay_columns:
        return {}, {}
    return pay_index, pay_columns


def _read_pay(
    line: int, cells: list[Any], pay_index: dict[int, str], pay_columns: dict[str, str]
) -> tuple[Pay | None, list[RowError]]:
    """A row's pay, all or nothing: None when every pay cell is blank."""
    raw = {name: cells[index] if index < len(cells) else None for index, name in pay_index.items()}
    if all(_blank([cell]) for cell in raw.values()):
        return None, []
    parsers: dict[str, Callable[[Any], Any]] = {
        "sex": parse_sex,
        "base_pay": parse_amount,
        "variable_pay": parse_amount,
        "working_time": parse_working_time,
    }
    values: dict[str, Any] = {}
    errors: list[RowError] = []
    for name, cell in raw.items():
        try:
            values[name] = parsers[name](cell)
        except ValueError as exc:
            errors.append(RowError(line, pay_columns[name], str(exc)))
            continue
        if values[name] is None and name in PAY_REQUIRED:
            errors.append(
                RowError(
                    line,
                    pay_columns[name],
                    "valeur obligatoire : la ligne donne une rémunération (sexe, salaire de "
                    "base et temps de travail vont ensemble)",
                )
            )
    if values.get("base_pay") == 0:
        errors.append(
            RowError(
                line,
                pay_columns["base_pay"],
                "salaire de base nul : laissez vides les cellules de rémunération "
                "d'une personne non rémunérée sur l'année",
            )
        )
    if errors:
        return None, errors
    return Pay(
        sex=values["sex"],
        base=values["base_pay"],
        variable=values.get("variable_pay") or Decimal(0),
        working_time=values["working_time"],
    ), []


def _read_row(
    line: int, cells: list[Any], by_index: dict[int, str], by_field: dict[str, str]
) -> tuple[dict[str, Any], list[RowError]]:
    values: dict[str, Any] = {}
    errors: list[RowError] = []
    for index, name in by_index.items():
        cell = cells[index] if index < len(cells) else None
        try:
            values[name] = _value(name, cell)
        except ValueError as exc:
            errors.append(RowError(line, by_field[name], str(exc)))
    for name in REQUIRED:
        if name in values and not values[name]:
            errors.append(RowError(line, by_field[name], "valeur obligatoire manquante"))
    return values, errors


def _value(name: str, cell: Any) -> Any:
    if name in DATE_FIELDS:
        return parse_date(cell)
    if name == "current_level":
        return parse_level(cell)
    if name == "job_description":
        text = "" if cell is None else str(cell).strip()
    else:
        text = cell_text(cell)
    limit = MAX_LENGTHS.get(name)
    if limit and len(text) > limit:
        raise ValueError(f"{len(text)} caractères, {limit} au plus")
    return text
