"""Consultation pages rendered once per edition content: served again while the edition is
unchanged, anew as soon as any write changes it, never carrying one reader's view to
another. Jobs, texts and queries come from the loaded edition."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from repertoire.catalog import selectors, services
from repertoire.core.grid import MAX_LEVEL

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_a_job_sheet_is_rendered_once_then_served_the_same(client, edition, document):
    url = f"/emplois/{document.jobs[0].code}/"
    first, first_queries = _queries(client, url)
    again, again_queries = _queries(client, url)
    assert again == first
    assert again_queries < first_queries, "texts, degrees and neighbours are not read again"


def test_a_search_page_and_its_live_results_are_served_the_same(client, edition, document):
    word = document.jobs[0].title.split()[0]
    url = f"/recherche/?q={word}"
    page, _ = _queries(client, url)
    assert _queries(client, url)[0] == page
    live = client.get(url, headers={"X-Requested-With": "fetch"}).content.decode()
    assert live in page, "the live results are the page's results"
    assert "<html" not in live
    other, _ = _queries(client, f"/recherche/?q={document.jobs[-1].title.split()[0]}")
    assert other != page, "another query is another part"


@pytest.fixture
def draft_job(client, network, edition):
    """A job of a draft, consulted by the national administrator who edits it (a draft is
    no edition to someone not signed in)."""
    client.force_login(network.national)
    draft = services.copy_edition(network.national, edition, label="brouillon-2015")
    job = next(j for j in selectors.jobs_of(draft) if 1 < j.level.number < MAX_LEVEL - 1)
    return network.national, draft, job


def test_an_edited_job_shows_at_once(client, draft_job):
    national, draft, job = draft_job
    url = f"/emplois/{job.code}/?edition={draft.label}"
    before = client.get(url).content.decode()
    content = selectors.job_content(job)
    renamed = f"{job.title} principal"
    services.save_job(
        national,
        draft,
        job,
        title=renamed,
        missions=content["missions"] + "\nTenir le registre des pesées du service.",
        requirements=content["requirements"],
        degrees=content["degrees"],
    )
    after = client.get(url).content.decode()
    assert after != before
    assert renamed in after
    assert "Tenir le registre des pesées du service." in after
    search = client.get(f"/recherche/?q=registre+pesées&edition={draft.label}").content.decode()
    assert renamed in search


def test_a_retired_job_leaves_the_search_at_once(client, draft_job):
    national, draft, job = draft_job
    url = f"/recherche/?q={job.title}&edition={draft.label}"
    assert f'href="/emplois/{job.code}/?edition={draft.label}"' in client.get(url).content.decode()
    services.retire_job(national, job)
    assert f"/emplois/{job.code}/" not in client.get(url).content.decode()
    assert client.get(f"/emplois/{job.code}/?edition={draft.label}").status_code == 404


def test_the_same_sheet_shows_each_reader_their_own_header_and_history(
    client, network, edition, document
):
    url = f"/emplois/{document.jobs[0].code}/"
    anonymous = client.get(url).content.decode()
    client.force_login(network.hr_north)
    hr = client.get(url).content.decode()
    assert network.hr_north.username in hr and network.hr_north.username not in anonymous
    assert 'id="job-history"' in hr and 'id="job-history"' not in anonymous
    client.force_login(network.reader_north)
    reader = client.get(url).content.decode()
    assert network.reader_north.username in reader and network.hr_north.username not in reader
    assert 'id="job-history"' not in reader
