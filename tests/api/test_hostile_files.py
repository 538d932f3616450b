"""Hostile employee files over HTTP: refused with 422 naming the line (and the column),
never a 500, nothing stored."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from repertoire.audit.models import JournalEntry
from repertoire.positioning.models import Employee
from tests.api.test_employees import HEADER, ROWS, upload
from tests.core.test_hostile_tables import bomb

pytestmark = pytest.mark.django_db


def file_of(content: bytes, name: str = "personnel.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def refused(response) -> str:
    assert response.status_code == 422, response.content[:500]
    return response.json()["error"]["message"]


def test_a_csv_cell_over_131072_characters_is_refused_not_a_500(client, net):
    client.force_login(net.hr_north)
    before = (Employee.objects.count(), JournalEntry.objects.count())
    text = "\r\n".join([HEADER, ROWS[1], "N-9;" + "X" * 140_000 + ";A;Comptable;F;"])
    for dry_run in (True, False):
        response = upload(client, file_of(text.encode("cp1252")), dry_run=dry_run)
        assert response.status_code == 422, response.content[:300]
        details = response.json()["error"]["details"]
        assert any("ligne 3" in str(detail) and "Nom" in str(detail) for detail in details)
    assert (Employee.objects.count(), JournalEntry.objects.count()) == before


def test_a_nul_byte_after_4_kb_is_refused_at_the_dry_run(client, net):
    client.force_login(net.hr_north)
    rows = [f"N-{n:04};DUPONT;Jean;Comptable;Finances;01/02/2010" for n in range(150)]
    content = "\r\n".join([HEADER, *rows]).encode("cp1252")
    at = content.index(b"N-0120;DUPONT")
    content = content[: at + 8] + b"\x00" + content[at + 8 :]
    assert at > 4096
    before = Employee.objects.count()
    for dry_run in (True, False):
        assert "caractère nul" in refused(upload(client, file_of(content), dry_run=dry_run))
    assert Employee.objects.count() == before


def test_an_xlsx_decompression_bomb_is_refused_and_nothing_is_stored(client, net):
    client.force_login(net.hr_north)
    before = (Employee.objects.count(), JournalEntry.objects.count())
    content = bomb(200 * 2**20)
    for dry_run in (True, False):
        response = upload(client, file_of(content, "personnel.xlsx"), dry_run=dry_run)
        assert "décompress" in refused(response)
    assert (Employee.objects.count(), JournalEntry.objects.count()) == before


def test_the_web_form_refuses_a_bomb_before_keeping_it(client, net):
    from repertoire.positioning.models import EmployeeImport

    client.force_login(net.hr_north)
    rows = [f"N-{n:04};DUPONT;Jean;Comptable;Finances;01/02/2010" for n in range(150)]
    for name, content, reason in (
        ("personnel.xlsx", bomb(200 * 2**20), "décompress"),
        ("personnel.csv", "\r\n".join([HEADER, *rows, "N-9;A\x00B;C;D;E;"]).encode(), "ligne 152"),
    ):
        response = client.post(
            "/positionnement/CCI-NORD/importer/",
            {"file": file_of(content, name), "pay_date": "2025-12-31"},
        )
        assert response.status_code == 200
        assert reason in response.content.decode()
    assert not EmployeeImport.objects.exists()
