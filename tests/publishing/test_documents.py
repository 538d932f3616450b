"""The published files, read back and checked against the edition."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from repertoire.core.text import to_roman

pytestmark = pytest.mark.django_db


def pdf_pages(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


@pytest.fixture(scope="module")
def pages(edition_files) -> list[str]:
    return pdf_pages(edition_files["pdf"])


def test_pdf_has_a_cover_and_a_sheet_for_every_job(pages, document):
    assert document.title in pages[0]
    assert "Provisoire" in pages[0]
    text = "\n".join(pages)
    for job in document.jobs:
        assert job.title in text, job.title


def test_pdf_sommaire_points_to_the_pages_that_carry_the_sheets(pages, document):
    sommaire = "\n".join(page for page in pages[:6] if "Sommaire" in page)
    for job in document.jobs:
        found = re.search(re.escape(job.title) + r"[ .]*?(\d+)\s*$", sommaire, re.M)
        assert found, f"{job.title} is not in the sommaire"
        page = pages[int(found.group(1)) - 1]
        heading = page.split("\n")[:4]  # the sheet opens its page with its title
        assert any(line.strip() == job.title for line in heading), (job.title, heading)


def test_pdf_headers_footers_and_fonts(edition_files, pages):
    total = len(pages)
    for number, page in enumerate(pages[1:], start=2):
        assert f"Page {number} / {total}" in page
    reader = PdfReader(io.BytesIO(edition_files["pdf"]))
    fonts = set()
    for page in reader.pages[:8]:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            # Type0 (composite) fonts keep their descriptor on the descendant font.
            for actual in font.get("/DescendantFonts", [font]):
                descriptor = actual.get_object()["/FontDescriptor"]
                fonts.add(bool(descriptor.get("/FontFile2") or descriptor.get("/FontFile3")))
    assert fonts == {True}, "every font is embedded"


def test_pdf_follows_french_typography(pages, document):
    text = "\n".join(pages)
    assert "\u00a0: niveau" in text  # "… dans la tranche 5–7 : niveau I", no break before ":"
    assert " : niveau" not in text.replace("\u00a0", "~")


def test_job_sheet_pdf_is_one_page_with_the_sheet(edition_files, document):
    code = edition_files["job-code"].decode()
    job = next(job for job in document.jobs if job.code == code)
    pages = pdf_pages(edition_files["job-pdf"])
    assert len(pages) == 1
    assert job.title in pages[0]
    assert f"Niveau de classification {to_roman(job.level)}" in pages[0]


def test_docx_headings_toc_and_degree_tables(edition_files, document):
    word = Document(io.BytesIO(edition_files["docx"]))
    headings = [
        (p.style.name, p.text) for p in word.paragraphs if p.style.name.startswith("Heading")
    ]
    assert ("Heading 1", "Sommaire") in headings
    assert [text for style, text in headings if style == "Heading 2"] == [
        job.title for job in sorted(document.jobs, key=lambda job: job.level)
    ]
    assert "TOC \\o" in edition_files["docx"].decode("latin-1") or any(
        "TOC" in node.text for node in word.element.body.iter() if node.tag.endswith("instrText")
    )
    degree_tables = [t for t in word.tables if t.rows[0].cells[0].text == "Critère"]
    assert len(degree_tables) == len(document.jobs)
    by_title = {job.title: job for job in document.jobs}
    ordered = [by_title[text] for style, text in headings if style == "Heading 2"]
    for table, job in zip(degree_tables, ordered, strict=True):
        values = [int(row.cells[1].text) for row in table.rows[1:-1]]
        assert tuple(values) == job.degrees


def test_xlsx_rows_match_the_edition(edition_files, document):
    workbook = load_workbook(io.BytesIO(edition_files["xlsx"]))
    jobs = workbook["Emplois"]
    assert jobs.freeze_panes == "A2"
    assert jobs.auto_filter.ref
    header = [cell.value for cell in jobs[1]]
    assert header[4 : 4 + len(document.criteria)] == [c.label for c in document.criteria]
    rows = list(jobs.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(document.jobs)
    for row, job in zip(rows, document.jobs, strict=True):
        assert row[:4] == (job.code, job.title, job.level, to_roman(job.level))
        assert tuple(row[4 : 4 + len(job.degrees)]) == job.degrees
        assert row[4 + len(job.degrees)] == sum(job.degrees)
        assert row[-2].split("\n")[0] == job.missions[0].as_text().split("\n")[0]
    grid = workbook["Grille"]
    assert [row[1] for row in grid.iter_rows(min_row=2, max_row=9, values_only=True)] == [
        to_roman(n) for n in range(1, 9)
    ]


def test_html_is_one_self_contained_file(edition_files, document):
    html = edition_files["html"].decode()
    assert "<link" not in html and "<script" not in html and "src=" not in html
    assert not re.search(r"(href|url)\s*[=(]\s*[\"']?https?:", html)
    for job in document.jobs:
        assert f'id="emploi-{job.code}"' in html
        assert f'href="#emploi-{job.code}"' in html


def test_csv_and_json_files(edition_files, document):
    assert edition_files["csv"].startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 with a BOM
    rows = list(csv.reader(io.StringIO(edition_files["csv"].decode("utf-8-sig")), delimiter=";"))
    assert [row[0] for row in rows[1:]] == [job.code for job in document.jobs]
    data = json.loads(edition_files["json"])
    assert [job["code"] for job in data["jobs"]] == [job.code for job in document.jobs]


def test_every_job_sheet_of_the_edition_fits_on_one_page(pages, document):
    sommaire = "\n".join(page for page in pages[:6] if "Sommaire" in page)
    numbers = [
        int(re.search(re.escape(job.title) + r"[ .]*?(\d+)\s*$", sommaire, re.M).group(1))
        for job in sorted(document.jobs, key=lambda job: job.level)
    ]
    assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))
    assert numbers[-1] == len(pages)
