"""How often HR kept the matching engine's first proposal: the measured precision of the
proposals, by job family and by score band.

It is what sets the confidence above which accepting proposals in bulk is safe: a band
whose proposals HR kept nearly always may be accepted together; one where HR often chose
another job may not. The figures come from decisions (one per positioning: HR's first),
never from a number typed in.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

# Lower edges of the score bands (a score falls in the last band whose edge it reaches).
SCORE_BANDS = (0.0, 0.5, 0.7, 0.8, 0.9, 0.95)
_NUMERAL = re.compile(r"\s*\(?\b(?:I|II|III|IV|V|VI|VII|VIII)\b\)?")


@dataclass(frozen=True)
class Decision:
    """One HR decision on a proposal: the first proposal's job family and score, and
    whether HR placed the person on that job."""

    family: str
    score: float
    kept: bool


@dataclass(frozen=True)
class Precision:
    """Of ``decided`` first proposals, ``kept`` were kept."""

    label: str
    decided: int
    kept: int
    low: float | None = None  # a score band's edges
    high: float | None = None

    @property
    def precision(self) -> float | None:
        return self.kept / self.decided if self.decided else None


@dataclass(frozen=True)
class Quality:
    overall: Precision
    by_family: tuple[Precision, ...]
    by_band: tuple[Precision, ...]
    # The proposals scored at or above the bulk-acceptance threshold, if one is given.
    above: Precision | None = None


def family_of(title: str) -> str:
    """A job's family: its title without its level numeral (``Comptable II`` → ``Comptable``);
    a job without a numeral is a family of its own."""
    return " ".join(_NUMERAL.sub(" ", title).split()) or title


def band_of(score: float, edges: tuple[float, ...] = SCORE_BANDS) -> int:
    """The index of the band a score falls in."""
    index = 0
    for position, edge in enumerate(edges):
        if score >= edge:
            index = position
    return index


def measure(
    decisions: Iterable[Decision],
    edges: tuple[float, ...] = SCORE_BANDS,
    *,
    threshold: float | None = None,
) -> Quality:
    """The precision overall, by family (most decided first), by score band (every band,
    lowest first, empty ones included) and, given a threshold, at or above it."""
    families: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    bands = [[0, 0] for _ in edges]
    decided = kept = 0
    above = [0, 0]
    for decision in decisions:
        decided += 1
        kept += decision.kept
        if threshold is not None and decision.score >= threshold:
            above[0] += 1
            above[1] += decision.kept
        families[decision.family][0] += 1
        families[decision.family][1] += decision.kept
        band = bands[band_of(decision.score, edges)]
        band[0] += 1
        band[1] += decision.kept
    by_family = tuple(
        Precision(family, counts[0], counts[1])
        for family, counts in sorted(families.items(), key=lambda item: (-item[1][0], item[0]))
    )
    by_band = tuple(
        Precision(
            _band_label(low, high),
            counts[0],
            counts[1],
            low=low,
            high=high,
        )
        for low, high, counts in zip(edges, (*edges[1:], None), bands, strict=True)
    )
    at_threshold = (
        Precision(_band_label(threshold, None), *above, low=threshold)
        if threshold is not None
        else None
    )
    return Quality(Precision("", decided, kept), by_family, by_band, at_threshold)


def _band_label(low: float, high: float | None) -> str:
    return f"≥ {low:.2f}" if high is None else f"{low:.2f}–{high:.2f}"


@dataclass(frozen=True)
class Row:
    """One family or band, in one establishment and over the network."""

    label: str
    here: Precision | None
    network: Precision | None


def side_by_side(here: tuple[Precision, ...], network: tuple[Precision, ...]) -> list[Row]:
    """The rows of two measures by label, in the network's order, then those only here."""
    mine = {item.label: item for item in here}
    rows = [Row(item.label, mine.pop(item.label, None), item) for item in network]
    return rows + [Row(label, item, None) for label, item in mine.items()]
