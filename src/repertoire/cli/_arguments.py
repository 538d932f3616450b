"""The options several commands share, and how a command turns its arguments into what
the services take: an edition by its label, a file's bytes, a parsed document, an
establishment by its code. Bad input is refused (exit 2)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from repertoire.cli._output import refusals, refuse

OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Fichier de sortie (par défaut : la sortie standard)."),
]
EditionOption = Annotated[
    str | None,
    typer.Option("--edition", "-e", help="Libellé de l'édition (par défaut : l'édition courante)."),
]


def edition_named(label: str | None):
    """The edition with this label, or the edition in force without one."""
    from repertoire.catalog import selectors

    try:
        return selectors.get_edition(label)
    except selectors.EditionNotFound as exc:
        refuse(f"Erreur : {exc}")


def read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        refuse(f"Erreur : lecture de {path} impossible : {exc.strerror}")


def read_document(path: Path):
    """A document file, parsed; every problem told with its line."""
    from repertoire.core.document_reader import decode, parse_document
    from repertoire.core.limits import DOCUMENT_MAX_BYTES

    with refusals():
        if path.is_file() and path.stat().st_size > DOCUMENT_MAX_BYTES:
            # Told on its size, before a byte of it is read.
            return parse_document(decode(read_start(path, DOCUMENT_MAX_BYTES + 1)))
        return parse_document(decode(read(path)))


def read_start(path: Path, size: int) -> bytes:
    """The first ``size`` bytes of a file."""
    try:
        with path.open("rb") as file:
            return file.read(size)
    except OSError as exc:
        refuse(f"Erreur : lecture de {path} impossible : {exc.strerror}")


def establishment_named(operator, code: str):
    """The establishment with this code (``--establishment``) that the operator may see."""
    from repertoire.positioning.selectors import establishments_for

    place = establishments_for(operator).filter(code=code).first()
    if place is None:
        refuse(f"--establishment : aucun établissement « {code} »")
    return place
