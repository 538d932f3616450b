"""Evaluation rules: the order of the review, the justifications, and the live result with
the reference jobs of the 2014 edition as the yardstick (read from the document)."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest

from repertoire.core.evaluation import (
    DRAFT,
    RETURNED,
    SAME_JOB_PROFILE_DISTANCE,
    SAME_JOB_TEXT_SCORE,
    STATUSES,
    SUBMITTED,
    TRANSITIONS,
    VALIDATED,
    TransitionRefused,
    evaluate,
    missing_justifications,
    next_status,
)
from repertoire.core.grid import DEFAULT_RULE, MAX_DEGREE, MIN_DEGREE, InvalidDegrees
from repertoire.core.matching import JobEntry, MatchingIndex, TitleQuery
from repertoire.core.profiles import ProfileIndex
from repertoire.core.text import to_roman

# The whole table: (status, action) → the status after it; every other pair is refused.
ALLOWED = {
    (DRAFT, "edit"): DRAFT,
    (RETURNED, "edit"): DRAFT,
    (DRAFT, "submit"): SUBMITTED,
    (RETURNED, "submit"): SUBMITTED,
    (SUBMITTED, "validate"): VALIDATED,
    (SUBMITTED, "return"): RETURNED,
}
PAIRS = list(itertools.product(STATUSES, TRANSITIONS))


@pytest.fixture(scope="module")
def grid(document):
    return document.grid(DEFAULT_RULE)


@pytest.fixture(scope="module")
def profiles(document) -> ProfileIndex:
    return ProfileIndex(document.jobs)


@pytest.fixture(scope="module")
def matcher(document) -> MatchingIndex:
    return MatchingIndex([JobEntry.from_sheet(sheet) for sheet in document.jobs])


def far_from(degrees: tuple[int, ...]) -> tuple[int, ...]:
    """The opposite end of the scale on every criterion: as far as a profile gets."""
    return tuple(MAX_DEGREE if d <= (MIN_DEGREE + MAX_DEGREE) // 2 else MIN_DEGREE for d in degrees)


# --- the order of the review ----------------------------------------------------------


@pytest.mark.parametrize(("status", "action"), PAIRS, ids=[f"{s}-{a}" for s, a in PAIRS])
def test_next_status_follows_the_table(status, action):
    if (status, action) in ALLOWED:
        assert next_status(status, action) == ALLOWED[status, action]
    else:
        with pytest.raises(TransitionRefused, match="impossible de"):
            next_status(status, action)


def test_a_validated_evaluation_is_frozen():
    for action in TRANSITIONS:
        with pytest.raises(TransitionRefused, match="validée"):
            next_status(VALIDATED, action)


def test_a_refusal_says_which_status_it_needs():
    with pytest.raises(TransitionRefused) as refused:
        next_status(DRAFT, "validate")
    assert "brouillon" in str(refused.value) and "soumise" in str(refused.value)


# --- justifications -------------------------------------------------------------------


def test_missing_justifications_in_criteria_order(document):
    codes = [criterion.code for criterion in document.criteria]
    assert missing_justifications(codes, {}) == codes
    given = {codes[0]: "Diplôme de niveau bac + 2", codes[2]: "   ", codes[3]: ""}
    assert missing_justifications(codes, given) == [code for code in codes if code != codes[0]]
    complete = {code: f"justification de {code}" for code in codes}
    assert missing_justifications(codes, complete) == []
    # A justification of a criterion the edition does not have justifies nothing.
    assert missing_justifications(codes, {"inconnu": "texte"}) == codes


# --- the live result ------------------------------------------------------------------


def test_the_level_is_the_grid_rule_with_its_explanation(document, grid, profiles):
    for job in document.jobs:
        result = evaluate(grid, job.degrees, profiles=profiles, by_text=[])
        expected = grid.classify(job.degrees)
        assert result.classification == expected
        assert result.classification.level == job.level  # the rule reproduces the document


def test_nearest_by_profile_from_the_edition(document, grid, profiles):
    job = document.jobs[len(document.jobs) // 2]
    result = evaluate(grid, job.degrees, profiles=profiles, by_text=[])
    assert len(result.by_profile) == 5
    distances = [item.distance for item in result.by_profile]
    assert distances == sorted(distances)
    first = result.by_profile[0]
    assert first.distance == 0
    twins = {sheet.code for sheet in document.jobs if sheet.degrees == job.degrees}
    assert first.code in twins
    sheets = {sheet.code: sheet for sheet in document.jobs}
    for item in result.by_profile:
        sheet = sheets[item.code]
        assert (item.title, item.level) == (sheet.title, sheet.level)
        assert item.distance == sum(
            abs(a - b) for a, b in zip(sheet.degrees, job.degrees, strict=True)
        )
    assert len(evaluate(grid, job.degrees, profiles=profiles, by_text=[], count=3).by_profile) == 3


def test_unbalanced_profile_warns(grid, profiles, document):
    low, high = MIN_DEGREE + 2, MAX_DEGREE
    degrees = (low,) * (len(document.criteria) - 2) + (high, high)
    result = evaluate(grid, degrees, profiles=profiles, by_text=[])
    assert result.classification.warnings
    assert result.classification == grid.classify(degrees)


def test_same_job_when_title_and_profile_match_a_reference_job(document, grid, profiles, matcher):
    job = document.jobs[0]
    missions = " ".join(item.as_text() for item in job.missions)
    by_text = matcher.match(TitleQuery(job.title, description=missions), top=5).candidates
    assert by_text[0].code == job.code and by_text[0].score >= SAME_JOB_TEXT_SCORE
    result = evaluate(grid, job.degrees, profiles=profiles, by_text=by_text)
    assert result.same_job is not None
    assert (result.same_job.code, result.same_job.title) == (job.code, job.title)
    assert result.same_job.distance == 0
    statement = result.same_job_statement
    assert job.title in statement and to_roman(job.level) in statement
    assert "positionnez" in statement
    # Within a couple of degrees it is still the same job.
    near = list(job.degrees)
    index = next(i for i, d in enumerate(near) if d < MAX_DEGREE)
    near[index] += SAME_JOB_PROFILE_DISTANCE
    near = tuple(min(d, MAX_DEGREE) for d in near)
    assert evaluate(grid, near, profiles=profiles, by_text=by_text).same_job.code == job.code


def test_no_same_job_when_the_profile_is_far(document, grid, profiles, matcher):
    job = document.jobs[0]
    by_text = matcher.match(TitleQuery(job.title), top=5).candidates
    assert by_text[0].code == job.code
    far = far_from(job.degrees)
    assert profiles.distances_to(far)[job.code] > SAME_JOB_PROFILE_DISTANCE
    result = evaluate(grid, far, profiles=profiles, by_text=by_text)
    assert result.same_job is None and result.same_job_statement == ""
    assert result.by_text[0].code == job.code  # still shown as the closest by text


def test_no_same_job_when_the_text_is_not_close(document, grid, profiles, matcher):
    job = document.jobs[0]
    candidate = matcher.match(TitleQuery(job.title), top=1).candidates[0]
    weak = replace(candidate, score=SAME_JOB_TEXT_SCORE - 0.01)
    result = evaluate(grid, job.degrees, profiles=profiles, by_text=[weak])
    assert result.same_job is None and result.same_job_statement == ""
    assert result.by_text == (weak,)
    # No text at all: only the profile speaks, and it never says "same job" alone.
    alone = evaluate(grid, job.degrees, profiles=profiles, by_text=[])
    assert alone.same_job is None and alone.by_text == ()


def test_by_text_is_cut_to_the_count(document, grid, profiles, matcher):
    job = document.jobs[0]
    by_text = matcher.match(TitleQuery(job.title), top=8).candidates
    result = evaluate(grid, job.degrees, profiles=profiles, by_text=by_text, count=3)
    assert result.by_text == tuple(by_text[:3])


def test_degrees_outside_the_scale_are_refused(grid, profiles, document):
    with pytest.raises(InvalidDegrees):
        evaluate(grid, (MAX_DEGREE + 1,) * len(document.criteria), profiles=profiles, by_text=[])
    with pytest.raises(InvalidDegrees):
        evaluate(grid, (MIN_DEGREE,), profiles=profiles, by_text=[])
