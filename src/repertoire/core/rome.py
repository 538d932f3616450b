"""France Travail's ROME: its codes, titles, appellations and ESCO occupations.

The ROME (*Répertoire Opérationnel des Métiers et des Emplois*) is the public referential
of occupations French HR tools and job boards speak. The package ships a compact extract
of ROME 4.0 (files v460) and of the official ESCO–ROME mapping, with their sources,
versions and licences named in ``repertoire/data/rome/README.md``:

- ``codes.csv``: ``code_rome;libelle_rome;code_rome_parent`` (every ROME code);
- ``appellations.csv``: ``code_rome;appellation`` (the appellations in common use, the
  principal one first);
- ``esco.csv``: ``code_rome;esco_uri;esco_label;appellations`` (the ESCO occupations
  mapped to the appellations of each code, the most mapped first).

Everything here is plain Python: :func:`load_rome` reads the shipped files once per
process; :class:`RomeReferential` answers from memory.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import NamedTuple

from repertoire.core.text import strip_accents

ROME_VERSION = "ROME 4.0 (v460)"
ESCO_MAPPING_VERSION = "ESCO–ROME mapping V1.4 (07/06/2022, ESCO 1.0.9)"
DATA_PACKAGE = ("data", "rome")
CODES_FILE = "codes.csv"
APPELLATIONS_FILE = "appellations.csv"
ESCO_FILE = "esco.csv"

PRIMARY = "primary"
SECONDARY = "secondary"
ROLES = (PRIMARY, SECONDARY)

_CODE = re.compile(r"^[A-N][0-9]{4}$")
_GENDER_SLASH = " / "


class UnknownRomeCode(KeyError):
    """A code that is not in the shipped ROME referential."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code

    def __str__(self) -> str:
        return f"{self.code} n'est pas un code ROME ({ROME_VERSION})"


class EscoOccupation(NamedTuple):
    """One ESCO occupation: its URI and its preferred label (in French)."""

    uri: str
    label: str


@dataclass(frozen=True)
class RomeCode:
    code: str
    title: str
    parent: str


def normalise_code(text: str) -> str | None:
    """``m1203`` or `` M1203 `` → ``M1203``; None when it is not shaped like a ROME code."""
    code = (text or "").strip().upper()
    return code if _CODE.match(code) else None


def _words(text: str) -> list[str]:
    return text.split()


def split_gendered_forms(text: str) -> list[str]:
    """The forms of a ROME title written ``masculine / feminine``.

    ``Agent / Agente de sécurité`` → ``["Agent de sécurité", "Agente de sécurité"]``: the
    words left of the slash are the masculine head; the feminine side has as many head
    words, then the rest of the title, which both forms share. ``Opérateur régleur /
    Opératrice régleuse sur machine`` → ``Opérateur régleur sur machine`` and
    ``Opératrice régleuse sur machine``. A slash without spaces (``chimie/pharmacie``) is
    not a gender mark; when the right side is shorter than the left one, the two sides are
    two titles (``Hôtesse de l'air / Steward``). Forms are unique, in order; an empty text
    gives no form.
    """
    text = " ".join((text or "").split())
    if not text:
        return []
    if _GENDER_SLASH not in text:
        return [text]
    left, right = text.split(_GENDER_SLASH, 1)
    left_words, right_words = _words(left), _words(right)
    if not left_words or not right_words:
        return [text]
    if len(right_words) < len(left_words):
        forms = [left, right]
    else:
        tail = right_words[len(left_words) :]
        forms = [" ".join(left_words + tail), right]
    result: list[str] = []
    for form in forms:
        for part in split_gendered_forms(form):
            if part not in result:
                result.append(part)
    return result


@dataclass
class RomeReferential:
    """The ROME codes, their titles, appellations and ESCO occupations, in memory."""

    codes: dict[str, RomeCode]
    _appellations: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _esco: dict[str, tuple[EscoOccupation, ...]] = field(default_factory=dict)
    version: str = ROME_VERSION

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code in self.codes

    def __len__(self) -> int:
        return len(self.codes)

    def get(self, code: str) -> RomeCode | None:
        return self.codes.get(normalise_code(code) or "")

    def _known(self, code: str) -> str:
        normal = normalise_code(code)
        if normal is None or normal not in self.codes:
            raise UnknownRomeCode(code)
        return normal

    def title(self, code: str) -> str:
        """The ROME title of a code (``M1203`` → ``Comptable``); UnknownRomeCode otherwise."""
        return self.codes[self._known(code)].title

    def parent(self, code: str) -> str:
        """The code of the ROME sheet a code belongs to (itself for a main sheet)."""
        return self.codes[self._known(code)].parent

    def appellations(self, code: str) -> tuple[str, ...]:
        """The appellations of a code as published (gender pairs kept), principal first."""
        return self._appellations.get(self._known(code), ())

    def all_appellations(self) -> Iterator[tuple[str, str]]:
        """Every ``(rome_code, appellation)``, gender pairs split into their forms."""
        for code, titles in self._appellations.items():
            seen: set[str] = set()
            for title in titles:
                for form in split_gendered_forms(title):
                    if form not in seen:
                        seen.add(form)
                        yield code, form

    def esco(self, code: str) -> tuple[EscoOccupation, ...]:
        """The ESCO occupations of a code, the most mapped first (may be empty)."""
        return self._esco.get(self._known(code), ())

    def search(self, text: str, limit: int = 20) -> list[RomeCode]:
        """The codes whose code or title contains the text (case and accents ignored)."""
        needle = strip_accents(text or "").lower().strip()
        if not needle:
            return []
        found = [
            rome
            for rome in self.codes.values()
            if needle in rome.code.lower() or needle in strip_accents(rome.title).lower()
        ]
        return found[:limit]


def _rows(text: str) -> Iterator[dict[str, str]]:
    yield from csv.DictReader(io.StringIO(text), delimiter=";")


def build_referential(codes: str, appellations: str = "", esco: str = "") -> RomeReferential:
    """A referential from the texts of the three CSV files (see the module's docstring)."""
    table = {
        row["code_rome"]: RomeCode(
            row["code_rome"], row["libelle_rome"], row.get("code_rome_parent") or row["code_rome"]
        )
        for row in _rows(codes)
    }
    by_code: dict[str, list[str]] = {}
    for row in _rows(appellations) if appellations else ():
        if row["code_rome"] in table:
            by_code.setdefault(row["code_rome"], []).append(row["appellation"])
    occupations: dict[str, list[EscoOccupation]] = {}
    for row in _rows(esco) if esco else ():
        if row["code_rome"] in table:
            occupations.setdefault(row["code_rome"], []).append(
                EscoOccupation(row["esco_uri"], row["esco_label"])
            )
    return RomeReferential(
        codes=table,
        _appellations={code: tuple(titles) for code, titles in by_code.items()},
        _esco={code: tuple(found) for code, found in occupations.items()},
    )


def _read(name: str) -> str:
    return resources.files("repertoire").joinpath(*DATA_PACKAGE, name).read_text(encoding="utf-8")


@cache
def load_rome() -> RomeReferential:
    """The ROME shipped in the package, read once per process."""
    return build_referential(_read(CODES_FILE), _read(APPELLATIONS_FILE), _read(ESCO_FILE))


# --- correspondences of reference jobs with ROME codes -------------------------------


@dataclass(frozen=True)
class RomeLink:
    """A reference job's ROME code and its role (``primary`` or ``secondary``)."""

    job_code: str
    rome_code: str
    role: str


class CorrespondenceInvalid(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def read_correspondence(text: str, referential: RomeReferential | None = None) -> list[RomeLink]:
    """Parse ``job_code;rome_code;role`` lines (``#`` comments and blank lines skipped).

    Every problem is reported with its line: an unknown ROME code, an unknown role, a job
    with no or several primary codes, a code given twice to a job.
    """
    rome = referential or load_rome()
    links: list[RomeLink] = []
    problems: list[str] = []
    lines = [
        (number, line)
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if lines and lines[0][1].strip().lower().startswith("job_code"):
        lines = lines[1:]
    seen: set[tuple[str, str]] = set()
    for number, line in lines:
        cells = [cell.strip() for cell in line.split(";")]
        if len(cells) != 3:
            problems.append(f"ligne {number} : trois colonnes attendues (emploi;code ROME;rôle)")
            continue
        job, code, role = cells[0], normalise_code(cells[1]), cells[2].lower()
        if code is None or code not in rome:
            problems.append(f"ligne {number} : {cells[1]} n'est pas un code ROME ({rome.version})")
            continue
        if role not in ROLES:
            problems.append(f"ligne {number} : rôle {cells[2]!r} (primary ou secondary)")
            continue
        if (job, code) in seen:
            problems.append(f"ligne {number} : {code} déjà donné à l'emploi {job}")
            continue
        seen.add((job, code))
        links.append(RomeLink(job, code, role))
    primaries: dict[str, int] = {}
    for link in links:
        primaries.setdefault(link.job_code, 0)
        primaries[link.job_code] += link.role == PRIMARY
    for job, count in primaries.items():
        if count != 1:
            problems.append(f"emploi {job} : {count} codes ROME principaux (un attendu)")
    if problems:
        raise CorrespondenceInvalid(problems)
    return links


def ordered(links: Iterable[RomeLink]) -> list[RomeLink]:
    """The primary code first, then the secondary ones by code."""
    return sorted(links, key=lambda link: (link.role != PRIMARY, link.rome_code))


def code_entries(links: Iterable, rome: RomeReferential) -> list[dict]:
    """A job's ROME codes (``RomeLink`` or rows with ``rome_code`` and ``role``), primary
    first, as pages and exports show them: code, title (None for a code the referential no
    longer knows), role, primary."""
    return [
        {
            "code": link.rome_code,
            "title": rome.codes[link.rome_code].title if link.rome_code in rome else None,
            "role": link.role,
            "primary": link.role == PRIMARY,
        }
        for link in ordered(links)
    ]


def codes_fingerprint(links: Iterable[RomeLink]) -> str:
    """A job's codes on one line, primary first (``M1602:primary M1606:secondary``): what
    a page showed, posted back with the decision, tells whether the codes changed since."""
    return " ".join(f"{link.rome_code}:{link.role}" for link in ordered(links))


# --- a job's codes against the correspondence shipped in the package --------------------


@dataclass(frozen=True)
class CodesChange:
    """How one job's ROME codes differ from those the shipped correspondence gives it."""

    job_code: str
    job_title: str
    current: tuple[RomeLink, ...]  # primary first
    shipped: tuple[RomeLink, ...]  # primary first

    @property
    def added(self) -> tuple[str, ...]:
        """The codes the correspondence gives the job and it does not carry."""
        carried = {link.rome_code for link in self.current}
        return tuple(link.rome_code for link in self.shipped if link.rome_code not in carried)

    @property
    def dropped(self) -> tuple[str, ...]:
        """The codes the job carries and the correspondence no longer gives it."""
        given = {link.rome_code for link in self.shipped}
        return tuple(link.rome_code for link in self.current if link.rome_code not in given)

    @property
    def primary_before(self) -> str | None:
        return next((link.rome_code for link in self.current if link.role == PRIMARY), None)

    @property
    def primary_after(self) -> str | None:
        return next((link.rome_code for link in self.shipped if link.role == PRIMARY), None)

    @property
    def primary_changed(self) -> bool:
        return self.primary_before != self.primary_after

    @property
    def seen(self) -> str:
        """The job's codes as the comparison saw them (``codes_fingerprint``)."""
        return codes_fingerprint(self.current)


@dataclass(frozen=True)
class CorrespondenceDiff:
    """An edition's jobs against the shipped correspondence: the jobs whose codes differ
    (in the edition's order), how many are identical, and the jobs the correspondence does
    not know (left alone)."""

    changes: tuple[CodesChange, ...]
    unchanged: int
    unknown: tuple[str, ...]  # job codes

    def change(self, job_code: str) -> CodesChange | None:
        return next((c for c in self.changes if c.job_code == job_code), None)

    def to_dict(self, referential: RomeReferential | None = None) -> dict:
        """The differences as ``--json`` prints them; codes with their ROME titles."""
        rome = referential or load_rome()
        return {
            "changes": [
                {
                    "code": change.job_code,
                    "title": change.job_title,
                    "current": code_entries(change.current, rome),
                    "shipped": code_entries(change.shipped, rome),
                    "added": list(change.added),
                    "dropped": list(change.dropped),
                    "primary_changed": change.primary_changed,
                    "primary_before": change.primary_before,
                    "primary_after": change.primary_after,
                    "seen": change.seen,
                }
                for change in self.changes
            ],
            "unchanged": self.unchanged,
            "unknown": list(self.unknown),
        }


def compare_correspondence(
    jobs: Iterable[tuple[str, str]],
    current: Iterable[RomeLink],
    shipped: Iterable[RomeLink],
) -> CorrespondenceDiff:
    """Each job (``(code, title)``, in the edition's order) with the codes it carries
    (``current``) against those the shipped correspondence gives it (``shipped``, by job
    code). A job the correspondence does not know is left alone and counted as unknown;
    a job whose codes and roles are the same is unchanged."""
    carried: dict[str, list[RomeLink]] = {}
    for link in current:
        carried.setdefault(link.job_code, []).append(link)
    given: dict[str, list[RomeLink]] = {}
    for link in shipped:
        given.setdefault(link.job_code, []).append(link)
    changes: list[CodesChange] = []
    unknown: list[str] = []
    unchanged = 0
    for code, title in jobs:
        if code not in given:
            unknown.append(code)
            continue
        before = tuple(ordered(carried.get(code, ())))
        after = tuple(ordered(given[code]))
        if {(link.rome_code, link.role) for link in before} == {
            (link.rome_code, link.role) for link in after
        }:
            unchanged += 1
            continue
        changes.append(CodesChange(code, title, before, after))
    return CorrespondenceDiff(tuple(changes), unchanged, tuple(unknown))
