"""How the matcher reads real titles: noise, unit heads, specialists, generic roles.

The repertoire here is invented (no real job text typed); the lexicon is a small one the
tests write, and one test checks that the shipped lexicon parses.
"""

import pytest

from repertoire.core.matching import JobEntry, MatchingIndex
from repertoire.core.reading import Lexicon, lexicon, read_title, with_synonyms
from repertoire.core.text import title_words

LEXICON = """kind;terme;lecture
synonyme;sous-directeur;directeur adjoint
synonyme;social media manager;community manager
role;agent;
role;technicien;
specialiste;expert;
encadrant;chef;
encadrant;responsable;
unite;bureau;service
unite;pôle;pôle
grade;agent d'administration;
"""

JOBS = [
    JobEntry("manager", "Manager", 6, ("Chef de service", "Responsable de pôle"), "Diriger."),
    JobEntry("deputy", "Chargé(e) d'activité", 6, ("Chef de service adjoint",), "Seconder."),
    JobEntry("head", "Directeur(trice)", 8, ("Directeur adjoint",), "Diriger."),
    JobEntry("jur", "Juriste", 6, ("Conseiller juridique",), "Conseiller en droit."),
    JobEntry("exp", "Expert(e)", 8, ("Expert",), "Produire des analyses."),
    JobEntry("it", "Technicien(ne) informatique", 4, ("Technicien support",), "Dépanner."),
    JobEntry("mg", "Agent des moyens généraux", 1, ("Agent d'entretien",), "Entretenir."),
    JobEntry("com", "Chargé(e) de communication", 5, ("Community manager",), "Publier."),
]


@pytest.fixture(scope="module")
def index():
    return MatchingIndex.build(JOBS, lex=Lexicon.parse(LEXICON))


def reading(index, title):
    return read_title(title, index._heads, index._known, index._lexicon)


def test_the_shipped_lexicon_parses_and_holds_every_kind():
    lex = lexicon()
    assert lex.synonyms and lex.roles and lex.specialists and lex.heads_of_unit and lex.units
    assert lex.grades and lex.qualifiers and lex.closing_roles and lex.expressions


@pytest.mark.parametrize(
    ("rules", "refusal"),
    [
        # A second reading of one term would never be applied (or would contradict it).
        ("synonyme;amoa;maîtrise d'ouvrage\nsynonyme;amoa;assistance", "ruled already"),
        # The normalisation folds genders and plurals: the second rule is the first again.
        ("synonyme;recruteur;recrutement\nsynonyme;recruteuses;recrutement", "ruled already"),
        ("qualificatif;stagiaire;", "no word once normalised"),
    ],
)
def test_a_lexicon_rule_that_could_never_apply_is_refused(rules, refusal):
    with pytest.raises(ValueError, match=refusal):
        Lexicon.parse(f"kind;terme;lecture\n{rules}\n")


def test_a_term_may_be_a_synonym_and_a_role_at_once():
    lex = Lexicon.parse("kind;terme;lecture\nrole;analyste;\nsynonyme;analyste;chargé\n")
    assert title_words("analyste")[0] in lex.roles


def test_employer_acronyms_before_the_job_and_a_town_after_it_are_not_read(index):
    assert reading(index, "SGAMI SUD - Juriste - STENAY") == title_words("Juriste")
    assert index.match("SGAMI SUD - Juriste - STENAY").candidates[0].code == "jur"


def test_with_no_role_word_a_later_segment_of_unknown_words_is_not_read(index):
    # "Paris": no appellation has the word; the title's field is the first segment's.
    assert reading(index, "Support informatique - Paris") == title_words("Support informatique")
    assert reading(index, "Support informatique - Entretien") == title_words(
        "Support informatique entretien"
    )


def test_reference_numbers_and_postings_are_not_read(index):
    assert reading(index, "Juriste (réf.2623) (2 postes à pourvoir) - 1-0001853 -") == title_words(
        "Juriste"
    )
    assert reading(index, "PH627 Juriste") == title_words("Juriste")
    assert reading(index, "Juriste (cat. A) - catégorie B") == title_words("Juriste")


def test_a_note_in_parentheses_is_read_as_a_later_segment(index):
    # Unknown words in the note (a diploma, a town) go; known ones stay.
    assert reading(index, "Juriste (master Bordeaux Stenay) Université") == title_words("Juriste")
    assert reading(index, "Technicien (support) Stenay") == title_words("Technicien support")
    # Inclusive writing and a level numeral are not notes.
    assert reading(index, "Technicien (ne) support") == title_words("Technicien support")
    assert reading(index, "Juriste (II)") == title_words("Juriste II")


def test_a_contract_and_the_employer_are_not_read(index):
    for title in (
        "Alternance - Juriste",
        "Apprenti(e) juriste",
        "Juriste en alternance chez Dupont et fils",
        "Juriste (CDI)",
        "Stage Juriste BAC +2",
        # Where and how the post is worked.
        "Juriste H/F - Poste basé à Lille",
        "Juriste (CDI - Statut cadre) - Télétravail partiel",
        "Juriste - Temps partiel",
    ):
        assert reading(index, title) == title_words("Juriste"), title
    # Apprenticeships as a field, the way a CCI's titles name it, stay.
    assert reading(index, "Juriste de l'alternance") == title_words("Juriste alternance")


def test_a_segment_of_acronyms_after_the_job_is_the_employers(index):
    assert reading(index, "Juriste droit public - MJ - SG - SEM -") == title_words(
        "Juriste droit public"
    )


def test_a_later_segment_in_capitals_is_read_when_its_words_are_not_acronyms(index):
    assert reading(index, "TECHNICIEN - SUPPORT") == title_words("Technicien support")
    assert reading(index, "Juriste - CONSEIL JURIDIQUE") == title_words("Juriste conseil juridique")


def test_a_segment_opening_on_the_employers_acronyms_is_not_read(index):
    # In a title written in lower case, "DIR SG …" is the employer's.
    assert reading(index, "Technicien support - DIR SG Support Informatique") == title_words(
        "Technicien support"
    )


def test_a_grade_beside_the_job_is_not_read(index):
    assert reading(index, "AGENT D'ADMINISTRATION F/H - TECHNICIEN SUPPORT H/F") == title_words(
        "Technicien support"
    )
    # Alone, the grade is all there is to read.
    assert reading(index, "Agent d'administration") == title_words("agent administration")


def test_after_aupres_de_only_whom_the_job_serves_is_read(index):
    words = reading(index, "Chargé de mission auprès du sous-directeur des affaires juridiques")
    assert words[-2:] == title_words("auprès directeur")
    assert "juridiqu" not in words
    assert reading(index, "Assistant presse auprès des membres du cabinet")[-2:] == title_words(
        "auprès cabinet"
    )
    assert reading(index, "Assistant presse auprès des élus") == title_words("Assistant presse")


def test_a_segment_naming_where_the_job_sits_is_not_read(index):
    assert reading(index, "Juriste - Direction des affaires financières") == title_words("Juriste")
    assert reading(index, "Juriste - Pôle entreprises") == title_words("Juriste")
    # A unit spelled as an acronym is not taken for a place.
    assert "ressourc" in reading(index, "PREF - DRH adjoint")
    # A place is all there is beside an employer's name: it is read.
    assert "juridiqu" in reading(index, "Lycée Hugo - Direction des affaires juridiques")


def test_opening_acronyms_naming_a_person_before_the_job_are_its_department(index):
    # "DRH", "DG": the department the job sits in, when another segment names the job.
    assert reading(index, "DRH - Technicien support") == title_words("Technicien support")
    assert reading(index, "DG / DIT : Juriste droit public") == title_words("Juriste droit public")
    # …or words the appellations know, though none opens on them ("SG - Archiviste").
    assert reading(index, "DRH - Support informatique") == title_words("Support informatique")
    # A title in capitals has no acronyms to tell: its opening word is read.
    assert reading(index, "CHEF (FE) DU BUREAU JURIDIQUE")[0] == title_words("chef")[0]
    # Alone, or beside words that name no job, the acronym is the job.
    assert reading(index, "DRH") == title_words("DRH")
    assert "directeur" in reading(index, "DRH - Groupe Hugo")


def test_codes_glued_to_the_title_are_the_employers(index):
    assert reading(index, "DRH/SDP/SAPP/C-Technicien support") == title_words("Technicien support")
    assert reading(index, "DELIM-SAE-C-Agent d'entretien") == title_words("Agent d'entretien")
    assert index.match("DIT/SDE/B-Conseiller juridique").candidates[0].code == "jur"


def test_a_segment_is_judged_as_the_lexicon_reads_it():
    # "Legal Counsel" is English the lexicon reads as a job: not an employer's name.
    lex = Lexicon.parse(LEXICON + "synonyme;legal counsel;conseiller juridique\n")
    index = MatchingIndex.build(JOBS, lex=lex)
    assert "juridiqu" in reading(index, "Legal Counsel - Expert contrats")
    assert index.match("Legal Counsel - Expert contrats").candidates[0].code == "jur"
    # It names the job: a later segment of mostly unknown words (a place) is not read.
    assert reading(index, "Legal Counsel - Support Lyon Villeurbanne") == title_words(
        "conseiller juridique"
    )


def test_an_acronym_segment_naming_a_field_stays(index):
    assert reading(index, "Technicien - IT") == title_words("Technicien IT")


def test_a_segment_of_known_words_before_the_role_stays(index):
    assert reading(index, "Informatique - Technicien") == title_words("informatique technicien")


def test_the_head_of_a_unit_reads_as_the_unit_role_whatever_its_field(index):
    assert reading(index, "Chef.fe du bureau du droit du numérique") == title_words("chef service")
    result = index.match("Chef/Cheffe du bureau des affaires territoriales")
    assert result.candidates[0].code == "manager"
    assert result.candidates[0].score == 1.0


def test_a_unit_head_inside_a_title_without_dashes_says_the_job(index):
    assert reading(index, "sous prefecture d arcachon chef du bureau securite") == (
        title_words("chef service")
    )
    # A role before it keeps the whole title: an assistant of the head is an assistant.
    assert reading(index, "Technicien du chef de service")[0] == title_words("technicien")[0]


def test_a_deputy_head_of_unit_keeps_the_deputy(index):
    assert reading(index, "Adjoint au chef du bureau des ressources humaines") == title_words(
        "chef service adjoint"
    )
    assert reading(index, "Responsable adjoint de la scolarité") == title_words(
        "responsable service adjoint"
    )
    assert reading(index, "Responsable paie adjoint") == title_words("responsable service adjoint")
    assert index.match("Adjoint au chef du bureau RH").candidates[0].code == "deputy"


def test_an_expert_in_a_field_goes_to_the_field(index):
    assert reading(index, "Expert juridique en domanialité") == title_words("juridique domanialité")
    assert index.match("EXPERT JURIDIQUE EN DOMANIALITE PUBLIQUE").candidates[0].code == "jur"
    # A title that spells an appellation is read as written.
    assert index.match("Expert").candidates[0].code == "exp"


def test_synonyms_of_the_lexicon(index):
    assert reading(index, "Sous-directeur (administration centrale)")[:2] == title_words(
        "directeur adjoint"
    )
    assert index.match("Social media manager").candidates[0].code == "com"


def test_after_a_generic_role_the_field_decides(index):
    # "agent" opens the moyens-généraux job's titles, "informatique" is the field.
    assert index.match("Agent de maintenance informatique").candidates[0].code == "it"


def test_the_plain_normalised_title_is_kept_for_grouping(index):
    result = index.match("SGAMI SUD - Juriste")
    assert result.normalized == " ".join(title_words("SGAMI SUD - Juriste"))


def test_a_spelling_variant_that_normalises_alike_is_read_by_the_one_rule():
    lex = Lexicon.parse("kind;terme;lecture\nsynonyme;ébéniste;menuisier\n")
    assert read_title("Ebenist", frozenset(), frozenset(), lex) == title_words("menuisier")
    # Said as a rule of its own, it would only shadow the reading: refused.
    with pytest.raises(ValueError, match="read as itself"):
        Lexicon.parse(
            "kind;terme;lecture\nsynonyme;ebenist;ébéniste\nsynonyme;ébéniste;menuisier\n"
        )


def test_a_team_is_a_unit_its_head_reads_as_a_unit_head():
    lex = lexicon()
    team = read_title("Chef d'équipe comptabilité", frozenset(), frozenset(), lex)
    assert team == read_title("Chef de service comptabilité", frozenset(), frozenset(), lex)


def test_before_the_head_of_a_unit_a_segment_is_the_employer_or_a_grade(index):
    title = "Juriste conseil - Chef du bureau des contrats"
    assert reading(index, title) == title_words("chef service")
    assert index.match(title).candidates[0].code == "manager"


def test_the_shipped_lexicon_reads_dgs_as_the_director_general():
    # DGS expands to "directeur général des services": the head of all services, not the
    # director of one.
    assert read_title("DGS", frozenset(), frozenset(), lexicon()) == title_words(
        "directeur général"
    )


@pytest.mark.parametrize(
    ("title", "read_as"),
    [
        ("Paralegal", "assistant juridique"),
        ("Credit manager H/F", "chargé de recouvrement"),
        # A "collaborateur" is the private sector's "chargé"; an accounting firm's
        # "collaborateur comptable" is its accountant.
        ("Collaboratrice juridique", "chargé juridique"),
        ("Collaboratrice comptable", "comptable"),
        ("Marketing &amp; CRM", "marketing marketing relationnel"),
        ("Responsable Compensation & Benefits", "responsable rémunération"),
        ("Technicien master data", "technicien données de référence informatique"),
        ("Gestionnaire régime indemnitaire", "gestionnaire paie"),
        ("Gestionnaire des pensions", "gestionnaire retraite"),
        ("Compliance officer", "conformité chargé"),
        # Public-service idioms: a soldier's pay, a prevention officer's health and safety.
        ("Gestionnaire solde", "gestionnaire paie"),
        ("Assistant de prévention", "assistant hygiène et sécurité"),
        ("Chargé de la prévention des risques professionnels", "chargé hygiène et sécurité"),
        ("Gestionnaire du parc de véhicules", "gestionnaire parc automobile"),
        ("Gestionnaire de flotte", "gestionnaire parc automobile"),
        ("Chargé de santé et sécurité au travail", "chargé hygiène et sécurité"),
        # …but not an adviser of companies in difficulty.
        (
            "Conseiller en prévention des difficultés des entreprises",
            "conseiller difficultés entreprises",
        ),
        ("Trésorière", "gestionnaire de trésorerie"),
        ("Proviseure", "directeur d'école"),
        ("Chargé de mission transition écologique", "chargé de mission développement durable"),
        ("Chargé de GPEC", "chargé développement ressources humaines"),
        ("Technicien télécommunications", "technicien télécoms"),
        ("Data protection officer", "délégué à la protection des données"),
        # English puts the role last.
        ("HR manager", "responsable ressources humaines"),
        ("Payroll specialist", "paie"),
        ("Marketing associate", "chargé marketing"),
        ("Talent associate", "chargé recrutement"),
        ("Responsable de l'économat", "responsable intendant"),
        ("Responsable du magasin", "responsable stocks"),
        # A legal drafter writes the law's texts: a lawyer's work, not an editor's.
        ("Rédactrice juridique", "juriste rédacteur"),
        ("Chargée de l'instruction des dossiers", "instructeur dossiers"),
        ("Chargé d'appui administratif", "assistant administratif"),
        # The secretary of a head works for that head, in that unit.
        ("Secrétaire du responsable de la formation", "secrétaire formation"),
        ("Économiste de la construction", "chargé de travaux bâtiment"),
        ("Chef de projet immobilier", "chef de travaux immobilier"),
        ("Archiviste", "documentaliste"),
        ("Bibliothécaire", "documentaliste"),
        ("Gestionnaire risque de change", "gestionnaire trésorerie"),
        ("Accounts payable specialist", "comptable fournisseurs"),
        ("Learning & Development manager", "responsable formation"),
        ("Instructional designer", "ingénieur pédagogique"),
        ("Account management partner", "gestion de clientèle partner"),
        ("Digital marketing executive", "chargé digital marketing"),
        ("Sales director", "directeur ventes"),
        ("Assistante du CEO", "assistant directeur général"),
        ("CFO", "directeur financier"),
        # Growth is marketing's: acquiring users.
        ("Growth & Media Operations", "marketing media operations"),
        ("Inside sales", "commercial sédentaire"),
        # Technologies say the field: computing.
        ("Développeur Java", "développeur informatique"),
        ("Data engineer", "ingénieur informatique données"),
        ("Technicien hotline", "technicien support informatique"),
        ("DevOps", "ingénieur d'exploitation informatique"),
        ("Développeur commercial", "chargé de développement commercial"),
        ("Lead développeur", "senior développeur"),
        ("Expert-comptable", "comptable senior"),
        ("Gestionnaire administration des ventes", "gestionnaire assistant commercial"),
        ("Gestionnaire de projet", "chef de projet"),
        # Personnel administration is payroll work, not human resources at large.
        ("Chargé de l'administration du personnel", "chargé administration personnel paie"),
        # An end-of-studies internship says a contract, not finance ("fin." abbreviated).
        (
            "Stage de fin d'études - Chargé de mission transformation",
            "chargé de mission transformation",
        ),
        ("Chargé de projet fin d’étude", "chargé de projet"),
        # A year glued to the title, a semester, a contract said twice: when, not what.
        ("Stage 1er semestre 2027-Juriste droit social", "juriste droit social"),
        ("STAGE 2027 Stage en communication interne", "communication interne"),
    ],
)
def test_the_shipped_lexicon_reads_titles_in_the_repertoires_words(title, read_as):
    assert read_title(title, frozenset(), frozenset(), lexicon()) == title_words(read_as)


def test_an_expression_is_read_as_one_word_and_quoted_as_its_words():
    lex = Lexicon.parse("kind;terme;lecture\nexpression;contrôle de gestion;\n")
    words = title_words("Agent de contrôle de gestion")
    assert with_synonyms(words, lex) == [words[0], "_".join(title_words("contrôle gestion"))]
    # "Agent de contrôle d'accès" shares "agent" with it, not "contrôle".
    access = with_synonyms(title_words("Agent de contrôle d'accès"), lex)
    assert set(access) & set(with_synonyms(words, lex)) == {words[0]}
    jobs = [JobEntry("cg", "Contrôleur(se) de gestion", 6, ("Chargé de contrôle de gestion",))]
    index = MatchingIndex.build(jobs, lex=lex)
    first = index.match("Chargée du contrôle de gestion budgétaire").candidates[0]
    assert first.written == ("Chargé", "contrôle", "gestion")


def test_a_supervisor_is_read_as_one_role_not_as_an_agent_of_a_field():
    # "Agent de maîtrise" heads a team: not an "agent" whose field is "maîtrise".
    words = with_synonyms(title_words("Agent de maîtrise bâtiment"), lexicon())
    assert words == ["_".join(title_words("agent maîtrise")), *title_words("bâtiment")]


def test_managing_a_field_is_read_as_working_in_it(index):
    assert reading(index, "Technicien de la gestion informatique") == title_words(
        "Technicien informatique"
    )
    assert index.match("Technicien de la gestion informatique").candidates[0].code == "it"
    # Alone, or before a role, "gestion" stays: it may be all the field there is.
    assert reading(index, "Agent de gestion") == title_words("Agent de gestion")
    assert reading(index, "Agent de gestion technicien") == title_words("Agent gestion technicien")


def test_a_community_manager_is_read_as_one_role_whatever_it_is_called():
    lex = lexicon()
    community_manager = with_synonyms(title_words("Community manager"), lex)
    assert len(community_manager) == 1  # not a manager, the English role closing a title
    for title in ("Social media manager", "Animatrice de communauté virtuelle"):
        assert with_synonyms(title_words(title), lex) == community_manager
    assert with_synonyms(title_words("Chargée des réseaux sociaux"), lex)[1:] == community_manager
    # A CCI's facilitator of a business community is no community manager.
    business = with_synonyms(title_words("Animateur de communauté d'entreprises"), lex)
    assert community_manager[0] not in business


def test_a_word_cut_short_with_a_dot_is_the_one_known_word_it_begins(index):
    # "Techn." opens the title: of the words it begins, the role ("technicien").
    assert reading(index, "TECHNIC. SUPP.") == title_words("Technicien support")
    assert index.match("TECHNIC. SUPP.").candidates[0].code == "it"
    # Without a dot, or beginning no known word, a word is left as written.
    assert reading(index, "Technic support") == title_words("Technic support")
    assert reading(index, "Juriste Brest.") == title_words("Juriste Brest")


def test_a_word_one_letter_from_a_known_one_is_read_as_it(index):
    assert reading(index, "Techncien support") == title_words("Technicien support")
    assert index.match("Techncien support").candidates[0].code == "it"
    # Words far from any appellation's (a town) are left as written, and so are short ones.
    assert reading(index, "Juriste Stenay") == title_words("Juriste Stenay")
    assert reading(index, "Jurste") == title_words("Jurste")


def test_an_assistant_of_a_head_is_read_in_that_heads_field(index):
    assert reading(index, "Assistante du responsable des achats") == title_words("Assistant achats")


def test_the_contract_as_a_segment_of_its_own_is_not_read():
    """ "Chargé de marketing - Alternance" is a work-study contract, even where a job's
    appellation makes "alternance" a known word (a CCI's "Chargé de l'alternance")."""
    jobs = [
        JobEntry("pro", "Chef de produit", 6, ("Chargé de marketing",), "Vendre."),
        JobEntry("rel", "Chargé(e) de relation", 5, ("Chargé de l'alternance",), "Placer."),
    ]
    index = MatchingIndex.build(jobs, lex=Lexicon.parse(LEXICON))
    for title in (
        "Chargé de marketing - Alternance/Stage",
        "Chargé de marketing H/F - alternance (septembre 2026)",
        "Chargé de marketing - Freelance",
        "Chargée de marketing Alternance H/F",
        "Stage ou alternance Chargé de marketing",
        "Alternance - Stage - Chargé de marketing",
        "Chargé de marketing Apprenticeship (H/F)",
        "Portzamparc - Alternance Chargé de marketing",
    ):
        assert reading(index, title) == title_words("Chargé de marketing"), title
        assert index.match(title).candidates[0].code == "pro", title
    assert index.match("Chargé de l'alternance").candidates[0].code == "rel"
    # Closing a title after "de", "du", "et", "&", it is the field.
    for title in ("Responsable de stage", "Directrice formation & apprentissage"):
        assert reading(index, title)[-1] in title_words("stage apprentissage"), title


def test_a_trainee_heads_nothing(index):
    """An intern or an apprentice "responsable" works in the field, under its head."""
    for title in (
        "Stage - Responsable juridique",
        "Alternance Responsable juridique",
        "Responsable juridique (alternance)",
        "Responsable juridique en apprentissage",
        "Apprenti(e) responsable juridique",
        "[Stage] Directeur juridique",
    ):
        assert reading(index, title) == title_words("juridique"), title
    # Not a head, and not the heads of trainees or of apprenticeships.
    assert reading(index, "Stage - Chef de projet") == title_words("chef projet")
    for title in ("Responsable de stage", "Responsable de l'accueil des apprentis"):
        assert reading(index, title)[0] == title_words("responsable")[0], title
    jobs = [
        JobEntry("head", "Chef de groupe", 6, ("Responsable marketing",), "Diriger."),
        JobEntry("officer", "Chef de produit", 5, ("Chargé de marketing",), "Vendre."),
    ]
    marketing = MatchingIndex.build(jobs, lex=Lexicon.parse(LEXICON))
    assert first_code(marketing, "Responsable marketing") == "head"
    assert first_code(marketing, "Stage - Responsable marketing") == "officer"


def first_code(index, title):
    return index.match(title).candidates[0].code


@pytest.mark.parametrize(
    ("title", "read_as"),
    [
        # A masculine and a feminine form are one word, the masculine…
        ("Chef / Cheffe de projet", "chef projet"),
        ("Hôte / Hôtesse d'accueil", "hôte accueil"),
        ("Ambassadeur / Ambassadrice", "ambassadeur"),
        # …but a role and its field sharing a stem are two.
        ("Gestionnaire de la gestion administrative", "gestionnaire gestion administrative"),
        ("Technicien technique", "technicien technique"),
    ],
)
def test_a_gender_pair_is_one_word_a_role_and_its_field_are_two(index, title, read_as):
    assert reading(index, title) == title_words(read_as)


def test_a_compound_is_read_as_the_appellations_spell_it():
    jobs = [
        JobEntry("tel", "Chargé(e) de relation client", 4, ("Téléconseiller",), "Appeler."),
        JobEntry("it", "Technicien(ne)", 4, ("Technicien micro-informatique",), "Dépanner."),
        JobEntry("web", "Technicien(ne) web", 4, ("Chargé de web marketing",), "Publier."),
    ]
    index = MatchingIndex.build(jobs, lex=Lexicon.parse(LEXICON))
    # Joined where the appellations join the prefix and the word…
    assert reading(index, "Télé-conseiller") == title_words("Téléconseiller")
    # …split where they write both apart.
    assert reading(index, "Technicien microinformatique") == title_words(
        "Technicien micro informatique"
    )
    assert reading(index, "Chargé de webmarketing") == title_words("Chargé web marketing")
    # A word that is more than its prefix stays whole.
    assert reading(index, "Télécommunications") == title_words("Télécommunications")
