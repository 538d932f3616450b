"""Load test: gunicorn (2 workers) on PostgreSQL, 50 concurrent clients for 60 s.

    .venv/bin/python bench/load.py                  # 50 clients, 60 s
    .venv/bin/python bench/load.py --quick          # 50 clients, 10 s: a fast check
    .venv/bin/python bench/load.py --clients 100 --duration 120 --workers 4 --threads 8

It needs wrk (``apt-get install wrk``).
    .venv/bin/python bench/load.py --admin-url postgres://postgres@127.0.0.1:5432/postgres

What it does, in one run:

1. Creates a scratch PostgreSQL database ``bench_load_<pid>`` through ``--admin-url``
   (default ``postgres://postgres@127.0.0.1:5432/postgres``) and points ``DATABASE_URL``
   at it, with a temporary ``REPERTOIRE_HOME``.
2. ``repertoire manage migrate``, then ``repertoire demo --employees N`` (300 by default:
   the bundled 2014 edition, establishments DEMO-NORD and DEMO-SUD, their users and N
   fake employees each), then ``repertoire tokens create demo-rh-nord``.
3. Starts ``gunicorn -w 2 -b 127.0.0.1:<free port> repertoire.wsgi:application`` (sync
   workers, as the README deploys it; ``--threads N`` for gthread workers) with the
   *local* settings (``repertoire.settings``) and ``DATABASE_URL``: the production
   settings force an HTTPS redirect and secure cookies, which a plain-HTTP test on
   127.0.0.1 cannot follow. The app code, the database and the server are those of a
   deployment; only TLS is missing.
4. Warms up (every path of every kind, eight times, not counted: each worker builds its
   indexes and renders its pages on first use), measures each kind with one client
   alone (20 requests, p50: the service time without queueing), then runs ``--clients``
   clients for ``--duration`` seconds with wrk (Debian's ``wrk``; a C load generator,
   so that the clients take little of the cores the server needs). The clients are split
   evenly over the four kinds, one wrk process per kind; each client has one connection
   (which sync workers close after each answer, and wrk opens again) and sends its next
   request as soon as the last one is answered (closed loop, no think time unless
   ``--think-ms``):

   - ``job sheet``: ``GET /emplois/<code>/`` (every code of ``GET /api/jobs?limit=100``)
   - ``search page``: ``GET /recherche/?q=…`` (sixteen queries)
   - ``API jobs``: ``GET /api/jobs?limit=50``
   - ``API employees``: ``GET /api/employees?limit=50`` with ``Authorization: Bearer``
     (the token of demo-rh-nord: DEMO-NORD's employees)

5. Prints, per kind and overall: requests, requests/s, p50/p95/p99/max latency (request
   written to answer read, in ms, timed by bench/load.lua) and errors (connection errors,
   timeouts and answers of status 400 or more), then the target (0 errors,
   p99 ≤ 200 ms) with ✓/✗, the machine, the gunicorn command and the database.

Traffic goes to 127.0.0.1 only and stops after ``--duration`` seconds. gunicorn is always
stopped and the scratch database always dropped, on success, error or Ctrl-C. The load
generator runs on the same machine as the server and takes its share of the cores: the
figures are those of the server *and* its clients. A benchmark prints figures; it never
asserts (exit status 0 even when the target is missed).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import platform
import random
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import psycopg
from psycopg import sql
from rich.console import Console
from rich.table import Table
from server import HOST, free_port, launch, stop, wait_until_serving

DEFAULT_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
DEFAULT_DURATION = 60.0
QUICK_DURATION = 10.0
DEFAULT_CLIENTS = 50
DEFAULT_WORKERS = 2
DEFAULT_THREADS = 1  # sync workers, as deployed
DEFAULT_EMPLOYEES = 300
TARGET_P99_MS = 200.0
TARGET_ERRORS = 0
COMMAND_TIMEOUT = 600.0
REQUEST_TIMEOUT = 30.0
UNLOADED_REQUESTS = 20
WARM_UP_ROUNDS = 8

JOB_SHEET = "job sheet"
SEARCH_PAGE = "search page"
API_JOBS = "API jobs"
API_EMPLOYEES = "API employees"
KINDS = (JOB_SHEET, SEARCH_PAGE, API_JOBS, API_EMPLOYEES)
# What people type in the search box: titles, without accents, feminine forms, typos,
# words cut short, mission words, acronyms.
QUERIES = (
    "comptable",
    "controleur de gestion",
    "Chargé(e) de relation client",
    "formatrice",
    "conseillère",
    "tecnicien paye",
    "compta",
    "pédago",
    "relation client",
    "accueil téléphonique",
    "appels d'offres",
    "DRH",
    "assistant",
    "juriste",
    "développement économique",
    "informatique",
)

console = Console(highlight=False, width=None if sys.stdout.isatty() else 120)


# --- the database and the app ------------------------------------------------------------


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def create_database(admin_url: str, name: str) -> None:
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(admin_url: str, name: str) -> None:
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def app_environment(home: Path, database_url: str) -> dict[str, str]:
    env = dict(os.environ, REPERTOIRE_HOME=str(home), DATABASE_URL=database_url)
    # Settings that would change what is measured are left at their defaults.
    for name in ("DJANGO_SETTINGS_MODULE", "REPERTOIRE_DEBUG", "REPERTOIRE_API_PUBLIC_READ"):
        env.pop(name, None)
    # Every client of the benchmark calls from one address: the anonymous rate limit, meant
    # for one caller, would answer most of them 429. What is measured is the app's speed.
    env["REPERTOIRE_API_ANONYMOUS_RATE"] = "100000000/min"
    return env


def run(command: Sequence[str], env: dict[str, str]) -> str:
    """Runs a command to completion; its standard output, or an error with its output."""
    started = time.perf_counter()
    result = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=COMMAND_TIMEOUT, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"{shlex.join(command)} exited with {result.returncode}:\n"
            f"{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
        )
    console.print(f"  {shlex.join(command[2:])}  ({time.perf_counter() - started:.1f} s)")
    return result.stdout


def repertoire(*args: str) -> list[str]:
    return [sys.executable, "-m", "repertoire", *args]


def gunicorn_command(port: int, workers: int, threads: int) -> list[str]:
    command = [sys.executable, "-m", "gunicorn", "--workers", str(workers)]
    if threads > 1:
        command += ["--threads", str(threads)]  # gthread workers
    return [*command, "--bind", f"{HOST}:{port}", "--timeout", "60", "repertoire.wsgi:application"]


# --- the clients -------------------------------------------------------------------------


class Client:
    """One keep-alive HTTP/1.1 connection; reconnects after an error or a ``close``."""

    def __init__(self, port: int):
        self.port = port
        self.connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)

    def get(self, path: str, headers: dict[str, str]) -> tuple[int, bytes]:
        try:
            self.connection.request("GET", path, headers=headers)
            response = self.connection.getresponse()
            body = response.read()
        except Exception:
            self.connection.close()
            raise
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
        return response.status, body

    def close(self) -> None:
        self.connection.close()


@dataclass
class Requests:
    """The paths of each kind of request and the headers they carry."""

    codes: list[str]
    token: str

    def paths(self, kind: str) -> list[str]:
        if kind == JOB_SHEET:
            return [f"/emplois/{code}/" for code in self.codes]
        if kind == SEARCH_PAGE:
            return [f"/recherche/?{urlencode({'q': query})}" for query in QUERIES]
        if kind == API_JOBS:
            return ["/api/jobs?limit=50"]
        return ["/api/employees?limit=50"]

    def headers(self, kind: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if kind == API_EMPLOYEES else {}

    def path(self, kind: str, rng: random.Random) -> tuple[str, dict[str, str]]:
        return rng.choice(self.paths(kind)), self.headers(kind)


@dataclass
class KindResult:
    """What the clients of one kind saw: every latency (ms), the errors by kind, and the
    first failed answer."""

    latencies: list[float]
    errors: dict[str, int]
    sample: str

    @classmethod
    def read(cls, path: Path) -> KindResult:
        counts, latencies, sample = path.read_text(errors="replace").split("\n", 2)
        names = ("connect", "read", "write", "timeout", "status")
        return cls(
            latencies=sorted(int(value) / 1000 for value in latencies.split()),
            errors=dict(zip(names, map(int, counts.split()), strict=True)),
            sample=sample.strip(),
        )

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())


def warm_up(port: int, requests: Requests, clients: int) -> float:
    """Every path of every kind, ``WARM_UP_ROUNDS`` times, spread over the clients; not
    counted. Each worker then has its indexes built and its pages rendered, as a server
    has after its first minutes (a worker misses a path with odds of 2 ** -rounds).
    Seconds taken."""
    started = time.perf_counter()
    work = [
        (path, requests.headers(kind))
        for _ in range(WARM_UP_ROUNDS)
        for kind in KINDS
        for path in requests.paths(kind)
    ]

    def one(number: int) -> None:
        client = Client(port)
        try:
            for path, headers in work[number::clients]:
                with contextlib.suppress(Exception):
                    client.get(path, headers)
        finally:
            client.close()

    threads = [threading.Thread(target=one, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def unloaded(port: int, requests: Requests, count: int) -> dict[str, float]:
    """Median latency of each kind with one client alone: the service time, without queueing."""
    client = Client(port)
    rng = random.Random(0)
    medians = {}
    try:
        for kind in KINDS:
            values = []
            for _ in range(count):
                path, headers = requests.path(kind, rng)
                started = time.perf_counter()
                client.get(path, headers)
                values.append((time.perf_counter() - started) * 1000)
            medians[kind] = percentile(sorted(values), 50)
    finally:
        client.close()
    return medians


def drive(
    port: int, requests: Requests, clients: int, duration: float, think_ms: float, tmp: Path
) -> tuple[dict[str, KindResult], float]:
    """The load: one wrk process per kind, all at once, the clients split evenly."""
    script = Path(__file__).with_name("load.lua")
    processes = {}
    for index, kind in enumerate(KINDS):
        connections = clients // len(KINDS) + (index < clients % len(KINDS))
        env = dict(
            os.environ,
            LOAD_PATHS="\n".join(requests.paths(kind)),
            LOAD_TOKEN=requests.token if kind == API_EMPLOYEES else "",
            LOAD_THINK=f"{think_ms:.0f}",
            LOAD_OUT=str(tmp / f"wrk-{index}.txt"),
        )
        # One thread per connection: each thread's requests and answers alternate, which
        # the script needs to time them.
        command = [
            "wrk", "--threads", str(connections), "--connections", str(connections),
            "--duration", f"{duration:.0f}s", "--timeout", f"{REQUEST_TIMEOUT:.0f}s",
            "--script", str(script), f"http://{HOST}:{port}",
        ]  # fmt: skip
        processes[kind] = subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
    began = time.perf_counter()
    results = {}
    try:
        for index, (kind, process) in enumerate(processes.items()):
            output, _ = process.communicate(timeout=duration + REQUEST_TIMEOUT + 30)
            if process.returncode != 0:
                raise RuntimeError(f"wrk ({kind}) exited with {process.returncode}:\n{output}")
            results[kind] = KindResult.read(tmp / f"wrk-{index}.txt")
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.kill()
                process.wait()
    return results, time.perf_counter() - began


# --- reporting ---------------------------------------------------------------------------


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile of sorted values."""
    if not values:
        return float("nan")
    rank = max(1, min(len(values), int(-(-p * len(values) // 100))))
    return values[rank - 1]


def ms(value: float) -> str:
    return "–" if value != value else f"{value:.1f}"


def report(results: dict[str, KindResult], elapsed: float) -> Table:
    """Requests counts answers and socket errors; latencies are those of the answers."""
    table = Table(
        "endpoint", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors",
        title=f"{elapsed:.1f} s of load",
    )  # fmt: skip
    rows = [(kind, result.latencies, result.errors) for kind, result in results.items()]
    rows.append(("all", overall_latencies(results), overall_errors(results)))
    for index, (name, values, errors) in enumerate(rows):
        sockets = errors["connect"] + errors["read"] + errors["write"] + errors["timeout"]
        count, failed = len(values) + sockets, sum(errors.values())
        table.add_row(
            name,
            str(count),
            f"{count / elapsed:.1f}",
            ms(percentile(values, 50)),
            ms(percentile(values, 95)),
            ms(percentile(values, 99)),
            ms(values[-1] if values else float("nan")),
            f"[red]{failed}[/red]" if failed else "0",
            end_section=index == len(rows) - 2,
        )
    return table


def overall_latencies(results: dict[str, KindResult]) -> list[float]:
    return sorted(value for result in results.values() for value in result.latencies)


def overall_errors(results: dict[str, KindResult]) -> dict[str, int]:
    return {
        name: sum(result.errors[name] for result in results.values())
        for name in next(iter(results.values())).errors
    }


def mark(ok: bool) -> str:
    return "[green]✓[/green]" if ok else "[red]✗[/red]"


# --- main --------------------------------------------------------------------------------


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=DEFAULT_DURATION, help="seconds (60)")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_DURATION:.0f} s of load")
    parser.add_argument("--clients", type=int, default=DEFAULT_CLIENTS, help="concurrent (50)")
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS, help="gunicorn (2)")
    parser.add_argument(
        "--threads", type=int, default=DEFAULT_THREADS, help="per worker (1: sync workers)"
    )
    parser.add_argument(
        "--employees", type=int, default=DEFAULT_EMPLOYEES, help="per establishment (300)"
    )
    parser.add_argument(
        "--think-ms", type=float, default=0.0, help="pause after each answer (0: closed loop)"
    )
    parser.add_argument("--admin-url", default=DEFAULT_ADMIN_URL, help="PostgreSQL, to create")
    arguments = parser.parse_args()
    if arguments.quick:
        arguments.duration = QUICK_DURATION
    if not 0 < arguments.duration <= 3600 or arguments.clients < len(KINDS):
        parser.error(f"--duration must be in (0, 3600] and --clients at least {len(KINDS)}")
    if shutil.which("wrk") is None:
        parser.error("wrk drives the load: install it (apt-get install wrk)")
    if urlsplit(arguments.admin_url).hostname not in ("127.0.0.1", "localhost", "::1"):
        parser.error("--admin-url must point at this machine (127.0.0.1)")
    return arguments


def _terminate(signum, frame):
    raise SystemExit(128 + signum)  # runs the ``finally`` blocks: gunicorn and the database


def main() -> None:
    arguments = parse_arguments()
    signal.signal(signal.SIGTERM, _terminate)
    name = f"bench_load_{os.getpid()}"
    database_url = with_database(arguments.admin_url, name)
    command: list[str] = []
    server: subprocess.Popen | None = None
    created = False
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        home = Path(tmp)
        log = home / "gunicorn.log"
        env = app_environment(home, database_url)
        try:
            console.print(f"Scratch database {name} on {urlsplit(database_url).netloc}")
            create_database(arguments.admin_url, name)
            created = True
            run(repertoire("manage", "migrate", "--verbosity", "0"), env)
            run(repertoire("demo", "--employees", str(arguments.employees)), env)
            token = run(repertoire("tokens", "create", "demo-rh-nord", "--name", "bench"), env)
            token = token.strip().splitlines()[-1].strip()

            port = free_port()
            command = gunicorn_command(port, arguments.workers, arguments.threads)
            server = launch(command, env, log, cwd=tmp)
            wait_until_serving(server, port, log)
            probe = Client(port)
            status, body = probe.get("/api/jobs?limit=100", {})
            probe.close()
            if status != 200:
                raise RuntimeError(f"/api/jobs answered {status}: {body[:300]!r}")
            codes = [job["code"] for job in json.loads(body)["items"]]
            requests = Requests(codes=codes, token=token)
            warm = warm_up(port, requests, arguments.clients)
            console.print(
                f"  gunicorn up; warm-up {warm:.1f} s; {len(codes)} job codes; "
                f"{arguments.clients} clients for {arguments.duration:.0f} s …"
            )
            alone = unloaded(port, requests, UNLOADED_REQUESTS)
            results, elapsed = drive(
                port, requests, arguments.clients, arguments.duration, arguments.think_ms, home
            )
            if server.poll() is not None:
                console.print(f"[red]gunicorn exited during the run ({server.returncode})[/red]")

            console.print()
            console.print(report(results, elapsed))
            console.print(
                f"One client alone ({UNLOADED_REQUESTS} requests each, before the load), p50: "
                + ", ".join(f"{kind} {ms(value)} ms" for kind, value in alone.items())
            )
            for kind, result in results.items():
                if result.error_count:
                    console.print(f"  errors, {kind}: {result.errors}", markup=False)
                    if result.sample:
                        console.print(f"  first failed answer: {result.sample}", markup=False)
            errors = sum(overall_errors(results).values())
            p99 = percentile(overall_latencies(results), 99)
            met = errors <= TARGET_ERRORS and p99 == p99 and p99 <= TARGET_P99_MS
            console.print(
                f"Target: errors {errors} (≤ {TARGET_ERRORS}) {mark(errors <= TARGET_ERRORS)}, "
                f"p99 {ms(p99)} ms (≤ {TARGET_P99_MS:.0f} ms) "
                f"{mark(p99 == p99 and p99 <= TARGET_P99_MS)} → {'met' if met else 'missed'}"
            )
            think = (
                f"{arguments.think_ms:.0f} ms think time" if arguments.think_ms else "closed loop"
            )
            console.print(
                f"Load: {arguments.clients} clients ({think}, one connection each), "
                f"split evenly over {' / '.join(KINDS)}: one wrk process per kind"
            )
            console.print(
                f"Machine: {os.cpu_count()} cores ({platform.machine()}), "
                f"{platform.python_implementation()} {platform.python_version()}, "
                f"{platform.system()} {platform.release()}; clients and server share the cores"
            )
            console.print(f"Server: {shlex.join(['gunicorn', *command[3:]])}", markup=False)
            console.print(
                "Settings: repertoire.settings (local settings with DATABASE_URL; "
                "production settings would redirect plain HTTP to HTTPS)"
            )
            with psycopg.connect(database_url, connect_timeout=5) as connection:
                version = connection.execute("SHOW server_version").fetchone()[0]
            console.print(
                f"Database: PostgreSQL {version}, {name} on {urlsplit(database_url).netloc} "
                f"(scratch, dropped at exit); {arguments.employees} employees per establishment"
            )
        except Exception:
            if log.exists():
                console.print("[red]gunicorn log (tail):[/red]")
                console.print(log.read_text(errors="replace")[-3000:], markup=False)
            raise
        finally:
            stop(server)
            if created:
                drop_database(arguments.admin_url, name)
                console.print(f"Scratch database {name} dropped; gunicorn stopped.")


if __name__ == "__main__":
    main()
