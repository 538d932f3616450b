"""`repertoire serve` as the embedded default runs it: one command serves the pages and
runs a worker beside them (a child process, started again if it dies, stopped with the
server), so an edition file asked for on a page gets made."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def workers_of(pid: int) -> list[int]:
    """The `repertoire worker` children of a process."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except (OSError, IndexError, ValueError):
            continue
        if parent == pid and b"worker" in command:
            found.append(int(entry.name))
    return found


def until(condition, timeout=60.0, every=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError("not within the time")


def test_serve_runs_a_worker_beside_the_web_server(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REPERTOIRE_BACKGROUND_TASKS")
    }
    env["REPERTOIRE_HOME"] = str(tmp_path)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "repertoire", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )

    def page(path, data=None):
        try:
            with opener.open(url + path, data=data, timeout=10) as response:
                return response.geturl(), response.read().decode()
        except OSError:
            return None

    try:
        until(lambda: page("/compte/connexion/"), timeout=180)
        (worker,) = until(lambda: workers_of(server.pid))
        # An edition file asked for on a page: the worker makes it.
        _, login = page("/compte/connexion/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login).group(1)
        asked, _ = page(
            "/publications/csv/", urllib.parse.urlencode({"csrfmiddlewaretoken": token}).encode()
        )
        status = urllib.parse.urlparse(asked).path
        until(lambda: "/fichier/" in page(status)[1])
        # The worker killed: started again.
        os.kill(worker, signal.SIGKILL)
        (again,) = until(lambda: [pid for pid in workers_of(server.pid) if pid != worker])
        # The server stopped: its worker with it.
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=60) == 0
        until(lambda: not Path(f"/proc/{again}").exists() or _zombie(again), timeout=10)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True
