"""The employee-file reader on files written here: CSV in every accepted encoding and
separator, XLSX written with openpyxl, and the files it must refuse."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from repertoire.core.cells import header_key
from repertoire.core.limits import EMPLOYEE_FILE_MAX_LINES
from repertoire.core.payroll import (
    Pay,
    PayrollFileError,
    parse_amount,
    parse_date,
    parse_level,
    parse_sex,
    parse_working_time,
    read_payroll,
)

FRENCH_HEADERS = ["Matricule", "Nom", "Prénom", "Intitulé du poste", "Service", "Date d'entrée"]


def csv_bytes(rows, *, delimiter=";", encoding="utf-8", newline="\r\n") -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator=newline)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(row=number, column=column, value=value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def only_row(payroll):
    assert not payroll.errors, payroll.errors
    assert len(payroll.rows) == 1
    return payroll.rows[0]


# --- encodings and separators ------------------------------------------------------------

HELENE = [
    FRENCH_HEADERS,
    ["A0012", "DUPRÉ", "Hélène", "Chargée d'études économiques", "Études", "03/09/2001"],
]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_accented_csv_in_every_accepted_encoding_and_separator(encoding, delimiter):
    payroll = read_payroll(csv_bytes(HELENE, delimiter=delimiter, encoding=encoding), "rh.csv")
    assert payroll.format == "csv"
    assert payroll.delimiter == delimiter
    assert payroll.encoding == encoding
    row = only_row(payroll)
    assert row.line == 2
    assert row.values == {
        "matricule": "A0012",
        "last_name": "DUPRÉ",
        "first_name": "Hélène",
        "job_title": "Chargée d'études économiques",
        "service": "Études",
        "hire_date": dt.date(2001, 9, 3),
    }
    assert payroll.columns["job_title"] == "Intitulé du poste"
    assert payroll.columns["hire_date"] == "Date d'entrée"


def test_windows_1252_bytes_are_read_as_windows_1252():
    content = (
        b"Matricule;Nom;Pr\xe9nom;Intitul\xe9 du poste;Date d'entr\xe9e\r\n"
        b"7;L\x8cUVRE;H\xe9l\xe8ne;Charg\xe9e d'accueil \x96 standard;01/02/2010\r\n"
    )
    payroll = read_payroll(content, "export.csv")
    assert payroll.encoding == "cp1252"
    assert set(payroll.columns) == {
        "matricule",
        "last_name",
        "first_name",
        "job_title",
        "hire_date",
    }
    values = only_row(payroll).values
    assert values["last_name"] == "LŒUVRE"
    assert values["first_name"] == "Hélène"
    assert values["job_title"] == "Chargée d'accueil – standard"


def test_a_utf8_mark_before_windows_1252_text_is_read_as_windows_1252():
    # Some tools write the UTF-8 byte-order mark, then the text in the system's encoding.
    content = b"\xef\xbb\xbfMatricule;Nom;Intitul\xe9\r\n1;DUP\xc9;Charg\xe9e d'accueil\r\n"
    payroll = read_payroll(content, "export.csv")
    assert payroll.encoding == "cp1252"
    assert only_row(payroll).values["last_name"] == "DUPÉ"
    assert only_row(payroll).values["job_title"] == "Chargée d'accueil"


def test_bytes_windows_1252_cannot_name_are_still_read():
    # 0x81 has no Windows-1252 character: the reader falls back to Latin-1, not an error.
    content = b"Matricule;Nom;Intitul\xe9\r\n1;DUPONT\x81;Agent\r\n"
    payroll = read_payroll(content, "export.csv")
    assert payroll.encoding == "latin-1"
    assert only_row(payroll).values["matricule"] == "1"


# --- headers -----------------------------------------------------------------------------


def test_english_and_french_headers_in_any_order_and_case():
    rows = [
        ["Hire date", "Job Title", "nom", "MATRICULE", "first name", "DEPARTMENT", "Level"],
        ["2015-01-05", "Payroll officer", "Smith", "E-1", "Jane", "HR", "IV"],
    ]
    payroll = read_payroll(csv_bytes(rows, delimiter=","), "staff.csv")
    assert payroll.columns == {
        "hire_date": "Hire date",
        "job_title": "Job Title",
        "last_name": "nom",
        "matricule": "MATRICULE",
        "first_name": "first name",
        "service": "DEPARTMENT",
        "current_level": "Level",
    }
    assert only_row(payroll).values == {
        "hire_date": dt.date(2015, 1, 5),
        "job_title": "Payroll officer",
        "last_name": "Smith",
        "matricule": "E-1",
        "first_name": "Jane",
        "service": "HR",
        "current_level": 4,
    }


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("N° matricule", "n matricule"),
        ("  Intitulé   du  POSTE ", "intitule du poste"),
        ("Date d’entrée", "date d entree"),
        ("DATE_D_ENTREE", "date d entree"),
    ],
)
def test_header_keys_ignore_accents_case_punctuation_and_spaces(header, key):
    assert header_key(header) == key


def test_a_title_line_above_the_csv_header_is_skipped():
    content = (
        "Export du personnel, CCI Nord, au 31/12/2014\r\n\r\n"
        "Matricule;Nom;Intitulé du poste\r\n1;DUPONT;Comptable, service achats\r\n"
    ).encode()
    payroll = read_payroll(content, "rh.csv")
    assert payroll.delimiter == ";"
    row = only_row(payroll)
    assert (row.line, row.values["job_title"]) == (4, "Comptable, service achats")


def test_the_separator_hint_line_excel_writes_is_skipped():
    content = b"sep=,\r\nMatricule,Nom,Intitul\xe9 du poste\r\n1,DUPONT,Comptable\r\n"
    payroll = read_payroll(content, "rh.csv")
    assert payroll.delimiter == ","
    assert only_row(payroll).line == 3


def test_without_any_header_the_first_line_is_reported():
    content = b"Export du personnel\r\nA;B;C\r\n1;2;3\r\n"
    with pytest.raises(PayrollFileError) as refused:
        read_payroll(content, "rh.csv")
    assert str(refused.value).startswith("ligne 1 : colonne(s) obligatoire(s) absente(s)")


def test_extra_columns_are_ignored_and_listed():
    rows = [
        ["Matricule", "Nom", "Intitulé", "Salaire brut", "Code postal", "", "Nom de famille"],
        ["12", "MARTIN", "Comptable", "2500", "59000", "x", "MARTIN-DOUBLE"],
    ]
    payroll = read_payroll(csv_bytes(rows), "rh.csv")
    # A second column for a field already read is listed too, never merged.
    assert payroll.ignored == ["Salaire brut", "Code postal", "Nom de famille"]
    assert only_row(payroll).values == {
        "matricule": "12",
        "last_name": "MARTIN",
        "job_title": "Comptable",
    }


@pytest.mark.parametrize(
    ("headers", "missing"),
    [
        (["Nom", "Intitulé du poste"], ["Matricule"]),
        (["Matricule", "Intitulé du poste", "Prénom"], ["Nom"]),
        (["Matricule", "Nom", "Service"], ["Intitulé du poste"]),
        (["Salaire", "Adresse"], ["Matricule", "Nom", "Intitulé du poste"]),
    ],
)
def test_a_missing_required_column_is_named(headers, missing):
    content = csv_bytes([headers, ["x"] * len(headers)])
    with pytest.raises(PayrollFileError) as refused:
        read_payroll(content, "rh.csv")
    message = str(refused.value)
    assert message.startswith("ligne 1 ")
    for label in missing:
        assert label in message
    for header in headers:
        assert f"« {header} »" in message  # what was read, to see the mistake


# --- cells -------------------------------------------------------------------------------


def test_quoted_fields_hold_separators_quotes_and_newlines():
    content = (
        "Matricule;Nom;Intitulé du poste;Description du poste\r\n"
        '1;"DURAND; épouse LEROY";"Assistant(e) ""RH""";"Accueil;\r\nstandard\r\n"\r\n'
        "2;PETIT;Comptable;\r\n"
    ).encode()
    payroll = read_payroll(content, "rh.csv")
    assert not payroll.errors
    first, second = payroll.rows
    assert first.values["last_name"] == "DURAND; épouse LEROY"
    assert first.values["job_title"] == 'Assistant(e) "RH"'
    assert first.values["job_description"] == "Accueil;\r\nstandard"
    # The line numbers are the file's: the first record spans three lines.
    assert (first.line, second.line) == (2, 5)


def test_whitespace_inside_text_cells_is_tidied():
    rows = [["Matricule", "Nom", "Intitulé"], ["  42 ", " LE   GALL ", "Chargé\td'accueil "]]
    assert only_row(read_payroll(csv_bytes(rows), "rh.csv")).values == {
        "matricule": "42",
        "last_name": "LE GALL",
        "job_title": "Chargé d'accueil",
    }


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("03/09/2001", dt.date(2001, 9, 3)),
        ("3/9/2001", dt.date(2001, 9, 3)),
        ("03-09-2001", dt.date(2001, 9, 3)),
        ("03.09.2001", dt.date(2001, 9, 3)),
        ("2001-09-03", dt.date(2001, 9, 3)),
        ("2001-09-03 00:00:00", dt.date(2001, 9, 3)),
        ("29/02/2016", dt.date(2016, 2, 29)),
        ("01/03/98", dt.date(1998, 3, 1)),
        ("01/03/05", dt.date(2005, 3, 1)),
        ("", None),
        ("   ", None),
    ],
)
def test_dates_as_exports_write_them(text, day):
    assert parse_date(text) == day


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31/02/2015", "date « 31/02/2015 » impossible"),
        ("29/02/2015", "date « 29/02/2015 » impossible"),
        ("12/13/2015", "date « 12/13/2015 » impossible"),
        ("2015-02-30", "date « 2015-02-30 » impossible"),
        ("septembre 2001", "date « septembre 2001 » illisible (attendu jj/mm/aaaa)"),
        ("42064", "date « 42064 » illisible (attendu jj/mm/aaaa)"),
    ],
)
def test_impossible_or_unreadable_dates_are_refused(text, message):
    with pytest.raises(ValueError) as refused:
        parse_date(text)
    assert str(refused.value) == message


def test_a_bad_date_names_its_line_and_column_and_the_other_rows_are_kept():
    rows = [
        ["Matricule", "Nom", "Intitulé du poste", "Date d'entrée"],
        ["1", "DUPONT", "Comptable", "01/02/2010"],
        ["2", "DURAND", "Comptable", "31/02/2015"],
        ["3", "DUBOIS", "Comptable", ""],
    ]
    payroll = read_payroll(csv_bytes(rows), "rh.csv")
    assert [row.values["matricule"] for row in payroll.rows] == ["1", "3"]
    assert payroll.rows[1].values["hire_date"] is None
    (error,) = payroll.errors
    assert (error.line, error.column) == (3, "Date d'entrée")
    assert str(error) == "ligne 3, colonne « Date d'entrée » : date « 31/02/2015 » impossible"
    assert payroll.lines_read == 3


@pytest.mark.parametrize(
    ("cell", "level"),
    [
        ("IV", 4),
        ("iv", 4),
        ("4", 4),
        (" 4 ", 4),
        ("niveau IV", 4),
        ("Niveau 4", 4),
        ("NIVEAU VIII", 8),
        ("Niv. II", 2),
        ("N4", 4),
        ("I", 1),
        (4, 4),
        (4.0, 4),
        ("", None),
        (None, None),
    ],
)
def test_levels_as_exports_write_them(cell, level):
    assert parse_level(cell) == level


@pytest.mark.parametrize(
    "cell", ["9", "IX", "0", "niveau IX", "niveau", "cadre", 9, 4.5, "4,5", "²", "niveau ³"]
)
def test_levels_outside_the_grid_are_refused(cell):
    with pytest.raises(ValueError, match="inconnu"):
        parse_level(cell)


def test_a_bad_level_names_its_line_and_column():
    rows = [["Matricule", "Nom", "Intitulé", "Niveau"], ["1", "A", "Comptable", "9"]]
    payroll = read_payroll(csv_bytes(rows), "rh.csv")
    assert payroll.rows == []
    (error,) = payroll.errors
    assert (error.line, error.column) == (2, "Niveau")
    assert "« 9 »" in error.message


def test_an_empty_required_value_is_an_error_of_its_column():
    rows = [
        ["Matricule", "Nom", "Intitulé du poste"],
        ["1", "", "Comptable"],
        ["", "DUPONT", "Comptable"],
        ["3", "DURAND", "   "],
    ]
    payroll = read_payroll(csv_bytes(rows), "rh.csv")
    assert payroll.rows == []
    assert [(e.line, e.column, e.message) for e in payroll.errors] == [
        (2, "Nom", "valeur obligatoire manquante"),
        (3, "Matricule", "valeur obligatoire manquante"),
        (4, "Intitulé du poste", "valeur obligatoire manquante"),
    ]


def test_a_short_row_lacks_its_last_cells():
    rows = [["Matricule", "Nom", "Intitulé du poste", "Service"], ["1", "DUPONT"]]
    payroll = read_payroll(csv_bytes(rows), "rh.csv")
    (error,) = payroll.errors
    assert (error.line, error.column) == (2, "Intitulé du poste")


def test_a_too_long_value_is_refused_with_its_length():
    rows = [["Matricule", "Nom", "Intitulé"], ["1" * 33, "DUPONT", "Comptable"]]
    (error,) = read_payroll(csv_bytes(rows), "rh.csv").errors
    assert (error.line, error.column) == (2, "Matricule")
    assert error.message == "33 caractères, 32 au plus"


def test_a_duplicate_matricule_names_both_lines():
    rows = [
        ["Matricule", "Nom", "Intitulé"],
        ["A1", "DUPONT", "Comptable"],
        ["B2", "DURAND", "Comptable"],
        ["A1", "DUBOIS", "Assistante"],
    ]
    payroll = read_payroll(csv_bytes(rows), "rh.csv")
    assert [row.line for row in payroll.rows] == [2, 3]
    (error,) = payroll.errors
    assert (error.line, error.column) == (4, "Matricule")
    assert "« A1 »" in error.message and "ligne 2" in error.message


def test_blank_lines_are_skipped_and_later_lines_keep_their_numbers():
    content = (
        "\r\n\r\nMatricule;Nom;Intitulé\r\n\r\n1;DUPONT;Comptable\r\n;;\r\n\r\n"
        "2;DURAND;Assistante\r\n3;DUBOIS;\r\n\r\n"
    ).encode()
    payroll = read_payroll(content, "rh.csv")
    assert [(row.line, row.values["matricule"]) for row in payroll.rows] == [(5, "1"), (8, "2")]
    (error,) = payroll.errors
    assert (error.line, error.column) == (9, "Intitulé")


@pytest.mark.parametrize("newline", ["\n", "\r"])
def test_unix_and_old_mac_line_ends(newline):
    text = newline.join(["Matricule;Nom;Intitulé", "1;DUPONT;Comptable", "2;DURAND;Assistante"])
    payroll = read_payroll(text.encode("cp1252"), "rh.csv")
    assert [row.line for row in payroll.rows] == [2, 3]
    assert payroll.rows[1].values["job_title"] == "Assistante"


def test_progress_is_reported_on_large_files():
    rows = [["Matricule", "Nom", "Intitulé"]] + [[str(n), "X", "Agent"] for n in range(2500)]
    seen = []
    payroll = read_payroll(csv_bytes(rows), "rh.csv", progress=seen.append)
    assert len(payroll.rows) == 2500
    assert seen == [1000, 2000]


# --- XLSX --------------------------------------------------------------------------------


def test_xlsx_with_numbers_dates_and_the_header_below_blank_rows():
    rows = [
        None,
        None,
        ["N° matricule", "Nom", "Prénom", "Intitulé du poste", "Date d'entrée", "Niveau"],
        [1017, "DUPRÉ", "Hélène", "Chargée d'accueil", dt.datetime(2001, 9, 3), 4],
        [2048.0, "MARTIN", None, "Comptable", dt.date(1999, 1, 4), "niveau IV"],
        None,
        ["0099", "PETIT", "Jean", "Assistant", "03/09/2001", None],
    ]
    payroll = read_payroll(xlsx_bytes([row or [] for row in rows]), "Personnel.xlsx")
    assert payroll.format == "xlsx"
    assert not payroll.errors
    first, second, third = payroll.rows
    assert (first.line, second.line, third.line) == (4, 5, 7)
    assert first.values == {
        "matricule": "1017",
        "last_name": "DUPRÉ",
        "first_name": "Hélène",
        "job_title": "Chargée d'accueil",
        "hire_date": dt.date(2001, 9, 3),
        "current_level": 4,
    }
    assert second.values["matricule"] == "2048"
    assert second.values["first_name"] == ""
    assert second.values["hire_date"] == dt.date(1999, 1, 4)
    assert second.values["current_level"] == 4
    assert third.values["matricule"] == "0099"
    assert third.values["hire_date"] == dt.date(2001, 9, 3)
    assert third.values["current_level"] is None


def test_xlsx_with_a_title_row_above_the_header():
    rows = [
        ["Export du personnel au 31/12/2014"],
        [],
        ["Matricule", "Nom", "Intitulé du poste", "Date d'entrée"],
        [1, "DUPONT", "Comptable", dt.datetime(2010, 2, 1)],
    ]
    payroll = read_payroll(xlsx_bytes(rows), "export.xlsx")
    row = only_row(payroll)
    assert row.line == 4
    assert row.values["hire_date"] == dt.date(2010, 2, 1)


def test_xlsx_errors_name_the_sheet_row_and_column():
    rows = [
        ["Matricule", "Nom", "Intitulé du poste", "Date d'entrée", "Niveau"],
        [1, "DUPONT", "Comptable", "31/02/2015", 9],
        [1, "DURAND", "Comptable", None, None],
    ]
    payroll = read_payroll(xlsx_bytes(rows), "export.xlsx")
    assert [(e.line, e.column) for e in payroll.errors] == [
        (2, "Date d'entrée"),
        (2, "Niveau"),
        (3, "Matricule"),
    ]
    assert "ligne 2" in payroll.errors[2].message


# --- files refused -----------------------------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"   \r\n\r\n  ", b"\xef\xbb\xbf"])
def test_an_empty_file_is_refused(content):
    with pytest.raises(PayrollFileError) as refused:
        read_payroll(content, "rh.csv")
    assert "vide" in str(refused.value)


def test_an_old_excel_file_is_refused_with_what_to_do():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    for content, name in [(ole, "personnel.xls"), (ole, "personnel"), (b"a;b\n", "old.XLS")]:
        with pytest.raises(PayrollFileError) as refused:
            read_payroll(content, name)
        assert ".xls" in str(refused.value) and ".xlsx" in str(refused.value)


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "photo.png"),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00\x00", "liste.pdf"),
    ],
)
def test_a_binary_file_is_refused(content, name):
    with pytest.raises(PayrollFileError) as refused:
        read_payroll(content, name)
    assert "ni un CSV ni un classeur Excel" in str(refused.value)


def test_a_damaged_or_foreign_xlsx_is_refused():
    with pytest.raises(PayrollFileError, match="n'est pas un classeur Excel"):
        read_payroll(b"Matricule;Nom\n", "personnel.xlsx")
    zipped = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    with pytest.raises(PayrollFileError, match="classeur Excel illisible"):
        read_payroll(zipped.getvalue(), "personnel.xlsx")


def test_a_file_of_empty_cells_has_no_header():
    with pytest.raises(PayrollFileError, match="aucune ligne d'en-tête"):
        read_payroll(b";;\r\n;;\r\n", "rh.csv")


# --- property: what is written is what is read ------------------------------------------

# Letters that every accepted encoding writes, and that Windows-1252 writes as bytes no
# UTF-8 decoder would accept (so the encoding guess is never ambiguous).
LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789éèêëàâçîïôöùûüÉÈÀÇ"
PUNCTUATION = "-'.,;\"/()&"
word = st.text(alphabet=LETTERS + PUNCTUATION, min_size=1, max_size=12).filter(
    lambda w: any(c in LETTERS for c in w)
)
phrase = st.lists(word, min_size=1, max_size=4).map(" ".join)
optional_phrase = st.one_of(st.just(""), phrase)
day = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2030, 12, 31))

FIELDS = {
    "matricule": ("Matricule", "MATRICULE", "Employee ID", "N° matricule"),
    "last_name": ("Nom", "NOM", "Last name", "Nom de famille"),
    "first_name": ("Prénom", "first name", "PRENOM"),
    "job_title": ("Intitulé du poste", "Job Title", "FONCTION", "libellé emploi"),
    "service": ("Service", "Department", "DIRECTION"),
    "hire_date": ("Date d'entrée", "Hire date", "DATE D'EMBAUCHE"),
    "current_level": ("Niveau", "Level", "classification"),
}
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")


@st.composite
def tables(draw):
    optional = draw(
        st.lists(
            st.sampled_from(["first_name", "service", "hire_date", "current_level"]), unique=True
        )
    )
    fields = draw(st.permutations(["matricule", "last_name", "job_title", *optional]))
    headers = [draw(st.sampled_from(FIELDS[name])) for name in fields]
    count = draw(st.integers(min_value=1, max_value=8))
    matricules = draw(
        st.lists(
            st.text(alphabet="0123456789ABCDEF-", min_size=1, max_size=10).filter(
                lambda m: m.strip("-")
            ),
            min_size=count,
            max_size=count,
            unique=True,
        )
    )
    records = []
    for matricule in matricules:
        values = {"matricule": matricule}
        for name in fields:
            if name in ("last_name", "job_title"):
                values[name] = draw(phrase)
            elif name in ("first_name", "service"):
                values[name] = draw(optional_phrase)
            elif name == "hire_date":
                values[name] = draw(st.one_of(st.none(), day))
            elif name == "current_level":
                values[name] = draw(st.one_of(st.none(), st.integers(1, 8)))
        records.append(values)
    return fields, headers, records


def written(name, value, roman):
    if value is None:
        return ""
    if name == "hire_date":
        return value.strftime("%d/%m/%Y")
    if name == "current_level":
        return ROMAN[value - 1] if roman else str(value)
    return value


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    table=tables(),
    delimiter=st.sampled_from([";", ",", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
    newline=st.sampled_from(["\r\n", "\n"]),
    roman=st.booleans(),
)
def test_any_safe_table_reads_back_as_written(table, delimiter, encoding, newline, roman):
    fields, headers, records = table
    rows = [headers] + [[written(n, r[n], roman) for n in fields] for r in records]
    payroll = read_payroll(
        csv_bytes(rows, delimiter=delimiter, encoding=encoding, newline=newline), "rh.csv"
    )
    assert payroll.errors == []
    assert payroll.delimiter == delimiter
    assert payroll.columns == dict(zip(fields, headers, strict=True))
    assert [row.values for row in payroll.rows] == records
    assert [row.line for row in payroll.rows] == list(range(2, len(records) + 2))


# --- pay columns (Directive (EU) 2023/970) -----------------------------------------------

PAY_HEADERS = [
    "Matricule",
    "Nom",
    "Intitulé du poste",
    "Sexe",
    "Salaire de base annuel brut",
    "Rémunération variable annuelle brute",
    "Temps de travail",
]
NBSP, NNBSP = "\u00a0", "\u202f"


def test_pay_columns_of_a_windows_1252_csv_are_read_apart_from_the_employee():
    rows = [
        PAY_HEADERS,
        ["A1", "DUPRÉ", "Chargée d'études", "Féminin", "32 450,50", "", "80 %"],
        ["A2", "MARTIN", "Comptable", "H", f"41{NBSP}000 €", f"2{NBSP}500,00", "100"],
        ["A3", "LEROY", "Assistante", "femme", "28.900,00", "1200", "0,5"],
    ]
    payroll = read_payroll(csv_bytes(rows, encoding="cp1252"), "rh.csv")
    assert payroll.encoding == "cp1252"
    assert not payroll.errors, payroll.errors
    # The employee columns are today's; pay never flows into what an employee is given.
    assert payroll.columns == {
        "matricule": "Matricule",
        "last_name": "Nom",
        "job_title": "Intitulé du poste",
    }
    assert payroll.pay_columns == {
        "sex": "Sexe",
        "base_pay": "Salaire de base annuel brut",
        "variable_pay": "Rémunération variable annuelle brute",
        "working_time": "Temps de travail",
    }
    assert payroll.ignored == []
    assert [set(row.values) for row in payroll.rows] == [
        {"matricule", "last_name", "job_title"}
    ] * 3
    assert [row.pay for row in payroll.rows] == [
        Pay("F", Decimal("32450.50"), Decimal("0"), Decimal("0.8")),
        Pay("M", Decimal("41000.00"), Decimal("2500.00"), Decimal("1")),
        Pay("F", Decimal("28900.00"), Decimal("1200.00"), Decimal("0.5")),
    ]


def test_narrow_no_break_spaces_of_a_utf8_csv():
    # Windows-1252 has no narrow no-break space: Excel writes it in UTF-8 files only.
    rows = [PAY_HEADERS, ["A1", "DUPRÉ", "Chargée", "F", f"32{NNBSP}450,50 €", "", f"80{NNBSP}%"]]
    row = only_row(read_payroll(csv_bytes(rows, encoding="utf-8-sig"), "rh.csv"))
    assert row.pay == Pay("F", Decimal("32450.50"), Decimal("0"), Decimal("0.8"))


def test_english_pay_headers():
    rows = [
        ["Employee ID", "Last name", "Job title", "Gender", "Base pay", "Bonus", "FTE"],
        ["7", "SMITH", "Accountant", "Female", "30000", "", "1"],
    ]
    row = only_row(read_payroll(csv_bytes(rows, delimiter=","), "hr.csv"))
    assert row.pay == Pay("F", Decimal("30000.00"), Decimal("0"), Decimal("1"))


def test_pay_cells_of_an_xlsx_are_excel_numbers():
    rows = [
        ["Matricule", "Nom", "Poste", "Sex", "Annual base salary", "Variable pay", "Working time"],
        [1, "DUPONT", "Comptable", "W", 32450.5, 1000, 0.8],
        [2, "DURAND", "Comptable", "male", 36000, 0, 1],
        [3, "DUVAL", "Comptable", "M", "36 000", None, 80],
    ]
    payroll = read_payroll(xlsx_bytes(rows), "export.xlsx")
    assert not payroll.errors, payroll.errors
    assert [row.pay for row in payroll.rows] == [
        Pay("F", Decimal("32450.50"), Decimal("1000.00"), Decimal("0.8")),
        Pay("M", Decimal("36000.00"), Decimal("0.00"), Decimal("1")),
        Pay("M", Decimal("36000.00"), Decimal("0"), Decimal("0.8")),
    ]


def test_a_file_without_pay_columns_has_no_pay():
    row = only_row(read_payroll(csv_bytes(HELENE), "rh.csv"))
    assert row.pay is None
    assert read_payroll(csv_bytes(HELENE), "rh.csv").pay_columns == {}


def test_sex_or_working_time_without_an_amount_column_stay_ignored_as_before():
    rows = [
        ["Matricule", "Sexe", "Nom", "Intitulé", "Temps de travail"],
        ["12", "X", "MARTIN", "Comptable", "plein"],
    ]
    payroll = read_payroll(csv_bytes(rows), "rh.csv")
    assert payroll.ignored == ["Sexe", "Temps de travail"]
    assert payroll.pay_columns == {}
    assert only_row(payroll).pay is None


def test_an_amount_column_needs_the_sex_and_working_time_columns():
    rows = [["Matricule", "Nom", "Intitulé", "Salaire de base"], ["12", "MARTIN", "Comptable", "1"]]
    with pytest.raises(PayrollFileError) as caught:
        read_payroll(csv_bytes(rows), "rh.csv")
    message = str(caught.value)
    assert message.startswith("ligne 1 : colonne(s) de rémunération absente(s) : ")
    assert "Sexe, Temps de travail" in message


def test_an_incomplete_pay_file_names_every_missing_column():
    rows = [
        ["Matricule", "Nom", "Intitulé", "Salaire de base annuel brut", "Primes"],
        ["12", "MARTIN", "Comptable", "32 000", "500"],
    ]
    with pytest.raises(PayrollFileError) as caught:
        read_payroll(csv_bytes(rows, encoding="cp1252"), "rh.csv")
    assert "colonne(s) de rémunération absente(s) : Sexe, Temps de travail" in str(caught.value)


@pytest.mark.parametrize("header", ["Primes", "Bonus", "Variable", "Part variable"])
def test_a_generic_bonus_column_without_base_salary_is_ignored_not_refused(header):
    rows = [
        ["Matricule", "Nom", "Intitulé", header, "Sexe"],
        ["12", "MARTIN", "Comptable", "1 200,00", "H"],
    ]
    payroll = read_payroll(csv_bytes(rows, encoding="cp1252"), "rh.csv")
    assert payroll.pay_columns == {}
    assert payroll.ignored == [header, "Sexe"]
    row = only_row(payroll)
    assert row.pay is None
    assert row.values == {"matricule": "12", "last_name": "MARTIN", "job_title": "Comptable"}


def test_the_header_alone_says_whether_a_file_carries_pay():
    rows = [PAY_HEADERS, ["A1", "DUPRÉ", "Chargée", "X", "-1", "", "0"]]
    payroll = read_payroll(csv_bytes(rows, encoding="cp1252"), "rh.csv", header_only=True)
    assert set(payroll.pay_columns) == {"sex", "base_pay", "variable_pay", "working_time"}
    assert payroll.rows == [] and payroll.errors == []


def test_a_row_without_any_pay_cell_has_no_pay_and_is_kept():
    rows = [PAY_HEADERS, ["A1", "DUPRÉ", "Chargée d'études", "", "", "", ""]]
    assert only_row(read_payroll(csv_bytes(rows), "rh.csv")).pay is None


@pytest.mark.parametrize(
    ("cells", "missing"),
    [
        (["F", "", "", "100"], ["Salaire de base annuel brut"]),
        (["", "32000", "", "100"], ["Sexe"]),
        (["", "", "500", ""], ["Sexe", "Salaire de base annuel brut", "Temps de travail"]),
        (["M", "32000", "", ""], ["Temps de travail"]),
    ],
)
def test_pay_is_all_or_nothing_on_a_row(cells, missing):
    rows = [PAY_HEADERS, ["A1", "DUPRÉ", "Chargée d'études", *cells], ["A2", "X", "Y"]]
    payroll = read_payroll(csv_bytes(rows, encoding="cp1252"), "rh.csv")
    assert [(e.line, e.column) for e in payroll.errors] == [(2, column) for column in missing]
    assert all(e.message.startswith("valeur obligatoire") for e in payroll.errors)
    # The row in error is refused whole; the others are kept.
    assert [row.line for row in payroll.rows] == [3]


def test_bad_pay_values_name_their_line_and_column_in_french():
    rows = [
        PAY_HEADERS,
        ["A1", "DUPRÉ", "Chargée", "X", "-100", "beaucoup", "120 %"],
        ["A2", "MARTIN", "Comptable", "M", "0", "", "0"],
        ["A3", "LEROY", "Comptable", "F", "32.450", "", "100"],
    ]
    payroll = read_payroll(csv_bytes(rows, encoding="cp1252"), "rh.csv")
    assert payroll.rows == []
    assert [str(e) for e in payroll.errors] == [
        "ligne 2, colonne « Sexe » : sexe « X » non reconnu (F ou M, Femme ou Homme)",
        "ligne 2, colonne « Salaire de base annuel brut » : montant « -100 » négatif",
        "ligne 2, colonne « Rémunération variable annuelle brute » : montant « beaucoup »"
        " illisible (attendu par exemple 32 450,50)",
        "ligne 2, colonne « Temps de travail » : temps de travail « 120 % » hors limites"
        " (plus de 0 et au plus 100 % d'un temps plein)",
        "ligne 3, colonne « Temps de travail » : temps de travail « 0 » hors limites"
        " (plus de 0 et au plus 100 % d'un temps plein)",
        "ligne 3, colonne « Salaire de base annuel brut » : salaire de base nul : laissez"
        " vides les cellules de rémunération d'une personne non rémunérée sur l'année",
        "ligne 4, colonne « Salaire de base annuel brut » : montant « 32.450 » ambigu"
        " (milliers ou décimales ?) : écrivez par exemple 32450 ou 32 450,00",
    ]


@pytest.mark.parametrize(
    ("cell", "sex"),
    [
        ("F", "F"),
        ("f", "F"),
        ("Femme", "F"),
        ("FÉMININ", "F"),
        ("Female", "F"),
        ("W", "F"),
        (" femme ", "F"),
        ("M", "M"),
        ("H", "M"),
        ("homme", "M"),
        ("Masculin", "M"),
        ("Male", "M"),
        ("M.", "M"),
        (2, "F"),
        (1, "M"),
        ("", None),
        (None, None),
    ],
)
def test_sexes_as_exports_write_them(cell, sex):
    assert parse_sex(cell) == sex


@pytest.mark.parametrize("cell", ["X", "autre", "FM", "3"])
def test_unknown_sexes_are_refused(cell):
    with pytest.raises(ValueError, match="non reconnu"):
        parse_sex(cell)


@pytest.mark.parametrize(
    ("cell", "amount"),
    [
        ("32 450,50", "32450.50"),
        (f"32{NBSP}450,50", "32450.50"),
        (f"32{NNBSP}450,50", "32450.50"),
        ("32450.5", "32450.50"),
        ("32450,5", "32450.50"),
        ("32 450 €", "32450.00"),
        ("32450€", "32450.00"),
        ("€ 32 450", "32450.00"),
        ("32 450 EUR", "32450.00"),
        ("32.450,50", "32450.50"),
        ("1.032.450", "1032450.00"),
        ("32,450.50", "32450.50"),
        ("32450,555", "32450.56"),  # to the cent, half up
        ("0", "0.00"),
        (32450, "32450.00"),
        (32450.5, "32450.50"),
        (0.1 + 0.2, "0.30"),
        (Decimal("12.345"), "12.35"),
        ("", None),
        ("  ", None),
        (None, None),
    ],
)
def test_amounts_as_exports_write_them(cell, amount):
    assert parse_amount(cell) == (None if amount is None else Decimal(amount))


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("-1", "négatif"),
        ("\u22121 000", "négatif"),
        (-1, "négatif"),
        ("32.450", "ambigu"),
        ("1,500", "ambigu"),
        ("12,3,4", "illisible"),
        ("1.23.4", "illisible"),
        ("trente mille", "illisible"),
        (True, "illisible"),
        (float("nan"), "illisible"),
        # str.isdigit() takes a superscript, Decimal does not: read as unreadable.
        ("32000²", "illisible"),
        ("٣٢٠٠٠", "illisible"),
        ("9" * 40, "trop grand"),
        (10**10, "trop grand"),
    ],
)
def test_unreadable_negative_or_ambiguous_amounts_are_refused(cell, message):
    with pytest.raises(ValueError, match=message):
        parse_amount(cell)


@pytest.mark.parametrize(
    ("cell", "share"),
    [
        ("100", "1"),
        ("80 %", "0.8"),
        (f"80{NBSP}%", "0.8"),
        ("80%", "0.8"),
        ("0,8", "0.8"),
        ("0.8", "0.8"),
        ("80", "0.8"),
        ("1", "1"),
        ("50,5", "0.505"),
        (1, "1"),
        (0.8, "0.8"),
        (80, "0.8"),
        (100.0, "1"),
        ("", None),
        (None, None),
    ],
)
def test_working_time_as_exports_write_it(cell, share):
    assert parse_working_time(cell) == (None if share is None else Decimal(share))


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("0", "hors limites"),
        ("0 %", "hors limites"),
        ("101", "hors limites"),
        ("120 %", "hors limites"),
        ("-0,5", "hors limites"),
        ("plein", "illisible"),
        ("%", "illisible"),
        (True, "illisible"),
    ],
)
def test_working_time_outside_full_time_is_refused(cell, message):
    with pytest.raises(ValueError, match=message):
        parse_working_time(cell)


@settings(max_examples=100, deadline=None)
@given(
    cents=st.integers(min_value=1, max_value=10**9),
    style=st.sampled_from(["fr", "fr_nbsp", "fr_nnbsp", "en", "dots", "euro", "bare"]),
)
def test_any_amount_reads_back_to_the_cent(cents, style):
    whole, fraction = divmod(cents, 100)
    grouped = f"{whole:,}"
    written_amount = {
        "fr": f"{grouped.replace(',', ' ')},{fraction:02d}",
        "fr_nbsp": f"{grouped.replace(',', NBSP)},{fraction:02d}",
        "fr_nnbsp": f"{grouped.replace(',', NNBSP)},{fraction:02d}",
        "en": f"{grouped}.{fraction:02d}",
        "dots": f"{grouped.replace(',', '.')},{fraction:02d}",
        "euro": f"{grouped.replace(',', ' ')},{fraction:02d} €",
        "bare": f"{whole}.{fraction:02d}",
    }[style]
    assert parse_amount(written_amount) == Decimal(cents) / 100


def test_a_file_longer_than_any_staff_is_refused_at_the_line_beyond():
    people = [[f"{n}", f"NOM{n}", "Comptable"] for n in range(EMPLOYEE_FILE_MAX_LINES)]
    at_most = csv_bytes([["Matricule", "Nom", "Intitulé du poste"], *people[:-1]])
    beyond = csv_bytes([["Matricule", "Nom", "Intitulé du poste"], *people])

    assert len(read_payroll(at_most, "rh.csv").rows) == EMPLOYEE_FILE_MAX_LINES - 1
    with pytest.raises(PayrollFileError) as refused:
        read_payroll(beyond, "rh.csv")
    assert str(refused.value).startswith(f"ligne {EMPLOYEE_FILE_MAX_LINES + 1} : plus de")
