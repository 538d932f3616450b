"""What an anonymous caller may cost the servers: batches of titles to match are capped
(higher for signed-in callers), anonymous calls are rate-limited per client address."""

from __future__ import annotations

import pytest
from django.test import Client

from repertoire.accounts import services as accounts
from tests.accounts.conftest import network  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def batch(count: int) -> dict:
    return {"items": [{"intitule": f"Comptable {number}"} for number in range(count)], "top": 1}


def match(client: Client, count: int, **headers):
    return client.post("/api/match", batch(count), content_type="application/json", headers=headers)


def test_anonymous_batches_of_thousands_are_refused_before_any_matching(client, edition):
    response = match(client, 3000)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "too_many_items"
    assert "Au plus 20 intitulés" in error["message"] and "3000 reçus" in error["message"]


def test_signed_in_callers_have_a_larger_cap(client, edition, network, settings):  # noqa: F811
    settings.REPERTOIRE_MATCH_MAX_ITEMS_ANONYMOUS = 2
    settings.REPERTOIRE_MATCH_MAX_ITEMS_SIGNED_IN = 4
    assert match(client, 2).status_code == 200
    refused = match(client, 3)
    assert (
        refused.status_code == 422 and "Au plus 2 intitulés" in refused.json()["error"]["message"]
    )
    assert match(client, 1).status_code == 200  # one title is always welcome
    _, secret = accounts.create_token(network.hr_north, name="paie", actor="test")
    assert match(Client(), 4, Authorization=f"Bearer {secret}").status_code == 200
    assert match(Client(), 5, Authorization=f"Bearer {secret}").status_code == 422
    client.force_login(network.reader_north)
    assert match(client, 4).status_code == 200
    assert "Au plus 4 intitulés" in match(client, 5).json()["error"]["message"]


def test_anonymous_callers_beyond_the_rate_get_429(edition, network, settings):  # noqa: F811
    settings.REPERTOIRE_API_ANONYMOUS_RATE = "3/min"
    anonymous = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(3):
        assert anonymous.get("/api/levels").status_code == 200
    refused = anonymous.get("/api/levels")
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "throttled"
    assert int(refused["Retry-After"]) > 0
    assert match(anonymous, 1).status_code == 429
    # Another address, and signed-in callers, are not held back by it.
    assert Client(REMOTE_ADDR="198.51.100.9").get("/api/levels").status_code == 200
    signed_in = Client(REMOTE_ADDR="203.0.113.7")
    signed_in.force_login(network.reader_north)
    for _ in range(5):
        assert signed_in.get("/api/levels").status_code == 200
    _, secret = accounts.create_token(network.hr_north, name="paie", actor="test")
    token = {"Authorization": f"Bearer {secret}"}
    assert anonymous.get("/api/levels", headers=token).status_code == 200
