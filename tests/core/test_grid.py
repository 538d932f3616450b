"""Level rules, calibration against the reference jobs, and classification warnings."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from repertoire.core.grid import (
    DEFAULT_RULE,
    MAX_DEGREE,
    MAX_LEVEL,
    MIN_DEGREE,
    MIN_LEVEL,
    RULES,
    UNBALANCED_GAP,
    Criterion,
    Grid,
    InvalidDegrees,
    MedianRule,
    ReferenceProfile,
    RuleRefused,
    TotalPointsRule,
    calibrate,
    choose_rule,
    get_rule,
    median_degree,
    validate_degrees,
)
from repertoire.core.text import to_roman

ALL_RULES = [TotalPointsRule(), MedianRule()]
RULE_IDS = [rule.code for rule in ALL_RULES]

# Invented criteria for grids that are not the 2014 edition's.
INVENTED_CRITERIA = tuple(Criterion(f"critere_{n}", f"Critère {n}") for n in range(1, 6))

profiles = st.tuples(*[st.integers(MIN_DEGREE, MAX_DEGREE)] * 5)


@pytest.fixture(scope="module")
def references(document) -> tuple[ReferenceProfile, ...]:
    return tuple(ReferenceProfile(job.title, job.degrees, job.level) for job in document.jobs)


@pytest.fixture(scope="module")
def criteria(document):
    return document.criteria


def codes(classification) -> list[str]:
    return [notice.code for notice in classification.warnings]


def profile_with_total(total: int, count: int = 5) -> tuple[int, ...]:
    """A balanced profile (degrees differ by at most one) whose degrees sum to total."""
    base, extra = divmod(total, count)
    return tuple(base + 1 if index < extra else base for index in range(count))


# --- calibration on the 2014 edition ----------------------------------------------------------


def test_reference_profiles_cover_the_51_jobs(references):
    assert len(references) == 51
    assert {reference.level for reference in references} == set(range(MIN_LEVEL, MAX_LEVEL + 1))


@pytest.mark.parametrize("rule", ALL_RULES, ids=RULE_IDS)
def test_both_rules_reproduce_every_declared_level(rule, references):
    assert calibrate(rule, references) == []
    for reference in references:
        assert rule.level(reference.degrees) == reference.level, reference.name


def test_choose_rule_defaults_to_total_points(references):
    assert DEFAULT_RULE == "total_points"
    rule = choose_rule(references)
    assert isinstance(rule, TotalPointsRule)
    assert rule.code == "total_points"


@pytest.mark.parametrize("code", ["total_points", "median"])
def test_choose_rule_accepts_a_preferred_rule_that_calibrates(code, references):
    assert choose_rule(references, code).code == code


def test_choose_rule_refuses_an_unknown_rule(references):
    with pytest.raises(ValueError, match="inconnue"):
        choose_rule(references, "au_doigt_mouille")
    with pytest.raises(ValueError):
        get_rule("au_doigt_mouille")


def doctored(references, index: int) -> tuple[tuple[ReferenceProfile, ...], ReferenceProfile]:
    """The references with the declared level of one job moved by one level."""
    original = references[index]
    moved = original.level + 1 if original.level < MAX_LEVEL else original.level - 1
    changed = replace(original, level=moved)
    return (*references[:index], changed, *references[index + 1 :]), changed


@pytest.mark.parametrize("index", [0, 20, 50])
@pytest.mark.parametrize("code", ["total_points", "median", None])
def test_choose_rule_refuses_a_rule_that_misclassifies_a_reference_job(references, index, code):
    doctored_references, changed = doctored(references, index)
    with pytest.raises(RuleRefused) as raised:
        choose_rule(doctored_references, code)
    refused = raised.value
    assert refused.rule.code == (code or DEFAULT_RULE)
    assert [m.reference for m in refused.misclassified] == [changed]
    assert refused.misclassified[0].computed == references[index].level
    message = str(refused)
    assert changed.name in message
    assert to_roman(changed.level) in message
    assert refused.rule.code in message
    assert calibrate(refused.rule, doctored_references) == list(refused.misclassified)


def test_choose_rule_falls_back_to_the_rule_that_calibrates(references):
    unbalanced = (3, 3, 3, 8, 8)
    by_total = (*references, ReferenceProfile("Emploi inventé", unbalanced, 5))
    by_median = (*references, ReferenceProfile("Emploi inventé", unbalanced, 3))
    assert choose_rule(by_total).code == "total_points"
    assert choose_rule(by_median).code == "median"
    with pytest.raises(RuleRefused, match="Emploi inventé"):
        choose_rule(by_total, "median")
    with pytest.raises(RuleRefused, match="Emploi inventé"):
        choose_rule(by_median, "total_points")


# --- explicit examples ------------------------------------------------------------------------


def test_unbalanced_profile_total_rule(criteria, references):
    grid = Grid(criteria, TotalPointsRule(), references)
    result = grid.classify((3, 3, 3, 8, 8))
    assert result.level == 5
    assert result.roman == "V"
    assert result.rule == "total_points"
    assert result.total == 25
    assert result.median == 3
    assert result.band == (23, 27)
    assert "rules_disagree" in codes(result)
    disagree = next(n for n in result.warnings if n.code == "rules_disagree")
    assert "III" in disagree.message
    assert "25" in result.explanation
    assert "23–27" in result.explanation


def test_unbalanced_profile_median_rule(criteria, references):
    grid = Grid(criteria, MedianRule(), references)
    result = grid.classify((3, 3, 3, 8, 8))
    assert result.level == 3
    assert result.rule == "median"
    assert result.band == (3, 3)
    assert "rules_disagree" in codes(result)
    disagree = next(n for n in result.warnings if n.code == "rules_disagree")
    assert "V" in disagree.message
    assert "3, 3, 3, 8, 8" in result.explanation


def test_unbalanced_profile_warning_names_each_far_criterion(criteria):
    grid = Grid(criteria)
    result = grid.classify((3, 3, 3, 8, 8))
    unbalanced = [n for n in result.warnings if n.code == "unbalanced_profile"]
    assert len(unbalanced) == 2
    assert criteria[3].label in unbalanced[0].message
    assert criteria[4].label in unbalanced[1].message


@pytest.mark.parametrize(
    ("degrees", "far"),
    [
        ((4, 4, 4, 4, 1), [4]),  # exactly UNBALANCED_GAP below the median
        ((4, 4, 4, 4, 7), [4]),  # exactly UNBALANCED_GAP above
        ((1, 4, 4, 4, 7), [0, 4]),
        ((4, 4, 4, 4, 2), []),  # two degrees away: balanced enough
        ((5, 5, 5, 5, 5), []),
    ],
)
def test_unbalanced_profile_threshold(degrees, far, criteria):
    assert UNBALANCED_GAP == 3
    result = Grid(criteria).classify(degrees)
    messages = [n.message for n in result.warnings if n.code == "unbalanced_profile"]
    assert len(messages) == len(far)
    for index, message in zip(far, messages, strict=True):
        assert criteria[index].label in message


def test_balanced_reference_like_profile_has_no_warning(criteria, references):
    grid = Grid(criteria, TotalPointsRule(), references)
    for reference in references:
        result = grid.classify(reference.degrees)
        assert result.level == reference.level
        assert "unobserved_band_edge" not in codes(result), reference.name


def observed_totals(references) -> dict[int, tuple[int, int]]:
    totals: dict[int, list[int]] = {}
    for reference in references:
        totals.setdefault(reference.level, []).append(sum(reference.degrees))
    return {level: (min(values), max(values)) for level, values in totals.items()}


def gap_totals(references) -> set[int]:
    """Totals strictly between the observed totals of two consecutive levels."""
    observed = observed_totals(references)
    levels = sorted(observed)
    gaps = set()
    for lower, upper in itertools.pairwise(levels):
        gaps.update(range(observed[lower][1] + 1, observed[upper][0]))
    return gaps


def test_observed_quantities_are_the_observed_totals(criteria, references):
    grid = Grid(criteria, TotalPointsRule(), references)
    assert grid.observed_quantities() == observed_totals(references)


def test_reference_totals_leave_gaps(references):
    # The document does not fix every band edge: there are totals between levels.
    assert gap_totals(references)


def test_unobserved_band_edge_in_each_gap(criteria, references):
    grid = Grid(criteria, TotalPointsRule(), references)
    observed = observed_totals(references)
    for total in sorted(gap_totals(references)):
        result = grid.classify(profile_with_total(total))
        assert result.total == total
        edge = [n for n in result.warnings if n.code == "unobserved_band_edge"]
        assert len(edge) == 1, total
        low, high = observed[result.level]
        assert f"{low} à {high}" in edge[0].message
        assert str(total) in edge[0].message


def test_no_unobserved_band_edge_inside_observed_ranges(criteria, references):
    grid = Grid(criteria, TotalPointsRule(), references)
    observed = observed_totals(references)
    inside = {t for low, high in observed.values() for t in range(low, high + 1)}
    assert inside
    for total in sorted(inside):
        result = grid.classify(profile_with_total(total))
        assert "unobserved_band_edge" not in codes(result), total
        low, high = observed[result.level]
        assert low <= total <= high


def test_unobserved_band_edge_exactly_on_gaps(criteria, references):
    grid = Grid(criteria, TotalPointsRule(), references)
    gaps = gap_totals(references)
    for total in range(MIN_DEGREE * 5, MAX_DEGREE * 5 + 1):
        result = grid.classify(profile_with_total(total))
        assert ("unobserved_band_edge" in codes(result)) == (total in gaps), total


def test_median_rule_grid_has_no_unobserved_band_edge(criteria, references):
    grid = Grid(criteria, MedianRule(), references)
    for degrees in [(1, 1, 1, 1, 1), (2, 3, 4, 5, 6), (8, 8, 8, 8, 8), (1, 8, 4, 2, 7)]:
        assert "unobserved_band_edge" not in codes(grid.classify(degrees))


def test_unobserved_band_edge_for_a_level_without_reference_job():
    references = (
        ReferenceProfile("Emploi A", (1, 1, 1, 1, 1), 1),
        ReferenceProfile("Emploi B", (2, 2, 2, 2, 2), 2),
    )
    grid = Grid(INVENTED_CRITERIA, TotalPointsRule(), references)
    result = grid.classify((6, 6, 6, 6, 6))
    edge = [n for n in result.warnings if n.code == "unobserved_band_edge"]
    assert len(edge) == 1
    assert "VI" in edge[0].message


def test_grid_without_references_gives_no_band_edge_warning():
    grid = Grid(INVENTED_CRITERIA)
    for total in range(5, 41):
        assert "unobserved_band_edge" not in codes(grid.classify(profile_with_total(total)))


def test_rules_agree_on_flat_profiles(criteria):
    for rule in ALL_RULES:
        grid = Grid(criteria, rule)
        for degree in range(MIN_DEGREE, MAX_DEGREE + 1):
            result = grid.classify((degree,) * 5)
            assert result.level == degree
            assert result.warnings == ()


def test_total_points_bands_for_five_criteria():
    rule = TotalPointsRule()
    expected = {
        1: (5, 7),
        2: (8, 12),
        3: (13, 17),
        4: (18, 22),
        5: (23, 27),
        6: (28, 32),
        7: (33, 37),
        8: (38, 40),
    }
    for level, (low, high) in expected.items():
        for total in range(low, high + 1):
            assert TotalPointsRule.level_for_total(total, 5) == level, total
        assert rule.band(profile_with_total(low)) == (low, high)


@pytest.mark.parametrize("count", [3, 4, 8])
def test_grids_with_other_numbers_of_criteria(count):
    criteria = tuple(Criterion(f"c{n}", f"Critère {n}") for n in range(count))
    for rule in ALL_RULES:
        grid = Grid(criteria, rule)
        result = grid.classify((4,) * count)
        assert result.level == 4
        with pytest.raises(InvalidDegrees):
            grid.classify((4,) * 5 if count != 5 else (4,) * 6)


def test_median_of_an_even_count_takes_the_lower_middle():
    assert median_degree((1, 2, 3, 4)) == 2
    assert MedianRule().level((5, 6, 7, 8)) == 6


# --- validate_degrees -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "degrees",
    [
        (4, 4, 4, 4),
        (4, 4, 4, 4, 4, 4),
        (),
        (0, 4, 4, 4, 4),
        (4, 4, 4, 4, 9),
        (4, -1, 4, 4, 4),
        (4, 4, 4.0, 4, 4),
        (4, 4, "4", 4, 4),
        (4, None, 4, 4, 4),
        (True, 4, 4, 4, 4),
        (4, 4, 4, 4, False),
    ],
)
def test_invalid_degrees_are_refused(degrees, criteria):
    with pytest.raises(InvalidDegrees):
        validate_degrees(degrees, 5)
    with pytest.raises(InvalidDegrees):
        Grid(criteria).classify(degrees)


def test_invalid_degrees_messages():
    with pytest.raises(InvalidDegrees, match="5 degrés attendus, 4 reçus"):
        validate_degrees((1, 2, 3, 4), 5)
    with pytest.raises(InvalidDegrees, match="9"):
        validate_degrees((1, 2, 3, 4, 9), 5)
    with pytest.raises(InvalidDegrees, match="True"):
        validate_degrees((1, 2, True, 4, 5), 5)
    assert issubclass(InvalidDegrees, ValueError)


def test_validate_degrees_returns_a_tuple():
    assert validate_degrees([1, 2, 3, 4, 8], 5) == (1, 2, 3, 4, 8)


# --- properties -------------------------------------------------------------------------------


def test_total_rule_band_contains_the_total_of_every_profile():
    rule = TotalPointsRule()
    levels = set()
    for degrees in itertools.product(range(MIN_DEGREE, MAX_DEGREE + 1), repeat=5):
        low, high = rule.band(degrees)
        assert low <= sum(degrees) <= high, degrees
        levels.add(rule.level(degrees))
    assert levels == set(range(MIN_LEVEL, MAX_LEVEL + 1))


@settings(max_examples=200, deadline=None)
@given(profiles)
def test_every_profile_gets_exactly_one_level_under_each_rule(degrees):
    grid_levels = {}
    for rule in ALL_RULES:
        level = rule.level(degrees)
        assert type(level) is int
        assert MIN_LEVEL <= level <= MAX_LEVEL
        assert rule.level(degrees) == level  # deterministic
        result = Grid(INVENTED_CRITERIA, rule).classify(degrees)
        assert result.level == level
        assert result.rule == rule.code
        assert result.total == sum(degrees)
        assert result.median == median_degree(degrees)
        assert result.band == rule.band(degrees)
        assert result.explanation == rule.explain(degrees)
        grid_levels[rule.code] = level
    assert set(grid_levels) == set(RULES)


@settings(max_examples=200, deadline=None)
@given(profiles, st.integers(0, 4))
def test_raising_one_degree_never_lowers_the_level(degrees, index):
    if degrees[index] == MAX_DEGREE:
        return
    raised = (*degrees[:index], degrees[index] + 1, *degrees[index + 1 :])
    for rule in ALL_RULES:
        assert rule.level(raised) >= rule.level(degrees), rule.code


@settings(max_examples=200, deadline=None)
@given(profiles)
def test_band_is_consistent_with_level(degrees):
    total_rule = TotalPointsRule()
    low, high = total_rule.band(degrees)
    level = total_rule.level(degrees)
    assert low <= total_rule.quantity(degrees) <= high
    for total in range(low, high + 1):
        assert total_rule.level(profile_with_total(total)) == level
    if low > MIN_DEGREE * 5:
        assert total_rule.level(profile_with_total(low - 1)) == level - 1
    if high < MAX_DEGREE * 5:
        assert total_rule.level(profile_with_total(high + 1)) == level + 1

    median_rule = MedianRule()
    median = median_degree(degrees)
    assert median_rule.band(degrees) == (median, median)
    assert median_rule.level(degrees) == median == median_rule.quantity(degrees)


@settings(max_examples=100, deadline=None)
@given(profiles)
def test_rules_disagree_warning_exactly_when_levels_differ(degrees):
    disagree = TotalPointsRule().level(degrees) != MedianRule().level(degrees)
    for rule in ALL_RULES:
        result = Grid(INVENTED_CRITERIA, rule).classify(degrees)
        assert ("rules_disagree" in codes(result)) == disagree
