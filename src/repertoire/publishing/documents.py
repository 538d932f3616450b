"""The edition as documents people print, send and sign: PDF, DOCX, XLSX, one HTML file.

Every format is built from the same reading of the edition (``EditionView``); the PDF
and the HTML file share one template, typeset for paper by WeasyPrint.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import translation
from docx import Document
from docx.enum.section import WD_SECTION
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from repertoire.catalog import selectors
from repertoire.catalog.models import Edition, ReferenceJob
from repertoire.core.document import ListItem
from repertoire.core.text import french_typography
from repertoire.publishing import exports
from repertoire.typesetting.pdf import Progress, pdf, silent
from repertoire.typesetting.sheets import EditionView, SheetView, edition_view
from repertoire.typesetting.spreadsheets import Spreadsheet

# --- HTML and PDF -------------------------------------------------------------------------


def edition_html(view: EditionView, *, whole_edition: bool = True) -> str:
    """One self-contained HTML file (styles and charts inline, no link outside it)."""
    with translation.override("fr"):
        return render_to_string(
            "publishing/edition.html", {"view": view, "whole_edition": whole_edition}
        )


def edition_pdf(edition: Edition, progress: Progress = silent) -> bytes:
    progress(0.0, "lecture de l'édition")
    content = pdf(edition_html(edition_view(edition)), progress)
    progress(1.0, "terminé")
    return content


def job_pdf(job: ReferenceJob) -> bytes:
    view = edition_view(job.edition, jobs=[job])
    return pdf(edition_html(view, whole_edition=False))


# --- DOCX -----------------------------------------------------------------------------------


def _toc_field(paragraph) -> None:
    """A Word table-of-contents field; Word fills it in when the document is opened."""

    def element(tag: str, **attributes) -> OxmlElement:
        node = OxmlElement(tag)
        for name, value in attributes.items():
            node.set(qn(name), value)
        return node

    run = paragraph.add_run()
    run._r.append(element("w:fldChar", **{"w:fldCharType": "begin", "w:dirty": "true"}))
    instruction = element("w:instrText", **{"xml:space": "preserve"})
    instruction.text = 'TOC \\o "1-2" \\h \\z \\u'
    run._r.append(instruction)
    run._r.append(element("w:fldChar", **{"w:fldCharType": "separate"}))
    placeholder = paragraph.add_run("Mettre à jour la table des matières (F9) pour l'afficher.")
    placeholder.italic = True
    paragraph.add_run()._r.append(element("w:fldChar", **{"w:fldCharType": "end"}))


def _bullets(document, items: list[ListItem]) -> None:
    for item in items:
        document.add_paragraph(french_typography(item.text), style="List Bullet")
        for sub in item.subitems:
            document.add_paragraph(french_typography(sub), style="List Bullet 2")


def edition_docx(edition: Edition, progress: Progress = silent) -> bytes:
    """An editable Word document: heading styles, a table of contents, degree tables."""

    progress(0.0, "lecture de l'édition")
    view = edition_view(edition)
    document = Document()
    document.core_properties.title = view.edition.title
    document.core_properties.subject = f"Édition du {view.date_text}"
    document.styles["Normal"].font.size = Pt(10)
    _docx_title_page(document, view)
    document.add_section(WD_SECTION.NEW_PAGE)
    _docx_grid(document, view)

    sheets_by_level: dict[int, list[SheetView]] = {}
    for sheet in view.sheets:
        sheets_by_level.setdefault(sheet.job.level.number, []).append(sheet)
    done = 0
    for level in view.levels:
        sheets = sheets_by_level.get(level.number, [])
        if not sheets:
            continue
        document.add_section(WD_SECTION.NEW_PAGE)
        document.add_heading(f"Niveau {level.roman}", level=1)
        for definition in level.definitions.all()[:1]:
            for paragraph in definition.paragraphs:
                document.add_paragraph(french_typography(paragraph))
        for sheet in sheets:
            _docx_sheet(document, sheet, level.roman)
            done += 1
            progress(done / len(view.sheets), f"fiche {done} sur {len(view.sheets)}")
    out = io.BytesIO()
    document.save(out)
    progress(1.0, "terminé")
    return out.getvalue()


def _docx_title_page(document, view: EditionView) -> None:
    """Title, date and status, the edition's notes, the jobs announced, the contents."""
    document.add_paragraph(view.edition.title, style="Title")
    document.add_paragraph(f"Édition du {view.date_text} — {view.edition.get_status_display()}")
    for note in view.edition.notes:
        document.add_paragraph(french_typography(note))
    if view.edition.missing_jobs:
        document.add_paragraph(
            french_typography(
                "Emplois annoncés, pas encore décrits : " + ", ".join(view.edition.missing_jobs)
            )
        )
    document.add_heading("Sommaire", level=1)
    _toc_field(document.add_paragraph())


def _docx_grid(document, view: EditionView) -> None:
    """The criteria, the level rule and its band for each level."""
    document.add_heading("Critères et niveaux", level=1)
    for criterion in view.criteria:
        paragraph = document.add_paragraph()
        paragraph.add_run(criterion.label).bold = True
        if criterion.description:
            paragraph.add_run(" — " + french_typography(criterion.description))
    document.add_paragraph(french_typography(f"Règle de classement : {view.rule.label}."))
    table = document.add_table(rows=1, cols=3, style="Table Grid")
    for cell, text in zip(
        table.rows[0].cells, ("Niveau", "Tranche", "Emplois repères"), strict=True
    ):
        cell.text = text
    for level in view.levels:
        low, high = level.band
        row = table.add_row().cells
        row[0].text = level.roman
        row[1].text = str(low) if low == high else f"{low}–{high}"
        row[2].text = str(level.job_count)


def _docx_sheet(document, sheet: SheetView, roman: str) -> None:
    """One job's sheet, on its own page: texts, degrees and why its level."""
    document.add_page_break()
    document.add_heading(sheet.job.title, level=2)
    if sheet.gender_forms:
        document.add_paragraph(" · ".join(sheet.gender_forms))
    document.add_paragraph(f"Niveau de classification {roman}")
    document.add_heading("Finalité et missions", level=3)
    _bullets(document, sheet.missions)
    document.add_heading("Exigences", level=3)
    _bullets(document, sheet.requirements)
    document.add_heading("Degrés sur les critères classants", level=3)
    degrees = document.add_table(rows=1, cols=2, style="Table Grid")
    degrees.rows[0].cells[0].text = "Critère"
    degrees.rows[0].cells[1].text = "Degré"
    for criterion, degree in sheet.degrees:
        row = degrees.add_row().cells
        row[0].text = criterion.label
        row[1].text = str(degree)
    total = degrees.add_row().cells
    total[0].text = "Total"
    total[1].text = str(sheet.classification.total)
    document.add_paragraph(french_typography(sheet.classification.explanation))


# --- XLSX -----------------------------------------------------------------------------------


def _rome_cells(found: dict) -> list[str]:
    """A job's primary ROME code; its codes with their titles, one a line (primary marked);
    its ESCO occupations, one a line."""
    codes = found.get("rome", [])
    primary = next((entry["code"] for entry in codes if entry["primary"]), "")
    lines = [
        f"{entry['code']} {entry['title'] or ''}".strip()
        + (" (principal)" if entry["primary"] else "")
        for entry in codes
    ]
    esco = [f"{entry['label']} <{entry['uri']}>" for entry in found.get("esco", [])]
    return [primary, "\n".join(lines), "\n".join(esco)]


def edition_xlsx(edition: Edition, progress: Progress = silent) -> bytes:
    """A workbook: one row per job (degrees in columns), and the grid."""

    progress(0.0, "lecture de l'édition")
    view = edition_view(edition)
    rome = selectors.rome_by_job(edition)
    workbook = Spreadsheet()
    jobs = workbook.sheet("Emplois")
    header = [
        "Code",
        "Emploi",
        "Niveau",
        "Niveau (romain)",
        *(criterion.label for criterion in view.criteria),
        "Total",
        "Code ROME principal",
        "Codes ROME",
        "Professions ESCO",
        "Finalité et missions",
        "Exigences",
    ]
    jobs.append(header)
    for index, sheet in enumerate(view.sheets, start=1):
        jobs.append(
            [
                sheet.job.code,
                sheet.job.title,
                sheet.job.level.number,
                sheet.job.level.roman,
                *(degree for _, degree in sheet.degrees),
                sheet.classification.total,
                *_rome_cells(rome.get(sheet.job.code, {})),
                "\n".join(item.as_text() for item in sheet.missions),
                "\n".join(item.as_text() for item in sheet.requirements),
            ]
        )
        progress(index / len(view.sheets) * 0.9, f"emploi {index} sur {len(view.sheets)}")
    widths = [28, 42, 8, 10, *(14 for _ in view.criteria), 8, 12, 48, 48, 80, 80]
    jobs.layout(widths)
    jobs.wrap_last_columns(4)

    grid = workbook.sheet("Grille")
    grid.append(
        ["Niveau", "Niveau (romain)", "Tranche de la règle", "Emplois repères", "Définition"]
    )
    for level in view.levels:
        low, high = level.band
        definitions = [definition.text for definition in level.definitions.all()]
        grid.append(
            [
                level.number,
                level.roman,
                str(low) if low == high else f"{low}–{high}",
                level.job_count,
                definitions[0] if definitions else "",
            ]
        )
    grid.layout([8, 10, 18, 16, 100])
    grid.wrap_last_columns(1)
    grid.append([])
    grid.append(["Règle de classement", view.rule.label])
    grid.append([])
    grid.append(["Critère", "Code", "Ce qu'il mesure"])
    for criterion in view.criteria:
        grid.append([criterion.label, criterion.code, criterion.description])

    content = workbook.content()
    progress(1.0, "terminé")
    return content


# --- the formats -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Format:
    code: str
    label: str
    extension: str
    content_type: str
    build: Callable[[Edition, Progress], bytes]


def _html_file(edition: Edition, progress: Progress = silent) -> bytes:
    progress(0.0, "lecture de l'édition")
    content = edition_html(edition_view(edition)).encode()
    progress(1.0, "terminé")
    return content


def _csv_file(edition: Edition, progress: Progress = silent) -> bytes:
    # A byte-order mark lets Excel recognise UTF-8; the delimiter is Excel's French ";".
    return exports.to_csv(selectors.document_of(edition)).encode("utf-8-sig")


def _json_file(edition: Edition, progress: Progress = silent) -> bytes:
    document = selectors.document_of(edition)
    return exports.to_json(
        document,
        label=edition.label,
        level_rule=edition.level_rule,
        rome=selectors.rome_by_job(edition),
    ).encode()


FORMATS = {
    f.code: f
    for f in (
        Format("pdf", "PDF", "pdf", "application/pdf", edition_pdf),
        Format(
            "docx",
            "Word",
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            edition_docx,
        ),
        Format(
            "xlsx",
            "Excel",
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            edition_xlsx,
        ),
        Format("html", "HTML", "html", "text/html; charset=utf-8", _html_file),
        Format("csv", "CSV", "csv", "text/csv; charset=utf-8", _csv_file),
        Format("json", "JSON", "json", "application/json", _json_file),
    )
}


def file_name(edition: Edition, extension: str) -> str:
    return f"repertoire-emplois-{edition.label}.{extension}"
