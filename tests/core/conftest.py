"""Fixtures for the core tests: the bundled 2014 edition, as a path, as text, parsed."""

from __future__ import annotations

from collections.abc import Iterator
from importlib.resources import as_file, files
from pathlib import Path

import pytest

from repertoire.core.document import RepertoireDocument
from repertoire.core.document_reader import decode, read_document

BUNDLED_DOCUMENT = "repertoire-emplois-2014-11-18.txt"


@pytest.fixture(scope="session")
def document_path() -> Iterator[Path]:
    """The path of the document shipped inside the package."""
    resource = files("repertoire") / "data" / BUNDLED_DOCUMENT
    with as_file(resource) as path:
        yield Path(path)


@pytest.fixture(scope="session")
def document_text(document_path: Path) -> str:
    """The bundled document as text, decoded the way the reader decodes it."""
    return decode(document_path.read_bytes())


@pytest.fixture(scope="session")
def document(document_path: Path) -> RepertoireDocument:
    """The bundled document, parsed (frozen dataclasses: safe to share)."""
    return read_document(document_path)
