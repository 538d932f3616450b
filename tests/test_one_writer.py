"""Every CSV and XLSX file the app writes goes through the one neutralising writer.

A source scan: outside the writer (``typesetting/spreadsheets.py`` and the core's CSV half,
``core/spreadsheet_cells.py``), no module writes CSV with the ``csv`` module or makes an
openpyxl workbook. Reading (``csv.reader``, ``load_workbook``) is allowed.
"""

from __future__ import annotations

import ast
from pathlib import Path

import repertoire

SOURCE = Path(repertoire.__file__).parent
WRITERS = {
    SOURCE / "typesetting" / "spreadsheets.py",
    SOURCE / "core" / "spreadsheet_cells.py",
}
CSV_WRITING = {"writer", "DictWriter"}
WORKBOOK_MAKING = {"Workbook", "WriteOnlyWorksheet"}
SPREADSHEET_WRITERS = {"xlsxwriter", "pyexcel", "xlwt", "odf"}


def offences(source: str, name: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        where = f"{name}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.value.id == "csv" and node.attr in CSV_WRITING:
                found.append(f"{where} csv.{node.attr}")
            if node.value.id == "openpyxl" and node.attr in WORKBOOK_MAKING:
                found.append(f"{where} openpyxl.{node.attr}")
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = {alias.name for alias in node.names}
            if node.module == "csv" and names & (CSV_WRITING | {"*"}):
                found.append(f"{where} from csv import {', '.join(sorted(names))}")
            if node.module.split(".")[0] == "openpyxl" and names & (WORKBOOK_MAKING | {"*"}):
                found.append(f"{where} from {node.module} import {', '.join(sorted(names))}")
        if isinstance(node, ast.Import | ast.ImportFrom):
            modules = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
            )
            for module in modules:
                if module.split(".")[0] in SPREADSHEET_WRITERS:
                    found.append(f"{where} import {module}")
    return found


def test_only_the_writer_writes_csv_or_makes_a_workbook():
    modules = [path for path in SOURCE.rglob("*.py") if path not in WRITERS]
    assert len(modules) > 50
    assert [
        offence
        for path in modules
        for offence in offences(path.read_text(encoding="utf-8"), str(path.relative_to(SOURCE)))
    ] == []


def test_the_scan_finds_what_it_forbids():
    source = (
        "import csv\nfrom openpyxl import Workbook\nimport openpyxl\nimport xlsxwriter\n"
        "csv.writer(f)\nopenpyxl.Workbook()\nfrom csv import DictWriter\n"
        "csv.reader(f)\nfrom openpyxl import load_workbook\n"
    )
    assert len(offences(source, "sample.py")) == 5
