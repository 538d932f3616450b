"""Two establishments side by side, a user of each role, employees in each."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from repertoire.accounts import services as accounts
from repertoire.positioning import services as positioning

PASSWORD = "un-mot-de-passe-tres-solide-2015"


@dataclass
class Network:
    north: object
    south: object
    national: object
    hr_north: object
    reader_north: object
    hr_south: object
    north_employee: object
    south_employee: object


@pytest.fixture
def network(db) -> Network:
    north = positioning.create_establishment("CCI-NORD", "CCI Nord", actor="test")
    south = positioning.create_establishment("CCI-SUD", "CCI Sud", actor="test")

    def user(name, role, place):
        return accounts.create_user(
            name, role=role, password=PASSWORD, establishment=place, actor="test"
        )

    national = user("nationale", "national", None)
    hr_north = user("rh-nord", "hr", north)
    reader_north = user("lecteur-nord", "reader", north)
    hr_south = user("rh-sud", "hr", south)
    north_employee = positioning.create_employee(
        national,
        north,
        matricule="MAT-NORD-0017",
        last_name="NORDMANN",
        first_name="Alice",
        job_title="Assistante de direction",
        service="Direction",
        current_level=4,
    )
    south_employee = positioning.create_employee(
        national,
        south,
        matricule="MAT-SUD-0042",
        last_name="SUDRIE",
        first_name="Amédée",
        job_title="Comptable",
        service="Finances",
        current_level=5,
    )
    return Network(
        north, south, national, hr_north, reader_north, hr_south, north_employee, south_employee
    )


def hire_by_service(network: Network, edition) -> Network:
    """Three people in CCI Nord on the edition's first two reference jobs: T001 and T002
    in accounting (one on each job), T003 at reception (on the first job). The staff of
    the bulk-acceptance tests, over HTTP and on the command line."""
    titles = [job.title for job in edition.jobs.order_by("position")[:2]]
    for number, (title, service) in enumerate(
        [(titles[0], "Comptabilité"), (titles[1], "Comptabilité"), (titles[0], "Accueil")],
        start=1,
    ):
        positioning.create_employee(
            network.hr_north,
            network.north,
            matricule=f"T{number:03d}",
            last_name=f"NOM{number}",
            job_title=title,
            service=service,
        )
    return network
