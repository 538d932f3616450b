"""A publication's long read on the embedded database (a SQLite file) while others write,
run as a process of its own by ``test_sqlite_writers``: the test suite's own SQLite
database lives in memory, where locks behave otherwise.

    REPERTOIRE_HOME=<empty dir> python -m tests.concurrency.sqlite_publication

Migrates the database of ``REPERTOIRE_HOME``, loads the bundled edition, positions more
people than the publication reads at once (written in bulk: the scenario's data, not
what it tests) and copies the edition; then works out the campaign's carry-over while, before each
progress report the publication writes, a colleague comments a positioning on another
connection. Prints, as JSON, the progress reports written and the comments accepted.
"""

from __future__ import annotations

import json
import os
import threading

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "repertoire.settings")
os.environ.pop("DATABASE_URL", None)

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from repertoire.accounts.selectors import CommandLineOperator  # noqa: E402
from repertoire.catalog import services as catalog  # noqa: E402
from repertoire.organisation.models import Establishment  # noqa: E402
from repertoire.positioning import services  # noqa: E402
from repertoire.positioning.models import Employee, Positioning  # noqa: E402
from repertoire.positioning.services._common import BATCH  # noqa: E402
from repertoire.positioning.services.publication import plan_carry_over  # noqa: E402

PEOPLE = BATCH + 50


def main() -> dict:
    call_command("migrate", interactive=False, verbosity=0)
    edition = catalog.ensure_bundled_edition(author="test")
    operator = CommandLineOperator("test")
    place = services.create_establishment("CCI-FICHIER", "CCI Fichier", actor="test")
    job = edition.jobs.select_related("level").order_by("position").first()
    people = Employee.objects.bulk_create(
        Employee(
            establishment=place,
            matricule=f"P{number:04d}",
            last_name=f"NOM{number}",
            job_title=job.title,
        )
        for number in range(PEOPLE)
    )
    Positioning.objects.bulk_create(
        Positioning(
            employee=person,
            establishment=place,
            edition=edition,
            job=job,
            level=job.level.number,
            confidence=1.0,
            title_key=job.title.lower(),
        )
        for person in people
    )
    draft = catalog.copy_edition(operator, edition, label="suivante")
    someone = Positioning.objects.select_related("establishment").filter(edition=edition).first()
    reports: list[str] = []
    comments: list[str] = []

    def colleague_comments() -> None:
        services.comment(operator, someone, f"pendant la publication {len(comments)}")
        comments.append("ok")
        connection.close()

    def progress(fraction: float, stage: str) -> None:
        # A colleague's write commits first, then the publication reports its progress.
        other = threading.Thread(target=colleague_comments)
        other.start()
        other.join()
        Establishment.objects.filter(pk=place.pk).update(name=f"CCI Fichier {len(reports)}")
        reports.append(stage)

    plan = plan_carry_over(edition, draft, progress)
    return {"reports": len(reports), "comments": len(comments), "planned": len(plan.made)}


if __name__ == "__main__":
    print(json.dumps(main()))
