"""The definition texts of the classification levels, as a document prints them under its
job sheets: which text is a level's usual one, which are variants, and which a copy error
put under the wrong level."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

# Two definition texts this alike are the same text, one of them altered.
SAME_TEXT_SIMILARITY = 0.8
# Characters of each text compared (the comparison's cost grows with the square of the
# length): four times the longest level definition of the 2014 document (488).
COMPARED_CHARS = 2_000


@dataclass(frozen=True)
class LevelDefinitions:
    """The definition texts of each level, and the level each printed text belongs to.

    The document prints the definition of the level under every job. Most jobs of a level
    carry the same text (its *usual* text); some carry a variant, and some carry another
    level's text by a copy error. A text belongs to the level whose usual text it is
    closest to.
    """

    by_level: dict[int, tuple[tuple[str, ...], ...]]
    home: dict[tuple[str, ...], int]

    @classmethod
    def of(cls, jobs: Iterable) -> LevelDefinitions:
        """From the job sheets of a document (anything with ``level`` and ``level_text``)."""
        jobs = list(jobs)
        counts: dict[int, Counter[tuple[str, ...]]] = {}
        for job in jobs:
            if job.level_text:
                counts.setdefault(job.level, Counter())[job.level_text] += 1
        usual = {level: counter.most_common(1)[0][0] for level, counter in counts.items()}
        home: dict[tuple[str, ...], int] = {}
        for job in jobs:
            text = job.level_text
            if not text or text in home:
                continue
            home[text] = _closest_level(text, job.level, usual)
        by_level: dict[int, list[tuple[str, ...]]] = {}
        # The usual text comes first, then variants in document order.
        for level, text in sorted(usual.items()):
            if home[text] == level:
                by_level.setdefault(level, []).append(text)
        for text, level in home.items():
            if text not in by_level.setdefault(level, []):
                by_level[level].append(text)
        return cls({level: tuple(texts) for level, texts in sorted(by_level.items())}, home)


# Every import, copy and check of a document compares the same few texts again.
@lru_cache(maxsize=4096)
def _similarity(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    first, second = " ".join(a)[:COMPARED_CHARS], " ".join(b)[:COMPARED_CHARS]
    return SequenceMatcher(None, first, second, autojunk=False).ratio()


def _closest_level(text: tuple[str, ...], printed_level: int, usual: dict) -> int:
    for level, usual_text in usual.items():
        if text == usual_text and level == printed_level:
            return level
    scores = {level: _similarity(text, usual_text) for level, usual_text in usual.items()}
    best = max(scores, key=lambda level: (scores[level], level == printed_level))
    closer_elsewhere = scores[best] > scores.get(printed_level, 0.0)
    if best != printed_level and scores[best] >= SAME_TEXT_SIMILARITY and closer_elsewhere:
        return best
    return printed_level
