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
3. For each edition and endpoint (API search, search page, job sheet page) sends one
   first request (the search index of an edition is built on its first search: that time
   is printed apart), then N requests one after the other on one keep-alive connection,
   and prints p50/p95/p99/max, the non-200 answers and the target (p95 ≤ 30 ms).
4. Prints, beside the engine, a naive search measured in-process on the same jobs: every
   job's title and missions scanned with ``in`` on accent-folded lower-case text.

A benchmark prints figures; it never asserts. The search page is measured only when the
app serves it (``/recherche/``); otherwise a note says it was skipped.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import re
import socket
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

from repertoire.bundled import bundled_document
from repertoire.core.document import (
    JobSheet,
    ListItem,
    RepertoireDocument,
    SommaireEntry,
    parse_document,
    write_document,
)
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
REQUEST_TIMEOUT = 60.0
SEARCH_PAGE = "/recherche/"

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
    rf"(?<![{_LETTERS}])(?:(?:la|le|les|des|du|de)\s+|l['’]|d['’])"
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
_PARTICIPLE = re.compile(r"\s\S+(?:é|ée|és|ées|ant|ante|ants|antes)$")
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
                for phrase in _PHRASE.findall(text):
                    phrase = " ".join(phrase.split())
                    if not set(phrase.split()) & _NOT_A_FIELD and not _PARTICIPLE.search(phrase):
                        counts[phrase] += 1
    return [phrase for phrase, _ in counts.most_common()]


def _join(head: str, takes_de: bool, field_name: str) -> str:
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
) -> Sample:
    """A first request, then ``requests`` more cycling over ``paths`` ((key, path) pairs)."""
    status, _, sample.first_ms = client.get(paths[0][1])
    if status != 200:
        sample.errors += 1
    for number in range(requests):
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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def app_environment(home: Path, database_url: str | None) -> dict[str, str]:
    env = dict(os.environ, REPERTOIRE_HOME=str(home))
    # Settings that would change what is measured are left at their defaults.
    for name in ("DATABASE_URL", "REPERTOIRE_DEBUG", "REPERTOIRE_API_PUBLIC_READ"):
        env.pop(name, None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def repertoire(*args: str) -> list[str]:
    return [sys.executable, "-m", "repertoire", *args]


@contextlib.contextmanager
def served(env: dict[str, str], log: Path) -> Iterator[int]:
    """``repertoire serve`` on a free port until the block ends; yields the port."""
    port = free_port()
    with log.open("wb") as output:
        process = subprocess.Popen(
            repertoire("serve", "--host", "127.0.0.1", "--port", str(port)),
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"repertoire serve exited:\n{log.read_text()[-2000:]}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"repertoire serve did not answer:\n{log.read_text()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        yield port
    except Exception:
        console.print(f"[red]Server log (tail):[/red]\n{log.read_text(errors='replace')[-3000:]}")
        raise
    finally:
        process.terminate()
        try:
            process.wait(SERVER_STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(SERVER_STOP_TIMEOUT)


def editions(client: Client) -> list[dict]:
    status, body, _ = client.get("/api/editions")
    if status != 200:
        raise RuntimeError(f"/api/editions answered {status}")
    return json.loads(body)


# --- reporting ---------------------------------------------------------------------------


def ms(value: float | None) -> str:
    return "–" if value is None or value != value else f"{value:.1f}"


def report(samples: Sequence[Sample], requests: int) -> Table:
    table = Table(title=f"Latency through HTTP, ms ({requests} requests after a first one)")
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
    table = Table(title=f"Slowest queries, {sample.endpoint}, {sample.edition}")
    table.add_column("query")
    for name in ("runs", "median ms", "max ms"):
        table.add_column(name, justify="right")
    ranked = sorted(sample.by_query.items(), key=lambda item: -statistics.median(item[1]))
    for query, latencies in ranked[:count]:
        table.add_row(
            query, str(len(latencies)), ms(statistics.median(latencies)), ms(max(latencies))
        )
    return table


def baseline_table(results: dict[str, tuple[list[float], int]], jobs: int) -> Table:
    table = Table(title=f"In-process search on the same {jobs:,} jobs, ms (no HTTP, no database)")
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=None, help="per edition and endpoint")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_REQUESTS} requests")
    parser.add_argument("--jobs", type=int, default=DEFAULT_JOBS, help="generated edition size")
    parser.add_argument("--seed", type=int, default=2014)
    parser.add_argument("--database-url", help="serve from this database instead of SQLite")
    args = parser.parse_args()
    requests = args.requests or (QUICK_REQUESTS if args.quick else DEFAULT_REQUESTS)
    started = time.perf_counter()

    engine = args.database_url.split(":", 1)[0] if args.database_url else "sqlite"
    console.print(
        f"Machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; "
        f"database: {engine}; server: repertoire serve (waitress, 4 threads); "
        f"client: one keep-alive connection, requests one after the other."
    )

    base = bundled_document()
    t0 = time.perf_counter()
    generated = generate_edition(base, args.jobs, args.seed)
    generate_s = time.perf_counter() - t0
    big_label = f"bench-{args.jobs}-s{args.seed}"

    with tempfile.TemporaryDirectory(prefix="repertoire-bench-") as tmp:
        tmp_path = Path(tmp)
        document_path = tmp_path / f"{big_label}.txt"
        parse_s = write_edition(generated, document_path)
        size_mb = document_path.stat().st_size / 1e6
        console.print(
            f"Generated edition: {len(generated.jobs):,} jobs "
            f"({len(generated.jobs) - len(base.jobs):,} generated from the {len(base.jobs)} real "
            f"ones, seed {args.seed}), {size_mb:.1f} MB, in {generate_s:.1f} s; "
            f"parse_document reads it back in {parse_s:.1f} s."
        )
        env = app_environment(tmp_path / "home", args.database_url)
        samples: list[Sample] = []
        with served(env, tmp_path / "serve.log") as port:
            client = Client(port)
            try:
                known = {e["label"]: e for e in editions(client)}
                if big_label in known:
                    console.print(f"Edition {big_label} already in the database: reused.")
                else:
                    t0 = time.perf_counter()
                    result = subprocess.run(
                        repertoire("import", str(document_path), "--label", big_label),
                        env=env,
                        capture_output=True,
                        text=True,
                        check=False,
                    )
                    import_s = time.perf_counter() - t0
                    if result.returncode != 0:
                        raise RuntimeError(f"import failed:\n{result.stdout}\n{result.stderr}")
                    console.print(
                        f"repertoire import of {len(generated.jobs):,} jobs: {import_s:.1f} s "
                        f"(wall time, process start included)."
                    )
                small_label = base.date.isoformat()
                small_codes = [job.code for job in base.jobs]
                big_codes = [
                    job.code
                    for job in random.Random(args.seed).sample(
                        generated.jobs, min(JOB_SHEET_SAMPLE, len(generated.jobs))
                    )
                ]
                status, _, _ = client.get(
                    f"{SEARCH_PAGE}?{urlencode({'q': 'comptable', 'edition': small_label})}"
                )
                page_note = "" if status == 200 else f"{SEARCH_PAGE} answers {status}"
                for label, name, codes in (
                    (small_label, f"{len(base.jobs)} jobs", small_codes),
                    (big_label, f"{len(generated.jobs):,} jobs", big_codes),
                ):
                    samples.append(
                        measure(
                            client,
                            Sample(name, "API search"),
                            search_paths("/api/search", label),
                            requests,
                        )
                    )
                    page = Sample(name, "search page", skipped=page_note)
                    if not page_note:
                        measure(client, page, search_paths(SEARCH_PAGE, label), requests)
                    samples.append(page)
                    samples.append(
                        measure(
                            client,
                            Sample(name, "job sheet page"),
                            sheet_paths(codes, label),
                            requests,
                        )
                    )
            finally:
                client.close()

    console.print(report(samples, requests))
    console.print(
        "first: the first request of the endpoint on the edition (the first search of an "
        "edition builds its index). Target: p95 ≤ 30 ms on this machine."
    )
    if any(sample.skipped for sample in samples):
        console.print(f"Search page skipped: {SEARCH_PAGE} answers {status} (not served yet).")
    big_search = [s for s in samples if s.edition != samples[0].edition and not s.skipped]
    for sample in big_search:
        if sample.endpoint != "job sheet page":
            console.print(slowest(sample))
    console.print(baseline_table(in_process(generated.jobs, requests), len(generated.jobs)))
    console.print(
        "naive scan: every job's title + missions, accent-folded and lower-cased once, each "
        "query word tested with `in` (no typo, no gender form, no ranking). SearchIndex: "
        "the engine the app serves, without appellations."
    )
    console.print(f"Total run time: {time.perf_counter() - started:.0f} s.")


if __name__ == "__main__":
    main()
