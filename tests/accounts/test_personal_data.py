"""Right of access, right to erasure, retention: the person's identity, and only it, goes."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from repertoire.audit.models import JournalEntry
from repertoire.cli import app
from repertoire.positioning import services

pytestmark = pytest.mark.django_db


def raw_journal_text(employee) -> str:
    entries = JournalEntry.objects.filter(
        object_type="positioning.employee", object_id=str(employee.pk)
    )
    return json.dumps([[e.object_repr, e.before, e.after] for e in entries], default=str)


def test_the_journal_keeps_identities_sealed(network):
    services.update_employee(network.hr_north, network.north_employee, last_name="NORDMANN-ROY")
    raw = raw_journal_text(network.north_employee)
    assert "NORDMANN" not in raw and "Alice" not in raw and "MAT-NORD-0017" not in raw
    assert "Assistante de direction" in raw  # what statistics need stays in clear


def test_history_and_export_show_the_identity_to_hr(client, network):
    client.force_login(network.hr_north)
    employee = network.north_employee
    services.update_employee(network.hr_north, employee, last_name="NORDMANN-ROY")
    page = client.get(f"/personnel/{employee.pk}/").content.decode()
    assert "NORDMANN → NORDMANN-ROY" in page
    data = client.get(f"/personnel/{employee.pk}/donnees.json").json()
    assert data["collaborateur"]["matricule"] == "MAT-NORD-0017"
    assert [entry["action"] for entry in data["historique"]] == [
        "employee.create",
        "employee.update",
    ]
    assert data["historique"][0]["apres"]["first_name"] == "Alice"
    pdf = client.get(f"/personnel/{employee.pk}/donnees.pdf")
    assert pdf.content.startswith(b"%PDF")
    client.force_login(network.reader_north)
    assert client.get(f"/personnel/{employee.pk}/donnees.json").status_code == 404


def test_erasure_removes_the_identity_and_keeps_the_statistics(client, network):
    client.force_login(network.hr_north)
    employee = network.north_employee
    refused = client.post(f"/personnel/{employee.pk}/effacer/", {})
    employee.refresh_from_db()
    assert refused.status_code == 302 and employee.pseudonymised_at is None
    client.post(f"/personnel/{employee.pk}/effacer/", {"confirm": "oui"})
    employee.refresh_from_db()
    assert employee.pseudonymised_at is not None
    assert (employee.last_name, employee.first_name) == ("ANONYME", "")
    assert employee.matricule == f"anonyme-{employee.pk}"
    assert (employee.job_title, employee.current_level) == ("Assistante de direction", 4)
    data = client.get(f"/personnel/{employee.pk}/donnees.json").json()
    created = data["historique"][0]["apres"]
    assert created["last_name"] == "[effacé]" and created["job_title"] == "Assistante de direction"
    assert [e["action"] for e in data["historique"]][-1] == "employee.erase"
    client.force_login(network.hr_south)
    assert client.post(f"/personnel/{employee.pk}/effacer/", {"confirm": "oui"}).status_code == 404


def test_retention_erases_people_who_left_long_ago(network):
    services.update_employee(
        network.national, network.north_employee, departure_date=dt.date(2015, 3, 31)
    )
    services.update_employee(
        network.national, network.south_employee, departure_date=dt.date.today()
    )
    runner = CliRunner()
    dry = runner.invoke(app, ["retention", "apply", "--years", "5", "--dry-run"])
    assert "1 collaborateur(s)" in dry.output and "seraient" in dry.output
    network.north_employee.refresh_from_db()
    assert network.north_employee.pseudonymised_at is None
    result = runner.invoke(app, ["retention", "apply", "--years", "5"])
    assert result.exit_code == 0, result.output
    network.north_employee.refresh_from_db()
    network.south_employee.refresh_from_db()
    assert network.north_employee.last_name == "ANONYME"
    assert network.north_employee.departure_date == dt.date(2015, 1, 1)
    assert network.south_employee.last_name == "SUDRIE"
    entry = JournalEntry.objects.get(action="employee.erase")
    assert entry.actor == "retention"
