"""The embedded database (a SQLite file) takes twenty writers at once: every write is
accepted, and held by the database and the journal; a publication reads its campaign
while colleagues write."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
WRITERS = 20
ROUNDS = 5
ACTIONS = ("employee.update", "positioning.change", "positioning.comment")

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="the embedded database: run once, with the SQLite suite",
)


def _scenario(module: str, home, *args) -> dict:
    """Run a scenario module of this folder on a SQLite file of its own; what it printed."""
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(REPERTOIRE_HOME=str(home), DJANGO_SETTINGS_MODULE="repertoire.settings")
    result = subprocess.run(
        [sys.executable, "-m", f"tests.concurrency.{module}", *map(str, args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_twenty_writers_at_once_on_a_sqlite_file(tmp_path):
    outcome = _scenario("sqlite_writers", tmp_path, WRITERS, ROUNDS)
    assert outcome["errors"] == {}, outcome["first_error"]
    assert outcome["accepted"] == dict.fromkeys(ACTIONS, WRITERS * ROUNDS)
    assert outcome["journaled"] == outcome["accepted"]
    assert outcome["final_first_names"] == WRITERS
    assert outcome["final_comments"] == WRITERS


def test_a_publication_reads_its_campaign_while_colleagues_write(tmp_path):
    """Each progress report follows a colleague's write: the publication's read is over
    before it writes, or SQLite refuses at once ("database is locked")."""
    outcome = _scenario("sqlite_publication", tmp_path)
    assert outcome["reports"] >= 2
    assert outcome["comments"] == outcome["reports"]
    assert outcome["planned"] > 1000
