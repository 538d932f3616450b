"""What switching a draft's level rule does to its jobs (the what-if of the grid page)."""

from __future__ import annotations

from dataclasses import replace

from repertoire.core.grid import (
    MAX_DEGREE,
    MIN_DEGREE,
    MedianRule,
    ReferenceProfile,
    TotalPointsRule,
    calibrate,
    level_changes,
)


def _references(document) -> list[ReferenceProfile]:
    return [ReferenceProfile(job.title, job.degrees, job.level) for job in document.jobs]


def test_no_job_moves_between_two_rules_that_both_calibrate(document):
    references = _references(document)
    total, median = TotalPointsRule(), MedianRule()
    assert not calibrate(total, references) and not calibrate(median, references)
    assert level_changes(total, median, references) == []


def test_an_unbalanced_job_following_the_rule_moves_a_declared_one_stays(document):
    references = _references(document)
    total, median = TotalPointsRule(), MedianRule()
    count = len(references[0].degrees)
    unbalanced = (MIN_DEGREE,) * (count - 2) + (MAX_DEGREE,) * 2
    follows = replace(references[0], degrees=unbalanced, level=total.level(unbalanced))
    # Declared at a level neither rule gives: kept as declared (and flagged elsewhere).
    declared_level = next(
        n for n in range(1, 9) if n not in (total.level(unbalanced), median.level(unbalanced))
    )
    declared = replace(references[1], degrees=unbalanced, level=declared_level)
    changes = level_changes(total, median, [follows, declared, *references[2:]])
    assert [(c.reference.name, c.before, c.after) for c in changes] == [
        (follows.name, total.level(unbalanced), median.level(unbalanced))
    ]
    assert follows.name in changes[0].describe()
