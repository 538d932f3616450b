"""Criteria, degrees, levels and the rules that turn five degrees into a level.

The document gives every reference job its degrees and its level but does not write the
rule between them. Two simple rules reproduce all the levels of the 2014 edition; which
one an edition uses is configuration (``LevelRule.code``), and a rule is only accepted
for an edition if it reproduces the level of every reference job (``calibrate``).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from repertoire.core.refusals import Refused
from repertoire.core.text import to_roman

MIN_DEGREE = 1
MAX_DEGREE = 8
MIN_LEVEL = 1
MAX_LEVEL = 8
# A criterion this many degrees or more away from the median makes a profile unbalanced.
UNBALANCED_GAP = 3


@dataclass(frozen=True)
class Criterion:
    code: str
    label: str


@dataclass(frozen=True)
class ReferenceProfile:
    """A reference job as the grid sees it: its degrees and its declared level."""

    name: str
    degrees: tuple[int, ...]
    level: int


@dataclass(frozen=True)
class Notice:
    """A warning attached to a classification: a stable code and a French message."""

    code: str
    message: str


@dataclass(frozen=True)
class Classification:
    level: int
    rule: str
    explanation: str
    total: int
    median: int
    band: tuple[int, int]
    warnings: tuple[Notice, ...] = ()

    @property
    def roman(self) -> str:
        return to_roman(self.level)


class InvalidDegrees(Refused):
    """Degrees that no rule can classify: wrong count or outside the scale."""


def validate_degrees(degrees: Sequence[int], criteria_count: int) -> tuple[int, ...]:
    if len(degrees) != criteria_count:
        raise InvalidDegrees(f"{criteria_count} degrés attendus, {len(degrees)} reçus")
    for degree in degrees:
        if isinstance(degree, bool) or not isinstance(degree, int):
            raise InvalidDegrees(f"degré non entier : {degree!r}")
        if not MIN_DEGREE <= degree <= MAX_DEGREE:
            raise InvalidDegrees(f"degré {degree} hors de l'échelle {MIN_DEGREE}–{MAX_DEGREE}")
    return tuple(degrees)


def median_degree(degrees: Sequence[int]) -> int:
    # With an even number of criteria the lower middle degree is taken: a level is
    # never granted on half a degree.
    return statistics.median_low(degrees)


@dataclass(frozen=True)
class LevelRule:
    """Turns degrees into a level. Subclasses say how, and over which quantity."""

    code: str = ""
    label: str = ""

    def level(self, degrees: Sequence[int]) -> int:
        raise NotImplementedError

    def band(self, degrees: Sequence[int]) -> tuple[int, int]:
        """The range of the rule's quantity (total, median) that gives the same level."""
        raise NotImplementedError

    def quantity(self, degrees: Sequence[int]) -> int:
        raise NotImplementedError

    def explain(self, degrees: Sequence[int]) -> str:
        raise NotImplementedError

    def bands(self, criteria_count: int) -> dict[int, tuple[int, int]]:
        """Per level, the range of the rule's quantity that gives it."""
        return {
            level: self.band((level,) * criteria_count) for level in range(MIN_LEVEL, MAX_LEVEL + 1)
        }


@dataclass(frozen=True)
class TotalPointsRule(LevelRule):
    """Total of the degrees, in bands as wide as the number of criteria.

    With five criteria: 5–7 → I, 8–12 → II, …, 33–37 → VII, 38–40 → VIII, i.e. the level
    is the mean degree rounded to the nearest whole degree (halves round up).
    """

    code: str = "total_points"
    label: str = "Total des points par tranches"

    @staticmethod
    def level_for_total(total: int, criteria_count: int) -> int:
        level = math.floor(total / criteria_count + 0.5)
        return max(MIN_LEVEL, min(MAX_LEVEL, level))

    def level(self, degrees: Sequence[int]) -> int:
        return self.level_for_total(sum(degrees), len(degrees))

    def quantity(self, degrees: Sequence[int]) -> int:
        return sum(degrees)

    def band(self, degrees: Sequence[int]) -> tuple[int, int]:
        count = len(degrees)
        level = self.level(degrees)
        totals = [
            total
            for total in range(MIN_DEGREE * count, MAX_DEGREE * count + 1)
            if self.level_for_total(total, count) == level
        ]
        return totals[0], totals[-1]

    def explain(self, degrees: Sequence[int]) -> str:
        low, high = self.band(degrees)
        return (
            f"Total des points {sum(degrees)}, dans la tranche {low}–{high} : "
            f"niveau {to_roman(self.level(degrees))}"
        )


@dataclass(frozen=True)
class MedianRule(LevelRule):
    """The level is the median degree."""

    code: str = "median"
    label: str = "Degré médian"

    def level(self, degrees: Sequence[int]) -> int:
        return median_degree(degrees)

    def quantity(self, degrees: Sequence[int]) -> int:
        return median_degree(degrees)

    def band(self, degrees: Sequence[int]) -> tuple[int, int]:
        median = median_degree(degrees)
        return median, median

    def explain(self, degrees: Sequence[int]) -> str:
        ordered = ", ".join(str(d) for d in sorted(degrees))
        return (
            f"Degré médian {median_degree(degrees)} (degrés classés : {ordered}) : "
            f"niveau {to_roman(self.level(degrees))}"
        )


RULES: dict[str, LevelRule] = {rule.code: rule for rule in (TotalPointsRule(), MedianRule())}
DEFAULT_RULE = TotalPointsRule.code


def get_rule(code: str) -> LevelRule:
    try:
        return RULES[code]
    except KeyError:
        known = ", ".join(RULES)
        raise ValueError(f"règle inconnue « {code} » (règles connues : {known})") from None


@dataclass(frozen=True)
class Misclassification:
    reference: ReferenceProfile
    computed: int

    def describe(self) -> str:
        return (
            f"{self.reference.name} : niveau déclaré {to_roman(self.reference.level)}, "
            f"la règle donne {to_roman(self.computed)}"
        )


class RuleRefused(Refused):
    """A rule that does not reproduce the level of every reference job of its edition."""

    def __init__(self, rule: LevelRule, misclassified: Sequence[Misclassification]):
        self.rule = rule
        self.misclassified = tuple(misclassified)
        names = "; ".join(m.describe() for m in self.misclassified)
        super().__init__(
            f"la règle « {rule.code} » classe mal {len(self.misclassified)} emploi(s) : {names}"
        )


def calibrate(rule: LevelRule, references: Iterable[ReferenceProfile]) -> list[Misclassification]:
    """The reference jobs whose declared level the rule does not reproduce."""
    return [
        Misclassification(reference, rule.level(reference.degrees))
        for reference in references
        if rule.level(reference.degrees) != reference.level
    ]


@dataclass(frozen=True)
class LevelChange:
    """A reference job whose level a change of rule would change."""

    reference: ReferenceProfile
    after: int

    @property
    def before(self) -> int:
        return self.reference.level

    def describe(self) -> str:
        return f"{self.reference.name} : niveau {to_roman(self.before)} → {to_roman(self.after)}"


def level_changes(
    before: LevelRule, after: LevelRule, references: Iterable[ReferenceProfile]
) -> list[LevelChange]:
    """The jobs whose level follows ``before`` (their level is the one it gives) and
    that ``after`` would put at another level: what switching a draft's rule does to its
    jobs. A job declared at a level its rule does not give keeps its declared level."""
    return [
        LevelChange(reference, after.level(reference.degrees))
        for reference in references
        if before.level(reference.degrees) == reference.level
        and after.level(reference.degrees) != reference.level
    ]


def choose_rule(references: Sequence[ReferenceProfile], preferred: str | None = None) -> LevelRule:
    """The preferred rule if it calibrates; without a preference, the first rule that does.

    Raises ``RuleRefused`` for a preferred rule that misclassifies, or for the default
    rule when no rule calibrates.
    """
    if preferred is not None:
        rule = get_rule(preferred)
        misclassified = calibrate(rule, references)
        if misclassified:
            raise RuleRefused(rule, misclassified)
        return rule
    ordered = [RULES[DEFAULT_RULE], *(r for c, r in RULES.items() if c != DEFAULT_RULE)]
    for rule in ordered:
        if not calibrate(rule, references):
            return rule
    raise RuleRefused(ordered[0], calibrate(ordered[0], references))


@dataclass(frozen=True)
class Grid:
    """The criteria and rule of an edition, with its reference jobs as calibration."""

    criteria: tuple[Criterion, ...]
    rule: LevelRule = field(default_factory=TotalPointsRule)
    references: tuple[ReferenceProfile, ...] = ()

    @cached_property
    def _observed(self) -> dict[int, tuple[int, int]]:
        # A grid is frozen: its references are read once (10,000 jobs in a large edition).
        observed: dict[int, list[int]] = {}
        for reference in self.references:
            observed.setdefault(reference.level, []).append(self.rule.quantity(reference.degrees))
        return {level: (min(values), max(values)) for level, values in observed.items()}

    def observed_quantities(self) -> dict[int, tuple[int, int]]:
        """Per level, the lowest and highest rule quantity among reference jobs."""
        return dict(self._observed)

    def classify(self, degrees: Sequence[int]) -> Classification:
        degrees = validate_degrees(degrees, len(self.criteria))
        level = self.rule.level(degrees)
        return Classification(
            level=level,
            rule=self.rule.code,
            explanation=self.rule.explain(degrees),
            total=sum(degrees),
            median=median_degree(degrees),
            band=self.rule.band(degrees),
            warnings=tuple(self._warnings(degrees, level)),
        )

    def _warnings(self, degrees: tuple[int, ...], level: int) -> Iterable[Notice]:
        others = {
            code: rule.level(degrees) for code, rule in RULES.items() if code != self.rule.code
        }
        for code, other_level in others.items():
            if other_level != level:
                yield Notice(
                    "rules_disagree",
                    f"Les règles divergent : la règle « {RULES[code].label} » donnerait le "
                    f"niveau {to_roman(other_level)} au lieu de {to_roman(level)}",
                )
        yield from self._unobserved_band_edge(degrees, level)
        median = median_degree(degrees)
        for criterion, degree in zip(self.criteria, degrees, strict=True):
            if abs(degree - median) >= UNBALANCED_GAP:
                yield Notice(
                    "unbalanced_profile",
                    f"Profil déséquilibré : {criterion.label} au degré {degree}, "
                    f"à {abs(degree - median)} degrés de la médiane ({median})",
                )

    def _unobserved_band_edge(self, degrees: tuple[int, ...], level: int) -> Iterable[Notice]:
        """A quantity between the observed ranges of two adjacent levels.

        The reference jobs fix where each band starts and ends only as far as their own
        totals reach; a total in the gap between two levels is placed by the rule alone.
        """
        if not self.references:
            return
        observed = self.observed_quantities()
        quantity = self.rule.quantity(degrees)
        if level not in observed:
            yield Notice(
                "unobserved_band_edge",
                f"Aucun emploi repère au niveau {to_roman(level)} : la tranche n'est pas "
                "confirmée par le répertoire",
            )
            return
        low, high = observed[level]
        below = max((hi for lvl, (_, hi) in observed.items() if lvl < level), default=None)
        above = min((lo for lvl, (lo, _) in observed.items() if lvl > level), default=None)
        outside_below = quantity < low and below is not None
        outside_above = quantity > high and above is not None
        if outside_below or outside_above:
            yield Notice(
                "unobserved_band_edge",
                f"Valeur {quantity} en bord de tranche non observé : les emplois repères du "
                f"niveau {to_roman(level)} vont de {low} à {high}",
            )
