"""Reading evaluations: each establishment sees its own (national sees all), the yardstick
of degrees illustrated by the edition's reference jobs, and the live result.

Jobs, degrees and levels are read from the loaded edition, never typed here.
"""

from __future__ import annotations

import pytest

from repertoire.catalog import selectors as catalog
from repertoire.catalog.models import JobDegree
from repertoire.core.grid import MAX_DEGREE, MIN_DEGREE
from repertoire.evaluation import selectors, services
from repertoire.evaluation.models import JobEvaluation
from tests.accounts.conftest import network  # noqa: F401  shared fixture

pytestmark = pytest.mark.django_db


def codes_of(edition) -> list[str]:
    return [criterion.code for criterion in catalog.criteria_of(edition)]


def profile(edition, values) -> dict[str, int]:
    return dict(zip(codes_of(edition), values, strict=True))


def jobs(edition) -> list:
    return list(catalog.jobs_of(edition))


@pytest.fixture
def evaluations(edition, network):  # noqa: F811
    """Two evaluations in the north (one submitted), one in the south."""
    count = len(codes_of(edition))
    low = services.create_evaluation(
        network.hr_north,
        network.north,
        title="Agent(e) d'accueil des salons",
        missions="Accueillir les exposants",
        degrees=profile(edition, [2] * count),
        justifications=dict.fromkeys(codes_of(edition), "Justifié"),
    )
    services.submit(network.hr_north, low)
    high = services.create_evaluation(
        network.hr_north,
        network.north,
        title="Directeur(trice) du pôle événementiel",
        degrees=profile(edition, [7] * count),
    )
    south = services.create_evaluation(
        network.hr_south,
        network.south,
        title="Chargé(e) des salons",
        degrees=profile(edition, [4] * count),
    )
    return low, high, south


# --- scope and filters ----------------------------------------------------------------


def test_each_establishment_sees_its_own_national_sees_all(evaluations, network):  # noqa: F811
    low, high, south = evaluations
    assert set(selectors.evaluations_for(network.hr_north)) == {low, high}
    assert set(selectors.evaluations_for(network.reader_north)) == {low, high}
    assert set(selectors.evaluations_for(network.hr_south)) == {south}
    assert set(selectors.evaluations_for(network.national)) == {low, high, south}
    assert selectors.evaluation_for(network.hr_north, low.pk) == low
    with pytest.raises(JobEvaluation.DoesNotExist):
        selectors.evaluation_for(network.hr_north, south.pk)
    with pytest.raises(JobEvaluation.DoesNotExist):
        selectors.evaluation_for(network.hr_south, high.pk)
    # Naming another establishment does not widen the scope.
    assert not selectors.evaluations_for(network.hr_north, establishment="CCI-SUD").exists()


def test_filters(evaluations, network):  # noqa: F811
    low, high, south = evaluations
    national = network.national
    assert set(selectors.evaluations_for(national, establishment="CCI-NORD")) == {low, high}
    assert list(selectors.evaluations_for(national, status="submitted")) == [low]
    assert set(selectors.evaluations_for(national, status="draft")) == {high, south}
    assert list(selectors.evaluations_for(national, level=high.level)) == [high]
    assert list(selectors.evaluations_for(national, search="exposants")) == [low]  # missions
    assert set(selectors.evaluations_for(national, search="salons")) == {low, south}
    assert list(selectors.evaluations_for(network.hr_north, search="salons")) == [low]


def test_history_in_order(evaluations, network):  # noqa: F811
    low = evaluations[0]
    services.comment(network.national, low, "À voir")
    assert [e.action for e in selectors.history_of(low)] == ["create", "submit", "comment"]


# --- the yardstick --------------------------------------------------------------------


def test_yardstick_illustrates_each_degree_with_the_jobs_holding_it(edition):
    scales = selectors.yardstick(edition)
    criteria = catalog.criteria_of(edition)
    assert [(s.code, s.label) for s in scales] == [(c.code, c.label) for c in criteria]
    holding = {}
    for row in JobDegree.objects.filter(job__edition=edition).select_related("job", "criterion"):
        holding.setdefault((row.criterion.code, row.degree), set()).add(row.job.code)
    levels = {job.code: job.level.number for job in jobs(edition)}
    titles = {job.code: job.title for job in jobs(edition)}
    illustrated = 0
    for scale in scales:
        assert sorted(scale.degrees) == list(range(MIN_DEGREE, MAX_DEGREE + 1))
        for degree, illustrations in scale.degrees.items():
            expected = holding.get((scale.code, degree), set())
            assert len(illustrations) == min(selectors.ILLUSTRATIONS, len(expected))
            for item in illustrations:
                assert item.code in expected
                assert (item.title, item.level) == (titles[item.code], levels[item.code])
                assert item.quote and len(item.quote) <= selectors.QUOTE_LENGTH
            illustrated += len(illustrations)
    assert illustrated > 0


def test_quotes_come_from_the_jobs_own_texts(edition):
    by_code = {job.code: job for job in jobs(edition)}
    for scale in selectors.yardstick(edition):
        for illustrations in scale.degrees.values():
            for item in illustrations:
                job = by_code[item.code]
                texts = [entry["text"] for entry in (job.requirements or []) + (job.missions or [])]
                assert any(text.startswith(item.quote.removesuffix("…")) for text in texts)


def test_each_criterion_quotes_what_speaks_of_it(edition):
    """Where a job has a sentence sharing words with what a criterion measures, that
    sentence illustrates the criterion rather than the job's first requirement."""
    from repertoire.core.text import title_words

    criteria = {criterion.code: criterion for criterion in catalog.criteria_of(edition)}
    for scale in selectors.yardstick(edition):
        criterion = criteria[scale.code]
        words = set(title_words(f"{criterion.label} {criterion.description}"))
        for illustrations in scale.degrees.values():
            for item in illustrations:
                quoted = set(title_words(item.quote.removesuffix("…")))
                job = next(job for job in jobs(edition) if job.code == item.code)
                best = max(
                    len(words & set(title_words(entry["text"])))
                    for entry in (job.requirements or []) + (job.missions or [])
                )
                assert len(words & quoted) >= min(best, 1) or item.quote.endswith("…")


def test_yardstick_follows_the_editions_degrees(edition):
    """Change one job's degree in the edition's data and the scale changes with it."""
    criterion = catalog.criteria_of(edition)[0]
    scale = selectors.yardstick(edition)[0]
    degree, illustrations = next((d, items) for d, items in scale.degrees.items() if items)
    moved = illustrations[0].code
    # A degree with room for one more illustration: the moved job must show there.
    target = next(
        d
        for d, items in scale.degrees.items()
        if d != degree and len(items) < selectors.ILLUSTRATIONS
    )
    JobDegree.objects.filter(job__edition=edition, job__code=moved, criterion=criterion).update(
        degree=target
    )
    after = selectors.yardstick(edition)[0].degrees
    assert moved not in [item.code for item in after[degree]]
    assert moved in [item.code for item in after[target]]


# --- the live result ------------------------------------------------------------------


def test_evaluation_result_level_is_the_grid_classify(edition):
    grid = catalog.grid_of(edition)
    count = len(codes_of(edition))
    profiles = [catalog.degrees_of(job) for job in jobs(edition)]
    profiles += [(MIN_DEGREE,) * count, (MAX_DEGREE,) * count]
    profiles += [(3,) * (count - 2) + (MAX_DEGREE, MAX_DEGREE)]  # unbalanced
    for values in profiles:
        result = selectors.evaluation_result(edition, profile(edition, values))
        assert result.classification == grid.classify(values)
        assert len(result.by_profile) == 5 and result.by_text == ()
        assert result.same_job is None


def test_evaluation_result_of_a_reference_job_says_it_is_that_job(edition):
    job = jobs(edition)[0]
    degrees = profile(edition, catalog.degrees_of(job))
    missions = " ".join(item["text"] for item in job.missions)
    result = selectors.evaluation_result(edition, degrees, title=job.title, missions=missions)
    assert result.classification.level == job.level.number
    assert result.by_profile[0].distance == 0
    assert result.by_text[0].code == job.code
    assert result.same_job is not None and result.same_job.code == job.code
    assert job.title in result.same_job_statement
    # Same words, distant profile: not the same job.
    far = {code: MAX_DEGREE if d <= 4 else MIN_DEGREE for code, d in degrees.items()}
    other = selectors.evaluation_result(edition, far, title=job.title, missions=missions)
    assert other.same_job is None and other.same_job_statement == ""
