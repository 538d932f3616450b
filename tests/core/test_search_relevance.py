"""Search lists what is relevant: a job that says a query word only in passing, in one
requirement, does not list beside jobs named by it; announced jobs not yet described are
told (invented repertoire)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from repertoire.core.search import NAME_FLOOR, TEXT_FLOOR, SearchableJob, SearchIndex, relevant


def job(code, title, appellations=(), missions=(), reqs=()):
    return SearchableJob(code, title, 4, (4, 4, 4, 4, 4), appellations, missions, reqs)


INDEX = SearchIndex.build(
    [
        job("tech", "Technicien(ne) informatique", ("Technicien support",)),
        job("acheteur", "Acheteur(se)", ("Acheteur informatique",)),
        job(
            "assistant",
            "Assistant(e)",
            reqs=("Maîtriser les outils bureautiques et informatiques",),
        ),
        job("agent", "Agent administratif", missions=("Saisir des données informatiques.",)),
        job("comptable", "Comptable", missions=("Tenir la comptabilité.",)),
    ],
    announced=["Chargé(e) de projet informatique", "Chargé(e) d'accueil"],
)


def codes(results):
    return [hit.job.code for hit in results.hits]


def test_a_passing_word_in_a_requirement_does_not_list_beside_title_hits():
    every = INDEX.search("informatique", cut=False)
    assert {"assistant", "agent"} <= set(codes(every))
    cut = INDEX.search("informatique")
    assert codes(cut) == ["tech", "acheteur"]
    assert cut.total == 2


def test_without_a_title_hit_the_texts_are_all_there_is():
    found = INDEX.search("bureautiques")
    assert codes(found) == ["assistant"]


def test_relevant_keeps_named_hits_down_to_their_floor_and_texts_to_theirs():
    scores = [1.0, NAME_FLOOR, NAME_FLOOR * 0.99, TEXT_FLOOR, TEXT_FLOOR * 0.99]
    named = [True, True, True, False, False]
    assert relevant(scores, named) == [True, True, False, True, False]
    assert relevant([0.3, 0.1], [False, False]) == [True, True]


@given(st.lists(st.tuples(st.floats(0.001, 1.0), st.booleans()), min_size=1, max_size=30))
def test_the_best_named_hit_and_every_hit_above_it_always_stay(hits):
    scores, named = [s for s, _ in hits], [n for _, n in hits]
    keep = relevant(scores, named)
    best = max((s for s, n in hits if n), default=None)
    for (score, _), kept in zip(hits, keep, strict=True):
        if best is None or score >= best:
            assert kept


def test_an_announced_job_not_yet_described_is_told():
    assert INDEX.search("chargée d'accueil").announced == ("Chargé(e) d'accueil",)
    assert INDEX.search("informatique").announced == ("Chargé(e) de projet informatique",)
    assert INDEX.search("comptable").announced == ()
    assert INDEX.search("").announced == ()
