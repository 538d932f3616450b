"""A draft edition is still under discussion: a signed-in user consults it by its label,
anyone else is answered as if there were no such edition, on the pages, the files and
the API alike. Published editions stay open to everyone."""

from __future__ import annotations

import pytest

from repertoire.catalog import selectors as catalog
from repertoire.catalog import services as editions

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(network, edition):
    return editions.copy_edition(network.national, edition, label="brouillon-2015")


def _addresses(label: str, code: str) -> list[str]:
    return [
        f"/?edition={label}",
        f"/emplois/{code}/?edition={label}",
        f"/recherche/?q=comptable&edition={label}",
        f"/criteres/?edition={label}",
        f"/niveaux/?edition={label}",
        f"/api/jobs?edition={label}",
        f"/api/jobs/{code}?edition={label}",
        f"/api/levels?edition={label}",
        f"/api/search?q=comptable&edition={label}",
    ]


def test_a_draft_is_no_edition_for_someone_not_signed_in(client, draft):
    code = draft.jobs.order_by("position").first().code

    statuses = {url: client.get(url).status_code for url in _addresses(draft.label, code)}
    matched = client.post(
        "/api/match",
        {"intitule": "Comptable", "edition": draft.label},
        content_type="application/json",
    )

    assert set(statuses.values()) == {404}, statuses
    assert matched.status_code == 404
    assert matched.json()["error"]["code"] == "edition_not_found"


def test_a_signed_in_user_consults_the_draft(client, network, draft):
    code = draft.jobs.order_by("position").first().code
    client.force_login(network.reader_north)

    statuses = {url: client.get(url).status_code for url in _addresses(draft.label, code)}

    assert set(statuses.values()) == {200}, statuses


def test_a_published_edition_named_by_its_label_stays_open_to_everyone(client, edition, draft):
    code = edition.jobs.order_by("position").first().code

    statuses = {url: client.get(url).status_code for url in _addresses(edition.label, code)}

    assert set(statuses.values()) == {200}, statuses


def test_a_drafts_files_are_handed_to_signed_in_users_only(
    client, network, draft, django_capture_on_commit_callbacks
):
    code = draft.jobs.order_by("position").first().code
    assert client.get(f"/emplois/{code}/pdf/?edition={draft.label}").status_code == 404
    assert client.post("/publications/xlsx/", {"edition": draft.label}).status_code == 404
    client.force_login(network.reader_north)
    assert client.get(f"/emplois/{code}/pdf/?edition={draft.label}").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        made = client.post("/publications/xlsx/", {"edition": draft.label})
    assert made.status_code == 302
    status, file = made.url, f"{made.url}fichier/"
    assert client.get(file).status_code == 200

    client.logout()

    assert client.get(status).status_code == 404
    assert client.get(file).status_code == 404


def test_the_list_of_editions_names_drafts_to_signed_in_users_only(client, network, draft):
    anonymous = {found["label"] for found in client.get("/api/editions").json()}
    client.force_login(network.reader_north)
    signed_in = {found["label"] for found in client.get("/api/editions").json()}

    assert draft.label not in anonymous and draft.label in signed_in
    assert signed_in - anonymous == {draft.label}


def test_a_file_made_from_a_draft_is_not_handed_out_once_it_is_published(
    client, network, draft, django_capture_on_commit_callbacks
):
    job = draft.jobs.order_by("position").first()
    content = catalog.job_content(job)
    editions.save_job(network.national, draft, job, **{**content, "title": "Titre discuté"})
    client.force_login(network.national)
    with django_capture_on_commit_callbacks(execute=True):
        made = client.post("/publications/json/", {"edition": draft.label})
    editions.save_job(network.national, draft, job, **{**content, "title": "Titre retenu"})
    editions.publish_edition(network.national, draft, status="official")
    client.logout()

    # The edition is published, but this file still says what was only discussed.
    assert client.get(made.url).status_code == 404
    assert client.get(f"{made.url}fichier/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        fresh = client.post("/publications/json/", {"edition": draft.label})
    file = client.get(f"{fresh.url}fichier/")
    assert file.status_code == 200
    assert "Titre retenu" in file.content.decode() and "Titre discuté" not in file.content.decode()
