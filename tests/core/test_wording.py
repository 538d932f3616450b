"""Names in a French sentence: an establishment with its article, a title as spelled."""

import pytest

from repertoire.core.wording import display_title, spellings, with_preposition


@pytest.mark.parametrize(
    ("preposition", "name", "expected"),
    [
        ("à", "CCI de démonstration Nord", "à la CCI de démonstration Nord"),
        ("de", "CCI Nord", "de la CCI Nord"),
        ("par", "Chambre de commerce de Lyon", "par la Chambre de commerce de Lyon"),
        ("à", "Groupe Formation Sud", "au Groupe Formation Sud"),
        ("de", "Groupe Formation Sud", "du Groupe Formation Sud"),
        ("à", "Aéroport de Lille", "à l'Aéroport de Lille"),
        ("de", "École de gestion", "de l'École de gestion"),
        ("à", "La CCI Hauts-de-France", "à la CCI Hauts-de-France"),
        ("à", "Le Port de Sète", "au Port de Sète"),
        ("de", "Les Ateliers", "des Ateliers"),
        ("à", "L'Institut consulaire", "à l'Institut consulaire"),
        ("à", "Paris", "à Paris"),
        ("de", "Amiens", "d'Amiens"),
    ],
)
def test_an_establishment_takes_its_article(preposition, name, expected):
    assert with_preposition(preposition, name) == expected


def test_a_title_typed_in_capitals_takes_the_repertoire_spelling():
    known = spellings(["Assistant(e) de direction", "Chargé(e) de mission", "Comptable II"])
    assert display_title("ASSISTANTE DE DIRECTION", known) == "Assistante de direction"
    assert display_title("CHARGEE DE MISSION", known) == "Chargée de mission"
    assert display_title("COMPTABLE II", known) == "Comptable II"


def test_a_title_unknown_to_the_repertoire_is_in_sentence_case():
    assert display_title("GESTIONNAIRE  SALONS II", {}) == "Gestionnaire salons II"


def test_a_title_typed_in_small_letters_is_kept():
    assert display_title("Assistante DG", spellings(["Assistant(e) de direction"])) == (
        "Assistante DG"
    )
