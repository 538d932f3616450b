"""Equal-pay benchmark: the network's pay-gap report for 26,000 people, on PostgreSQL.

    .venv/bin/python bench/pay.py                          # 120 establishments, 26,000 people
    .venv/bin/python bench/pay.py --employees 3000 --establishments 12   # a fast check
    .venv/bin/python bench/pay.py --rebuild                # rebuild the bench's data
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/pay.py

What it does, in one run:

1. Works in a database of its own, ``repertoire_bench_pay`` (``--name``) on the server of
   ``DATABASE_URL`` (default ``postgres://postgres@127.0.0.1:5432/test``, only used to
   create it): creates it when absent and keeps it afterwards, so that the next run
   reuses the data. It never drops a database; ``--rebuild`` deletes only the rows this
   benchmark wrote (its ``PAY-…`` establishments and their people).
2. Builds, when absent, ``--employees`` people in ``--establishments`` establishments of
   unequal sizes (``bench/positioning.py``'s), each with a decided positioning on a
   reference job of the edition in force (validated, notified or confirmed) and a pay
   record for the year: sex (women's share falling with the level), base pay by level
   with some gap between the sexes, variable pay for about half, a share of full time of
   1, 0.8 or 0.5. Rows are written with ``bulk_create``: the import path is
   ``bench/positioning.py``'s subject, not this one's.
3. Times the network report through the app, ``repertoire.pay.selectors.gap_report`` as a
   national administrator (the path of ``GET /api/pay-gap`` and ``repertoire pay-gap``:
   positionings and pay records through the ORM, then ``core.pay.pay_gap_report``), by
   level and by job, and against it a baseline written here in plain Python straight from
   two ``values_list()`` queries (pandas is not a dependency). Each is run ``--repeat``
   times; the best and the median are printed, with the SQL statement count.
4. Checks that both give the same figures: the whole report, every indicator and every
   category, equal as JSON.

A benchmark prints figures; it never asserts (exit status 0 even when the figures differ,
which it prints as a difference).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import tempfile
import time
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
from load import with_database
from positioning import establishment_sizes
from psycopg import sql

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/test"
DEFAULT_NAME = "repertoire_bench_pay"
DEFAULT_EMPLOYEES = 26_000
DEFAULT_ESTABLISHMENTS = 120
BIG_ESTABLISHMENT = 2_000
CODE_PREFIX = "PAY-"
YEAR = 2024
SEED = 2023_970
BATCH = 2_000


def say(text: str = "") -> None:
    print(text, flush=True)


# --- the database ----------------------------------------------------------------------


def ensure_database(server_url: str, name: str) -> bool:
    """Create the bench's database when absent; whether it was created now."""
    with psycopg.connect(server_url, autocommit=True, connect_timeout=5) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
        ).fetchone()
        if exists:
            return False
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return True


def start_django(database_url: str, home: Path) -> None:
    for variable in ("DJANGO_SETTINGS_MODULE", "REPERTOIRE_DEBUG"):
        os.environ.pop(variable, None)
    os.environ.update(
        DATABASE_URL=database_url,
        REPERTOIRE_HOME=str(home),
        DJANGO_SETTINGS_MODULE="repertoire.settings",
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from repertoire.catalog import services

    services.ensure_bundled_edition(author="bench")


# --- the population --------------------------------------------------------------------


def present(employees: int, establishments: int) -> bool:
    """Whether the bench's data of these sizes is in the database already."""
    from repertoire.organisation.models import Establishment
    from repertoire.positioning.models import PayRecord

    ours = Establishment.objects.filter(code__startswith=CODE_PREFIX)
    records = PayRecord.objects.filter(year=YEAR, employee__establishment__in=ours)
    return ours.count() == establishments and records.count() == employees


def delete_ours() -> int:
    """Delete the rows this benchmark wrote (its establishments and their people)."""
    from django.db import transaction

    from repertoire.organisation.models import Establishment
    from repertoire.positioning.models import Employee, PayRecord, Positioning

    ours = Establishment.objects.filter(code__startswith=CODE_PREFIX)
    with transaction.atomic():
        PayRecord.objects.filter(employee__establishment__in=ours).delete()
        Positioning.objects.filter(establishment__in=ours).delete()
        deleted, _ = Employee.objects.filter(establishment__in=ours).delete()
        ours.delete()
    return deleted


def women_share(level: int) -> float:
    """Women are most of the lower levels and fewer at the top, as in many networks."""
    return max(0.25, 0.78 - 0.07 * (level - 1))


def pay_of(rng: random.Random, level: int, sex: str) -> tuple[Decimal, Decimal, Decimal]:
    """Annual gross base and variable pay as paid, and the share of full time."""
    full_time = 22_000 + 5_500 * (level - 1) + rng.gauss(0, 1_800 + 400 * level)
    if sex == "M":
        full_time *= 1 + rng.uniform(0.0, 0.02 * level)  # a gap growing with the level
    share = rng.choices((Decimal(1), Decimal("0.8"), Decimal("0.5")), (0.82, 0.12, 0.06))[0]
    receives = rng.random() < (0.42 if sex == "F" else 0.55) + 0.03 * level
    variable = rng.uniform(300, 1_200 + 600 * level) if receives else 0.0
    cents = Decimal("0.01")
    base = (Decimal(str(max(full_time, 18_000.0))) * share).quantize(cents)
    return base, (Decimal(str(variable)) * share).quantize(cents), share


def build(employees: int, establishments: int) -> None:
    from django.db import transaction

    from repertoire.catalog import selectors as catalog
    from repertoire.organisation.models import Establishment
    from repertoire.positioning.models import Employee, PayRecord, Positioning

    rng = random.Random(SEED)
    edition = catalog.get_edition()
    jobs = list(catalog.jobs_of(edition).select_related("level"))
    # Jobs of the lower levels hold more people.
    weights = [rng.lognormvariate(0, 0.7) * (9 - job.level.number) for job in jobs]
    statuses = (
        Positioning.Status.VALIDATED,
        Positioning.Status.NOTIFIED,
        Positioning.Status.CONFIRMED,
    )
    sizes = establishment_sizes(
        employees, establishments, min(BIG_ESTABLISHMENT, employees // 2 or 1), rng
    )
    with transaction.atomic():
        places = Establishment.objects.bulk_create(
            Establishment(code=f"{CODE_PREFIX}{number:03d}", name=f"CCI de banc d'essai {number}")
            for number in range(len(sizes))
        )
        people, placed = [], []
        for place, size in zip(places, sizes, strict=True):
            for index in range(size):
                job = rng.choices(jobs, weights)[0]
                people.append(
                    Employee(
                        establishment=place,
                        matricule=f"{index:05d}",
                        last_name=f"NOM{index}",
                        job_title=job.title,
                    )
                )
                placed.append(job)
        people = Employee.objects.bulk_create(people, batch_size=BATCH)
        Positioning.objects.bulk_create(
            (
                Positioning(
                    employee=person,
                    edition=edition,
                    establishment_id=person.establishment_id,
                    job=job,
                    status=rng.choice(statuses),
                    confidence=1.0,
                )
                for person, job in zip(people, placed, strict=True)
            ),
            batch_size=BATCH,
        )
        records = []
        for person, job in zip(people, placed, strict=True):
            level = job.level.number
            sex = "F" if rng.random() < women_share(level) else "M"
            base, variable, share = pay_of(rng, level, sex)
            records.append(
                PayRecord(
                    employee=person,
                    year=YEAR,
                    reference_date=f"{YEAR}-12-31",
                    sex=sex,
                    base_pay=base,
                    variable_pay=variable,
                    working_time=share,
                )
            )
        PayRecord.objects.bulk_create(records, batch_size=BATCH)


# --- the baseline: plain Python from values_list() -------------------------------------

TENTH = Decimal("0.1")
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")


def baseline_report(year: int) -> dict:
    """The network report computed here from two flat queries, without the app's rules:
    the same definitions (FTE pay, gaps, small groups, quartile bands, categories)."""
    from repertoire.catalog import selectors as catalog
    from repertoire.core.positioning import DECIDED
    from repertoire.positioning.models import PayRecord, Positioning

    levels = {}
    for employee, job_level, evaluation_level in Positioning.objects.filter(
        edition=catalog.get_edition(),
        status__in=DECIDED,
        employee__pseudonymised_at__isnull=True,
    ).values_list("employee_id", "job__level__number", "evaluation__level"):
        level = job_level if job_level is not None else evaluation_level
        if level is not None:
            levels[employee] = level
    people = []  # (sex, level, FTE base, FTE variable, FTE total)
    for employee, sex, base, variable, share in PayRecord.objects.filter(
        year=year, employee__pseudonymised_at__isnull=True
    ).values_list("employee_id", "sex", "base_pay", "variable_pay", "working_time"):
        if employee in levels:
            people.append(
                (sex, levels[employee], base / share, variable / share, (base + variable) / share)
            )
    return network_figures(people, year)


def _pct(value):
    if value is None:
        return None
    return float(value.quantize(TENTH, rounding=ROUND_HALF_UP)) + 0.0


def _mean(values):
    return sum(values, Decimal(0)) / len(values)


def _median(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _gap(women, men, average):
    """The exact gap (None under 3 of either sex, or when men's value is 0)."""
    if len(women) < 3 or len(men) < 3:
        return None
    men_value = average(men)
    return None if men_value == 0 else (men_value - average(women)) / men_value * 100


def network_figures(people: list[tuple], year: int) -> dict:
    women = [p for p in people if p[0] == "F"]
    men = [p for p in people if p[0] == "M"]
    enough = len(women) >= 3 and len(men) >= 3
    paid_w = [p[3] for p in women if p[3] > 0]
    paid_m = [p[3] for p in men if p[3] > 0]
    variable_ok = enough and len(paid_w) >= 3 and len(paid_m) >= 3

    def share(paid, everyone):
        return _pct(Decimal(len(paid)) / len(everyone) * 100) if enough else None

    by_level = defaultdict(list)
    for person in people:
        by_level[person[1]].append(person)
    categories = []
    for level in sorted(by_level):
        members = by_level[level]
        w = [p for p in members if p[0] == "F"]
        m = [p for p in members if p[0] == "M"]
        mean_gap = _gap([p[4] for p in w], [p[4] for p in m], _mean)
        categories.append(
            {
                "category": f"niveau {ROMAN[level - 1]}",
                "women": len(w),
                "men": len(m),
                "insufficient": len(w) < 3 or len(m) < 3,
                "mean_gap_pct": _pct(mean_gap),
                "median_gap_pct": _pct(_gap([p[4] for p in w], [p[4] for p in m], _median)),
                "base_mean_gap_pct": _pct(_gap([p[2] for p in w], [p[2] for p in m], _mean)),
                "variable_mean_gap_pct": _pct(_gap([p[3] for p in w], [p[3] for p in m], _mean)),
                "flag": mean_gap is not None and abs(_pct(mean_gap)) >= 5,
            }
        )
    return {
        "scope": "network",
        "year": year,
        "population": {"women": len(women), "men": len(men)},
        "mean_gap_pct": _pct(_gap([p[4] for p in women], [p[4] for p in men], _mean)),
        "median_gap_pct": _pct(_gap([p[4] for p in women], [p[4] for p in men], _median)),
        "variable_mean_gap_pct": _pct(_gap(paid_w, paid_m, _mean) if variable_ok else None),
        "variable_median_gap_pct": _pct(_gap(paid_w, paid_m, _median) if variable_ok else None),
        "variable_share": {
            "women": share(paid_w, women),
            "men": share(paid_m, men),
        },
        "quartiles": quartiles(people, enough),
        "categories": categories,
    }


def quartiles(people: list[tuple], shown: bool) -> list[dict]:
    """Four bands by FTE total pay, the lowest first, the first ``r`` one person larger;
    in a tie, women and men alternately, a woman first."""
    ties = defaultdict(lambda: ([], []))
    for person in people:
        ties[person[4]][0 if person[0] == "F" else 1].append(person[0])
    ordered = []
    for total in sorted(ties):
        women, men = ties[total]
        for index in range(max(len(women), len(men))):
            ordered += women[index : index + 1] + men[index : index + 1]
    size, extra = divmod(len(ordered), 4)
    bands, start = [], 0
    for index in range(4):
        count = size + (1 if index < extra else 0)
        band = ordered[start : start + count]
        start += count
        women = band.count("F")
        visible = shown and bool(band)
        bands.append(
            {
                "quartile": index + 1,
                "women_pct": _pct(Decimal(women) / len(band) * 100) if visible else None,
                "men_pct": _pct(Decimal(len(band) - women) / len(band) * 100) if visible else None,
            }
        )
    return bands


# --- timing ----------------------------------------------------------------------------


def timed(function, repeat: int) -> tuple[object, list[float], int]:
    """The result, the wall times of ``repeat`` runs and the SQL statements of one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, result, statements = [], None, 0
    for run in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            result = function()
            times.append(time.perf_counter() - started)
        if run == 0:
            statements = len(queries)
    return result, times, statements


def differences(ours: dict, theirs: dict, path: str = "") -> list[str]:
    if isinstance(ours, dict) and isinstance(theirs, dict):
        found = []
        for key in dict.fromkeys([*ours, *theirs]):
            found += differences(ours.get(key), theirs.get(key), f"{path}.{key}")
        return found
    if isinstance(ours, list) and isinstance(theirs, list) and len(ours) == len(theirs):
        found = []
        for index, (a, b) in enumerate(zip(ours, theirs, strict=True)):
            found += differences(a, b, f"{path}[{index}]")
        return found
    return [] if ours == theirs else [f"{path}: app {ours!r}, baseline {theirs!r}"]


def seconds(times: list[float]) -> str:
    return f"best {min(times) * 1000:7.0f} ms   median {statistics.median(times) * 1000:7.0f} ms"


# --- main ------------------------------------------------------------------------------


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=DEFAULT_EMPLOYEES, help="(26,000)")
    parser.add_argument("--establishments", type=int, default=DEFAULT_ESTABLISHMENTS, help="(120)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each report (5)")
    parser.add_argument(
        "--name", default=DEFAULT_NAME, help=f"the bench's database ({DEFAULT_NAME})"
    )
    parser.add_argument("--rebuild", action="store_true", help="rewrite the bench's rows")
    arguments = parser.parse_args()
    if arguments.establishments < 1 or arguments.employees < arguments.establishments:
        parser.error("--employees must be at least --establishments, itself at least 1")
    arguments.server_url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    if not arguments.server_url.startswith("postgres"):
        parser.error("DATABASE_URL must be a PostgreSQL URL")
    if urlsplit(arguments.server_url).path.lstrip("/") == arguments.name:
        parser.error("--name must differ from DATABASE_URL's database")
    return arguments


def main() -> None:
    arguments = parse_arguments()
    load = os.getloadavg()[0]
    database_url = with_database(arguments.server_url, arguments.name)
    created = ensure_database(arguments.server_url, arguments.name)
    say(
        f"Database {arguments.name} on {urlsplit(database_url).hostname}: "
        f"{'created' if created else 'found'} (kept after the run)"
    )
    started = time.perf_counter()
    start_django(database_url, Path(tempfile.mkdtemp(prefix="bench-pay-")))
    say(f"  schema and bundled edition: {time.perf_counter() - started:.1f} s")

    if arguments.rebuild or not present(arguments.employees, arguments.establishments):
        removed = delete_ours()
        if removed:
            say(f"  {removed:,} rows of an earlier build deleted (this benchmark's own)")
        started = time.perf_counter()
        build(arguments.employees, arguments.establishments)
        say(
            f"  built {arguments.employees:,} people with decided positionings and {YEAR} pay in "
            f"{arguments.establishments} establishments: {time.perf_counter() - started:.1f} s"
        )
    else:
        say(
            f"  reusing {arguments.employees:,} people in {arguments.establishments} establishments"
        )

    from repertoire.accounts.selectors import CommandLineOperator
    from repertoire.pay import selectors

    national = CommandLineOperator("bench")
    app, app_times, app_queries = timed(
        lambda: selectors.gap_report(national, year=YEAR), arguments.repeat
    )
    _, job_times, job_queries = timed(
        lambda: selectors.gap_report(national, year=YEAR, by="job"), arguments.repeat
    )
    base, base_times, base_queries = timed(lambda: baseline_report(YEAR), arguments.repeat)
    found = differences(app, base)

    population = app["population"]
    say()
    say(
        f"Network pay-gap report, {YEAR}: {population['women']:,} women, {population['men']:,} "
        f"men, {len(app['categories'])} levels, {arguments.repeat} runs each"
    )
    say(f"  app: pay.selectors.gap_report, by level   {seconds(app_times)}   {app_queries} SQL")
    say(f"  app: pay.selectors.gap_report, by job     {seconds(job_times)}   {job_queries} SQL")
    say(f"  baseline: plain Python on values_list()   {seconds(base_times)}   {base_queries} SQL")
    say(
        f"  app ÷ baseline (best): {min(app_times) / min(base_times):.1f}×  (pandas "
        f"{'not installed' if not has_pandas() else 'installed, not used'})"
    )
    say()
    say(
        f"  mean gap {app['mean_gap_pct']} %, median gap {app['median_gap_pct']} %, variable "
        f"mean {app['variable_mean_gap_pct']} %, median {app['variable_median_gap_pct']} %; "
        f"receiving variable pay: women {app['variable_share']['women']} %, men "
        f"{app['variable_share']['men']} %"
    )
    say(
        "  quartiles (women %): "
        + ", ".join(f"Q{q['quartile']} {q['women_pct']}" for q in app["quartiles"])
    )
    say(
        "  levels flagged (mean gap ≥ 5 %): "
        + (
            ", ".join(
                f"{c['category']} ({c['mean_gap_pct']} %)" for c in app["categories"] if c["flag"]
            )
            or "none"
        )
    )
    if found:
        say(f"  SAME FIGURES: NO, {len(found)} difference(s):")
        for line in found[:20]:
            say(f"    {line}")
    else:
        say("  same figures: yes (the whole report, every indicator and level, equal as JSON)")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    say()
    say(
        f"Machine: {os.cpu_count()} cores ({platform.machine()}), "
        f"{platform.python_implementation()} {platform.python_version()}; PostgreSQL {version}; "
        f"load average {load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end"
    )


def has_pandas() -> bool:
    try:
        import pandas  # noqa: F401
    except ImportError:
        return False
    return True


if __name__ == "__main__":
    main()
