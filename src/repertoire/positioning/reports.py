"""The positioning report as files: one XLSX sheet or one CSV section per table.

The page, the downloads and the ``repertoire reports export`` command all read the same
``selectors.Report``; the tables here are its one flat form, in French like the other
published documents (the columns of codes keep them machine-readable).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.utils import translation

from repertoire.core import positioning as rules
from repertoire.core.text import to_roman
from repertoire.positioning.models import Appeal
from repertoire.positioning.selectors import Report
from repertoire.typesetting.spreadsheets import CsvWriter, Spreadsheet

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
FORMATS = ("xlsx", "csv")


@dataclass(frozen=True)
class Table:
    title: str  # the XLSX sheet's name (31 characters at most) and the CSV section's title
    header: tuple[str, ...]
    rows: list[tuple]
    widths: tuple[int, ...]


def tables(report: Report) -> list[Table]:
    """The report's tables, in the order of the page."""
    with translation.override("fr"):
        appeal_status = {value: str(label) for value, label in Appeal.Status.choices}
        appeal_kind = {value: str(label) for value, label in Appeal.Kind.choices}
    return [
        Table(
            "Avancement",
            ("Statut", "Libellé", "Effectif"),
            [
                *(
                    (status, rules.STATUS_LABELS[status], n)
                    for status, n in report.by_status.items()
                ),
                ("total", "Total", report.employees),
                ("decides", "Décidés", report.decided),
                ("pourcentage_decide", "Pourcentage décidé", round(report.progress * 100, 1)),
            ],
            (14, 24, 10),
        ),
        Table(
            "Niveaux",
            ("Niveau", "Niveau (romain)", "Effectif"),
            [(level, to_roman(level), n) for level, n in report.by_level.items()],
            (8, 14, 10),
        ),
        Table(
            "Emplois repères",
            ("Code", "Emploi", "Niveau", "Niveau (romain)", "Effectif"),
            [
                (row["code"], row["title"], row["level"], to_roman(row["level"]), row["headcount"])
                for row in report.by_job
            ],
            (32, 48, 8, 14, 10),
        ),
        Table(
            "Établissements",
            ("Code", "Établissement", "Collaborateurs", "Décidés", "Notifiés", "Recours"),
            [
                (
                    row["code"],
                    row["name"],
                    row["employees"],
                    row["decided"],
                    row["notified"],
                    row["appeals"],
                )
                for row in report.by_establishment
            ],
            (18, 40, 14, 10, 10, 10),
        ),
        Table(
            "Recours par statut",
            ("Statut", "Libellé", "Nombre"),
            [(status, appeal_status[status], n) for status, n in report.appeals_by_status.items()],
            (12, 40, 10),
        ),
        Table(
            "Recours par objet",
            ("Objet", "Libellé", "Nombre"),
            [(kind, appeal_kind[kind], n) for kind, n in report.appeals_by_kind.items()],
            (12, 40, 10),
        ),
    ]


def report_xlsx(report: Report) -> bytes:
    """One sheet per table, bold frozen header, readable widths."""
    workbook = Spreadsheet(title=f"Positionnement — {report.scope}")
    for table in tables(report):
        sheet = workbook.sheet(table.title)
        sheet.append(table.header)
        for row in table.rows:
            sheet.append(row)
        sheet.layout(table.widths)
    return workbook.content()


def report_csv(report: Report) -> bytes:
    """The tables one after the other: a title line, the header, the rows, an empty line.

    Excel's French convention, like the edition's CSV: ";", a byte-order mark, and
    decimals with a comma (French Excel reads "71,4" as a number, "71.4" as text).
    """
    out = io.StringIO()
    writer = CsvWriter(out, decimal_comma=True)
    writer.writerow([f"Positionnement — {report.scope}"])
    for table in tables(report):
        writer.writerow([])
        writer.writerow([table.title])
        writer.writerow(table.header)
        writer.writerows(table.rows)
    return out.getvalue().encode("utf-8-sig")


def report_file(report: Report, format: str) -> tuple[bytes, str]:
    """The file's bytes and its content type."""
    if format == "xlsx":
        return report_xlsx(report), XLSX_CONTENT_TYPE
    if format == "csv":
        return report_csv(report), CSV_CONTENT_TYPE
    raise ValueError(f"format de rapport inconnu : {format}")


def file_name(scope_code: str, format: str) -> str:
    return f"rapport-positionnement-{scope_code}.{format}"
