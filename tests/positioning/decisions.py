"""Positionings at every stage, taken through the services, for the reports and letters tests.

North: Alice (notified, appealed on the evaluation, confirmed), Bruno (changed to another job
at a personal level above the job's, validated), Chloé (notified, appeal on the attachment
still open), Denis (still proposed), Gaspard (notified). South: Amédée (notified), Éloi
(still proposed). Jobs and levels come from the loaded edition, never typed here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from repertoire.catalog import selectors as catalog
from repertoire.positioning import services
from repertoire.positioning.models import Appeal, Positioning

NOTIFIED_ON = dt.date(2015, 3, 2)
PERSONAL_REASON = "Maintien du niveau acquis avant la classification"


@dataclass
class Decisions:
    network: object
    alice: Positioning
    bruno: Positioning
    chloe: Positioning
    denis: Positioning
    gaspard: Positioning
    amedee: Positioning
    eloi: Positioning
    other_job: object  # Bruno's job

    def refreshed(self) -> Decisions:
        for name in ("alice", "bruno", "chloe", "denis", "gaspard", "amedee", "eloi"):
            getattr(self, name).refresh_from_db()
        return self


def _positioning(employee) -> Positioning:
    return Positioning.objects.select_related("job__level", "establishment", "employee").get(
        employee=employee
    )


@pytest.fixture
def decisions(edition, network) -> Decisions:
    national = network.national
    hr_north = network.hr_north

    def employee(place, matricule, last, first, title):
        return services.create_employee(
            national, place, matricule=matricule, last_name=last, first_name=first, job_title=title
        )

    bruno = employee(network.north, "N-002", "BERNARD", "Bruno", "Agent d'accueil")
    chloe = employee(network.north, "N-003", "CARON", "Chloé", "Comptable")
    denis = employee(network.north, "N-004", "DUMAS", "Denis", "Chargé de mission")
    gaspard = employee(network.north, "N-005", "GARNIER", "Gaspard", "Assistante de direction")
    eloi = employee(network.south, "S-002", "ETIENNE", "Éloi", "Agent d'accueil")

    alice = _positioning(network.north_employee)
    services.validate(hr_north, alice)
    services.notify(hr_north, [alice], on=NOTIFIED_ON)
    appeal = services.open_appeal(
        hr_north,
        _positioning(network.north_employee),
        kind=Appeal.Kind.EVALUATION,
        argument="La pesée de l'emploi ignore l'encadrement exercé",
        received_on=NOTIFIED_ON + dt.timedelta(days=10),
    )
    services.decide_appeal(
        hr_north,
        appeal,
        outcome=Appeal.Status.CONFIRMED,
        reasoning="La pesée est conforme à la fiche",
        decided_on=NOTIFIED_ON + dt.timedelta(days=40),
    )

    # Another job than the one proposed, below the top level so a personal level exists.
    proposed = _positioning(bruno)
    other_job = next(
        job
        for job in catalog.jobs_of(edition).select_related("level")
        if job.level.number < 8 and job.pk != proposed.job_id
    )
    services.change(
        hr_north,
        proposed,
        job_code=other_job.code,
        personal_level=other_job.level.number + 1,
        reason=PERSONAL_REASON,
    )

    services.validate(hr_north, _positioning(chloe))
    services.notify(hr_north, [_positioning(chloe)], on=NOTIFIED_ON)
    services.open_appeal(
        hr_north,
        _positioning(chloe),
        kind=Appeal.Kind.ATTACHMENT,
        argument="Mes missions sont celles d'un autre emploi",
        received_on=NOTIFIED_ON + dt.timedelta(days=5),
    )

    services.validate(hr_north, _positioning(gaspard))
    services.notify(hr_north, [_positioning(gaspard)], on=NOTIFIED_ON)

    amedee = _positioning(network.south_employee)
    services.validate(network.hr_south, amedee)
    services.notify(network.hr_south, [_positioning(network.south_employee)], on=NOTIFIED_ON)

    return Decisions(
        network=network,
        alice=_positioning(network.north_employee),
        bruno=_positioning(bruno),
        chloe=_positioning(chloe),
        denis=_positioning(denis),
        gaspard=_positioning(gaspard),
        amedee=_positioning(network.south_employee),
        eloi=_positioning(eloi),
        other_job=other_job,
    )
