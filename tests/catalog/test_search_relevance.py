"""Search lists the relevant jobs, not every job sharing a word in passing; it tells when
the query names a job the edition announces but does not describe yet. Counts are those
of the relevance rule applied to the bundled edition's full ranking, not typed-in lists."""

from __future__ import annotations

from html import unescape

import pytest

from repertoire.catalog import selectors
from repertoire.core.search import REQUIREMENTS, relevant

pytestmark = pytest.mark.django_db

QUERIES = ("informatique", "chargee d'accueil")  # the two queries


def full_ranking(query):
    index = selectors.search_index(selectors.get_edition())
    return index.search(query, limit=1000, cut=False).hits


@pytest.mark.parametrize("query", QUERIES)
def test_search_cuts_the_tail_by_relevance(client, edition, query):
    every = full_ranking(query)
    kept = [
        hit.job.code
        for hit, keep in zip(
            every, relevant([h.score for h in every], [h.named for h in every]), strict=True
        )
        if keep
    ]
    # The complaint: most of the edition came back.
    assert len(kept) < len(every) / 2

    found = client.get("/api/search", {"q": query, "limit": 100}).json()
    assert found["count"] == len(kept)
    assert [item["code"] for item in found["items"]] == kept
    # No job listed for a passing word of a requirement beside the title hits.
    named = {hit.job.code: hit.named for hit in every}
    assert any(not named[hit.job.code] and hit.passage.field == REQUIREMENTS for hit in every)
    assert not [
        item
        for item in found["items"]
        if not named[item["code"]] and item["passage"]["field"] == REQUIREMENTS
    ]
    html = unescape(client.get("/recherche/", {"q": query}).content.decode())
    assert f"{len(kept)} emplois trouvés" in html


def test_an_announced_job_not_yet_described_is_told(client, edition, document):
    assert document.missing_jobs
    for title in document.missing_jobs:
        html = unescape(client.get("/recherche/", {"q": title}).content.decode())
        assert f"« {title} » est annoncé dans l'édition mais pas encore décrit" in html
        assert title in client.get("/api/search", {"q": title}).json()["announced"]
    described = document.jobs[0].title
    assert "pas encore décrit" not in unescape(
        client.get("/recherche/", {"q": described}).content.decode()
    )
