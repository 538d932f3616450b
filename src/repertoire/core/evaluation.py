"""Evaluation a local job (pesée): the yardstick, the result, and the order of its review.

An establishment's job that the national list does not describe is evaluated with the
edition's criteria and rule. The yardstick is the reference jobs themselves: for each
criterion and degree, the jobs that hold it. The result is the level with its
explanation and warnings, the nearest reference jobs by profile and by text, and a
plain statement when the local job is in fact an existing reference job.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from repertoire.core.grid import Classification, Grid
from repertoire.core.matching import Candidate
from repertoire.core.profiles import ProfileIndex
from repertoire.core.text import to_roman

# TransitionRefused: what next_status raises, caught by the callers from here.
from repertoire.core.transitions import TransitionRefused as TransitionRefused
from repertoire.core.transitions import Workflow

DRAFT = "draft"
SUBMITTED = "submitted"
VALIDATED = "validated"
RETURNED = "returned"
STATUSES = (DRAFT, SUBMITTED, VALIDATED, RETURNED)
STATUS_LABELS = {
    DRAFT: "brouillon",
    SUBMITTED: "soumise",
    VALIDATED: "validée",
    RETURNED: "renvoyée",
}
# Who may do what from which status (the roles are checked by the services).
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "edit": (frozenset({DRAFT, RETURNED}), DRAFT),
    "submit": (frozenset({DRAFT, RETURNED}), SUBMITTED),
    "validate": (frozenset({SUBMITTED}), VALIDATED),
    "return": (frozenset({SUBMITTED}), RETURNED),
}
ACTION_LABELS = {
    "edit": "modifier",
    "submit": "soumettre",
    "validate": "valider",
    "return": "renvoyer",
}

# A local job this close to a reference job, by text and by profile, is that job.
SAME_JOB_TEXT_SCORE = 0.85
SAME_JOB_PROFILE_DISTANCE = 2


WORKFLOW = Workflow(
    statuses=STATUSES,
    transitions=TRANSITIONS,
    status_labels=STATUS_LABELS,
    action_labels=ACTION_LABELS,
    refusal="impossible de {action} une pesée {status} (il faut qu'elle soit {allowed})",
    joiner=" ou ",
)


def next_status(current: str, action: str) -> str:
    """The status after ``action``; refused, with the reason, when the order forbids it."""
    return WORKFLOW.next_status(current, action)


def missing_justifications(
    criteria_codes: Sequence[str], justifications: dict[str, str]
) -> list[str]:
    """The criteria whose degree is not justified (a submitted evaluation justifies each)."""
    return [code for code in criteria_codes if not (justifications.get(code) or "").strip()]


@dataclass(frozen=True)
class ProfileNeighbour:
    code: str
    title: str
    level: int
    distance: int  # degrees apart, criterion by criterion


@dataclass(frozen=True)
class EvaluationResult:
    """What the form shows as the degrees change."""

    classification: Classification
    by_profile: tuple[ProfileNeighbour, ...]
    by_text: tuple[Candidate, ...]
    same_job: ProfileNeighbour | None  # the reference job this local job already is

    @property
    def same_job_statement(self) -> str:
        if self.same_job is None:
            return ""
        return (
            f"Cet emploi ressemble à l'emploi repère « {self.same_job.title} » (niveau "
            f"{to_roman(self.same_job.level)}) par son intitulé et ses missions comme par "
            f"son profil ({self.same_job.distance} degré(s) d'écart) : positionnez plutôt "
            "les collaborateurs sur cet emploi repère que de peser un nouvel emploi."
        )


def evaluate(
    grid: Grid,
    degrees: Sequence[int],
    *,
    profiles: ProfileIndex,
    by_text: Sequence[Candidate],
    count: int = 5,
) -> EvaluationResult:
    """The level of a profile with the reference jobs around it; ``same_job`` when one
    of the closest by text is also within a couple of degrees by profile."""
    classification = grid.classify(degrees)
    jobs = {job.code: job for job in profiles.jobs}
    distances = profiles.distances_to(degrees)

    def neighbour(code: str) -> ProfileNeighbour:
        job = jobs[code]
        return ProfileNeighbour(job.code, job.title, job.level, distances[code])

    by_profile = tuple(neighbour(code) for code, _ in profiles.nearest_to(degrees, count))
    same_job = next(
        (
            neighbour(candidate.code)
            for candidate in by_text
            if candidate.score >= SAME_JOB_TEXT_SCORE
            and candidate.code in distances
            and distances[candidate.code] <= SAME_JOB_PROFILE_DISTANCE
        ),
        None,
    )
    return EvaluationResult(classification, by_profile, tuple(by_text[:count]), same_job)
