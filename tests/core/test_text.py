"""French title normalisation: title keys, slugs, roman numerals, sentence case."""

from __future__ import annotations

import pytest

from repertoire.core.text import (
    ROMAN_NUMERALS,
    from_roman,
    gender_forms,
    sentence_case,
    slugify,
    strip_accents,
    title_key,
    title_words,
    to_roman,
)

# --- title_key ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sommaire_form", "sheet_form"),
    [
        ("Conseiller(ère) d'entreprise I", "CONSEILLER(E) D'ENTREPRISE (I)"),
        ("Expert(e) / Chercheur(se)", "EXPERT(E)/CHERCHEUR(SE)"),
        ("Tisserand(e) de nuages", "TISSERAND(E) DE NUAGES"),
        ("Gardien(ne) des phares lunaires", "GARDIEN(NE) DES PHARES LUNAIRES"),
        ("Dresseur(se) de comètes II", "DRESSEUR(SE) DE COMETES (II)"),
        ("Animateur(trice) d'étoiles", "ANIMATEUR(TRICE) D’ETOILES"),
        ("Conteur(euse) officiel(le)", "CONTEUR(EUSE) OFFICIEL(LE)"),
        ("Régisseur(se) des marées", "régisseur(se)   des   marées"),
    ],
)
def test_title_key_is_shared_by_the_spellings_of_one_job(sommaire_form, sheet_form):
    assert title_key(sommaire_form) == title_key(sheet_form)


def test_title_key_values_for_gender_forms():
    assert title_key("Conseiller(ère) d'entreprise I") == "conseiller entreprise i"
    assert title_key("CONSEILLER(E) D'ENTREPRISE (I)") == "conseiller entreprise i"
    assert title_key("Expert(e) / Chercheur(se)") == "expert chercheur"
    assert title_key("EXPERT(E)/CHERCHEUR(SE)") == "expert chercheur"


def test_title_key_keeps_level_numerals_apart():
    keys = {title_key(f"Dresseur(se) de comètes {roman}") for roman in ("I", "II", "III")}
    assert len(keys) == 3
    assert title_key("Dresseur(se) de comètes (II)") == title_key("Dresseur(se) de comètes II")
    assert title_key("Dresseur(se) de comètes (II)") != title_key("Dresseur(se) de comètes")


def test_title_key_keeps_words_that_distinguish_jobs():
    assert title_key("Veilleur senior") != title_key("Veilleur")
    assert title_key("Veilleur adjoint") != title_key("Veilleur")
    assert title_key("Chef de la veille") != title_key("Veille")


def test_title_key_removes_accents_case_and_punctuation():
    assert title_key("Éclaireur des Forêts") == "eclaireur des forets"
    assert title_key("CŒUR / ÂME — ÉTÉ, Noël !") == "coeur ame ete noel"
    assert title_key("  Tisserand(e)   de   nuages  ") == "tisserand de nuages"
    assert title_key("") == ""


@pytest.mark.parametrize("apostrophe", ["'", "’"])
def test_title_key_drops_elisions(apostrophe):
    assert title_key(f"Latitude d{apostrophe}action") == "latitude action"
    assert title_key(f"Gardien de l{apostrophe}horizon") == "gardien de horizon"
    assert title_key(f"Ce qu{apostrophe}on veille") == "ce on veille"
    assert title_key(f"D{apostrophe}ABORD") == "abord"


def test_title_key_keeps_parentheses_that_are_not_gender_marks():
    assert title_key("Veilleur (hors saison)") == "veilleur hors saison"
    assert title_key("Veilleur (zone 2)") == "veilleur zone 2"


# --- slugify ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("Connaissances", "connaissances"),
        ("Latitude d'action", "latitude_action"),
        ("Latitude d’action", "latitude_action"),
        ("Complexité", "complexite"),
        ("Relations", "relations"),
        ("Responsabilités", "responsabilites"),
        ("RESPONSABILITÉS", "responsabilites"),
    ],
)
def test_slugify_criteria_labels(label, code):
    assert slugify(label, "_") == code


def test_slugify_job_titles_with_gender_forms():
    assert slugify("Conseiller(ère) d'entreprise I") == "conseiller-entreprise-i"
    assert slugify("CONSEILLER(E) D'ENTREPRISE (I)") == "conseiller-entreprise-i"
    assert slugify("Expert(e) / Chercheur(se)") == "expert-chercheur"
    assert slugify("EXPERT(E)/CHERCHEUR(SE)") == "expert-chercheur"
    assert slugify("Tisserand(e) de nuages", "_") == "tisserand_de_nuages"


def test_slugify_is_idempotent():
    for label in ("Latitude d'action", "Expert(e) / Chercheur(se)", "Éclaireur des Forêts"):
        slug = slugify(label)
        assert slugify(slug) == slug


# --- strip_accents --------------------------------------------------------------------------


def test_strip_accents():
    assert strip_accents("Éléphant àéèêëîïôöùûüç") == "Elephant aeeeeiioouuuc"
    assert strip_accents("mise en œuvre, Œuvre, æ, Æ") == "mise en oeuvre, OEuvre, ae, AE"
    assert strip_accents("déjà vu") == "deja vu"


# --- roman numerals -------------------------------------------------------------------------


def test_roman_numerals_round_trip():
    for number in range(1, len(ROMAN_NUMERALS) + 1):
        assert from_roman(to_roman(number)) == number


def test_roman_numerals_of_the_eight_levels():
    assert [to_roman(n) for n in range(1, 9)] == [
        "I",
        "II",
        "III",
        "IV",
        "V",
        "VI",
        "VII",
        "VIII",
    ]


@pytest.mark.parametrize(("text", "value"), [("iv", 4), (" VI ", 6), ("viii", 8), ("X", 10)])
def test_from_roman_is_lenient_on_case_and_blanks(text, value):
    assert from_roman(text) == value


@pytest.mark.parametrize("text", ["", "IIII", "IX I", "XI", "4", "V.", "abc"])
def test_from_roman_rejects_what_is_not_a_numeral(text):
    assert from_roman(text) is None


@pytest.mark.parametrize("number", [0, -1, len(ROMAN_NUMERALS) + 1])
def test_to_roman_rejects_out_of_range(number):
    with pytest.raises(ValueError):
        to_roman(number)


# --- sentence_case ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("TISSERAND(E) DE NUAGES", "Tisserand(e) de nuages"),
        ("DRESSEUR(SE) DE COMETES II", "Dresseur(se) de cometes II"),
        ("DRESSEUR(SE) DE COMETES (III)", "Dresseur(se) de cometes (III)"),
        ("GARDIEN(NE) D'ETOILES VIII", "Gardien(ne) d'etoiles VIII"),
        ("EXPERT(E)/CHERCHEUR(SE)", "Expert(e)/chercheur(se)"),
        ("VEILLEUR", "Veilleur"),
    ],
)
def test_sentence_case_of_capital_headings(heading, expected):
    assert sentence_case(heading) == expected


@pytest.mark.parametrize(
    "title", ["Tisserand(e) de nuages", "Directeur(trice)", "tout en minuscules", "Veilleur II"]
)
def test_sentence_case_leaves_mixed_case_alone(title):
    assert sentence_case(title) == title


def test_sentence_case_keeps_the_title_key():
    for heading in ("DRESSEUR(SE) DE COMETES (II)", "CONSEILLER(E) D'ENTREPRISE (I)"):
        assert title_key(sentence_case(heading)) == title_key(heading)


@pytest.mark.parametrize(
    ("title", "masculine", "feminine"),
    [
        ("Conseiller(ère) pédagogique", "Conseiller pédagogique", "Conseillère pédagogique"),
        (
            "Conseiller(e) institutionnel(le)",
            "Conseiller institutionnel",
            "Conseillère institutionnelle",
        ),
        ("Formateur(trice)", "Formateur", "Formatrice"),
        ("Contrôleur(se) de gestion", "Contrôleur de gestion", "Contrôleuse de gestion"),
        ("Technicien(ne) paye", "Technicien paye", "Technicienne paye"),
        ("Employé(e) administratif", "Employé administratif", "Employée administrative"),
        ("Attaché(e) commercial", "Attaché commercial", "Attachée commerciale"),
        ("Expert(e) / Chercheur(se)", "Expert / Chercheur", "Experte / Chercheuse"),
        (
            "Conseiller(e) d'entreprise (III)",
            "Conseiller d'entreprise (III)",
            "Conseillère d'entreprise (III)",
        ),
        ("Juriste", "Juriste", "Juriste"),
    ],
)
def test_gender_forms_of_a_title(title, masculine, feminine):
    assert gender_forms(title) == (masculine, feminine)


def test_plurals_in_eaux_fold_to_their_singular():
    from repertoire.core.text import stem

    assert stem("reseaux") == stem("reseau")
    assert stem("bureaux") == stem("bureau")
    assert stem("generaux") == stem("general")  # aux → al still


@pytest.mark.parametrize(
    ("feminine", "masculine"),
    [
        ("Cheffe de bureau", "Chef de bureau"),
        ("Hôtesse d'accueil", "Hôte d'accueil"),
        ("Maîtresse de conférences", "Maître de conférences"),
        ("Ambassadrice", "Ambassadeur"),
        ("Directrice adjointe", "Directeur adjoint"),
        ("Conseillère technique", "Conseiller technique"),
        ("Contremaîtresse", "Contremaître"),
        ("Autrice", "Auteur"),
        ("Patronne", "Patron"),
        ("Manageuse de proximité", "Manager de proximité"),
        # …and so do inclusive writings of them, plural included.
        ("Cheff·e de bureau", "Chef de bureau"),
        ("Hôte·sse d'accueil", "Hôte d'accueil"),
        ("Chargé·e·s de mission", "Chargé de mission"),
        ("Chargé·es de mission", "Chargé de mission"),
    ],
)
def test_a_feminine_title_reads_as_its_masculine(feminine, masculine):
    assert title_words(feminine) == title_words(masculine)


def test_dgs_opening_a_title_is_a_director():
    from repertoire.core.text import title_words

    assert title_words("DGS")[0] == title_words("directeur")[0]


def test_a_gender_mark_in_brackets_may_open_on_a_hyphen():
    assert title_words("Ingénieur(-e) intégrateur(-trice)") == title_words("Ingénieur intégrateur")


@pytest.mark.parametrize("mark", ["(H/F)", "F/H", "(H/F/X)", "(x/f/m)", "(M/F/D)", "h/f/n"])
def test_every_gender_mark_of_a_job_ad_goes(mark):
    assert title_words(f"Chargé de marketing {mark}") == title_words("Chargé de marketing")


def test_inclusive_suffixes_and_h_f_left_alone_once_punctuation_is_lost():
    # "chef-fe-du-bureau-rh-h-f", as a web address or a flat export writes a title.
    assert title_words("chef fe du bureau rh h f") == title_words("Chef.fe du bureau RH (H/F)")
    assert title_words("adjoint e au directeur") == title_words("Adjoint(e) au directeur")


@pytest.mark.parametrize(
    ("written", "plain"),
    [
        ("coordinateur/trice administratif/tive", "coordinateur administratif"),
        ("Technicien/ienne", "Technicien"),
        ("technicien-nne", "technicien"),
        ("Coordinateur·ice", "Coordinateur"),
        # Both forms glued once the mark is lost (a web address drops "·").
        ("administratifve", "administratif"),
        ("coordinateurice", "coordinateur"),
        ("directeurtrice", "directeur"),
    ],
)
def test_inclusive_writing_of_every_suffix(written, plain):
    assert title_words(written) == title_words(plain)


@pytest.mark.parametrize(
    ("written", "read_as"),
    [
        ("RAF", "responsable administratif financier"),
        ("Assistante ADV", "assistante administration des ventes"),
        ("Respo. comm", "responsable communication"),
        ("Chef de proj.", "chef de projet"),
        ("Chargé de GED", "chargé de gestion électronique des documents"),
        ("AGT ACCUEIL", "agent accueil"),
        ("EMPL. ADMIN.", "employé administratif"),
    ],
)
def test_abbreviations_payroll_systems_write_read_in_full(written, read_as):
    assert title_words(written) == title_words(read_as)
