"""Serving the web application, and Django's own administration commands."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from repertoire.cli._output import out
from repertoire.cli._session import author, bootstrap, start_django


def serve(
    host: Annotated[str, typer.Option(help="Adresse d'écoute.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port d'écoute.")] = 8000,
    threads: Annotated[int, typer.Option(help="Fils de traitement des requêtes.")] = 4,
) -> None:
    """Migre la base, charge l'édition 2014 si la base est vide et sert l'application web."""
    bootstrap()
    from waitress import serve as waitress_serve

    from repertoire.wsgi import application

    shown = f"[{host}]" if ":" in host else host
    out.print(f"Répertoire : http://{shown}:{port}/  (API : http://{shown}:{port}/api/docs)")
    sys.stdout.flush()
    waitress_serve(application, host=host, port=port, threads=threads, ident="repertoire")


def manage(ctx: typer.Context) -> None:
    """Commandes d'administration de Django (migrate, check --deploy, createsuperuser…)."""
    start_django()
    from django.core.management import execute_from_command_line

    from repertoire.accounts.services import acting_as

    # What Django's commands change in users (changepassword…) is journaled as the operator's.
    with acting_as(author()):
        execute_from_command_line(["repertoire manage", *ctx.args])
