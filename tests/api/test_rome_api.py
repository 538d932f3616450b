"""ROME in the API: a job's codes and ESCO occupations, the jobs of a ROME code."""

from __future__ import annotations

import pytest

from repertoire.bundled import rome_correspondence
from repertoire.catalog import selectors
from repertoire.core.rome import load_rome

pytestmark = pytest.mark.django_db


def test_a_job_carries_its_rome_codes_and_esco_occupations(client, edition):
    rome = load_rome()
    for job in selectors.jobs_of(edition):
        data = client.get(f"/api/jobs/{job.code}").json()
        assert data["rome"], job.code
        assert data["rome"][0]["primary"] and data["rome"][0]["role"] == "primary"
        for entry in data["rome"]:
            assert entry["title"] == rome.title(entry["code"])
        assert data["rome"] == selectors.rome_of(job)["rome"]
        assert data["esco"] == selectors.rome_of(job)["esco"]


def test_the_jobs_of_a_rome_code(client, edition):
    rome = load_rome()
    link = rome_correspondence()[0]
    response = client.get(f"/api/rome/{link.rome_code.lower()}")
    assert response.status_code == 200
    data = response.json()
    assert data["code"] == link.rome_code
    assert data["title"] == rome.title(link.rome_code)
    assert data["edition"] == edition.label and data["version"] == rome.version
    assert data["appellations"] == list(rome.appellations(link.rome_code))
    assert [o["uri"] for o in data["esco"]] == [o.uri for o in rome.esco(link.rome_code)]
    expected = {
        (other.job_code, other.role)
        for other in rome_correspondence()
        if other.rome_code == link.rome_code
    }
    assert {(job["code"], job["role"]) for job in data["jobs"]} == expected
    assert all(job["primary"] == (job["role"] == "primary") for job in data["jobs"])


def test_a_rome_code_no_job_has_lists_no_job(client, edition):
    used = {link.rome_code for link in rome_correspondence()}
    unused = next(code for code in sorted(load_rome().codes) if code not in used)
    data = client.get(f"/api/rome/{unused}").json()
    assert data["code"] == unused and data["jobs"] == []


@pytest.mark.parametrize("code", ["Z9999", "M12", "nimporte"])
def test_an_unknown_rome_code_is_a_404_saying_so(client, edition, code):
    response = client.get(f"/api/rome/{code}")
    assert response.status_code == 404
    error = response.json()["error"]
    assert code in error["message"] and "ROME" in error["message"]


def test_the_openapi_document_lists_the_rome_endpoint(client):
    assert "/api/rome/{code}" in client.get("/api/openapi.json").json()["paths"]
