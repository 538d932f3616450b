"""Two editions of the repertoire side by side: which job became which, what changed,
and what it does to the people positioned on them.

Jobs are paired in this order: by hand (an administrator's decision), then by code
(a copied edition keeps its codes, even when a job is renamed), then by similarity of
title and text for what is left (an imported document derives codes from titles, so a
renamed job arrives under a new code). What stays unpaired was retired or added.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from rapidfuzz import fuzz

from repertoire.core import positioning
from repertoire.core.document import ListItem
from repertoire.core.text import normalize_title, strip_accents

# Below this similarity two unpaired jobs are not offered as one renamed job.
# Measured on the 2014 edition: two different jobs score at most 0.67 (a family's levels,
# Enseignant(e) II and III), a job renamed with up to 15 % of its words rewritten at
# least 0.71 (tests/core/test_editions.py measures both).
RENAME_SIMILARITY = 0.7
# Shares of the similarity: the title, then the missions and requirements. The text
# evaluates more: a renamed job keeps its missions, two levels of a family share a title.
TITLE_SHARE = 0.3
TEXT_SHARE = 0.7
# A pair guessed by similarity is never sure enough for bulk acceptance of the people
# it moves: an administrator confirms it (then it is a pair by hand, certain).
GUESSED_PAIR_CONFIDENCE = 0.9


# --- editing lists of missions and requirements ----------------------------------------

SUBITEM_MARK = "- "


def format_items(items: Iterable[ListItem]) -> str:
    """A list as one text to edit: an item per line, its sub-items under it after "- "."""
    return "\n".join(item.as_text() for item in items)


def parse_items(text: str) -> tuple[ListItem, ...]:
    """The inverse of ``format_items``; blank lines are ignored.

    A sub-item line before any item is refused: nothing to hang it on.
    """
    items: list[tuple[str, list[str]]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = " ".join(raw.split())
        if not line:
            continue
        if line.startswith(SUBITEM_MARK.strip()) and (line == "-" or line[1] == " "):
            sub = line[1:].strip()
            if not items:
                raise ValueError(f"ligne {number} : un sous-point « - » doit suivre un point")
            if sub:
                items[-1][1].append(sub)
            continue
        items.append((line, []))
    return tuple(ListItem(text, tuple(subitems)) for text, subitems in items)


# --- word-level differences ---------------------------------------------------------------

_WORDS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Span:
    """A run of text: kept (``=``), removed (``-``) or added (``+``)."""

    op: str
    text: str


def word_diff(before: str, after: str) -> tuple[Span, ...]:
    """The changes from ``before`` to ``after`` word by word, whitespace kept.

    Joining the ``=`` and ``-`` spans gives ``before`` back; ``=`` and ``+`` give ``after``.
    """
    a, b = _WORDS.findall(before), _WORDS.findall(after)
    spans: list[Span] = []

    def add(op: str, tokens: Sequence[str]) -> None:
        text = "".join(tokens)
        if not text:
            return
        if spans and spans[-1].op == op:
            spans[-1] = Span(op, spans[-1].text + text)
        else:
            spans.append(Span(op, text))

    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add("=", a[i1:i2])
        else:
            add("-", a[i1:i2])
            add("+", b[j1:j2])
    return tuple(spans)


# --- editions as the comparison sees them ----------------------------------------------------


@dataclass(frozen=True)
class EditionJob:
    """A reference job of an edition: its code, title, level, degrees by criterion code."""

    code: str
    title: str
    level: int
    degrees: Mapping[str, int]
    missions: tuple[ListItem, ...] = ()
    requirements: tuple[ListItem, ...] = ()

    @property
    def text(self) -> str:
        return format_items(self.missions + self.requirements)


@dataclass(frozen=True)
class EditionContent:
    label: str
    criteria: Mapping[str, str]  # code → label, in the edition's order
    rule: str
    jobs: tuple[EditionJob, ...]

    def job(self, code: str) -> EditionJob:
        return next(job for job in self.jobs if job.code == code)


# --- pairing ----------------------------------------------------------------------------------


class Pairing:
    BY_HAND = "manuel"
    BY_CODE = "code"
    BY_SIMILARITY = "similarité"


@dataclass(frozen=True)
class Pair:
    before: EditionJob
    after: EditionJob
    how: str  # Pairing.*
    similarity: float


def similarity(before: EditionJob, after: EditionJob) -> float:
    """How alike two jobs are, in [0, 1]: title, then missions and requirements.

    Word order counts in the texts (an edit distance), not in titles; a measure that
    ignores extra words would make "Assistant(e)" and "Assistant(e) spécialisé(e)" one job.
    """
    title = fuzz.token_sort_ratio(normalize_title(before.title), normalize_title(after.title))
    text = fuzz.ratio(_plain(before.text), _plain(after.text))
    return round((TITLE_SHARE * title + TEXT_SHARE * text) / 100, 3)


def _plain(text: str) -> str:
    return strip_accents(text.lower())


def pair_jobs(
    before: Sequence[EditionJob],
    after: Sequence[EditionJob],
    decisions: Mapping[str, str | None] | None = None,
) -> tuple[list[Pair], list[EditionJob], list[EditionJob]]:
    """(pairs, retired, added). ``decisions`` maps an old code to the new code an
    administrator paired it with, or to None for "retired, no successor"."""
    decisions = dict(decisions or {})
    old = {job.code: job for job in before}
    new = {job.code: job for job in after}
    pairs: list[Pair] = []
    # Several old jobs may be paired by hand with one new job (jobs merged): the new job
    # stays free for its own code, only the guessing by similarity leaves it alone.
    by_hand = set()
    for old_code, new_code in decisions.items():
        if old_code in old and new_code in new:
            pairs.append(Pair(old.pop(old_code), new[new_code], Pairing.BY_HAND, 1.0))
            by_hand.add(new_code)
    # Decided "no successor": out of the automatic pairing.
    settled = {
        code: old.pop(code) for code, target in decisions.items() if target is None and code in old
    }
    for code in [code for code in old if code in new]:
        pair_before, pair_after = old.pop(code), new.pop(code)
        pairs.append(
            Pair(pair_before, pair_after, Pairing.BY_CODE, similarity(pair_before, pair_after))
        )
    candidates = sorted(
        (
            (similarity(a, b), a.code, b.code)
            for a in old.values()
            for b in new.values()
            if b.code not in by_hand
        ),
        key=lambda c: (-c[0], c[1], c[2]),
    )
    for score, old_code, new_code in candidates:
        if score < RENAME_SIMILARITY:
            break
        if old_code in old and new_code in new:
            pairs.append(Pair(old.pop(old_code), new.pop(new_code), Pairing.BY_SIMILARITY, score))
    order = {job.code: index for index, job in enumerate(before)}
    pairs.sort(key=lambda pair: order[pair.before.code])
    retired = [job for job in before if job.code in old or job.code in settled]
    added = [job for job in after if job.code in new and job.code not in by_hand]
    return pairs, retired, added


# --- the difference between two editions -----------------------------------------------------


@dataclass(frozen=True)
class DegreeChange:
    criterion: str
    before: int | None
    after: int | None


@dataclass(frozen=True)
class JobChange:
    """A job present in both editions, with what changed in it."""

    pair: Pair
    degrees: tuple[DegreeChange, ...]
    missions: tuple[Span, ...] | None  # None: unchanged
    requirements: tuple[Span, ...] | None

    @property
    def renamed(self) -> bool:
        return self.pair.before.title != self.pair.after.title

    @property
    def level_changed(self) -> bool:
        return self.pair.before.level != self.pair.after.level

    @property
    def changed(self) -> bool:
        return bool(
            self.renamed
            or self.level_changed
            or self.degrees
            or self.missions is not None
            or self.requirements is not None
            or self.pair.before.code != self.pair.after.code
        )


@dataclass(frozen=True)
class EditionDiff:
    before: EditionContent
    after: EditionContent
    added: tuple[EditionJob, ...]
    retired: tuple[EditionJob, ...]
    changes: tuple[JobChange, ...]  # every pair, changed or not
    criteria_added: tuple[str, ...] = ()
    criteria_removed: tuple[str, ...] = ()
    rule_changed: bool = False

    @property
    def changed(self) -> tuple[JobChange, ...]:
        return tuple(change for change in self.changes if change.changed)

    @property
    def unchanged_count(self) -> int:
        return len(self.changes) - len(self.changed)

    def successor_of(self, old_code: str) -> Pair | None:
        return next((c.pair for c in self.changes if c.pair.before.code == old_code), None)

    def summary(self) -> dict[str, int]:
        changed = self.changed
        return {
            "added": len(self.added),
            "retired": len(self.retired),
            "renamed": sum(change.renamed for change in changed),
            "level_changed": sum(change.level_changed for change in changed),
            "degrees_changed": sum(bool(change.degrees) for change in changed),
            "texts_changed": sum(
                change.missions is not None or change.requirements is not None for change in changed
            ),
            "unchanged": self.unchanged_count,
        }

    def to_dict(self) -> dict:
        """The JSON shape of ``repertoire diff A B --json`` and ``/api/editions/diff``."""

        def job(job: EditionJob) -> dict:
            return {
                "code": job.code,
                "title": job.title,
                "level": job.level,
                "degrees": dict(job.degrees),
            }

        def spans(value):
            return None if value is None else [[span.op, span.text] for span in value]

        return {
            "from": {"label": self.before.label, "rule": self.before.rule},
            "to": {"label": self.after.label, "rule": self.after.rule},
            "summary": self.summary(),
            "criteria": {
                "added": list(self.criteria_added),
                "removed": list(self.criteria_removed),
            },
            "rule_changed": self.rule_changed,
            # A new job is read whole: its texts, not only its place in the grid.
            "added": [
                job(j)
                | {
                    "missions": [item.as_text() for item in j.missions],
                    "requirements": [item.as_text() for item in j.requirements],
                }
                for j in self.added
            ],
            "retired": [job(j) for j in self.retired],
            "changed": [
                {
                    "from": job(c.pair.before),
                    "to": job(c.pair.after),
                    "paired_by": c.pair.how,
                    "similarity": c.pair.similarity,
                    "renamed": c.renamed,
                    "level": {"from": c.pair.before.level, "to": c.pair.after.level}
                    if c.level_changed
                    else None,
                    "degrees": [
                        {"criterion": d.criterion, "from": d.before, "to": d.after}
                        for d in c.degrees
                    ],
                    "missions": spans(c.missions),
                    "requirements": spans(c.requirements),
                }
                for c in self.changed
            ],
        }


def _list_diff(before: tuple[ListItem, ...], after: tuple[ListItem, ...]):
    if before == after:
        return None
    return word_diff(format_items(before), format_items(after))


def compare_jobs(pair: Pair, criteria: Iterable[str]) -> JobChange:
    degrees = tuple(
        DegreeChange(code, pair.before.degrees.get(code), pair.after.degrees.get(code))
        for code in criteria
        if pair.before.degrees.get(code) != pair.after.degrees.get(code)
    )
    return JobChange(
        pair=pair,
        degrees=degrees,
        missions=_list_diff(pair.before.missions, pair.after.missions),
        requirements=_list_diff(pair.before.requirements, pair.after.requirements),
    )


def diff_editions(
    before: EditionContent,
    after: EditionContent,
    decisions: Mapping[str, str | None] | None = None,
) -> EditionDiff:
    pairs, retired, added = pair_jobs(before.jobs, after.jobs, decisions)
    criteria = list(dict.fromkeys([*before.criteria, *after.criteria]))
    return EditionDiff(
        before=before,
        after=after,
        added=tuple(added),
        retired=tuple(retired),
        changes=tuple(compare_jobs(pair, criteria) for pair in pairs),
        criteria_added=tuple(c for c in after.criteria if c not in before.criteria),
        criteria_removed=tuple(c for c in before.criteria if c not in after.criteria),
        rule_changed=before.rule != after.rule,
    )


# --- impact on positioned people ---------------------------------------------------------------


class Succession:
    """How a positioned person's job in the old edition leads to one in the new."""

    SAME_CODE = "même code"
    PAIRED = "emploi apparié"
    ENGINE = "moteur de rapprochement"
    NONE = "aucun emploi proposé"


@dataclass(frozen=True)
class Successor:
    code: str | None
    title: str
    level: int | None
    how: str  # Succession.*
    confidence: float
    renamed: bool = False


def successors(
    diff: EditionDiff, engine: Mapping[str, EditionJob | None] | None = None
) -> dict[str, Successor]:
    """For every job of the old edition, the job proposed in the new one.

    ``engine`` gives, for retired jobs, the job the matching engine ranks first (or None).
    A pair by code or by hand is certain; a pair by similarity is as sure as the
    similarity; the engine's guess is never sure enough to be accepted in bulk.
    """
    result: dict[str, Successor] = {}
    for change in diff.changes:
        pair = change.pair
        sure = pair.how in (Pairing.BY_CODE, Pairing.BY_HAND)
        result[pair.before.code] = Successor(
            code=pair.after.code,
            title=pair.after.title,
            level=pair.after.level,
            how=Succession.SAME_CODE if pair.how == Pairing.BY_CODE else Succession.PAIRED,
            confidence=1.0 if sure else min(pair.similarity, GUESSED_PAIR_CONFIDENCE),
            renamed=change.renamed,
        )
    for job in diff.retired:
        guess = (engine or {}).get(job.code)
        result[job.code] = (
            Successor(guess.code, guess.title, guess.level, Succession.ENGINE, ENGINE_CONFIDENCE)
            if guess
            else Successor(None, "", None, Succession.NONE, 0.0)
        )
    return result


# An engine guess for a retired job stays below any bulk-acceptance threshold: HR looks.
ENGINE_CONFIDENCE = 0.5


@dataclass(frozen=True)
class PositionedPerson:
    """A decided positioning of the old edition, as the impact needs it."""

    establishment: str
    employee_id: int
    job_code: str | None  # None: placed on an evaluated local job
    level: int
    base_level: int | None  # the job's own level (below ``level``: a personal level)


@dataclass(frozen=True)
class Move:
    person: PositionedPerson
    successor: Successor | None
    new_level: int | None

    @property
    def changes_job(self) -> bool:
        """Placed on another job: its job was retired (a renamed job is the same job)."""
        return self.successor is None or self.successor.how in (Succession.ENGINE, Succession.NONE)

    @property
    def renamed(self) -> bool:
        return not self.changes_job and (
            self.successor.renamed or self.successor.code != self.person.job_code
        )

    @property
    def changes_level(self) -> bool:
        return self.new_level != self.person.level


def kept_level(held: int | None, job_level: int | None) -> int | None:
    """The level under the new edition: the new job's, or the one held when higher.

    A level held at the old edition is kept as a personal level rather than lowered by a
    new edition: lowering someone is a decision HR takes in the worklist, not a side
    effect of a new text.
    """
    if job_level is None:
        return None
    return max(job_level, held or 0)


def proposed_level(person: PositionedPerson, successor: Successor | None) -> int | None:
    return kept_level(person.level, successor.level if successor else None)


def moves(people: Iterable[PositionedPerson], mapping: Mapping[str, Successor]) -> list[Move]:
    result = []
    for person in people:
        successor = mapping.get(person.job_code) if person.job_code else None
        result.append(Move(person, successor, proposed_level(person, successor)))
    return result


@dataclass
class EstablishmentImpact:
    # The headcounts, in the order tables and exports show them.
    COUNTS: ClassVar[tuple[str, ...]] = (
        "positioned",
        "unchanged",
        "renamed",
        "change_job",
        "job_level_up",
        "job_level_down",
        "without_proposal",
        "local_job",
    )

    establishment: str
    positioned: int = 0
    unchanged: int = 0
    change_job: int = 0
    renamed: int = 0
    job_level_up: int = 0
    job_level_down: int = 0
    without_proposal: int = 0
    local_job: int = 0  # placed on an evaluated local job of the earlier edition
    by_level_before: Counter = field(default_factory=Counter)
    by_level_after: Counter = field(default_factory=Counter)

    @property
    def affected(self) -> int:
        return self.positioned - self.unchanged

    @classmethod
    def total_of(cls, rows: Iterable[EstablishmentImpact], name: str = "total"):
        total = cls(name)
        for row in rows:
            for count in cls.COUNTS:
                setattr(total, count, getattr(total, count) + getattr(row, count))
            total.by_level_before.update(row.by_level_before)
            total.by_level_after.update(row.by_level_after)
        return total


def impact(all_moves: Iterable[Move]) -> dict[str, EstablishmentImpact]:
    """Per establishment: who would change job or level, and the headcount by level."""
    result: dict[str, EstablishmentImpact] = {}
    for move in all_moves:
        row = result.setdefault(
            move.person.establishment, EstablishmentImpact(move.person.establishment)
        )
        row.positioned += 1
        row.by_level_before[move.person.level] += 1
        if move.person.job_code is None:
            # An evaluation belongs to its edition: the local job is evaluated again, or the
            # person is placed on a reference job, in the worklist.
            row.local_job += 1
            continue
        if move.new_level is None:
            row.without_proposal += 1
        else:
            row.by_level_after[move.new_level] += 1
        old_job_level = move.person.base_level
        new_job_level = move.successor.level if move.successor else None
        if move.changes_job:
            row.change_job += 1
        elif move.renamed:
            row.renamed += 1
        if old_job_level and new_job_level:
            row.job_level_up += new_job_level > old_job_level
            row.job_level_down += new_job_level < old_job_level
        if not (move.changes_job or move.renamed or move.changes_level) and (
            new_job_level == old_job_level
        ):
            row.unchanged += 1
    return result


# --- carrying an open campaign over to a new edition -----------------------------------------


def job_unchanged(before: EditionJob | None, after: EditionJob | None) -> bool:
    """Whether a person placed on ``before`` stays where they are under ``after``: the same
    code, the same level and the same degrees. Texts may change (a reworded mission does
    not move anyone); a renamed, re-levelled, re-weighed or retired job does."""
    if before is None or after is None:
        return False
    return (
        before.code == after.code
        and before.level == after.level
        and dict(before.degrees) == dict(after.degrees)
    )


def unchanged_codes(before: EditionContent, after: EditionContent) -> frozenset[str]:
    """The codes of the jobs of ``before`` that ``job_unchanged`` keeps in ``after``."""
    new = {job.code: job for job in after.jobs}
    return frozenset(job.code for job in before.jobs if job_unchanged(job, new.get(job.code)))


class CarryOver:
    """What publishing a new edition does to one positioning of the campaign in force."""

    KEEP = "reporté"  # decided on an unchanged job: status, decision and appeal kept
    REVIEW = "à revoir"  # decided on a job the edition changed: back to the worklist
    # Notified or contested on a changed job: back to the worklist, flagged, the letter
    # and the appeal kept on the earlier edition (never reset silently).
    FLAGGED = "à revoir (notifié ou contesté)"
    PROPOSE = "proposé"  # not decided yet: proposals on the new edition at once


# Statuses whose letter was handed out: a change to them is never silent.
_HANDED_OUT = frozenset({positioning.NOTIFIED, positioning.CONTESTED})


def carry_over_outcome(status: str, unchanged: bool) -> str:
    """``CarryOver.*`` for a positioning of ``status`` whose job is (not) ``unchanged``."""
    if status not in positioning.DECIDED:
        return CarryOver.PROPOSE
    if unchanged:
        return CarryOver.KEEP
    return CarryOver.FLAGGED if status in _HANDED_OUT else CarryOver.REVIEW
