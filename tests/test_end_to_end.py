"""The installed command as a newcomer runs it: a fresh data directory, SQLite, real processes.

These tests start `python -m repertoire` in subprocesses on a temporary SQLite database
(whatever DATABASE_URL the suite runs with), so they prove the first-start path.
"""

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request

import pytest


@pytest.fixture
def fresh_env(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env["REPERTOIRE_HOME"] = str(tmp_path / "home")
    return env


def repertoire(env, *args, timeout=120):
    return subprocess.run(
        [sys.executable, "-m", "repertoire", *map(str, args)],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_fresh_install_exports_the_bundled_edition(fresh_env, document):
    result = repertoire(fresh_env, "export", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert len(data["jobs"]) == 51
    assert [(j["code"], j["level"]) for j in data["jobs"]] == [
        (job.code, job.level) for job in document.jobs
    ]
    assert (tmp := fresh_env["REPERTOIRE_HOME"]) and os.path.exists(
        os.path.join(tmp, "repertoire.sqlite3")
    )


def test_refused_import_leaves_the_database_as_it_was(fresh_env, source_text, tmp_path):
    before = repertoire(fresh_env, "export", "--format", "json").stdout
    lines = source_text.split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith("Classification niveau"))
    lines[index] = "Classification niveau IX"
    path = tmp_path / "bad.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    result = repertoire(fresh_env, "import", path, "--label", "mauvaise")
    assert result.returncode == 2
    assert f"line {index + 1}: " in result.stderr
    assert repertoire(fresh_env, "export", "--format", "json").stdout == before
    missing = repertoire(fresh_env, "export", "--edition", "mauvaise")
    assert missing.returncode == 2


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_prints_its_url_and_serves_the_repertoire(fresh_env, document):
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "repertoire", "serve", "--port", str(port)],
        env=fresh_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()
        url = re.search(r"http://\S+/", line).group(0)
        assert url == f"http://127.0.0.1:{port}/"
        for _ in range(50):
            try:
                page = urllib.request.urlopen(url, timeout=5).read().decode()
                break
            except OSError:
                time.sleep(0.2)
        for job in document.jobs:
            assert f'href="/emplois/{job.code}/"' in page
        api = json.load(urllib.request.urlopen(url + "api/jobs?limit=100", timeout=5))
        assert api["count"] == 51
        css = urllib.request.urlopen(url + "static/repertoire/base.css", timeout=5)
        assert css.status == 200
        # A body announced over the largest upload is refused before it is read, signed in
        # or not: the answer comes without a byte of the body sent.
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.sendall(
                b"POST /api/employees/import HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: application/octet-stream\r\n"
                + f"Content-Length: {22 * 2**20}\r\n\r\n".encode()
            )
            status = sock.recv(200).split(b"\r\n", 1)[0]
        assert b" 413 " in status
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_production_settings_pass_the_deploy_checks(fresh_env):
    env = dict(fresh_env)
    env["DJANGO_SETTINGS_MODULE"] = "repertoire.settings_production"
    env["REPERTOIRE_SECRET_KEY"] = "x" * 20 + "-production-secret-from-the-environment-" + "y" * 20
    env["REPERTOIRE_ALLOWED_HOSTS"] = "repertoire.example.org"
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
