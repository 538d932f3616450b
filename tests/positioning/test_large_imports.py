"""Lists of ids larger than one query can bind (PostgreSQL: 65,535 parameters) are asked in
batches (``core/batches.py``): a 100,000-person file used to fail in ``propose``.

Proposing jobs to 70,000 people takes minutes of matching and journaling, so the large
lists are checked on the queries and services that take them, and ``propose`` on several
small batches."""

from __future__ import annotations

import pytest
from django.db import transaction

from repertoire.core import batches
from repertoire.core.batches import QUERY_BATCH, batched, rows_in
from repertoire.positioning import services
from repertoire.positioning.models import Employee, EmployeeKey, Positioning
from repertoire.positioning.services.decisions import propose

IDS = range(1, 70_002)  # more ids than PostgreSQL binds in one statement


def test_batches_keep_each_value_once_in_order():
    assert list(batched([3, 1, 3, 2, 1], size=2)) == [[3, 1], [2]]
    assert list(batched([], size=2)) == []
    assert QUERY_BATCH < 32_766  # SQLite's limit; PostgreSQL's is 65,535


@pytest.mark.django_db
def test_the_lookups_of_an_import_take_more_ids_than_one_query_binds(edition):
    # The positionings ``propose`` reads back, the keys an import seals the journal with.
    assert rows_in(Positioning.objects.filter(edition=edition), "employee", IDS) == []
    assert rows_in(EmployeeKey.objects.values_list("employee_id", "key"), "employee", IDS) == []
    with transaction.atomic():
        locked = Positioning.objects.select_for_update().values_list("pk", flat=True)
        assert rows_in(locked, "pk", IDS) == []


@pytest.mark.django_db
def test_notifying_more_positionings_than_one_query_binds(edition, network):
    """The service locks every positioning it is handed, in batches."""
    handed = [Positioning(pk=pk, establishment=network.north) for pk in IDS]
    assert services.notify(network.hr_north, handed) == 0


@pytest.mark.django_db
def test_the_notify_endpoint_takes_more_ids_than_one_query_binds(client, edition, network):
    client.force_login(network.hr_north)
    response = client.post(
        "/api/positionings/notify",
        {"establishment": network.north.code, "ids": list(IDS)[:100_000]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content[:300]
    assert response.json() == {"notified": 0}


@pytest.mark.django_db
def test_proposals_over_several_batches_are_made_and_found_again(edition, network, monkeypatch):
    monkeypatch.setattr(batches, "QUERY_BATCH", 2)
    place = network.north
    Employee.objects.bulk_create(
        [
            Employee(establishment=place, matricule=f"G{n}", last_name="NOM", job_title="Comptable")
            for n in range(5)
        ]
    )
    people = list(Employee.objects.filter(establishment=place, matricule__startswith="G"))
    assert propose(people, actor="test") == 5
    # Proposed again (a changed title): each positioning is found, none created twice.
    assert propose(people, actor="test") == 5
    assert Positioning.objects.filter(employee__in=people).count() == 5
