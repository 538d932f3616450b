"""A small establishment with pay, worked out by hand (see ``payfile``).

North, 2024, 14 people with a decided positioning and pay (FTE = annual ÷ share of full
time), in three levels of the loaded edition (the 3rd, 4th and 5th levels that have jobs):

    level A  W1 30000+0    ×1    → 30000      M1 33000+0    ×1 → 33000
             W2 24000+0    ×0.8  → 30000      M2 36000+0    ×1 → 36000
             W3 33000+3000 ×1    → 36000      M3 36000+3000 ×1 → 39000
    level B  W4 40000+2000 ×1    → 42000      M4 41000+1000 ×1 → 42000
             W5 36000+1800 ×0.9  → 42000      M5 43000+0    ×1 → 43000
             W6 44000+0    ×1    → 44000      M6 21000+1500 ×0.5 → 45000
    level C  W7 50000+0    ×1    → 50000      M7 60000+5000 ×1 → 65000

Plus, not counted: one person of North with pay but a positioning still proposed, and
one person of North with a decided positioning but pay of 2023 only. South: one woman
and one man with pay of 2024 (counted in the network's report only).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from repertoire.catalog import selectors as catalog
from repertoire.positioning import services
from repertoire.positioning.models import PayRecord, Positioning
from tests.accounts.conftest import PASSWORD, Network, network  # noqa: F401  shared fixture

YEAR = 2024
REFERENCE_DATE = dt.date(2024, 12, 31)

# (key, level index 0..2, sex, base, variable, working time)
PEOPLE = [
    ("W1", 0, "F", "30000", "0", "1"),
    ("W2", 0, "F", "24000", "0", "0.8"),
    ("W3", 0, "F", "33000", "3000", "1"),
    ("M1", 0, "M", "33000", "0", "1"),
    ("M2", 0, "M", "36000", "0", "1"),
    ("M3", 0, "M", "36000", "3000", "1"),
    ("W4", 1, "F", "40000", "2000", "1"),
    ("W5", 1, "F", "36000", "1800", "0.9"),
    ("W6", 1, "F", "44000", "0", "1"),
    ("M4", 1, "M", "41000", "1000", "1"),
    ("M5", 1, "M", "43000", "0", "1"),
    ("M6", 1, "M", "21000", "1500", "0.5"),
    ("W7", 2, "F", "50000", "0", "1"),
    ("M7", 2, "M", "60000", "5000", "1"),
]


@dataclass
class PayFile:
    network: Network
    levels: list[int]  # the level numbers of A, B, C
    people: dict  # key -> Employee
    edition: object

    def label(self, index: int) -> str:
        from repertoire.core.text import to_roman

        return f"niveau {to_roman(self.levels[index])}"


def _decide(employee, job, edition, status=Positioning.Status.VALIDATED):
    Positioning.objects.update_or_create(
        employee=employee,
        edition=edition,
        defaults={
            "establishment": employee.establishment,
            "job": job,
            "level": job.level.number,
            "status": status,
        },
    )


def _pay(employee, sex, base, variable, working_time, year=YEAR):
    PayRecord.objects.create(
        employee=employee,
        year=year,
        reference_date=dt.date(year, 12, 31),
        sex=sex,
        base_pay=Decimal(base),
        variable_pay=Decimal(variable),
        working_time=Decimal(working_time),
    )


@pytest.fixture
def payfile(edition, network) -> PayFile:  # noqa: F811
    current = catalog.get_edition()
    numbers = sorted({job.level.number for job in catalog.jobs_of(current)})[2:5]
    jobs = [catalog.jobs_of(current, level=n).first() for n in numbers]
    national = network.national

    def employee(place, key, last_name):
        return services.create_employee(
            national,
            place,
            matricule=f"{place.code}-{key}",
            last_name=last_name,
            first_name=key,
            job_title="Agent",
        )

    people = {}
    for key, level, sex, base, variable, working_time in PEOPLE:
        person = employee(network.north, key, f"PAYE{key}")
        _decide(person, jobs[level], current)
        _pay(person, sex, base, variable, working_time)
        people[key] = person
    proposed = employee(network.north, "P1", "PROPOSEE")
    _decide(proposed, jobs[0], current, status=Positioning.Status.PROPOSED)
    _pay(proposed, "F", "10000", "0", "1")
    earlier = employee(network.north, "E1", "ANCIEN")
    _decide(earlier, jobs[0], current)
    _pay(earlier, "M", "90000", "0", "1", year=YEAR - 1)
    for key, sex in (("S1", "F"), ("S2", "M")):
        person = employee(network.south, key, f"SUD{key}")
        _decide(person, jobs[0], current)
        _pay(person, sex, "30000", "0", "1")
    return PayFile(network=network, levels=numbers, people=people, edition=current)


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user


__all__ = ["PASSWORD"]
