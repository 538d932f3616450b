"""GET /api/search: the same ranking as the search page, as JSON."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def test_api_ranks_like_the_search_page(client, edition):
    for query in ("gestion", "formatrice", "comptabel", "relation client"):
        api = client.get("/api/search", {"q": query, "limit": 20}).json()
        html = client.get("/recherche/", {"q": query}).content.decode()
        shown = re.findall(r'class="result-title" href="/emplois/([^/]+)/"', html)
        assert [item["code"] for item in api["items"]] == shown
        assert api["count"] >= len(shown)


def test_api_search_items_carry_score_and_highlighted_passage(client, edition):
    body = client.get("/api/search", {"q": "budget"}).json()
    assert body["edition"] == edition.label
    assert body["items"][0]["score"] == 1.0
    for item in body["items"]:
        passage = item["passage"]
        for start, end in passage["highlights"]:
            assert passage["text"][start:end].lower().startswith("budg")


def test_api_search_filters_and_pages(client, edition, document):
    code = document.criteria[1].code
    body = client.get(
        "/api/search", {"q": "", "degree": f"{code}:6-8", "level": [6, 7], "limit": 100}
    ).json()
    expected = [job.code for job in document.jobs if job.degrees[1] >= 6 and job.level in (6, 7)]
    assert sorted(item["code"] for item in body["items"]) == sorted(expected)
    first = client.get("/api/search", {"q": "gestion", "limit": 2}).json()["items"]
    second = client.get("/api/search", {"q": "gestion", "limit": 2, "offset": 2}).json()["items"]
    everything = client.get("/api/search", {"q": "gestion", "limit": 4}).json()["items"]
    assert first + second == everything


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"degree": "nope:1-2"}, "invalid_filter"),
        ({"degree": "connaissances:5-2"}, "invalid_filter"),
        ({"limit": 500}, "invalid_request"),
        ({"q": "x" * 201}, "invalid_request"),
    ],
)
def test_api_search_rejects_bad_parameters_clearly(client, edition, params, code):
    response = client.get("/api/search", params)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == code


def test_api_search_reports_unknown_words(client, edition):
    body = client.get("/api/search", {"q": "comptable qqqqzzzz"}).json()
    assert body["unknown_words"] == ["qqqqzzzz"]
