"""Jobs of one field at several grades, and how a title's words choose among them.

A *family* is a field whose jobs differ only by a level numeral (Comptable I, II); a
*field* also joins jobs whose titles differ only by their role word (Agent, Employé(e),
Technicien(ne) des moyens généraux). A local title seldom tells the grade: the matcher
ranks a field's jobs together and lets the title's level words (junior, confirmé, senior)
or its role pick the grade, never lifting one field over another.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from repertoire.core.text import LEVEL_NUMERALS, family_key, title_words

# A seniority word gives the job of the level it points to the best score of its family,
# plus this share of the way to 1: it reorders a family, never lifts one over another.
LEVEL_CUE = 0.05
# Jobs of one field at other levels score at least this share of the best of them, plus
# RELATED_OWN of their own score: the field's other grades, in the order of their own
# scores, are the next proposals. The floor stays below the best (0.8 + 0.1 < 1): the
# first proposal never changes.
RELATED_SHARE = 0.8
RELATED_OWN = 0.1

# Level marks in a title: the numerals name a job of a family outright; seniority words
# point to its first level (junior), its second (confirmé) or its last (senior).
NUMERALS = LEVEL_NUMERALS
JUNIOR_WORDS = frozenset(title_words("junior débutant aide"))
CONFIRMED_WORDS = frozenset(title_words("confirmé expérimenté"))
SENIOR_WORDS = frozenset(title_words("senior principal"))
LEVEL_MARKS = (
    NUMERALS | JUNIOR_WORDS | CONFIRMED_WORDS | SENIOR_WORDS | frozenset(title_words("adjoint"))
)
# Words that tell a grade or a level: a person settles the level of a title with one.
GRADE_WORDS = LEVEL_MARKS | frozenset(title_words("expert chef responsable principal"))


@dataclass(frozen=True)
class Grades:
    """The families and fields of an edition's jobs, by the jobs' positions."""

    families: list[list[int]]
    fields: list[list[int]]
    # kin[a, b]: jobs a and b are of one field (a job is its own kin).
    kin: np.ndarray
    # Fields whose jobs differ by their role word, by level, with those role words.
    roles: tuple[tuple[list[int], frozenset[str]], ...] = ()

    @classmethod
    def of(cls, titles: Sequence[str], levels: Sequence[int]) -> Grades:
        families: dict[tuple[str, ...], list[int]] = {}
        by_role: dict[tuple[str, ...], list[int]] = {}
        for index, title in enumerate(titles):
            key = family_key(title)
            words = title_words(title)
            if key is not None:
                families.setdefault(key, []).append(index)
            elif len(words) > 1:
                by_role.setdefault(tuple(words[1:]), []).append(index)
        graded = [
            sorted(members, key=lambda i: levels[i])
            for members in families.values()
            if len(members) > 1
        ]
        fields = graded + [members for members in by_role.values() if len(members) > 1]
        kin = np.eye(len(titles), dtype=bool)
        for field in fields:
            kin[np.ix_(field, field)] = True
        roles = tuple(
            (
                sorted(members, key=lambda i: levels[i]),
                frozenset(title_words(titles[i])[0] for i in members),
            )
            for members in by_role.values()
            if len(members) > 1
        )
        return cls(families=graded, fields=fields, kin=kin, roles=roles)

    def family_of(self, job: int) -> list[int] | None:
        return next((family for family in self.families if job in family), None)

    def apply_level_cues(self, row: int, title: list[str], best: np.ndarray) -> None:
        """Within each family, the job a seniority word points to takes the lead (not for
        a title naming a level outright: a numeral); so too within a field whose jobs
        differ by their role word, unless the title says the role ("Technicien confirmé"
        is a technician; "Développeur senior" may be the field's higher job)."""
        words = set(title)
        if words & NUMERALS:
            return
        cues = [
            position
            for position, marks in ((0, JUNIOR_WORDS), (1, CONFIRMED_WORDS), (-1, SENIOR_WORDS))
            if words & marks
        ]
        if len(cues) != 1:
            return
        graded = [field for field, roles in self.roles if title[:1] and title[0] not in roles]
        for family in self.families + graded:
            leader = best[row, family].max()
            best[row, family[cues[0]]] = leader + LEVEL_CUE * (1 - leader)

    def lead_with_entry_grade(self, row: int, leader: int, best: np.ndarray) -> None:
        """The first grade of the leader's family takes the lead of it."""
        family = self.family_of(leader)
        if family is not None and family[0] != leader:
            score = best[row, leader]
            best[row, family[0]] = score + LEVEL_CUE * (1 - score)

    def propose_related(self, best: np.ndarray) -> None:
        """Each field's other grades follow its best job (RELATED_SHARE, RELATED_OWN)."""
        for field in self.fields:
            scores = best[:, field]
            floor = RELATED_SHARE * scores.max(axis=1, keepdims=True) + RELATED_OWN * scores
            best[:, field] = np.maximum(scores, floor)
