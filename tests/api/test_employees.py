"""Employee-file imports over HTTP: preview, commit, refusals.

Job codes, titles and levels are read from the loaded edition; the local job titles and
the people are the test's own.
"""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from repertoire.positioning.models import Employee, Positioning
from tests.api.positioning import error_of, fields_named, positioning_of, post

pytestmark = pytest.mark.django_db


HEADER = "Matricule;Nom;Prénom;Intitulé du poste;Service;Date d'entrée"


def csv_file(*rows: str, name: str = "personnel.csv") -> SimpleUploadedFile:
    """An HR export as spreadsheets write it in France: Windows-1252, semicolons, CRLF."""
    text = "\r\n".join([HEADER, *rows]) + "\r\n"
    return SimpleUploadedFile(name, text.encode("cp1252"), content_type="text/csv")


ROWS = (
    "MAT-NORD-0017;NORDMANN;Alice;Assistante de direction générale;Direction;01/09/2008",
    "N-101;LEFÈVRE;Hélène;Comptable;Finances;15/03/2011",
    "N-102;GARÇON;Zoé;Chargée d'accueil;Accueil;02/01/2015",
    "N-103;DUPRÉ;Noël;Conseiller entreprises;Appui aux entreprises;",
)


def upload(client, file, establishment="CCI-NORD", dry_run=None):
    data = {"file": file, "establishment": establishment}
    if dry_run is not None:
        data["dry_run"] = "true" if dry_run else "false"
    return client.post("/api/employees/import", data)


def test_import_previews_then_commits_an_employee_file(client, net):
    client.force_login(net.hr_north)
    before = Employee.objects.count()
    preview = upload(client, csv_file(*ROWS))
    assert preview.status_code == 200, preview.content
    body = preview.json()
    assert body["dry_run"] is True
    assert (body["encoding"], body["delimiter"], body["rows"]) == ("cp1252", ";", 4)
    assert (body["create"], body["update"], body["unchanged"], body["absent"]) == (3, 1, 0, 0)
    assert {row["name"] for row in body["creates"]} == {
        "LEFÈVRE Hélène",
        "GARÇON Zoé",
        "DUPRÉ Noël",
    }
    assert body["updates"][0]["matricule"] == "MAT-NORD-0017"
    assert Employee.objects.count() == before

    committed = upload(client, csv_file(*ROWS), dry_run=False)
    assert committed.status_code == 201, committed.content
    assert committed.json() == {
        "dry_run": False,
        "created": 3,
        "updated": 1,
        "unchanged": 0,
        "absent": 0,
        "proposed": 4,
        "pay_records": 0,
        "pay_year": None,
    }
    assert Employee.objects.count() == before + 3
    helene = Employee.objects.get(matricule="N-101")
    assert (helene.last_name, helene.hire_date) == ("LEFÈVRE", dt.date(2011, 3, 15))
    assert helene.establishment == net.north
    assert client.get("/api/positionings").json()["count"] == 4
    title = client.get(f"/api/positionings/{positioning_of(net.north_employee).pk}").json()[
        "job_title"
    ]
    assert title == "Assistante de direction générale"

    again = upload(client, csv_file(*ROWS)).json()
    assert (again["create"], again["update"], again["unchanged"]) == (0, 0, 4)


def test_the_import_route_leaves_employee_routes_alone(client, net):
    client.force_login(net.hr_north)
    assert client.get(f"/api/employees/{net.north_employee.pk}").json()["last_name"] == "NORDMANN"
    assert client.get("/api/employees").json()["count"] == 1
    assert error_of(client.get("/api/employees/import"), 405)["code"] == "method_not_allowed"
    response = client.patch(
        f"/api/employees/{net.north_employee.pk}",
        {"service": "DG"},
        content_type="application/json",
    )
    assert response.status_code == 200


def test_a_file_with_a_bad_row_is_refused_whole(client, net):
    client.force_login(net.hr_north)
    before = (Employee.objects.count(), Positioning.objects.count())
    bad = (*ROWS[:2], "N-102;GARÇON;Zoé;Chargée d'accueil;Accueil;31/02/2015", ROWS[3])
    for dry_run in (None, False):
        error = error_of(upload(client, csv_file(*bad), dry_run=dry_run), 422)
        assert error["code"] == "invalid_rows"
        assert [(d["line"], d["column"]) for d in error["details"]] == [(4, "Date d'entrée")]
        assert "31/02/2015" in error["details"][0]["message"]
    assert (Employee.objects.count(), Positioning.objects.count()) == before
    assert Employee.objects.get(matricule="MAT-NORD-0017").job_title == "Assistante de direction"


def test_unreadable_files_and_other_establishments_are_refused(client, net):
    client.force_login(net.hr_north)
    no_matricule = SimpleUploadedFile("p.csv", "Nom;Poste\r\nDUPONT;Comptable\r\n".encode("cp1252"))
    error = error_of(upload(client, no_matricule), 422)
    assert error["code"] == "invalid_file" and "Matricule" in error["message"]
    empty = error_of(upload(client, SimpleUploadedFile("vide.csv", b"")), 422)
    assert empty["code"] == "invalid_file"
    with override_settings(REPERTOIRE_MAX_UPLOAD_BYTES=10):
        assert error_of(upload(client, csv_file(*ROWS)), 422)["code"] == "invalid_file"
    assert "file" in fields_named(
        error_of(client.post("/api/employees/import", {"establishment": "CCI-NORD"}), 422)
    )
    error_of(upload(client, csv_file(*ROWS), establishment="CCI-SUD", dry_run=False), 404)
    client.force_login(net.reader_north)
    error_of(upload(client, csv_file(*ROWS)), 403)
    assert not Employee.objects.filter(matricule="N-101").exists()


def test_nul_characters_are_refused_not_a_server_error(client, net):
    """PostgreSQL holds no NUL in text: a request carrying one is the caller's error."""
    mine = positioning_of(net.north_employee)
    client.force_login(net.hr_north)
    body = post(client, f"/api/positionings/{mine.pk}/comment", {"text": "a\x00b"})
    assert error_of(body, 400)["code"] == "error"
    query = error_of(client.get("/api/positionings", {"q": "a\x00b"}), 422)
    assert fields_named(query) == {"q"}
    form = error_of(upload(client, csv_file(*ROWS), establishment="CCI\x00NORD"), 422)
    assert fields_named(form) == {"establishment"}
    mine.refresh_from_db()
    assert mine.comment == ""
