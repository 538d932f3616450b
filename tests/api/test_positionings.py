"""Positionings over HTTP: scope, decisions, bulk acceptance, title groups, notification.

Job codes, titles and levels are read from the loaded edition; the local job titles and
the people are the test's own.
"""

import pytest
from django.test import override_settings

from repertoire.accounts import services as accounts
from repertoire.positioning.models import Employee, Positioning
from tests.api.positioning import error_of, fields_named, hire, jobs_of, positioning_of, post

pytestmark = pytest.mark.django_db


pytestmark = pytest.mark.django_db


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
    confirmed = {
        "establishment": "CCI-NORD",
        "title_key": group["title_key"],
        "job": job.code,
        "expected": group["to_review"],
        "etag": group["etag"],
    }
    decided = post(client, "/api/positionings/groups/decide", confirmed).json()
    assert decided["decided"] == 3 and decided["batch"] > 0
    # The same decision sent again (a retry after a timeout) is answered with its batch.
    retried = post(client, "/api/positionings/groups/decide", confirmed)
    assert retried.status_code == 200 and retried.json() == decided
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
    # One undo puts the three back to proposed, as the engine proposed them.
    undone = post(client, f"/api/positionings/acceptance-batches/{decided['batch']}/undo")
    assert undone.status_code == 200
    members = client.get("/api/positionings", {"title_key": group["title_key"]}).json()["items"]
    assert {m["status"] for m in members} == {"proposed"}


def test_a_group_decision_confirmed_on_a_group_that_grew_decides_nobody(client, net, edition):
    title = "Chargée d'accueil polyvalente"
    hire(net.hr_north, net.north, [title, title])
    client.force_login(net.hr_north)
    groups = client.get("/api/positionings/groups", {"establishment": "CCI-NORD"}).json()
    group = next(g for g in groups["items"] if g["headcount"] == 2)
    hire(net.hr_north, net.north, [title], prefix="U")  # a colleague's import, meanwhile

    for confirmation in ({"expected": 2}, {"etag": group["etag"]}):
        refused = post(
            client,
            "/api/positionings/groups/decide",
            {
                "establishment": "CCI-NORD",
                "title_key": group["title_key"],
                "job": jobs_of(edition)[-1].code,
                **confirmation,
            },
        )
        assert refused.status_code == 409
    members = client.get("/api/positionings", {"title_key": group["title_key"]}).json()["items"]
    assert len(members) == 3 and {m["status"] for m in members} == {"proposed"}


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
