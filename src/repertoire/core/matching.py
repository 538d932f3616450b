"""Rank the reference jobs of an edition for free-text local job titles.

Each job is known by its title and its *appellations* (other titles that mean it). A
local title is compared with every one of them on two measures, both insensitive to
word order:

- character n-grams (2 to 4, TF-IDF cosine), which survive typos and truncations;
- shared words, weighted by how rare a word is among titles (IDF), as the harmonic
  mean of the share of the appellation found in the title and of the title found in the
  appellation, which rewards a complete match and tolerates extra qualifiers (level marks
  alone in common, "senior", count for nothing: they say no field).

The best appellation gives the job its score; the words of the job's own missions and
requirements, then the service and description columns, can lift a weak score part of
the way to 1 (never past it). A title identical, once normalised, to an appellation
scores 1; a first proposal far ahead of every other field's jobs is lifted to the
bulk-acceptance level (``core/clear_winners.py``). Scores are therefore comparable across
titles, and the benchmark reports the precision of the first proposal above each threshold
(``bench/matching.py``). The
other grades of a fitting job's field (Comptable II after Comptable I, Technicien(ne)
after Employé(e) des moyens généraux) follow it, below it: a title seldom tells a grade.
The head word compared is the role an appellation names, read as a title's is ("Marketing
manager" is a manager). The jobs a ROME appellation lifts alike go by their own
appellations' closeness to the title (ROME_OWN_WORDS).
An appellation naming a head weighs less for a title that names none (HEADLESS), a
generic role alone as an appellation weighs less for a title going on with a field
(BARE_ROLE), and an assistant's for a specialist's title (SPECIALIST_ASSISTANT);
qualifiers (polyvalent) weigh less than the field beside them (QUALIFIER_WEIGHT); an
assistant in a field another role speaks of is the assistant of a field; a head of a field
no appellation names, or a deputy head, has the head of a unit among its proposals.

Everything is computed in batches with sparse matrices, and identical normalised
titles are scored once: a network's 26,000 titles hold far fewer distinct ones.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from repertoire.core.clear_winners import lift_clear_winners
from repertoire.core.document import JobSheet
from repertoire.core.grades import LEVEL_MARKS, Grades
from repertoire.core.reading import (
    Lexicon,
    expression_words,
    lexicon,
    read_title,
    role_first,
    with_synonyms,
)
from repertoire.core.roles import Roles
from repertoire.core.rome import split_gendered_forms
from repertoire.core.text import surface_words, title_words

# Shares of an appellation's score: character n-grams, shared words, and the head word.
# French titles open on the role (assistant, responsable, technicien…) and go on with its
# field: "Assistante RH" is an assistant before it is about human resources.
CHAR_WEIGHT = 0.4
WORD_WEIGHT = 0.4
HEAD_WEIGHT = 0.2
# …unless the role is generic (agent, chargé, technicien…: lexicon's "role" words) and the
# title goes on with a field: then the field decides ("Agent de gestion comptable" is about
# accounting before it is an agent), and the head word keeps only this share.
GENERIC_HEAD_WEIGHT = 0.05
# Level marks evaluate this many times their rarity: an appellation that says "adjoint" or
# "senior" fits a title that does not say it less well.
LEVEL_MARK_WEIGHT = 2.0
# Qualifiers (polyvalent, remplaçant: the lexicon's) say how a role is held, not its field:
# they weigh this share of their rarity ("Agent administratif polyvalent" is the
# administrative agent before the « Agent polyvalent » of general services).
QUALIFIER_WEIGHT = 0.5
# How far the job's missions and requirements can lift a score towards 1.
TEXT_EVIDENCE = 0.2
# How far the service and description columns can lift a score towards 1.
CONTEXT_WEIGHT = 0.15
# ROME appellations (France Travail's second dictionary) score this share of what a curated
# appellation would: curated appellations win ties, and a ROME appellation alone never
# reaches the bulk-acceptance threshold. A job's secondary ROME codes count a little less.
ROME_SHARE = 0.9
ROME_SECONDARY = 0.97
# Among the jobs a ROME appellation lifts alike, the one whose own appellations are closer to
# the title goes first: this share of its curated score, of the way left to 1 (a tie-break).
ROME_OWN_WORDS = 0.02
# An appellation naming a head (responsable, chef, directeur, manager) compared with a
# title that names none: its score is this share ("Marketing digital" is an apprentice's or
# a specialist's title sooner than the "Marketing manager"'s).
HEADLESS = 0.9
# An appellation that is a generic role alone (« Instructeur », « Analyste ») meets a title
# opening on that role and going on with a field on the role word only: the field, which
# decides, is not in it. Its score is this share ("Analyste conformité" is a compliance
# analyst sooner than the bare « Analyste » of market studies).
BARE_ROLE = 0.8
# A specialist (expert, consultant, spécialiste: the lexicon's) read as their field is no
# assistant of it: an assistant's appellation scores this share ("Consultant juridique" is
# the juriste sooner than the « Assistant juridique »).
SPECIALIST_ASSISTANT = 0.9
# An expert whose title the reading left to its field ("Expert Intune" is read "informatique")
# is a senior of that field: the level cues read SENIOR for EXPERT.
EXPERT = title_words("expert")[0]
SENIOR = title_words("senior")[0]
ADJOINT = title_words("adjoint")[0]
ASSISTANT = title_words("assistant")[0]
# Titles scored together: bounds the dense score matrix (rows × appellations).
CHUNK = 1024


@dataclass(frozen=True)
class JobEntry:
    """A reference job as the matcher sees it."""

    code: str
    title: str
    level: int
    appellations: tuple[str, ...] = ()
    text: str = ""
    # The job's ROME codes, its primary code first.
    rome_codes: tuple[str, ...] = ()

    @classmethod
    def from_sheet(
        cls, sheet: JobSheet, appellations: Iterable[str] = (), rome_codes: Iterable[str] = ()
    ) -> JobEntry:
        """A job sheet with its appellations; missions and requirements are its text."""
        items = sheet.missions + sheet.requirements
        return cls(
            code=sheet.code,
            title=sheet.title,
            level=sheet.level,
            appellations=tuple(appellations),
            text=" ".join(item.as_text() for item in items),
            rome_codes=tuple(rome_codes),
        )


@dataclass(frozen=True)
class TitleQuery:
    intitule: str
    service: str = ""
    description: str = ""


@dataclass(frozen=True)
class Candidate:
    code: str
    title: str
    level: int
    score: float
    matched: str
    # The shared words, normalised (``pedagogiqu``), and as the matched title or
    # appellation writes them (``pédagogique``), which the reason quotes.
    words: tuple[str, ...]
    # The ROME code whose appellation ``matched`` is, when the job came through ROME.
    rome_code: str = ""
    written: tuple[str, ...] = ()

    @property
    def reason(self) -> str:
        """Why this job is proposed, in words an HR officer reads."""
        if self.rome_code:
            source = "appellation ROME"
        else:
            source = "intitulé de l'emploi" if self.matched == self.title else "appellation"
        shown = self.written or self.words
        shared = f" ; mots communs : {', '.join(shown)}" if shown else ""
        code = f" ({self.rome_code})" if self.rome_code else ""
        return f"{source} « {self.matched} »{code}{shared}"

    def as_proposal(self, *, digits: int | None = None) -> dict:
        """The candidate as every interface shows and stores it (``digits`` rounds the
        score, as stored proposals keep it)."""
        return {
            "code": self.code,
            "title": self.title,
            "level": self.level,
            "score": self.score if digits is None else round(self.score, digits),
            "matched": self.matched,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class MatchResult:
    query: TitleQuery
    normalized: str
    candidates: tuple[Candidate, ...]


def _analyzer(text: str) -> list[str]:
    return text.split()


@dataclass(frozen=True)
class _Dictionary:
    """One dictionary's titles (curated appellations, or ROME's), vectorised."""

    chars_t: sparse.csr_matrix
    words_t: sparse.csr_matrix
    mass: np.ndarray
    head: np.ndarray
    exact: dict[str, list[int]]
    # Whether each title names a head (responsable, chef, directeur, manager).
    heading: np.ndarray
    # Whether each title is a generic role alone ("Instructeur", "Analyste").
    bare_role: np.ndarray
    # Whether each title is an assistant's ("Assistant juridique").
    assisting: np.ndarray


class MatchingIndex:
    """The appellations of an edition's jobs, vectorised for fast batch matching."""

    def __init__(
        self,
        jobs: Sequence[JobEntry],
        lex: Lexicon | None = None,
        rome: Mapping[str, Sequence[str]] | None = None,
    ):
        """``rome``: the published appellations of ROME codes (``Agent / Agente de …``);
        those of the jobs' codes make a second dictionary."""
        if not jobs:
            raise ValueError("no reference job to match against")
        self.jobs = tuple(jobs)
        names: list[tuple[int, str, str]] = []
        for index, job in enumerate(self.jobs):
            seen: set[str] = set()
            for form in (job.title, *job.appellations):
                normalized = " ".join(title_words(form))
                if normalized and normalized not in seen:
                    seen.add(normalized)
                    names.append((index, form, normalized))
        if {index for index, _, _ in names} != set(range(len(self.jobs))):
            raise ValueError("every reference job needs a title made of words")
        self._name_job = np.array([index for index, _, _ in names])
        self._name_form = [form for _, form, _ in names]
        # Each title's normalised words → as written, for the reasons (read when first
        # quoted: most titles never are).
        self._name_surface: dict[int | tuple[str, int], dict[str, str]] = {}
        normalized_names = [normalized for _, _, normalized in names]
        self._name_normalized = normalized_names
        # Normalised title → the columns (appellations) that spell it exactly.
        self._exact: dict[str, list[int]] = {}
        for column, normalized in enumerate(normalized_names):
            self._exact.setdefault(normalized, []).append(column)
        self._starts = np.searchsorted(self._name_job, np.arange(len(self.jobs)))
        self._rome_setup(rome or {}, set(normalized_names))
        self._lexicon = lex or lexicon()
        # The role word of each appellation, and the words appellations open on.
        self._name_role = [self._role_word(name) for name in normalized_names]
        self._rome_roles = [self._role_word(name) for name in self._rome_normalized]
        openings = [name.split(" ", 1)[0] for name in normalized_names + self._rome_normalized]
        self._head_ids = {
            head: number
            for number, head in enumerate(
                dict.fromkeys(self._name_role + self._rome_roles + openings)
            )
        }
        name_head = np.array([self._head_ids[role] for role in self._name_role])
        self._heads = frozenset(self._head_ids)
        self._known = frozenset(
            word for name in normalized_names + self._rome_normalized for word in name.split()
        )
        self._grades = Grades.of([job.title for job in self.jobs], [job.level for job in self.jobs])
        self._roles = Roles.of(
            normalized_names, self._name_job, self._known, self._lexicon, self._grades
        )

        self._chars = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, dtype=np.float32
        )
        # Compared as titles are read, through the lexicon's synonyms ("Gestionnaire du
        # personnel" with "Gestionnaire RH"); an exact spelling is still the name as written.
        compared = [
            " ".join(with_synonyms(name.split(), self._lexicon)) for name in normalized_names
        ]
        name_chars_t = self._chars.fit_transform(compared).T.tocsr()

        # Word weights: how rare a word is among titles (words only found in job texts
        # count as rare). Presence, not frequency, matters in a title.
        texts = [" ".join(title_words(f"{job.title} {job.text}")) for job in self.jobs]
        self._words = CountVectorizer(analyzer=_analyzer, binary=True, dtype=np.float32)
        self._words.fit(compared + normalized_names + texts)
        name_presence = self._presence(compared)
        document_frequency = np.asarray(name_presence.sum(axis=0)).ravel()
        self._idf = (np.log((1 + len(names)) / (1 + document_frequency)) + 1).astype(np.float32)
        # Level marks weigh more, but alone in common they say no field (``_rank``).
        self._unmarked = np.ones(len(self._idf), dtype=np.float32)
        for word in LEVEL_MARKS:
            if word in self._words.vocabulary_:
                self._idf[self._words.vocabulary_[word]] *= LEVEL_MARK_WEIGHT
                self._unmarked[self._words.vocabulary_[word]] = 0
        for word in self._lexicon.qualifiers:
            if word in self._words.vocabulary_:
                self._idf[self._words.vocabulary_[word]] *= QUALIFIER_WEIGHT
        self._max_idf = float(self._idf.max())
        name_words = name_presence.multiply(self._idf).tocsr()
        self._curated = _Dictionary(
            chars_t=name_chars_t,
            words_t=name_words.T.tocsr(),
            mass=np.asarray(name_words.sum(axis=1)).ravel(),
            head=name_head,
            exact=self._exact,
            heading=self._roles.naming_a_head(normalized_names),
            bare_role=self._bare_roles(normalized_names),
            assisting=np.array([role == ASSISTANT for role in self._name_role]),
        )
        # A job's words: those of its text and of all its titles.
        owner = sparse.csr_matrix(
            (np.ones(len(names), dtype=np.float32), (self._name_job, np.arange(len(names)))),
            shape=(len(self.jobs), len(names)),
        )
        job_words = self._presence(texts) + owner @ name_presence
        self._job_words_t = (job_words > 0).astype(np.float32).T.tocsr()
        self._rome_vectors()

    def _rome_setup(self, rome: Mapping[str, Sequence[str]], curated: set[str]) -> None:
        """The ROME appellations of the jobs' codes, gender pairs split, grouped by code;
        not those the curated dictionary spells (it says which job they mean)."""
        links: dict[str, list[tuple[int, float]]] = {}
        for index, job in enumerate(self.jobs):
            for position, code in enumerate(dict.fromkeys(job.rome_codes)):
                weight = ROME_SHARE * (1 if position == 0 else ROME_SECONDARY)
                links.setdefault(code, []).append((index, weight))
        forms: dict[str, list[tuple[str, str]]] = {}
        for code in sorted(links):
            seen: set[str] = set()
            for published in rome.get(code, ()):
                for form in split_gendered_forms(published):
                    normalized = " ".join(title_words(form))
                    if normalized and normalized not in seen and normalized not in curated:
                        seen.add(normalized)
                        forms.setdefault(code, []).append((published, normalized))
        self._rome_code_list = list(forms)
        self._rome_links = [
            (number, index, weight)
            for number, code in enumerate(self._rome_code_list)
            for index, weight in links[code]
        ]
        self._rome_published = [published for found in forms.values() for published, _ in found]
        self._rome_normalized = [normalized for found in forms.values() for _, normalized in found]
        self._rome_code_of = [number for number, found in enumerate(forms.values()) for _ in found]
        self._rome_code_starts = np.searchsorted(
            np.array(self._rome_code_of, dtype=int), np.arange(len(self._rome_code_list))
        )

    def _rome_vectors(self) -> None:
        names = self._rome_normalized
        self._rome = None
        if not names:
            return
        # Compared as titles are read, as the curated appellations are.
        compared = [" ".join(with_synonyms(name.split(), self._lexicon)) for name in names]
        presence = self._presence(compared)
        exact: dict[str, list[int]] = {}
        for column, normalized in enumerate(names):
            exact.setdefault(normalized, []).append(column)
        self._rome = _Dictionary(
            chars_t=self._chars.transform(compared).T.tocsr(),
            words_t=presence.multiply(self._idf).T.tocsr(),
            mass=self._mass(compared, presence),
            head=np.array([self._head_ids.get(role, -1) for role in self._rome_roles]),
            exact=exact,
            heading=self._roles.naming_a_head(names),
            bare_role=self._bare_roles(names),
            assisting=np.array([role == ASSISTANT for role in self._rome_roles]),
        )

    def _bare_roles(self, names: list[str]) -> np.ndarray:
        """Whether each (normalised) title is a generic role alone."""
        return np.array([name in self._lexicon.roles for name in names])

    def _role_word(self, normalized: str) -> str:
        """The role an appellation names, first as a title is read ("Marketing manager"
        is a manager, "responsable", like the "Responsable marketing")."""
        return role_first(with_synonyms(normalized.split(), self._lexicon), self._lexicon)[0]

    def _head(self, normalized: str) -> int:
        """The id of the first word of a title; -1 when no appellation opens with it."""
        return self._head_ids.get(normalized.split(" ", 1)[0], -1)

    @classmethod
    def build(
        cls,
        jobs: Iterable[JobEntry],
        lex: Lexicon | None = None,
        rome: Mapping[str, Sequence[str]] | None = None,
    ) -> MatchingIndex:
        return cls(list(jobs), lex, rome)

    @property
    def size(self) -> int:
        """Number of distinct titles (job titles and appellations) in the index."""
        return len(self._name_form)

    def _presence(self, texts: list[str]) -> sparse.csr_matrix:
        """1 where a text has a word of the vocabulary."""
        return self._words.transform(texts).tocsr()

    def _mass(self, texts: list[str], presence: sparse.csr_matrix) -> np.ndarray:
        """Total word weight of each text; a word no title has evaluates as the rarest."""
        known = np.asarray(presence.multiply(self._idf).sum(axis=1)).ravel()
        counts = np.array([len(set(text.split())) for text in texts], dtype=np.float32)
        unknown = counts - np.asarray(presence.sum(axis=1)).ravel()
        return known + unknown * self._max_idf

    def match(self, query: TitleQuery | str, top: int = 3) -> MatchResult:
        return self.match_many([query], top=top)[0]

    def match_many(self, queries: Iterable[TitleQuery | str], top: int = 3) -> list[MatchResult]:
        queries = [TitleQuery(q) if isinstance(q, str) else q for q in queries]
        words_cache: dict[str, str] = {}
        readings: dict[str, str] = {}

        def normalize(text: str) -> str:
            if text not in words_cache:
                words_cache[text] = " ".join(title_words(text))
            return words_cache[text]

        def read(text: str) -> str:
            """The title as the matcher reads it; a title that spells an appellation is
            read as written."""
            if text not in readings:
                plain = normalize(text)
                readings[text] = (
                    plain
                    if plain in self._exact
                    else " ".join(
                        read_title(text, self._heads, self._known, self._lexicon, self._exact)
                    )
                )
            return readings[text]

        # (reading, plain normalised title, context): the plain title still counts when it
        # spells an appellation exactly.
        keys = [
            (
                read(q.intitule),
                normalize(q.intitule),
                normalize(f"{q.service} {q.description}".strip()),
            )
            for q in queries
        ]
        unique = list(dict.fromkeys(keys))
        ranked: dict[tuple[str, str, str], tuple[Candidate, ...]] = {}
        for start in range(0, len(unique), CHUNK):
            chunk = unique[start : start + CHUNK]
            ranked.update(zip(chunk, self._rank(chunk, top), strict=True))
        return [
            MatchResult(query, key[1], ranked[key])
            for query, key in zip(queries, keys, strict=True)
        ]

    def _rank(self, keys: list[tuple[str, str, str]], top: int) -> list[tuple[Candidate, ...]]:
        titles = [title for title, _, _ in keys]
        plain = [title for _, title, _ in keys]
        contexts = [context for _, _, context in keys]
        title_chars = self._chars.transform(titles)
        presence = self._presence(titles)
        mass = self._mass(titles, presence)
        title_heads = np.array([self._head(title) for title in titles])[:, None]
        # A generic role whose field decides keeps GENERIC_HEAD_WEIGHT for its head word.
        generic = np.array([self._roles.generic_head(title) for title in titles])[:, None]
        head_weight = np.where(generic, GENERIC_HEAD_WEIGHT, HEAD_WEIGHT).astype(np.float32)
        title_heading = self._roles.naming_a_head(titles)
        specialist = np.array(
            [
                self._roles.specialist_of_field(title, original)
                for title, original in zip(titles, plain, strict=True)
            ]
        )[:, None]

        # Only level marks in common ("senior") say nothing of the field.
        unmarked = presence.multiply(self._unmarked).tocsr()

        def name_scores(names: _Dictionary) -> np.ndarray:
            chars = (title_chars @ names.chars_t).toarray()
            overlap = (presence @ names.words_t).toarray()
            of_name = overlap / names.mass
            of_title = overlap / mass[:, None]
            telling = (unmarked @ names.words_t).toarray() > 0
            words = np.where(telling, 2 * of_name * of_title / (of_name + of_title), 0.0)
            word_weight = WORD_WEIGHT + HEAD_WEIGHT - head_weight
            heads = names.head == title_heads
            scores = CHAR_WEIGHT * chars + word_weight * words + head_weight * heads
            scores *= np.where(~title_heading[:, None] & names.heading[None, :], HEADLESS, 1.0)
            scores *= np.where(generic & heads & names.bare_role[None, :], BARE_ROLE, 1.0)
            scores *= np.where(specialist & names.assisting[None, :], SPECIALIST_ASSISTANT, 1.0)
            # Only a spelled appellation scores 1: one read alike through the synonyms
            # (« Financial controller » for "Contrôleur de gestion") stays just below, so the
            # reason quotes the appellation the title spells.
            np.minimum(scores, np.nextafter(scores.dtype.type(1), 0), out=scores)
            for row, (title, original) in enumerate(zip(titles, plain, strict=True)):
                for column in (*names.exact.get(title, ()), *names.exact.get(original, ())):
                    scores[row, column] = 1.0
            return scores

        with np.errstate(divide="ignore", invalid="ignore"):
            scores = name_scores(self._curated)
            best = np.maximum.reduceat(scores, self._starts, axis=1)
            curated = best.copy()
            rome_scores, via_rome = self._rome_best(name_scores, best)

            evidence = (presence.multiply(self._idf) @ self._job_words_t).toarray()
            best += TEXT_EVIDENCE * np.nan_to_num(evidence / mass[:, None]) * (1 - best)
            context_presence = self._presence(contexts)
            context_mass = self._mass(contexts, context_presence)
            context = (context_presence.multiply(self._idf) @ self._job_words_t).toarray()
            best += CONTEXT_WEIGHT * np.nan_to_num(context / context_mass[:, None]) * (1 - best)

            spelled = [
                title in self._exact or original in self._exact
                for title, original in zip(titles, plain, strict=True)
            ]
            unspelled = [row for row in range(len(titles)) if not spelled[row]]
            for row in unspelled:
                # Within a family, the job a seniority word points to takes the lead; not for
                # a title that spells an appellation (it says which job it means).
                self._grades.apply_level_cues(row, self._level_words(row, titles, plain), best)
                self._roles.lead_with_entry_grade(
                    row, titles[row], best, self._opening(row, scores)
                )
            self._grades.propose_related(best)
            lift_clear_winners(
                best,
                curated,
                via_rome,
                kin=self._grades.kin,
                best_name=lambda row, job: self._name_normalized[self._best_name(job, scores[row])],
                titles=titles,
                plain=plain,
                generic_head=self._roles.generic_head,
                role_alone=self._roles.role_alone,
            )
            for row in unspelled:
                self._roles.lead_with_field_assistant(
                    row, titles[row], best, self._opening(row, scores)
                )
            if via_rome is not None:
                # The jobs one ROME appellation lifted alike, ordered by their own words.
                best += np.where(via_rome, ROME_OWN_WORDS * curated * (1 - best), 0.0)

        results = []
        top = min(top, len(self.jobs))
        for row, title in enumerate(titles):
            if not title:
                results.append(())
                continue
            order = [int(job) for job in np.argsort(-best[row], kind="stable")[:top]]
            # A title spelling an appellation says its job, but a deputy may be the head:
            # "Adjoint au chef de bureau" is proposed the head of a unit too.
            if not spelled[row] or ADJOINT in title.split():
                order = self._roles.with_unit_head(title, plain[row], order)
            results.append(
                tuple(
                    self._candidate(title, row, job, best, scores, rome_scores, via_rome)
                    for job in order
                )
            )
        return results

    def _level_words(self, row: int, titles: list[str], plain: list[str]) -> list[str]:
        """The title's words for its level cues, an expert read as its field a senior."""
        words = titles[row].split()
        if EXPERT in plain[row].split() and EXPERT not in words:
            return [*words, SENIOR]
        return words

    def _rome_best(self, name_scores, best: np.ndarray):
        """Lift each job to the best of its ROME codes' appellations (ROME_SHARE of their
        score), in place; the ROME scores and where ROME won (strictly: curated
        appellations win ties)."""
        if self._rome is None:
            return None, None
        rome_scores = name_scores(self._rome)
        by_code = np.maximum.reduceat(rome_scores, self._rome_code_starts, axis=1)
        lifted = np.zeros_like(best)
        for code, job, weight in self._rome_links:
            np.maximum(lifted[:, job], weight * by_code[:, code], out=lifted[:, job])
        via_rome = lifted > best
        np.maximum(best, lifted, out=best)
        return rome_scores, via_rome

    def _opening(self, row: int, scores: np.ndarray) -> Callable[[int], str]:
        """For a title (its row), the role word of a job's best appellation."""
        return lambda job: self._name_role[self._best_name(job, scores[row])]

    def _best_name(self, job: int, scores: np.ndarray) -> int:
        """The column of the job's curated title or appellation that scores best."""
        start = self._starts[job]
        end = self._starts[job + 1] if job + 1 < len(self._starts) else len(self._name_form)
        return start + int(np.argmax(scores[start:end]))

    def _candidate(self, title, row, job, best, scores, rome_scores, via_rome) -> Candidate:
        rome_code = ""
        if via_rome is not None and via_rome[row, job]:
            column, number = self._best_rome_name(row, job, rome_scores)
            matched = self._rome_published[column]
            rome_code = self._rome_code_list[number]
            key = ("rome", column)
        else:
            name = self._best_name(job, scores[row])
            matched = self._name_form[name]
            key = name
        surface = self._name_surface.get(key)
        if surface is None:
            surface = self._name_surface[key] = surface_words(matched)
        said = expression_words(title.split(), self._lexicon)
        shared = [word for word in dict.fromkeys(said) if word in surface]
        entry = self.jobs[job]
        return Candidate(
            code=entry.code,
            title=entry.title,
            level=entry.level,
            score=round(float(min(best[row, job], 1.0)), 4),
            matched=matched,
            words=tuple(shared),
            rome_code=rome_code,
            written=tuple(dict.fromkeys(surface[word] for word in shared)),
        )

    def _best_rome_name(self, row: int, job: int, rome_scores: np.ndarray) -> tuple[int, int]:
        """The ROME appellation (column, code number) that lifted a job for a title."""
        found = (-1.0, 0, 0)
        for number, linked, weight in self._rome_links:
            if linked != job:
                continue
            start = self._rome_code_starts[number]
            end = (
                self._rome_code_starts[number + 1]
                if number + 1 < len(self._rome_code_starts)
                else len(self._rome_normalized)
            )
            column = start + int(np.argmax(rome_scores[row, start:end]))
            value = weight * rome_scores[row, column]
            if value > found[0]:
                found = (value, column, number)
        return found[1], found[2]
