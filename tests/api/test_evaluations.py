"""Evaluations of local jobs over HTTP: lists, the live result, the review and the sheet.

Criteria, jobs and levels are read from the loaded edition; local job titles are the test's.
"""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from repertoire.accounts import services as accounts
from repertoire.audit.models import JournalEntry
from repertoire.catalog import selectors as catalog
from repertoire.core.grid import MAX_DEGREE, MIN_DEGREE
from repertoire.evaluation import services
from repertoire.evaluation.models import EvaluationEvent, JobEvaluation
from tests.accounts.conftest import network  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db

LOCAL_TITLE = "Chargé(e) de veille économique"


def error_of(response, status: int) -> dict:
    assert response.status_code == status, response.content[:500]
    body = response.json()
    assert set(body) == {"error"}
    return body["error"]


def fields_named(error: dict) -> set[str]:
    return {str(detail["loc"][-1]) for detail in error["details"]}


def post(client, url: str, data: dict | None = None, **extra):
    return client.post(url, data or {}, content_type="application/json", **extra)


def patch(client, url: str, data: dict):
    return client.patch(url, data, content_type="application/json")


def codes_of(edition) -> list[str]:
    return [criterion.code for criterion in catalog.criteria_of(edition)]


def profile(edition, values=None) -> dict[str, int]:
    codes = codes_of(edition)
    values = values or [4, 4, 3, 4, 3, 4, 3, 4][: len(codes)]
    return dict(zip(codes, values, strict=True))


def reasons(edition) -> dict[str, str]:
    return {
        code: f"Degré retenu pour {code} : voir la fiche de poste" for code in codes_of(edition)
    }


def classify(edition, degrees: dict[str, int]):
    return catalog.grid_of(edition).classify([degrees[code] for code in codes_of(edition)])


@pytest.fixture
def net(edition, network):  # noqa: F811
    return network


@pytest.fixture
def north(net, edition):
    return services.create_evaluation(
        net.hr_north,
        net.north,
        title=LOCAL_TITLE,
        missions="Suivre les filières",
        degrees=profile(edition),
        justifications=reasons(edition),
    )


@pytest.fixture
def south(net, edition):
    return services.create_evaluation(
        net.hr_south, net.south, title="Chargé(e) des salons", degrees=profile(edition)
    )


# --- scope ----------------------------------------------------------------------------


def test_lists_are_scoped_and_filtered(client, net, edition, north, south):
    assert error_of(client.get("/api/evaluations"), 401)["code"] == "unauthorized"
    client.force_login(net.hr_north)
    page = client.get("/api/evaluations").json()
    assert page["count"] == 1
    item = page["items"][0]
    assert (item["id"], item["establishment"], item["title"]) == (north.pk, "CCI-NORD", LOCAL_TITLE)
    assert item["edition"] == edition.label and item["status"] == "draft"
    assert item["level"] == classify(edition, profile(edition)).level
    assert item["roman"] == classify(edition, profile(edition)).roman
    assert "history" not in item
    error_of(client.get("/api/evaluations", {"establishment": "CCI-SUD"}), 404)
    assert client.get("/api/evaluations", {"q": "filières"}).json()["count"] == 1
    assert client.get("/api/evaluations", {"q": "salons"}).json()["count"] == 0
    assert client.get("/api/evaluations", {"status": "submitted"}).json()["count"] == 0
    error_of(client.get("/api/evaluations", {"status": "perdue"}), 422)
    error_of(client.get("/api/evaluations", {"level": 9}), 422)

    client.force_login(net.reader_north)
    assert client.get("/api/evaluations").json()["count"] == 1

    client.force_login(net.national)
    assert client.get("/api/evaluations").json()["count"] == 2
    only_south = client.get("/api/evaluations", {"establishment": "CCI-SUD"}).json()
    assert [item["id"] for item in only_south["items"]] == [south.pk]
    level = north.level
    by_level = client.get("/api/evaluations", {"level": level}).json()["items"]
    assert {item["id"] for item in by_level} == {north.pk, south.pk}
    assert client.get("/api/evaluations", {"limit": 1}).json()["count"] == 2


def test_another_establishments_evaluation_does_not_exist(client, net, edition, south):
    client.force_login(net.hr_north)
    url = f"/api/evaluations/{south.pk}"
    assert error_of(client.get(url), 404)["code"] == "not_found"
    error_of(patch(client, url, {"title": "Piraté"}), 404)
    for action, body in [
        ("submit", {}),
        ("validate", {}),
        ("return", {"comment": "x"}),
        ("comment", {"text": "x"}),
        ("revise", {}),
    ]:
        error_of(post(client, f"{url}/{action}", body), 404)
    error_of(client.get(f"{url}/pdf"), 404)
    error_of(
        post(
            client,
            "/api/evaluations",
            {"establishment": "CCI-SUD", "title": "Piraté", "degrees": profile(edition)},
        ),
        404,
    )
    south.refresh_from_db()
    assert south.title == "Chargé(e) des salons" and south.events.count() == 1
    assert JobEvaluation.objects.count() == 1


# --- create and change ----------------------------------------------------------------


def test_create_returns_201_with_its_history(client, net, edition):
    client.force_login(net.hr_north)
    degrees = profile(edition)
    response = post(
        client,
        "/api/evaluations",
        {
            "establishment": "CCI-NORD",
            "title": LOCAL_TITLE,
            "missions": "Rédiger des notes",
            "degrees": degrees,
            "justifications": {codes_of(edition)[0]: "Bac + 3"},
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    expected = classify(edition, degrees)
    assert (body["level"], body["rule"], body["explanation"]) == (
        expected.level,
        expected.rule,
        expected.explanation,
    )
    assert body["degrees"] == degrees and body["status"] == "draft" and body["number"] == 1
    assert body["justifications"] == {codes_of(edition)[0]: "Bac + 3"}
    assert body["created_by"] == "rh-nord" and body["revision_of"] is None
    assert [(e["action"], e["author"]) for e in body["history"]] == [("create", "rh-nord")]
    assert client.get(f"/api/evaluations/{body['id']}").json() == body


def test_create_refusals_name_the_field(client, net, edition):
    client.force_login(net.hr_north)
    codes = codes_of(edition)
    url = "/api/evaluations"
    bad = {**profile(edition), codes[1]: MAX_DEGREE + 1}
    del bad[codes[0]]
    error = error_of(
        post(client, url, {"establishment": "CCI-NORD", "title": "X", "degrees": bad}), 422
    )
    assert fields_named(error) == {codes[0], codes[1]}
    assert {tuple(d["loc"]) for d in error["details"]} == {("body", codes[0]), ("body", codes[1])}
    unknown = {**profile(edition), "inconnu": 3}
    error = error_of(
        post(client, url, {"establishment": "CCI-NORD", "title": "X", "degrees": unknown}), 422
    )
    assert fields_named(error) == {"degrees"}
    error = error_of(
        post(
            client, url, {"establishment": "CCI-NORD", "title": "   ", "degrees": profile(edition)}
        ),
        422,
    )
    assert fields_named(error) == {"title"}
    error = error_of(
        post(
            client,
            url,
            {
                "establishment": "CCI-NORD",
                "title": "X",
                "degrees": profile(edition),
                "justifications": {"inconnu": "?"},
            },
        ),
        422,
    )
    assert fields_named(error) == {"justifications"}
    assert fields_named(error_of(post(client, url, {"establishment": "CCI-NORD"}), 422)) == {
        "title",
        "degrees",
    }
    error_of(post(client, url, {"establishment": "CCI-NULLE", "title": "X", "degrees": {}}), 404)
    assert not JobEvaluation.objects.exists()

    client.force_login(net.reader_north)
    error = error_of(
        post(client, url, {"establishment": "CCI-NORD", "title": "X", "degrees": profile(edition)}),
        403,
    )
    assert error["code"] == "forbidden"
    assert not JobEvaluation.objects.exists()


def test_patch_changes_only_the_criteria_given(client, net, edition, north):
    client.force_login(net.hr_north)
    codes = codes_of(edition)
    url = f"/api/evaluations/{north.pk}"
    raised = north.degrees[codes[0]] + 3
    body = patch(
        client,
        url,
        {"degrees": {codes[0]: raised}, "justifications": {codes[0]: "Diplôme d'ingénieur"}},
    ).json()
    expected_degrees = {**north.degrees, codes[0]: raised}
    assert body["degrees"] == expected_degrees
    assert body["level"] == classify(edition, expected_degrees).level
    assert body["justifications"] == {**north.justifications, codes[0]: "Diplôme d'ingénieur"}
    edit = body["history"][-1]
    assert (edit["action"], edit["author"]) == ("edit", "rh-nord")
    assert edit["changes"]["degrees"] == {"avant": north.degrees, "apres": expected_degrees}
    assert patch(client, url, {"title": None}).json()["title"] == LOCAL_TITLE  # null: unchanged
    error = error_of(patch(client, url, {"degrees": {codes[1]: 0}}), 422)
    assert fields_named(error) == {codes[1]}
    error_of(patch(client, url, {"title": ""}), 422)

    client.force_login(net.reader_north)
    error_of(patch(client, url, {"title": "Lecteur"}), 403)
    north.refresh_from_db()
    assert north.title == LOCAL_TITLE


# --- the review -----------------------------------------------------------------------


def test_submit_validate_and_frozen(client, net, edition):
    client.force_login(net.hr_north)
    codes = codes_of(edition)
    created = post(
        client,
        "/api/evaluations",
        {"establishment": "CCI-NORD", "title": LOCAL_TITLE, "degrees": profile(edition)},
    ).json()
    url = f"/api/evaluations/{created['id']}"
    error = error_of(post(client, f"{url}/submit"), 422)
    assert {tuple(d["loc"]) for d in error["details"]} == {("body", code) for code in codes}
    patch(client, url, {"justifications": reasons(edition)})
    submitted = post(client, f"{url}/submit", {"comment": "Pour revue"}).json()
    assert submitted["status"] == "submitted" and submitted["submitted_at"]
    assert submitted["history"][-1]["note"] == "Pour revue"
    error_of(patch(client, url, {"title": "Trop tard"}), 422)
    assert error_of(post(client, f"{url}/validate"), 403)["code"] == "forbidden"
    client.force_login(net.reader_north)
    error_of(post(client, f"{url}/validate"), 403)
    error_of(post(client, f"{url}/submit"), 403)

    client.force_login(net.national)
    validated = post(client, f"{url}/validate", {"comment": "Conforme"}).json()
    assert validated["status"] == "validated" and validated["decided_by"] == "nationale"
    error_of(post(client, f"{url}/validate"), 422)
    client.force_login(net.hr_north)
    error_of(patch(client, url, {"title": "Figée"}), 422)
    assert [e["action"] for e in client.get(url).json()["history"]] == [
        "create",
        "edit",
        "submit",
        "validate",
    ]


def test_send_back_needs_a_comment(client, net, edition, north):
    services.submit(net.hr_north, north)
    url = f"/api/evaluations/{north.pk}"
    client.force_login(net.hr_north)
    error_of(post(client, f"{url}/return", {"comment": "Je me renvoie"}), 403)
    client.force_login(net.national)
    assert fields_named(error_of(post(client, f"{url}/return"), 422)) == {"comment"}
    error = error_of(post(client, f"{url}/return", {"comment": "  "}), 422)
    assert [d["loc"] for d in error["details"]] == [["body", "comment"]]
    returned = post(client, f"{url}/return", {"comment": "Relations : degré trop haut"}).json()
    assert returned["status"] == "returned"
    assert returned["history"][-1]["note"] == "Relations : degré trop haut"
    client.force_login(net.hr_north)
    assert patch(client, url, {"missions": "Précisées"}).json()["status"] == "draft"


def test_comments(client, net, north):
    url = f"/api/evaluations/{north.pk}/comment"
    client.force_login(net.hr_north)
    body = post(client, url, {"text": "Vu avec la direction"}).json()
    assert (body["history"][-1]["action"], body["history"][-1]["note"]) == (
        "comment",
        "Vu avec la direction",
    )
    assert fields_named(error_of(post(client, url, {"text": " "}), 422)) == {"text"}
    client.force_login(net.reader_north)
    error_of(post(client, url, {"text": "Lecteur"}), 403)
    assert north.events.filter(action="comment").count() == 1


def test_revise_answers_201_with_the_new_edition(client, net, edition, north):
    client.force_login(net.hr_north)
    url = f"/api/evaluations/{north.pk}"
    error_of(post(client, f"{url}/revise"), 422)  # a draft is changed, not revised
    services.submit(net.hr_north, north)
    services.validate(net.national, north)
    response = post(client, f"{url}/revise")
    assert response.status_code == 201, response.content
    revision = response.json()
    assert revision["id"] != north.pk and revision["revision_of"] == north.pk
    assert (revision["number"], revision["status"]) == (2, "draft")
    assert revision["degrees"] == north.degrees
    assert client.get(url).json()["status"] == "validated"
    error_of(post(client, f"{url}/revise"), 422)


# --- the live result ------------------------------------------------------------------


def test_preview_gives_the_level_and_the_neighbours_and_writes_nothing(client, net, edition):
    assert error_of(post(client, "/api/evaluations/preview", {"degrees": {}}), 401)
    client.force_login(net.hr_north)
    journal = JournalEntry.objects.count()
    count = len(codes_of(edition))
    unbalanced = profile(edition, [MIN_DEGREE + 2] * (count - 2) + [MAX_DEGREE, MAX_DEGREE])
    body = post(client, "/api/evaluations/preview", {"degrees": unbalanced}).json()
    expected = classify(edition, unbalanced)
    assert (body["level"], body["roman"], body["rule"], body["explanation"]) == (
        expected.level,
        expected.roman,
        expected.rule,
        expected.explanation,
    )
    assert body["warnings"] == [{"code": n.code, "message": n.message} for n in expected.warnings]
    assert body["warnings"]
    assert len(body["by_profile"]) == 5 and body["by_text"] == []
    assert body["same_job"] is None and body["same_job_statement"] == ""
    assert body["edition"] == edition.label

    job = catalog.jobs_of(edition).first()
    degrees = dict(zip(codes_of(edition), catalog.degrees_of(job), strict=True))
    missions = " ".join(item["text"] for item in job.missions)
    same = post(
        client,
        "/api/evaluations/preview",
        {"degrees": degrees, "title": job.title, "missions": missions, "edition": edition.label},
    ).json()
    assert same["level"] == job.level.number
    assert same["by_profile"][0]["distance"] == 0
    assert same["by_text"][0]["code"] == job.code and 0 < same["by_text"][0]["score"] <= 1
    assert same["by_text"][0]["reason"]
    assert same["same_job"] == {
        "code": job.code,
        "title": job.title,
        "level": job.level.number,
        "distance": 0,
    }
    assert job.title in same["same_job_statement"]

    bad = {**degrees, codes_of(edition)[2]: MAX_DEGREE + 1}
    error = error_of(post(client, "/api/evaluations/preview", {"degrees": bad}), 422)
    assert [d["loc"] for d in error["details"]] == [["body", codes_of(edition)[2]]]
    error_of(post(client, "/api/evaluations/preview", {"degrees": degrees, "edition": "1999"}), 404)
    assert not JobEvaluation.objects.exists() and not EvaluationEvent.objects.exists()
    assert JournalEntry.objects.count() == journal


# --- the sheet ------------------------------------------------------------------------


def test_pdf_of_the_evaluation_sheet(client, net, edition, north):
    _, secret = accounts.create_token(net.reader_north, name="lecture", actor="test")
    response = client.get(
        f"/api/evaluations/{north.pk}/pdf", headers={"Authorization": f"Bearer {secret}"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"pesee-CCI-NORD-{north.pk}-v1.pdf" in response["Content-Disposition"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "veille" in text
    assert catalog.criteria_of(edition)[0].label in text


def test_openapi_documents_the_evaluations(client):
    schema = client.get("/api/openapi.json").json()
    paths = {path for path in schema["paths"] if path.startswith("/api/evaluations")}
    assert paths == {
        "/api/evaluations",
        "/api/evaluations/preview",
        "/api/evaluations/{pk}",
        "/api/evaluations/{pk}/submit",
        "/api/evaluations/{pk}/validate",
        "/api/evaluations/{pk}/return",
        "/api/evaluations/{pk}/comment",
        "/api/evaluations/{pk}/revise",
        "/api/evaluations/{pk}/pdf",
    }
    for path in paths:
        for operation in schema["paths"][path].values():
            assert operation["tags"] == ["evaluations"]
    pdf = schema["paths"]["/api/evaluations/{pk}/pdf"]["get"]["responses"]["200"]
    assert set(pdf["content"]) == {"application/pdf"}
