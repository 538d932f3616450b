"""An edition read once for print: its grid, its levels and its job sheets, each with its
radar chart. The edition's documents, the letters and the evaluation sheets show them."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.formats import date_format

from repertoire.catalog import selectors
from repertoire.catalog.models import Edition, ReferenceJob
from repertoire.core.document import ListItem
from repertoire.core.grid import MAX_DEGREE, RULES, Classification, calibrate
from repertoire.core.text import gender_forms
from repertoire.typesetting import charts


@dataclass
class SheetView:
    job: ReferenceJob
    degrees: list[tuple]
    classification: Classification
    chart: str
    gender_forms: tuple[str, str] | None
    missions: list[ListItem]
    requirements: list[ListItem]


@dataclass
class EditionView:
    """An edition read once for publishing: its grid, its levels and its job sheets."""

    edition: Edition
    criteria: list
    levels: list
    rule: object
    calibrations: list
    sheets: list[SheetView] = field(default_factory=list)

    @property
    def date_text(self) -> str:
        return date_format(self.edition.date, "j F Y")


def _items(items: list[dict]) -> list[ListItem]:
    return [ListItem(item["text"], tuple(item["subitems"])) for item in items]


def _sheet(job: ReferenceJob, criteria, grid) -> SheetView:
    degrees = selectors.degrees_of(job)
    forms = gender_forms(job.title)
    return SheetView(
        job=job,
        degrees=list(zip(criteria, degrees, strict=True)),
        classification=grid.classify(degrees),
        chart=charts.radar(
            [criterion.label for criterion in criteria],
            [charts.Series(job.title, degrees)],
            maximum=MAX_DEGREE,
            title=job.title,
            description=", ".join(f"{c.label} {d}" for c, d in zip(criteria, degrees, strict=True)),
            size=220,
            font_size=20,
        ),
        gender_forms=forms if forms[0] != forms[1] else None,
        missions=_items(job.missions),
        requirements=_items(job.requirements),
    )


def edition_view(edition: Edition, jobs: list[ReferenceJob] | None = None) -> EditionView:
    """The edition, with the sheets of ``jobs`` (all of its jobs by default)."""
    grid = selectors.grid_of(edition)
    criteria = selectors.criteria_of(edition)
    levels = list(selectors.levels_of(edition))
    all_jobs = list(selectors.jobs_of(edition))
    bands = grid.rule.bands(len(criteria))
    observed = grid.observed_quantities()
    for level in levels:
        level.job_list = [job for job in all_jobs if job.level_id == level.pk]
        level.band = bands[level.number]
        level.observed = observed.get(level.number)
    return EditionView(
        edition=edition,
        criteria=criteria,
        levels=levels,
        rule=grid.rule,
        calibrations=[
            {"rule": rule, "misclassified": calibrate(rule, grid.references)}
            for rule in RULES.values()
        ],
        sheets=[_sheet(job, criteria, grid) for job in (all_jobs if jobs is None else jobs)],
    )
