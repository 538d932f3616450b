"""Positionings, appeals, reports and employee-file imports over HTTP.

Job codes, titles and levels are read from the loaded edition; the local job titles and
the people are the test's own.
"""

import datetime as dt

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from repertoire.accounts import services as accounts
from repertoire.core.positioning import appeal_deadline
from repertoire.positioning import services
from repertoire.positioning.models import Appeal, Employee, Positioning
from tests.accounts.conftest import network  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def net(edition, network):  # noqa: F811
    """The two establishments, the edition loaded first so that employees get proposals."""
    return network


def error_of(response, status: int) -> dict:
    assert response.status_code == status, response.content[:500]
    body = response.json()
    assert set(body) == {"error"}
    return body["error"]


def fields_named(error: dict) -> set[str]:
    return {str(detail["loc"][-1]) for detail in error["details"]}


def post(client, url: str, data: dict | None = None, **extra):
    return client.post(url, data or {}, content_type="application/json", **extra)


def positioning_of(employee) -> Positioning:
    return Positioning.objects.select_related("job__level").get(employee=employee)


def jobs_of(edition) -> list:
    return list(edition.jobs.select_related("level").order_by("position"))


def hire(user, place, titles: list[str], prefix: str = "T") -> list[Employee]:
    return [
        services.create_employee(
            user,
            place,
            matricule=f"{prefix}{number:03d}",
            last_name=f"NOM{number}",
            job_title=title,
        )
        for number, title in enumerate(titles, start=1)
    ]


# --- scope ----------------------------------------------------------------------------


def test_hr_see_and_decide_only_their_establishment(client, net):
    south = positioning_of(net.south_employee)
    client.force_login(net.hr_north)
    page = client.get("/api/positionings").json()
    assert page["count"] == 1
    item = page["items"][0]
    assert item["employee"] == net.north_employee.pk
    assert item["establishment"] == "CCI-NORD"
    assert item["job_title"] == net.north_employee.job_title
    assert item["employee_name"] == "NORDMANN Alice"
    assert item["proposals"] and item["job"]["code"] == item["proposals"][0]["code"]

    assert error_of(client.get(f"/api/positionings/{south.pk}"), 404)["code"] == "not_found"
    error_of(post(client, f"/api/positionings/{south.pk}/validate"), 404)
    error_of(post(client, f"/api/positionings/{south.pk}/comment", {"text": "x"}), 404)
    error_of(client.get("/api/positionings", {"establishment": "CCI-SUD"}), 404)
    error_of(client.get("/api/positionings/groups", {"establishment": "CCI-SUD"}), 404)
    error_of(client.get("/api/reports", {"establishment": "CCI-SUD"}), 404)
    error_of(
        post(
            client, "/api/positionings/bulk-accept", {"establishment": "CCI-SUD", "threshold": 0.01}
        ),
        404,
    )
    error_of(post(client, "/api/positionings/notify", {"establishment": "CCI-SUD"}), 404)
    south.refresh_from_db()
    assert south.status == Positioning.Status.PROPOSED
    assert list(south.events.values_list("action", flat=True)) == ["propose"]

    client.force_login(net.national)
    assert client.get("/api/positionings").json()["count"] == 2
    assert client.get("/api/positionings", {"establishment": "CCI-SUD"}).json()["count"] == 1


def test_readers_read_names_jobs_and_levels_but_do_not_write(client, net):
    mine = positioning_of(net.north_employee)
    client.force_login(net.reader_north)
    response = client.get("/api/positionings")
    assert response.json()["count"] == 1
    text = response.content.decode()
    assert "NORDMANN" in text
    for hidden in (net.north_employee.matricule, net.north_employee.service, "matricule"):
        assert hidden not in text
    # Readers cannot sort people by service, hidden from them: the filter is ignored.
    assert client.get("/api/positionings", {"service": "Nulle part"}).json()["count"] == 1
    detail = client.get(f"/api/positionings/{mine.pk}").json()
    assert [event["action"] for event in detail["history"]] == ["propose"]
    assert client.get("/api/reports").status_code == 200

    assert (
        error_of(post(client, f"/api/positionings/{mine.pk}/validate"), 403)["code"] == "forbidden"
    )
    error_of(post(client, f"/api/positionings/{mine.pk}/comment", {"text": "vu"}), 403)
    error_of(
        post(
            client,
            "/api/positionings/bulk-accept",
            {"establishment": "CCI-NORD", "threshold": 0.01},
        ),
        403,
    )
    mine.refresh_from_db()
    assert mine.status == Positioning.Status.PROPOSED and mine.comment == ""

    client.force_login(net.hr_north)
    assert client.get("/api/positionings", {"service": "Nulle part"}).json()["count"] == 0
    assert client.get("/api/positionings", {"service": "Direction"}).json()["count"] == 1


def test_bearer_tokens_authenticate(client, net):
    mine = positioning_of(net.north_employee)
    _, secret = accounts.create_token(net.hr_north, name="sirh", actor="test")
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/positionings").status_code == 401
    assert (
        client.get("/api/positionings", headers={"Authorization": "Bearer rep_x"}).status_code
        == 401
    )
    assert client.get("/api/positionings", headers=headers).json()["count"] == 1
    response = post(client, f"/api/positionings/{mine.pk}/validate", headers=headers)
    assert response.status_code == 200
    assert response.json()["decided_by"] == "rh-nord"


# --- decisions ------------------------------------------------------------------------


def test_validate_change_comment_and_a_personal_level_needs_a_reason(client, net, edition):
    mine = positioning_of(net.north_employee)
    url = f"/api/positionings/{mine.pk}"
    client.force_login(net.hr_north)

    validated = post(client, f"{url}/validate", {"comment": "conforme"}).json()
    assert validated["status"] == "validated" and validated["decided_by"] == "rh-nord"
    assert validated["level"] == mine.job.level.number

    other = next(j for j in jobs_of(edition) if j.code != mine.job.code and j.level.number < 8)
    higher = other.level.number + 1
    refused = error_of(
        post(client, f"{url}/change", {"job": other.code, "personal_level": higher}), 422
    )
    assert fields_named(refused) == {"personal_level"}
    lower = next((j for j in jobs_of(edition) if j.level.number > 1), None)
    below = error_of(
        post(
            client, f"{url}/change", {"job": lower.code, "personal_level": lower.level.number - 1}
        ),
        422,
    )
    assert fields_named(below) == {"personal_level"}
    unknown = error_of(post(client, f"{url}/change", {"job": "pas-un-emploi"}), 422)
    assert fields_named(unknown) == {"job"}
    assert fields_named(error_of(post(client, f"{url}/change", {}), 422)) == {"job"}

    changed = post(
        client,
        f"{url}/change",
        {"job": other.code, "personal_level": higher, "reason": "acquis antérieurs"},
    ).json()
    assert changed["job"] == {"code": other.code, "title": other.title, "level": other.level.number}
    assert changed["level"] == higher
    assert changed["personal_level_reason"] == "acquis antérieurs"

    assert fields_named(error_of(post(client, f"{url}/comment", {"text": "  "}), 422)) == {"text"}
    assert post(client, f"{url}/comment", {"text": "à revoir en 2016"}).json()["comment"] == (
        "à revoir en 2016"
    )
    history = client.get(url).json()["history"]
    assert [event["action"] for event in history] == ["propose", "validate", "change", "comment"]
    assert history[2]["job_code"] == other.code and history[2]["level"] == higher
    assert history[1]["note"] == "conforme" and history[1]["author"] == "rh-nord"


def test_bulk_accept_takes_the_proposals_at_or_above_the_threshold(client, net, edition):
    titles = [job.title for job in jobs_of(edition)[:3]] + [
        "Coordinatrice des projets transverses",
        "Zxqv wkrp",
    ]
    hire(net.hr_north, net.north, titles)
    client.force_login(net.hr_north)
    items = client.get("/api/positionings", {"limit": 100}).json()["items"]
    scores = sorted({item["confidence"] for item in items if item["job"]})
    assert len(scores) >= 2, scores
    threshold = scores[-1]
    expected = sum(1 for item in items if item["job"] and item["confidence"] >= threshold)
    assert 0 < expected < len(items)

    for wrong in (0, 1.5, -0.2):
        refused = error_of(
            post(
                client,
                "/api/positionings/bulk-accept",
                {"establishment": "CCI-NORD", "threshold": wrong},
            ),
            422,
        )
        assert "threshold" in fields_named(refused)
    accepted = post(
        client,
        "/api/positionings/bulk-accept",
        {"establishment": "CCI-NORD", "threshold": threshold},
    ).json()
    assert accepted == {"accepted": expected}
    validated = client.get("/api/positionings", {"status": "validated", "limit": 100}).json()
    assert validated["count"] == expected
    assert all(item["confidence"] >= threshold for item in validated["items"])

    # Omitted, the threshold is the configured cut-off.
    below = [item for item in items if item["job"] and item["confidence"] < threshold]
    cut_off = max(item["confidence"] for item in below)
    with override_settings(REPERTOIRE_BULK_ACCEPT_THRESHOLD=cut_off):
        again = post(client, "/api/positionings/bulk-accept", {"establishment": "CCI-NORD"}).json()
    assert again == {"accepted": sum(1 for item in below if item["confidence"] >= cut_off)}


def test_bulk_accept_of_one_title_group(client, net, edition):
    title = jobs_of(edition)[0].title
    hire(net.hr_north, net.north, [title, title, "Zxqv wkrp"])
    client.force_login(net.hr_north)
    key = positioning_of(Employee.objects.get(matricule="T001")).title_key
    response = post(
        client,
        "/api/positionings/bulk-accept",
        {"establishment": "CCI-NORD", "threshold": 0.01, "title_key": key},
    )
    assert response.json() == {"accepted": 2}
    assert (
        client.get("/api/positionings", {"title_key": key, "status": "validated"}).json()["count"]
        == 2
    )


def test_one_decision_settles_a_title_group(client, net, edition):
    title = "Chargée d'accueil polyvalente"
    hire(net.hr_north, net.north, [title, title, title.upper(), "Coordinatrice des projets"])
    client.force_login(net.hr_north)
    groups = client.get("/api/positionings/groups", {"establishment": "CCI-NORD"}).json()
    group = next(g for g in groups["items"] if g["headcount"] == 3)
    assert group["to_review"] == 3 and group["priority"] >= 0

    job = jobs_of(edition)[-1]
    unknown = error_of(
        post(
            client,
            "/api/positionings/groups/decide",
            {"establishment": "CCI-NORD", "title_key": "aucun intitule", "job": job.code},
        ),
        422,
    )
    assert fields_named(unknown) == {"title_key"}
    bad_job = error_of(
        post(
            client,
            "/api/positionings/groups/decide",
            {"establishment": "CCI-NORD", "title_key": group["title_key"], "job": "pas-un-emploi"},
        ),
        422,
    )
    assert fields_named(bad_job) == {"job"}
    decided = post(
        client,
        "/api/positionings/groups/decide",
        {"establishment": "CCI-NORD", "title_key": group["title_key"], "job": job.code},
    ).json()
    assert decided == {"decided": 3}
    members = client.get("/api/positionings", {"title_key": group["title_key"]}).json()["items"]
    assert {(m["status"], m["job"]["code"], m["level"]) for m in members} == {
        ("validated", job.code, job.level.number)
    }
    pending = client.get("/api/positionings/groups", {"establishment": "CCI-NORD"}).json()
    assert group["title_key"] not in {g["title_key"] for g in pending["items"]}
    every = client.get(
        "/api/positionings/groups", {"establishment": "CCI-NORD", "pending": False}
    ).json()
    settled = next(g for g in every["items"] if g["title_key"] == group["title_key"])
    assert settled["to_review"] == 0 and settled["job_code"] == job.code


def test_notify_the_validated_positionings(client, net):
    first, second, _ = hire(net.hr_north, net.north, ["Comptable", "Assistante", "Standardiste"])
    client.force_login(net.hr_north)
    ids = [positioning_of(e).pk for e in (first, second)]
    for pk in ids:
        assert post(client, f"/api/positionings/{pk}/validate").status_code == 200
    still_proposed = positioning_of(net.north_employee).pk

    one = post(
        client,
        "/api/positionings/notify",
        {"establishment": "CCI-NORD", "ids": [ids[0], still_proposed]},
    )
    assert one.json() == {"notified": 1}
    rest = post(client, "/api/positionings/notify", {"establishment": "CCI-NORD"})
    assert rest.json() == {"notified": 1}
    assert post(client, "/api/positionings/notify", {"establishment": "CCI-NORD"}).json() == {
        "notified": 0
    }
    for pk in ids:
        item = client.get(f"/api/positionings/{pk}").json()
        assert item["status"] == "notified" and item["notified_on"]
    assert client.get(f"/api/positionings/{still_proposed}").json()["status"] == "proposed"
    notified = client.get("/api/positionings", {"status": "notified"}).json()
    assert notified["count"] == 2


# --- appeals --------------------------------------------------------------------------


def notified(client, positioning: Positioning) -> dict:
    assert post(client, f"/api/positionings/{positioning.pk}/validate").status_code == 200
    post(
        client,
        "/api/positionings/notify",
        {"establishment": positioning.establishment.code, "ids": [positioning.pk]},
    )
    return client.get(f"/api/positionings/{positioning.pk}").json()


def test_appeals_are_received_within_the_deadline_and_revised_by_the_commission(
    client, net, edition
):
    mine = positioning_of(net.north_employee)
    client.force_login(net.hr_north)
    state = notified(client, mine)
    deadline = appeal_deadline(
        dt.date.fromisoformat(state["notified_on"]), settings.REPERTOIRE_APPEAL_DEADLINE_MONTHS
    )
    appeal = {"positioning": mine.pk, "kind": "weighing", "argument": "mes missions dépassent"}

    late = post(
        client, "/api/appeals", {**appeal, "received_on": str(deadline + dt.timedelta(days=1))}
    )
    assert fields_named(error_of(late, 422)) == {"received_on"}
    assert not Appeal.objects.exists()
    assert fields_named(
        error_of(post(client, "/api/appeals", {**appeal, "kind": "autre"}), 422)
    ) == {"kind"}

    response = post(client, "/api/appeals", {**appeal, "received_on": str(deadline)})
    assert response.status_code == 201, response.content
    opened = response.json()
    assert opened["status"] == "open" and opened["positioning_status"] == "contested"
    assert opened["deadline"] == str(deadline) and opened["employee"] == net.north_employee.pk
    assert client.get("/api/appeals", {"status": "open"}).json()["count"] == 1
    assert client.get("/api/appeals", {"status": "revised"}).json()["count"] == 0
    assert client.get(f"/api/appeals/{opened['id']}").json()["argument"] == appeal["argument"]

    client.force_login(net.hr_south)
    assert client.get("/api/appeals").json()["count"] == 0
    error_of(client.get(f"/api/appeals/{opened['id']}"), 404)
    decision = {"outcome": "confirmed", "reasoning": "pesée conforme"}
    error_of(post(client, f"/api/appeals/{opened['id']}/decision", decision), 404)

    client.force_login(net.reader_north)
    error_of(post(client, f"/api/appeals/{opened['id']}/decision", decision), 403)

    client.force_login(net.hr_north)
    same = {"outcome": "revised", "reasoning": "à revoir", "job": mine.job.code}
    assert fields_named(
        error_of(post(client, f"/api/appeals/{opened['id']}/decision", same), 422)
    ) == {"job"}
    other = next(j for j in jobs_of(edition) if j.code != mine.job.code)
    revised = post(
        client,
        f"/api/appeals/{opened['id']}/decision",
        {"outcome": "revised", "reasoning": "missions d'encadrement établies", "job": other.code},
    )
    assert revised.status_code == 200, revised.content
    assert revised.json()["status"] == "revised"
    assert revised.json()["job"]["code"] == other.code
    after = client.get(f"/api/positionings/{mine.pk}").json()
    assert after["status"] == "revised" and after["job"]["code"] == other.code
    assert after["level"] == other.level.number
    assert [e["action"] for e in after["history"]][-2:] == ["contest", "revise"]
    error_of(post(client, f"/api/appeals/{opened['id']}/decision", decision), 422)


def test_only_a_notified_positioning_is_appealed(client, net):
    mine = positioning_of(net.north_employee)
    client.force_login(net.hr_north)
    refused = post(
        client, "/api/appeals", {"positioning": mine.pk, "kind": "definition", "argument": "non"}
    )
    error = error_of(refused, 422)
    assert error["details"] == [{"loc": ["body"], "msg": error["message"]}]
    assert "notifié" in error["message"]
    south = positioning_of(net.south_employee)
    error_of(
        post(
            client, "/api/appeals", {"positioning": south.pk, "kind": "definition", "argument": "x"}
        ),
        404,
    )


# --- reports --------------------------------------------------------------------------


def test_reports_count_the_callers_scope(client, net):
    hire(net.hr_north, net.north, ["Comptable", "Assistante de gestion", "Standardiste"])
    client.force_login(net.hr_north)
    items = client.get("/api/positionings").json()["items"]
    decided = [item for item in items if item["job"]][:2]
    for item in decided:
        post(client, f"/api/positionings/{item['id']}/validate")
    post(
        client, "/api/positionings/notify", {"establishment": "CCI-NORD", "ids": [decided[0]["id"]]}
    )

    report = client.get("/api/reports", {"establishment": "CCI-NORD"}).json()
    assert report["employees"] == 4
    assert report["by_status"]["validated"] == 1 and report["by_status"]["notified"] == 1
    assert report["by_status"]["proposed"] == 2
    assert set(report["by_level"]) == {str(n) for n in range(1, 9)}
    assert sum(report["by_level"].values()) == report["decided"] == 2
    assert report["progress"] == pytest.approx(0.5)
    assert sum(job["headcount"] for job in report["by_job"]) == 2
    assert [
        (p["code"], p["employees"], p["decided"], p["notified"]) for p in report["by_establishment"]
    ] == [("CCI-NORD", 4, 2, 1)]
    whole_scope = client.get("/api/reports").json()
    assert {**whole_scope, "scope": report["scope"]} == report
    assert report["appeals_by_status"] == {"open": 0, "confirmed": 0, "revised": 0}

    client.force_login(net.national)
    everyone = client.get("/api/reports").json()
    assert everyone["employees"] == 5 and everyone["scope"] == "réseau"
    assert [p["code"] for p in everyone["by_establishment"]] == ["CCI-NORD", "CCI-SUD"]


# --- employee files -------------------------------------------------------------------

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
