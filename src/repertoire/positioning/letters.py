"""Decision letters (lettres de positionnement): what each employee is handed.

A letter states the reference job and the level the person is placed on, the reason for
a personal level, and the way to contest: the deadline (counted from receipt of the
letter), the three kinds of appeal and the commission that hears them. The job's sheet
follows it, printed from the same fragment as the edition's PDF; for a local job evaluated
by the establishment (no reference job describes it), the summary of its evaluation does.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone, translation

from repertoire.catalog import selectors as catalog
from repertoire.catalog.models import Appellation
from repertoire.core import positioning as rules
from repertoire.core.batches import rows_in
from repertoire.core.grid import MAX_DEGREE
from repertoire.core.text import to_roman
from repertoire.core.wording import display_title, spellings
from repertoire.positioning.models import Appeal, Positioning
from repertoire.positioning.selectors import appeal_deadline, appeal_months
from repertoire.typesetting import charts
from repertoire.typesetting.pdf import pdf
from repertoire.typesetting.sheets import SheetView, edition_view

# A letter states a decision: HR validated it, or it went further since.
LETTER_STATUSES = rules.DECIDED


@dataclass(frozen=True)
class EvaluationView:
    """What a letter prints of an evaluated local job: its degrees with their justifications,
    and the level and explanation as validated (frozen: the rule may change since)."""

    evaluation: object  # evaluation.JobEvaluation
    degrees: list[tuple]  # (criterion, degree, justification)
    total: int
    level_roman: str
    chart: str


@dataclass(frozen=True)
class Letter:
    positioning: Positioning
    date: dt.date  # of the notification, or of the printing before it
    deadline: dt.date
    level_roman: str
    job_level_roman: str
    sheet: SheetView | None  # a reference job's
    evaluation: EvaluationView | None = None  # or an evaluated local job's
    # The employee's local title as the letter quotes it (``core.wording.display_title``).
    job_title: str = ""

    @property
    def employee(self):
        return self.positioning.employee

    @property
    def personal_level(self) -> bool:
        return self.positioning.is_personal_level


def letters_of(
    positionings: Sequence[Positioning], *, today: dt.date | None = None
) -> list[Letter]:
    """The letters of decided positionings of one edition, with their jobs' sheets."""
    if not positionings:
        return []
    today = today or timezone.localdate()
    edition = positionings[0].edition
    job_ids = {p.job_id for p in positionings if p.job_id}
    jobs = rows_in(catalog.jobs_of(edition), "pk", job_ids)
    # One reading of the edition for all the letters; one sheet per distinct job.
    sheets = (
        {sheet.job.pk: sheet for sheet in edition_view(edition, jobs=jobs).sheets} if jobs else {}
    )
    evaluations = {
        p.evaluation_id: _evaluation(p.evaluation)
        for p in positionings
        if not p.job_id and p.evaluation_id
    }
    spelled = _spellings(edition)
    letters = []
    for positioning in positionings:
        date = positioning.notified_on or today
        letters.append(
            Letter(
                positioning=positioning,
                date=date,
                deadline=appeal_deadline(date),
                level_roman=to_roman(positioning.level),
                job_level_roman=to_roman(positioning.base_level),
                sheet=sheets.get(positioning.job_id),
                evaluation=None
                if positioning.job_id
                else evaluations.get(positioning.evaluation_id),
                job_title=display_title(positioning.employee.job_title, spelled),
            )
        )
    return letters


def _spellings(edition) -> dict[str, str]:
    """How the repertoire spells the titles of this edition: its jobs and appellations."""
    titles = list(catalog.jobs_of(edition).values_list("title", flat=True))
    titles += Appellation.objects.filter(job__edition=edition).values_list("title", flat=True)
    return spellings(titles)


def _evaluation(evaluation) -> EvaluationView:
    criteria = catalog.criteria_of(evaluation.edition)
    degrees = [evaluation.degrees.get(criterion.code) for criterion in criteria]
    rows = [
        (criterion, degree, evaluation.justifications.get(criterion.code, ""))
        for criterion, degree in zip(criteria, degrees, strict=True)
    ]
    return EvaluationView(
        evaluation=evaluation,
        degrees=rows,
        total=sum(degree or 0 for degree in degrees),
        level_roman=to_roman(evaluation.level),
        chart=charts.radar(
            [criterion.label for criterion in criteria],
            [charts.Series(evaluation.title, [degree or 0 for degree in degrees])],
            maximum=MAX_DEGREE,
            title=evaluation.title,
            description=", ".join(f"{c.label} {d}" for c, d in zip(criteria, degrees, strict=True)),
            size=220,
            font_size=20,
        ),
    )


LETTER_START = '<section class="letter" '
ID_ATTRIBUTE = re.compile(r'\b(id|aria-labelledby)="([^"]*)"')


def _unique_ids(html: str) -> str:
    """Several letters print the same job sheet (same anchors, same chart ids): prefix the
    ids of each letter with its number, so that each anchor is defined once."""
    head, *letters = html.split(LETTER_START)

    def prefixed(number: int, chunk: str) -> str:
        return ID_ATTRIBUTE.sub(
            lambda m: f'{m[1]}="' + " ".join(f"l{number}-{i}" for i in m[2].split()) + '"',
            chunk,
        )

    return head + "".join(
        LETTER_START + prefixed(number, chunk) for number, chunk in enumerate(letters, start=1)
    )


def letters_html(positionings: Sequence[Positioning], *, today: dt.date | None = None) -> str:
    letters = letters_of(positionings, today=today)
    with translation.override("fr"):
        html = render_to_string(
            "positioning/letters.html",
            {
                "letters": letters,
                "single": len(letters) == 1,
                "months": appeal_months(),
                "kinds": [str(label) for label in Appeal.Kind.labels],
                "edition": positionings[0].edition if positionings else None,
            },
        )
    return _unique_ids(html)


# Letters typeset together: progress is told between chunks.
CHUNK = 20


def letters_pdf(
    positionings: Sequence[Positioning],
    *,
    today: dt.date | None = None,
    progress: Callable[[float, str], None] | None = None,
) -> bytes:
    """One PDF, each letter starting on its own page; typeset by chunks whose pages are
    then bound together, so that the progress of a long batch can be told."""
    from weasyprint import HTML  # loads pango: only where PDFs are made

    positionings = list(positionings)
    if len(positionings) <= CHUNK:
        return pdf(letters_html(positionings, today=today))
    rendered = []
    for start in range(0, len(positionings), CHUNK):
        chunk = positionings[start : start + CHUNK]
        rendered.append(HTML(string=letters_html(chunk, today=today)).render())
        if progress is not None:
            done = start + len(chunk)
            progress(0.95 * done / len(positionings), f"{done} lettres sur {len(positionings)}")
    pages = [page for document in rendered for page in document.pages]
    return rendered[0].copy(pages).write_pdf()


def letter_pdf(positioning: Positioning, *, today: dt.date | None = None) -> bytes:
    return letters_pdf([positioning], today=today)
