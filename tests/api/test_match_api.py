import pytest

from tests.accounts.conftest import network  # noqa: F401  shared fixture

pytestmark = pytest.mark.django_db


def post(client, body):
    return client.post("/api/match", body, content_type="application/json")


def test_match_one_title(client, edition):
    response = post(client, {"intitule": "GEST. PAIE", "top": 2})
    assert response.status_code == 200
    (result,) = response.json()["results"]
    assert result["intitule"] == "GEST. PAIE"
    assert len(result["candidates"]) == 2
    best = result["candidates"][0]
    assert best["code"] == "technicien-paye"
    assert 0 < best["score"] <= 1
    assert best["reason"] and best["matched"]


def test_match_a_batch_keeps_the_order(client, edition):
    items = [{"intitule": t} for t in ("Comptable général", "Technicien informatique", "Juriste")]
    results = post(client, {"items": items}).json()["results"]
    assert [r["intitule"] for r in results] == [i["intitule"] for i in items]
    assert all(len(r["candidates"]) == 3 for r in results)


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"intitule": "Comptable", "items": [{"intitule": "Juriste"}]},
        {"intitule": "Comptable", "top": 0},
        {"items": [{"intitule": ""}]},
    ],
)
def test_match_refuses_a_malformed_request(client, edition, body):
    response = post(client, body)
    assert response.status_code == 422
    assert set(response.json()) == {"error"}


def test_reindex_is_for_national_administrators_and_journaled(
    client,
    edition,
    django_user_model,
    network,  # noqa: F811
):
    from repertoire.audit.models import JournalEntry
    from repertoire.catalog.models import Edition

    assert client.post("/api/match/reindex").status_code == 401
    revision = Edition.objects.get(pk=edition.pk).revision
    for someone in (django_user_model.objects.create_user("sans-role"), network.hr_north):
        client.force_login(someone)
        assert client.post("/api/match/reindex").status_code == 403
    assert Edition.objects.get(pk=edition.pk).revision == revision

    client.force_login(network.national)
    response = client.post("/api/match/reindex")

    assert response.status_code == 200
    body = response.json()
    assert body["edition"] == edition.label and body["jobs"] == 51 and body["titles"] > 51
    # The index is renewed; the published files, which print no appellation, are kept.
    held = Edition.objects.get(pk=edition.pk)
    assert held.revision == revision and held.appellations_revision > 0
    entry = JournalEntry.objects.get(action="edition.reindex")
    assert entry.actor == network.national.get_username()
