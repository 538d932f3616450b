"""Tables as HR exports them: CSV from Excel (Windows-1252 or UTF-8, ``;`` or ``,`` or tab).

Column names are matched loosely (case, accents, spaces: ``Intitulé du poste`` →
``intitule_du_poste``) against the names a caller accepts for each field.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from repertoire.core.document import decode
from repertoire.core.refusals import Refused
from repertoire.core.text import strip_accents

DELIMITERS = (";", ",", "\t")


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
    text = decode(data)
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise TableInvalid(1, "le fichier est vide ou n'a pas de ligne d'en-tête")
    header_line = lines[0]
    delimiter = max(DELIMITERS, key=header_line.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader)
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
        if not any(cell.strip() for cell in cells):
            continue
        values = {
            field: cells[position].strip() if position < len(cells) else ""
            for field, position in columns.items()
        }
        rows.append((reader.line_num, values))
    return Table({field: header[position] for field, position in columns.items()}, rows)
