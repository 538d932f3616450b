"""Reads of evaluations, scoped like the establishments they belong to, and the yardstick
the form shows: what each criterion measures and which reference jobs hold each degree."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from repertoire.catalog import selectors as catalog
from repertoire.catalog.models import Edition
from repertoire.core import evaluation as rules
from repertoire.core.matching import TitleQuery
from repertoire.core.text import title_words
from repertoire.evaluation.models import JobEvaluation
from repertoire.positioning.selectors import establishments_for

# Reference jobs shown to illustrate one degree of one criterion.
ILLUSTRATIONS = 3
# Length of the requirement sentence quoted beside an illustrating job.
QUOTE_LENGTH = 160


def evaluations_for(
    user,
    *,
    establishment: str = "",
    status: str = "",
    search: str = "",
    level: int | None = None,
) -> QuerySet[JobEvaluation]:
    """The evaluations the user may see: their establishment's, every one for national."""
    evaluations = JobEvaluation.objects.filter(
        establishment__in=establishments_for(user)
    ).select_related("establishment", "edition")
    if establishment:
        evaluations = evaluations.filter(establishment__code=establishment)
    if status:
        evaluations = evaluations.filter(status=status)
    if level:
        evaluations = evaluations.filter(level=level)
    if search:
        evaluations = evaluations.filter(Q(title__icontains=search) | Q(missions__icontains=search))
    return evaluations


def evaluation_for(user, pk: int) -> JobEvaluation:
    """One evaluation the user may see; ``JobEvaluation.DoesNotExist`` otherwise."""
    return evaluations_for(user).get(pk=pk)


def history_of(evaluation: JobEvaluation):
    return evaluation.events.order_by("at", "pk")


@dataclass(frozen=True)
class Illustration:
    code: str
    title: str
    level: int
    quote: str  # a sentence of its requirements


@dataclass(frozen=True)
class CriterionScale:
    code: str
    label: str
    description: str
    degrees: dict[int, tuple[Illustration, ...]]  # degree → the jobs that hold it


def _quote(job, criterion_words: set[str]) -> str:
    """The sentence of the job's requirements (or missions) that speaks most of what the
    criterion measures; the first requirement when none does."""
    items = [item["text"] for item in (job.requirements or [])] + [
        item["text"] for item in (job.missions or [])
    ]
    if not items:
        return ""
    text = max(
        items,
        key=lambda item: (len(criterion_words & set(title_words(item))), -items.index(item)),
    )
    return text if len(text) <= QUOTE_LENGTH else text[: QUOTE_LENGTH - 1].rsplit(" ", 1)[0] + "…"


def yardstick(edition: Edition) -> list[CriterionScale]:
    """For each criterion, its eight degrees illustrated by the edition's own jobs: the
    document describes no degree in words, its jobs do (so the scale follows the edition)."""
    distribution = catalog.degree_distribution(edition)
    scales = []
    for criterion in catalog.criteria_of(edition):
        words = set(title_words(f"{criterion.label} {criterion.description}"))
        scales.append(
            CriterionScale(
                criterion.code,
                criterion.label,
                criterion.description,
                {
                    degree: tuple(
                        Illustration(job.code, job.title, job.level.number, _quote(job, words))
                        for job in jobs[:ILLUSTRATIONS]
                    )
                    for degree, jobs in distribution[criterion.code].items()
                },
            )
        )
    return scales


def evaluation_result(
    edition: Edition, degrees: dict[str, int], *, title: str = "", missions: str = ""
) -> rules.EvaluationResult:
    """The level of a profile and the reference jobs around it, by profile and by text."""
    codes = [criterion.code for criterion in catalog.criteria_of(edition)]
    profiles = catalog.profile_index(edition)
    by_text = ()
    if title.strip():
        by_text = (
            catalog.matching_index(edition)
            .match(TitleQuery(title, description=missions), top=5)
            .candidates
        )
    return rules.evaluate(
        catalog.grid_of(edition),
        [degrees[code] for code in codes],
        profiles=profiles,
        by_text=by_text,
    )


def evaluations_in_force(user, establishment, edition: Edition):
    """The evaluations employees may be placed on: validated, of this establishment and
    edition, not replaced by a newer validated edition."""
    return (
        evaluations_for(
            user, establishment=establishment.code, status=JobEvaluation.Status.VALIDATED
        )
        .filter(edition=edition)
        .exclude(revisions__status=JobEvaluation.Status.VALIDATED)
        .order_by("title", "-number", "pk")
    )
