"""The directive's factors read from criteria: on the bundled 2014 edition's own criteria
(labels from the document, descriptions as the edition is loaded with them), and on
made-up criteria for the matching rules."""

from __future__ import annotations

import pytest

from repertoire import bundled
from repertoire.core.factors import (
    FACTORS,
    VOCABULARY,
    CriterionText,
    factor_coverage,
    find_words,
)


@pytest.fixture(scope="module")
def described(document):
    """The 2014 criteria with what each measures, as an edition is loaded."""
    descriptions = bundled.criteria_descriptions()
    return [CriterionText(c.code, c.label, descriptions[c.code]) for c in document.criteria]


def own_text(criteria, code):
    criterion = next(c for c in criteria if c.code == code)
    return f"{criterion.label}\n{getattr(criterion, 'description', '')}"


def assert_words_are_the_criteria_own(coverage, criteria):
    for factor in coverage.factors:
        for match in factor.matches:
            assert match.words
            for word in match.words:
                assert word in own_text(criteria, match.code), (factor.factor, word)


def test_the_2014_labels_alone_cover_skills_and_responsibility(document):
    coverage = factor_coverage(document.criteria)
    assert coverage.factor("skills").criteria == ("connaissances",)
    assert coverage.factor("responsibility").criteria == ("responsabilites",)
    assert coverage.uncovered == ("effort", "working_conditions")
    # The words shown are the labels themselves, as the document writes them.
    labels = {c.code: c.label for c in document.criteria}
    assert coverage.factor("skills").matches[0].words == (labels["connaissances"],)
    assert coverage.factor("responsibility").matches[0].words == (labels["responsabilites"],)


def test_the_2014_criteria_with_their_descriptions(described):
    coverage = factor_coverage(described)
    assert_words_are_the_criteria_own(coverage, described)
    skills = coverage.factor("skills")
    assert skills.criteria == ("connaissances",)
    # Knowledge is described as knowledge, training, experience, technique, expertise.
    assert set(skills.matches[0].terms) >= {
        "connaissance",
        "savoir",
        "formation",
        "experience",
        "technique",
        "expertise",
    }
    # Autonomy (latitude d'action) and decisions (responsabilités) are responsibility.
    responsibility = coverage.factor("responsibility")
    assert responsibility.criteria == ("latitude_action", "responsabilites")
    assert responsibility.matches[0].terms == ("autonomi",)
    assert set(responsibility.matches[1].terms) == {"responsabilit", "decision"}
    # Nothing in the 2014 grid speaks of effort or of working conditions.
    assert coverage.uncovered == ("effort", "working_conditions")
    # Complexity and relations speak of none of the four factors' words.
    covering = {code for factor in coverage.factors for code in factor.criteria}
    assert {c.code for c in described} - covering == {"complexite", "relations"}


def test_the_coverage_as_json(described):
    shown = factor_coverage(described).as_dict()
    assert [f["factor"] for f in shown["factors"]] == list(FACTORS)
    assert shown["uncovered"] == ["effort", "working_conditions"]
    effort = shown["factors"][1]
    assert effort == {"factor": "effort", "label": "Efforts", "covered": False, "criteria": []}
    skills = shown["factors"][0]["criteria"][0]
    assert set(skills) == {"code", "label", "words", "terms"}
    assert isinstance(skills["words"], list)


# --- the matching rules, on made-up criteria -------------------------------------------


def test_accents_and_case_do_not_matter_and_words_are_shown_as_written():
    assert find_words("PÉNIBILITÉ physique des tâches", "effort") == [
        ("PÉNIBILITÉ", "penibilite"),
        ("physique", "physique"),
    ]


def test_stems_match_at_the_start_of_a_word_only():
    # « informations » is not « formation »; « effet » is not « effort ».
    assert find_words("Échange d'informations", "skills") == []
    assert find_words("L'effet des actions", "effort") == []
    assert find_words("Responsabilité budgétaire", "responsibility") == [
        ("Responsabilité", "responsabilit")
    ]


def test_phrases_match_their_words_in_sequence():
    text = "Travail en extérieur ; conditions  de travail difficiles ; chargé d'études"
    assert find_words(text, "working_conditions") == [
        ("conditions  de travail", "conditions de travail")
    ]
    # « chargé » alone is not a workload.
    assert find_words(text, "effort") == []
    assert find_words("Forte charge de travail", "effort") == [
        ("charge de travail", "charge de travail")
    ]


def test_hyphenated_words_are_shown_whole():
    assert find_words("savoir-faire", "skills") == [("savoir-faire", "savoir")]


def test_a_grid_covering_every_factor():
    criteria = [
        CriterionText("a", "Savoir-faire"),
        CriterionText("b", "Efforts", "Effort physique et mental demandé"),
        CriterionText("c", "Encadrement"),
        CriterionText("d", "Environnement", "Horaires décalés, déplacements, risques"),
    ]
    coverage = factor_coverage(criteria)
    assert coverage.uncovered == ()
    assert [f.criteria for f in coverage.factors] == [("a",), ("b",), ("c",), ("d",)]
    assert coverage.factor("working_conditions").matches[0].words == (
        "Environnement",
        "Horaires",
        "déplacements",
        "risques",
    )


def test_the_vocabulary_is_written_folded():
    for terms in VOCABULARY.values():
        for term in terms:
            assert term == term.lower() and term.isascii(), term
