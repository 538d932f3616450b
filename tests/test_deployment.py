"""The network deployment as documented: gunicorn, production settings, PostgreSQL,
static files served by WhiteNoise, two app processes behind one database."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid

import pytest

# The suite's own PostgreSQL: this test belongs to the run on PostgreSQL.
POSTGRES_URL = os.environ.get("DATABASE_URL", "")
SECRET = "deployment-test-" + "k" * 50
HOST = "repertoire.example.org"


pytestmark = pytest.mark.database_url


@pytest.fixture
def scratch_database():
    """An empty PostgreSQL database for this test, dropped afterwards."""
    if not POSTGRES_URL.startswith("postgres"):
        pytest.skip("runs with the suite on PostgreSQL (DATABASE_URL)")
    psycopg = pytest.importorskip("psycopg")
    admin = psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=3)
    name = f"repertoire_deploy_{uuid.uuid4().hex[:8]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield POSTGRES_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> urllib.request.addinfourl:
    # The proxy in front terminates HTTPS and says so (SECURE_PROXY_SSL_HEADER).
    request = urllib.request.Request(url, headers={"Host": HOST, "X-Forwarded-Proto": "https"})
    return urllib.request.urlopen(request, timeout=10)


def test_gunicorn_with_production_settings_on_postgresql(scratch_database, tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="repertoire.settings_production",
        DATABASE_URL=scratch_database,
        REPERTOIRE_SECRET_KEY=SECRET,
        REPERTOIRE_ALLOWED_HOSTS=HOST,
        REPERTOIRE_HOME=str(tmp_path / "home"),
        REPERTOIRE_STATIC_ROOT=str(tmp_path / "static"),
    )
    manage = [sys.executable, "-m", "repertoire", "manage"]
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        result = subprocess.run(
            manage + command, env=env, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, result.stderr
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); "
            "from repertoire.catalog.services import ensure_bundled_edition; "
            "ensure_bundled_edition(author='deploy')",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert loaded.returncode == 0, loaded.stderr
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "repertoire.wsgi:application",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                response = get(url + "/")
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("gunicorn did not answer")
        assert response.status == 200
        assert "Strict-Transport-Security" in response.headers
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
        page = response.read().decode()
        stylesheet = page.split('rel="stylesheet" href="')[1].split('"')[0]
        assert ".css" in stylesheet and stylesheet != "/static/repertoire/base.css"  # hashed name
        assert get(url + stylesheet).status == 200
        # Both workers serve the same database: every request sees the edition.
        statuses = {get(url + "/api/jobs?limit=1").status for _ in range(10)}
        assert statuses == {200}
        insecure = urllib.request.Request(url + "/", headers={"Host": HOST})
        with pytest.raises(urllib.error.HTTPError) as redirect:
            urllib.request.build_opener(NoRedirect).open(insecure, timeout=10)
        assert redirect.value.code == 301  # plain HTTP goes to HTTPS
    finally:
        server.terminate()
        server.wait(timeout=20)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
