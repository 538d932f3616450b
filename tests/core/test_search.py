"""Search: what a person types finds what they mean, ranked, highlighted, filtered."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from repertoire.core.search import (
    APPELLATION,
    MISSIONS,
    TITLE,
    DegreeRange,
    Filters,
    SearchableJob,
    SearchIndex,
    parse_degree_range,
)
from repertoire.core.text import strip_accents


def job(code, title, level=4, degrees=(4, 4, 4, 4, 4), appellations=(), missions=(), reqs=()):
    return SearchableJob(code, title, level, degrees, appellations, missions, reqs)


@pytest.fixture(scope="module")
def small_index() -> SearchIndex:
    return SearchIndex.build(
        [
            job(
                "controleur",
                "Contrôleur(se) de gestion",
                6,
                (7, 6, 7, 6, 6),
                missions=("Élaborer le budget et suivre les écarts",),
            ),
            job("formateur", "Formateur(trice)", 4, (4, 3, 4, 4, 4), ("Animateur de formation",)),
            job(
                "pedagogue",
                "Conseiller(ère) pédagogique",
                5,
                (5, 5, 5, 6, 5),
                appellations=("Ingénieur pédagogique",),
                missions=("Concevoir des dispositifs de formation",),
            ),
            job("comptable-i", "Comptable I", 4, (4, 4, 3, 3, 4), missions=("Saisir le budget",)),
            job("comptable-ii", "Comptable II", 5, (5, 5, 4, 4, 5)),
            job("directeur", "Directeur(trice)", 8, (8, 8, 8, 7, 8)),
            job(
                "rh",
                "Chargé(e) de mission I",
                5,
                (5, 6, 5, 5, 5),
                ("Chargé des ressources humaines",),
            ),
        ]
    )


def codes(results):
    return [hit.job.code for hit in results.hits]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("controleur de gestion", "controleur"),  # accents
        ("CONTRÔLEUR", "controleur"),  # case
        ("Contrôleuse", "controleur"),  # feminine form
        ("formatrice", "formateur"),
        ("ingenieur pedagogique", "pedagogue"),  # appellation, without accents
        ("comptabel", "comptable-i"),  # one typo
        ("conseilller", "pedagogue"),
        ("compta", "comptable-i"),  # as typed so far
    ],
)
def test_what_a_person_types_finds_what_they_mean(small_index, query, expected):
    assert codes(small_index.search(query))[0] == expected


def test_jobs_matching_every_word_come_first(small_index):
    found = codes(small_index.search("comptable budget", cut=False))
    assert found[0] == "comptable-i"  # title and missions
    assert set(found) >= {"comptable-ii", "controleur"}


def test_title_words_outrank_mission_words(small_index):
    found = codes(small_index.search("formation", cut=False))
    assert found.index("formateur") < found.index("pedagogue")


def test_direction_acronym_stands_for_its_words(small_index):
    found = codes(small_index.search("DRH"))
    assert found[:2] == ["rh", "directeur"] or found[:2] == ["directeur", "rh"]


def test_scores_are_relative_to_the_best_hit(small_index):
    hits = small_index.search("gestion budget").hits
    assert hits[0].score == 1.0
    assert all(0 < hit.score <= 1 for hit in hits)
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)


def test_highlights_mark_the_matched_words_in_the_passage(small_index):
    hit = small_index.search("ingénieur").hits[0]
    assert hit.passage.field == APPELLATION
    marked = [hit.passage.text[start:end] for start, end in hit.passage.highlights]
    assert marked == ["Ingénieur"]
    mission = small_index.search("dispositifs").hits[0].passage
    assert mission.field == MISSIONS
    assert [mission.text[s:e] for s, e in mission.highlights] == ["dispositifs"]


def test_gender_marks_are_not_words_but_numerals_are(small_index):
    hit = small_index.search("comptable II").hits[0]
    assert hit.job.code == "comptable-ii"
    assert hit.passage.field == TITLE
    assert small_index.search("e").total == 0


def test_unknown_words_are_reported(small_index):
    results = small_index.search("comptable zzzzqx")
    assert results.unknown_words == ("zzzzqx",)
    assert codes(results)[0].startswith("comptable")


def test_filters_by_level_and_degree_range(small_index):
    by_level = small_index.search("comptable", Filters(levels=frozenset({5})))
    assert codes(by_level) == ["comptable-ii"]
    by_degree = small_index.search("", Filters(degrees={0: DegreeRange(7, 8)}))
    assert codes(by_degree) == ["controleur", "directeur"]  # by level, then order
    assert small_index.search("").total == len(small_index.jobs)  # no words: browse


def test_pages(small_index):
    everything = codes(small_index.search("", Filters(levels=frozenset(range(1, 9))), limit=100))
    pages = [
        codes(small_index.search("", Filters(levels=frozenset(range(1, 9))), limit=3, offset=o))
        for o in (0, 3, 6)
    ]
    assert [code for codes_on_page in pages for code in codes_on_page] == everything


def test_degree_range_syntax():
    assert parse_degree_range("connaissances:4-6") == ("connaissances", DegreeRange(4, 6))
    assert parse_degree_range("relations:5") == ("relations", DegreeRange(5, 5))
    for bad in ("connaissances", "connaissances:6-4", ":4-5", "x:a-b"):
        with pytest.raises(ValueError, match="critère:min-max"):
            parse_degree_range(bad)
    with pytest.raises(ValueError, match="les degrés vont de 1 à 8"):
        parse_degree_range("connaissances:0-9")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_any_query_gives_ranked_results_without_error(small_index, query):
    results = small_index.search(query)
    assert results.total >= len(results.hits)
    for hit in results.hits:
        assert 0 <= hit.score <= 1
        if hit.passage:
            for start, end in hit.passage.highlights:
                assert 0 <= start < end <= len(hit.passage.text)


# --- on the 2014 edition ------------------------------------------------------------------


@pytest.fixture(scope="module")
def edition_index(document) -> SearchIndex:
    return SearchIndex.build(
        SearchableJob(
            sheet.code,
            sheet.title,
            sheet.level,
            sheet.degrees,
            missions=tuple(item.text for item in sheet.missions),
            requirements=tuple(item.text for item in sheet.requirements),
        )
        for sheet in document.jobs
    )


def test_every_job_is_found_first_by_its_own_title_typed_plainly(document, edition_index):
    for sheet in document.jobs:
        typed = strip_accents(sheet.title).lower()
        hits = edition_index.search(typed).hits
        # Titles of one family differ by a numeral only (Comptable I, II): ties are fair.
        best = {hit.job.code for hit in hits if hit.score == hits[0].score}
        assert sheet.code in best, (typed, [hit.job.title for hit in hits[:3]])


def test_a_letter_missing_from_a_title_word_still_finds_the_job(document, edition_index):
    for sheet in document.jobs:
        longest = max(re.findall(r"\w+", strip_accents(sheet.title)), key=len)
        if len(longest) < 6:
            continue
        typo = longest[:3] + longest[4:]
        found = [hit.job.code for hit in edition_index.search(typo, limit=10).hits]
        assert sheet.code in found, (sheet.title, typo)


@pytest.fixture(scope="module")
def hr_index() -> SearchIndex:
    return SearchIndex.build(
        [
            job("assistant", "Assistant(e)", 3, appellations=("Secrétaire",)),
            job(
                "assistant-rh",
                "Assistant(e) spécialisé(e)",
                4,
                appellations=(
                    "Assistant ressources humaines",
                    "Assistant du secrétaire général",
                ),
            ),
            job("directeur", "Directeur(trice)", 8, appellations=("Secrétaire général",)),
            job("acheteur", "Acheteur(se)", 5, missions=("Suivre les contrats jusqu'à leur fin",)),
            job("financier", "Responsable financier", 6),
            job("comptable", "Comptable I", 4),
        ]
    )


def test_hr_acronyms_stand_for_their_words(hr_index):
    assert codes(hr_index.search("assistant RH"))[0] == "assistant-rh"
    assert codes(hr_index.search("RH"))[0] == "assistant-rh"


def test_a_shorthand_the_repertoire_uses_as_a_word_stays_a_word(hr_index):
    # "fin" is also payroll shorthand for "financier"; in a sentence it is the word.
    assert codes(hr_index.search("fin de contrat"))[0] == "acheteur"


def test_two_letters_swapped_count_as_one_typo(hr_index):
    assert "assistant" in codes(hr_index.search("secretiare"))


def test_a_query_saying_a_name_exactly_puts_its_job_first(hr_index):
    assert codes(hr_index.search("secrétaire générale"))[0] == "directeur"


def test_words_of_one_family_find_each_other(hr_index):
    assert codes(hr_index.search("comptabilité"))[0] == "comptable"


def test_an_edition_without_jobs_finds_nothing():
    empty = SearchIndex.build([])
    assert empty.search("comptable").total == 0
    assert empty.search("").total == 0
