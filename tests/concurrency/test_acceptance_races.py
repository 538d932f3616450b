"""Undoing a bulk acceptance while another officer notifies some of its people, on
PostgreSQL: one of the two wins in full, the other is told (``Conflict``), never a letter
recorded for a positioning put back to proposed."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from repertoire.positioning import selectors, services
from repertoire.positioning.models import AcceptanceBatch, Positioning
from repertoire.positioning.services import acceptance
from tests.concurrency.races import postgres_only, together, unexpected

pytestmark = pytest.mark.django_db(transaction=True)

PAUSE = 2.0


@pytest.fixture(autouse=True)
def _on_postgres():
    postgres_only()


def _six_on_the_first_job(network, edition) -> None:
    """Six people of CCI Nord whose title is the edition's first job: six sure proposals."""
    title = edition.jobs.order_by("position").first().title
    for number in range(6):
        services.create_employee(
            network.hr_north, network.north, matricule=f"U{number:03d}",
            last_name=f"NOM{number}", job_title=title,
        )  # fmt: skip


def test_undo_and_notify_at_once(network, edition, monkeypatch):
    _six_on_the_first_job(network, edition)
    services.bulk_accept(network.hr_north, network.north, threshold=0.5)
    batch = AcceptanceBatch.objects.get()
    seen = list(Positioning.objects.filter(status="validated").select_related("establishment"))
    assert len(seen) == 6

    undoing = threading.Event()
    original = acceptance._as_accepted

    def paused(*args, **kwargs):  # the rows are locked: the notification waits for them
        if not undoing.is_set():
            undoing.set()
            threading.Event().wait(0.5)
        return original(*args, **kwargs)

    monkeypatch.setattr(acceptance, "_as_accepted", paused)

    def undo():
        return services.undo_batch(network.hr_north, AcceptanceBatch.objects.get(pk=batch.pk))

    def notify():
        undoing.wait(PAUSE)
        return services.notify(network.hr_north, seen[:3], on=dt.date(2015, 3, 2))

    outcomes = together(undo, notify)
    assert unexpected(outcomes) == []
    assert sum(outcome.ok for outcome in outcomes) == 1
    statuses = set(Positioning.objects.values_list("status", flat=True))
    batch.refresh_from_db()
    if outcomes[0].ok:
        assert statuses == {"proposed"} and batch.undone_at is not None
    else:
        assert "notified" in statuses and batch.undone_at is None


def test_the_same_confirmation_twice_at_once_makes_one_batch(network, edition):
    """A double click whose two requests reach two workers: the second waits for the rows
    the first locked, then answers with the first one's batch."""
    _six_on_the_first_job(network, edition)
    preview = selectors.acceptance_preview(network.hr_north, network.north, threshold=0.5)

    def confirm():
        return services.accept_batch(
            network.hr_north, network.north, threshold=0.5, expected=6, seen=preview.etag
        )

    outcomes = together(confirm, confirm)

    assert [outcome.error for outcome in outcomes] == [None, None]
    (batch,) = AcceptanceBatch.objects.all()
    assert {outcome.result.pk for outcome in outcomes} == {batch.pk}
    assert batch.accepted == 6
    assert Positioning.objects.filter(status="validated").count() == 6
