"""Serving the web application, and Django's own administration commands."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from typing import Annotated

import typer

from repertoire.cli._output import err, out
from repertoire.cli._session import author, bootstrap, database_ready, start_django


def serve(
    host: Annotated[str, typer.Option(help="Adresse d'écoute.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port d'écoute.")] = 8000,
    threads: Annotated[int, typer.Option(help="Fils de traitement des requêtes.")] = 4,
    workers: Annotated[
        int,
        typer.Option(
            help="Processus de travail (imports, lettres, fichiers) lancés à côté ; "
            "0 si d'autres les lancent (repertoire worker)."
        ),
    ] = 1,
) -> None:
    """Migre la base, charge l'édition 2014 si la base est vide et sert l'application web,
    avec un processus de travail pour les travaux longs."""
    bootstrap()
    from django.conf import settings
    from waitress import serve as waitress_serve

    from repertoire.wsgi import application

    shown = f"[{host}]" if ":" in host else host
    out.print(f"Répertoire : http://{shown}:{port}/  (API : http://{shown}:{port}/api/docs)")
    sys.stdout.flush()
    queued = settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    children = [_Worker() for _ in range(workers if queued else 0)]
    # Stopped like Ctrl+C: the workers are stopped with the server.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        waitress_serve(
            application,
            host=host,
            port=port,
            threads=threads,
            ident="repertoire",
            # Refused (413) before it is read: a 300 MB body never reaches Django's disk.
            max_request_body_size=settings.REPERTOIRE_MAX_REQUEST_BYTES,
        )
    except KeyboardInterrupt:
        pass
    finally:
        for child in children:
            child.stop()


class _Worker:
    """A ``repertoire worker`` child of the web server, started again if it dies."""

    def __init__(self):
        self.stopping = threading.Event()
        self.process = self._start()
        threading.Thread(target=self._watch, daemon=True).start()

    def _start(self) -> subprocess.Popen:
        command = [sys.executable, "-m", "repertoire", "worker", "--parent", str(os.getpid())]
        return subprocess.Popen(command)

    def _watch(self) -> None:
        while not self.stopping.wait(2):
            if self.process.poll() is not None and not self.stopping.is_set():
                err.print(f"Processus de travail arrêté ({self.process.returncode}) : relancé.")
                self.process = self._start()

    def stop(self, grace: float = 30) -> None:
        """Ask the worker to finish its task; past ``grace`` seconds, kill it (its work
        is then marked interrupted, to start again)."""
        self.stopping.set()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def worker(
    worker_id: Annotated[
        str | None, typer.Option("--id", help="Nom du processus, unique dans le réseau.")
    ] = None,
    interval: Annotated[
        float, typer.Option(help="Secondes entre deux regards sur la file quand elle est vide.")
    ] = 1.0,
    batch: Annotated[
        bool, typer.Option("--batch", help="S'arrête quand la file est vide.")
    ] = False,
    parent: Annotated[int | None, typer.Option(hidden=True)] = None,
) -> None:
    """Exécute les travaux longs mis en file (analyse et import de fichiers du personnel,
    lettres, fichiers d'édition, migrations) ; relance-t-on un processus arrêté net, ses
    travaux interrompus sont marqués en échec, à relancer."""
    database_ready()
    from repertoire import tasks

    if parent is not None:
        threading.Thread(target=_stop_with, args=(parent,), daemon=True).start()
    tasks.run_worker(worker_id=worker_id, interval=interval, batch=batch)


def _stop_with(parent: int) -> None:
    """The web server that started this worker is gone (killed): stop as asked to."""
    while os.getppid() == parent:
        time.sleep(1)
    os.kill(os.getpid(), signal.SIGTERM)


def manage(ctx: typer.Context) -> None:
    """Commandes d'administration de Django (migrate, check --deploy, createsuperuser…)."""
    start_django()
    from django.core.management import execute_from_command_line

    from repertoire.accounts.services import acting_as

    # What Django's commands change in users (changepassword…) is journaled as the operator's.
    with acting_as(author()):
        execute_from_command_line(["repertoire manage", *ctx.args])
