"""Matching reasons quote words as the matched title or appellation writes them, not the
engine's stems (invented repertoire; no real job text typed here)."""

from repertoire.core.matching import JobEntry, MatchingIndex
from repertoire.core.text import surface_words, title_words

JOBS = [
    JobEntry("conseil-peda", "Conseiller(ère) pédagogique", 5, ("Référent pédagogique",)),
    JobEntry("compta", "Comptable I", 4, ("Comptable polyvalent", "Aide-comptable")),
    JobEntry("rh", "Chargé(e) des ressources humaines", 5, ("Chargé RH",)),
]


def test_surface_words_give_each_stem_as_written():
    assert surface_words("Conseiller(ère) pédagogique") == {
        word: written
        for word, written in zip(
            title_words("Conseiller pédagogique"), ["Conseiller", "pédagogique"], strict=True
        )
    }
    # An abbreviation stands for each word it expands to.
    assert set(surface_words("Chargé RH").values()) == {"Chargé", "RH"}
    # Every normalised word has its written form.
    for title in ("Aide-comptable", "Assistant·e de direction h/f", "DRH adjoint"):
        assert set(surface_words(title)) == set(title_words(title))


def test_the_reason_quotes_the_appellations_words_not_stems():
    index = MatchingIndex.build(JOBS)
    best = index.match("comptables polyvalentes", top=1).candidates[0]
    assert best.matched == "Comptable polyvalent"
    assert best.written == ("Comptable", "polyvalent")
    assert "mots communs : Comptable, polyvalent" in best.reason
    shared = best.reason.split("mots communs : ")[1].split(", ")
    assert shared == ["Comptable", "polyvalent"] and "comptabl" not in shared

    peda = index.match("conseillere pedagogique", top=1).candidates[0]
    assert peda.code == "conseil-peda"
    assert "pédagogique" in peda.reason and "pedagogiqu" not in peda.reason.replace(
        "pédagogique", ""
    )
    # The words kept for the engine are still its normalised ones.
    assert set(peda.words) <= set(title_words("conseillere pedagogique"))
    assert peda.as_proposal()["reason"] == peda.reason
