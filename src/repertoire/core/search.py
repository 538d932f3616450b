"""Full-text search over the reference jobs, in French, as a person types.

An in-memory inverted index (the same index serves the web page and the API, so both
rank alike). Words are folded the way titles are (accents, case, gender forms, plural,
see ``text.stem``); a query word also finds the words it begins (``compta`` → comptable)
and, when the repertoire does not know it, the words one typo away from it.

Fields evaluate differently: a word of the title counts more than one of an appellation,
which counts more than one of the missions or requirements. Jobs that match every query
word come before jobs that match some.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from rapidfuzz.distance import OSA
from rapidfuzz.process import extract

from repertoire.core.grid import MAX_DEGREE, MIN_DEGREE
from repertoire.core.text import (
    ABBREVIATIONS,
    DIRECTION_ACRONYMS,
    STOPWORDS,
    from_roman,
    stem,
    strip_accents,
    title_words,
)

TITLE, APPELLATION, MISSIONS, REQUIREMENTS = "title", "appellation", "missions", "requirements"
FIELD_WEIGHTS = {TITLE: 4.0, APPELLATION: 2.5, MISSIONS: 1.0, REQUIREMENTS: 0.8}
# How much a word found by its beginning, or one typo away, counts against the word itself.
PREFIX_WEIGHT = 0.8
TYPO_WEIGHT = 0.6
# Words sharing their first letters with a long query word are of its family
# (comptabilité, comptable; informatique, informaticien), and count for less.
FAMILY_LENGTH = 7
FAMILY_WEIGHT = 0.7
# What a shorthand begins counts for little next to what it stands for (com → communication).
SHORTHAND_PREFIX_WEIGHT = 0.3
MAX_QUERY_LENGTH = 200
# A query that is exactly a job's title or appellation puts that job ahead.
EXACT_NAME_BONUS = 1.5
MIN_PREFIX_LENGTH = 3
MIN_TYPO_LENGTH = 4
# A short word begins many others: past this many, the rarest are kept.
MAX_EXPANSIONS = 40
# Relevance cut-off. When some job says a query word in its title or an appellation, a
# job that says it only in its missions or requirements (one passing word of one
# requirement) is listed only when it scores at least TEXT_FLOOR of the best of those;
# and a title or appellation hit at least NAME_FLOOR of it (the long tail of titles
# sharing one common word, "chargé", goes).
NAME_FLOOR = 0.1
TEXT_FLOOR = 0.5

_WORD = re.compile(r"[^\W_]+")
# Gender marks in titles, ``Chargé(e)``, ``Formateur(trice)``: blanked so that offsets
# stay those of the original text (for highlighting).
_GENDER_MARK = re.compile(r"\(([^\W\d_]{1,6})\)")


@dataclass(frozen=True)
class SearchableJob:
    """What search knows of one reference job."""

    code: str
    title: str
    level: int
    degrees: tuple[int, ...]
    appellations: tuple[str, ...] = ()
    missions: tuple[str, ...] = ()
    requirements: tuple[str, ...] = ()

    def passages(self) -> Iterable[tuple[str, str]]:
        yield TITLE, self.title
        for appellation in self.appellations:
            yield APPELLATION, appellation
        for text in self.missions:
            yield MISSIONS, text
        for text in self.requirements:
            yield REQUIREMENTS, text


@dataclass(frozen=True)
class Passage:
    """A piece of a job's text with the spans that matched the query."""

    field: str
    text: str
    highlights: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Hit:
    job: SearchableJob
    score: float
    passage: Passage | None
    # Whether the query is found in the job's title or one of its appellations.
    named: bool = False


@dataclass(frozen=True)
class SearchResults:
    query: str
    total: int
    hits: tuple[Hit, ...]
    # Query words that nothing in the repertoire matches, even with a typo.
    unknown_words: tuple[str, ...] = ()
    # Jobs the edition announces but does not describe yet, whose title says the query.
    announced: tuple[str, ...] = ()


def relevant(scores: Sequence[float], named: Sequence[bool]) -> list[bool]:
    """Which hits to list, given each hit's score and whether the query is found in its
    title or an appellation (``named``): when some hit is named, the others must reach a
    share of the best named score (``NAME_FLOOR`` for a named hit, ``TEXT_FLOOR`` for a
    hit in the missions or requirements only). Without any named hit, every hit stays:
    what the texts say is all there is."""
    best = max((score for score, name in zip(scores, named, strict=True) if name), default=0.0)
    if best <= 0:
        return [score > 0 for score in scores]
    return [
        score >= (NAME_FLOOR if name else TEXT_FLOOR) * best
        for score, name in zip(scores, named, strict=True)
    ]


@dataclass(frozen=True)
class DegreeRange:
    low: int
    high: int

    def __contains__(self, degree: int) -> bool:
        return self.low <= degree <= self.high


def parse_degree_range(text: str) -> tuple[str, DegreeRange]:
    """``connaissances:4-6`` (or ``connaissances:5``) → the criterion code and its range."""
    code, _, bounds = text.partition(":")
    low, _, high = bounds.partition("-")
    try:
        low_degree = int(low)
        high_degree = int(high) if high else low_degree
    except ValueError:
        raise ValueError(
            f"« {text} » : attendu critère:min-max, par exemple connaissances:4-6"
        ) from None
    if not code.strip() or low_degree > high_degree:
        raise ValueError(f"« {text} » : attendu critère:min-max, par exemple connaissances:4-6")
    if low_degree < MIN_DEGREE or high_degree > MAX_DEGREE:
        raise ValueError(f"« {text} » : les degrés vont de {MIN_DEGREE} à {MAX_DEGREE}")
    return code.strip(), DegreeRange(low_degree, high_degree)


@dataclass(frozen=True)
class Filters:
    """Restrictions on the jobs: levels, and a degree range per criterion position."""

    levels: frozenset[int] = frozenset()
    degrees: Mapping[int, DegreeRange] = field(default_factory=dict)


def _is_searchable(folded: str) -> bool:
    return folded not in STOPWORDS and (len(folded) > 1 or folded.isdigit())


@lru_cache(maxsize=200_000)
def _term(token: str) -> str | None:
    """The index term of a word as written, or None for a word search ignores."""
    folded = strip_accents(token).lower()
    return stem(folded) if _is_searchable(folded) else None


@lru_cache(maxsize=100_000)
def _words(text: str) -> tuple[tuple[str, int, int], ...]:
    masked = _GENDER_MARK.sub(
        lambda m: m.group(0) if from_roman(m.group(1)) else " " * len(m.group(0)), text
    )
    found = []
    for match in _WORD.finditer(masked):
        term = _term(match.group(0))
        if term is not None:
            found.append((term, match.start(), match.end()))
    return tuple(found)


def words(text: str) -> tuple[tuple[str, int, int], ...]:
    """The searchable words of a text: (term, start, end) in the original text.

    Cached: the same passages are read again to highlight every result page.
    """
    return _words(text)


@dataclass(frozen=True)
class _QueryWord:
    """One word as typed, and the index terms that stand for it with their weight."""

    typed: str
    terms: Mapping[str, float]


class SearchIndex:
    def __init__(self, jobs: Sequence[SearchableJob], announced: Iterable[str] = ()):
        self.jobs = list(jobs)
        # Jobs announced but not described yet: their title and its terms.
        self._announced = [
            (title, frozenset(term for term, _, _ in words(title))) for title in announced
        ]
        # term → (job indexes, best field score of the term in each of those jobs)
        collected: dict[str, tuple[list[int], list[float]]] = {}
        for index, job in enumerate(self.jobs):
            for term, score in self._field_scores(job).items():
                indexes, scores = collected.setdefault(term, ([], []))
                indexes.append(index)
                scores.append(score)
        self._postings = {
            term: (np.array(indexes, dtype=np.int32), np.array(scores))
            for term, (indexes, scores) in collected.items()
        }
        self._vocabulary = sorted(collected)
        self._idf = {
            term: math.log(1 + len(self.jobs) / len(indexes))
            for term, (indexes, _) in collected.items()
        }
        # Titles and appellations by their set of terms: a query that says one of them
        # exactly puts its job first (secrétaire général → the job called so).
        self._named: dict[frozenset[str], set[int]] = {}
        # term → the jobs whose title or an appellation says it (for the cut-off).
        in_names: dict[str, set[int]] = {}
        for index, job in enumerate(self.jobs):
            for field_name, text in job.passages():
                if field_name in (TITLE, APPELLATION):
                    key = frozenset(term for term, _, _ in words(text))
                    self._named.setdefault(key, set()).add(index)
                    for term in key:
                        in_names.setdefault(term, set()).add(index)
        self._name_postings = {
            term: np.array(sorted(indexes), dtype=np.int32) for term, indexes in in_names.items()
        }
        # For filters: a level and a row of degrees per job.
        self._levels = np.array([job.level for job in self.jobs], dtype=np.int16)
        criteria = len(self.jobs[0].degrees) if self.jobs else 0
        self._degrees = np.array([job.degrees for job in self.jobs], dtype=np.int16).reshape(
            len(self.jobs), criteria
        )

    @classmethod
    def build(cls, jobs: Iterable[SearchableJob], announced: Iterable[str] = ()) -> SearchIndex:
        return cls(list(jobs), announced)

    @staticmethod
    def _field_scores(job: SearchableJob) -> dict[str, float]:
        """Per term, its best score in the job: field weight, saturated by repetition.

        Each passage counts on its own: a job with forty appellations does not outrank
        one whose single appellation says exactly the query.
        """
        scores: dict[str, float] = {}
        for field_name, text in job.passages():
            counts: dict[str, int] = {}
            for term, _, _ in words(text):
                counts[term] = counts.get(term, 0) + 1
            for term, count in counts.items():
                # Saturating: the tenth mention of a word says little more than the second.
                score = FIELD_WEIGHTS[field_name] * count / (count + 0.5)
                if score > scores.get(term, 0.0):
                    scores[term] = score
        return scores

    # --- queries ----------------------------------------------------------------------

    def _expand(self, typed: str, prefix_weight: float = PREFIX_WEIGHT) -> dict[str, float]:
        """The index terms a typed word stands for, with their weight.

        The word itself; the words it begins (``compta`` → comptable); words of its
        family (``comptabilité`` → comptable, by a shared beginning); and only when the
        repertoire does not know it, the words one typo away.
        """
        folded = strip_accents(typed).lower()
        terms: dict[str, float] = {}
        for candidate in (stem(folded), folded):
            if candidate in self._postings:
                terms[candidate] = 1.0
        if len(folded) >= MIN_PREFIX_LENGTH:
            for term in self._starting_with(folded):
                terms.setdefault(term, prefix_weight)
        if len(folded) >= FAMILY_LENGTH + 1:
            for term in self._starting_with(folded[:FAMILY_LENGTH]):
                terms.setdefault(term, FAMILY_WEIGHT)
        if not terms and len(folded) >= MIN_TYPO_LENGTH:
            for term in self._one_typo_from(stem(folded)):
                terms.setdefault(term, TYPO_WEIGHT)
        return terms

    def _starting_with(self, prefix: str) -> list[str]:
        start = bisect.bisect_left(self._vocabulary, prefix)
        found = []
        for term in self._vocabulary[start:]:
            if not term.startswith(prefix):
                break
            found.append(term)
        if len(found) > MAX_EXPANSIONS:
            found = sorted(found, key=lambda t: -self._idf[t])[:MAX_EXPANSIONS]
        return found

    def _one_typo_from(self, term: str) -> list[str]:
        # OSA: two letters swapped (secretiare) is one typo, as a person counts it.
        matches = extract(term, self._vocabulary, scorer=OSA.distance, score_cutoff=1, limit=None)
        return [candidate for candidate, _, _ in matches]

    def query_words(self, query: str) -> list[_QueryWord]:
        typed_words = []
        for match in _WORD.finditer(query[:MAX_QUERY_LENGTH]):
            typed = match.group(0)
            folded = strip_accents(typed).lower()
            if not _is_searchable(folded):
                continue
            if folded in DIRECTION_ACRONYMS:
                meaning = title_words(folded)  # DRH: directeur ressources humaines
            elif folded in ABBREVIATIONS and (
                " " in ABBREVIATIONS[folded] or stem(folded) not in self._postings
            ):
                # RH (ressources humaines) always; Resp., Gest., Com. unless the
                # repertoire uses the word itself (fin de contrat is not financier).
                meaning = title_words(ABBREVIATIONS[folded])
            else:
                typed_words.append(_QueryWord(typed, self._expand(typed)))
                continue
            # The shorthand as written, or each word it stands for. What a short
            # shorthand begins counts for little (com: communication, not commis).
            truncation = len(folded) >= 5 and ABBREVIATIONS.get(folded, "").startswith(folded)
            literal = self._expand(
                folded, prefix_weight=PREFIX_WEIGHT if truncation else SHORTHAND_PREFIX_WEIGHT
            )
            for word in meaning:
                terms = dict(literal)
                for term, weight in self._expand(word).items():
                    terms[term] = max(weight, terms.get(term, 0.0))
                typed_words.append(_QueryWord(typed, terms))
        return typed_words

    def search(
        self,
        query: str,
        filters: Filters | None = None,
        limit: int = 20,
        offset: int = 0,
        *,
        cut: bool = True,
    ) -> SearchResults:
        """The jobs for ``query``, best first; ``cut``: without the tail ``relevant``
        leaves out."""
        filters = filters or Filters()
        query_words = self.query_words(query)
        unknown = tuple(word.typed for word in query_words if not word.terms)
        if not query.strip():
            # No words: browse the jobs the filters keep, by level, then as the document has them.
            order = np.lexsort((np.arange(len(self.jobs)), self._levels))
            ranked = [(int(i), 0.0, False) for i in order[self._accepted(filters)[order]]]
        elif not query_words:
            ranked = []  # only stop words or single letters: nothing to look for yet
        else:
            ranked = self._rank(query_words, filters, cut=cut)
        page = ranked[offset : offset + limit]
        terms = {term for word in query_words for term in word.terms}
        hits = tuple(
            Hit(self.jobs[index], round(score, 4), best_passage(self.jobs[index], terms), named)
            for index, score, named in page
        )
        return SearchResults(query, len(ranked), hits, unknown, self.announced_for(query))

    def announced_for(self, query: str) -> tuple[str, ...]:
        """The announced jobs whose title says every word of the query (a word, or the
        beginning of one: ``compta``)."""
        typed = [
            strip_accents(match.group(0)).lower()
            for match in _WORD.finditer(query[:MAX_QUERY_LENGTH])
        ]
        typed = [word for word in typed if _is_searchable(word)]
        if not typed:
            return ()
        return tuple(
            title
            for title, terms in self._announced
            if all(
                stem(word) in terms
                or (len(word) >= MIN_PREFIX_LENGTH and any(t.startswith(word) for t in terms))
                for word in typed
            )
        )

    def _accepted(self, filters: Filters) -> np.ndarray:
        keep = np.ones(len(self.jobs), dtype=bool)
        if filters.levels:
            keep &= np.isin(self._levels, list(filters.levels))
        for position, bounds in filters.degrees.items():
            column = self._degrees[:, position]
            keep &= (column >= bounds.low) & (column <= bounds.high)
        return keep

    def _rank(
        self, query_words: list[_QueryWord], filters: Filters, *, cut: bool = True
    ) -> list[tuple[int, float, bool]]:
        total = np.zeros(len(self.jobs))
        matched = np.zeros(len(self.jobs))
        named = np.zeros(len(self.jobs), dtype=bool)
        for word in query_words:
            # A typed word counts once per job, through its best term there.
            best = np.zeros(len(self.jobs))
            for term, weight in word.terms.items():
                indexes, scores = self._postings[term]
                best[indexes] = np.maximum(best[indexes], scores * (self._idf[term] * weight))
                if term in self._name_postings:
                    named[self._name_postings[term]] = True
            total += best
            matched += best > 0
        scores = total * (matched / len(query_words)) ** 2
        said = frozenset(stem(strip_accents(word.typed).lower()) for word in query_words)
        for index in self._named.get(said, ()):
            scores[index] *= EXACT_NAME_BONUS
        candidates = np.flatnonzero((scores > 0) & self._accepted(filters))
        # Best score first; ties keep the repertoire's order (by level, then document).
        order = candidates[np.lexsort((candidates, -scores[candidates]))]
        if cut and len(order):
            order = order[relevant(scores[order].tolist(), named[order].tolist())]
        top = scores[order[0]] if len(order) else 1.0
        return [(int(index), float(scores[index] / top), bool(named[index])) for index in order]


def best_passage(job: SearchableJob, terms: set[str]) -> Passage | None:
    """The passage of the job that holds the most query terms, weighted by its field."""
    if not terms:
        return None
    best: Passage | None = None
    best_value = 0.0
    for field_name, text in job.passages():
        spans = []
        found = set()
        for term, start, end in words(text):
            if term in terms:
                spans.append((start, end))
                found.add(term)
        value = len(found) * FIELD_WEIGHTS[field_name]
        if value > best_value:
            best, best_value = Passage(field_name, text, tuple(spans)), value
    return best
