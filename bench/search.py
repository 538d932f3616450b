"""Search and job-sheet latency through HTTP, on the bundled edition and a generated one.

    .venv/bin/python bench/search.py                 # 300 requests per edition and endpoint
    .venv/bin/python bench/search.py --quick         # 50 requests: a fast check
    .venv/bin/python bench/search.py --requests 1000 --jobs 20000 --seed 7
    .venv/bin/python bench/search.py --database-url postgres://postgres@127.0.0.1:5432/bench

What it does, in one run:

1. Generates a large edition (10,000 jobs by default) from the bundled 2014 one,
   deterministically: the 51 real jobs, then jobs whose titles join a real title head
   (``Chargé(e) de``, ``Technicien(ne)``…) to a noun phrase of the real missions
   (``relation client``, ``écritures comptables``…), whose missions and requirements are
   real items, whose degrees vary by one around a real job's profile and whose level is
   the total-points rule's. It writes the document, checks that it reads back, and times
   ``repertoire import``.
2. Serves the app with ``repertoire serve`` on a free port of 127.0.0.1 with a temporary
   ``REPERTOIRE_HOME`` (SQLite), or against ``--database-url`` (use a scratch database:
   the generated edition stays there and is reused by the next run).
3. For each edition and endpoint (API search, search page, job sheet page, and a request
   that does next to nothing, ``/api/criteria``, as the floor) sends one first request
   (the search index of an edition is built on its first search: that time is printed
   apart), then N requests one after the other on one keep-alive connection, and prints
   p50/p95/p99/max, the non-200 answers and the target (p95 ≤ 30 ms). A row stops short
   of N requests once its time budget (``--budget``, 20 s) is spent. The five slowest
   queries (or job sheets) are listed for the large edition and for any row over target.
4. Prints, beside the engine, a naive search measured in-process on the same jobs: every
   job's title and missions scanned with ``in`` on accent-folded lower-case text.

A benchmark prints figures; it never asserts. The search page is measured only when the
app serves it (``/recherche/``); otherwise a note says it was skipped.

The generated jobs reuse the words of the 51 real ones: the large edition has about the
same vocabulary (some 1,200 index terms) with every term in hundreds or thousands of
jobs, so its search cost is that of long posting lists, not of a large vocabulary.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlencode

from rich.console import Console
from rich.table import Table
from server import HOST, free_port, launch, stop, wait_until_serving

from repertoire.bundled import bundled_document
from repertoire.core.document import (
    JobSheet,
    ListItem,
    RepertoireDocument,
    SommaireEntry,
    write_document,
)
from repertoire.core.document_reader import parse_document
from repertoire.core.grid import MAX_DEGREE, MIN_DEGREE, TotalPointsRule
from repertoire.core.search import SearchableJob, SearchIndex
from repertoire.core.text import strip_accents, title_key

TARGET_P95_MS = 30.0
DEFAULT_JOBS = 10_000
DEFAULT_REQUESTS = 300
QUICK_REQUESTS = 50
JOB_SHEET_SAMPLE = 200
SERVER_START_TIMEOUT = 90.0
SERVER_STOP_TIMEOUT = 10.0
REQUEST_TIMEOUT = 120.0
# Seconds of measuring per edition and endpoint, past which a row stops short of N requests:
# an endpoint that takes seconds per request would otherwise take the run for an hour.
DEFAULT_BUDGET = 20.0
MIN_REQUESTS = 5
SEARCH_PAGE = "/recherche/"
API_SEARCH = "/api/search"
FLOOR = "API floor (/api/criteria)"

# What people type in a search box: full titles, without accents, in the feminine, with
# one typo, cut short, mission words, acronyms.
QUERIES = (
    # full titles
    "Contrôleur(se) de gestion",
    "Chargé(e) de relation client",
    "Technicien(ne) paye",
    "Conseiller(ère) d'entreprise",
    "Attaché(e) de direction",
    "Chef de produit",
    "Enseignant(e) II",
    "Juriste",
    # without accents
    "controleur de gestion",
    "ingenieur pedagogique",
    "charge d'etudes",
    "technicien systeme d'information",
    "employe administratif",
    # gender forms
    "formatrice",
    "Contrôleuse",
    "acheteuse",
    "conseillère pédagogique",
    "chargée de communication",
    "directrice",
    # one typo
    "comptabel",
    "conseilller",
    "tecnicien paye",
    "assistnat formalités",
    "formateru",
    # as typed, cut short
    "compta",
    "info",
    "comm",
    "pédago",
    "dévelop",
    # mission words
    "gestion budget",
    "relation client",
    "formation apprentis",
    "écritures comptables",
    "développement économique",
    "accueil téléphonique",
    "appels d'offres",
    "veille réglementaire",
    # acronyms
    "DRH",
    "RH",
    "DSI",
)

console = Console(highlight=False, width=None if sys.stdout.isatty() else 120)


# --- the generated edition ---------------------------------------------------------------

_LETTERS = "a-zàâäçéèêëîïôöûùüÿœ"
# A noun phrase after an article in a mission: "la relation client", "des écritures
# comptables" → "relation client", "écritures comptables".
_PHRASE = re.compile(
    rf"(?<![{_LETTERS}])((?:la|le|les|des|du|de)\s+|l['’]|d['’])"
    rf"([{_LETTERS}]{{5,}}(?:\s+[{_LETTERS}]{{5,}})?)(?![{_LETTERS}])"
)
# Phrases of the missions that name no field of work.
_NOT_A_FIELD_WORDS = """
    cadre respect ensemble manager mettre mises charges envergure tiers cours bases sources
    attentes personnes demande demandes besoins action actions travail moyens mandes intérêts
    propositions proposition réalisation responsabilité consignes différents plusieurs premier
    autres celle celui leurs selon notamment éventuelles éventuels manière perspective
"""
_NOT_A_FIELD = frozenset(_NOT_A_FIELD_WORDS.split())
# Words of the real titles that qualify a job rather than name its field.
_QUALIFIERS = (
    "spécialisé(e)",
    "expert(e)",
    "interne",
    "territorial(e)",
    "institutionnel(le)",
    "principal(e)",
    "adjoint(e)",
    "senior",
    "junior",
    "régional(e)",
    "I",
    "II",
    "III",
)
# "objectifs fixés", "réglementations afférentes": a participle, not the name of a field.
_PARTICIPLE = re.compile(r"\s\S+(?:é|ée|és|ées|is|ise|ises|ant|ante|ants|antes)$")
_INFINITIVE = re.compile(r"^\S+(?:er|ir|dre|tre)$")
_VOWEL_START = re.compile(r"^[aeiouyhàâéèêîôûœ]", re.IGNORECASE)


def _heads(document: RepertoireDocument) -> list[tuple[str, bool]]:
    """Title heads of the real jobs, each with whether it takes ``de`` (``Chargé(e) de``)."""
    heads: dict[str, bool] = {}
    for job in document.jobs:
        words = job.title.replace("/", " ").split()
        head = words[0]
        rest = words[1:]
        takes_de = bool(rest) and (rest[0] in ("de", "des") or rest[0].startswith(("d'", "d’")))
        if head == "Chef":
            head, takes_de = "Chef de", False
        heads[head] = heads.get(head, False) or takes_de
    return sorted(heads.items())


def _fields(document: RepertoireDocument) -> list[str]:
    """Noun phrases of the missions that can name a field of work, most frequent first."""
    counts: Counter[str] = Counter()
    for job in document.jobs:
        for item in job.missions:
            for text in (item.text, *item.subitems):
                for article, phrase in _PHRASE.findall(text):
                    phrase = " ".join(phrase.split())
                    if set(phrase.split()) & _NOT_A_FIELD or _PARTICIPLE.search(phrase):
                        continue
                    if article.strip() in ("de", "d'", "d’") and _INFINITIVE.search(phrase):
                        continue  # "de répondre", "d'organiser": a verb
                    counts[phrase] += 1
    return [phrase for phrase, _ in counts.most_common()]


def _join(head: str, takes_de: bool, field_name: str) -> str:
    if head.endswith(" de"):  # "Chef de"
        head, takes_de = head.removesuffix(" de"), True
    if not takes_de:
        return f"{head} {field_name}"
    if _VOWEL_START.match(field_name):
        return f"{head} d'{field_name}"
    return f"{head} de {field_name}"


def _unique_title(rng: random.Random, title: str, taken: set[str]) -> str:
    """The title, else with a qualifier or two, else with a number (``… 0412``)."""
    candidates = [title]
    candidates += [f"{title} {q}" for q in rng.sample(_QUALIFIERS, 4)]
    first, second = rng.sample(_QUALIFIERS[:10], 2)
    candidates.append(f"{title} {first} {second}")
    for candidate in candidates:
        if title_key(candidate) not in taken:
            return candidate
    number = 1
    while title_key(f"{title} {number:04d}") in taken:
        number += 1
    return f"{title} {number:04d}"


def _sample_items(
    rng: random.Random, own: Sequence[ListItem], pool: Sequence[ListItem], low: int, high: int
) -> tuple[ListItem, ...]:
    """Most items from the template job, a few from elsewhere, without duplicates."""
    count = rng.randint(low, high)
    items = rng.sample(list(own), min(len(own), max(1, count - 2)))
    while len(items) < count:
        item = rng.choice(pool)
        if item not in items:
            items.append(item)
    return tuple(items)


def generate_edition(base: RepertoireDocument, total: int, seed: int) -> RepertoireDocument:
    """``base`` grown to ``total`` jobs, the same for the same seed (see the module doc)."""
    rng = random.Random(seed)
    rule = TotalPointsRule()
    heads = _heads(base)
    fields = _fields(base)
    # The usual definition text of each level, as the document prints it under each job.
    usual_text = {level: texts[0] for level, texts in base.level_definitions().by_level.items()}
    missions = [item for job in base.jobs for item in job.missions]
    requirements = [item for job in base.jobs for item in job.requirements]
    taken = {title_key(job.title) for job in base.jobs}
    jobs = list(base.jobs)
    while len(jobs) < total:
        template = rng.choice(base.jobs)
        head, takes_de = rng.choice(heads)
        # Frequent phrases more often, as in real titles.
        field_name = fields[min(int(rng.expovariate(1 / 150)), len(fields) - 1)]
        title = _unique_title(rng, _join(head, takes_de or rng.random() < 0.3, field_name), taken)
        taken.add(title_key(title))
        degrees = tuple(
            min(MAX_DEGREE, max(MIN_DEGREE, degree + rng.choice((-1, 0, 0, 1))))
            for degree in template.degrees
        )
        level = rule.level(degrees)
        jobs.append(
            replace(
                template,
                title=title,
                heading=strip_accents(title).upper(),
                level=level,
                degrees=degrees,
                missions=_sample_items(rng, template.missions, missions, 3, 9),
                requirements=_sample_items(rng, template.requirements, requirements, 3, 7),
                level_text=usual_text.get(level, ()),
                line=0,
            )
        )
    # The document lists jobs by level, and its sommaire names each of them with a page.
    jobs.sort(key=lambda job: job.level)
    sommaire = tuple(
        SommaireEntry(job.level, job.title, page) for page, job in enumerate(jobs, start=4)
    )
    return replace(base, jobs=tuple(jobs), sommaire=sommaire, missing_jobs=())


def write_edition(document: RepertoireDocument, path: Path) -> float:
    """Write the document, check that it reads back to the same jobs; the reading time (s)."""
    text = write_document(document)
    started = time.perf_counter()
    back = parse_document(text)
    parse_s = time.perf_counter() - started
    if [job.code for job in back.jobs] != [job.code for job in document.jobs]:
        raise RuntimeError("the generated document does not read back to the same jobs")
    path.write_text(text, encoding="utf-8")
    return parse_s


# --- measuring ---------------------------------------------------------------------------


@dataclass
class Sample:
    """Latencies of one endpoint on one edition, in milliseconds."""

    edition: str
    endpoint: str
    first_ms: float | None = None
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    by_query: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    skipped: str = ""

    def percentile(self, p: int) -> float:
        return percentile(self.latencies, p)


def percentile(values: Sequence[float], p: int) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


class Client:
    """One keep-alive HTTP/1.1 connection; reconnects if the server closes it."""

    def __init__(self, port: int):
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)

    def get(self, path: str) -> tuple[int, bytes, float]:
        """Status, body and elapsed milliseconds (request sent to body read)."""
        for attempt in (1, 2):
            started = time.perf_counter()
            try:
                self.connection.request("GET", path)
                response = self.connection.getresponse()
                body = response.read()
            except (http.client.HTTPException, ConnectionError):
                self.connection.close()
                if attempt == 2:
                    raise
                continue
            elapsed = (time.perf_counter() - started) * 1000
            if response.getheader("Connection", "").lower() == "close":
                self.connection.close()
            return response.status, body, elapsed
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.connection.close()


def measure(
    client: Client,
    sample: Sample,
    paths: Sequence[tuple[str, str]],
    requests: int,
    budget: float,
) -> Sample:
    """A first request, then ``requests`` more cycling over ``paths`` ((key, path) pairs).

    Stops early, after at least ``MIN_REQUESTS``, once ``budget`` seconds have passed.
    """
    status, _, sample.first_ms = client.get(paths[0][1])
    if status != 200:
        sample.errors += 1
    deadline = time.monotonic() + budget
    for number in range(requests):
        if number >= MIN_REQUESTS and time.monotonic() > deadline:
            break
        key, path = paths[number % len(paths)]
        status, _, elapsed = client.get(path)
        sample.latencies.append(elapsed)
        sample.by_query[key].append(elapsed)
        if status != 200:
            sample.errors += 1
    return sample


def search_paths(prefix: str, label: str) -> list[tuple[str, str]]:
    return [(q, f"{prefix}?{urlencode({'q': q, 'edition': label})}") for q in QUERIES]


def sheet_paths(codes: Sequence[str], label: str) -> list[tuple[str, str]]:
    return [(code, f"/emplois/{code}/?{urlencode({'edition': label})}") for code in codes]


# --- the baseline ------------------------------------------------------------------------


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def naive_search(texts: Sequence[str], query: str, limit: int = 20) -> tuple[int, list[int]]:
    """Jobs whose folded text holds every folded query word: the obvious way."""
    query_words = fold(query).replace("'", " ").split()
    found = [i for i, text in enumerate(texts) if all(word in text for word in query_words)]
    return len(found), found[:limit]


def in_process(jobs: Sequence[JobSheet], requests: int) -> dict[str, tuple[list[float], int]]:
    """Per search, its latencies (ms) over ``requests`` queries and its empty answers."""
    texts = [
        fold(" ".join([job.title, *(t for m in job.missions for t in (m.text, *m.subitems))]))
        for job in jobs
    ]
    index = SearchIndex.build(
        SearchableJob(
            code=job.code,
            title=job.title,
            level=job.level,
            degrees=job.degrees,
            missions=tuple(t for m in job.missions for t in (m.text, *m.subitems)),
            requirements=tuple(t for r in job.requirements for t in (r.text, *r.subitems)),
        )
        for job in jobs
    )
    searches: dict[str, Callable[[str], int]] = {
        "naive scan": lambda q: naive_search(texts, q)[0],
        "SearchIndex": lambda q: index.search(q).total,
    }
    results = {}
    for name, run in searches.items():
        latencies = []
        for number in range(requests):
            started = time.perf_counter()
            run(QUERIES[number % len(QUERIES)])
            latencies.append((time.perf_counter() - started) * 1000)
        empty = sum(run(q) == 0 for q in QUERIES)
        results[name] = (latencies, empty)
    return results


# --- the server --------------------------------------------------------------------------


def app_environment(home: Path, database_url: str | None) -> dict[str, str]:
    env = dict(os.environ, REPERTOIRE_HOME=str(home))
    # Settings that would change what is measured are left at their defaults.
    for name in ("DATABASE_URL", "REPERTOIRE_DEBUG", "REPERTOIRE_API_PUBLIC_READ"):
        env.pop(name, None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    # Every client of the benchmark calls from one address: the anonymous rate limit, meant
    # for one caller, would answer most of them 429. What is measured is the app's speed.
    env["REPERTOIRE_API_ANONYMOUS_RATE"] = "100000000/min"
    return env


def repertoire(*args: str) -> list[str]:
    return [sys.executable, "-m", "repertoire", *args]


@contextlib.contextmanager
def served(env: dict[str, str], log: Path) -> Iterator[int]:
    """``repertoire serve`` on a free port until the block ends; yields the port."""
    port = free_port()
    process = launch(repertoire("serve", "--host", HOST, "--port", str(port)), env, log)
    try:
        wait_until_serving(
            process, port, log, name="repertoire serve", timeout=SERVER_START_TIMEOUT
        )
        yield port
    except Exception:
        status = process.poll()
        if status is not None and status < 0:
            console.print(f"[red]The server was stopped from outside (signal {-status}).[/red]")
        console.print(f"[red]Server exit status: {status}; its log (tail):[/red]")
        console.print(log.read_text(errors="replace")[-3000:], markup=False)
        raise
    finally:
        stop(process)


def editions(client: Client) -> list[dict]:
    status, body, _ = client.get("/api/editions")
    if status != 200:
        raise RuntimeError(f"/api/editions answered {status}")
    return json.loads(body)


# --- reporting ---------------------------------------------------------------------------


def ms(value: float | None) -> str:
    return "–" if value is None or value != value else f"{value:.1f}"


def report(samples: Sequence[Sample], requests: int, budget: float) -> Table:
    table = Table(
        title=f"Latency through HTTP, ms: a first request, then {requests} requests "
        f"(fewer past {budget:.0f} s)"
    )
    for name in ("edition", "endpoint", "first", "requests", "p50", "p95", "p99", "max"):
        table.add_column(name, justify="left" if name in ("edition", "endpoint") else "right")
    table.add_column("errors", justify="right")
    table.add_column(f"p95 ≤ {TARGET_P95_MS:.0f}", justify="center")
    for sample in samples:
        if sample.skipped:
            table.add_row(sample.edition, sample.endpoint, *["–"] * 7, "skipped")
            continue
        p95 = sample.percentile(95)
        table.add_row(
            sample.edition,
            sample.endpoint,
            ms(sample.first_ms),
            str(len(sample.latencies)),
            ms(sample.percentile(50)),
            ms(p95),
            ms(sample.percentile(99)),
            ms(max(sample.latencies)),
            str(sample.errors),
            "[green]✓[/green]" if p95 <= TARGET_P95_MS else "[red]✗[/red]",
        )
    return table


def slowest(sample: Sample, count: int = 5) -> Table:
    what = "pages" if sample.endpoint == "job sheet page" else "queries"
    table = Table(title=f"Slowest {what}, {sample.endpoint}, {sample.edition}")
    table.add_column("job code" if what == "pages" else "query")
    for name in ("runs", "median ms", "max ms"):
        table.add_column(name, justify="right")
    ranked = sorted(sample.by_query.items(), key=lambda item: -statistics.median(item[1]))
    for query, latencies in ranked[:count]:
        table.add_row(
            query, str(len(latencies)), ms(statistics.median(latencies)), ms(max(latencies))
        )
    return table


def baseline_table(results: dict[str, tuple[list[float], int]], jobs: int) -> Table:
    table = Table(title=f"In-process search, same {jobs:,} jobs, ms")
    for name in ("search", "p50", "p95", "p99", "queries with no hit"):
        table.add_column(name, justify="left" if name == "search" else "right")
    for name, (latencies, empty) in results.items():
        table.add_row(
            name,
            ms(percentile(latencies, 50)),
            ms(percentile(latencies, 95)),
            ms(percentile(latencies, 99)),
            f"{empty}/{len(QUERIES)}",
        )
    return table


# --- main --------------------------------------------------------------------------------


def import_edition(env: dict[str, str], path: Path, label: str, jobs: int) -> None:
    """``repertoire import`` of the generated document, timed."""
    started = time.perf_counter()
    result = subprocess.run(
        repertoire("import", str(path), "--label", label),
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"import failed:\n{result.stdout}\n{result.stderr}")
    console.print(
        f"repertoire import of {jobs:,} jobs: {elapsed:.1f} s (wall time, process start included)."
    )


def measure_edition(
    client: Client,
    label: str,
    name: str,
    codes: Sequence[str],
    args: argparse.Namespace,
    page_note: str,
) -> list[Sample]:
    """Every endpoint on one edition."""
    requests, budget = args.requests, args.budget
    criteria = [("criteria", f"/api/criteria?{urlencode({'edition': label})}")]
    samples = [
        measure(client, Sample(name, FLOOR), criteria, requests, budget),
        measure(
            client, Sample(name, "API search"), search_paths(API_SEARCH, label), requests, budget
        ),
    ]
    page = Sample(name, "search page", skipped=page_note)
    if not page_note:
        measure(client, page, search_paths(SEARCH_PAGE, label), requests, budget)
    samples.append(page)
    samples.append(
        measure(client, Sample(name, "job sheet page"), sheet_paths(codes, label), requests, budget)
    )
    return samples


def run_server(
    args: argparse.Namespace, base: RepertoireDocument, generated: RepertoireDocument
) -> list[Sample]:
    """Serve, import the generated edition, measure both editions, stop the server."""
    big_label = f"bench-{len(generated.jobs)}-s{args.seed}"
    with tempfile.TemporaryDirectory(prefix="repertoire-bench-") as tmp:
        tmp_path = Path(tmp)
        document_path = tmp_path / f"{big_label}.txt"
        parse_s = write_edition(generated, document_path)
        console.print(
            f"Document: {document_path.stat().st_size / 1e6:.1f} MB; "
            f"parse_document reads it back in {parse_s:.1f} s."
        )
        env = app_environment(tmp_path / "home", args.database_url)
        with served(env, tmp_path / "serve.log") as port:
            client = Client(port)
            try:
                known = {edition["label"]: edition for edition in editions(client)}
                if big_label in known:
                    console.print(f"Edition {big_label} already in the database: reused.")
                else:
                    import_edition(env, document_path, big_label, len(generated.jobs))
                small_label = base.date.isoformat()
                if small_label not in known:
                    raise RuntimeError(
                        f"no edition {small_label} (the bundled one) in the database"
                    )
                status, _, _ = client.get(
                    f"{SEARCH_PAGE}?{urlencode({'q': 'comptable', 'edition': small_label})}"
                )
                page_note = "" if status == 200 else f"{SEARCH_PAGE} answers {status}"
                sampled = random.Random(args.seed).sample(
                    generated.jobs, min(JOB_SHEET_SAMPLE, len(generated.jobs))
                )
                return [
                    *measure_edition(
                        client,
                        small_label,
                        f"{len(base.jobs)} jobs",
                        [job.code for job in base.jobs],
                        args,
                        page_note,
                    ),
                    *measure_edition(
                        client,
                        big_label,
                        f"{len(generated.jobs):,} jobs",
                        [job.code for job in sampled],
                        args,
                        page_note,
                    ),
                ]
            finally:
                client.close()


def load() -> str:
    """The machine's load: other work on it makes every figure worse."""
    one, five, _ = os.getloadavg()
    return f"Load average: {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} cores."


def revision() -> str:
    """The commit measured, and whether the work tree had changes."""
    root = Path(__file__).resolve().parents[1]
    try:
        commit = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        changes = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown revision"
    return f"commit {commit}" + (" with uncommitted changes" if changes else "")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--requests", type=int, default=None, help=f"per edition and endpoint ({DEFAULT_REQUESTS})"
    )
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_REQUESTS} requests")
    parser.add_argument("--jobs", type=int, default=DEFAULT_JOBS, help="generated edition size")
    parser.add_argument("--seed", type=int, default=2014)
    parser.add_argument(
        "--database-url", help="serve from this (scratch) database instead of SQLite"
    )
    parser.add_argument(
        "--budget",
        type=float,
        default=DEFAULT_BUDGET,
        help=f"seconds of measuring per edition and endpoint ({DEFAULT_BUDGET:.0f}), "
        "past which fewer requests are made",
    )
    args = parser.parse_args()
    args.requests = args.requests or (QUICK_REQUESTS if args.quick else DEFAULT_REQUESTS)
    started = time.perf_counter()

    engine = args.database_url.split(":", 1)[0] if args.database_url else "sqlite"
    console.print(
        f"Machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; "
        f"database: {engine}; server: repertoire serve (waitress, 4 threads); "
        f"client: one keep-alive connection, requests one after the other."
    )
    console.print(f"Code: {revision()}. {load()}")
    base = bundled_document()
    generating = time.perf_counter()
    generated = generate_edition(base, args.jobs, args.seed)
    console.print(
        f"Generated edition: {len(generated.jobs):,} jobs ({len(generated.jobs) - len(base.jobs):,}"
        f" generated from the {len(base.jobs)} real ones, seed {args.seed}) in "
        f"{time.perf_counter() - generating:.1f} s."
    )
    samples = run_server(args, base, generated)

    console.print(f"After measuring: {load()}")
    console.print(report(samples, args.requests, args.budget))
    console.print(
        f"first: the first request of the endpoint on the edition (the first search of an "
        f"edition builds its index). {FLOOR}: a request that does next to nothing, what any "
        f"request costs. Target: p95 ≤ {TARGET_P95_MS:.0f} ms on this machine."
    )
    for sample in samples:
        if sample.skipped:
            console.print(f"{sample.endpoint}, {sample.edition}: skipped, {sample.skipped}.")
        elif len(sample.latencies) < args.requests:
            console.print(
                f"{sample.endpoint}, {sample.edition}: stopped after {len(sample.latencies)} "
                f"requests, the {args.budget:.0f} s budget spent (--budget to change it)."
            )
    big = f"{len(generated.jobs):,} jobs"
    for sample in samples:
        if sample.skipped or sample.endpoint == FLOOR:
            continue
        if sample.edition == big or sample.percentile(95) > TARGET_P95_MS:
            console.print(slowest(sample))
    console.print(baseline_table(in_process(generated.jobs, args.requests), len(generated.jobs)))
    console.print(
        "naive scan: every job's title + missions, accent-folded and lower-cased once, each "
        "query word tested with `in` (no typo, no gender form, no ranking). SearchIndex: "
        "the engine the app serves, without appellations."
    )
    console.print(f"Total run time: {time.perf_counter() - started:.0f} s.")


if __name__ == "__main__":
    main()
