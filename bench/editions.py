"""Editions benchmark: a new edition over a whole network's positionings, on PostgreSQL
(or on the embedded SQLite database, where the publication's write holds the only write
lock: every other writer waits for it, up to the busy timeout).

    .venv/bin/python bench/editions.py                               # 120 establishments, 26,000
    .venv/bin/python bench/editions.py --employees 3000 --establishments 12   # a fast check
    .venv/bin/python bench/editions.py --admin-url postgres://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/editions.py --sqlite                      # the embedded database

What it does, in one run:

1. Creates a scratch database ``bench_editions_<pid>`` (dropped at exit), migrates it,
   loads the bundled edition, creates the establishments (one of exactly 2,000 people)
   and the employees, each decided (validated) on a reference job of the edition, their
   local title being the job's title or one of its appellations. This set-up writes rows
   in bulk and is not measured.
2. Prepares the next edition through the services, as an administrator would: a copy,
   then degrees raised on a few jobs (their level follows), a few renamed, a few
   retired, one added from an announced title; publishes it.
3. Times, in process: the diff of the two editions; the national impact over every
   positioned person; the impact of the 2,000-person establishment alone; the pages
   (diff, impact, migration) through Django's test client; then the migration of the
   2,000-person establishment. The baseline, in the same run, is what an establishment
   would do without the mapping: the matching engine's proposals for the same 2,000
   people (``services.propose`` on the new edition). Last, the carry-over of the rest of
   the network's campaign to the new edition, as publishing through the page or the
   command runs it: worked out first, no lock held, then written in the publication's
   transaction (the time the editions and the campaign stay locked).

A benchmark prints figures; it never asserts.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from load import create_database, drop_database, with_database

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def timed(function, repeat: int = 1) -> tuple[float, object]:
    """Median wall time in seconds over ``repeat`` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def sizes(total: int, count: int, big: int) -> list[int]:
    """Unequal establishment sizes summing to ``total``, the first exactly ``big``."""
    rest = total - big
    rng = random.Random(7)
    weights = [rng.paretovariate(1.5) for _ in range(count - 1)]
    scale = rest / sum(weights)
    result = [big] + [max(1, int(w * scale)) for w in weights]
    result[-1] += total - sum(result)
    return result


def populate(employees: int, establishments: int, big: int):
    from repertoire.accounts.selectors import CommandLineOperator
    from repertoire.catalog import selectors as catalog
    from repertoire.catalog import services as catalog_services
    from repertoire.positioning.models import Employee, Establishment, Positioning

    edition = catalog_services.ensure_bundled_edition(author="bench")
    jobs = list(catalog.jobs_of(edition).select_related("level"))
    titles = {job.code: [job.title] for job in jobs}
    for alias in catalog.appellations_of(edition):
        titles[alias.job.code].append(alias.title)
    places = Establishment.objects.bulk_create(
        Establishment(code=f"CCI-{n:03d}", name=f"CCI n° {n}") for n in range(establishments)
    )
    rng = random.Random(11)
    people, positionings = [], []
    for place, size in zip(places, sizes(employees, establishments, big), strict=True):
        for n in range(size):
            job = rng.choice(jobs)
            people.append(
                Employee(
                    establishment=place,
                    matricule=f"{place.code}-{n:05d}",
                    last_name=f"NOM{n}",
                    first_name="Prénom",
                    job_title=rng.choice(titles[job.code]),
                )
            )
            positionings.append((job, place))
    Employee.objects.bulk_create(people, batch_size=2000)
    Positioning.objects.bulk_create(
        (
            Positioning(
                employee=person,
                edition=edition,
                establishment=place,
                job=job,
                level=job.level.number,
                status=Positioning.Status.VALIDATED,
                confidence=1.0,
                decided_by="bench",
            )
            for person, (job, place) in zip(people, positionings, strict=True)
        ),
        batch_size=2000,
    )
    return edition, places[0], CommandLineOperator("bench")


def next_edition(user, edition):
    """Copy, raise a few jobs' degrees, rename, retire, add an announced job, publish."""
    from repertoire.catalog import selectors as catalog
    from repertoire.catalog import services

    draft = services.copy_edition(user, edition, label="bench-suivante")
    jobs = list(catalog.jobs_of(draft))

    def form(job, **changes):
        return catalog.job_content(job) | changes

    for job in jobs[:5]:
        data = form(job)
        degrees = dict(data["degrees"])
        for code in degrees:
            degrees[code] = min(8, degrees[code] + 2)
        services.save_job(user, draft, job, **{**data, "degrees": degrees})
    for job in jobs[5:8]:
        services.save_job(user, draft, job, **form(job, title=f"{job.title} (nouvel intitulé)"))
    for job in jobs[8:11]:
        services.retire_job(user, job)
    services.save_job(user, draft, None, **form(jobs[20], title=draft.missing_jobs[0]))
    return services.publish_edition(user, draft)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=26000)
    parser.add_argument("--establishments", type=int, default=120)
    parser.add_argument("--big", type=int, default=2000, help="size of the largest establishment")
    parser.add_argument(
        "--admin-url",
        default=os.environ.get("BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
    )
    parser.add_argument(
        "--sqlite", action="store_true", help="the embedded SQLite database, not PostgreSQL"
    )
    arguments = parser.parse_args()
    if arguments.sqlite:
        with tempfile.TemporaryDirectory() as home:
            os.environ.pop("DATABASE_URL", None)
            os.environ.update(
                REPERTOIRE_HOME=home,
                DJANGO_SETTINGS_MODULE="repertoire.settings",
                REPERTOIRE_BACKGROUND_TASKS="inline",
            )
            run(arguments)
        return
    name = f"bench_editions_{os.getpid()}"
    create_database(arguments.admin_url, name)
    try:
        with tempfile.TemporaryDirectory() as home:
            os.environ.update(
                REPERTOIRE_HOME=home,
                DATABASE_URL=with_database(arguments.admin_url, name),
                DJANGO_SETTINGS_MODULE="repertoire.settings",
                REPERTOIRE_BACKGROUND_TASKS="inline",
            )
            run(arguments)
    finally:
        from django.db import connections

        connections.close_all()
        drop_database(arguments.admin_url, name)


def run(arguments) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client

    from repertoire.accounts import services as accounts
    from repertoire.catalog import selectors as catalog
    from repertoire.positioning import selectors, services
    from repertoire.positioning.models import Employee
    from repertoire.positioning.services.publication import carry_over as carry_over_campaign
    from repertoire.positioning.services.publication import plan_carry_over

    call_command("migrate", verbosity=0)
    print(f"Database: {connection.vendor}")
    started = time.perf_counter()
    edition, big, operator = populate(arguments.employees, arguments.establishments, arguments.big)
    print(
        f"Set-up: {arguments.employees} people decided in {arguments.establishments} "
        f"establishments ({time.perf_counter() - started:.1f} s, not measured)"
    )
    seconds, official = timed(lambda: next_edition(operator, edition))
    print(f"Next edition prepared and published through the services: {seconds:.2f} s")

    rows = []
    seconds, diff = timed(lambda: catalog.edition_diff(edition, official), repeat=5)
    rows.append(("Diff of the two editions (51 jobs)", seconds, str(diff.summary())))
    seconds, impact = timed(lambda: selectors.edition_impact(operator, edition, official), repeat=3)
    total = impact.total
    rows.append(
        (
            f"Impact, whole network ({total.positioned} people)",
            seconds,
            f"{total.affected} affected: {total.change_job} change job, {total.renamed} renamed, "
            f"{total.job_level_up} job level up",
        )
    )
    seconds, _ = timed(
        lambda: selectors.edition_impact(operator, edition, official, establishment=big), repeat=5
    )
    rows.append((f"Impact, one establishment ({arguments.big} people)", seconds, ""))

    national = accounts.create_user(
        "bench-national", role="national", password="un-mot-de-passe-bench-2015",
        establishment=None, actor="bench",
    )  # fmt: skip
    client = Client(HTTP_HOST="localhost")
    client.force_login(national)
    query = f"?de={edition.label}&a={official.label}"
    for label, url in (
        ("Diff page", f"/editions/comparer/{query}"),
        ("Impact page (national)", f"/positionnement/impact/{query}"),
        (f"Migration page ({arguments.big} people)", f"/positionnement/{big.code}/migration/"),
    ):
        client.get(url)  # warm-up: indexes built once per process
        seconds, response = timed(lambda url=url: client.get(url), repeat=10)
        rows.append((f"{label}, Django test client", seconds, f"HTTP {response.status_code}"))

    seconds, result = timed(
        lambda: services.migrate_establishment(operator, big, source=edition, target=official)
    )
    rows.append(
        (f"Migration of {arguments.big} people", seconds, f"{result.mapped} mapped, "
         f"{result.proposed} by the engine")
    )  # fmt: skip
    people = list(Employee.objects.filter(establishment=big))
    seconds, count = timed(lambda: services.propose(people, actor="bench", edition=official))
    rows.append((f"Baseline: engine proposals for the same {arguments.big}", seconds, f"{count}"))

    # What publishing through the page or the command adds to the catalog's publication:
    # the rest of the network's campaign carried over, worked out first (no lock held),
    # then written in the publication's transaction.
    seconds, plan = timed(lambda: plan_carry_over(edition, official))
    rows.append((f"Carry-over worked out ({len(plan.made)} people), no lock held", seconds, ""))

    def carry_over():
        with transaction.atomic():
            return carry_over_campaign(operator, edition, official, plan=plan)

    seconds, carried = timed(carry_over)
    rows.append(
        (
            f"Carry-over written ({carried.total} people), in the transaction",
            seconds,
            f"{carried.kept} kept, {carried.review} back to review, "
            f"{carried.proposed} proposed, {carried.appeals} appeals",
        )
    )

    width = max(len(row[0]) for row in rows)
    print()
    print(f"{'Figure'.ljust(width)}  {'median':>9}  notes")
    for label, seconds, notes in rows:
        print(f"{label.ljust(width)}  {seconds * 1000:7.1f} ms  {notes}")


if __name__ == "__main__":
    main()
