"""The evaluation sheet (fiche de pesée): what is printed, signed and filed.

The job, its missions, each criterion with its degree and justification, the total, the
level with its explanation and warnings, the decision, and a signatures block. The page
of an evaluation shows the same reading of it (``sheet_of``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import translation

from repertoire.catalog import selectors as catalog
from repertoire.core import evaluation as rules
from repertoire.core.grid import MAX_DEGREE, Classification
from repertoire.core.text import to_roman
from repertoire.evaluation.models import JobEvaluation
from repertoire.typesetting import charts
from repertoire.typesetting.pdf import pdf


@dataclass(frozen=True)
class CriterionLine:
    code: str
    label: str
    description: str
    degree: int | None
    justification: str


@dataclass(frozen=True)
class EvaluationSheet:
    evaluation: JobEvaluation
    lines: list[CriterionLine]
    classification: Classification | None  # of the degrees as they are, for the warnings
    chart: str

    @property
    def total(self) -> int:
        return sum(line.degree or 0 for line in self.lines)

    @property
    def level_roman(self) -> str:
        return to_roman(self.evaluation.level) if self.evaluation.level else ""

    @property
    def status_label(self) -> str:
        return rules.STATUS_LABELS[self.evaluation.status]

    @property
    def mission_lines(self) -> list[str]:
        return [line.strip() for line in self.evaluation.missions.splitlines() if line.strip()]


def profile_chart(
    labels: Sequence[str],
    series: Sequence[charts.Series],
    title: str,
    *,
    size: int = 260,
    font_size: int = 13,
) -> str:
    """The radar of an evaluated profile (and of the reference jobs beside it)."""
    return charts.radar(
        list(labels),
        series,
        maximum=MAX_DEGREE,
        title=title,
        description="; ".join(
            f"{item.name} : "
            + ", ".join(
                f"{label} {value}" for label, value in zip(labels, item.values, strict=True)
            )
            for item in series
        ),
        size=size,
        font_size=font_size,
    )


def sheet_of(evaluation: JobEvaluation, *, size: int = 260, font_size: int = 13) -> EvaluationSheet:
    criteria = catalog.criteria_of(evaluation.edition)
    lines = [
        CriterionLine(
            criterion.code,
            criterion.label,
            criterion.description,
            evaluation.degrees.get(criterion.code),
            evaluation.justifications.get(criterion.code, ""),
        )
        for criterion in criteria
    ]
    degrees = [line.degree for line in lines]
    complete = all(degree is not None for degree in degrees)
    return EvaluationSheet(
        evaluation=evaluation,
        lines=lines,
        classification=catalog.grid_of(evaluation.edition).classify(degrees) if complete else None,
        chart=profile_chart(
            [line.label for line in lines],
            [charts.Series(evaluation.title, degrees)] if complete else [],
            evaluation.title,
            size=size,
            font_size=font_size,
        ),
    )


def evaluation_html(evaluation: JobEvaluation) -> str:
    with translation.override("fr"):
        return render_to_string(
            "evaluation/sheet.html",
            {"sheet": sheet_of(evaluation, size=220, font_size=20), "edition": evaluation.edition},
        )


def evaluation_pdf(evaluation: JobEvaluation) -> bytes:
    """The evaluation sheet as PDF (the web page, the API and the command print the same)."""
    return pdf(evaluation_html(evaluation))


def filename_of(evaluation: JobEvaluation) -> str:
    return f"pesee-{evaluation.establishment.code}-{evaluation.pk}-v{evaluation.number}.pdf"
