"""`repertoire positionings accept|undo`: bulk acceptance of one establishment (one
service) as a batch, its dry run, and its undoing, refused once a positioning is notified.
Titles are reference job titles read from the edition; services and people are the test's."""

from __future__ import annotations

import datetime as dt

import pytest

from repertoire.positioning import services
from repertoire.positioning.models import AcceptanceBatch, Positioning
from tests.accounts.conftest import hire_by_service, network  # noqa: F401  shared fixture
from tests.command_line import run

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(edition, network):  # noqa: F811
    return hire_by_service(network, edition)


def statuses() -> dict[str, str]:
    return dict(
        Positioning.objects.filter(employee__matricule__startswith="T").values_list(
            "employee__matricule", "status"
        )
    )


def test_accept_one_service_then_undo(staff):
    dry = run("positionings", "accept", "--establishment", "CCI-NORD", "--threshold", "0.5",
              "--service", "Comptabilité", "--dry-run")  # fmt: skip
    assert dry.exit_code == 0, dry.output
    assert "2 proposition(s) du service « Comptabilité » de confiance ≥ 0,50" in dry.output
    assert set(statuses().values()) == {"proposed"}

    done = run("positionings", "accept", "--establishment", "CCI-NORD", "--threshold", "0.5",
               "--service", "Comptabilité")  # fmt: skip
    assert done.exit_code == 0, done.output
    batch = AcceptanceBatch.objects.get()
    assert done.output.strip().splitlines()[-1] == str(batch.pk)
    assert statuses() == {"T001": "validated", "T002": "validated", "T003": "proposed"}
    assert batch.author.startswith("cli")

    undone = run("positionings", "undo", batch.pk)
    assert undone.exit_code == 0, undone.output
    assert set(statuses().values()) == {"proposed"}
    again = run("positionings", "undo", batch.pk)
    assert again.exit_code == 2


def test_undo_refused_once_notified(staff):
    run("positionings", "accept", "--establishment", "CCI-NORD", "--threshold", "0.5")
    batch = AcceptanceBatch.objects.get()
    one = Positioning.objects.filter(status="validated").first()
    services.notify(staff.national, [one], on=dt.date(2015, 3, 2))

    refused = run("positionings", "undo", batch.pk)

    assert refused.exit_code == 2
    assert "rien n'a été annulé" in refused.output
    assert "proposed" not in set(statuses().values())


def test_unknown_batch_or_establishment_exits_2(staff):
    assert run("positionings", "undo", 999).exit_code == 2
    assert run("positionings", "accept", "--establishment", "NOPE").exit_code == 2
