"""Editions compared over HTTP: the difference, the impact per establishment in the caller's
scope, and the migration of an establishment to the edition in force.

The next edition is made through the services (``tests.edition_builder``); titles, texts
and degrees come from the loaded edition.
"""

from __future__ import annotations

import json

import jsonschema_rs
import pytest

from repertoire.accounts import services as accounts
from repertoire.catalog import selectors as catalog
from repertoire.positioning.models import Positioning
from tests.accounts.conftest import network  # noqa: F401  shared fixture
from tests.edition_builder import next_edition
from tests.positioning.decisions import decisions  # noqa: F401  shared fixture

pytestmark = pytest.mark.django_db


def error_of(response, status: int) -> dict:
    assert response.status_code == status, response.content[:500]
    body = response.json()
    assert set(body) == {"error"}
    return body["error"]


def post(client, url: str, data: dict | None = None, **extra):
    return client.post(url, data or {}, content_type="application/json", **extra)


@pytest.fixture
def official(decisions):  # noqa: F811
    """The next edition, published: Alice's job one level up, Chloé's renamed."""
    alice, chloe = decisions.alice.job.code, decisions.chloe.job.code
    assert alice != chloe
    return next_edition(
        decisions.network.national,
        decisions.alice.edition,
        raise_code=alice,
        rename_code=chloe,
    )


def pair(decisions, official) -> dict[str, str]:  # noqa: F811
    return {"from": decisions.alice.edition.label, "to": official.edition.label}


# --- the difference ---------------------------------------------------------------------


def test_diff_is_the_json_of_the_command_for_any_signed_in_user(client, decisions, official):  # noqa: F811
    labels = pair(decisions, official)
    error_of(client.get("/api/editions/diff", labels), 401)
    client.force_login(decisions.network.reader_north)
    response = client.get("/api/editions/diff", labels)
    assert response.status_code == 200, response.content[:500]
    data = response.json()
    expected = catalog.edition_diff(decisions.alice.edition, official.edition).to_dict()
    assert data == json.loads(json.dumps(expected))
    assert data["from"]["label"] == labels["from"] and data["to"]["label"] == labels["to"]
    renamed = next(change for change in data["changed"] if change["renamed"])
    assert renamed["to"]["title"] == official.new_title
    assert any(op == "-" for op, _ in renamed["missions"])
    assert [job["code"] for job in data["retired"]] == [official.retired]


def test_diff_with_a_bearer_token(client, decisions, official):  # noqa: F811
    _, secret = accounts.create_token(decisions.network.hr_south, name="t", actor="test")
    response = client.get(
        "/api/editions/diff",
        pair(decisions, official),
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 200
    assert response.json()["summary"]["renamed"] == 1


def test_diff_of_an_unknown_edition_is_404_and_missing_labels_422(client, decisions, official):  # noqa: F811
    client.force_login(decisions.network.national)
    error = error_of(
        client.get("/api/editions/diff", {"from": "pas-une-edition", "to": official.edition.label}),
        404,
    )
    assert error["code"] == "edition_not_found" and "pas-une-edition" in error["message"]
    error_of(client.get("/api/editions/diff", {"from": official.edition.label}), 422)


# --- the impact ---------------------------------------------------------------------------


def test_impact_is_scoped_to_the_callers_establishment(client, decisions, official):  # noqa: F811
    labels = pair(decisions, official)
    error_of(client.get("/api/editions/impact", labels), 401)

    client.force_login(decisions.network.national)
    data = client.get("/api/editions/impact", labels).json()
    rows = {row["establishment"]: row for row in data["establishments"]}
    assert set(rows) == {"CCI-NORD", "CCI-SUD"}
    north = rows["CCI-NORD"]
    # Alice, Bruno, Chloé, Gaspard decided in the north; Denis only proposed.
    assert north["positioned"] == 4
    assert north["job_level_up"] >= 1 and north["renamed"] >= 1
    assert sum(north["by_level_before"].values()) == 4
    assert north["affected"] == north["positioned"] - north["unchanged"]
    assert data["total"]["positioned"] == 4 + rows["CCI-SUD"]["positioned"]

    for user in (decisions.network.hr_north, decisions.network.reader_north):
        client.force_login(user)
        scoped = client.get("/api/editions/impact", labels).json()
        assert [row["establishment"] for row in scoped["establishments"]] == ["CCI-NORD"]
        assert scoped["total"]["positioned"] == 4
        error_of(client.get("/api/editions/impact", {**labels, "establishment": "CCI-SUD"}), 404)

    client.force_login(decisions.network.hr_south)
    south = client.get("/api/editions/impact", {**labels, "establishment": "CCI-SUD"}).json()
    assert [row["establishment"] for row in south["establishments"]] == ["CCI-SUD"]
    error_of(client.get("/api/editions/impact", {**labels, "to": "pas-une-edition"}), 404)


# --- the migration --------------------------------------------------------------------------


def test_migration_by_the_establishments_hr(client, decisions, official):  # noqa: F811
    old = decisions.alice.edition
    url = "/api/establishments/CCI-NORD/migration"
    error_of(post(client, url, {"from": old.label}), 401)
    client.force_login(decisions.network.hr_north)
    response = post(client, url, {"from": old.label})
    assert response.status_code == 200, response.content[:500]
    assert response.json() == {
        "establishment": "CCI-NORD",
        "from": old.label,
        "to": official.edition.label,
        "mapped": 4,
        "proposed": response.json()["proposed"],
        "already_decided": 0,
    }
    alice = Positioning.objects.get(edition=official.edition, employee=decisions.alice.employee)
    assert alice.status == Positioning.Status.PROPOSED
    assert alice.job.code == decisions.alice.job.code
    # The positionings of the earlier edition stay as they were.
    assert decisions.refreshed().alice.status == Positioning.Status.CONFIRMED


def test_migration_is_403_for_readers_and_404_outside_the_scope(client, decisions, official):  # noqa: F811
    old = decisions.alice.edition
    body = {"from": old.label}
    client.force_login(decisions.network.reader_north)
    assert error_of(post(client, "/api/establishments/CCI-NORD/migration", body), 403)["code"] == (
        "forbidden"
    )
    client.force_login(decisions.network.hr_south)
    error_of(post(client, "/api/establishments/CCI-NORD/migration", body), 404)
    error_of(post(client, "/api/establishments/CCI-NULLE/migration", body), 404)
    assert not Positioning.objects.filter(edition=official.edition).exists()


def test_migration_refuses_the_edition_in_force_and_unknown_editions(client, decisions, official):  # noqa: F811
    client.force_login(decisions.network.national)
    url = "/api/establishments/CCI-NORD/migration"
    error = error_of(post(client, url, {"from": official.edition.label}), 422)
    assert error["code"] == "refused"
    assert [detail["loc"] for detail in error["details"]] == [["body", "from"]]
    error_of(post(client, url, {"from": "pas-une-edition"}), 404)
    error_of(post(client, url, {}), 422)
    assert not Positioning.objects.filter(edition=official.edition).exists()


# --- the published shapes ----------------------------------------------------------------


def test_answers_conform_to_the_openapi_document(client, decisions, official):  # noqa: F811
    """Schemathesis walks these operations with random labels (404s); real answers here."""
    document = client.get("/api/openapi.json").json()

    def check(response, name: str) -> None:
        assert response.status_code == 200, response.content[:500]
        schema = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "components": document["components"],
            "$ref": f"#/components/schemas/{name}",
        }
        jsonschema_rs.validator_for(schema).validate(response.json())

    client.force_login(decisions.network.national)
    labels = pair(decisions, official)
    check(client.get("/api/editions/diff", labels), "EditionDiffOut")
    check(client.get("/api/editions/impact", labels), "ImpactOut")
    body = {"from": labels["from"]}
    check(post(client, "/api/establishments/CCI-NORD/migration", body), "MigrationOut")
