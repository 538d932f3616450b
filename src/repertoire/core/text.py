"""French text normalisation shared by the importer, the catalog and matching.

Titles in the repertoire are written in several ways for the same job: capitals in the
job sheets (``CONSEILLER(E) D'ENTREPRISE (I)``), sentence case in the sommaire
(``Conseiller(ère) d'entreprise I``). A *title key* removes what does not change the
job (case, accents, gender marks, punctuation) and keeps what does (level numerals).
"""

from __future__ import annotations

import html
import re
import unicodedata

ROMAN_NUMERALS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")

_PARENTHESISED = re.compile(r"\(([^()]*)\)")
_ROMAN = re.compile(r"^[IVX]+$", re.IGNORECASE)
_NON_WORD = re.compile(r"[^0-9a-z]+")
# Elided articles and prepositions (d', l', qu') carry no meaning in a title or a code.
_ELISION = re.compile(r"\b(?:d|l|qu|j|n|s|c)['’]", re.IGNORECASE)


# Characters a text may not hold in an XML document (XLSX, DOCX): the C0 controls but the
# tab and the line ends. Word's manual line break (U+000B) and a form feed mean a new line.
_LINE_BREAK_CONTROLS = re.compile(r"[\x0b\x0c]")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f]")


def without_controls(text: str) -> str:
    """``text`` as a document can hold it: a manual line break or a form feed as a line
    end, another control character (an escape a paste brought) as a space, so that the
    words it stood between stay apart."""
    return _CONTROLS.sub(" ", _LINE_BREAK_CONTROLS.sub("\n", text))


def to_roman(number: int) -> str:
    if not 1 <= number <= len(ROMAN_NUMERALS):
        raise ValueError(f"no roman numeral for {number}")
    return ROMAN_NUMERALS[number - 1]


def from_roman(text: str) -> int | None:
    """The value of a roman numeral from I to X, or None."""
    try:
        return ROMAN_NUMERALS.index(text.strip().upper()) + 1
    except ValueError:
        return None


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")


def _drop_gender_marks(title: str) -> str:
    """Remove ``(e)``, ``(ère)``, ``(trice)``, ``(se)``, ``(le)``, ``(-e)``…; unwrap ``(II)``."""

    def replace(match: re.Match[str]) -> str:
        inner = match.group(1).strip().lstrip("-.·")
        if _ROMAN.match(inner):
            return f" {inner} "
        if len(inner) <= 6 and inner.isalpha():
            return ""
        return f" {inner} "

    return _PARENTHESISED.sub(replace, title)


def title_key(title: str) -> str:
    """The words of a title that identify a job: ``conseiller entreprise i``."""
    text = _drop_gender_marks(title)
    text = _ELISION.sub(" ", strip_accents(text)).lower()
    return " ".join(_NON_WORD.sub(" ", text).split())


def slugify(text: str, separator: str = "-") -> str:
    """A stable identifier from a label: ``Latitude d'action`` → ``latitude_action``."""
    return separator.join(title_key(text).split())


def sentence_case(title: str) -> str:
    """Turn a heading written in capitals into sentence case, keeping level numerals.

    Accents lost by the capitals cannot be recovered; this is a fallback for headings
    that the sommaire does not spell.
    """
    if title != title.upper():
        return title
    words = []
    for index, word in enumerate(title.lower().split(" ")):
        bare = word.strip("()")
        if bare and _ROMAN.match(bare) and index > 0:
            word = word.upper()
        elif index == 0:
            word = word[:1].upper() + word[1:]
        words.append(word)
    return " ".join(words)


# --- job titles as payroll types them -------------------------------------------------------

# Contract and posting notes that say nothing about the job itself.
_CONTRACT_NOTES = re.compile(
    # H/F, H/F/X, M/F/D, and "h f" once punctuation is lost
    r"\(?\b[hf]\s*/\s*[hf](?:\s*/\s*[xnd])?\b\)?|\(?\b[xm]\s*/\s*[fh]\s*/\s*[mhxd]\b\)?"
    r"|\b[hf]\s+[hf]\b"
    r"|\b(?:cdd|cdi|interim(?:aire)?|vacataire|remplacement|stagiaire|apprenti|alternant)\b"
    r"|\b(?:mi|plein|temps)[\s-]temps\b|\btemps\s+(?:partiel|plein|complet)\b"
    r"|\b\d+\s*%"
)
# Inclusive writing: directeur·rice, chargé.e, formateur/trice, conseiller-ère.
_INCLUSIVE_SUFFIXES = [
    "es",
    "e",
    "ice",
    "ere",
    "rice",
    "trice",
    "euse",
    "se",
    "ne",
    "nne",
    "ienne",
    "le",
    "esse",
    "sse",
    "fe",
    "ffe",
    "ve",
    "ive",
    "tive",
]
# A plural may follow: chargé·e·s.
_INCLUSIVE = re.compile(rf"(\w)[·.\-/](?:{'|'.join(_INCLUSIVE_SUFFIXES)})(?:[·.]s)?\b")
# …and its suffixes left alone once punctuation is lost (``chef fe``, ``adjoint e``, as
# titles read from a web address or a payroll export are).
# ("se" and "le" are words of their own.)
_LONE_SUFFIXES = frozenset(_INCLUSIVE_SUFFIXES) - {"se", "le"}
_TOKEN = re.compile(r"[a-z0-9]+")

# Abbreviations payroll systems truncate titles to (after accents and dots are removed).
ABBREVIATIONS = {
    "tech": "technicien",
    "techn": "technicien",
    "techni": "technicien",
    "resp": "responsable",
    "respons": "responsable",
    "rsp": "responsable",
    "gest": "gestionnaire",
    "gestio": "gestionnaire",
    "assist": "assistant",
    "asst": "assistant",
    "ass": "assistant",
    "assis": "assistant",
    "agt": "agent",
    "empl": "employe",
    "cons": "conseiller",
    "csl": "conseiller",
    "adj": "adjoint",
    "adjt": "adjoint",
    "dir": "directeur",
    "direct": "directeur",
    "sce": "service",
    "serv": "service",
    "svc": "service",
    "adm": "administratif",
    "admin": "administratif",
    "admi": "administratif",
    "compta": "comptabilite",
    "cpta": "comptabilite",
    "comptab": "comptable",
    "com": "communication",
    "comm": "communication",
    "commu": "communication",
    "cial": "commercial",
    "ciale": "commercial",
    "commerc": "commercial",
    "dev": "developpement",
    "devt": "developpement",
    "dvpt": "developpement",
    "sec": "secretaire",
    "secr": "secretaire",
    "secret": "secretaire",
    "coord": "coordinateur",
    "coordo": "coordinateur",
    "ch": "charge",
    "chg": "charge",
    "chge": "charge",
    "charg": "charge",
    "attach": "attache",
    "att": "attache",
    "info": "informatique",
    "inform": "informatique",
    "informat": "informatique",
    "sys": "systeme",
    "syst": "systeme",
    "log": "logistique",
    "logist": "logistique",
    "mkg": "marketing",
    "mktg": "marketing",
    "mkt": "marketing",
    "markt": "marketing",
    "mark": "marketing",
    "market": "marketing",
    "jur": "juridique",
    "juri": "juridique",
    "financ": "financier",
    "fin": "financier",
    "pedago": "pedagogique",
    "pedag": "pedagogique",
    "peda": "pedagogique",
    "ens": "enseignant",
    "enseig": "enseignant",
    "prof": "professeur",
    "entr": "entreprise",
    "entrep": "entreprise",
    "ent": "entreprise",
    "relat": "relation",
    "rel": "relation",
    "cli": "client",
    "clt": "client",
    "clientele": "client",
    "mgr": "manager",
    "mngr": "manager",
    "intl": "international",
    "internat": "international",
    "princ": "principal",
    "pal": "principal",
    "gen": "general",
    "gal": "general",
    "gale": "generale",
    "gle": "generale",
    "admr": "administrateur",
    "adminsys": "administrateur systeme",
    "maint": "maintenance",
    "mainten": "maintenance",
    "form": "formation",
    "forma": "formation",
    "formt": "formateur",
    "appr": "apprentissage",
    "apprent": "apprentissage",
    "doc": "documentation",
    "docum": "documentation",
    "paye": "paie",
    "it": "informatique",
    "rh": "ressources humaines",
    "grh": "gestion ressources humaines",
    "rrh": "responsable ressources humaines",
    "si": "systeme information",
    "sirh": "systeme information ressources humaines",
    "cfe": "centre formalites entreprises",
    "mg": "moyens generaux",
    "sic": "systemes information",
    "ssi": "securite systemes information",
    "srh": "service ressources humaines",
    "cfa": "centre formation apprentis",
    "pao": "publication assistee ordinateur",
    "dao": "dessin assiste ordinateur",
    "ntic": "technologies information communication",
    "rssi": "responsable securite systeme information",
    "qse": "qualite securite environnement",
    "qhse": "qualite hygiene securite environnement",
    "sg": "secretaire general",
    "hdr": "habilite diriger recherches",
    "cvc": "chauffage ventilation climatisation",
    "dpo": "delegue protection donnees",
    "rp": "relations presse",
    "vae": "validation acquis experience",
    "ssiap": "securite incendie",
    "rse": "responsabilite societale entreprises",
    "raf": "responsable administratif financier",
    "adv": "administration ventes",
    "respo": "responsable",
    "proj": "projet",
    "ged": "gestion electronique documents",
    "1": "i",
    "2": "ii",
    "3": "iii",
}
# Management acronyms: a person's title when they open the title ("DRH adjoint"),
# a department's name elsewhere ("Assistante DRH", "Technicien DSI").
DIRECTION_ACRONYMS = {
    "drh": "ressources humaines",
    "daf": "administratif financier",
    "dsi": "systemes information",
    "dg": "general",
    "dga": "general adjoint",
    "dgs": "general services",
    "dcom": "communication",
    "dfc": "financier comptable",
}
STOPWORDS = frozenset(
    {"de", "des", "du", "la", "le", "les", "l", "d", "et", "en", "a", "au", "aux", "pour"}
    | {"sur", "par", "un", "une", "dans", "avec", "ou", "chez", "h", "f", "hf", "fh"}
)
# Words kept whole: level marks and short words that stemming would blur.
_KEEP = frozenset({"i", "ii", "iii", "iv", "cci", "web", "bts"})
_SUFFIXES = (
    ("trices", "teur"),
    ("trice", "teur"),
    ("euses", "eur"),
    ("euse", "eur"),
    ("ives", "if"),
    ("ive", "if"),
    ("iennes", "ien"),
    ("ienne", "ien"),
    ("elles", "el"),
    ("elle", "el"),
    ("eres", "er"),
    ("ere", "er"),
    ("onnes", "on"),  # patronne → patron (not "tonne", "bonne": too short)
    ("onne", "on"),
    ("eaux", "eau"),  # réseaux → réseau, bureaux → bureau (before aux → al)
    ("aux", "al"),
)


# Feminine forms no suffix rule folds, as word endings: appellations may be written in
# either ("Hôtesse d'accueil", "Cheffe de projet", "Contremaîtresse").
_FEMININE_ENDINGS = (
    ("hotesse", "hote"),
    ("maitresse", "maitre"),
    ("cheffe", "chef"),
    ("cheff", "chef"),  # cheff·e
    ("ambassadrice", "ambassadeur"),
    ("manageuse", "manager"),
    ("designeuse", "designer"),
)

_GLUED_FORMS = re.compile(r"(?<=\w{3})(?:(if)ve|(eur)(?:t?rice|ice|euse))$")


def stem(token: str) -> str:
    """A light French stemmer, applied alike to titles and appellations.

    It folds gender and number (formatrice → formateur, chargée → charg,
    administrative → administratif, généraux → general) without claiming to be a
    linguistic analysis: both sides of a comparison go through it.
    """
    if len(token) <= 3 or token in _KEEP or token.isdigit():
        return token
    singular = token[:-1] if token.endswith("s") else token
    for feminine, masculine in _FEMININE_ENDINGS:
        if singular.endswith(feminine):
            token = singular[: -len(feminine)] + masculine
            break
    # Both forms glued once the inclusive mark is lost: administratif·ve, coordinateur·ice.
    token = _GLUED_FORMS.sub(lambda glued: glued.group(1) or glued.group(2), token)
    for suffix, replacement in _SUFFIXES:
        # "trice" after two letters too: actrice, autrice, tutrice.
        shortest = 2 if suffix.startswith("trice") else 3
        if token.endswith(suffix) and len(token) - len(suffix) >= shortest:
            token = token[: -len(suffix)] + replacement
            break
    if token.endswith("s") and len(token) > 4:
        token = token[:-1]
    while token.endswith("e") and len(token) > 4:  # chargée, chargé → charg
        token = token[:-1]
    return token


def title_words(text: str) -> list[str]:
    """The words of a free-text job title, normalised for matching.

    Accents, case, punctuation, gender forms, contract notes and stop words go; HR
    abbreviations and acronyms are expanded; level marks (I, II, senior, adjoint…) stay.
    """
    if "&" in text:
        # Titles copied from a job board's feed keep its HTML entities ("&amp;").
        text = html.unescape(text)
    text = _drop_gender_marks(text)
    text = strip_accents(text).lower().replace("’", "'")
    text = _INCLUSIVE.sub(r"\1", text)
    text = _CONTRACT_NOTES.sub(" ", text)
    raw = _TOKEN.findall(text)
    words: list[str] = []
    for position, token in enumerate(raw):
        if position and token in _LONE_SUFFIXES:
            continue
        if token in DIRECTION_ACRONYMS:
            head = "directeur" if position == 0 else "direction"
            expanded = f"{head} {DIRECTION_ACRONYMS[token]}"
        else:
            expanded = ABBREVIATIONS.get(token, token)
        for word in expanded.split():
            if word not in STOPWORDS:
                words.append(stem(word))
    return words


_SURFACE_TOKEN = re.compile(r"[^\W_]+")


def surface_words(text: str) -> dict[str, str]:
    """Each normalised word of a title (as ``title_words`` gives it) → the word as the
    title writes it: ``Conseiller(ère) pédagogique`` gives ``pedagogiqu`` → ``pédagogique``.
    An abbreviation stands for each word it expands to (``RH``); a word the title only
    has through its whole (a prefix read in context) stands for itself."""
    wanted = title_words(text)
    found: dict[str, str] = {}
    for token in _SURFACE_TOKEN.findall(_drop_gender_marks(text)):
        for word in title_words(token):
            if word in wanted:
                found.setdefault(word, token)
    return {word: found.get(word, word) for word in wanted}


def normalize_title(text: str) -> str:
    return " ".join(title_words(text))


# Level numerals in a title, folded: a job family runs across them (Comptable I, II).
LEVEL_NUMERALS = frozenset({"i", "ii", "iii", "iv"})


def family_key(title: str) -> tuple[str, ...] | None:
    """What jobs of one family share: their title without its level numeral.

    ``Enseignant(e) II`` → ``("enseignant",)``; None for a title without a numeral.
    """
    words = title_words(title)
    if not LEVEL_NUMERALS & set(words):
        return None
    return tuple(word for word in words if word not in LEVEL_NUMERALS)


# --- gender forms of a title ------------------------------------------------------------------

_GENDER_WORD = re.compile(
    # A marked word, and the unmarked adjective right after it, if any.
    r"(\w+)\((e|ère|ere|trice|se|euse|ne|le)\)(?:(\s+)([^\W\d_]+)\b(?!\())?",
    re.IGNORECASE,
)
# Adjectives the document leaves unmarked after a marked noun (Employé(e) administratif).
_ADJECTIVE_ENDINGS = (("if", "ive"), ("al", "ale"), ("ert", "erte"))


def _feminine(word: str, mark: str) -> str:
    lower, mark = word.lower(), mark.lower()
    if mark == "trice" and lower.endswith("teur"):
        return word[:-4] + "trice"
    if mark in {"se", "euse"} and lower.endswith("eur"):
        return word[:-3] + "euse"
    if mark in {"e", "ère", "ere"} and lower.endswith("er"):
        return word[:-2] + "ère"  # Conseiller(e), Conseiller(ère) → Conseillère
    if mark == "e" and lower.endswith("e"):
        return word
    return word + mark


def gender_forms(title: str) -> tuple[str, str]:
    """The masculine and feminine titles a written ``(e)``, ``(trice)``… stands for.

    ``Conseiller(ère) pédagogique`` → (``Conseiller pédagogique``, ``Conseillère
    pédagogique``); a title without marks is both.
    """

    def masculine(match: re.Match[str]) -> str:
        return match.group(1) + (match.group(3) or "") + (match.group(4) or "")

    def feminine(match: re.Match[str]) -> str:
        following = match.group(4) or ""
        for ending, replacement in _ADJECTIVE_ENDINGS:
            if following.lower().endswith(ending):
                following = following[: -len(ending)] + replacement
                break
        return _feminine(match.group(1), match.group(2)) + (match.group(3) or "") + following

    return _GENDER_WORD.sub(masculine, title), _GENDER_WORD.sub(feminine, title)


# --- French typography for printed output -----------------------------------------------------

NBSP = "\u00a0"  # before a colon, inside guillemets
NARROW_NBSP = "\u202f"  # before ; ! ?
# After a word, or at the start of a fragment a template prints after one (``{{ " :"|typo }}``).
_SPACE_BEFORE_COLON = re.compile(r"(?:(?<=[\w)»])|^)[ \u00a0\u202f]?:(?=\s|$)")
_SPACE_BEFORE_HIGH_PUNCTUATION = re.compile(r"(?:(?<=[\w)»])|^)[ \u00a0\u202f]?([;!?])(?=\s|$)")
_OPENING_GUILLEMET = re.compile(r"«[ \u00a0\u202f]?")
_CLOSING_GUILLEMET = re.compile(r"[ \u00a0\u202f]?»")


def french_typography(text: str) -> str:
    """Non-breaking spaces where French typesetting wants them: ``Exigences :``, ``oui ?``.

    A colon gets a no-break space, ``; ! ?`` a narrow one, and guillemets hold their
    words; punctuation glued to a word gets its space (``ceci: cela`` → ``ceci : cela``),
    but times and addresses (``10:30``, ``https://``) are left alone.
    """
    text = _SPACE_BEFORE_COLON.sub(NBSP + ":", text)
    text = _SPACE_BEFORE_HIGH_PUNCTUATION.sub(lambda m: NARROW_NBSP + m.group(1), text)
    text = _OPENING_GUILLEMET.sub("«" + NBSP, text)
    return _CLOSING_GUILLEMET.sub(NBSP + "»", text)
