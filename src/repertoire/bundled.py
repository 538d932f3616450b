"""Data shipped inside the package: the 2014 edition, curated appellations, criteria texts."""

from __future__ import annotations

from importlib import resources

from repertoire.core.document import RepertoireDocument
from repertoire.core.document_reader import decode, parse_document
from repertoire.core.rome import RomeLink, read_correspondence
from repertoire.core.tables import Table, read_table

BUNDLED_EDITION = "repertoire-emplois-2014-11-18.txt"
CURATED_APPELLATIONS = "appellations.csv"
CRITERIA_DESCRIPTIONS = "criteria.csv"
# The ROME codes of the 2014 reference jobs, established by the project (see rome/README.md).
ROME_CORRESPONDENCE = "rome/correspondance-2014.csv"
APPELLATION_FIELDS = {
    "code": {"code", "code_emploi", "emploi"},
    "appellation": {"appellation", "intitule", "titre"},
    "source": {"source"},
}


def read(name: str) -> bytes:
    return resources.files("repertoire").joinpath("data", name).read_bytes()


def bundled_document() -> RepertoireDocument:
    """The 2014 provisional edition (51 jobs)."""
    return parse_document(decode(read(BUNDLED_EDITION)))


def read_appellations(data: bytes) -> Table:
    """A CSV of appellations: code, appellation[, source]."""
    return read_table(data, APPELLATION_FIELDS, required={"code", "appellation"})


def curated_appellations() -> Table:
    """Other titles of each reference job, written from domain knowledge, by job code."""
    return read_appellations(read(CURATED_APPELLATIONS))


def criteria_descriptions() -> dict[str, str]:
    """What each criterion measures, by criterion code (the document does not say)."""
    table = read_table(
        read(CRITERIA_DESCRIPTIONS),
        {"code": {"code"}, "description": {"description"}},
        required={"code", "description"},
    )
    return {row["code"]: row["description"] for _, row in table.rows}


def rome_correspondence() -> list[RomeLink]:
    """The ROME codes of the bundled edition's reference jobs, by job code."""
    return read_correspondence(read(ROME_CORRESPONDENCE).decode("utf-8"))
