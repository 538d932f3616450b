"""French text normalisation shared by the importer, the catalog and matching.

Titles in the repertoire are written in several ways for the same job: capitals in the
job sheets (``CONSEILLER(E) D'ENTREPRISE (I)``), sentence case in the sommaire
(``Conseiller(ère) d'entreprise I``). A *title key* removes what does not change the
job (case, accents, gender marks, punctuation) and keeps what does (level numerals).
"""

from __future__ import annotations

import re
import unicodedata

ROMAN_NUMERALS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")

_PARENTHESISED = re.compile(r"\(([^()]*)\)")
_ROMAN = re.compile(r"^[IVX]+$", re.IGNORECASE)
_NON_WORD = re.compile(r"[^0-9a-z]+")
# Elided articles and prepositions (d', l', qu') carry no meaning in a title or a code.
_ELISION = re.compile(r"\b(?:d|l|qu|j|n|s|c)['’]", re.IGNORECASE)


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
    """Remove ``(e)``, ``(ère)``, ``(trice)``, ``(se)``, ``(le)``…; unwrap ``(II)``."""

    def replace(match: re.Match[str]) -> str:
        inner = match.group(1).strip()
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
