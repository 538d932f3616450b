"""Concurrency benchmark: 20 writers at once for 30 s against ``repertoire serve``, on the
embedded SQLite database and on PostgreSQL; every accepted write must be held.

    .venv/bin/python bench/concurrency.py                      # 20 writers, 30 s, both databases
    .venv/bin/python bench/concurrency.py --duration 10        # a fast check
    .venv/bin/python bench/concurrency.py --database sqlite    # one database only
    .venv/bin/python bench/concurrency.py --writers 40 --server-threads 40
    .venv/bin/python bench/concurrency.py --admin-url postgres://postgres@127.0.0.1:5432/postgres

What it does, in one run, for each database:

1. A temporary ``REPERTOIRE_HOME``; for PostgreSQL, a scratch database
   ``bench_concurrency_<pid>`` created through ``--admin-url`` (default
   ``postgres://postgres@127.0.0.1:5432/postgres``) and dropped at exit whatever happens;
   for SQLite, the embedded default (``repertoire.sqlite3`` in ``REPERTOIRE_HOME``, no
   ``DATABASE_URL``). ``repertoire manage migrate``, ``repertoire demo --employees N``
   (the bundled edition, DEMO-NORD and DEMO-SUD with N fake employees each), and an API
   token of demo-rh-nord.
2. Starts the app as ``repertoire serve --threads T`` runs it (waitress, the local
   settings) on a free port of 127.0.0.1.
3. Gives each writer its own DEMO-NORD employees and positionings (still open to a
   decision): what a writer last wrote to one of them is then what the database must
   hold. Each writer, on its own keep-alive connection, in a closed loop, picks one of
   three writes at random:

   - ``employee PATCH``: ``PATCH /api/employees/{id}`` with a new ``first_name``;
   - ``positioning change``: ``POST /api/positionings/{id}/change`` to another job;
   - ``comment``: ``POST /api/positionings/{id}/comment``.

   First one writer alone for a few seconds (the baseline: the service time without
   contention), then ``--writers`` writers for ``--duration`` seconds.
4. Prints the answers by status and by write, p50/p99 latency (request sent to answer
   read, ms), and what is missing: for each object, its final state in the database
   against the last write to it that answered 2xx, and for each write that answered 2xx
   its journal entry (``audit_journalentry``, counted by action and object). Target:
   0 answers 5xx (or no answer), 0 accepted writes missing.

Traffic goes to 127.0.0.1 only. The server is always stopped and the scratch database
always dropped. A benchmark prints figures; it never asserts (exit status 0 even when
the target is missed).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import shlex
import signal
import sqlite3
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
from load import (
    DEFAULT_ADMIN_URL,
    create_database,
    drop_database,
    ms,
    percentile,
    repertoire,
    run,
    with_database,
)
from rich.console import Console
from rich.table import Table
from server import HOST, free_port, launch, stop, wait_until_serving

DEFAULT_DURATION = 30.0
DEFAULT_WRITERS = 20
DEFAULT_SERVER_THREADS = 20  # as many as writers: every write reaches the database at once
DEFAULT_EMPLOYEES = 200
BASELINE_SECONDS = 5.0
REQUEST_TIMEOUT = 60.0
SERVER_START_TIMEOUT = 120.0
ESTABLISHMENT = "DEMO-NORD"

PATCH = "employee PATCH"
CHANGE = "positioning change"
COMMENT = "comment"
WRITES = (PATCH, CHANGE, COMMENT)
JOURNAL_ACTIONS = {
    PATCH: "employee.update",
    CHANGE: "positioning.change",
    COMMENT: "positioning.comment",
}

console = Console(highlight=False, width=None if sys.stdout.isatty() else 120)


# --- the app -------------------------------------------------------------------------------


def app_environment(home: Path, database_url: str | None) -> dict[str, str]:
    env = dict(os.environ, REPERTOIRE_HOME=str(home))
    for name in ("DJANGO_SETTINGS_MODULE", "REPERTOIRE_DEBUG", "DATABASE_URL"):
        env.pop(name, None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


class Client:
    """One keep-alive connection, as one person's browser or script."""

    def __init__(self, port: int, token: str):
        self.port = port
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)

    def send(self, method: str, path: str, body: dict | None = None) -> tuple[int, bytes]:
        payload = json.dumps(body).encode() if body is not None else None
        try:
            self.connection.request(method, path, body=payload, headers=self.headers)
            response = self.connection.getresponse()
            content = response.read()
        except Exception:
            self.connection.close()
            raise
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
        return response.status, content

    def get_all(self, path: str) -> list[dict]:
        items, offset = [], 0
        while True:
            status, body = self.send("GET", f"{path}&limit=100&offset={offset}")
            if status != 200:
                raise RuntimeError(f"GET {path} answered {status}: {body[:300]!r}")
            page = json.loads(body)
            page = page["items"] if isinstance(page, dict) else page
            items += page
            if len(page) < 100:
                return items
            offset += 100

    def close(self) -> None:
        self.connection.close()


# --- the writers ---------------------------------------------------------------------------


@dataclass
class Share:
    """A writer's own employees and positionings, and what it last wrote to each."""

    employees: list[int]
    positionings: list[int]


@dataclass
class Tally:
    """What the writers saw: answers by write and status, latencies, and for each object
    the last value an accepted write gave it and how many writes were accepted."""

    statuses: Counter = field(default_factory=Counter)  # (write, status) → answers
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    last: dict[tuple[str, int], str] = field(default_factory=dict)
    accepted: Counter = field(default_factory=Counter)  # (write, object id) → count
    samples: dict[int, str] = field(default_factory=dict)  # status → first body
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, write: str, status: int, elapsed: float, target: int, value: str, body):
        with self.lock:
            self.statuses[write, status] += 1
            self.latencies[write].append(elapsed)
            if 200 <= status < 300:
                self.last[write, target] = value
                self.accepted[write, target] += 1
            elif status not in self.samples:
                self.samples[status] = body[:300].decode(errors="replace")


def write_once(
    client: Client, share: Share, codes: list[str], rng: random.Random, tag: str, tally: Tally
) -> None:
    write = rng.choice(WRITES)
    if write == PATCH:
        target = rng.choice(share.employees)
        value = f"Prénom {tag}"
        method, path, body = "PATCH", f"/api/employees/{target}", {"first_name": value}
    elif write == CHANGE:
        target = rng.choice(share.positionings)
        value = rng.choice(codes)
        method, path, body = "POST", f"/api/positionings/{target}/change", {"job": value}
    else:
        target = rng.choice(share.positionings)
        value = f"Commentaire {tag}"
        method, path, body = "POST", f"/api/positionings/{target}/comment", {"text": value}
    started = time.perf_counter()
    try:
        status, answer = client.send(method, path, body)
    except Exception as exc:  # no answer: counted as status 0
        status, answer = 0, repr(exc).encode()
    tally.add(write, status, (time.perf_counter() - started) * 1000, target, value, answer)


def drive(
    port: int, token: str, shares: list[Share], codes: list[str], seconds: float, label: str
) -> tuple[Tally, float]:
    """Each share's writer in a closed loop for ``seconds``, all released together."""
    tally = Tally()
    start = threading.Barrier(len(shares) + 1)
    stop_at: list[float] = []

    def writer(number: int, share: Share) -> None:
        client = Client(port, token)
        rng = random.Random(number)
        count = 0
        start.wait()
        try:
            while time.monotonic() < stop_at[0]:
                count += 1
                write_once(client, share, codes, rng, f"{label}-{number}-{count}", tally)
        finally:
            client.close()

    threads = [
        threading.Thread(target=writer, args=item, daemon=True) for item in enumerate(shares)
    ]
    for thread in threads:
        thread.start()
    stop_at.append(time.monotonic() + seconds)
    began = time.perf_counter()
    start.wait()
    for thread in threads:
        thread.join()
    return tally, time.perf_counter() - began


# --- what the database holds ---------------------------------------------------------------


class Database:
    """Plain SQL reads of the app's tables, outside the app."""

    def __init__(self, home: Path, database_url: str | None):
        self.url, self.path = database_url, home / "repertoire.sqlite3"

    def rows(self, query: str) -> list[tuple]:
        if self.url:
            with psycopg.connect(self.url, connect_timeout=5) as connection:
                return connection.execute(query).fetchall()
        connection = sqlite3.connect(self.path, timeout=30)
        try:
            return connection.execute(query).fetchall()
        finally:
            connection.close()

    def last_journal_id(self) -> int:
        return self.rows("SELECT COALESCE(MAX(id), 0) FROM audit_journalentry")[0][0]

    def version(self) -> str:
        if self.url:
            return "PostgreSQL " + self.rows("SHOW server_version")[0][0]
        mode = self.rows("PRAGMA journal_mode")[0][0]
        return f"SQLite {sqlite3.sqlite_version} (journal_mode={mode})"


def missing(database: Database, tally: Tally, journal_from: int) -> dict[str, int]:
    """Accepted writes the database or the journal does not hold, by kind."""
    first_names = dict(database.rows("SELECT id, first_name FROM positioning_employee"))
    decisions = {
        pk: (code, comment)
        for pk, code, comment in database.rows(
            "SELECT p.id, j.code, p.comment FROM positioning_positioning p "
            "LEFT JOIN catalog_referencejob j ON j.id = p.job_id"
        )
    }
    journaled = Counter(
        (action, int(object_id))
        for action, object_id in database.rows(
            "SELECT action, object_id FROM audit_journalentry "
            f"WHERE id > {int(journal_from)} AND action IN "
            "('employee.update', 'positioning.change', 'positioning.comment')"
        )
    )
    lost = Counter()
    for (write, target), value in tally.last.items():
        if write == PATCH:
            held = first_names.get(target)
        elif write == CHANGE:
            held = decisions.get(target, (None, None))[0]
        else:
            held = decisions.get(target, (None, None))[1]
        if held != value:
            lost["database"] += 1
    for (write, target), count in tally.accepted.items():
        lost["journal"] += max(0, count - journaled[JOURNAL_ACTIONS[write], target])
    return {"database": lost["database"], "journal": lost["journal"]}


# --- one database --------------------------------------------------------------------------


@dataclass
class Outcome:
    database: str
    baseline: Tally
    tally: Tally
    elapsed: float
    lost: dict[str, int]
    server: list[str]


def measure(kind: str, arguments, home: Path, database_url: str | None) -> Outcome:
    env = app_environment(home, database_url)
    run(repertoire("manage", "migrate", "--verbosity", "0"), env)
    run(repertoire("demo", "--employees", str(arguments.employees)), env)
    token = run(repertoire("tokens", "create", "demo-rh-nord", "--name", "bench"), env)
    token = token.strip().splitlines()[-1].strip()
    port = free_port()
    command = repertoire("serve", "--port", str(port), "--threads", str(arguments.server_threads))
    log = home / "server.log"
    server = None
    try:
        server = launch(command, env, log)
        wait_until_serving(server, port, log, name="the server", timeout=SERVER_START_TIMEOUT)
        probe = Client(port, token)
        codes = [job["code"] for job in probe.get_all("/api/jobs?")][:12]
        open_ones = [
            p
            for status in ("proposed", "validated")
            for p in probe.get_all(
                f"/api/positionings?establishment={ESTABLISHMENT}&status={status}"
            )
        ]
        probe.close()
        writers = arguments.writers
        if len(open_ones) < writers:
            raise RuntimeError(f"{len(open_ones)} open positionings for {writers} writers")
        shares = [
            Share(
                employees=[p["employee"] for p in open_ones[number::writers]],
                positionings=[p["id"] for p in open_ones[number::writers]],
            )
            for number in range(writers)
        ]
        database = Database(home, database_url)
        console.print(f"  {kind}: one writer alone for {BASELINE_SECONDS:.0f} s …")
        baseline, _ = drive(port, token, shares[:1], codes, BASELINE_SECONDS, "alone")
        journal_from = database.last_journal_id()
        console.print(f"  {kind}: {writers} writers for {arguments.duration:.0f} s …")
        tally, elapsed = drive(port, token, shares, codes, arguments.duration, "load")
        if server.poll() is not None:
            console.print(f"[red]the server exited during the run ({server.returncode})[/red]")
        lost = missing(database, tally, journal_from)
        return Outcome(database.version(), baseline, tally, elapsed, lost, command)
    except Exception:
        if log.exists():
            console.print("[red]server log (tail):[/red]")
            console.print(log.read_text(errors="replace")[-3000:], markup=False)
        raise
    finally:
        stop(server)


# --- reporting -----------------------------------------------------------------------------


def server_errors(tally: Tally) -> int:
    return sum(
        count for (_, status), count in tally.statuses.items() if status >= 500 or not status
    )


def report(kind: str, outcome: Outcome, writers: int) -> Table:
    tally = outcome.tally
    statuses = sorted({status for _, status in tally.statuses})
    table = Table(
        "write",
        "answers",
        *(f"{status or 'none'}" for status in statuses),
        "writes/s",
        "p50 ms",
        "p99 ms",
        "alone p50 ms",
        title=f"{kind}: {writers} writers, {outcome.elapsed:.1f} s ({outcome.database})",
    )
    every: list[float] = []
    for write in WRITES:
        latencies = sorted(tally.latencies[write])
        every += latencies
        table.add_row(
            write,
            str(len(latencies)),
            *(str(tally.statuses[write, status]) for status in statuses),
            f"{len(latencies) / outcome.elapsed:.1f}",
            ms(percentile(latencies, 50)),
            ms(percentile(latencies, 99)),
            ms(percentile(sorted(outcome.baseline.latencies[write]), 50)),
        )
    every.sort()
    alone = sorted(v for values in outcome.baseline.latencies.values() for v in values)
    table.add_row(
        "all",
        str(len(every)),
        *(
            str(sum(c for (_, s), c in tally.statuses.items() if s == status))
            for status in statuses
        ),
        f"{len(every) / outcome.elapsed:.1f}",
        ms(percentile(every, 50)),
        ms(percentile(every, 99)),
        ms(percentile(alone, 50)),
        style="bold",
    )
    return table


def mark(ok: bool) -> str:
    return "[green]✓[/green]" if ok else "[red]✗[/red]"


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=DEFAULT_DURATION, help="seconds (30)")
    parser.add_argument("--writers", type=int, default=DEFAULT_WRITERS, help="concurrent (20)")
    parser.add_argument(
        "--server-threads",
        type=int,
        default=DEFAULT_SERVER_THREADS,
        help="repertoire serve --threads (20)",
    )
    parser.add_argument(
        "--employees", type=int, default=DEFAULT_EMPLOYEES, help="per demo establishment (200)"
    )
    parser.add_argument(
        "--database",
        choices=("sqlite", "postgresql", "both"),
        default="both",
        help="which database (both)",
    )
    parser.add_argument("--admin-url", default=DEFAULT_ADMIN_URL, help="PostgreSQL, to create")
    return parser.parse_args()


def _terminate(signum, frame):
    raise KeyboardInterrupt


def main() -> None:
    arguments = parse_arguments()
    signal.signal(signal.SIGTERM, _terminate)
    kinds = ("sqlite", "postgresql") if arguments.database == "both" else (arguments.database,)
    outcomes: dict[str, Outcome] = {}
    for kind in kinds:
        with tempfile.TemporaryDirectory(prefix=f"bench-concurrency-{kind}-") as tmp:
            home = Path(tmp)
            if kind == "sqlite":
                outcomes[kind] = measure(kind, arguments, home, None)
                continue
            name = f"bench_concurrency_{os.getpid()}"
            database_url = with_database(arguments.admin_url, name)
            console.print(f"Scratch database {name} on {urlsplit(database_url).netloc}")
            create_database(arguments.admin_url, name)
            try:
                outcomes[kind] = measure(kind, arguments, home, database_url)
            finally:
                drop_database(arguments.admin_url, name)
                console.print(f"Scratch database {name} dropped.")
    console.print()
    for kind, outcome in outcomes.items():
        console.print(report(kind, outcome, arguments.writers))
        for status, sample in sorted(outcome.tally.samples.items()):
            console.print(f"  first answer {status or 'none'}: {sample}", markup=False)
        errors = server_errors(outcome.tally)
        lost = sum(outcome.lost.values())
        console.print(
            f"  {kind}: answers 5xx or none {errors} (target 0) {mark(errors == 0)}; accepted "
            f"writes missing: from the database {outcome.lost['database']}, from the journal "
            f"{outcome.lost['journal']} (target 0) {mark(lost == 0)}"
        )
    console.print(
        f"Writers: {arguments.writers}, one keep-alive connection each, closed loop, each on "
        f"its own employees and positionings; writes drawn at random among {', '.join(WRITES)}; "
        f"'alone': one writer for {BASELINE_SECONDS:.0f} s before the load"
    )
    server = next(iter(outcomes.values())).server if outcomes else []
    console.print(f"Server: {shlex.join(['repertoire', *server[3:]])}", markup=False)
    console.print(
        f"Machine: {os.cpu_count()} cores ({platform.machine()}), "
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"{platform.system()} {platform.release()}; writers and server share the cores"
    )


if __name__ == "__main__":
    main()
