import pytest
from django.test import override_settings

from repertoire.core.text import to_roman

pytestmark = pytest.mark.django_db


def error_of(response) -> dict:
    body = response.json()
    assert set(body) == {"error"}
    assert {"code", "message", "details"} <= set(body["error"])
    return body["error"]


def test_openapi_document_lists_the_repertoire_endpoints(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in ("/api/jobs", "/api/jobs/{code}", "/api/levels", "/api/criteria", "/api/classify"):
        assert path in paths


def test_docs_load_their_assets_from_the_app_not_a_cdn(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200


def test_jobs_are_paginated(client, edition, document):
    page = client.get("/api/jobs").json()
    assert page["count"] == len(document.jobs)
    assert len(page["items"]) == 50
    rest = client.get("/api/jobs", {"offset": 50, "limit": 100}).json()
    codes = [job["code"] for job in page["items"] + rest["items"]]
    assert codes == [job.code for job in document.jobs]


def test_limit_is_capped_at_one_hundred(client, edition):
    response = client.get("/api/jobs", {"limit": 101})
    assert response.status_code == 422
    assert error_of(response)["code"] == "invalid_request"


def test_jobs_filter_by_level(client, edition, document):
    for level in range(1, 9):
        page = client.get("/api/jobs", {"level": level, "limit": 100}).json()
        expected = [job.code for job in document.jobs if job.level == level]
        assert [job["code"] for job in page["items"]] == expected
        assert all(job["roman"] == to_roman(level) for job in page["items"])
    assert client.get("/api/jobs", {"level": 9}).status_code == 422


def test_job_detail_matches_the_document(client, edition, document):
    criteria = [c.code for c in document.criteria]
    for sheet in document.jobs:
        job = client.get(f"/api/jobs/{sheet.code}").json()
        assert job["title"] == sheet.title
        assert job["level"] == sheet.level
        assert [job["degrees"][code] for code in criteria] == list(sheet.degrees)
        assert job["missions"] == [item.as_text() for item in sheet.missions]
        assert job["requirements"] == [item.as_text() for item in sheet.requirements]
        assert job["edition"] == edition.label
        assert job["explanation"]


def test_unknown_job_is_a_404_in_the_error_format(client, edition):
    response = client.get("/api/jobs/no-such-job")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_unknown_edition_is_a_404_in_the_error_format(client, edition):
    response = client.get("/api/jobs", {"edition": "1999-01-01"})
    assert response.status_code == 404
    assert error_of(response)["code"] == "edition_not_found"


def test_levels_carry_their_definitions_and_counts(client, edition, document):
    levels = client.get("/api/levels").json()
    definitions = document.level_definitions().by_level
    assert [level["number"] for level in levels] == sorted(definitions)
    for level in levels:
        assert level["definitions"] == ["\n\n".join(t) for t in definitions[level["number"]]]
        assert level["definition"] == level["definitions"][0]
        assert level["job_count"] == sum(1 for j in document.jobs if j.level == level["number"])


def test_criteria_in_document_order(client, edition, document):
    criteria = client.get("/api/criteria").json()
    assert [(c["code"], c["label"]) for c in criteria] == [
        (c.code, c.label) for c in document.criteria
    ]


def test_classify_gives_level_explanation_and_warnings(client, edition, document):
    grid = document.grid("total_points")
    for sheet in document.jobs:
        degrees = {c.code: d for c, d in zip(document.criteria, sheet.degrees, strict=True)}
        response = client.post(
            "/api/classify", {"degrees": degrees}, content_type="application/json"
        )
        assert response.status_code == 200
        result = response.json()
        expected = grid.classify(sheet.degrees)
        assert result["level"] == sheet.level == expected.level
        assert result["explanation"] == expected.explanation
        assert result["rule"] == "total_points"
        assert [w["code"] for w in result["warnings"]] == [w.code for w in expected.warnings]


def test_classify_names_missing_and_unknown_criteria(client, edition, document):
    degrees = {c.code: 4 for c in document.criteria[1:]}
    degrees["charisme"] = 5
    response = client.post("/api/classify", {"degrees": degrees}, content_type="application/json")
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "invalid_degrees"
    named = {detail["loc"][-1]: detail["msg"] for detail in error["details"]}
    assert set(named) == {document.criteria[0].code, "charisme"}


@pytest.mark.parametrize("bad", [0, 9, -1])
def test_classify_refuses_degrees_off_the_scale(client, edition, document, bad):
    degrees = {c.code: 4 for c in document.criteria}
    degrees[document.criteria[2].code] = bad
    response = client.post("/api/classify", {"degrees": degrees}, content_type="application/json")
    assert response.status_code == 422
    assert str(bad) in error_of(response)["message"]


def test_classify_refuses_a_malformed_body(client, edition):
    response = client.post("/api/classify", "{not json", content_type="application/json")
    assert response.status_code in (400, 422)
    error_of(response)


@override_settings(REPERTOIRE_API_PUBLIC_READ=False)
def test_a_setting_closes_the_read_endpoints(client, edition, django_user_model):
    for path in ("/api/jobs", "/api/levels", "/api/criteria", "/api/jobs/agent-administratif"):
        response = client.get(path)
        assert response.status_code == 401
        assert error_of(response)["code"] == "unauthorized"
    user = django_user_model.objects.create_user("lecteur", password="x" * 16)
    client.force_login(user)
    assert client.get("/api/jobs").status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "status"), [("get", "/api/nope", 404), ("delete", "/api/jobs", 405)]
)
def test_errors_outside_the_routes_keep_the_error_format(client, edition, method, path, status):
    response = getattr(client, method)(path)
    assert response.status_code == status
    assert error_of(response)["code"] in {"not_found", "method_not_allowed"}


def test_an_unexpected_failure_is_a_json_500(client, edition, monkeypatch):
    from repertoire.catalog import selectors

    def fail(*args, **kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(selectors, "levels_of", fail)
    response = client.get("/api/levels")
    assert response.status_code == 500
    assert error_of(response)["code"] == "server_error"
    assert "fire" not in response.content.decode()
