"""The title-matching engine on small invented repertoires (no real job text typed here)."""

import pytest

from repertoire.bundled import bundled_document, curated_appellations
from repertoire.core import clear_winners, grades, matching, roles
from repertoire.core.matching import JobEntry, MatchingIndex, TitleQuery
from repertoire.core.reading import Lexicon
from repertoire.core.text import normalize_title, title_words

JOBS = [
    JobEntry(
        "tech-info",
        "Technicien(ne) informatique",
        4,
        ("Technicien support", "Technicien de maintenance informatique"),
        "Installer les postes de travail et dépanner les utilisateurs.",
    ),
    JobEntry(
        "compta-1",
        "Comptable I",
        4,
        ("Aide-comptable", "Comptable fournisseurs"),
        "Saisir les factures et les règlements.",
    ),
    JobEntry(
        "compta-2",
        "Comptable II",
        5,
        ("Comptable général",),
        "Monter le bilan et réviser les comptes.",
    ),
    JobEntry(
        "gest-paie",
        "Technicien(ne) paie",
        4,
        ("Gestionnaire de paie",),
        "Établir les bulletins de salaire.",
    ),
    JobEntry(
        "drh",
        "Directeur(trice)",
        8,
        ("Directeur des ressources humaines",),
        "Piloter une direction.",
    ),
    JobEntry(
        "formateur",
        "Formateur(trice)",
        4,
        ("Animateur de formation",),
        "Animer des sessions de formation en langues et en bureautique.",
    ),
    JobEntry(
        "conseiller",
        "Conseiller(ère) d'entreprise",
        5,
        ("Conseiller création",),
        "Accompagner les créateurs et repreneurs d'entreprise.",
    ),
]


@pytest.fixture(scope="module")
def index():
    return MatchingIndex.build(JOBS)


def first(index, title, **context):
    return index.match(TitleQuery(title, **context)).candidates[0]


def test_an_appellation_matches_exactly(index):
    best = first(index, "Gestionnaire de paie")
    assert (best.code, best.score) == ("gest-paie", 1.0)
    assert "Gestionnaire de paie" in best.reason


@pytest.mark.parametrize(
    "title",
    [
        "GEST. PAIE",
        "GEST PAIE",
        "Gestionnaire paie (H/F)",
        "gestionnaire de paye CDD",
        "Gestionnaire de paie - mi-temps",
    ],
)
def test_case_abbreviations_and_contract_notes_do_not_matter(index, title):
    best = first(index, title)
    assert best.code == "gest-paie"
    assert best.score == 1.0


@pytest.mark.parametrize(
    "title", ["Tech. informatique", "Technicienne informatique", "informatique technicien"]
)
def test_gender_forms_short_forms_and_word_order(index, title):
    assert first(index, title).code == "tech-info"


@pytest.mark.parametrize("title", ["Tecnicien support", "Comptabe général"])
def test_a_letter_missing_is_read_as_the_word_meant(index, title):
    assert first(index, title).code in {"tech-info", "compta-2"}


def test_a_worse_typo_is_tolerated_below_certainty(index):
    # Two letters swapped: no word one letter away, the character n-grams carry it.
    best = first(index, "Technicien infromatique")
    assert best.code == "tech-info"
    assert 0.5 < best.score < 1.0


def test_level_marks_separate_jobs_of_a_family(index):
    assert first(index, "Comptable II").code == "compta-2"
    assert first(index, "Comptable 2").code == "compta-2"
    assert first(index, "Comptable I").code == "compta-1"


def test_acronyms_are_expanded(index):
    assert first(index, "DRH").code == "drh"
    assert normalize_title("Assistante DRH") != normalize_title("DRH")


def test_extra_qualifiers_keep_the_job(index):
    best = first(index, "Gestionnaire de paie et administration du personnel")
    assert best.code == "gest-paie"
    assert best.score < 1.0


def test_the_job_text_is_evidence_when_no_appellation_knows_the_words(index):
    result = index.match("Animateur langues bureautique")
    assert result.candidates[0].code == "formateur"


def test_service_context_breaks_a_tie(index):
    plain = index.match(TitleQuery("Conseiller")).candidates
    contextual = index.match(
        TitleQuery("Conseiller", service="Création reprise d'entreprise")
    ).candidates
    assert contextual[0].code == "conseiller"
    assert contextual[0].score >= plain[0].score


def test_scores_are_bounded_and_sorted(index):
    for title in ["Comptable", "Technicien", "xyz", "Directeur des ressources humaines adjoint"]:
        candidates = index.match(title, top=len(JOBS)).candidates
        scores = [c.score for c in candidates]
        assert all(0.0 <= s <= 1.0 for s in scores)
        assert scores == sorted(scores, reverse=True)
        assert len({c.code for c in candidates}) == len(JOBS)


def test_an_empty_title_gets_no_proposal(index):
    assert index.match("").candidates == ()
    assert index.match("CDD (H/F)").candidates == ()


def test_batch_equals_one_by_one(index):
    titles = ["Aide-comptable", "AIDE COMPTABLE", "Tech. support", "Formatrice", "Aide-comptable"]
    batch = index.match_many(titles, top=2)
    assert [r.candidates for r in batch] == [index.match(t, top=2).candidates for t in titles]
    assert [r.query.intitule for r in batch] == titles


def test_explanation_names_the_appellation_and_shared_words(index):
    best = first(index, "Aide comptable fournisseurs")
    assert best.code == "compta-1"
    assert best.matched in {"Aide-comptable", "Comptable fournisseurs"}
    assert best.words and set(best.words) <= set(title_words("Aide comptable fournisseurs"))


def test_a_job_without_words_is_refused():
    with pytest.raises(ValueError):
        MatchingIndex.build([JobEntry("x", "(e)", 1)])
    with pytest.raises(ValueError):
        MatchingIndex.build([])


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Formatrice", "Formateur"),
        ("Assistante administrative", "Assistant administratif"),
        ("Conseillère", "Conseiller"),
        ("Chargée de mission", "Chargé de mission"),
        ("Technicienne", "Technicien"),
        ("Contrôleuse de gestion", "Contrôleur de gestion"),
        ("Conseiller(ère) institutionnel(le)", "Conseiller institutionnel"),
        ("Directeur·rice", "Directeur"),
        ("Employé(e) des moyens généraux", "Employé des moyens général"),
    ],
)
def test_gender_and_number_forms_normalise_alike(raw, expected):
    assert normalize_title(raw) == normalize_title(expected)


def test_seniority_words_choose_the_level_within_a_family_only(index):
    senior = index.match("Comptable confirmé", top=len(JOBS)).candidates
    junior = index.match("Comptable junior", top=len(JOBS)).candidates
    assert senior[0].code == "compta-2"
    assert junior[0].code == "compta-1"
    # The cue reorders the family; it lifts no other job.
    assert {c.code for c in senior[:2]} == {c.code for c in junior[:2]} == {"compta-1", "compta-2"}
    unrelated = index.match("Technicien senior", top=len(JOBS)).candidates
    assert {c.code for c in unrelated[:2]} == {"tech-info", "gest-paie"}
    assert all(c.score < 0.3 for c in unrelated if c.code.startswith("compta"))


def test_an_exact_appellation_wins_over_a_seniority_word():
    jobs = [
        JobEntry("compta-1", "Comptable I", 4, ("Comptable senior de trésorerie",)),
        JobEntry("compta-2", "Comptable II", 5),
    ]
    index = MatchingIndex.build(jobs)
    assert first(index, "Comptable senior de trésorerie").code == "compta-1"
    assert first(index, "Comptable senior").code == "compta-2"


def test_academic_and_trade_acronyms_are_expanded():
    assert normalize_title("Professeur HDR") == normalize_title(
        "Professeur habilité à diriger des recherches"
    )
    assert normalize_title("Technicien CVC") == normalize_title(
        "Technicien chauffage ventilation climatisation"
    )


def test_the_other_grades_of_a_field_come_next_and_never_first(monkeypatch):
    """A local title seldom tells the grade: when one job of a field fits, its other
    grades (same title bar the role, or bar the numeral) are the next proposals, ahead of
    an unrelated job that merely looks alike; the first proposal and its score stay."""
    jobs = [
        JobEntry("agent-mg", "Agent des moyens généraux", 1, ("Coursier",)),
        JobEntry("employe-mg", "Employé(e) des moyens généraux", 2, ("Plombier",)),
        JobEntry(
            "tech-mg", "Technicien(ne) des moyens généraux", 4, ("Technicien de maintenance",)
        ),
        JobEntry("courtier", "Courtier(ère)", 5, ("Coursier international",)),
        JobEntry("compta-1", "Comptable I", 4, ("Comptable fournisseurs",)),
        JobEntry("compta-2", "Comptable II", 5),
        JobEntry("achat", "Acheteur(euse)", 5, ("Gestionnaire fournisseurs",)),
    ]

    def proposals(title: str) -> list[tuple[str, float]]:
        candidates = MatchingIndex.build(jobs).match(title, top=3).candidates
        return [(candidate.code, candidate.score) for candidate in candidates]

    coursier = proposals("Coursier")
    assert [code for code, _ in coursier] == ["agent-mg", "employe-mg", "tech-mg"]
    assert coursier[0][1] == 1.0 and all(score < 0.9 for _, score in coursier[1:])
    assert [code for code, _ in proposals("Comptable fournisseurs")][:2] == [
        "compta-1",
        "compta-2",
    ]

    monkeypatch.setattr(grades, "RELATED_SHARE", 0.0)
    monkeypatch.setattr(grades, "RELATED_OWN", 0.0)
    without = proposals("Coursier")
    assert [code for code, _ in without][:2] == ["agent-mg", "courtier"]
    assert without[0] == coursier[0]


# --- ROME as a second dictionary -------------------------------------------------------------

ROME_JOBS = [
    JobEntry(
        "clean-1",
        "Agent(e) des services",
        1,
        ("Agent d'entretien",),
        "Nettoyer les locaux.",
        ("X0001",),
    ),
    JobEntry(
        "clean-2",
        "Employé(e) des services",
        2,
        ("Employé d'entretien",),
        "Encadrer le nettoyage des bureaux et l'équipe de propreté.",
        ("X0001",),
    ),
    JobEntry(
        "tech", "Technicien(ne) informatique", 4, ("Technicien support",), "Dépanner.", ("X0002",)
    ),
]
ROME = {
    "X0001": ("Technicien / Technicienne de surface", "Laveur / Laveuse de vitres"),
    "X0002": ("Agent / Agente d'exploitation informatique",),
}


@pytest.fixture(scope="module")
def rome_index():
    return MatchingIndex.build(ROME_JOBS, rome=ROME)


def test_a_title_close_to_a_rome_appellation_proposes_the_jobs_of_its_code(rome_index):
    result = rome_index.match("Technicienne de surface")
    codes = [candidate.code for candidate in result.candidates[:2]]
    assert set(codes) == {"clean-1", "clean-2"}
    first = result.candidates[0]
    assert first.rome_code == "X0001"
    assert first.reason.startswith(
        "appellation ROME « Technicien / Technicienne de surface » (X0001)"
    )
    # Through ROME, never enough for bulk acceptance (0.95) on its own.
    assert matching.ROME_SHARE <= first.score < 0.95


def test_jobs_of_one_rome_code_are_ranked_by_the_titles_own_words(rome_index):
    plain = rome_index.match("Laveur de vitres").candidates
    with_field = rome_index.match("Laveur de vitres des bureaux, équipe").candidates
    assert {plain[0].code, plain[1].code} == {"clean-1", "clean-2"}
    assert with_field[0].code == "clean-2"


def test_jobs_one_rome_appellation_lifts_alike_go_by_their_own_appellations():
    """Both jobs carry the code; the one whose own appellations are closer to the title
    comes first, whichever comes first in the edition."""
    text = "Projets marketing."  # the same words in both sheets
    jobs = [
        JobEntry("tech", "Technicien(ne)", 4, ("Chargé de référencement",), text, ("X0003",)),
        JobEntry("cdp", "Chef de produit", 6, ("Chargé de marketing",), text, ("X0003",)),
    ]
    index = MatchingIndex.build(jobs, rome={"X0003": ("Chargé / Chargée de projet marketing",)})
    ranked = index.match("Chargée de projet marketing").candidates
    assert [c.code for c in ranked] == ["cdp", "tech"]
    assert all(c.rome_code == "X0003" for c in ranked)
    assert ranked[0].score > ranked[1].score


def test_rome_appellations_are_compared_through_the_lexicon_as_titles_are_read():
    text = "Gérer les ressources humaines."
    jobs = [
        JobEntry("hr", "Chargé(e) de recrutement", 5, ("Chargé de recrutement",), text, ("X0006",)),
        JobEntry("com", "Chargé(e) de communication", 5, ("Chargé de presse",), "", ("X0007",)),
    ]
    rome = {"X0006": ("Chargé / Chargée HR",), "X0007": ("Chargé / Chargée de communication",)}
    lex = Lexicon.parse("kind;terme;lecture\nsynonyme;hr;ressources humaines\n")
    index = MatchingIndex.build(jobs, lex=lex, rome=rome)
    # "HR" in ROME's appellation is read "ressources humaines", as in the title.
    first, second = index.match("Chargée des ressources humaines").candidates
    assert (first.code, first.rome_code) == ("hr", "X0006")
    assert first.score >= matching.ROME_SHARE > second.score


def test_the_rome_gender_pair_is_split_into_forms(rome_index):
    for title in ("Agent d'exploitation informatique", "Agente d'exploitation informatique"):
        first = rome_index.match(title).candidates[0]
        assert (first.code, first.rome_code) == ("tech", "X0002")


def test_curated_appellations_win_ties_with_rome(rome_index):
    first = rome_index.match("Technicien support").candidates[0]
    assert (first.code, first.rome_code, first.score) == ("tech", "", 1.0)
    assert first.reason.startswith("appellation « Technicien support »")


def test_a_job_rome_lifts_first_reaches_bulk_when_its_own_appellations_make_it_clear():
    """ROME's appellation fits best, and the job's curated ones alone leave every other field
    far behind: as clear as without ROME. Through ROME alone it would not be."""
    rome = {**ROME, "X0002": ("Technicien / Technicienne support informatique",)}
    index = MatchingIndex.build(ROME_JOBS, rome=rome)
    first, second = index.match("Technicienne support informatique").candidates[:2]
    assert (first.code, first.rome_code) == ("tech", "X0002")
    assert clear_winners.CLEAR_SCORE <= first.score < 1.0
    assert second.score < clear_winners.CLEAR_SCORE


def test_without_rome_the_engine_is_unchanged():
    index = MatchingIndex.build(ROME_JOBS)
    assert all(not c.rome_code for c in index.match("Technicienne de surface").candidates)


def test_a_clear_winner_reaches_bulk_acceptance_and_an_ambiguous_title_does_not(index):
    # Worded unlike any appellation, but no other field comes near: unambiguous.
    clear = index.match("Technicien informatique de proximité").candidates
    assert clear[0].code == "tech-info"
    assert clear_winners.CLEAR_SCORE <= clear[0].score < 1.0
    assert clear[1].score < clear_winners.CLEAR_SCORE
    # Two fields close to each other: stays below, for a person to choose.
    ambiguous = index.match("Technicien réseau").candidates
    assert ambiguous[1].score > clear_winners.CLEAR_RIVAL * ambiguous[0].score
    assert ambiguous[0].score < clear_winners.CLEAR_SCORE


def test_a_generic_role_met_on_that_word_alone_is_not_a_clear_winner():
    jobs = [
        JobEntry(
            "studies",
            "Chargé(e) d'études",
            5,
            ("Analyste", "Analyste principal", "Analyste des marchés financiers"),
            "Étudier.",
        ),
        JobEntry("pay", "Technicien(ne) paye", 4, ("Gestionnaire de la paie",), "Payer."),
    ]
    lex = Lexicon.parse("kind;terme;lecture\nrole;analyste;\nrole;gestionnaire;\n")
    index = MatchingIndex.build(jobs, lex=lex)
    # The bare appellation fits the role; the pay field, which decides, was never met.
    first = index.match("Analyste paie").candidates[0]
    assert first.score < clear_winners.CLEAR_SCORE
    # Nor is it met by a level mark in common.
    assert index.match("Analyste principal paie").candidates[0].score < clear_winners.CLEAR_SCORE
    # Met on its field (a word its appellations know), the same job is clear.
    assert index.match("Analyste marchés").candidates[0].score >= clear_winners.CLEAR_SCORE
    # Nor with words no appellation knows: the role is all the title says of the job.
    alone = index.match("Analyste en charge des dossiers réglementés").candidates[0]
    assert alone.code == "studies"
    assert alone.score < clear_winners.CLEAR_SCORE


def test_a_generic_role_alone_as_an_appellation_yields_to_the_titles_field(monkeypatch):
    jobs = [
        JobEntry("studies", "Chargé(e) d'études", 5, ("Analyste", "Chargé d'études de marché")),
        JobEntry("legal", "Juriste", 6, ("Juriste conformité", "Juriste droit des affaires")),
    ]
    index = MatchingIndex.build(
        jobs, lex=Lexicon.parse("kind;terme;lecture\nrole;analyste;\nrole;chargé;\n")
    )
    # Compliance, which decides, is the lawyer's; the bare « Analyste » meets the role only.
    assert first(index, "Analyste conformité").code == "legal"
    # Alone, or with a field its own appellations speak of, the role is the studies'.
    assert first(index, "Analyste").code == "studies"
    assert first(index, "Analyste des marchés").code == "studies"
    monkeypatch.setattr(matching, "BARE_ROLE", 1.0)
    assert first(index, "Analyste conformité").code == "studies"


def test_a_winner_on_an_appellation_saying_a_grade_the_title_does_not_say_is_not_clear():
    jobs = [
        JobEntry("clerk", "Agent administratif", 3, ("Aide-archiviste",), "Classer."),
        JobEntry("pay", "Technicien(ne) paye", 4, ("Gestionnaire de la paie",), "Payer."),
    ]
    index = MatchingIndex.build(jobs)
    # The helper's appellation; whether an "Archiviste" is that helper, a person says.
    first = index.match("Archiviste").candidates[0]
    assert first.code == "clerk"
    assert first.score < clear_winners.CLEAR_SCORE
    assert index.match("Aide archiviste").candidates[0].score == 1.0


def test_a_winner_whose_appellation_is_spelled_out_in_the_title_reaches_bulk(monkeypatch):
    # Only the second rule: rivals up to CLEAR_NEAR_RIVAL of the winner's score.
    monkeypatch.setattr(clear_winners, "CLEAR_RIVAL", 0.0)
    index = MatchingIndex.build(JOBS)
    # "Gestionnaire de paie" is in the title and makes half of it.
    assert index.match("Gestionnaire de paie et carrière").candidates[0].score >= 0.95
    # A grade word leaves the level to a person.
    assert index.match("Gestionnaire de paie principal et carrière").candidates[0].score < 0.95
    # The appellation makes less than half of the title.
    spread = index.match("Gestionnaire paie carrière retraite mutuelle").candidates[0]
    assert spread.code == "gest-paie"
    assert spread.score < 0.95


def test_a_generic_role_doing_a_graded_familys_field_is_its_entry_grade():
    """ "Gestionnaire budgétaire et comptable" does the accounting of the family's first
    grade, whichever grade's appellation spells its field; a title that says a grade, or
    whose role is the family's own, keeps the appellation's grade."""
    jobs = [
        JobEntry("compta-1", "Comptable I", 4, ("Gestionnaire comptable",)),
        JobEntry("compta-2", "Comptable II", 5, ("Comptable budgétaire", "Chargé de trésorerie")),
        JobEntry("achat", "Acheteur(euse)", 5, ("Gestionnaire achats",)),
    ]
    index = MatchingIndex.build(jobs)
    ranked = [c.code for c in index.match("Gestionnaire budgétaire et comptable").candidates]
    assert ranked[:2] == ["compta-1", "compta-2"]
    assert first(index, "Chargé de la comptabilité budgétaire").code == "compta-1"
    # The title's own role opens the appellation: its grade stays.
    assert first(index, "Chargé de trésorerie et de placements").code == "compta-2"
    # A grade word leaves the level as the appellation says.
    assert first(index, "Gestionnaire budgétaire et comptable senior").code == "compta-2"


def test_a_qualifier_after_a_generic_role_does_not_make_the_field_decide(monkeypatch):
    jobs = [
        JobEntry("assistant", "Assistant(e) administratif", 3, ("Assistant de gestion",), "Lire."),
        JobEntry("general", "Agent des moyens généraux", 1, ("Agent polyvalent",), "Porter."),
    ]
    rules = "kind;terme;lecture\nrole;assistant;\nrole;agent;\n"
    without = MatchingIndex.build(jobs, lex=Lexicon.parse(rules))
    with monkeypatch.context() as patched:  # (the assistant-of-a-field rule aside)
        patched.setattr(roles, "ASSISTANT_CLEAR", 0.0)
        assert without.match("Assistante polyvalente").candidates[0].code == "general"
    index = MatchingIndex.build(jobs, lex=Lexicon.parse(rules + "qualificatif;polyvalent;\n"))
    assert index.match("Assistante polyvalente").candidates[0].code == "assistant"


def test_a_level_mark_after_a_generic_role_does_not_make_the_field_decide():
    jobs = [
        JobEntry("agent", "Agent administratif", 2, ("Agent de bureau",), "Classer."),
        JobEntry("head", "Principal(e)", 7, ("Principal",), "Diriger."),
    ]
    index = MatchingIndex.build(jobs, lex=Lexicon.parse("kind;terme;lecture\nrole;agent;\n"))
    # "principal" says the agent's grade, not a field: the role keeps its weight.
    assert index.match("Agent principal").candidates[0].code == "agent"


def test_appellations_are_compared_through_the_lexicons_synonyms():
    # "Gestionnaire RH" reads "gestionnaire ressources humaines": the appellation
    # "Gestionnaire du personnel" is compared the same way, not as "personnel" (else
    # another job's "ressources humaines" takes the title).
    jobs = [
        JobEntry("pay", "Technicien(ne) paye", 4, ("Gestionnaire du personnel",), "Payer."),
        JobEntry("adm", "Assistant(e)", 3, ("Gestionnaire administratif",), "Classer."),
        JobEntry("hr", "Chargé(e) de mission", 5, ("Chargé des ressources humaines",), "Mener."),
    ]
    rules = (
        "kind;terme;lecture\nsynonyme;personnel;ressources humaines\n"
        "role;chargé;\nrole;gestionnaire;\n"
    )
    index = MatchingIndex.build(jobs, lex=Lexicon.parse(rules))
    first = index.match("Gestionnaire RH adjoint").candidates[0]
    assert (first.code, first.matched) == ("pay", "Gestionnaire du personnel")


def test_a_level_mark_alone_in_common_says_nothing_of_the_field():
    jobs = [
        JobEntry("teach", "Enseignant(e)", 5, ("Professeur senior", "Senior lecturer"), "Lire."),
        JobEntry("it", "Administrateur(trice) informatique", 6, ("Ingénieur sécurité",), "Parer."),
    ]
    scores = {
        c.code: c.score
        for c in MatchingIndex.build(jobs).match("Senior sécurité informatique").candidates
    }
    assert scores["it"] > scores["teach"]
    # "senior" is all the teacher's appellations share with the title: no word share.
    assert scores["teach"] < 0.5


def test_a_seniority_word_picks_the_higher_job_of_a_field_unless_the_title_says_the_role():
    jobs = [
        JobEntry("tech", "Technicien(ne) informatique", 4, ("Développeur",), "Dépanner."),
        JobEntry(
            "admin", "Administrateur(trice) informatique", 6, ("Ingénieur système",), "Gérer."
        ),
        JobEntry("other", "Comptable", 4, ("Aide-comptable",), "Compter."),
    ]
    index = MatchingIndex.build(jobs)

    def first(title):
        return index.match(title).candidates[0].code

    assert first("Développeur") == "tech"
    assert first("Développeur senior") == "admin"
    # The role word says the job: a senior technician is a technician.
    assert first("Technicien informatique senior") == "tech"


def test_an_expert_read_as_the_field_is_a_senior_of_it():
    """An expert read as the field ("Expert Intune": computing) is the field's higher job,
    as a senior would be; a title that keeps its role word is that role's job."""
    jobs = [
        JobEntry("tech", "Technicien(ne) informatique", 4, ("Opérateur informatique",), "Aider."),
        JobEntry(
            "admin", "Administrateur(trice) informatique", 6, ("Ingénieur système",), "Gérer."
        ),
        JobEntry("other", "Comptable", 4, ("Aide-comptable",), "Compter."),
    ]
    rules = "kind;terme;lecture\nspecialiste;expert;\nsynonyme;intune;informatique\n"
    index = MatchingIndex.build(jobs, lex=Lexicon.parse(rules))

    def first(title):
        return index.match(title).candidates[0].code

    assert first("Informatique") == "tech"
    assert first("Expert Intune") == "admin"
    assert first("Expert informatique (H/F)") == "admin"
    assert first("Opérateur informatique expert") == "tech"


def test_a_head_of_a_field_no_appellation_names_is_proposed_the_head_of_a_unit():
    """ "Responsable de la commande publique": the field's jobs come first, and the head of a
    unit is among the proposals; not when the title spells an appellation, nor for an
    English "manager" read as a head (a "Business manager" may head nothing)."""
    jobs = [
        JobEntry(
            "buyer",
            "Acheteur(se)",
            5,
            ("Chargé de la commande publique", "Responsable des achats publics"),
            "Acheter.",
        ),
        JobEntry("lawyer", "Juriste", 6, ("Juriste commande publique", "Responsable juridique")),
        JobEntry("public", "Conseiller(e)", 6, ("Responsable des affaires publiques",), "Lire."),
        JobEntry("head", "Manager I", 7, ("Responsable de service", "Chef de service"), "Diriger."),
    ]
    rules = (
        "kind;terme;lecture\nencadrant;responsable;\nencadrant;chef;\n"
        "role_final;manager;responsable\n"
    )
    index = MatchingIndex.build(jobs, lex=Lexicon.parse(rules))

    def ranked(title, top=3):
        return [c.code for c in index.match(title, top=top).candidates]

    # By score alone, the head of a unit comes fourth.
    assert ranked("Responsable de la commande publique", top=4)[3] == "head"
    assert ranked("Responsable de la commande publique") == ["public", "lawyer", "head"]
    # One proposal asked for: the first stays the first.
    assert ranked("Responsable de la commande publique", top=1) == ["public"]
    assert "head" not in ranked("Responsable des affaires publiques")
    assert "head" not in ranked("Commande publique manager")


def test_a_title_naming_no_head_is_less_like_an_appellation_naming_one(monkeypatch):
    """ "Marketing digital" (an apprentice's, a specialist's) is nearer "Marketing
    opérationnel" than "Marketing manager": the appellation's role is "manager" (read first,
    as in a title), not "marketing"; a head the title does not name counts against the
    appellation, enough here for the title to be clear; a title that names one keeps it."""
    jobs = [
        JobEntry("lead", "Chef de groupe", 7, ("Responsable partenariats", "Marketing manager")),
        JobEntry("tech", "Technicien(ne) marketing", 4, ("Marketing opérationnel",), "Faire."),
    ]

    def first(title):
        return MatchingIndex.build(jobs).match(title).candidates[0]

    assert first("Marketing digital").code == "tech"
    assert first("Marketing digital").score >= clear_winners.CLEAR_SCORE
    assert first("Manager marketing").code == "lead"
    assert first("Responsable marketing").code == "lead"
    monkeypatch.setattr(matching, "HEADLESS", 1.0)
    assert first("Marketing digital").code == "tech"
    assert first("Marketing digital").score < clear_winners.CLEAR_SCORE


def test_an_assistant_in_a_field_another_role_speaks_of_is_the_assistant_of_a_field(
    monkeypatch,
):
    """ "Assistant marketing opérationnel" assists in marketing: the repertoire's assistant
    of a field (the job most "Assistant …" appellations belong to), not the "Chargé de
    marketing opérationnel"; an assistant's title another job clearly means (its score
    reached ASSISTANT_CLEAR) keeps it."""
    jobs = [
        JobEntry(
            "spec",
            "Assistant(e) spécialisé(e)",
            4,
            ("Assistant juridique", "Assistant marketing", "Assistant communication"),
            "Assister.",
        ),
        JobEntry("prod", "Chef de produit", 6, ("Chargé de marketing opérationnel",), "Vendre."),
        JobEntry("pay", "Technicien(ne) paye", 4, ("Assistant paie",), "Payer."),
    ]

    def first(title):
        return MatchingIndex.build(jobs).match(title).candidates[0].code

    assert first("Assistant marketing opérationnel") == "spec"
    assert first("Chargé de marketing opérationnel") == "prod"
    # An assistant's appellation of another job leads: that job keeps it.
    assert first("Assistant paie et administration") == "pay"
    monkeypatch.setattr(roles, "ASSISTANT_CLEAR", 0.0)
    assert first("Assistant marketing opérationnel") == "prod"


@pytest.fixture(scope="module")
def shipped_index() -> MatchingIndex:
    """The shipped edition's jobs with their curated appellations (no ROME)."""
    appellations: dict[str, list[str]] = {}
    for _, row in curated_appellations().rows:
        appellations.setdefault(row["code"], []).append(row["appellation"])
    return MatchingIndex.build(
        JobEntry.from_sheet(job, appellations.get(job.code, ())) for job in bundled_document().jobs
    )


def test_a_deputy_head_is_proposed_the_head_of_a_unit_too(shipped_index):
    """ "Adjoint au chef de bureau" spells the deputy's appellation, whose job comes first;
    a deputy may run the unit as its head does: the head of a unit is among the proposals."""
    job_of = {row["appellation"]: row["code"] for _, row in curated_appellations().rows}
    index = shipped_index
    ranked = [c.code for c in index.match("Adjoint au chef de bureau").candidates]
    assert ranked[0] == job_of["Chef de service adjoint"]
    assert job_of["Chef de service"] in ranked
    # The head himself is not proposed his deputy's job for it.
    assert first(index, "Chef de bureau").code == job_of["Chef de service"]


def test_a_qualifier_weighs_less_than_the_field_it_sits_beside(monkeypatch):
    """ "Polyvalent" says how the role is held, "administratif" its field: the
    administrative agent, though the general services' « Agent polyvalent » shares the
    rarer word."""
    jobs = [
        JobEntry("clerk", "Agent administratif", 2, ("Agent de bureau", "Employé administratif")),
        JobEntry("general", "Agent des moyens généraux", 1, ("Agent polyvalent",), "Porter."),
    ]
    lex = Lexicon.parse("kind;terme;lecture\nrole;agent;\nqualificatif;polyvalent;\n")
    assert first(MatchingIndex.build(jobs, lex=lex), "Agent administratif polyvalent").code == (
        "clerk"
    )
    assert first(MatchingIndex.build(jobs, lex=lex), "Agent polyvalent").code == "general"
    monkeypatch.setattr(matching, "QUALIFIER_WEIGHT", 1.0)
    assert first(MatchingIndex.build(jobs, lex=lex), "Agent administratif polyvalent").code == (
        "general"
    )


def test_a_specialist_read_as_the_field_is_no_assistant_of_it(monkeypatch):
    """ "Consultant juridique" is read "juridique" (the specialist leaves the field): the
    juriste sooner than the « Assistant juridique », which shares as many words."""
    jobs = [
        JobEntry("aide", "Assistant(e) spécialisé(e)", 4, ("Assistant juridique",), "Saisir."),
        JobEntry("legal", "Juriste", 6, ("Juriste conseil", "Conseiller juridique"), "Conseiller."),
    ]
    lex = Lexicon.parse(
        "kind;terme;lecture\nrole;assistant;\nrole;conseiller;\nspecialiste;consultant;\n"
    )
    title = "Consultant juridique DAJ"
    assert first(MatchingIndex.build(jobs, lex=lex), title).code == "legal"
    # The assistant's own title still goes to the assistant.
    assert first(MatchingIndex.build(jobs, lex=lex), "Assistant juridique").code == "aide"
    monkeypatch.setattr(matching, "SPECIALIST_ASSISTANT", 1.0)
    assert first(MatchingIndex.build(jobs, lex=lex), title).code == "aide"


def test_the_reason_quotes_the_appellation_a_title_spells(shipped_index):
    """A title that spells a job's title is told so, though an appellation of the same job
    reads alike through the synonyms (« Financial controller » for "Contrôleur de gestion")."""
    for job in bundled_document().jobs:
        found = first(shipped_index, job.title)
        assert (found.code, found.score, found.matched) == (job.code, 1.0, job.title), job.title
