"""Sign-ins, failed sign-ins and sign-outs are journaled; the journal cannot be emptied
with TRUNCATE on PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from repertoire.audit.models import JournalEntry

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_sign_in_failure_and_sign_out_are_journaled_without_the_password(client, network):
    failed = client.post("/compte/connexion/", {"username": "rh-nord", "password": "faux-123"})
    assert failed.status_code == 200
    unknown = client.post("/compte/connexion/", {"username": "personne", "password": "x-456"})
    assert unknown.status_code == 200
    signed_in = client.post("/compte/connexion/", {"username": "rh-nord", "password": PASSWORD})
    assert signed_in.status_code == 302
    client.post("/compte/deconnexion/")

    entries = list(
        JournalEntry.objects.filter(action__startswith="user.sign")
        .order_by("pk")
        .values_list("action", "actor", "object_id", "after")
    )
    user_id = str(network.hr_north.pk)
    assert [entry[:3] for entry in entries] == [
        ("user.sign_in_failed", "rh-nord", user_id),
        ("user.sign_in_failed", "personne", ""),
        ("user.sign_in", "rh-nord", user_id),
        ("user.sign_out", "rh-nord", user_id),
    ]
    assert all(entry[3]["address"] == "127.0.0.1" for entry in entries)
    everything = str(list(JournalEntry.objects.values_list("before", "after", "object_repr")))
    assert "faux-123" not in everything and "x-456" not in everything
    assert PASSWORD not in everything


def test_the_journal_cannot_be_truncated(network):
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's (SQLite has none)")
    assert JournalEntry.objects.exists()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE audit_journalentry")
    assert JournalEntry.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_transactional_tests_still_start_from_an_empty_journal(network):
    """The suite empties its databases with TRUNCATE between transactional tests: the
    trigger is set aside for that flush only (tests/conftest.py)."""
    assert JournalEntry.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_and_the_next_one_too(network):
    assert JournalEntry.objects.filter(action="establishment.create").count() == 2
