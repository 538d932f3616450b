"""The PDF annex of a new edition: summary, jobs added and retired, each changed job with
its texts marked word by word. The next edition is made through the services."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from repertoire.catalog import selectors as catalog
from repertoire.core.editions import Span
from repertoire.core.text import to_roman
from repertoire.publishing import diff_annex
from tests.accounts.conftest import network  # noqa: F401 (the fixture)
from tests.edition_builder import next_edition

pytestmark = pytest.mark.django_db


@pytest.fixture
def changes(edition, network):  # noqa: F811
    made = next_edition(network.national, edition)
    return made, catalog.edition_diff(edition, made.edition)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_annex_pdf_names_the_editions_and_the_renamed_job(changes):
    made, diff = changes
    content = diff_annex.diff_pdf(diff)
    assert content.startswith(b"%PDF")
    text = " ".join(pdf_text(content).split())
    # English until the French catalogue has the message, "Annexe" after.
    assert "Annex" in text
    assert diff.before.label in text and diff.after.label in text
    assert made.new_title in text
    assert made.added_title in text
    retired = diff.before.job(made.retired)
    assert retired.title in text


def test_the_annex_html_marks_removed_and_added_words(changes):
    made, diff = changes
    html = diff_annex.diff_html(diff)
    assert "<del>" in html and "<ins>" in html
    # The struck-through and underlined styles carry the meaning without colour.
    assert "line-through" in html and "underline" in html
    view = diff_annex.annex_view(diff)
    assert view.summary == diff.summary()
    renamed = next(c for c in view.changes if c.after.code == made.renamed)
    assert renamed.renamed and renamed.after.title == made.new_title
    assert [text.kind for text in renamed.texts] == ["missions"]
    raised = next(c for c in view.changes if c.after.code == made.raised)
    assert raised.level_changed and raised.degrees
    assert raised.after.roman == to_roman(diff.after.job(made.raised).level)
    assert [job.code for job in view.added] == [made.added]
    assert len(view.added[0].degrees) == len(diff.after.criteria)


def test_text_lines_cut_spans_at_line_breaks_and_mark_removed_breaks():
    spans = (
        Span("=", "alpha beta"),
        Span("-", "\n- gamma"),
        Span("=", "\ndelta "),
        Span("+", "epsilon"),
    )
    lines = diff_annex.text_lines(spans)
    assert [line.subitem for line in lines] == [False, True, False]
    assert lines[0].fragments[-1] == diff_annex.Fragment("-", diff_annex.LINE_BREAK_MARK)
    assert lines[1].fragments == (diff_annex.Fragment("-", "- gamma"),)
    assert lines[2].fragments[-1] == diff_annex.Fragment("+", "epsilon")


def test_an_annex_without_changes_says_so(edition):
    diff = catalog.edition_diff(edition, edition)
    view = diff_annex.annex_view(diff)
    assert (view.added, view.retired, view.changes) == ((), (), ())
    # The legend is the only struck-through text.
    assert diff_annex.diff_html(diff).count("<del>") == 1
    assert diff_annex.diff_pdf(diff).startswith(b"%PDF")
