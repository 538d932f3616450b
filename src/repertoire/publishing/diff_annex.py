"""The annex that goes out with a new edition: what changed since the previous one.

A summary, the jobs added and retired, then each changed job with its title, level and
degree changes and its texts marked word by word. Deleted words are struck through and
added words underlined (colour only repeats it), so a black-and-white print reads the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import translation

from repertoire.core.editions import EditionDiff, EditionJob, JobChange, Pairing, Span
from repertoire.core.grid import RULES
from repertoire.core.text import to_roman
from repertoire.typesetting.pdf import pdf

SUBITEM_MARK = "- "
# Shown where a line break itself was removed or added (two items merged or split).
LINE_BREAK_MARK = "¶"


@dataclass(frozen=True)
class Fragment:
    op: str  # "=", "-", "+" as in ``Span``
    text: str


@dataclass(frozen=True)
class TextLine:
    fragments: tuple[Fragment, ...]
    subitem: bool


@dataclass(frozen=True)
class JobRow:
    code: str
    title: str
    roman: str
    degrees: tuple[int | None, ...]  # in the order of the annex's criteria


@dataclass(frozen=True)
class DegreeRow:
    label: str
    before: int | None
    after: int | None


@dataclass(frozen=True)
class ChangedText:
    kind: str  # "missions" or "requirements"
    lines: tuple[TextLine, ...]


@dataclass(frozen=True)
class ChangeView:
    before: JobRow
    after: JobRow
    renamed: bool
    code_changed: bool
    level_changed: bool
    paired_by: str
    similarity: float
    degrees: tuple[DegreeRow, ...]
    texts: tuple[ChangedText, ...]

    @property
    def paired_by_hand(self) -> bool:
        return self.paired_by == Pairing.BY_HAND

    @property
    def paired_by_similarity(self) -> bool:
        return self.paired_by == Pairing.BY_SIMILARITY


@dataclass(frozen=True)
class AnnexView:
    before: str
    after: str
    before_jobs: int
    after_jobs: int
    summary: dict[str, int]
    rule_changed: bool
    before_rule: str
    after_rule: str
    criteria_added: tuple[str, ...]
    criteria_removed: tuple[str, ...]
    after_criteria: tuple[str, ...]  # labels, the columns of the added jobs
    before_criteria: tuple[str, ...]  # labels, the columns of the retired jobs
    added: tuple[JobRow, ...]
    added_sheets: tuple[EditionJob, ...]  # their texts: the partners read the new jobs
    retired: tuple[JobRow, ...]
    changes: tuple[ChangeView, ...]


def text_lines(spans: Iterable[Span]) -> tuple[TextLine, ...]:
    """Spans cut into the lines of the edited text (an item or a sub-item per line).

    A removed or added line break ends the line too, and leaves a mark in its style, so
    that merged or split items are visible."""
    lines: list[list[Fragment]] = [[]]
    for span in spans:
        pieces = span.text.split("\n")
        for number, piece in enumerate(pieces):
            if number:
                if span.op != "=":
                    lines[-1].append(Fragment(span.op, LINE_BREAK_MARK))
                lines.append([])
            if piece:
                lines[-1].append(Fragment(span.op, piece))
    result = []
    for fragments in lines:
        if not fragments:
            continue
        shown = "".join(f.text for f in fragments if f.op != "-") or "".join(
            f.text for f in fragments
        )
        result.append(TextLine(tuple(fragments), shown.lstrip().startswith(SUBITEM_MARK)))
    return tuple(result)


def _row(job: EditionJob, criteria: Iterable[str]) -> JobRow:
    return JobRow(
        job.code,
        job.title,
        to_roman(job.level),
        tuple(job.degrees.get(code) for code in criteria),
    )


def _change(change: JobChange, labels: Mapping[str, str]) -> ChangeView:
    pair = change.pair
    texts = tuple(
        ChangedText(kind, text_lines(spans))
        for kind, spans in (("missions", change.missions), ("requirements", change.requirements))
        if spans is not None
    )
    return ChangeView(
        before=_row(pair.before, ()),
        after=_row(pair.after, ()),
        renamed=change.renamed,
        code_changed=pair.before.code != pair.after.code,
        level_changed=change.level_changed,
        paired_by=pair.how,
        similarity=pair.similarity,
        degrees=tuple(
            DegreeRow(labels.get(d.criterion, d.criterion), d.before, d.after)
            for d in change.degrees
        ),
        texts=texts,
    )


def _rule_label(code: str) -> str:
    rule = RULES.get(code)
    return rule.label if rule else code


def annex_view(diff: EditionDiff) -> AnnexView:
    # A criterion's label is the new edition's, or the old one's for a removed criterion.
    labels = {**diff.before.criteria, **diff.after.criteria}
    return AnnexView(
        before=diff.before.label,
        after=diff.after.label,
        before_jobs=len(diff.before.jobs),
        after_jobs=len(diff.after.jobs),
        summary=diff.summary(),
        rule_changed=diff.rule_changed,
        before_rule=_rule_label(diff.before.rule),
        after_rule=_rule_label(diff.after.rule),
        criteria_added=tuple(labels[code] for code in diff.criteria_added),
        criteria_removed=tuple(labels[code] for code in diff.criteria_removed),
        after_criteria=tuple(diff.after.criteria.values()),
        before_criteria=tuple(diff.before.criteria.values()),
        added=tuple(_row(job, diff.after.criteria) for job in diff.added),
        added_sheets=diff.added,
        retired=tuple(_row(job, diff.before.criteria) for job in diff.retired),
        changes=tuple(_change(change, labels) for change in diff.changed),
    )


def diff_html(diff: EditionDiff) -> str:
    # Printed in French, as the edition itself.
    with translation.override("fr"):
        return render_to_string("publishing/diff_annex.html", {"annex": annex_view(diff)})


def diff_pdf(diff: EditionDiff) -> bytes:
    """The annex as PDF (``repertoire diff A B --pdf FILE``)."""
    return pdf(diff_html(diff))


def filename_of(diff: EditionDiff) -> str:
    return f"annexe-{diff.before.label}-{diff.after.label}.pdf"
