"""Erasing a person reaches the previews of the employee files; the files themselves are
deleted once imported, or some days after their upload when never imported."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from typer.testing import CliRunner

from repertoire.audit.models import JournalEntry
from repertoire.cli import app
from repertoire.core.payroll import read_payroll
from repertoire.positioning import services
from repertoire.positioning.models import EmployeeImport
from repertoire.positioning.services import imports

pytestmark = pytest.mark.django_db
runner = CliRunner()

HEADER = "Matricule;Nom;Prénom;Intitulé du poste;Service"


def analysed(network, lines: list[str], **fields) -> EmployeeImport:
    """An employee file of the north as the analysis leaves it: its preview kept."""
    content = "\n".join([HEADER, *lines]).encode("cp1252")
    payroll = read_payroll(content, "personnel.csv")
    report = imports.import_report(payroll, imports.plan_import(network.north, payroll))
    return EmployeeImport.objects.create(
        establishment=network.north,
        filename="personnel.csv",
        content=content,
        status=EmployeeImport.Status.INVALID if payroll.errors else EmployeeImport.Status.READY,
        report=report,
        created_by="rh-nord",
        **fields,
    )


def test_erasing_a_person_erases_them_from_every_import_preview(client, edition, network):
    batch = analysed(
        network,
        [
            "MAT-NORD-0017;NORDMANN;Alice;Chargée de mission RH;Direction",
            "MAT-NORD-0017;NORDMANN;Alice;Doublon;Direction",
            "MAT-NORD-0500;NOUVEAU;Pierre;Comptable;Finances",
        ],
    )
    page = f"/positionnement/CCI-NORD/importer/{batch.pk}/"
    client.force_login(network.hr_north)
    shown = client.get(page).content.decode()
    assert "MAT-NORD-0017" in str(batch.report) and "NORDMANN" in str(batch.report)
    assert "MAT-NORD-0017" in shown

    services.erase_employee(network.hr_north, network.north_employee, reason="demande")

    batch.refresh_from_db()
    kept = str(batch.report)
    assert "MAT-NORD-0017" not in kept and "NORDMANN" not in kept and "Alice" not in kept
    assert "Chargée de mission RH" not in kept  # what the update would have changed about her
    assert "MAT-NORD-0500" in kept and "NOUVEAU Pierre" in kept  # the others stay
    shown = client.get(page).content.decode()
    assert "MAT-NORD-0017" not in shown and "NORDMANN" not in shown
    assert "NOUVEAU" in shown


def test_files_are_deleted_once_imported_or_after_the_retention_days(network, settings):
    settings.REPERTOIRE_UPLOAD_RETENTION_DAYS = 30
    line = "MAT-NORD-0600;NEUF;Paul;Comptable;Finances"
    imported = analysed(network, [line], committed_at=timezone.now())
    EmployeeImport.objects.filter(pk=imported.pk).update(status=EmployeeImport.Status.DONE)
    forgotten = analysed(network, [line])
    invalid = analysed(network, [line, line])
    recent = analysed(network, [line])
    long_ago = timezone.now() - dt.timedelta(days=31)
    EmployeeImport.objects.filter(pk__in=[forgotten.pk, invalid.pk]).update(created_at=long_ago)
    EmployeeImport.objects.filter(pk=recent.pk).update(
        created_at=timezone.now() - dt.timedelta(days=29)
    )

    dry = runner.invoke(app, ["retention", "apply", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "3 fichier(s)" in dry.output
    assert not EmployeeImport.objects.filter(content=b"").exists()

    result = runner.invoke(app, ["retention", "apply"])
    assert result.exit_code == 0, result.output
    assert "3 fichier(s)" in result.output
    held = dict(EmployeeImport.objects.values_list("pk", "content"))
    assert [pk for pk, content in held.items() if bytes(content)] == [recent.pk]
    forgotten.refresh_from_db()
    assert forgotten.status == EmployeeImport.Status.FAILED
    assert "envoyez-le à nouveau" in forgotten.error
    invalid.refresh_from_db()
    assert invalid.status == EmployeeImport.Status.INVALID and invalid.report["errors"]
    entries = JournalEntry.objects.filter(action="import.file_delete")
    assert sorted(int(e.object_id) for e in entries) == sorted(
        [imported.pk, forgotten.pk, invalid.pk]
    )
    assert {e.actor for e in entries} == {"retention"}
    # Nothing left to delete: running it again deletes nothing.
    assert services.purge_uploads(days=30) == 0
