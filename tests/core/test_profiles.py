"""The jobs around a job: family one level below and above, nearest profiles."""

from __future__ import annotations

from repertoire.core.profiles import ProfileIndex
from repertoire.core.search import SearchableJob


def job(code, title, level, degrees):
    return SearchableJob(code, title, level, degrees)


INDEX = ProfileIndex(
    [
        job("e1", "Enseignant(e) I", 5, (5, 4, 5, 5, 5)),
        job("e2", "Enseignant(e) II", 6, (6, 6, 7, 7, 6)),
        job("e3", "Enseignant(e) III", 7, (7, 7, 7, 6, 6)),
        job("c1", "Comptable I", 4, (4, 4, 3, 3, 4)),
        job("f", "Formateur(trice)", 4, (4, 3, 4, 4, 4)),
        job("twin", "Jumeau", 4, (4, 3, 4, 4, 4)),
    ]
)


def test_family_one_level_below_and_above():
    middle = INDEX.neighbours("e2")
    assert (middle.below, middle.above) == ("e1", "e3")
    assert INDEX.neighbours("e1").below is None
    assert INDEX.neighbours("e1").above == "e2"  # the next level, not the last
    assert (INDEX.neighbours("f").below, INDEX.neighbours("f").above) == (None, None)


def test_nearest_profiles_by_degrees_apart():
    nearest = INDEX.neighbours("f", count=3).nearest
    assert nearest[0] == ("twin", 0)
    assert nearest[1] == ("c1", 1 + 1 + 1 + 0)
    distances = [distance for _, distance in INDEX.neighbours("e2", count=5).nearest]
    assert distances == sorted(distances)
    assert "e2" not in [code for code, _ in INDEX.neighbours("e2", count=5).nearest]


def test_count_is_bounded_by_the_other_jobs():
    assert len(INDEX.neighbours("f", count=50).nearest) == len(INDEX.jobs) - 1
