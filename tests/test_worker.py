"""Real worker processes on the database queue: a worker killed (SIGKILL) in the middle
of an import leaves it failed with its reason within a minute, never "being imported"
forever, with nothing half written; started again, the import goes through.

Runs on SQLite (a file, as the embedded default), or on PostgreSQL when DATABASE_URL
names one (a scratch database, dropped afterwards)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ROWS = 300

pytestmark = pytest.mark.database_url


@pytest.fixture
def environment(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL")
    }
    env.update(
        REPERTOIRE_HOME=str(tmp_path / "home"),
        REPERTOIRE_BACKGROUND_TASKS="database",
        # Quick to tell a dead worker in a test; the defaults are 5 s and 45 s.
        REPERTOIRE_WORK_HEARTBEAT="0.5",
        REPERTOIRE_WORK_STALE_AFTER="4",
        PYTHONPATH=str(ROOT),
    )
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield env
        return
    psycopg = pytest.importorskip("psycopg")
    admin = psycopg.connect(url, autocommit=True, connect_timeout=3)
    name = f"repertoire_worker_{uuid.uuid4().hex[:8]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {**env, "DATABASE_URL": url.rsplit("/", 1)[0] + "/" + name}
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def step(env, *arguments, timeout=180) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "tests.worker_scenario", *map(str, arguments)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, (arguments, done.stdout, done.stderr)
    return done.stdout.strip()


def wait(env, pk, status, timeout=60) -> dict:
    return json.loads(step(env, "wait", pk, status, timeout).splitlines()[-1])


def start(env, *command) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", *command],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_a_worker_killed_mid_import_leaves_it_failed_then_it_can_be_started_again(
    environment, tmp_path
):
    env = environment
    pk = step(env, "setup", ROWS).splitlines()[-1]
    block = tmp_path / "block"
    block.touch()  # the first worker's import stops in its write transaction
    first = start(env, "tests.worker_scenario", "worker", block)
    second = None
    try:
        assert wait(env, pk, "ready")["status"] == "ready"
        step(env, "commit", pk)
        importing = wait(env, pk, "importing")
        assert 0 < importing["progress"] < 1
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        killed = time.monotonic()
        # Another worker, as `repertoire worker` runs it (or `serve` starts it again).
        second = start(env, "repertoire", "worker", "--interval", "0.2")
        failed = wait(env, pk, "failed", timeout=60)
        assert time.monotonic() - killed < 60
        assert failed["error"].startswith("interrompu"), failed
        assert failed["employees"] == 0  # the killed transaction wrote nothing
        # Started again from its page: analysed anew, then imported.
        step(env, "restart", pk)
        assert wait(env, pk, "ready")["employees"] == 0
        step(env, "commit", pk)
        assert wait(env, pk, "done")["employees"] == ROWS
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait()
    assert second is not None
