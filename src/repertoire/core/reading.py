"""How the matcher reads a free-text job title before comparing it with appellations.

Real titles carry more than the job: the employer's acronyms and a town around it
(``SGAMI SUD - Chef du bureau logistique``, ``Agent comptable - MAIRIE DE …``), reference
numbers and contracts (``(réf.7864)``, ``CDD 6 mois``), English words, public-service grade
names, and structures whose words mislead a word-by-word comparison: in ``Chef du bureau du
droit du numérique`` the role is *head of a unit*, whatever the unit's field; in ``Expert
juridique`` the field decides. A *reading* keeps the job and says it in the repertoire's
words; the rules are data (``repertoire/data/lexique-intitules.csv``), never titles.

Steps, each generic:

1. noise out: reference numbers, codes mixing letters and digits, numbers (but level
   numerals), parenthesised notes holding a digit;
2. a word no appellation has, one letter away from exactly one that some has, is that
   word misspelt (``Assitante``, ``Enseigant``); one cut short with a dot is the one known
   word it begins, a role when it opens the title (``FORMAT. INFORMATIQUE``);
3. segments (split on spaced dashes, colons, asterisks): a civil-service grade beside a
   segment naming the job goes (``Agent d'administration - traitant contrôle de gestion``);
   the job starts at the first segment that opens on a role word (a word some appellation
   opens on); segments before it are the employer's, later segments stay when they are
   job-like or made of known words (a town, the employer's acronyms, the contract alone go:
   ``… - DAF``, ``… - DIR SG Grand Centre``, ``… - Alternance/Stage``, and so does where the
   job sits: ``… - Direction des affaires financières``, ``DRH - Chargé de la paie``); codes
   glued to the title are a segment of their own (``DRH/SDP/C-Hôtesse d'accueil``);
4. unknown words before the first role word go (``PH627 Chef.fe d'équipe``);
5. synonyms of the lexicon (``Sous-directeur`` → ``directeur adjoint``, ``Social media
   manager`` → ``community manager``), expressions read as one word (``contrôle de
   gestion``: neither an access control nor management); an English role closing the title
   opens it
   (``HR manager`` → ``responsable RH``); after "auprès de", only whom the job serves
   (``auprès du directeur``), not that person's field;
6. ``specialiste`` roles (expert, consultant…) followed by a field leave the field; an
   assistant of a head is read in that head's field (``Assistante du responsable des
   achats``); a role "de gestion" of a field works in that field (``Responsable de la
   gestion informatique``); a trainee heads nothing (``Stage - Responsable marketing``
   is read ``marketing``);
7. a head of an organisational unit (``Chef du bureau X``, ``Responsable du pôle X``, also
   inside a title whose dashes were lost) reads as the repertoire's unit role
   (``chef service``, ``responsable pôle``), keeping level marks (``adjoint``).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Container
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from repertoire.core.text import ABBREVIATIONS, LEVEL_NUMERALS, stem, title_words

LEXICON_FILE = ("data", "lexique-intitules.csv")

_SEPARATORS = re.compile(r"\s+[-–—]+\s*|\s*[-–—]+\s+|\s*[:*|]\s*|\s*--\s*")
# A trainee's contract (an internship, a work-study), not the field of apprenticeships that a
# CCI's "Chargé de l'alternance" works in: written in English, "en alternance", "(stage)",
# closing the title ("Chargée de développement commercial Alternance H/F"; not "Chargé de
# l'alternance", "Directrice formation & apprentissage") or opening it (_OPENING_CONTRACT).
_TRAINING = r"(?:alternance|apprentissage|stage)"
_TRAINEE_CONTRACT = (
    r"\b(?:apprenticeship|internship|intern)\b"
    rf"|\ben\s+{_TRAINING}\b"
    rf"|(?<!['’])(?<!de )(?<!du )(?<!& )(?<!et )\b{_TRAINING}\b(?=(?:\W|\b[hfxmd]\b)*$)"
    rf"|\(\s*{_TRAINING}\b[^()]*\)"
)
# …or opening the title or a segment, with the person ("Stage - …", "[Alternance] …",
# "Apprenti(e) …", "Stagiaire …"; not "Responsable de l'accueil des apprentis").
_TRAINEE = re.compile(
    _TRAINEE_CONTRACT
    + r"|(?:^|[-–—|:*\[(/])\s*(?:alternance|apprentissage|stage|stagiaire|alternant|apprenti"
    r"|trainee)(?:\(e\)|e)?s?\b",
    re.IGNORECASE,
)
_NOISE = re.compile(
    r"\b(?:\d+\s*(?:er|e|nd|[èe]me)|premier|second)\s+semestre\b"  # "Stage 1er semestre"
    r"|\(\s*r[ée]f[^)]*\)"  # (réf.2623)
    r"|\br[ée]f\s*[.:]?\s*[\w.-]*\d[\w.-]*"  # réf. 2623
    r"|\([^()]*\d[^()]*\)"  # (2 postes à pourvoir), (76), (1228)
    r"|\b(?=[\w-]*\d)(?=[\w-]*[^\W\d_])[\w-]{3,}\b"  # FP2SIC05, PH627, 1-0001853 codes
    r"|\b\d+(?:[-/.]\d+)+\b"  # 1-0001853
    r"|\b\d{2,}\b"  # department numbers, years
    r"|\b\d+\s*postes?\b|\bpostes?\s+[àa]\s+pourvoir\b|\bcr[ée]ation\s+de\s+poste\b"
    r"|\bcontractuel(?:le)?s?\b|\bvacation\b|\b\d*\s*mois\b"
    # A trainee's contract, or another ("en intérim", "(CDD)").
    rf"|{_TRAINEE_CONTRACT}"
    r"|\ben\s+(?:int[ée]rim|cdd|cdi)\b"
    r"|\(\s*(?:int[ée]rim|cdd|cdi)\b[^()]*\)"
    r"|\bbac\s*\+\s*\d\b"  # a diploma: "BAC +2"
    r"|(?:\bde\s+)?\bfin\s+d['’]\s*[ée]tudes?\b"  # "Stage de fin d'études": no finance
    r"|\bchez\s.*$"  # the employer: "Assistant marketing chez …"
    # Where and how the post is worked, not the job: "Poste basé à Lille", "Télétravail
    # partiel", "Temps partiel", "Statut cadre".
    r"|\bposte\s+(?:bas|situ|localis)[ée]e?\b.*$"
    r"|\bt[ée]l[ée]travail(?:\s+(?:partiel|possible|total))?\b"
    r"|\btemps\s+(?:plein|partiel|complet|non\s+complet)\b|\bstatut\s+cadre\b"
    r"|\bcat(?:[ée]gorie|\.)?\s*[abc]\b\+?",  # civil-service category: cat. A, catégorie B
    re.IGNORECASE,
)
# A number glued to the title by a dash ("Stage 2027-Assistant(e) de manager"): a date or a
# reference, not part of a code; cut off as a segment of its own.
_GLUED_NUMBER = re.compile(r"\b(\d+)-(?=[^\W\d_]{3})")
_OPENING_CONTRACT = re.compile(
    r"^\W*(?:(?:alternance|apprentissage|stage|int[ée]rim|cdd|cdi"
    r"|(?:apprenti|alternant)(?:\(e\)|e)?|stagiaire)(?:\s+ou\s+|\s*/\s*|\s+)?)+(?=\W+\w)",
    re.IGNORECASE,
)
# A note in parentheses after a word ("Adjoint en gestion de scolarité (master …)"), not
# inclusive writing ("Chargé(e)", "Adjoint (e)") nor a level ("(II)"): read as a segment of
# its own.
_ASIDE = re.compile(r"\s+\((?!\s*(?:[IVX]+|[-.]?[a-zé]{1,5})\s*\))([^()]+)\)")
# A segment made of acronyms only (capitals, up to five letters each).
_ACRONYMS = re.compile(r"(?:\b[A-Z]{1,5}\b[\s/&.]*)+")
# …or opening on one, in a title otherwise written in lower case ("DIR SG GRAND CENTRE").
_OPENING_ACRONYM = re.compile(r"[A-Z]{2,5}\b(?:[\s/&.]+[A-Z]{1,5}\b)*")
# An employer's codes glued to the title ("DRH/SDP/SAPP/C-Hôtesse d'accueil",
# "DUPA/STRU/B-Chef du secrétariat", "DELIM-SAE-C-Responsable du magasin"): capitals joined
# by slashes, colons or dashes, then a word in lower case. Cut off as a segment of their own.
_CODE_PREFIX = re.compile(
    r"^\s*((?:[A-Z0-9]{1,6}\s*[/:-]\s*)+[A-Z0-9]{1,6})(?:\s*[-:]\s*|\s+)(?=[A-ZÀ-Ý][a-zà-ÿ])"
)
_ASSISTING = frozenset(title_words("assistant secrétaire"))
_HEADING = frozenset(title_words("responsable directeur"))
# Contracts, as a segment of their own after the job says them ("… - Alternance/Stage").
# (The normalisation already drops "CDI", "alternant", "stagiaire"…)
_CONTRACTS = frozenset(title_words("alternance apprentissage stage freelance"))
_LEVEL_MARKS = frozenset(LEVEL_NUMERALS | set(title_words("adjoint junior senior confirmé")))


@dataclass(frozen=True)
class Lexicon:
    # First word → (phrase, reading), the longest phrases first.
    synonyms: dict[str, tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]]
    roles: frozenset[str]
    specialists: frozenset[str]
    heads_of_unit: frozenset[str]
    units: dict[str, str]
    # Civil-service grades ("Agent d'administration"), as word tuples.
    grades: frozenset[tuple[str, ...]] = frozenset()
    # Words that qualify a role without naming its field ("polyvalent", "remplaçant").
    qualifiers: frozenset[str] = frozenset()
    # English roles that close a title ("Payroll specialist") → the French role opening it.
    closing_roles: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Expressions read as one word ("contrôle de gestion"): first word → (phrase, token);
    # and each token → the phrase's words (a reason quotes them).
    expressions: dict[str, tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]] = field(
        default_factory=dict
    )
    expression_words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Every word the lexicon's rules speak of (never taken for a misspelling).
    terms: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, text: str) -> Lexicon:
        lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
        synonyms: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
        kinds: dict[str, set[str]] = {
            "role": set(),
            "specialiste": set(),
            "encadrant": set(),
            "qualificatif": set(),
        }
        units: dict[str, str] = {}
        grades: set[tuple[str, ...]] = set()
        closing: dict[str, tuple[str, ...]] = {}
        expressions: dict[str, tuple[str, ...]] = {}
        terms: set[str] = set()
        # Each term is ruled once per kind: a second rule (a gender or a plural the
        # normalisation already folds, a second reading) would be dead or contradict the first.
        ruled: dict[tuple[str, tuple[str, ...]], str] = {}
        for row in csv.DictReader(io.StringIO("\n".join(lines)), delimiter=";"):
            kind, term, reading = row["kind"], row["terme"], row["lecture"] or ""

            words = tuple(title_words(term))
            if not words:
                raise ValueError(f"lexicon: « {term} » is no word once normalised")
            if (kind, words) in ruled:
                raise ValueError(
                    f"lexicon: « {term} » ({kind}) is ruled already, as « {ruled[kind, words]} »"
                )
            ruled[kind, words] = term
            terms.update(words)
            if kind == "synonyme":
                read_as = tuple(title_words(reading))
                if read_as == words:
                    raise ValueError(f"lexicon: « {term} » is read as itself")
                synonyms.append((words, read_as))
            elif kind == "unite":
                units[words[0]] = " ".join(title_words(reading))
            elif kind == "grade":
                grades.add(words)
            elif kind == "role_final":
                closing[words[-1]] = tuple(title_words(reading))
            elif kind == "expression":
                expressions["_".join(words)] = words
            elif kind in kinds:
                kinds[kind].add(words[0])
            else:
                raise ValueError(f"unknown kind of lexicon entry: {kind}")
        # Longest phrases first: "social media manager" before "manager".
        synonyms.sort(key=lambda pair: -len(pair[0]))
        by_first: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
        for phrase, reading in synonyms:
            by_first.setdefault(phrase[0], []).append((phrase, reading))
        by_start: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
        for token, phrase in sorted(expressions.items(), key=lambda item: -len(item[1])):
            by_start.setdefault(phrase[0], []).append((phrase, (token,)))
        return cls(
            synonyms={first: tuple(found) for first, found in by_first.items()},
            roles=frozenset(kinds["role"]),
            specialists=frozenset(kinds["specialiste"]),
            heads_of_unit=frozenset(kinds["encadrant"]),
            units=units,
            grades=frozenset(grades),
            qualifiers=frozenset(kinds["qualificatif"]),
            closing_roles=closing,
            expressions={first: tuple(found) for first, found in by_start.items()},
            expression_words=expressions,
            terms=frozenset(terms),
        )


@cache
def lexicon() -> Lexicon:
    """The lexicon shipped with the package, read once per process."""
    text = resources.files("repertoire").joinpath(*LEXICON_FILE).read_text(encoding="utf-8")
    return Lexicon.parse(text)


def with_synonyms(words: list[str], lex: Lexicon) -> list[str]:
    """The words with the lexicon's synonyms read, then its expressions joined into one
    word each (appellations are compared so too)."""
    return _replace(_replace(words, lex.synonyms), lex.expressions)


def role_first(words: list[str], lex: Lexicon) -> list[str]:
    """English puts the role last ("Payroll specialist", "HR manager"): read it first."""
    opening = lex.roles | lex.heads_of_unit | lex.specialists
    if len(words) > 1 and words[-1] in lex.closing_roles and words[0] not in opening:
        return [*lex.closing_roles[words[-1]], *words[:-1]]
    return words


def expression_words(words: list[str], lex: Lexicon) -> list[str]:
    """The words again, each expression taken apart (for the words a reason quotes)."""
    return [part for word in words for part in lex.expression_words.get(word, (word,))]


def _replace(words: list[str], synonyms) -> list[str]:
    out: list[str] = []
    position = 0
    while position < len(words):
        for phrase, reading in synonyms.get(words[position], ()):
            if tuple(words[position : position + len(phrase)]) == phrase:
                out.extend(reading)
                position += len(phrase)
                break
        else:
            out.append(words[position])
            position += 1
    return out


def read_title(
    text: str,
    heads: frozenset[str] | set[str],
    known: frozenset[str],
    lex: Lexicon,
    spelled: Container[str] = frozenset(),
) -> list[str]:
    """The words of a title as the matcher should compare them (see the module's docstring).

    ``heads``: words some appellation opens on; ``known``: words of the appellations;
    ``spelled``: the appellations, normalised (an "Expert X" one spells stays whole).
    """
    cleaned = _GLUED_NUMBER.sub(r"\1 - ", text)
    cleaned = _NOISE.sub(" ", cleaned)
    cleaned = _CODE_PREFIX.sub(r"\1 - ", cleaned)
    cleaned = _ASIDE.sub(r" - \1 - ", cleaned)
    # An acronym opening a later segment names a department, not a person ("Assistante de
    # direction - DAF"): read it as the rest of the title, not as its first word.
    parts = [_OPENING_CONTRACT.sub(" ", part) for part in _SEPARATORS.split(cleaned)]
    kept = [
        (words, part)
        for number, part in enumerate(parts)
        if (words := title_words(part if number == 0 else f"de {part}"))
        # The contract alone ("Alternance - …", "… - Alternance/Stage"): not the job's.
        and not set(words) <= _CONTRACTS
    ]
    # Words cut short with a dot, as payroll systems write them ("FORMAT. INFORMATIQUE").
    cut = frozenset(word for token in _CUT_SHORT.findall(cleaned) for word in title_words(token))
    segments = [
        [
            _completed(word, known, heads, at == 0) if word in cut else word
            for at, word in enumerate(
                _spelled_right(word, known, lex.terms)
                for word in _compounds(words, known, lex.terms)
            )
        ]
        for words, _ in kept
    ]
    kept = [part for _, part in kept]
    if not segments:
        return title_words(text)

    def share_known(words: list[str]) -> float:
        # Through the lexicon: "Legal Counsel" is the juriste's, known though English.
        words = expression_words(with_synonyms(words, lex), lex)
        return sum(word in known for word in words) / len(words)

    # A civil-service grade says the person's rank, another segment the job
    # ("Agent d'administration - traitant contrôle de gestion"): the job's segment is read.
    grade = [_is_grade(words, lex) for words in segments]
    if any(grade) and any(
        not is_grade and share_known(words) >= 0.5
        for words, is_grade in zip(segments, grade, strict=True)
    ):
        segments = [w for w, is_grade in zip(segments, grade, strict=True) if not is_grade]
        kept = [part for part, is_grade in zip(kept, grade, strict=True) if not is_grade]

    # A segment opening on a unit written out ("Direction des affaires financières", not
    # "DRH"): where the job sits, not the job.
    places = [_names_a_place(part, lex) for part in kept]

    def job_like(number: int) -> bool:
        words = role_first(with_synonyms(segments[number], lex), lex)
        return not places[number] and (words[0] in heads or words[0] in lex.heads_of_unit)

    # Opening acronyms that name a person ("DRH - Chargé de la paie", "DGA / DID :
    # Responsable administrative", "SG - Archiviste"), before a segment naming the job or
    # made of known words: the department the job sits in, neither the job nor its field (in
    # a title written in capitals, any short word looks like an acronym: "CHEF (FE) DU …").
    shouting = not any(letter.islower() for letter in text)
    department = (
        len(segments) > 1
        and _ACRONYMS.fullmatch(kept[0].strip()) is not None
        and job_like(0)
        and any(
            job_like(number) or (not shouting and share_known(segments[number]) >= 0.5)
            for number in range(1, len(segments))
        )
    )
    if department:
        places[0] = True

    def heads_a_unit(words: list[str]) -> bool:
        return len(words) > 1 and words[0] in lex.heads_of_unit and words[1] in lex.units

    # The head of a unit ("Chef de la section …") says the whole job: a segment before it
    # is the employer or a grade ("Sous-préfecture d'Arcachon - Chef de section").
    first = next(
        (i for i, words in enumerate(segments) if heads_a_unit(words)),
        next((i for i in range(len(segments)) if job_like(i)), None),
    )

    if first is None:
        # No segment opens on a role: all are read, bar the places after the first (a unit
        # written out, or words no appellation has: a town) unless only an employer's name
        # is left beside them.
        others = [
            segment
            for number, segment in enumerate(segments)
            if not (number and (places[number] or not share_known(segment)))
            and not (department and number == 0)
        ]
        if len(others) < 2 and not any(share_known(segment) >= 0.5 for segment in others):
            others = segments
        words = [word for segment in others for word in segment]
    else:
        # Before the job: the employer's name or acronyms, unless made of known words
        # ("Informatique - Technicien"); after it: qualifiers, unless unknown (a town).
        unit = heads_a_unit(segments[first])
        words = [
            w
            for number, segment in enumerate(segments[:first])
            if share_known(segment) > 0.5 and not unit and not (department and number == 0)
            for w in segment
        ]
        words.extend(segments[first])
        for number in range(first + 1, len(segments)):
            segment, part = segments[number], kept[number]
            acronyms = _ACRONYMS.fullmatch(part.strip()) or (
                not shouting and _OPENING_ACRONYM.match(part.strip())
            )
            if (
                len(words) > 1
                and acronyms
                and not _names_a_field(acronyms.group(0), heads | lex.roles | lex.heads_of_unit)
            ):
                # "Assistante de direction - DAF", "… - MJ - SG", "… - DIR SG Grand Centre":
                # the employer's.
                continue
            if not places[number] and (job_like(number) or share_known(segment) >= 0.5):
                words.extend(segment)
    words = _attached_to(role_first(with_synonyms(_single_gender(words), lex), lex))
    # Short unknown words before the first role word: an employer's code, a grade's
    # acronym (a longer one may be a typo of a known word: "Assitante commerciale").
    start = next((i for i, word in enumerate(words) if word in heads), 0)
    if start and all(word not in known and len(word) <= 6 for word in words[:start]):
        words = words[start:]
    if len(words) > 1 and words[0] in lex.specialists and " ".join(words) not in spelled:
        words = words[1:]
    # "Agent chargé du suivi des équipements": the role does the field, "chargé" adds nothing.
    if len(words) > 2 and words[0] in lex.roles and words[1] == _CHARGED:
        words = [words[0], *words[2:]]
    # "Responsable de la gestion informatique", "Technicien gestion logistique": managing a
    # field is working in it; "gestion" stays when no field word follows ("Assistant de
    # gestion") or when a role does ("Chargé de gestion comptable" names the accountant).
    if (
        len(words) > 2
        and words[0] in lex.roles | lex.heads_of_unit
        and words[1] == _MANAGING
        and words[2] in known
        and words[2] not in heads
        and " ".join(words) not in spelled
    ):
        words = [words[0], *words[2:]]
    # "Assistant responsable du développement commercial", "Secrétaire du chef d'unité":
    # the assistant of that head, in that field.
    if (
        len(words) > 2
        and words[0] in _ASSISTING
        and words[1] in lex.heads_of_unit
        and " ".join(words) not in spelled
    ):
        words = [words[0], *words[2:]]
    # A trainee heads nothing: a "Sales Partner Manager Intern" works in sales, an
    # apprentice "Responsable de l'action commerciale" in sales promotion.
    if _TRAINEE.search(text):
        words = [word for word in words if word not in _HEADING] or words
    return _unit_role(_from_unit_head(words, heads, lex), lex) or words


# A word unknown to every appellation, of at least this many letters, one letter away from
# exactly one known word, is that word misspelt ("Assitante", "Enseigant").
TYPO_MIN_LENGTH = 6


# Prefixes written glued, hyphenated or apart ("Téléconseiller", "Télé-conseiller";
# "Micro-informatique", "Microinformatique"; "Webmarketing", "Web marketing"). Split off a
# word only where the rest is a word on its own (not "télé|communications").
_PREFIXES = frozenset(
    [
        "e",
        "web",
        "micro",
        "multi",
        "tele",
        "cyber",
        "video",
        "photo",
        "data",
        "eco",
        "electro",
        "pre",
        "co",
    ]
)
# Longest first: "micro" before "mi…".
_SPLIT_PREFIXES = sorted(_PREFIXES - {"tele", "electro", "photo"}, key=len, reverse=True)


def _compounds(words: list[str], known: Container[str], terms: Container[str]) -> list[str]:
    """A compound spelled as the appellations spell it: a prefix and a word joined when the
    appellations join them, a word no appellation has split after its prefix when they
    write the rest (a word of the lexicon stays whole)."""
    out: list[str] = []
    for word in words:
        if out and out[-1] in _PREFIXES and out[-1] + word in known:
            out[-1] += word
            continue
        if word not in known and word not in terms:
            prefix = next(
                (
                    prefix
                    for prefix in _SPLIT_PREFIXES
                    if word.startswith(prefix)
                    and len(word) - len(prefix) >= 4
                    and word[len(prefix) :] in known
                ),
                None,
            )
            if prefix is not None:
                out.extend((prefix, word[len(prefix) :]))
                continue
        out.append(word)
    return out


@lru_cache(maxsize=65536)
def _spelled_right(word: str, known: frozenset[str], terms: frozenset[str]) -> str:
    """The known word ``word`` misspells, else ``word`` (a word of the lexicon is kept).
    Cached by word and vocabularies: both are frozen sets, hashed once."""
    if len(word) < TYPO_MIN_LENGTH or word in known or word in terms or not word.isalpha():
        return word
    close = process.extract(word, known, scorer=Levenshtein.distance, score_cutoff=1, limit=2)
    return close[0][0] if len(close) == 1 else word


# A word followed by a dot: maybe cut short. At least CUT_MIN_LENGTH letters.
_CUT_SHORT = re.compile(r"\b([^\W\d_]+)\.")
CUT_MIN_LENGTH = 4


@lru_cache(maxsize=65536)
def _completed(word: str, known: frozenset[str], heads: frozenset[str], opening: bool) -> str:
    """The one known word a word cut short begins ("commun." → communication), a role
    when it opens its segment ("format." → formateur, not formation); else the word."""
    if len(word) < CUT_MIN_LENGTH or word in known:
        return word
    longer = [other for other in known if other.startswith(word)]
    if opening and len(longer) > 1:
        longer = [other for other in longer if other in heads]
    return longer[0] if len(longer) == 1 else word


def _from_unit_head(words: list[str], heads, lex: Lexicon) -> list[str]:
    """``sous prefecture d arcachon chef de la section …`` (a title whose dashes were lost):
    the head of a unit says the whole job, the words before it name the employer, unless
    one of them is a role (``Assistant du chef de service``)."""
    for at in range(1, len(words) - 1):
        if words[at] in lex.heads_of_unit and words[at + 1] in lex.units:
            if any(word in heads or word in _LEVEL_MARKS for word in words[:at]):
                return words
            return words[at:]
    return words


def _names_a_place(part: str, lex: Lexicon) -> bool:
    """Whether a segment opens on a unit written out ("Direction des affaires financières",
    "Pôle social"), not on an acronym that names a person ("DRH adjointe")."""
    words = title_words(part)
    if not words or _OPENING_ACRONYM.match(part.strip()):
        return False
    return words[0] in lex.units or words[0] == _DIRECTION


def _attached_to(words: list[str]) -> list[str]:
    """``Chargé de mission auprès du sous-directeur des affaires juridiques``: what follows
    "auprès de" names whom the job serves, not its field; only that person's role is kept."""
    if _NEXT_TO not in words[1:]:
        return words
    at = words.index(_NEXT_TO, 1)
    served = next((word for word in words[at + 1 :] if word in _SERVED), None)
    return [*words[:at], *([_NEXT_TO, served] if served else [])]


def _is_grade(words: list[str], lex: Lexicon) -> bool:
    """Whether a segment is a grade and nothing else (level marks aside)."""
    rest = [word for word in words if word not in _LEVEL_MARKS]
    # Both: "Attaché principal" is a grade with a mark, "Adjoint administratif" one whose
    # first word is a mark.
    return tuple(rest) in lex.grades or tuple(words) in lex.grades


def _names_a_field(part: str, heads) -> bool:
    """Whether an acronym segment names a field (``RH``, ``SI``: the job's) rather than a
    department or a person (``DAF``, ``SG``: the employer's)."""
    for token in part.lower().split():
        expansion = ABBREVIATIONS.get(token.strip("/&."))
        if expansion and not expansion.isdigit():
            first = stem(expansion.split()[0])
            if first not in heads and first not in _PERSONS:
                return True
    return False


_CHARGED = title_words("chargé")[0]
_MANAGING = title_words("gestion")[0]
_NEXT_TO = title_words("auprès")[0]
_PERSONS = frozenset(title_words("secrétaire directeur administrateur délégué responsable"))
_SERVED = _PERSONS | frozenset(title_words("direction secrétariat présidence président cabinet"))
_DIRECTOR = title_words("directeur")[0]
_DIRECTION = title_words("direction")[0]
_SERVICE = title_words("service")[0]


def _single_gender(words: list[str]) -> list[str]:
    """``Chef / Cheffe``, ``Agent / Agente``: the pair is one word once normalised (stemming
    folds the feminine), read once. A role and its field sharing a stem stay two
    ("Gestionnaire de la gestion administrative", "Technicien technique")."""
    out: list[str] = []
    for word in words:
        if not out or word != out[-1]:
            out.append(word)
    return out


def _unit_role(words: list[str], lex: Lexicon) -> list[str] | None:
    """``chef bureau droit numerique`` → ``chef service``; ``adjoint chef bureau rh`` →
    ``adjoint chef service``. None when the title is not the head of a unit."""
    deputy = words[:1] == ["adjoint"]
    rest = words[1:] if deputy else words
    if deputy and rest[:1] == [_DIRECTOR]:
        # "Adjoint au directeur des ressources humaines": a deputy director.
        return [_DIRECTOR, "adjoint", *rest[1:]]
    if len(rest) >= 2 and rest[0] in lex.heads_of_unit and rest[1] == "adjoint" and not deputy:
        # "Responsable adjoint de la scolarité": the deputy of a unit's head.
        return [rest[0], _SERVICE, "adjoint"]
    if (
        len(rest) >= 3
        and rest[0] in lex.heads_of_unit
        and rest[-1] == "adjoint"
        and rest[1] not in lex.units
        and not deputy
    ):
        # "Responsable paie adjoint": the deputy of the head of a field's unit.
        return [rest[0], _SERVICE, "adjoint"]
    if len(rest) < 2 or rest[0] not in lex.heads_of_unit or rest[1] not in lex.units:
        return None
    marks = [word for word in rest[2:] if word in _LEVEL_MARKS and word != "adjoint"]
    trailing_deputy = "adjoint" in rest[2:]
    role = [rest[0], lex.units[rest[1]]]
    if deputy:
        # The deputy of a unit's head, whatever the unit: "chef de service adjoint".
        return [rest[0], _SERVICE, "adjoint", *marks]
    return [*role, *marks, *(["adjoint"] if trailing_deputy else [])]
