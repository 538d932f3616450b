"""What the command prints: the two consoles, files written, and refusals.

A refusal is told in one way, whatever raised it (the ``Refused`` family, Django's
``ValidationError`` / ``PermissionDenied``, an app's own exception): each message on its
line on standard error, prefixed with the command's option name when the problem names a
field, then exit status 2. Commands wrap their service calls in ``refusals()``; a problem
the command finds in its own arguments is told with ``refuse()``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import typer
from rich.console import Console

from repertoire.core.refusals import WHOLE

out = Console()
err = Console(stderr=True)

EXIT_INVALID_INPUT = 2
NOTHING_WRITTEN = "rien n'a été écrit"


def say(text: str) -> None:
    """A line on standard output as written: what users typed (titles, labels, names) is
    never read as Rich markup nor coloured."""
    out.print(text, markup=False, highlight=False)


def refuse(*messages: str) -> NoReturn:
    """Bad input the command found itself: each message on its line; exit 2."""
    _tell({WHOLE: list(messages)})
    raise typer.Exit(EXIT_INVALID_INPUT)


@contextmanager
def refusals(
    fields: Mapping[str, str] | None = None, *, then: str | None = NOTHING_WRITTEN
) -> Iterator[None]:
    """Run the block (a service call); a refusal becomes its messages on standard error,
    then ``then`` (with the count when there are several problems), and exit 2.

    ``fields`` names a problem's field as the command line knows it: ``{"title":
    "--title"}``, a criterion's code by its label. A field it does not name is told
    without a prefix (the service's field names mean nothing to the person).
    """
    try:
        yield
    except _refusal_types() as exc:
        problems = problems_of(exc)
        _tell(problems, fields or {})
        if then:
            count = sum(map(len, problems.values()))
            err.print(
                f"{count} problème(s) : {then}" if count > 1 else then,
                style="red",
                markup=False,
                highlight=False,
            )
        raise typer.Exit(EXIT_INVALID_INPUT) from None


def _refusal_types() -> tuple[type[Exception], ...]:
    """Every exception that means "refused, nothing written": the core's family, and
    Django's two when Django raised them. Looked up when an exception is raised, not
    before, so that ``--help`` does not pay for Django."""
    from django.core.exceptions import PermissionDenied, ValidationError

    from repertoire.core.refusals import Refused

    return (Refused, ValidationError, PermissionDenied)


def problems_of(exc: Exception) -> dict[str, list[str]]:
    """A refusal's messages by field (``WHOLE`` for the request as a whole), worded by
    default when the refusal says nothing."""
    from django.core.exceptions import PermissionDenied

    from repertoire.core.refusals import NotAllowed, problems_of

    problems = problems_of(exc)
    if not problems:
        if isinstance(exc, NotAllowed | PermissionDenied):
            problems = {WHOLE: ["votre rôle ne permet pas cette action"]}
        else:
            problems = {WHOLE: ["refusé"]}
    return problems


def _tell(problems: Mapping[str, list[str]], fields: Mapping[str, str] | None = None) -> None:
    fields = fields or {}
    for field, messages in problems.items():
        name = fields.get(field, "") if field else ""
        for message in messages:
            err.print(
                f"{name} : {message}" if name else message,
                style="red",
                markup=False,
                highlight=False,
            )


# --- files ------------------------------------------------------------------------------


def write_text(content: str, output: Path | None, *, for_excel: bool = False) -> None:
    """Write to a file, or to standard output without one."""
    if output is None:
        sys.stdout.write(content)
        return
    # A byte-order mark lets Excel recognise UTF-8 in a CSV file.
    output.write_text(content, encoding="utf-8-sig" if for_excel else "utf-8")
    err.print(f"{output} écrit.")


def write_bytes(content: bytes, output: Path) -> None:
    """Write a binary file and say so, with its size."""
    try:
        output.write_bytes(content)
    except OSError as exc:
        refuse(f"écriture de {output} impossible : {exc.strerror}")
    err.print(f"{output} écrit ({len(content):,} octets).".replace(",", "\u202f"))


def roman(level: int | None) -> str:
    """A level as the repertoire writes it (``IV``), ``—`` without one."""
    from repertoire.core.text import to_roman

    return to_roman(level) if level else "—"
