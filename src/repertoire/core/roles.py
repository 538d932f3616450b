"""What the role word a title opens on says, beside its field words.

French titles open on the role and go on with its field ("Assistante RH"). The matcher
weighs both; these rules say when the role word should count for less, or lead the
proposals to another job than the best-scoring appellation's:

- a *generic* role (agent, chargé, technicien…: the lexicon's ``role`` words) doing a field
  its appellations never speak of lets the field decide ("Agent d'exploitation
  informatique" is the IT technician);
- such a role doing a graded family's field is that family's entry grade ("Gestionnaire
  budgétaire et comptable");
- an assistant in a field another role's appellation speaks of is the repertoire's
  assistant of a field ("Assistant marketing opérationnel", not the "Chargé de marketing
  opérationnel");
- a title naming no head (responsable, chef, directeur, manager) fits an appellation naming
  one less well (the matcher weighs it: ``matching.HEADLESS``), and a specialist's title
  read as its field ("Consultant juridique") an assistant's (``matching.SPECIALIST_ASSISTANT``);
- a head of a field no appellation names has the head of a unit among its proposals
  ("Responsable de la commande publique"), and so has a deputy head ("Adjoint au chef de
  bureau", though its appellation says the job it means first).

The jobs these rules point to (the head of a unit, the assistant of a field) are found in
the appellations, never named here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from repertoire.core.grades import GRADE_WORDS, LEVEL_CUE, LEVEL_MARKS, Grades
from repertoire.core.reading import Lexicon, expression_words
from repertoire.core.text import title_words

ASSISTANT = title_words("assistant")[0]
# An assistant's title led below this by another role's appellation goes to the assistant
# of a field, just ahead of it (as a level cue leads: LEVEL_CUE of the way to 1).
ASSISTANT_CLEAR = 0.9
_NAMED_HEADS = frozenset(title_words("directeur manager"))

# The first word of a job's best appellation for the title at hand.
Opening = Callable[[int], str]


@dataclass(frozen=True)
class Roles:
    lexicon: Lexicon
    grades: Grades
    # Words of the appellations (curated and ROME): a title's known field words.
    known: frozenset[str]
    # The words each head word goes with in the curated appellations.
    head_company: Mapping[str, frozenset[str]]
    # Each head-of-unit word → the job of its head of a unit ("Responsable de service").
    unit_heads: Mapping[str, int]
    # The job most of the appellations opening on "assistant" belong to ("Assistant
    # juridique", "Assistant marketing"…), if any.
    field_assistant: int | None

    @classmethod
    def of(
        cls,
        names: Sequence[str],
        name_job: Sequence[int],
        known: frozenset[str],
        lexicon: Lexicon,
        grades: Grades,
    ) -> Roles:
        """From the normalised curated titles and appellations and each one's job."""
        company: dict[str, set[str]] = {}
        job_of: dict[str, int] = {}
        assistants: Counter[int] = Counter()
        for name, job in zip(names, name_job, strict=True):
            head, *rest = name.split()
            company.setdefault(head, set()).update(rest)
            job_of.setdefault(name, int(job))
            if head == ASSISTANT:
                assistants[int(job)] += 1
        unit_heads = {
            head: job_of[unit]
            for head in lexicon.heads_of_unit
            if (unit := " ".join(title_words(f"{head} service"))) in job_of
        }
        return cls(
            lexicon=lexicon,
            grades=grades,
            known=known,
            head_company={head: frozenset(words) for head, words in company.items()},
            unit_heads=unit_heads,
            field_assistant=assistants.most_common(1)[0][0] if assistants else None,
        )

    def generic_head(self, title: str) -> bool:
        """Whether a read title opens on a generic role and at least half of its known
        field words never go with it in an appellation ("Agent d'exploitation
        informatique"); not when the field is one the role's appellations speak of ("Agent
        de formalités export"). Qualifiers and level marks name no field ("Agent principal"
        is an agent of a grade)."""
        head, *field = title.split() or [""]
        if head not in self.lexicon.roles:
            return False
        known = [
            word
            for word in field
            if word in self.known
            and word not in self.lexicon.qualifiers
            and word not in LEVEL_MARKS
        ]
        if not known:
            return False
        company = self.head_company.get(head, frozenset())
        return sum(word in company for word in known) <= len(known) / 2

    def specialist_of_field(self, title: str, plain: str) -> bool:
        """Whether the reading of a title left a specialist (expert, consultant…) to the
        field ("Consultant juridique" is read "juridique"): a specialist's plain title, a
        specialist word the reading does not have."""
        read = set(title.split())
        return any(word in self.lexicon.specialists and word not in read for word in plain.split())

    def role_alone(self, title: str) -> bool:
        """Whether a read title opens on a generic role and no other word of it is one the
        appellations know ("Instructeur en charge des professions réglementées"): the role
        is all it says of the job."""
        head, *rest = title.split() or [""]
        return head in self.lexicon.roles and not any(
            word in self.known for word in expression_words(rest, self.lexicon)
        )

    def naming_a_head(self, titles: Sequence[str]) -> np.ndarray:
        """Per normalised title, whether it names a head (responsable, chef, directeur,
        manager)."""
        heads = self.lexicon.heads_of_unit | _NAMED_HEADS
        return np.array([bool(heads.intersection(title.split())) for title in titles], dtype=bool)

    def lead_with_entry_grade(
        self, row: int, title: str, best: np.ndarray, opening: Opening
    ) -> None:
        """A generic role doing a graded family's field ("Gestionnaire budgétaire et
        comptable": its best appellation, "Comptable budgétaire", opens on another role) is
        the family's entry grade, unless the title says a grade."""
        words = title.split()
        if not words or words[0] not in self.lexicon.roles or set(words) & GRADE_WORDS:
            return
        leader = int(np.argmax(best[row]))
        if opening(leader) != words[0]:
            self.grades.lead_with_entry_grade(row, leader, best)

    def lead_with_field_assistant(
        self, row: int, title: str, best: np.ndarray, opening: Opening
    ) -> None:
        """An assistant in a field whose best appellation opens on another role leads with
        the assistant of a field, unless that other job is clear (ASSISTANT_CLEAR)."""
        if self.field_assistant is None or title.split(" ", 1)[0] != ASSISTANT:
            return
        leader = int(np.argmax(best[row]))
        score = best[row, leader]
        if (
            leader != self.field_assistant
            and score < ASSISTANT_CLEAR
            and opening(leader) != ASSISTANT
        ):
            best[row, self.field_assistant] = score + LEVEL_CUE * (1 - score)

    def with_unit_head(self, title: str, plain: str, order: list[int]) -> list[int]:
        """The proposals of a head of something whose title spells no appellation, or of a
        deputy head: the head of a unit among them, last, unless a job of its field already
        is; an English "manager" (read "responsable") may head nothing ("Business
        manager")."""
        head = title.split(" ", 1)[0]
        job = self.unit_heads.get(head)
        if (
            job is None
            or len(order) < 3
            or head not in plain.split()
            or self.grades.kin[job, order].any()
        ):
            return order
        return [*order[:-1], job]
