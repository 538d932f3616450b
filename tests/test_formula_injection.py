"""No CSV or XLSX file the app writes lets a text become a formula (OWASP "CSV injection").

A hostile text goes in where a user can type one (a weighing's title, a payroll title that
becomes an appellation, a draft job's title and missions) and comes out of every export
that carries it: in CSV behind a single quote, in XLSX as a text cell, never a formula.
The hostile texts are the test's own; jobs are read from the loaded edition.
"""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from repertoire.catalog import selectors as catalog
from repertoire.catalog import services as catalog_services
from repertoire.evaluation import services as evaluations
from repertoire.positioning import services as positioning
from repertoire.positioning.models import Positioning
from tests.accounts.conftest import network  # noqa: F401  shared fixture
from tests.command_line import run

pytestmark = pytest.mark.django_db


@pytest.fixture
def chambers(edition, network):  # noqa: F811
    """The two establishments and their users, the edition loaded first."""
    return network


LINK = '=HYPERLINK("http://evil.example/x","Voir")'
PAYROLL_TITLE = "=1+1 Comptable"
DRAFT_TITLE = "=2+3 Emploi piégé"
DRAFT_MISSION = '@SUM(1+1)*cmd|" /C calc"!A0'


def cells(content: bytes) -> list:
    """Every cell of every sheet of a workbook."""
    book = load_workbook(io.BytesIO(content))
    return [cell for sheet in book for row in sheet.iter_rows() for cell in row]


def assert_text_cell(content: bytes, value: str) -> None:
    """``value`` is in the workbook as a text cell, and no cell is a formula."""
    every = cells(content)
    found = [cell for cell in every if cell.value == value]
    assert found, f"{value!r} not in the workbook"
    assert all(cell.data_type == "s" for cell in found)
    assert [cell.coordinate for cell in every if cell.data_type == "f"] == []


def csv_cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row]


# --- a weighing's title in the positioning report ------------------------------------------


@pytest.fixture
def hostile_weighing(edition, chambers):
    """An employee of North placed on a validated weighing titled with a formula."""
    criteria = catalog.criteria_of(edition)
    evaluation = evaluations.create_evaluation(
        chambers.hr_north,
        chambers.north,
        title=LINK,
        missions="Une mission.",
        degrees={criterion.code: 2 for criterion in criteria},
        justifications={criterion.code: "Justifié." for criterion in criteria},
    )
    evaluation = evaluations.submit(chambers.hr_north, evaluation)
    evaluation = evaluations.validate(chambers.national, evaluation)
    employee = positioning.create_employee(
        chambers.hr_north, chambers.north, matricule="N-777", last_name="PESE", job_title="x"
    )
    positioning.place_on_evaluation(
        chambers.hr_north,
        Positioning.objects.get(employee=employee),
        evaluation_id=evaluation.pk,
    )
    return evaluation


def test_a_weighing_titled_with_a_formula_is_text_in_the_report_files(
    client,
    chambers,
    hostile_weighing,
):
    client.force_login(chambers.national)
    row_title = f"{LINK} (emploi local pesé)"

    xlsx = client.get("/rapports/export.xlsx")
    assert xlsx.status_code == 200
    assert_text_cell(xlsx.content, row_title)
    # Numbers stay numbers beside it.
    row = next(r for r in cells(xlsx.content) if r.value == row_title).row
    sheet = load_workbook(io.BytesIO(xlsx.content))["Emplois repères"]
    assert sheet.cell(row=row, column=3).value == hostile_weighing.level
    assert sheet.cell(row=row, column=3).data_type == "n"

    text = client.get("/rapports/export.csv").content.decode("utf-8-sig")
    assert "'" + row_title in csv_cells(text)
    assert row_title not in csv_cells(text)


def test_the_journal_export_neutralises_a_hostile_author(client, chambers, hostile_weighing):
    from repertoire.audit.services import record

    # An author is any name a command runs under (the system's user name on a server).
    record(actor=LINK, action="evaluation.view", instance=hostile_weighing)
    client.force_login(chambers.national)
    response = client.get("/journal/?format=csv")
    assert response.status_code == 200
    values = csv_cells(b"".join(response.streaming_content).decode("utf-8-sig"))
    assert "'" + LINK in values
    assert not [value for value in values if value.startswith(("=", "+", "-", "@"))]


# --- a payroll title learnt as an appellation ----------------------------------------------


def test_a_payroll_title_with_a_formula_is_neutralised_in_the_appellations_export(
    edition,
    chambers,
    tmp_path,
):
    employee = positioning.create_employee(
        chambers.hr_north,
        chambers.north,
        matricule="N-666",
        last_name="PIEGE",
        job_title=PAYROLL_TITLE,
    )
    placed = Positioning.objects.get(employee=employee)
    proposed = placed.proposals[0]["code"] if placed.proposals else None
    job = next(job for job in catalog.jobs_of(edition) if job.code != proposed)
    positioning.decide_group(chambers.hr_north, chambers.north, placed.title_key, job_code=job.code)
    learnt = job.appellations.get(title=PAYROLL_TITLE)
    # Learnt in one establishment, it is the network's once a national administrator
    # promotes it: only then is it exported.
    catalog_services.promote_appellation(chambers.national, learnt)

    result = run("appellations", "export")
    assert result.exit_code == 0, result.output
    values = csv_cells(result.stdout)
    assert "'" + PAYROLL_TITLE in values and PAYROLL_TITLE not in values

    # The file imports back as it is: the quote is not taken for part of the title.
    target = tmp_path / "appellations.csv"
    assert run("appellations", "export", "-o", target).exit_code == 0
    again = run("appellations", "import", target)
    assert again.exit_code == 0, again.output
    assert "0 appellation(s) ajoutée(s)" in again.stdout


# --- a draft's job texts in the edition's CSV and XLSX -------------------------------------


@pytest.fixture
def hostile_draft(edition, chambers):
    """A draft whose first job is retitled, and given a mission, starting with formulas."""
    draft = catalog_services.copy_edition(chambers.national, edition, label="brouillon-piege")
    job = catalog.jobs_of(draft).first()
    content = catalog.job_content(job)
    catalog_services.save_job(
        chambers.national,
        draft,
        job,
        **{**content, "title": DRAFT_TITLE, "missions": DRAFT_MISSION + "\n" + content["missions"]},
    )
    return draft


def test_draft_job_texts_are_neutralised_in_the_command_line_exports(hostile_draft, tmp_path):
    result = run("export", "--format", "csv", "--edition", hostile_draft.label)
    assert result.exit_code == 0, result.output
    values = csv_cells(result.stdout)
    assert "'" + DRAFT_TITLE in values
    assert any(value.startswith("'" + DRAFT_MISSION) for value in values)
    assert DRAFT_TITLE not in values

    target = tmp_path / "brouillon.xlsx"
    result = run("export", "--format", "xlsx", "--edition", hostile_draft.label, "-o", target)
    assert result.exit_code == 0, result.output
    assert_text_cell(target.read_bytes(), DRAFT_TITLE)
    missions = [c for c in cells(target.read_bytes()) if str(c.value).startswith(DRAFT_MISSION)]
    assert missions and all(cell.data_type == "s" for cell in missions)


def test_draft_job_texts_are_neutralised_in_the_web_xlsx(
    client, settings, chambers, hostile_draft, django_capture_on_commit_callbacks
):
    from repertoire.publishing.models import Publication

    settings.REPERTOIRE_BACKGROUND_TASKS = "inline"
    client.force_login(chambers.national)  # a draft's files go to signed-in users only
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/publications/xlsx/", {"edition": hostile_draft.label})
    assert response.status_code == 302
    publication = Publication.objects.get(edition=hostile_draft, format="xlsx")
    download = client.get(f"/publications/{publication.pk}/fichier/")
    assert_text_cell(download.content, DRAFT_TITLE)
