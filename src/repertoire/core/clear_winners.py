"""When a first proposal is clear enough to be accepted in bulk, though no appellation
spells the title: it is far ahead of every job outside its own field.

The matcher (``core/matching.py``) scores every job for a title; this rule lifts a clear
first proposal to the bulk-acceptance level, so that the precision the benchmark and HR's
decisions measure above that level holds for titles worded unlike any appellation too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from repertoire.core.grades import GRADE_WORDS, LEVEL_MARKS

# A clear winner: a first proposal scoring at least CLEAR_FLOOR, while every job outside its
# own field (its other grades excepted) scores at most CLEAR_RIVAL times as much, is
# unambiguous and is lifted to CLEAR_SCORE (the default bulk-acceptance threshold) plus a
# little of its own score. Never through ROME alone: a job ROME put first must be as clear on
# its curated appellations, nor for a generic role met on that word alone (whether the rest
# of the title names a field or nothing the appellations know), nor on an appellation
# saying a level mark the title does not ("Aide-archiviste" for "Archiviste"). Never above
# an exact spelling (1).
CLEAR_FLOOR = 0.5
CLEAR_RIVAL = 0.7
CLEAR_SCORE = 0.95
CLEAR_OWN = 0.04
# …or whose rivals score at most CLEAR_NEAR_RIVAL times as much, when its best appellation
# is entirely in the title, makes at least CLEAR_COVERAGE of the title's words, and the
# title says no grade (a grade word leaves the level to a person).
CLEAR_NEAR_RIVAL = 0.85
CLEAR_COVERAGE = 0.5


def lift_clear_winners(
    best: np.ndarray,
    curated: np.ndarray,
    via_rome: np.ndarray | None,
    *,
    kin: np.ndarray,
    best_name: Callable[[int, int], str],
    titles: Sequence[str],
    plain: Sequence[str],
    generic_head: Callable[[str], bool],
    role_alone: Callable[[str], bool],
) -> None:
    """Lift each title's clear first proposal to CLEAR_SCORE, in ``best`` (titles × jobs).

    ``curated``: the jobs' scores on their curated appellations alone; ``via_rome``: where a
    ROME appellation lifted a job (None without ROME); ``kin``: per job, its field's jobs;
    ``best_name(row, job)``: the job's best curated appellation for the title, normalised;
    ``titles``: the titles as read, ``plain`` as written (normalised); ``generic_head``:
    whether a read title opens on a generic role whose field decides; ``role_alone``:
    whether it opens on one and says nothing else the appellations know.
    """
    if not len(best):
        return
    rows = np.arange(len(best))
    first = np.argmax(best, axis=1)
    score = best[rows, first]
    rivals = np.where(kin[first], -np.inf, best).max(axis=1)
    candidates = (score >= CLEAR_FLOOR) & (score < CLEAR_SCORE)
    # What the first job scores on its curated appellations, when ROME lifted it.
    own = score
    if via_rome is not None:
        own = np.where(via_rome[rows, first], curated[rows, first], score)
        candidates &= own >= CLEAR_FLOOR
    clear = candidates & (rivals <= CLEAR_RIVAL * own)
    near = candidates & ~clear & (rivals <= CLEAR_NEAR_RIVAL * own)
    for row in np.flatnonzero(clear | near):
        name = set(best_name(row, first[row]).split())
        title = titles[row]
        clear[row] = (clear[row] or spelled_out(title, plain[row], name)) and not (
            ((generic_head(title) or role_alone(title)) and field_missed(title, name))
            or grade_unsaid(title, name)
        )
    lifted = CLEAR_SCORE + CLEAR_OWN * score
    best[rows[clear], first[clear]] = lifted[clear]


def field_missed(title: str, name: set[str]) -> bool:
    """Whether an appellation (``name``, its words) meets a title opening on a generic role
    on the role word alone, or with a level mark ("Analyste paie" and the bare « Analyste »
    of market studies: the pay field, which decides, was never weighed)."""
    _, *rest = title.split()
    return not name.intersection(word for word in rest if word not in LEVEL_MARKS)


def grade_unsaid(title: str, name: set[str]) -> bool:
    """Whether the appellation says a level mark the title does not ("Aide-archiviste"
    for "Archiviste"): the title's grade is not known to be the appellation's."""
    return bool((LEVEL_MARKS & name) - set(title.split()))


def spelled_out(title: str, plain: str, name: set[str]) -> bool:
    """Whether an appellation (``name``, its words) is entirely in the title, makes at least
    CLEAR_COVERAGE of its words, and the title says no grade."""
    if GRADE_WORDS & set(plain.split()):
        return False
    words = set(title.split())
    return name <= words and len(name) >= CLEAR_COVERAGE * len(words)
