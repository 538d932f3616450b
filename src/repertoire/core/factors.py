"""Which of the pay-transparency directive's factors an edition's criteria cover.

Directive (EU) 2023/970, article 4(4): the value of work is assessed on skills, effort,
responsibility and working conditions. A classification grid that leaves one out (often
effort or working conditions, where jobs held mostly by women are demanding) may
undervalue some jobs. This module reads the criteria's own words — label and
description — against a small French vocabulary per factor and shows, for each factor,
which criteria cover it and the very words that matched, so a person can judge the
finding rather than trust it. It does not judge whether the grid is neutral.

The vocabulary is stems matched at the start of a word, without accents or case
(``responsabilit`` finds « Responsabilités »); a term of several words matches those
words in sequence (``conditions de travail``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from repertoire.core.text import strip_accents

FACTORS = ("skills", "effort", "responsibility", "working_conditions")
FACTOR_LABELS = {
    "skills": "Compétences",
    "effort": "Efforts",
    "responsibility": "Responsabilités",
    "working_conditions": "Conditions de travail",
}
# Written without accents, in lower case. Kept small and specific: a word that also
# means something else (« charge » in « chargé de… ») only counts in a phrase.
VOCABULARY: dict[str, tuple[str, ...]] = {
    "skills": (
        "connaissance",
        "savoir",
        "competence",
        "formation",
        "experience",
        "technique",
        "technicite",
        "expertise",
        "maitrise",
        "qualification",
        "diplome",
        "aptitude",
        "habilete",
    ),
    "effort": (
        "effort",
        "physique",
        "mental",
        "charge de travail",
        "charge mentale",
        "charge physique",
        "charge emotionnelle",
        "concentration",
        "vigilance",
        "penibilite",
        "penible",
        "fatigue",
        "stress",
        "cadence",
        "emotion",
    ),
    "responsibility": (
        "responsabilit",
        "encadrement",
        "encadrer",
        "decision",
        "consequence",
        "engage",
        "autonomi",
    ),
    "working_conditions": (
        "conditions de travail",
        "environnement",
        "horaire",
        "risque",
        "deplacement",
        "nuisance",
        "bruit",
        "intemperie",
        "insalubr",
        "danger",
        "astreinte",
        "travail de nuit",
        "exposition",
    ),
}


class CriterionLike(Protocol):
    code: str
    label: str


@dataclass(frozen=True)
class CriterionText:
    """A criterion's words: the edition's criteria (a model with ``code``, ``label`` and
    ``description`` will do as well)."""

    code: str
    label: str
    description: str = ""


@dataclass(frozen=True)
class CriterionMatch:
    """A criterion that covers a factor: the words of its label or description that
    matched, as written there, and the vocabulary terms they matched."""

    code: str
    label: str
    words: tuple[str, ...]
    terms: tuple[str, ...]


@dataclass(frozen=True)
class FactorCoverage:
    factor: str
    label: str
    matches: tuple[CriterionMatch, ...]

    @property
    def covered(self) -> bool:
        return bool(self.matches)

    @property
    def criteria(self) -> tuple[str, ...]:
        return tuple(match.code for match in self.matches)


@dataclass(frozen=True)
class GridCoverage:
    factors: tuple[FactorCoverage, ...]

    def factor(self, factor: str) -> FactorCoverage:
        return next(coverage for coverage in self.factors if coverage.factor == factor)

    @property
    def uncovered(self) -> tuple[str, ...]:
        """The factors no criterion covers, in the directive's order."""
        return tuple(coverage.factor for coverage in self.factors if not coverage.covered)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: ``{"factors": [{"factor", "label", "covered", "criteria": [{"code",
        "label", "words", "terms"}]}], "uncovered": [...]}``."""
        return {
            "factors": [
                {
                    "factor": coverage.factor,
                    "label": coverage.label,
                    "covered": coverage.covered,
                    "criteria": [
                        {
                            "code": match.code,
                            "label": match.label,
                            "words": list(match.words),
                            "terms": list(match.terms),
                        }
                        for match in coverage.matches
                    ],
                }
                for coverage in self.factors
            ],
            "uncovered": list(self.uncovered),
        }


def _pattern(term: str) -> re.Pattern[str]:
    # The term's words in sequence, the last one possibly continued (stems, plurals,
    # hyphenated compounds: « savoir-faire »).
    words = [re.escape(word) for word in term.split()]
    return re.compile(r"\b" + r" +".join(words) + r"[\w-]*")


_PATTERNS = {
    factor: tuple((term, _pattern(term)) for term in terms) for factor, terms in VOCABULARY.items()
}


def _folded(text: str) -> tuple[str, list[int]]:
    """The text without accents or case, punctuation as spaces (hyphens kept), and the
    position in the original text of each of its characters."""
    folded: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        for plain in strip_accents(char).lower():
            folded.append(plain if plain.isalnum() or plain == "-" else " ")
            origin.append(index)
    return "".join(folded), origin


def find_words(text: str, factor: str) -> list[tuple[str, str]]:
    """The (word as written, term) pairs of ``text`` that speak of ``factor``, in order."""
    folded, origin = _folded(text)
    found: list[tuple[int, str, str]] = []
    for term, pattern in _PATTERNS[factor]:
        for match in pattern.finditer(folded):
            start, end = match.start(), match.end()
            written = text[origin[start] : origin[end - 1] + 1].rstrip("-")
            found.append((start, written, term))
    return [(written, term) for _, written, term in sorted(found)]


def factor_coverage(criteria: Iterable[CriterionLike]) -> GridCoverage:
    """For each factor, the criteria whose label or description speak of it, with the
    words that do, in the order of the criteria."""
    criteria = list(criteria)
    factors = []
    for factor in FACTORS:
        matches = []
        for criterion in criteria:
            text = f"{criterion.label}\n{getattr(criterion, 'description', '') or ''}"
            found = find_words(text, factor)
            if found:
                matches.append(
                    CriterionMatch(
                        code=criterion.code,
                        label=criterion.label,
                        words=tuple(dict.fromkeys(written for written, _ in found)),
                        terms=tuple(dict.fromkeys(term for _, term in found)),
                    )
                )
        factors.append(FactorCoverage(factor, FACTOR_LABELS[factor], tuple(matches)))
    return GridCoverage(tuple(factors))
