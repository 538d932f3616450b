"""A control character pasted into a text (Word's manual line break, U+000B; an escape)
never breaks a document: no XLSX or DOCX file can hold one, and one officer's text would
otherwise make the network's exports fail for everyone. Texts are stored without them
(a manual line break as a line end), and the spreadsheet writer cleans every cell, so a
text bulk-written by a file reader comes out too."""

from __future__ import annotations

import io

import pytest
from docx import Document
from openpyxl import load_workbook

from repertoire.catalog import selectors as catalog
from repertoire.core.text import without_controls
from repertoire.evaluation import services as evaluations
from repertoire.positioning import services as positioning
from repertoire.positioning.models import Employee, Positioning
from repertoire.typesetting.spreadsheets import Spreadsheet
from tests.accounts.conftest import network  # noqa: F401  shared fixture

WORD_LINE_BREAK = "Ancienneté dans l'emploi\x0bcritère objectif"
ESCAPED = "Chargé\x1bde veille"


def test_a_document_holds_the_text_without_its_controls():
    assert without_controls(WORD_LINE_BREAK) == "Ancienneté dans l'emploi\ncritère objectif"
    assert without_controls(ESCAPED) == "Chargé de veille"
    assert without_controls("tab\there\r\nline") == "tab\there\r\nline"
    Document().add_paragraph(without_controls(ESCAPED + WORD_LINE_BREAK))  # python-docx takes it


def test_the_spreadsheet_writer_cleans_every_cell():
    book = Spreadsheet()
    book.sheet("Feuille").append([ESCAPED, "=1+1\x07", 3])
    sheet = load_workbook(io.BytesIO(book.content())).active
    assert [cell.value for cell in sheet[1]] == ["Chargé de veille", "=1+1 ", 3]
    assert sheet["B1"].data_type == "s"  # still a text, never a formula


@pytest.mark.django_db
def test_a_pasted_control_character_is_stored_as_a_document_can_hold_it(edition, network):  # noqa: F811
    criteria = catalog.criteria_of(edition)
    evaluation = evaluations.create_evaluation(
        network.hr_north,
        network.north,
        title=ESCAPED,
        missions=WORD_LINE_BREAK,
        degrees={criterion.code: 2 for criterion in criteria},
    )
    evaluation.refresh_from_db()
    assert evaluation.title == "Chargé de veille"
    assert evaluation.missions == without_controls(WORD_LINE_BREAK)


@pytest.mark.django_db
def test_the_report_exports_open_with_a_control_character_in_a_stored_title(
    client,
    edition,
    network,  # noqa: F811
):
    """A title written by a bulk path (no save hook) still comes out of the XLSX report."""
    employee = positioning.create_employee(
        network.hr_north, network.north, matricule="N-900", last_name="COLLE", job_title="x"
    )
    criteria = catalog.criteria_of(edition)
    weighing = evaluations.create_evaluation(
        network.hr_north,
        network.north,
        title="Chargé de veille",
        missions="Une mission.",
        degrees={criterion.code: 2 for criterion in criteria},
        justifications={criterion.code: "Justifié." for criterion in criteria},
    )
    weighing = evaluations.validate(
        network.national, evaluations.submit(network.hr_north, weighing)
    )
    type(weighing).objects.filter(pk=weighing.pk).update(title=ESCAPED)
    Employee.objects.filter(pk=employee.pk).update(job_title=ESCAPED)
    positioning.place_on_evaluation(
        network.hr_north, Positioning.objects.get(employee=employee), evaluation_id=weighing.pk
    )
    client.force_login(network.national)

    response = client.get("/rapports/export.xlsx")

    assert response.status_code == 200
    values = [
        cell.value
        for sheet in load_workbook(io.BytesIO(response.content))
        for row in sheet.iter_rows()
        for cell in row
    ]
    assert "Chargé de veille (emploi local pesé)" in values


@pytest.mark.django_db
def test_a_job_text_with_a_control_character_still_publishes_as_docx(edition, network):  # noqa: F811
    """Missions are a list of items (a JSON value): their texts are cleaned too."""
    from repertoire.catalog import services as catalog_services
    from repertoire.publishing.documents import edition_docx

    draft = catalog_services.copy_edition(network.national, edition, label="brouillon")
    job = draft.jobs.order_by("position").first()
    content = catalog.job_content(job)
    content["missions"] += "\n- " + ESCAPED
    saved = catalog_services.save_job(network.national, draft, job, **content)

    saved.refresh_from_db()
    texts = [item["text"] for item in saved.missions] + [
        sub for item in saved.missions for sub in item["subitems"]
    ]
    assert "Chargé de veille" in texts and not [t for t in texts if "\x1b" in t]
    assert edition_docx(draft)  # python-docx refused the escape


def test_a_payroll_cell_is_read_without_its_controls():
    """What a file reader bulk-writes (no save hook) is what a later save keeps: a
    matricule read with an escape is not changed by an unrelated save."""
    from repertoire.core.cells import cell_text

    assert cell_text("N\x01-77") == "N -77"
    assert cell_text("  Chargée\x0bd'accueil ") == "Chargée d'accueil"
