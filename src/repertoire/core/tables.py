"""Tables as HR exports them: CSV from Excel (Windows-1252 or UTF-8, ``;`` or ``,`` or tab).

Column names are matched loosely (case, accents, spaces: ``Intitulé du poste`` →
``intitule_du_poste``) against the names a caller accepts for each field.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from repertoire.core.document import DocumentInvalid
from repertoire.core.document_reader import decode
from repertoire.core.limits import CELL_MAX_CHARS, TABLE_MAX_COLUMNS, shown
from repertoire.core.refusals import Refused
from repertoire.core.text import strip_accents

DELIMITERS = (";", ",", "\t")
# The csv module refuses a field over 131,072 characters with a bare error: it reads
# them all, and a cell over ``CELL_MAX_CHARS`` is refused by its line and column.
CSV_FIELD_READ_LIMIT = 2**31 - 1
csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_READ_LIMIT))


def column_key(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", strip_accents(name).lower()).strip("_")


@dataclass(frozen=True)
class Table:
    columns: dict[str, str]  # field → column name as written in the file
    rows: list[tuple[int, dict[str, str]]]  # (line number, field → value)


class TableInvalid(Refused):
    def __init__(self, line: int, message: str):
        self.line = line
        self.message = message
        super().__init__(f"line {line}: {message}")


def read_table(data: bytes, fields: dict[str, set[str]], required: set[str]) -> Table:
    """Read a delimited file; ``fields`` maps each field to the column keys it accepts."""
    if (nul := data.find(b"\x00")) >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise TableInvalid(line, "caractère nul (octet 0) : ce n'est pas un fichier CSV")
    try:
        text = decode(data, max_bytes=None)
    except DocumentInvalid as exc:  # binary, or in another encoding
        first = exc.errors[0]
        raise TableInvalid(first.line, first.message) from None
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise TableInvalid(1, "le fichier est vide ou n'a pas de ligne d'en-tête")
    header_line = lines[0]
    delimiter = max(DELIMITERS, key=header_line.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader)
    _check_cells(1, header, header)
    keys = [column_key(name) for name in header]
    columns: dict[str, int] = {}
    for field, accepted in fields.items():
        for position, key in enumerate(keys):
            if key in accepted and field not in columns:
                columns[field] = position
    missing = required - set(columns)
    if missing:
        names = ", ".join(sorted(missing))
        raise TableInvalid(1, f"colonne(s) manquante(s) : {names} (en-tête lu : {header})")
    rows = []
    for cells in reader:
        _check_cells(reader.line_num, cells, header)
        if not any(cell.strip() for cell in cells):
            continue
        values = {
            field: cells[position].strip() if position < len(cells) else ""
            for field, position in columns.items()
        }
        rows.append((reader.line_num, values))
    return Table({field: header[position] for field, position in columns.items()}, rows)


def _check_cells(line: int, cells: list[str], header: list[str]) -> None:
    """Refuse a row with more columns than any table has, or a cell longer than any field."""
    if len(cells) > TABLE_MAX_COLUMNS:
        raise TableInvalid(line, f"{len(cells)} colonnes, {TABLE_MAX_COLUMNS} au plus")
    for position, cell in enumerate(cells):
        if len(cell) > CELL_MAX_CHARS:
            name = header[position] if position < len(header) else str(position + 1)
            raise TableInvalid(
                line,
                f"colonne « {shown(name, 40)} » : cellule de {len(cell)} caractères, "
                f"{CELL_MAX_CHARS} au plus",
            )
