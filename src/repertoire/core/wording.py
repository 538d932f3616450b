"""French wording of names in a sentence: an establishment with its article after « à »,
« de » or « par », a job title as the repertoire spells it rather than as payroll typed it.

    with_preposition("à", "CCI de démonstration Nord")  → "à la CCI de démonstration Nord"
    with_preposition("de", "Groupe Formation Sud")      → "du Groupe Formation Sud"
    with_preposition("à", "Aéroport de Lille")          → "à l'Aéroport de Lille"
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from repertoire.core.text import gender_forms, sentence_case, title_key

# The first word of an establishment's name and the article it takes. Chambers are
# feminine (« la CCI », « la Chambre »); the schools, groups and ports they run, masculine
# or feminine by their noun. A name starting with none of them (a town, a brand) takes none.
FEMININE = frozenset(
    {
        "cci",
        "ccir",
        "ccit",
        "ccim",
        "cma",
        "chambre",
        "delegation",
        "ecole",
        "agence",
        "maison",
        "region",
        "direction",
        "federation",
        "association",
        "universite",
        "societe",
    }
)
MASCULINE = frozenset(
    {
        "groupe",
        "centre",
        "campus",
        "institut",
        "port",
        "aeroport",
        "pole",
        "service",
        "syndicat",
        "conseil",
        "etablissement",
        "reseau",
        "palais",
    }
)
_ARTICLE = re.compile(r"^(?:(la|le|les)\s+|(l)['’]\s*)", re.IGNORECASE)
_VOWEL = re.compile(r"^[aeiouyhàâäéèêëîïôöùûü]", re.IGNORECASE)
# « à le » → « au », « de les » → « des »…
_CONTRACTED = {
    ("à", "le"): "au",
    ("à", "les"): "aux",
    ("de", "le"): "du",
    ("de", "les"): "des",
}


def article_of(name: str) -> tuple[str, str]:
    """The definite article an establishment's name takes (``la``, ``le``, ``l'``, ``les``
    or ``""``) and the name without an article it already starts with."""
    name = " ".join(name.split())
    written = _ARTICLE.match(name)
    if written:
        bare = name[written.end() :]
        article = (written.group(1) or "l'").lower()
        return (article, bare)
    first = title_key(name.split(" ", 1)[0]) if name else ""
    if first in FEMININE or first in MASCULINE:
        if _VOWEL.match(name):
            return ("l'", name)
        return ("la" if first in FEMININE else "le", name)
    return ("", name)


def with_preposition(preposition: str, name: str) -> str:
    """``à``, ``de`` or ``par`` followed by the establishment's name and its article."""
    article, bare = article_of(name)
    if not article:
        if preposition == "de" and _VOWEL.match(bare):
            return f"d'{bare}"
        return f"{preposition} {bare}"
    contracted = _CONTRACTED.get((preposition, article))
    if contracted:
        return f"{contracted} {bare}"
    if article == "l'":
        return f"{preposition} l'{bare}"
    return f"{preposition} {article} {bare}"


def spellings(known: Iterable[str]) -> dict[str, str]:
    """The repertoire's spelling of each title by its key, each gender form on its own
    (``Assistant(e) de direction`` spells both ``assistant…`` and ``assistante…``)."""
    found: dict[str, str] = {}
    for spelling in known:
        for form in (*gender_forms(spelling), spelling):
            found.setdefault(title_key(form), form)
    return found


def display_title(title: str, spelled: Mapping[str, str] | None = None) -> str:
    """A job title as a letter quotes it: as typed when it has small letters; when payroll
    typed it in capitals (accents lost), the repertoire's spelling of the same title (a
    reference job or an appellation, see ``spellings``), else in sentence case."""
    title = " ".join(title.split())
    if not title or title != title.upper():
        return title
    return (spelled or {}).get(title_key(title)) or sentence_case(title)
