"""Pay in the employee import (Directive (EU) 2023/970): each row's sex and pay become the
person's pay record for the year of the import's reference date, written with the
employees, all or nothing, through the web pages, the API and the command line; personal
data: sealed in the journal, shown to HR and national administrators only, in the right of
access, erased with the person, kept no longer than the retention period.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from typer.testing import CliRunner

from repertoire.audit.models import JournalEntry
from repertoire.audit.services import unseal
from repertoire.cli import app
from repertoire.core.payroll import read_payroll
from repertoire.core.refusals import Refused
from repertoire.positioning import selectors, services
from repertoire.positioning.models import Employee, EmployeeImport, EmployeeKey, PayRecord

pytestmark = pytest.mark.django_db

HEADERS = [
    "Matricule",
    "Nom",
    "Prénom",
    "Intitulé du poste",
    "Sexe",
    "Salaire de base annuel brut",
    "Rémunération variable annuelle brute",
    "Temps de travail",
]
# Amounts as Excel writes them in a French CSV export (no-break spaces, euro sign).
ROWS = [
    ["P-001", "DUPRÉ", "Hélène", "Gestionnaire de paie", "Femme", "32\u00a0450,50", "", "80 %"],
    ["P-002", "MARTIN", "Noël", "Comptable", "H", "41 000 €", "2\u00a0500,00", "100"],
    ["P-003", "GARÇON", "Zoé", "Chargée d'accueil", "F", "28900", "1200", "0,5"],
]
PAY_DATE = dt.date(2025, 12, 31)


def csv_file(rows=ROWS, headers=HEADERS) -> bytes:
    """An HR export as Excel writes it in France: Windows-1252, semicolons, CRLF."""
    lines = [";".join(cells) for cells in [headers, *rows]]
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def xlsx_file() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    sheet.append([1, "DUPRÉ", "Hélène", "Gestionnaire de paie", "F", 32450.5, None, 0.8])
    sheet.append([2, "MARTIN", "Noël", "Comptable", "M", 41000, 2500, 1])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def pay_of(matricule: str, year: int = 2025) -> PayRecord:
    return PayRecord.objects.get(employee__matricule=matricule, year=year)


def expected_first_import() -> dict:
    return {
        "P-001": ("F", Decimal("32450.50"), Decimal("0.00"), Decimal("0.8")),
        "P-002": ("M", Decimal("41000.00"), Decimal("2500.00"), Decimal("1")),
        "P-003": ("F", Decimal("28900.00"), Decimal("1200.00"), Decimal("0.5")),
    }


def held_pay() -> dict:
    return {
        record.employee.matricule: (
            record.sex,
            record.base_pay,
            record.variable_pay,
            record.working_time,
        )
        for record in PayRecord.objects.select_related("employee")
    }


def import_file(network, content=None, pay_date=PAY_DATE, user=None):
    payroll = read_payroll(content or csv_file(), "personnel.csv")
    return services.import_employees(
        user or network.hr_north, network.north, payroll, pay_date=pay_date
    )


# --- the service --------------------------------------------------------------------------


def test_each_row_with_pay_writes_the_persons_record_for_the_year(network):
    result = import_file(network)
    assert (result.created, result.pay_records, result.pay_year) == (3, 3, 2025)
    assert held_pay() == expected_first_import()
    record = pay_of("P-001")
    assert (record.year, record.reference_date) == (2025, PAY_DATE)


def test_a_second_import_for_the_same_year_replaces_another_year_adds(network):
    import_file(network)
    raised = [row[:] for row in ROWS]
    raised[0][5] = "33 000,00"
    result = import_file(network, csv_file(raised))
    assert result.pay_records == 1  # the two unchanged records are left as they are
    assert PayRecord.objects.filter(year=2025).count() == 3
    assert pay_of("P-001").base_pay == Decimal("33000.00")

    import_file(network, csv_file(ROWS), pay_date=dt.date(2026, 6, 30))
    assert PayRecord.objects.count() == 6
    assert pay_of("P-001", 2025).base_pay == Decimal("33000.00")
    assert pay_of("P-001", 2026).base_pay == Decimal("32450.50")
    history = selectors.pay_history_of(network.hr_north, Employee.objects.get(matricule="P-001"))
    assert [row["annee"] for row in history] == [2026, 2025]
    assert history[0]["total_equivalent_temps_plein"] == Decimal("40563.13")


def test_a_file_with_pay_needs_its_reference_date(network):
    with pytest.raises(Refused) as refused:
        import_file(network, pay_date=None)
    assert set(refused.value.problems) == {"pay_date"}
    assert not Employee.objects.filter(matricule="P-001").exists()


def test_a_bad_value_is_refused_with_line_and_column_and_nothing_is_written(network):
    bad = [row[:] for row in ROWS]
    bad[1][7] = "plein"
    payroll = read_payroll(csv_file(bad), "personnel.csv")
    assert [str(e) for e in payroll.errors] == [
        "ligne 3, colonne « Temps de travail » : temps de travail « plein » illisible"
        " (attendu 100, 80 % ou 0,8)"
    ]
    with pytest.raises(services.ImportRefused):
        services.import_employees(network.hr_north, network.north, payroll, pay_date=PAY_DATE)
    assert PayRecord.objects.count() == 0
    assert not Employee.objects.filter(matricule__startswith="P-").exists()


def test_pay_is_written_all_or_nothing_with_the_employees(network, monkeypatch):
    from repertoire.positioning.services import imports

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(imports.audit, "record_many", fail)
    with pytest.raises(RuntimeError):
        import_file(network)
    assert PayRecord.objects.count() == 0
    assert not Employee.objects.filter(matricule__startswith="P-").exists()


def test_the_journal_seals_pay_with_the_persons_key(network):
    import_file(network)
    helene = Employee.objects.get(matricule="P-001")
    entry = JournalEntry.objects.get(action="pay.record", object_id=str(pay_of("P-001").pk))
    assert (entry.actor, entry.establishment_id) == ("rh-nord", network.north.pk)
    raw = json.dumps(entry.after)
    assert "32450.50" not in raw and '"F"' not in raw
    key = EmployeeKey.objects.get(employee=helene).key
    assert unseal(entry.after["base_pay"], key) == "32450.50"
    assert unseal(entry.after["sex"], key) == "F"
    assert (entry.after["year"], entry.after["employee"]) == (2025, helene.pk)
    assert JournalEntry.objects.filter(action="pay.record").count() == 3


def test_a_generic_bonus_column_alone_is_not_pay(network):
    headers = ["Matricule", "Nom", "Intitulé du poste", "Primes"]
    payroll = read_payroll(csv_file([["P-009", "PETIT", "Comptable", "300"]], headers), "p.csv")
    assert payroll.ignored == ["Primes"] and not payroll.errors
    result = services.import_employees(network.hr_north, network.north, payroll)
    assert (result.created, result.pay_records, result.pay_year) == (1, 0, None)


# --- who sees it --------------------------------------------------------------------------


def test_pay_records_are_scoped_by_role(network):
    import_file(network)
    assert selectors.pay_records_for(network.national).count() == 3
    assert selectors.pay_records_for(network.hr_north).count() == 3
    assert selectors.pay_records_for(network.hr_south).count() == 0
    assert selectors.pay_records_for(network.reader_north).count() == 0


def test_hr_sees_the_pay_history_a_reader_sees_no_pay_anywhere(client, network):
    import_file(network)
    helene = Employee.objects.get(matricule="P-001")
    client.force_login(network.hr_north)
    page = client.get(f"/personnel/{helene.pk}/").content.decode()
    assert "450,50" in page and "563,13" in page  # base pay, FTE total
    assert "31/12/2025" in page
    assert f'action="/egalite/lettre/{helene.pk}/"' in page
    assert "Lettre d'information sur la rémunération (article 7)" in page

    client.force_login(network.reader_north)
    page = client.get(f"/personnel/{helene.pk}/").content.decode()
    assert "450,50" not in page and "32450" not in page
    assert "31/12/2025" not in page
    assert "/egalite/lettre/" not in page
    body = client.get(f"/api/employees/{helene.pk}").json()
    assert not set(body) & {"sex", "base_pay", "pay", "pay_records", "variable_pay"}
    assert "32450" not in json.dumps(body)
    listing = json.dumps(client.get("/api/employees").json())
    assert "32450" not in listing and "Femme" not in listing
    assert client.get(f"/personnel/{helene.pk}/donnees.json").status_code == 404


# --- right of access, erasure, retention -------------------------------------------------


def test_the_right_of_access_includes_the_pay(client, network):
    import_file(network)
    helene = Employee.objects.get(matricule="P-001")
    client.force_login(network.hr_north)
    data = client.get(f"/personnel/{helene.pk}/donnees.json").json()
    assert data["remunerations"] == [
        {
            "annee": 2025,
            "date_reference": "2025-12-31",
            "sexe": "F",
            "salaire_de_base": "32450.50",
            "remuneration_variable": "0.00",
            "temps_de_travail": "0.8000",
            "total_equivalent_temps_plein": "40563.13",
        }
    ]
    pay_entry = next(e for e in data["historique"] if e["action"] == "pay.record")
    assert pay_entry["apres"]["base_pay"] == "32450.50"  # in clear for the person
    assert client.get(f"/personnel/{helene.pk}/donnees.pdf").content.startswith(b"%PDF")


def test_erasure_deletes_the_pay_records(network):
    import_file(network)
    helene = Employee.objects.get(matricule="P-001")
    services.erase_employee(network.hr_north, helene, reason="demande d'effacement")
    assert not PayRecord.objects.filter(employee=helene).exists()
    assert PayRecord.objects.count() == 2
    entry = JournalEntry.objects.get(action="pay.record", after__employee=helene.pk)
    assert unseal(entry.after["base_pay"], None) == "[effacé]"


def test_retention_deletes_the_pay_of_people_who_left_and_pay_older_than_the_period(network):
    import_file(network, pay_date=dt.date(2018, 12, 31))
    import_file(network, pay_date=dt.date(2024, 12, 31))
    martin = Employee.objects.get(matricule="P-002")
    services.update_employee(network.national, martin, departure_date=dt.date(2019, 3, 31))
    services.apply_retention(years=5, today=dt.date(2026, 6, 1), dry_run=True)
    assert PayRecord.objects.count() == 6
    erased = services.apply_retention(years=5, today=dt.date(2026, 6, 1))
    assert erased == [martin.pk]
    assert not PayRecord.objects.filter(employee=martin).exists()
    assert sorted(PayRecord.objects.values_list("employee__matricule", "year")) == [
        ("P-001", 2024),
        ("P-003", 2024),
    ]
    assert JournalEntry.objects.filter(action="pay.erase").count() == 2


# --- the web pages ----------------------------------------------------------------------


@pytest.fixture
def web(client, network, inline_tasks, django_capture_on_commit_callbacks):
    client.force_login(network.hr_north)

    def post(url, data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data)

    return post


@pytest.mark.parametrize(
    ("name", "content", "rows", "first"),
    [("personnel.csv", csv_file, 3, "P-001"), ("personnel.xlsx", xlsx_file, 2, "1")],
)
def test_the_web_import_previews_then_writes_the_pay(
    client, network, web, name, content, rows, first
):
    response = web(
        "/positionnement/CCI-NORD/importer/",
        {"file": SimpleUploadedFile(name, content()), "pay_date": "2025-12-31"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    batch = EmployeeImport.objects.get()
    assert batch.pay_date == PAY_DATE and batch.status == EmployeeImport.Status.READY
    assert (batch.report["pay_rows"], batch.report["pay_year"]) == (rows, 2025)
    page = client.get(response.url).content.decode()
    assert "2025" in page and "31/12/2025" in page
    web(f"/positionnement/CCI-NORD/importer/{batch.pk}/importer/", {})
    batch.refresh_from_db()
    assert batch.status == EmployeeImport.Status.DONE, batch.error
    assert batch.report["result"]["pay_records"] == rows
    assert pay_of(first).base_pay == Decimal("32450.50")
    assert PayRecord.objects.filter(source=batch).count() == rows


def test_the_web_form_offers_last_years_end_and_requires_a_date_for_pay(client, network, web):
    client.force_login(network.hr_north)
    page = client.get("/positionnement/CCI-NORD/importer/").content.decode()
    assert f'value="{services.default_pay_date().isoformat()}"' in page
    response = web(
        "/positionnement/CCI-NORD/importer/",
        {"file": SimpleUploadedFile("personnel.csv", csv_file()), "pay_date": ""},
    )
    assert response.status_code == 200
    assert not EmployeeImport.objects.exists()
    # Without pay columns, no date is needed; one given refers to nothing and is not kept.
    plain = csv_file([row[:4] for row in ROWS], HEADERS[:4])
    for pay_date in ("", "2025-12-31"):
        response = web(
            "/positionnement/CCI-NORD/importer/",
            {"file": SimpleUploadedFile("personnel.csv", plain), "pay_date": pay_date},
        )
        assert response.status_code == 302
        batch = EmployeeImport.objects.latest("pk")
        assert batch.status == EmployeeImport.Status.READY
        assert (batch.pay_date, batch.report["pay_rows"], batch.report["pay_year"]) == (
            None,
            0,
            None,
        )


def test_a_bad_pay_value_is_told_on_the_web_page(client, network, web):
    bad = [row[:] for row in ROWS]
    bad[2][4] = "X"
    response = web(
        "/positionnement/CCI-NORD/importer/",
        {"file": SimpleUploadedFile("personnel.csv", csv_file(bad)), "pay_date": "2025-12-31"},
    )
    batch = EmployeeImport.objects.get()
    assert batch.status == EmployeeImport.Status.INVALID
    page = client.get(response.url).content.decode()
    assert "<td>4</td><td>Sexe</td>" in page
    assert "sexe « X » non reconnu" in page


def test_an_incomplete_pay_file_is_told_on_the_web_page(client, network, web):
    headers = ["Matricule", "Nom", "Intitulé du poste", "Salaire de base annuel brut"]
    content = csv_file([["P-001", "DUPRÉ", "Comptable", "32000"]], headers)
    response = web(
        "/positionnement/CCI-NORD/importer/",
        {"file": SimpleUploadedFile("personnel.csv", content), "pay_date": "2025-12-31"},
    )
    page = client.get(response.url).content.decode()
    assert "colonne(s) de rémunération absente(s) : Sexe, Temps de travail" in page


# --- the API ----------------------------------------------------------------------------


def api_upload(client, content, name="personnel.csv", **data):
    return client.post(
        "/api/employees/import",
        {"file": SimpleUploadedFile(name, content), "establishment": "CCI-NORD", **data},
    )


def test_the_api_previews_then_imports_the_pay(client, network):
    client.force_login(network.hr_north)
    preview = api_upload(client, csv_file(), pay_date="2025-12-31")
    assert preview.status_code == 200, preview.content
    body = preview.json()
    assert (body["pay_rows"], body["pay_year"], body["pay_date"]) == (3, 2025, "2025-12-31")
    assert PayRecord.objects.count() == 0
    done = api_upload(client, xlsx_file(), "personnel.xlsx", pay_date="2025-12-31", dry_run="false")
    assert done.status_code == 201, done.content
    assert (done.json()["pay_records"], done.json()["pay_year"]) == (2, 2025)
    assert pay_of("1").base_pay == Decimal("32450.50")


def test_the_api_refuses_pay_without_a_date_or_with_a_bad_value(client, network):
    client.force_login(network.hr_north)
    missing = api_upload(client, csv_file(), dry_run="false")
    assert missing.status_code == 422
    assert missing.json()["error"]["details"][0]["loc"] == ["body", "pay_date"]
    bad = [row[:] for row in ROWS]
    bad[0][5] = "32.450"
    refused = api_upload(client, csv_file(bad), pay_date="2025-12-31", dry_run="false")
    assert refused.status_code == 422
    (detail,) = refused.json()["error"]["details"]
    assert (detail["line"], detail["column"]) == (2, "Salaire de base annuel brut")
    assert "ambigu" in detail["message"]
    assert (
        PayRecord.objects.count() == 0
        and not Employee.objects.filter(matricule__startswith="P-").exists()
    )


# --- the command line -------------------------------------------------------------------


def test_the_command_imports_the_pay_for_the_year_of_pay_date(network, tmp_path):
    path = tmp_path / "personnel.csv"
    path.write_bytes(csv_file())
    runner = CliRunner()
    args = ["employees", "import", str(path), "--establishment", "CCI-NORD"]
    missing = runner.invoke(app, args)
    assert missing.exit_code == 2
    assert "--pay-date" in missing.stderr
    result = runner.invoke(app, [*args, "--pay-date", "2025-12-31"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "3 rémunération(s) 2025 enregistrée(s)" in " ".join(result.stdout.split())
    assert held_pay() == expected_first_import()


def test_the_command_refuses_a_bad_pay_value_with_line_and_column(network, tmp_path):
    bad = [row[:] for row in ROWS]
    bad[1][4] = "inconnu"
    path = tmp_path / "personnel.csv"
    path.write_bytes(csv_file(bad))
    result = CliRunner().invoke(
        app, ["employees", "import", str(path), "--establishment", "CCI-NORD", "--pay-date",
              "2025-12-31"]
    )  # fmt: skip
    assert result.exit_code == 2
    assert "Sexe" in result.stderr and "inconnu" in result.stderr and "3" in result.stderr
    assert PayRecord.objects.count() == 0
