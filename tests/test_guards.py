"""A NUL character anywhere in a request is the caller's error (400 or 422), never a
server error: PostgreSQL refuses it in any query parameter."""

from __future__ import annotations

import pytest

from tests.accounts.conftest import network  # noqa: F401  shared fixture

NUL = "\x00"

PAGES = [
    ("/", {"edition": NUL}),
    ("/niveaux/", {"edition": f"2014{NUL}"}),
    ("/criteres/", {"edition": NUL}),
    ("/recherche/", {"q": f"compta{NUL}"}),
    ("/comparer/", {"emploi": f"a{NUL},b"}),
    (f"/emplois/x{NUL}y/", {}),
    (f"/emplois/x{NUL}y/pdf/", {}),
    (f"/editions/{NUL}/", {}),
    ("/", {f"edi{NUL}tion": "x"}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "query"), PAGES)
def test_a_page_asked_with_a_nul_answers_400(client, edition, url, query):
    response = client.get(url, query)
    assert response.status_code == 400
    assert "caractère nul" in response.content.decode()


@pytest.mark.django_db
def test_a_signed_in_page_and_a_form_with_a_nul_answer_400(client, edition, network):  # noqa: F811
    client.force_login(network.hr_north)
    code = network.north.code
    assert client.get(f"/positionnement/{code}/", {"service": f"a{NUL}"}).status_code == 400
    assert client.get("/personnel/", {"q": NUL}).status_code == 400
    assert client.get(f"/personnel/{NUL}/").status_code == 400
    assert client.get("/journal/", {"actor": NUL}).status_code == 400
    assert client.post("/pesees/nouvelle/", {"title": f"x{NUL}"}).status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [f"/api/jobs/x{NUL}y", f"/api/employees/{NUL}", f"/api/evaluations/1{NUL}", f"/api/x{NUL}"],
)
def test_an_api_path_with_a_nul_answers_400_in_the_api_shape(client, edition, url):
    response = client.get(url)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "bad_request"
    assert "caractère nul" in error["message"]


@pytest.mark.django_db
def test_an_api_query_with_a_nul_names_the_parameter(client, edition):
    response = client.get("/api/jobs", {"edition": NUL})
    assert response.status_code == 422
    assert [d["loc"][-1] for d in response.json()["error"]["details"]] == ["edition"]
    assert client.get("/api/search", {"q": f"a{NUL}"}).status_code == 422


@pytest.mark.django_db
def test_a_cookie_with_a_nul_answers_400(client, edition):
    client.cookies["sessionid"] = f"abc{NUL}def"
    assert client.get("/").status_code == 400
    assert client.get("/api/jobs").status_code == 400
