"""Read and write the repertoire document format.

The format is what a Word document looks like once saved as text: a header (title,
status, date, the jobs still missing), a *sommaire* by level with page numbers, then one
sheet per job::

    TITLE OF THE JOB
    Finalité et missions
    <one mission per line; "- " lines are sub-bullets of the mission above>
    Exigences
    <one requirement per line>
    Critères d'exigences<TAB>Connaissances<TAB>…      (the criteria table, tab-separated)
    <TAB>1<TAB>2<TAB>…
    Classification niveau IV
    <the definition of the level, one paragraph per line>

Blank lines, ``**bold**`` marks, capitals and the spelling of headings vary; what
matters is checked strictly and every problem is reported with its line number.

This module holds the format: its statuses and headings, the document as read, and
writing it; reading it is ``core.document_reader``'s.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from repertoire.core.grid import Criterion, Grid, ReferenceProfile, get_rule
from repertoire.core.level_definitions import LevelDefinitions
from repertoire.core.refusals import Refused
from repertoire.core.text import slugify, to_roman

STATUS_PROVISIONAL = "provisoire"
STATUS_OFFICIAL = "officiel"
STATUSES = (STATUS_PROVISIONAL, STATUS_OFFICIAL)
# An edition's status is stored in English and written in the document's words: the
# text format, the JSON export, the API and the CLI say provisoire/officiel.
STORED_STATUSES = {STATUS_PROVISIONAL: "provisional", STATUS_OFFICIAL: "official"}
DOCUMENT_STATUSES = {stored: word for word, stored in STORED_STATUSES.items()}

MISSIONS_HEADING = "Finalité et missions"
REQUIREMENTS_HEADING = "Exigences"
CRITERIA_HEADING = "Critères d'exigences"
SOMMAIRE_HEADING = "Sommaire par niveau"
MISSING_JOBS_INTRO = "Ce document ne contient pas pour l'instant les emplois de :"


@dataclass(frozen=True)
class ListItem:
    """A mission or a requirement, with the sub-bullets written under it."""

    text: str
    subitems: tuple[str, ...] = ()

    def as_text(self) -> str:
        return "\n".join([self.text, *(f"- {sub}" for sub in self.subitems)])


@dataclass(frozen=True)
class SommaireEntry:
    level: int
    title: str
    page: int | None
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class JobSheet:
    title: str
    heading: str
    level: int
    degrees: tuple[int, ...]
    missions: tuple[ListItem, ...]
    requirements: tuple[ListItem, ...]
    level_text: tuple[str, ...]
    line: int = field(default=0, compare=False)
    # An edition's job keeps the code it was stored with (a renamed job keeps its code);
    # a sheet read from a document has none and derives its code from its heading.
    stored_code: str = field(default="", compare=False)

    @property
    def code(self) -> str:
        return self.stored_code or slugify(self.heading)


@dataclass(frozen=True)
class RepertoireDocument:
    title: str
    status: str
    date: date
    notes: tuple[str, ...]
    missing_jobs: tuple[str, ...]
    criteria: tuple[Criterion, ...]
    sommaire: tuple[SommaireEntry, ...]
    jobs: tuple[JobSheet, ...]

    def level_definitions(self) -> LevelDefinitions:
        return LevelDefinitions.of(self.jobs)

    def reference_profiles(self) -> tuple[ReferenceProfile, ...]:
        """The jobs as the grid's calibration sees them: degrees and declared level."""
        return tuple(ReferenceProfile(job.title, job.degrees, job.level) for job in self.jobs)

    def grid(self, rule_code: str) -> Grid:
        return Grid(self.criteria, get_rule(rule_code), self.reference_profiles())


@dataclass(frozen=True)
class DocumentError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class DocumentInvalid(Refused):
    """A document refused, every problem named by its line."""

    def __init__(self, errors: list[DocumentError]):
        self.errors = sorted(errors, key=lambda error: error.line)
        super().__init__([str(error) for error in self.errors])

    def __str__(self) -> str:
        return "\n".join(self.messages)


# --- writing ------------------------------------------------------------------------------


def write_document(document: RepertoireDocument) -> str:
    """The document in the text format; ``document_reader.parse_document`` reads it back
    identically."""
    out: list[str] = [document.title, "", f"Document {document.status}"]
    out += [document.date.strftime("%d/%m/%Y"), ""]
    for note in document.notes:
        out += [note, ""]
    if document.missing_jobs:
        out += [MISSING_JOBS_INTRO, ""]
        out += [f"- {title}" for title in document.missing_jobs]
        out.append("")
    if document.sommaire:
        out += [SOMMAIRE_HEADING, ""]
        level = None
        for entry in document.sommaire:
            if entry.level != level:
                level = entry.level
                out += [f"Niveau {to_roman(level)} :", ""]
            page = "" if entry.page is None else str(entry.page)
            out.append(f"- {entry.title}\t{page}")
        out.append("")
    header = "\t".join([CRITERIA_HEADING, *(c.label for c in document.criteria)])
    for job in document.jobs:
        out += ["", job.heading, "", MISSIONS_HEADING, ""]
        out += [item.as_text() for item in job.missions]
        out += ["", REQUIREMENTS_HEADING, ""]
        out += [item.as_text() for item in job.requirements]
        out += ["", header, "\t" + "\t".join(str(d) for d in job.degrees), ""]
        out += [f"Classification niveau {to_roman(job.level)}", ""]
        for paragraph in job.level_text:
            out += [paragraph, ""]
    return "\n".join(out).rstrip("\n") + "\n"
