"""Pay transparency (Directive (EU) 2023/970): the pay-gap indicators of article 9, the
pay ranges behind the pay structure of articles 5–6, and the information a worker may
ask for under article 7.

Plain records in, plain dicts out: the caller (the equal-pay app) reads pay from an
employee file (``core.payroll.Pay``) and a category from the classification, and keeps
or shows what comes back. Everything is computed on full-time-equivalent pay (annual
pay ÷ share of full time) so that part-timers compare with full-timers, and in
``Decimal`` so that a figure computed by hand is the figure shown.

Small groups: a gap between fewer than ``MIN_GROUP`` women or men would show one
person's pay, so it is not computed (None) — in a category, for the whole scope, and
for the variable-pay indicators among those who receive variable pay.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

WOMEN, MEN = "F", "M"
SEXES = (WOMEN, MEN)
# Fewest women and fewest men a gap is computed on (and fewest people a range shows).
MIN_GROUP = 3
# Article 10: a gap of at least 5 % in a category calls for a joint pay assessment
# (unless justified by objective, gender-neutral criteria). Compared with the gap as it is
# shown (one decimal): a category shown at 5.0 % is flagged, so the page never shows a
# gap of 5.0 % without its flag.
FLAG_THRESHOLD_PCT = Decimal(5)
QUARTILES = 4
PERCENT_PLACES = Decimal("0.1")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class PayRecord:
    """One worker's pay for the year and the category of workers they belong to.

    ``base`` and ``variable`` are the annual gross amounts actually paid; ``variable``
    covers every complementary or variable component (bonuses, allowances…);
    ``working_time`` is the share of full time, in (0, 1]. ``job`` is optional (a
    reference job's key) and only passed through.
    """

    sex: str
    base: Decimal
    variable: Decimal
    working_time: Decimal
    category: str
    job: str | None = None

    def __post_init__(self) -> None:
        for name in ("base", "variable", "working_time"):
            value = getattr(self, name)
            if not isinstance(value, Decimal):
                # Floats through their shortest text: 0.8 is 0.8, not 0.8000000000000000444.
                object.__setattr__(self, name, Decimal(str(value)))
        if self.sex not in SEXES:
            raise ValueError(f"sex must be one of {SEXES}, not {self.sex!r}")
        if self.base < 0 or self.variable < 0:
            raise ValueError("pay amounts cannot be negative")
        if not 0 < self.working_time <= 1:
            raise ValueError(f"working time must be in (0, 1], not {self.working_time}")

    @property
    def fte_base(self) -> Decimal:
        return self.base / self.working_time

    @property
    def fte_variable(self) -> Decimal:
        return self.variable / self.working_time

    @property
    def fte_total(self) -> Decimal:
        return (self.base + self.variable) / self.working_time

    @property
    def has_variable(self) -> bool:
        return self.variable > 0


# --- arithmetic ------------------------------------------------------------------------


def mean(values: Sequence[Decimal]) -> Decimal:
    return sum(values, Decimal(0)) / len(values)


def median(values: Sequence[Decimal]) -> Decimal:
    """The middle value; with an even count, the mean of the two middle values."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def gap(men: Decimal, women: Decimal) -> Decimal | None:
    """The directive's pay gap, in %: (men − women) ÷ men × 100; None if men's is 0."""
    if men == 0:
        return None
    return (men - women) / men * 100


def percent(value: Decimal | None) -> float | None:
    """A percentage as shown: one decimal, rounded half up — half away from zero, so a
    gap and its opposite show the same digits — as a JSON number (never ``-0.0``)."""
    if value is None:
        return None
    return float(value.quantize(PERCENT_PLACES, rounding=ROUND_HALF_UP)) + 0.0


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def enough(women: int, men: int) -> bool:
    """Whether a gap may be shown between this many women and men."""
    return women >= MIN_GROUP and men >= MIN_GROUP


def _by_sex(records: Iterable[PayRecord]) -> tuple[list[PayRecord], list[PayRecord]]:
    women = [record for record in records if record.sex == WOMEN]
    men = [record for record in records if record.sex == MEN]
    return women, men


def _gap_of(
    women: list[PayRecord],
    men: list[PayRecord],
    pay: Callable[[PayRecord], Decimal],
    average: Callable[[Sequence[Decimal]], Decimal],
) -> Decimal | None:
    """The exact gap of one pay measure, None below the small-group rule."""
    if not enough(len(women), len(men)):
        return None
    return gap(average([pay(r) for r in men]), average([pay(r) for r in women]))


def _fte_total(record: PayRecord) -> Decimal:
    return record.fte_total


def _fte_base(record: PayRecord) -> Decimal:
    return record.fte_base


def _fte_variable(record: PayRecord) -> Decimal:
    return record.fte_variable


# --- article 9: the pay-gap report -----------------------------------------------------


def pay_gap_report(
    records: Iterable[PayRecord],
    *,
    scope: str,
    year: int,
    category_key: Callable[[str], Any] | None = None,
) -> dict[str, Any]:
    """The indicators of article 9(1), (a) to (g), for one scope (an establishment, a
    region…) and one year, as a JSON-ready dict.

    Gaps are in %, one decimal, None where not computable: fewer than ``MIN_GROUP``
    women or men (in the scope, in a category, or among those receiving variable pay for
    (b) and (d)), or a men's value of 0. Below the small-group rule for the whole scope,
    the shares (e) and (f) are None too, as they would place individuals. Categories come
    in the order of ``category_key`` applied to their labels (default: the labels).
    """
    records = list(records)
    women, men = _by_sex(records)
    scope_enough = enough(len(women), len(men))
    women_paid = [r for r in women if r.has_variable]
    men_paid = [r for r in men if r.has_variable]
    variable_enough = scope_enough and enough(len(women_paid), len(men_paid))

    def share(paid: list[PayRecord], everyone: list[PayRecord]) -> float | None:
        return percent(Decimal(len(paid)) / len(everyone) * 100) if scope_enough else None

    return {
        "scope": scope,
        "year": year,
        "population": {"women": len(women), "men": len(men)},
        # (a) and (c): total pay, full-time equivalent.
        "mean_gap_pct": percent(_gap_of(women, men, _fte_total, mean)),
        "median_gap_pct": percent(_gap_of(women, men, _fte_total, median)),
        # (b) and (d): variable pay, among those who receive any.
        "variable_mean_gap_pct": percent(
            _gap_of(women_paid, men_paid, _fte_variable, mean) if variable_enough else None
        ),
        "variable_median_gap_pct": percent(
            _gap_of(women_paid, men_paid, _fte_variable, median) if variable_enough else None
        ),
        # (e): the share of each sex receiving variable pay.
        "variable_share": {"women": share(women_paid, women), "men": share(men_paid, men)},
        # (f): the share of women and men in each quartile pay band.
        "quartiles": _quartile_shares(records, shown=scope_enough),
        # (g): by category of workers, broken down into base and variable pay.
        "categories": [
            _category_gaps(label, members) for label, members in _categories(records, category_key)
        ],
    }


def _categories(
    records: list[PayRecord], category_key: Callable[[str], Any] | None
) -> list[tuple[str, list[PayRecord]]]:
    groups: dict[str, list[PayRecord]] = {}
    for record in records:
        groups.setdefault(record.category, []).append(record)
    order = sorted(groups, key=category_key) if category_key else sorted(groups)
    return [(label, groups[label]) for label in order]


def _category_gaps(label: str, members: list[PayRecord]) -> dict[str, Any]:
    """Article 9(1)(g) for one category. The variable gap is on the mean variable pay of
    all the category's members (none is 0), so base and variable read as two parts of
    the total."""
    women, men = _by_sex(members)
    insufficient = not enough(len(women), len(men))
    mean_gap = _gap_of(women, men, _fte_total, mean)
    return {
        "category": label,
        "women": len(women),
        "men": len(men),
        "insufficient": insufficient,
        "mean_gap_pct": percent(mean_gap),
        "median_gap_pct": percent(_gap_of(women, men, _fte_total, median)),
        "base_mean_gap_pct": percent(_gap_of(women, men, _fte_base, mean)),
        "variable_mean_gap_pct": percent(_gap_of(women, men, _fte_variable, mean)),
        "flag": mean_gap is not None and abs(percent(mean_gap)) >= FLAG_THRESHOLD_PCT,
    }


def quartile_bands(records: Iterable[PayRecord]) -> list[list[PayRecord]]:
    """The four quartile pay bands, Q1 the lowest, by total FTE pay.

    A population of ``4q + r`` people is cut into bands of ``q + 1`` people for the
    first ``r`` bands (the lowest) and ``q`` for the others: 7 → 2, 2, 2, 1;
    8 → 2, 2, 2, 2; 9 → 3, 2, 2, 2. People with the same total FTE pay are ordered
    women and men alternately, a woman first, then the rest of the more numerous sex,
    so that a tie cut by a band boundary is shared between the sexes as evenly as it
    can be, and the bands do not depend on the order of the records.
    """
    ordered = _pay_order(list(records))
    size, extra = divmod(len(ordered), QUARTILES)
    bands: list[list[PayRecord]] = []
    start = 0
    for index in range(QUARTILES):
        count = size + (1 if index < extra else 0)
        bands.append(ordered[start : start + count])
        start += count
    return bands


def _pay_order(records: list[PayRecord]) -> list[PayRecord]:
    ties: dict[Decimal, tuple[list[PayRecord], list[PayRecord]]] = {}
    for record in records:
        women, men = ties.setdefault(record.fte_total, ([], []))
        (women if record.sex == WOMEN else men).append(record)
    ordered: list[PayRecord] = []
    for total in sorted(ties):
        women, men = ties[total]
        for index in range(max(len(women), len(men))):
            ordered.extend(women[index : index + 1])
            ordered.extend(men[index : index + 1])
    return ordered


def _quartile_shares(records: list[PayRecord], *, shown: bool) -> list[dict[str, Any]]:
    shares = []
    for number, band in enumerate(quartile_bands(records), start=1):
        women = sum(1 for record in band if record.sex == WOMEN)
        visible = shown and bool(band)
        shares.append(
            {
                "quartile": number,
                "women_pct": percent(Decimal(women) / len(band) * 100) if visible else None,
                "men_pct": percent(Decimal(len(band) - women) / len(band) * 100)
                if visible
                else None,
            }
        )
    return shares


# --- articles 5–6: pay ranges ----------------------------------------------------------


def pay_ranges(
    records: Iterable[PayRecord], *, category_key: Callable[[str], Any] | None = None
) -> list[dict[str, Any]]:
    """The range of FTE base pay actually paid in each category (categories with at
    least one person), for showing the pay structure.

    Every category shows its headcount; its minimum, median and maximum (``Decimal``,
    to the cent) only from ``MIN_GROUP`` people on — in a category of one or two, they
    are individual pay people can tell apart — and None below.
    """
    ranges = []
    for label, members in _categories(list(records), category_key):
        pays = sorted(record.fte_base for record in members)
        shown = len(pays) >= MIN_GROUP
        ranges.append(
            {
                "category": label,
                "headcount": len(pays),
                "minimum": money(pays[0]) if shown else None,
                "median": money(median(pays)) if shown else None,
                "maximum": money(pays[-1]) if shown else None,
            }
        )
    return ranges


# --- article 7: a worker's information -------------------------------------------------


def worker_information(
    record: PayRecord, records_of_same_category: Iterable[PayRecord]
) -> dict[str, Any]:
    """What a worker may ask for under article 7: their own FTE pay and the mean FTE
    total pay of the women and of the men of their category (amounts as ``Decimal``, to
    the cent).

    ``records_of_same_category`` is the whole category, the worker included. A sex's
    mean is given only from ``MIN_GROUP`` people on (else None): with one or two, it
    would be a colleague's pay.
    """
    members = list(records_of_same_category)
    if any(member.category != record.category for member in members):
        raise ValueError("records_of_same_category holds records of another category")
    if record not in members:
        raise ValueError("records_of_same_category must include the worker's own record")
    women, men = _by_sex(members)

    def average(group: list[PayRecord]) -> dict[str, Any]:
        shown = len(group) >= MIN_GROUP
        return {
            "headcount": len(group),
            "mean_pay": money(mean([r.fte_total for r in group])) if shown else None,
        }

    return {
        "category": record.category,
        "own": {
            "working_time": record.working_time,
            "base": money(record.fte_base),
            "variable": money(record.fte_variable),
            "total": money(record.fte_total),
        },
        "women": average(women),
        "men": average(men),
    }
