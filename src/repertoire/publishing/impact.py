"""The impact of a new edition as data: the JSON of ``repertoire impact --json`` and of
``GET /api/editions/impact``. Headcounts only: nobody is named."""

from __future__ import annotations

from collections.abc import Iterable

from repertoire.core.editions import EstablishmentImpact

# The headcounts, then who is affected at all.
COUNTS = (*EstablishmentImpact.COUNTS, "affected")


def _by_level(counter) -> dict[str, int]:
    # JSON keys are strings; the level numbers in order.
    return {str(level): counter[level] for level in sorted(counter)}


def establishment_impact_dict(row: EstablishmentImpact) -> dict:
    return {
        "establishment": row.establishment,
        **{name: getattr(row, name) for name in COUNTS},
        "by_level_before": _by_level(row.by_level_before),
        "by_level_after": _by_level(row.by_level_after),
    }


def impact_dict(impact, include: Iterable[str] = ()) -> dict:
    """``impact`` is a ``positioning.selectors.EditionImpact``; the establishments named in
    ``include`` are listed even when nobody there is positioned."""
    rows = dict(impact.by_establishment)
    for code in include:
        rows.setdefault(code, EstablishmentImpact(code))
    return {
        "from": impact.before.label,
        "to": impact.after.label,
        "establishments": [establishment_impact_dict(rows[code]) for code in sorted(rows)],
        "total": establishment_impact_dict(impact.total),
    }
