"""Learnt appellations over the API: the review list, promote, reject (national
administrators only; journaled; a second decision on the same one is a 409)."""

from __future__ import annotations

import pytest

from repertoire.audit.models import JournalEntry
from repertoire.catalog import selectors, services
from repertoire.catalog.models import Appellation

pytestmark = pytest.mark.django_db


@pytest.fixture
def learnt(net):
    edition = selectors.get_edition()
    jobs = list(selectors.jobs_of(edition))
    alias = services.learn_appellation(jobs[-1], "Intitulé maison", net.north, author="rh")
    national = selectors.appellations_of(edition).first()
    other = next(job for job in jobs if job.pk != national.job_id)
    conflict = services.learn_appellation(other, national.title, net.south, author="rh")
    return alias, conflict, national


def test_the_review_list_and_its_decisions(client, net, learnt):
    alias, conflict, national = learnt
    client.force_login(net.national)

    rows = client.get("/api/appellations/review").json()
    assert {(r["title"], r["establishment"], r["status"]) for r in rows} == {
        ("Intitulé maison", "CCI-NORD", "active"),
        (national.title, "CCI-SUD", "conflict"),
    }
    flagged = next(r for r in rows if r["status"] == "conflict")
    assert flagged["conflicting_job"]["code"] == national.job.code

    promoted = client.post(f"/api/appellations/{alias.pk}/promote")
    assert promoted.status_code == 200 and promoted.json()["establishment"] is None
    assert client.post(f"/api/appellations/{alias.pk}/promote").status_code == 409
    assert client.post(f"/api/appellations/{conflict.pk}/promote").status_code == 422
    rejected = client.post(f"/api/appellations/{conflict.pk}/reject")
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    assert client.get("/api/appellations/review").json() == []
    assert set(JournalEntry.objects.values_list("action", flat=True)) >= {
        "appellation.promote",
        "appellation.reject",
    }
    assert client.post("/api/appellations/999999/reject").status_code == 404


def test_other_roles_are_refused(client, net, learnt):
    alias, _, _ = learnt
    client.force_login(net.hr_north)
    assert client.get("/api/appellations/review").status_code == 403
    assert client.post(f"/api/appellations/{alias.pk}/promote").status_code == 403
    assert client.post(f"/api/appellations/{alias.pk}/reject").status_code == 403
    assert Appellation.objects.get(pk=alias.pk).establishment == net.north
    client.logout()
    assert client.get("/api/appellations/review").status_code == 401
