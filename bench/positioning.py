"""Positioning benchmark: importing a network's employees with proposals, on PostgreSQL.

    .venv/bin/python bench/positioning.py                      # 120 establishments, 26,000 people
    .venv/bin/python bench/positioning.py --employees 3000 --establishments 12   # a fast check
    .venv/bin/python bench/positioning.py --profile            # cProfile of the imports
    .venv/bin/python bench/positioning.py --no-http --keep-database   # no gunicorn; keep the data
    .venv/bin/python bench/positioning.py --admin-url postgres://postgres@127.0.0.1:5432/postgres

What it does, in one run:

1. Creates a scratch PostgreSQL database ``bench_positioning_<pid>`` through
   ``--admin-url`` (dropped at exit, whatever happens), migrates it and loads the bundled
   edition; creates the establishments (realistic unequal sizes, one of exactly 2,000
   employees) and an HR officer of the 2,000-employee one.
2. Writes each establishment's HR export into a temporary directory: CSV in Windows-1252
   with ``;`` and French headers for most, XLSX (openpyxl) for every 7th. Job titles
   are drawn from the dev set (``../shared/data/intitules-dev.csv``, as
   ``bench/matching.py`` finds it) with the noise of payroll exports: capitals, accents
   dropped, the other gender form, short forms, an occasional typo, "(H/F)". Each
   establishment has its own few spellings of a title, as a payroll system does; each
   employee keeps the dev label (the accepted reference jobs) to measure precision.
3. Imports every file in a fresh process, through the path of ``repertoire employees
   import``: ``core.payroll.read_payroll`` then ``positioning.services.import_employees``
   as ``CommandLineOperator``. Import time is the wall time of all the imports (with
   the one matching-index build of the process); peak memory is that process's peak
   resident memory (``VmHWM``: ``ru_maxrss`` would carry the parent's peak across fork);
   its CPU time and SQL statement count are printed too, figures that other work on the
   machine does not skew. Then re-imports the 2,000-employee file unchanged: its time,
   and that it wrote nothing. The baseline is ``services.create_employee`` row by row
   (one transaction and one proposal per employee) on a sample, extrapolated to the
   whole network.
4. Share of proposals scoring at least ``REPERTOIRE_BULK_ACCEPT_THRESHOLD`` and the
   precision of their first proposal against the dev labels; top-1 and top-3 overall.
5. The worklist of the 2,000-employee establishment: in process (``title_groups`` and
   the first page of ``positionings_for``; the whole view through Django's test
   client), then over HTTP against gunicorn (as
   ``bench/load.py`` starts it): signs in as its HR officer through the login form and
   requests ``/positionnement/<code>/``, a title group (``?groupe=<title_key>``) and
   ``/api/positionings?establishment=<code>&limit=100``, each ``--requests`` times
   after a warm-up; a URL the app does not serve yet (404) is reported and skipped.
6. Times ``bulk_accept`` on that establishment, then prints the targets with ✓/✗:
   import ≤ 60 s, peak memory ≤ 500 MB, worklist page p95 ≤ 200 ms.

A benchmark prints figures; it never asserts (exit status 0 even when a target is missed).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import http.client
import io
import json
import os
import platform
import re
import resource
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

# The helpers of the load benchmark (scratch database, gunicorn, HTTP client) and the
# server's start and stop (bench/server.py).
from load import (
    Client,
    app_environment,
    create_database,
    drop_database,
    gunicorn_command,
    percentile,
    with_database,
)
from server import HOST, free_port, launch, stop, wait_until_serving

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "data" / "intitules-dev.csv"
DEFAULT_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
DEFAULT_EMPLOYEES = 26_000
DEFAULT_ESTABLISHMENTS = 120
BIG_ESTABLISHMENT = 2_000
BIG_CODE = "CCI-000"
BASELINE_CODE = "BASELINE"
BASELINE_SAMPLE = 300
DEFAULT_REQUESTS = 50
WARM_UP_REQUESTS = 3
PAGE_SIZE = 50  # first page of the worklist, in process
XLSX_EVERY = 7  # every 7th establishment exports XLSX, the others CSV
TARGET_IMPORT_S = 60.0
TARGET_PEAK_MB = 500.0
TARGET_PAGE_P95_MS = 200.0
THRESHOLDS = (0.8, 0.9)  # shown beside the bulk-acceptance threshold
CHILD_TIMEOUT = 1800.0
SEED = 2014


def say(text: str = "") -> None:
    print(text, flush=True)


# --- the network: sizes, titles, files ----------------------------------------------------


def establishment_sizes(total: int, count: int, big: int, rng) -> list[int]:
    """``count`` sizes summing to ``total``: the first is ``big``, the others lognormal."""
    if count == 1:
        return [total]
    big = max(1, min(big, total - (count - 1)))
    rest = total - big
    # Capped weights: no other establishment outgrows the big one.
    weights = [min(rng.lognormvariate(0, 0.8), 6.0) for _ in range(count - 1)]
    scale = rest / sum(weights)
    sizes = [max(1, int(w * scale)) for w in weights]
    order = sorted(range(len(sizes)), key=lambda i: -(weights[i] * scale - sizes[i]))
    step = 0
    while sum(sizes) != rest:
        i = order[step % len(order)]
        if sum(sizes) < rest:
            sizes[i] += 1
        elif sizes[i] > 1:
            sizes[i] -= 1
        step += 1
    return [big, *sizes]


@dataclass(frozen=True)
class DevTitle:
    title: str
    service: str
    accepted: frozenset[str]  # reference job codes


def dev_titles(path: Path) -> list[DevTitle]:
    from repertoire.bundled import bundled_document

    by_heading = {job.heading: job.code for job in bundled_document().jobs}
    with path.open(encoding="utf-8") as handle:
        return [
            DevTitle(
                row["intitule"],
                row.get("service") or "",
                frozenset(by_heading[h.strip()] for h in row["emplois_acceptes"].split("|")),
            )
            for row in csv.DictReader(handle)
        ]


# Feminine and masculine forms, both ways.
GENDER_FORMS = {
    "assistante": "assistant",
    "conseillère": "conseiller",
    "formatrice": "formateur",
    "chargée": "chargé",
    "technicienne": "technicien",
    "directrice": "directeur",
    "contrôleuse": "contrôleur",
    "animatrice": "animateur",
    "employée": "employé",
    "attachée": "attaché",
    "opératrice": "opérateur",
    "statisticienne": "statisticien",
    "acheteuse": "acheteur",
    "coordinatrice": "coordinateur",
    "commerciale": "commercial",
    "administrative": "administratif",
}
GENDER_FORMS |= {masculine: feminine for feminine, masculine in GENDER_FORMS.items()}
SHORT_FORMS = (
    ("ressources humaines", "RH"),
    ("assistante", "Asst"),
    ("assistant", "Asst"),
    ("responsable", "Resp."),
    ("technicienne", "Tech."),
    ("technicien", "Tech."),
    ("gestionnaire", "Gest."),
    ("conseillère", "Cons."),
    ("conseiller", "Cons."),
    ("administrative", "admin."),
    ("administratif", "admin."),
    ("directeur", "Dir."),
    ("communication", "com."),
    ("développement", "dév."),
    ("formation", "form."),
)
SUFFIXES = (" (H/F)", " H/F", " (F/H)", " - CDD")


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def same_case(word: str, like: str) -> str:
    if like.isupper() and len(like) > 1:
        return word.upper()
    return word[:1].upper() + word[1:] if like[:1].isupper() else word


def other_gender(title: str) -> str:
    words = title.split(" ")
    for i, word in enumerate(words):
        other = GENDER_FORMS.get(word.lower())
        if other and other != word.lower():
            words[i] = same_case(other, word)
            return " ".join(words)
    return title


def short_form(title: str) -> str:
    lower = title.lower()
    for long, short in SHORT_FORMS:
        start = lower.find(long)
        if start >= 0:
            return title[:start] + short + title[start + len(long) :]
    return title


def typo(title: str, rng) -> str:
    words = [i for i, word in enumerate(title.split(" ")) if len(word) >= 5 and word.isalpha()]
    if not words:
        return title
    parts = title.split(" ")
    i = rng.choice(words)
    word = parts[i]
    j = rng.randrange(1, len(word) - 2)
    kind = rng.choice(("swap", "drop", "double"))
    if kind == "swap":
        word = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
    elif kind == "drop":
        word = word[:j] + word[j + 1 :]
    else:
        word = word[:j] + word[j] + word[j:]
    parts[i] = word
    return " ".join(parts)


@dataclass(frozen=True)
class Style:
    """How one establishment's payroll system writes titles."""

    upper: bool
    accents: bool
    service: bool  # the export has a service column


def spelling(title: str, style: Style, rng) -> str:
    """One local spelling of a dev title, as a payroll export may hold it."""
    if rng.random() < 0.35:
        title = other_gender(title)
    if rng.random() < 0.2:
        title = short_form(title)
    if rng.random() < 0.08:
        title = typo(title, rng)
    if rng.random() < 0.12:
        title += rng.choice(SUFFIXES)
    if not style.accents or rng.random() < 0.15:
        title = strip_accents(title)
    if style.upper or rng.random() < 0.1:
        title = title.upper()
    return title


@dataclass
class EstablishmentFile:
    code: str
    name: str
    size: int
    path: str
    format: str


@dataclass
class Network:
    files: list[EstablishmentFile]
    labels: dict[tuple[str, str], DevTitle]  # (code, matricule) → its dev title and label
    rows: list[tuple[str, dict]]  # (code, employee fields): the baseline's sample
    distinct_titles: int


CSV_HEADERS = (
    # (matricule, last name, first name, title, service, hire date, extra) in the words of
    # a few French payroll systems; the extra column is a level or one the app ignores.
    ("Matricule", "Nom", "Prénom", "Intitulé du poste", "Service", "Date d'entrée", "Niveau"),
    ("N° matricule", "NOM", "PRENOM", "Libellé emploi", "Direction", "Date d'embauche", "Temps"),
    ("Matricule", "Nom usuel", "Prénom", "Fonction", "Service", "Date entrée", "Classification"),
)
XLSX_HEADERS = ("Matricule", "NOM", "Prénom", "Poste", "Service", "Date d'entrée", "Niveau")
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")


def level_cell(rng, kind: str) -> str:
    if kind == "Temps":
        return rng.choice(("100%", "80%", "50%", "100%"))
    if rng.random() < 0.3:
        return ""
    level = rng.randint(1, 8)
    return rng.choice((str(level), ROMAN[level - 1], f"N{level}", f"niveau {ROMAN[level - 1]}"))


def generate(employees: int, establishments: int, directory: Path) -> Network:
    import random

    from faker import Faker

    rng = random.Random(SEED)
    fake = Faker("fr_FR")
    fake.seed_instance(SEED)
    titles = dev_titles(DEV)
    sizes = establishment_sizes(
        employees, establishments, min(BIG_ESTABLISHMENT, employees // 2 or 1), rng
    )
    files, labels, rows, distinct = [], {}, [], 0
    for number, size in enumerate(sizes):
        code = BIG_CODE if number == 0 else f"CCI-{number:03d}"
        style = Style(
            upper=rng.random() < 0.3, accents=rng.random() < 0.8, service=rng.random() < 0.9
        )
        xlsx = number % XLSX_EVERY == XLSX_EVERY - 1
        spellings: dict[int, list[str]] = {}
        # Each establishment has its own mix of titles; over the network every dev title
        # evaluates about the same, so the precision is that of the dev set, with noise.
        weights = [rng.lognormvariate(0, 0.6) for _ in titles]
        table = []
        for index in range(1, size + 1):
            source = rng.choices(range(len(titles)), weights)[0]
            dev = titles[source]
            if source not in spellings:
                count = 1 + (rng.random() < 0.4) + (rng.random() < 0.15)
                spellings[source] = [spelling(dev.title, style, rng) for _ in range(count)]
            options = spellings[source]
            title = rng.choices(options, (0.7, 0.2, 0.1)[: len(options)])[0]
            matricule = f"{number:03d}{index:05d}"
            fields = {
                "matricule": matricule,
                "last_name": fake.last_name().upper(),
                "first_name": fake.first_name(),
                "job_title": title,
                "service": dev.service if style.service else "",
                "hire_date": dt.date(1985, 1, 1) + dt.timedelta(days=rng.randrange(14_600)),
            }
            labels[(code, matricule)] = dev
            table.append(fields)
            rows.append((code, fields))
        distinct += len({title for options in spellings.values() for title in options})
        if xlsx:
            path = directory / f"{code}.xlsx"
            path.write_bytes(xlsx_file(table, rng))
        else:
            path = directory / f"{code}.csv"
            path.write_bytes(csv_file(table, CSV_HEADERS[number % len(CSV_HEADERS)], style, rng))
        files.append(
            EstablishmentFile(
                code, f"CCI de banc d'essai n° {number}", size, str(path), path.suffix[1:]
            )
        )
    return Network(files, labels, rows, distinct)


def csv_file(table: list[dict], headers: tuple[str, ...], style: Style, rng) -> bytes:
    headers = headers if style.service else headers[:4] + headers[5:]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    for fields in table:
        row = [
            fields["matricule"],
            fields["last_name"],
            fields["first_name"],
            fields["job_title"],
            *([fields["service"]] if style.service else []),
            fields["hire_date"].strftime("%d/%m/%Y"),
            level_cell(rng, headers[-1]),
        ]
        writer.writerow(row)
    return buffer.getvalue().encode("cp1252", errors="replace")


def xlsx_file(table: list[dict], rng) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Personnel")
    sheet.append(XLSX_HEADERS)
    for fields in table:
        level = rng.randint(1, 8) if rng.random() < 0.7 else None
        sheet.append(
            [
                fields["matricule"],
                fields["last_name"],
                fields["first_name"],
                fields["job_title"],
                fields["service"],
                dt.datetime.combine(fields["hire_date"], dt.time()),
                level,
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- the imports, in a fresh process -----------------------------------------------------


def peak_rss_kib() -> int:
    """This process's peak resident memory, in KiB.

    ``ru_maxrss`` would do, but Linux carries the parent's peak into a child across fork
    and exec; the high-water mark of the process's own memory (``VmHWM``) starts afresh.
    """
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def child(workdir: Path, profile: bool) -> None:
    """Import every file of the manifest; write the figures to ``result.json``."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "repertoire.settings")
    import django

    django.setup()
    from django.db import connection

    from repertoire.accounts.selectors import CommandLineOperator
    from repertoire.catalog import selectors as catalog
    from repertoire.core.payroll import read_payroll
    from repertoire.positioning import services
    from repertoire.positioning.models import Establishment

    manifest = json.loads((workdir / "manifest.json").read_text())
    rss_start = peak_rss_kib()
    operator = CommandLineOperator("cli:bench")
    places = {place.code: place for place in Establishment.objects.all()}
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    queries = [0]

    def count_query(execute, sql, params, many, context):
        queries[0] += 1
        return execute(sql, params, many, context)

    cpu = _cpu_seconds()
    started = time.perf_counter()
    # The one matching-index build of the process, as `repertoire employees import` pays it.
    catalog.matching_index(catalog.get_edition())
    index_seconds = time.perf_counter() - started
    files = []
    with connection.execute_wrapper(count_query):
        for entry in manifest["files"]:
            began = time.perf_counter()
            payroll = read_payroll(Path(entry["path"]).read_bytes(), Path(entry["path"]).name)
            read = time.perf_counter() - began
            if payroll.errors:
                raise RuntimeError(f"{entry['path']}: {payroll.errors[:3]}")
            result = services.import_employees(operator, places[entry["code"]], payroll)
            files.append(
                {
                    "code": entry["code"],
                    "format": payroll.format,
                    "rows": len(payroll.rows),
                    "read_s": read,
                    "total_s": time.perf_counter() - began,
                    "created": result.created,
                    "proposed": result.proposed,
                }
            )
    total = time.perf_counter() - started
    cpu = _cpu_seconds() - cpu
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(workdir / "profile.out")
    rss_peak = peak_rss_kib()

    # The same file again, unchanged: nothing to write.
    big = next(entry for entry in manifest["files"] if entry["code"] == manifest["big"])
    counts_before = _counts()
    began = time.perf_counter()
    payroll = read_payroll(Path(big["path"]).read_bytes(), Path(big["path"]).name)
    again = services.import_employees(operator, places[big["code"]], payroll)
    reimport = {
        "seconds": time.perf_counter() - began,
        "rows": len(payroll.rows),
        "created": again.created,
        "updated": again.updated,
        "unchanged": again.unchanged,
        "proposed": again.proposed,
        "counts_before": counts_before,
        "counts_after": _counts(),
    }
    (workdir / "result.json").write_text(
        json.dumps(
            {
                "files": files,
                "total_s": total,
                "index_s": index_seconds,
                "cpu_s": cpu,
                "queries": queries[0],
                "rss_start_kib": rss_start,
                "rss_peak_kib": rss_peak,
                "reimport": reimport,
            }
        )
    )


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _counts() -> dict[str, int]:
    from repertoire.audit.models import JournalEntry
    from repertoire.positioning.models import Employee, Positioning, PositioningEvent

    return {
        "employees": Employee.objects.count(),
        "positionings": Positioning.objects.count(),
        "events": PositioningEvent.objects.count(),
        "journal": JournalEntry.objects.count(),
    }


# --- the parent: set up, baseline, precision, worklist -----------------------------------


def set_up(network: Network) -> tuple[str, str]:
    """Schema, edition, establishments, the HR officer of the big one: (name, password)."""
    from django.core.management import call_command

    from repertoire.accounts import services as accounts
    from repertoire.accounts.models import Role
    from repertoire.catalog import services as catalog_services
    from repertoire.positioning import services
    from repertoire.positioning.models import Establishment

    call_command("migrate", verbosity=0)
    catalog_services.ensure_bundled_edition(author="bench")
    for entry in network.files:
        services.create_establishment(entry.code, entry.name, actor="bench")
    services.create_establishment(BASELINE_CODE, "Référence : import ligne à ligne", actor="bench")
    username, password = "rh-cci-000", secrets.token_urlsafe(16)
    accounts.create_user(
        username,
        role=Role.HR,
        password=password,
        establishment=Establishment.objects.get(code=BIG_CODE),
        actor="bench",
    )
    return username, password


def baseline(network: Network, sample: int) -> tuple[int, float]:
    """create_employee row by row on a sample: (employees, seconds)."""
    import random

    from repertoire.accounts.selectors import CommandLineOperator
    from repertoire.catalog import selectors as catalog
    from repertoire.positioning import services
    from repertoire.positioning.models import Establishment

    rng = random.Random(SEED)
    rows = rng.sample(network.rows, min(sample, len(network.rows)))
    place = Establishment.objects.get(code=BASELINE_CODE)
    operator = CommandLineOperator("cli:bench")
    catalog.matching_index(catalog.get_edition())  # built once, as in the imports
    started = time.perf_counter()
    for number, (_, fields) in enumerate(rows):
        services.create_employee(operator, place, **{**fields, "matricule": f"B{number:05d}"})
    return len(rows), time.perf_counter() - started


@dataclass
class Precision:
    positionings: int = 0
    with_proposal: int = 0
    top1: int = 0
    top3: int = 0
    above: dict[float, list[bool]] = field(default_factory=dict)
    # Wrong first proposals at the bulk-acceptance threshold: (dev title, proposed) → count.
    misses: Counter = field(default_factory=Counter)


def precision(network: Network, thresholds: tuple[float, ...], threshold: float) -> Precision:
    from repertoire.positioning.models import Positioning

    figures = Precision(above={t: [] for t in thresholds})
    rows = Positioning.objects.exclude(establishment__code=BASELINE_CODE).values_list(
        "establishment__code", "employee__matricule", "proposals", "confidence"
    )
    for code, matricule, proposals, confidence in rows.iterator(chunk_size=2000):
        dev = network.labels[(code, matricule)]
        accepted = dev.accepted
        figures.positionings += 1
        if not proposals:
            continue
        figures.with_proposal += 1
        first = proposals[0]["code"] in accepted
        figures.top1 += first
        figures.top3 += any(p["code"] in accepted for p in proposals[:3])
        for value in thresholds:
            if confidence >= value:
                figures.above[value].append(first)
        if confidence >= threshold and not first:
            figures.misses[(dev.title, "|".join(sorted(accepted)), proposals[0]["code"])] += 1
    return figures


def in_process_worklist(
    username: str, requests: int
) -> tuple[list[float], int, int, tuple[str, int]]:
    """title_groups + the first page of positionings_for, as a view would call them:
    (milliseconds, groups, positionings, (title_key, headcount) of the largest group)."""
    from django.contrib.auth import get_user_model

    from repertoire.positioning import selectors

    User = get_user_model()
    times, groups, total = [], [], 0
    for number in range(requests + WARM_UP_REQUESTS):
        started = time.perf_counter()
        user = User.objects.get(username=username)
        place = selectors.establishment_for(user, BIG_CODE)
        groups = selectors.title_groups(user, place)
        worklist = selectors.positionings_for(user, establishment=place)
        total = worklist.count()
        page = list(worklist[:PAGE_SIZE])
        assert len(page) == min(PAGE_SIZE, total)
        if number >= WARM_UP_REQUESTS:
            times.append((time.perf_counter() - started) * 1000)
    largest = max(groups, key=lambda group: group.headcount, default=None)
    return times, len(groups), total, (largest.title_key, largest.headcount) if largest else ("", 0)


def in_process_page(username: str, requests: int) -> tuple[list[float], str]:
    """The whole worklist view (queries and template) through Django's test client:
    the service time without HTTP and gunicorn. (milliseconds, note)."""
    from django.contrib.auth import get_user_model
    from django.test import Client as TestClient

    client = TestClient(HTTP_HOST=HOST)
    client.force_login(get_user_model().objects.get(username=username))
    times = []
    for number in range(requests + WARM_UP_REQUESTS):
        started = time.perf_counter()
        response = client.get(f"/positionnement/{BIG_CODE}/")
        if response.status_code != 200:
            return [], f"answered {response.status_code}"
        if number >= WARM_UP_REQUESTS:
            times.append((time.perf_counter() - started) * 1000)
    return times, ""


def cookies_of(response: http.client.HTTPResponse) -> dict[str, str]:
    cookies = {}
    for header in response.msg.get_all("Set-Cookie") or ():
        name, _, rest = header.partition("=")
        cookies[name.strip()] = rest.split(";", 1)[0]
    return cookies


def sign_in(port: int, username: str, password: str) -> str:
    """Through the login form, as a person would: the session cookie."""
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request("GET", "/compte/connexion/")
        response = connection.getresponse()
        page = response.read().decode()
        cookies = cookies_of(response)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if token is None or "csrftoken" not in cookies:
            raise RuntimeError(f"login page without a CSRF token ({response.status})")
        connection.request(
            "POST",
            "/compte/connexion/",
            body=urlencode(
                {
                    "username": username,
                    "password": password,
                    "csrfmiddlewaretoken": token.group(1),
                }
            ),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={cookies['csrftoken']}",
            },
        )
        response = connection.getresponse()
        response.read()
        session = cookies_of(response).get("sessionid")
        if response.status != 302 or not session:
            raise RuntimeError(f"sign-in refused ({response.status})")
        return f"csrftoken={cookies['csrftoken']}; sessionid={session}"
    finally:
        connection.close()


@dataclass
class Timing:
    label: str
    path: str
    times: list[float] = field(default_factory=list)
    status: int = 0
    note: str = ""


def time_http(port: int, label: str, path: str, headers: dict, requests: int) -> Timing:
    timing = Timing(label, path)
    client = Client(port)
    try:
        for number in range(requests + WARM_UP_REQUESTS):
            started = time.perf_counter()
            status, body = client.get(path, headers)
            elapsed = (time.perf_counter() - started) * 1000
            timing.status = status
            if status != 200:
                timing.note = (
                    "not served yet (404): rerun once it exists"
                    if status == 404
                    else f"answered {status}: {body[:200]!r}"
                )
                timing.times = []
                return timing
            if number >= WARM_UP_REQUESTS:
                timing.times.append(elapsed)
    finally:
        client.close()
    return timing


def api_token(username: str) -> str:
    from django.contrib.auth import get_user_model

    from repertoire.accounts import services as accounts

    user = get_user_model().objects.get(username=username)
    return accounts.create_token(user, name="bench", actor="bench")[1]


def http_worklist(
    env: dict, home: Path, username: str, password: str, group: tuple[str, int], requests: int
) -> tuple[list[Timing], str]:
    token = api_token(username)
    port = free_port()
    command = gunicorn_command(port, 2, 4)
    log = home / "gunicorn.log"
    server = None
    try:
        server = launch(command, env, log, cwd=home)
        wait_until_serving(server, port, log)
        session = {"Cookie": sign_in(port, username, password)}
        both = {**session, "Authorization": f"Bearer {token}"}
        kinds = (
            ("worklist page", f"/positionnement/{BIG_CODE}/", session),
            (
                f"title group ({group[1]} people)",
                f"/positionnement/{BIG_CODE}/?groupe={quote(group[0])}",
                session,
            ),
            (
                "API positionings",
                f"/api/positionings?{urlencode({'establishment': BIG_CODE, 'limit': 100})}",
                both,
            ),
        )
        timings = [time_http(port, label, path, h, requests) for label, path, h in kinds]
    except Exception:
        if log.exists():
            say("gunicorn log (tail):\n" + log.read_text(errors="replace")[-3000:])
        raise
    finally:
        stop(server)
    return timings, " ".join(["gunicorn", *command[3:]])


def bulk_accept_big(username: str) -> tuple[int, float]:
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from repertoire.positioning import selectors, services

    user = get_user_model().objects.get(username=username)
    place = selectors.establishment_for(user, BIG_CODE)
    started = time.perf_counter()
    count = services.bulk_accept(user, place, threshold=settings.REPERTOIRE_BULK_ACCEPT_THRESHOLD)
    return count, time.perf_counter() - started


# --- printing ---------------------------------------------------------------------------


def mark(ok: bool) -> str:
    return "✓" if ok else "✗"


def ms(value: float) -> str:
    return "–" if value != value else f"{value:.1f}"


def quantiles(times: list[float]) -> tuple[float, float, float]:
    values = sorted(times)
    return percentile(values, 50), percentile(values, 95), percentile(values, 99)


def share(part: int, whole: int) -> str:
    return f"{part / whole:6.1%}" if whole else "     –"


def print_profile(path: Path) -> None:
    import pstats

    for order in ("cumulative", "tottime"):
        say(f"\ncProfile of the imports, by {order} (top 25):")
        stream = io.StringIO()
        pstats.Stats(str(path), stream=stream).sort_stats(order).print_stats(25)
        say(stream.getvalue().split("\n", 6)[-1].rstrip())


# --- main ------------------------------------------------------------------------------


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=DEFAULT_EMPLOYEES, help="(26,000)")
    parser.add_argument("--establishments", type=int, default=DEFAULT_ESTABLISHMENTS, help="(120)")
    parser.add_argument(
        "--requests", type=int, default=DEFAULT_REQUESTS, help="per worklist URL (50)"
    )
    parser.add_argument(
        "--baseline-sample", type=int, default=BASELINE_SAMPLE, help="row-by-row sample (300)"
    )
    parser.add_argument("--profile", action="store_true", help="cProfile the imports")
    parser.add_argument("--no-http", action="store_true", help="skip gunicorn")
    parser.add_argument(
        "--keep-database", action="store_true", help="keep the scratch database (to inspect)"
    )
    parser.add_argument("--admin-url", default=DEFAULT_ADMIN_URL, help="PostgreSQL, to create")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child is None:
        if arguments.establishments < 1 or arguments.employees < arguments.establishments:
            parser.error("--employees must be at least --establishments, itself at least 1")
        if urlsplit(arguments.admin_url).hostname not in ("127.0.0.1", "localhost", "::1"):
            parser.error("--admin-url must point at this machine (127.0.0.1)")
        if not DEV.exists():
            parser.error(f"dev set not found: {DEV}")
    return arguments


def _terminate(signum, frame):
    raise SystemExit(128 + signum)  # runs the ``finally`` blocks: gunicorn and the database


def main() -> None:
    arguments = parse_arguments()
    if arguments.child is not None:
        child(arguments.child, arguments.profile)
        return
    arguments.load_average = os.getloadavg()[0]  # other work on the machine skews timings
    signal.signal(signal.SIGTERM, _terminate)
    name = f"bench_positioning_{os.getpid()}"
    database_url = with_database(arguments.admin_url, name)
    created = False
    with tempfile.TemporaryDirectory(prefix="bench-positioning-") as tmp:
        work = Path(tmp)
        home, files = work / "home", work / "files"
        home.mkdir()
        files.mkdir()
        env = app_environment(home, database_url)
        for variable in ("DJANGO_SETTINGS_MODULE", "REPERTOIRE_DEBUG", "DATABASE_URL"):
            os.environ.pop(variable, None)
        os.environ.update(REPERTOIRE_HOME=str(home), DATABASE_URL=database_url)
        os.environ["DJANGO_SETTINGS_MODULE"] = "repertoire.settings"
        try:
            say(f"Scratch database {name} on {urlsplit(database_url).netloc}")
            create_database(arguments.admin_url, name)
            created = True
            started = time.perf_counter()
            network = generate(arguments.employees, arguments.establishments, files)
            formats = [entry.format for entry in network.files]
            say(
                f"  {len(network.files)} HR exports written in {time.perf_counter() - started:.1f}"
                f" s: {formats.count('csv')} CSV (Windows-1252, ';'), {formats.count('xlsx')}"
                f" XLSX; {len(network.rows):,} employees, sizes "
                f"{min(f.size for f in network.files)}–{max(f.size for f in network.files)}; "
                f"{network.distinct_titles:,} distinct (establishment, title) spellings from "
                f"{DEV.name}"
            )
            import django

            django.setup()
            started = time.perf_counter()
            username, password = set_up(network)
            say(f"  schema, bundled edition, establishments: {time.perf_counter() - started:.1f} s")

            count, seconds = baseline(network, arguments.baseline_sample)
            say(f"  baseline: {count} employees created row by row in {seconds:.1f} s")

            (work / "manifest.json").write_text(
                json.dumps({"big": BIG_CODE, "files": [vars(f) for f in network.files]})
            )
            command = [sys.executable, __file__, "--child", str(work)]
            if arguments.profile:
                command.append("--profile")
            say("  importing every file in a fresh process …")
            began = time.perf_counter()
            completed = subprocess.run(
                command, env={**env, "DJANGO_SETTINGS_MODULE": "repertoire.settings"},
                capture_output=True, text=True, timeout=CHILD_TIMEOUT, check=False,
            )  # fmt: skip
            if completed.returncode != 0:
                raise RuntimeError(
                    f"import process exited with {completed.returncode}:\n"
                    f"{completed.stdout[-2000:]}\n{completed.stderr[-4000:]}"
                )
            result = json.loads((work / "result.json").read_text())
            say(f"  import process done in {time.perf_counter() - began:.1f} s (with its start)")

            from django.conf import settings

            threshold = settings.REPERTOIRE_BULK_ACCEPT_THRESHOLD
            figures = precision(network, (*THRESHOLDS, threshold), threshold)
            local, groups, total, group = in_process_worklist(username, arguments.requests)
            view, view_note = in_process_page(username, arguments.requests)
            timings, server = [], ""
            if not arguments.no_http:
                say("  gunicorn: signing in as the HR officer, timing the worklist …")
                timings, server = http_worklist(
                    env, home, username, password, group, arguments.requests
                )
            accepted, accept_seconds = bulk_accept_big(username)

            report(
                arguments,
                network,
                result,
                (count, seconds),
                figures,
                threshold,
                (local, groups, total, view, view_note),
                timings,
                server,
                (accepted, accept_seconds),
                database_url,
            )
            if arguments.profile:
                print_profile(work / "profile.out")
        finally:
            if created and arguments.keep_database:
                say(f"Scratch database kept: DATABASE_URL={database_url}")
            elif created:
                with contextlib.suppress(Exception):
                    from django.db import connections

                    connections.close_all()
                drop_database(arguments.admin_url, name)
                say(f"Scratch database {name} dropped.")


def report(
    arguments,
    network: Network,
    result: dict,
    base: tuple[int, float],
    figures: Precision,
    threshold: float,
    local: tuple[list[float], int, int, list[float], str],
    timings: list[Timing],
    server: str,
    accepted: tuple[int, float],
    database_url: str,
) -> None:
    files = result["files"]
    employees = sum(f["rows"] for f in files)
    total = result["total_s"]
    read = sum(f["read_s"] for f in files)
    peak_mb = result["rss_peak_kib"] * 1024 / 1e6
    start_mb = result["rss_start_kib"] * 1024 / 1e6
    big = next(f for f in files if f["code"] == BIG_CODE)
    slowest = max(files, key=lambda f: f["total_s"])
    by_format = {
        kind: (sum(f["rows"] for f in files if f["format"] == kind),
               sum(f["total_s"] for f in files if f["format"] == kind))
        for kind in ("csv", "xlsx")
    }  # fmt: skip
    base_count, base_seconds = base
    extrapolated = base_seconds / base_count * employees if base_count else float("nan")

    say()
    say(f"Import: {len(files)} files, {employees:,} employees, one process")
    say(
        f"  total               {total:8.1f} s  ({employees / total:,.0f} employees/s); "
        f"reading the files {read:.1f} s, matching index build {result['index_s']:.2f} s"
    )
    for kind, (rows, seconds) in by_format.items():
        if rows:
            say(f"  {kind.upper():4} files           {seconds:8.1f} s  for {rows:,} employees")
    say(
        f"  {BIG_CODE} ({big['rows']:,})  {big['total_s']:8.2f} s;  slowest file "
        f"{slowest['code']} ({slowest['rows']:,}) {slowest['total_s']:.2f} s; "
        f"{sum(f['proposed'] for f in files):,} employees proposed a job"
    )
    say(
        f"  CPU of the import process {result['cpu_s']:.1f} s (user + system; the rest is "
        f"PostgreSQL and waiting); {result['queries']:,} SQL statements "
        f"({result['queries'] / employees:.2f} per employee)"
    )
    say(f"  peak memory (max RSS) {peak_mb:6.0f} MB  (after Django setup: {start_mb:.0f} MB)")
    say(
        f"  baseline: services.create_employee row by row, {base_count} employees in "
        f"{base_seconds:.1f} s ({base_seconds / base_count * 1000:.0f} ms each) → "
        f"EXTRAPOLATED to {employees:,}: {extrapolated:,.0f} s "
        f"({extrapolated / total:.0f}× the import)"
    )
    again = result["reimport"]
    unchanged = again["counts_before"] == again["counts_after"]
    say(
        f"  re-import of {BIG_CODE} unchanged: {again['seconds']:.2f} s, "
        f"{again['created']} created, {again['updated']} updated, {again['unchanged']:,} "
        f"unchanged, {again['proposed']} proposed; rows in the database "
        f"{'unchanged' if unchanged else 'CHANGED'} ({again['counts_after']})"
    )

    say()
    say(f"Proposals against the dev labels ({figures.positionings:,} positionings)")
    say(
        f"  top-1 {share(figures.top1, figures.positionings)}   top-3 "
        f"{share(figures.top3, figures.positionings)}   with a proposal "
        f"{share(figures.with_proposal, figures.positionings)}"
    )
    say("  threshold   share above   precision of the first proposal")
    for value in sorted(figures.above):
        above = figures.above[value]
        marker = "  ← REPERTOIRE_BULK_ACCEPT_THRESHOLD" if value == threshold else ""
        say(
            f"  {value:9.2f}   {share(len(above), figures.positionings):>11}   "
            f"{share(sum(above), len(above)):>6}{marker}"
        )
    if figures.misses:
        say(f"  wrong first proposals at ≥ {threshold:.2f}, by dev title (any spelling):")
        for (title, label, proposed), count in figures.misses.most_common(8):
            say(f"    {count:6,}  {title!r}: proposed {proposed}, dev label {label}")
    accepted_count, accept_seconds = accepted
    say(
        f"  bulk_accept on {BIG_CODE} (≥ {threshold:.2f}): {accepted_count:,} validated "
        f"in {accept_seconds:.2f} s"
    )

    local_times, groups, positionings, view_times, view_note = local
    say()
    say(f"Worklist of {BIG_CODE}: {positionings:,} positionings, {groups} title groups to review")
    say("  what                                  requests   p50 ms   p95 ms   p99 ms")
    rows = [
        ("in process: title_groups + page", local_times, ""),
        ("in process: whole view (test client)", view_times, view_note),
    ]
    rows += [(f"HTTP {t.label}", t.times, t.note) for t in timings]
    for label, times, note in rows:
        if times:
            p50, p95, p99 = quantiles(times)
            say(f"  {label:38} {len(times):8}   {ms(p50):>6}   {ms(p95):>6}   {ms(p99):>6}")
        else:
            say(f"  {label:38} {'–':>8}   {note}")
    for timing in timings:
        say(f"    {timing.label}: GET {timing.path}")

    page = next((t for t in timings if t.label == "worklist page" and t.times), None)
    p95 = quantiles(page.times)[1] if page else quantiles(local_times)[1]
    where = "HTTP" if page else "in process: selectors only, no HTTP figure"
    above = figures.above[threshold]
    say()
    say("Targets")
    say(f"  import time         {total:8.1f} s    ≤ {TARGET_IMPORT_S:.0f} s    "
        f"{mark(total <= TARGET_IMPORT_S)}")  # fmt: skip
    say(f"  peak memory         {peak_mb:8.0f} MB   ≤ {TARGET_PEAK_MB:.0f} MB   "
        f"{mark(peak_mb <= TARGET_PEAK_MB)}")  # fmt: skip
    say(f"  worklist p95        {p95:8.1f} ms   ≤ {TARGET_PAGE_P95_MS:.0f} ms   "
        f"{mark(p95 <= TARGET_PAGE_P95_MS)}  ({where})")  # fmt: skip
    say(
        f"  bulk-acceptable     {share(len(above), figures.positionings)} of proposals "
        f"(confidence ≥ {threshold:.2f}), precision {share(sum(above), len(above)).strip()}"
    )
    with contextlib.suppress(Exception):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
        say()
        say(
            f"Machine: {os.cpu_count()} cores ({platform.machine()}), "
            f"{platform.python_implementation()} {platform.python_version()}; "
            f"PostgreSQL {version}, {urlsplit(database_url).path[1:]} (scratch); load average "
            f"{os.getloadavg()[0]:.1f} at the end, {arguments.load_average:.1f} at the start"
        )
    if server:
        say(f"Server: {server} (repertoire.settings with DATABASE_URL)")
    say(
        f"Run: --employees {arguments.employees} --establishments {arguments.establishments} "
        f"--requests {arguments.requests}"
    )


if __name__ == "__main__":
    main()
