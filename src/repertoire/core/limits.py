"""The sizes the app accepts, in one place: what a file may hold before it is read, and
the longest text each kind of stored text may be.

Every reader refuses what exceeds them with the line and the column (or the line) named,
before anything is written; the models and the forms carry the text limits too, so that
no path stores more. The upload cap itself (``REPERTOIRE_MAX_UPLOAD_BYTES``, 20 MB) is a
setting; these are sized on real content with ample room (the bundled 2014 document:
101 KB, 1,866 lines, its longest line 504 characters, a job's missions 1,368 characters
at most, a level definition 488).
"""

from __future__ import annotations

# --- stored texts (characters) ---------------------------------------------------------

# Comments, notes, the reason for a personal level: a paragraph or a few.
SHORT_TEXT_MAX = 5_000
# Long texts: a local job's missions or description, an appeal's argument and the
# commission's reasoning, a reference job's missions or requirements taken together
# (14 times the longest of the 2014 document).
LONG_TEXT_MAX = 20_000
# What the journal records of one text it keeps before and after a change: the rest is
# replaced by a mark saying how long the text was (the object itself keeps it whole).
JOURNAL_TEXT_MAX = LONG_TEXT_MAX

# --- employee files and other tables (CSV, XLSX) ---------------------------------------

# One cell: Excel's own limit (a cell of an Excel sheet holds at most 32,767 characters).
CELL_MAX_CHARS = 32_767
# An XLSX file is a zip: what its members declare once uncompressed, in total, and the
# most a member over ``XLSX_RATIO_FROM_BYTES`` may expand (workbooks written by Excel,
# LibreOffice or openpyxl expand 5 to 30 times; a decompression bomb, thousands of times).
XLSX_MAX_UNCOMPRESSED_BYTES = 256 * 2**20
XLSX_MAX_RATIO = 100
XLSX_RATIO_FROM_BYTES = 2**20
# Cells read from a sheet (filled or not), and columns of a row: 100,000 people with
# 50 columns is 5 million cells.
XLSX_MAX_CELLS = 10_000_000
TABLE_MAX_COLUMNS = 1_000
# Cells of one row, empty ones too (an export pads rows with separators): beyond, the row
# is refused before its cells are read.
ROW_MAX_CELLS = 10 * TABLE_MAX_COLUMNS
# Lines of an employee file (its header, one line a person): the whole network's 26,000
# employees in one file, twice over. Refused as soon as the line after is read, so that a
# file of half a million lines ties nobody's request up for a minute.
EMPLOYEE_FILE_MAX_LINES = 52_000

# --- repertoire documents (`repertoire import`, `repertoire check`) ---------------------

# The whole file: 50 times the 2014 document.
DOCUMENT_MAX_BYTES = 5 * 2**20
# One line: 10 times the longest of the 2014 document.
DOCUMENT_MAX_LINE_CHARS = 5_000
# Job sheets a document may hold (the network's repertoire has about a hundred jobs).
DOCUMENT_MAX_JOBS = 2_000


def shown(text: str, limit: int = 60) -> str:
    """A value as a message quotes it: its beginning, and how long it is when cut."""
    text = str(text)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text)} caractères)"
