"""The app's server for a benchmark: started on a free port of 127.0.0.1 with its output
in a log file, waited for until ``GET /api/criteria`` answers 200, and always stopped.

The load, concurrency and positioning benchmarks start theirs this way (gunicorn or
``repertoire serve``); the log's tail is what an error shows.
"""

from __future__ import annotations

import http.client
import socket
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path

HOST = "127.0.0.1"
SERVER_START_TIMEOUT = 60.0
SERVER_STOP_TIMEOUT = 15.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def launch(
    command: Sequence[str], env: dict[str, str], log: Path, cwd: str | Path | None = None
) -> subprocess.Popen:
    """Starts the server, its output and errors written to ``log``."""
    with log.open("wb") as output:
        return subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT, cwd=cwd)


def wait_until_serving(
    process: subprocess.Popen,
    port: int,
    log: Path,
    *,
    name: str = "gunicorn",
    timeout: float = SERVER_START_TIMEOUT,
) -> None:
    """Returns once the server answers; raises, with the log's tail, if it exits first or
    does not answer within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited ({process.returncode}):\n{log.read_text()[-3000:]}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{name} did not answer:\n{log.read_text()[-3000:]}")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", "/api/criteria")
            if connection.getresponse().status == 200:
                connection.close()
                return
            connection.close()
        except OSError:
            pass
        time.sleep(0.2)


def stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()  # gunicorn: graceful shutdown of the arbiter and its workers
    try:
        process.wait(SERVER_STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(SERVER_STOP_TIMEOUT)
