"""The positioning report: page, XLSX and CSV downloads, the command; each in its scope."""

from __future__ import annotations

import csv
import io
from collections import Counter

from django.contrib.auth import get_user_model
from django.urls import reverse
from openpyxl import load_workbook
from typer.testing import CliRunner

from repertoire.cli import app
from repertoire.core.text import to_roman
from repertoire.positioning.models import Positioning
from tests.accounts.conftest import PASSWORD

REPORT = "/rapports/"


def decided(d, place=None) -> list[Positioning]:
    everyone = [d.alice, d.bruno, d.chloe, d.denis, d.gaspard, d.amedee, d.eloi]
    return [
        p
        for p in everyone
        if p.status in Positioning.DECIDED and (place is None or p.establishment_id == place.pk)
    ]


def expected_levels(d, place=None) -> dict[int, int]:
    counts = Counter(p.level for p in decided(d, place))
    return {level: counts.get(level, 0) for level in range(1, 9)}


def expected_jobs(d, place=None) -> dict[str, int]:
    return dict(Counter(p.job.code for p in decided(d, place)))


# --- the page ---------------------------------------------------------------------------


def test_the_national_administrator_sees_the_network(client, decisions):
    d = decisions
    client.force_login(d.network.national)
    response = client.get(REPORT)
    assert response.status_code == 200
    report = response.context["report"]
    assert response.context["establishment"] is None
    assert report.employees == 7
    assert report.by_status == {
        "proposed": 2,
        "validated": 1,
        "notified": 2,
        "contested": 1,
        "confirmed": 1,
        "revised": 0,
    }
    assert report.by_level == expected_levels(d)
    assert {row["code"]: row["headcount"] for row in report.by_job} == expected_jobs(d)
    assert report.appeals_by_status == {"open": 1, "confirmed": 1, "revised": 0}
    assert report.appeals_by_kind == {"weighing": 1, "attachment": 1, "definition": 0}
    assert response.context["percent"] == round(5 / 7 * 100)
    html = response.content.decode()
    # The chart, drawn on the server, and the table by establishment with both chambers.
    assert '<svg class="chart columns"' in html
    assert 'max="7" value="5"' in html
    for level, count in expected_levels(d).items():
        assert f"{to_roman(level)} : {count}" in html
    for place in (d.network.north, d.network.south):
        assert f"?etablissement={place.code}" in html
        assert f'<option value="{place.code}"' in html
    assert d.bruno.job.title in html
    # Counts only: no name on the report.
    assert d.alice.employee.last_name not in html


def test_the_national_administrator_chooses_an_establishment(client, decisions):
    d = decisions
    client.force_login(d.network.national)
    response = client.get(REPORT, {"etablissement": d.network.north.code})
    assert response.status_code == 200
    report = response.context["report"]
    assert response.context["establishment"] == d.network.north
    assert report.scope == d.network.north.name
    assert report.employees == 5
    assert report.decided == 4
    assert report.by_level == expected_levels(d, d.network.north)
    assert [row["code"] for row in report.by_establishment] == [d.network.north.code]
    assert f"?etablissement={d.network.north.code}" in response.context["query"]
    assert client.get(REPORT, {"etablissement": "CCI-NULLE-PART"}).status_code == 404


def test_hr_and_readers_see_their_establishment_only(client, decisions):
    d = decisions
    client.force_login(d.network.hr_south)
    response = client.get(REPORT)
    assert response.status_code == 200
    report = response.context["report"]
    assert response.context["establishment"] == d.network.south
    assert report.employees == 2
    assert report.by_level == expected_levels(d, d.network.south)
    assert report.appeals_by_status == {"open": 0, "confirmed": 0, "revised": 0}
    assert d.network.north.name not in response.content.decode()
    for url in (REPORT, "/rapports/export.xlsx", "/rapports/export.csv"):
        assert client.get(url, {"etablissement": d.network.north.code}).status_code == 404

    client.force_login(d.network.reader_north)
    response = client.get(REPORT)
    assert response.status_code == 200
    assert response.context["report"].employees == 5
    assert response.context["report"].appeals_by_kind == {
        "weighing": 1,
        "attachment": 1,
        "definition": 0,
    }


def test_anonymous_users_sign_in_and_users_without_a_role_find_nothing(client, decisions):
    for url in (REPORT, "/rapports/export.xlsx", "/rapports/export.csv"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    nobody = get_user_model().objects.create_user("sans-role", password=PASSWORD)
    client.force_login(nobody)
    for url in (REPORT, "/rapports/export.xlsx", "/rapports/export.csv"):
        assert client.get(url).status_code == 404


def test_an_unknown_export_format_is_not_found(client, decisions):
    client.force_login(decisions.network.national)
    assert client.get("/rapports/export.pdf").status_code == 404


# --- the files --------------------------------------------------------------------------


def workbook_tables(content: bytes) -> dict[str, list[tuple]]:
    workbook = load_workbook(io.BytesIO(content))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook}


def csv_tables(content: bytes) -> dict[str, list[list[str]]]:
    """The CSV's sections: title line, header, rows, separated by empty lines."""
    assert content.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 by its byte-order mark
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    tables, current = {}, None
    for row in rows[1:]:
        if not row:
            current = None
        elif current is None:
            current = tables.setdefault(row[0], [])
        else:
            current.append(row)
    return tables


def test_the_workbook_has_one_sheet_per_table_with_the_report_figures(client, decisions):
    d = decisions
    client.force_login(d.network.national)
    response = client.get("/rapports/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert ".xlsx" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "Avancement",
        "Niveaux",
        "Emplois repères",
        "Établissements",
        "Recours par statut",
        "Recours par objet",
    ]
    for sheet in workbook:
        assert all(cell.font.bold for cell in sheet[1])
        assert sheet.column_dimensions["A"].width > 5
        assert sheet.freeze_panes == "A2"
    tables = workbook_tables(response.content)
    levels = {row[0]: row[2] for row in tables["Niveaux"][1:]}
    assert levels == expected_levels(d)
    assert {row[0]: row[4] for row in tables["Emplois repères"][1:]} == expected_jobs(d)
    progress = {row[0]: row[2] for row in tables["Avancement"][1:]}
    assert progress["proposed"] == 2
    assert progress["contested"] == 1
    assert progress["total"] == 7
    assert progress["decides"] == 5
    assert progress["pourcentage_decide"] == round(5 / 7 * 100, 1)
    places = {row[0]: row[2:] for row in tables["Établissements"][1:]}
    assert places == {d.network.north.code: (5, 4, 3, 2), d.network.south.code: (2, 1, 1, 0)}
    assert {row[0]: row[2] for row in tables["Recours par statut"][1:]} == {
        "open": 1,
        "confirmed": 1,
        "revised": 0,
    }
    assert {row[0]: row[2] for row in tables["Recours par objet"][1:]} == {
        "weighing": 1,
        "attachment": 1,
        "definition": 0,
    }


def test_the_csv_file_is_for_excel_and_holds_the_same_tables(client, decisions):
    d = decisions
    client.force_login(d.network.hr_north)
    response = client.get("/rapports/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    tables = csv_tables(response.content)
    assert list(tables) == [
        "Avancement",
        "Niveaux",
        "Emplois repères",
        "Établissements",
        "Recours par statut",
        "Recours par objet",
    ]
    assert tables["Niveaux"][0] == ["Niveau", "Niveau (romain)", "Effectif"]
    # Decimal comma: a French Excel reads it as a number.
    progress = {row[0]: row[2] for row in tables["Avancement"][1:]}
    assert progress["pourcentage_decide"] == f"{4 / 5 * 100:.1f}".replace(".", ",")
    levels = {int(row[0]): int(row[2]) for row in tables["Niveaux"][1:]}
    assert levels == expected_levels(d, d.network.north)
    jobs = {row[0]: int(row[4]) for row in tables["Emplois repères"][1:]}
    assert jobs == expected_jobs(d, d.network.north)
    assert [row[:3] for row in tables["Établissements"][1:]] == [
        [d.network.north.code, d.network.north.name, "5"]
    ]
    assert {row[0]: row[2] for row in tables["Recours par objet"][1:]}["attachment"] == "1"


# --- the command ------------------------------------------------------------------------


def test_the_command_exports_the_network_or_one_establishment(decisions, tmp_path):
    d = decisions
    runner = CliRunner()
    workbook = tmp_path / "rapport.xlsx"
    result = runner.invoke(
        app, ["reports", "export", "--format", "xlsx", "-o", str(workbook)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    tables = workbook_tables(workbook.read_bytes())
    assert {row[0]: row[2] for row in tables["Niveaux"][1:]} == expected_levels(d)
    assert len(tables["Établissements"]) == 3

    south = tmp_path / "sud.csv"
    result = runner.invoke(
        app,
        [
            "reports",
            "export",
            "--establishment",
            d.network.south.code,
            "--format",
            "csv",
            "-o",
            str(south),
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    tables = csv_tables(south.read_bytes())
    assert {int(row[0]): int(row[2]) for row in tables["Niveaux"][1:]} == expected_levels(
        d, d.network.south
    )

    result = runner.invoke(
        app,
        [
            "reports",
            "export",
            "--establishment",
            "CCI-NULLE-PART",
            "--format",
            "csv",
            "-o",
            str(tmp_path / "rien.csv"),
        ],
    )
    assert result.exit_code == 2
    assert not (tmp_path / "rien.csv").exists()


def test_without_an_edition_the_report_says_so(client, network):
    client.force_login(network.national)
    response = client.get(REPORT)
    assert response.status_code == 404
    assert "Aucune édition" in response.content.decode()


def test_the_positioning_index_leads_national_administrators_to_each_worklist(client, decisions):
    d = decisions
    client.force_login(d.network.national)
    html = client.get("/positionnement/").content.decode()
    for place in (d.network.north, d.network.south):
        assert reverse("worklist:worklist", args=[place.code]) in html
    north = next(row for row in client.get("/positionnement/").context["report"].by_establishment
                 if row["code"] == d.network.north.code)  # fmt: skip
    assert north["decided"] == len(decided(d, d.network.north))
    # An HR officer goes straight to their own worklist.
    client.force_login(d.network.hr_north)
    response = client.get("/positionnement/")
    assert response["Location"] == reverse("worklist:worklist", args=[d.network.north.code])
