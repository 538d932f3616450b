"""A fake network to try the app: two establishments, one user per role, employees.

Names come from Faker (fr_FR); job titles are the appellations of the loaded edition,
so the matching engine has real work to do. Refused with production settings.
"""

from __future__ import annotations

import random
import secrets

from django.db import transaction
from faker import Faker

from repertoire.accounts import services as accounts
from repertoire.accounts.models import Role
from repertoire.catalog import selectors as catalog
from repertoire.core.refusals import Refused
from repertoire.positioning import services
from repertoire.positioning.models import Establishment

ESTABLISHMENTS = (
    ("DEMO-NORD", "CCI de démonstration Nord"),
    ("DEMO-SUD", "CCI de démonstration Sud"),
)
SERVICES = (
    "Direction générale",
    "Ressources humaines",
    "Comptabilité",
    "Formalités des entreprises",
    "Formation continue",
    "Apprentissage",
    "Appui aux entreprises",
    "Communication",
    "Moyens généraux",
    "Systèmes d'information",
)


class DemoExists(Refused):
    """The demo network is already there."""


@transaction.atomic
def create(*, employees_per_establishment: int, actor: str, seed: int = 2014) -> list[tuple]:
    """Create the demo network; returns (user name, role, establishment, password) rows."""
    if Establishment.objects.filter(code__in=[code for code, _ in ESTABLISHMENTS]).exists():
        raise DemoExists("le réseau de démonstration existe déjà")
    rng = random.Random(seed)
    fake = Faker("fr_FR")
    fake.seed_instance(seed)
    edition = catalog.get_edition()
    titles = [alias.title for alias in catalog.appellations_of(edition)] or [
        job.title for job in catalog.jobs_of(edition)
    ]
    places = [
        services.create_establishment(code, name, actor=actor) for code, name in ESTABLISHMENTS
    ]
    credentials = []

    def user(name: str, role: str, place: Establishment | None):
        password = secrets.token_urlsafe(12)
        created = accounts.create_user(
            name, role=role, password=password, establishment=place, actor=actor
        )
        credentials.append((name, role, place.code if place else "—", password))
        return created

    national = user("demo-national", Role.NATIONAL, None)
    for place in places:
        suffix = place.code.split("-")[-1].lower()
        user(f"demo-rh-{suffix}", Role.HR, place)
        user(f"demo-lecteur-{suffix}", Role.READER, place)
        for number in range(1, employees_per_establishment + 1):
            services.create_employee(
                national,
                place,
                matricule=f"{suffix[0].upper()}{number:05d}",
                last_name=fake.last_name().upper(),
                first_name=fake.first_name(),
                job_title=rng.choice(titles),
                service=rng.choice(SERVICES),
                hire_date=fake.date_between(start_date="-30y", end_date="-1m"),
            )
    return credentials
