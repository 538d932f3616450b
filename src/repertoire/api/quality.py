"""The measured precision of the matching engine's proposals over HTTP: how often HR kept
the first proposal, by job family and by score band, for an establishment in the caller's
scope or over the network."""

from __future__ import annotations

from ninja import Field, Query, Router, Schema

from repertoire.accounts.selectors import role_of
from repertoire.api import lookups
from repertoire.api.auth import signed_in
from repertoire.api.errors import ERRORS
from repertoire.catalog import selectors as catalog
from repertoire.core.proposal_quality import Precision
from repertoire.core.refusals import NotAllowed
from repertoire.positioning import selectors

router = Router(auth=signed_in(), tags=["positioning"])


class PrecisionOut(Schema):
    decided: int = Field(description="first proposals HR decided on")
    kept: int = Field(description="of which HR placed the person on the proposed job")
    precision: float | None = Field(description="kept / decided; null when none decided")


class FamilyPrecisionOut(PrecisionOut):
    family: str = Field(description="the first proposal's job title without its numeral")


class BandPrecisionOut(PrecisionOut):
    low: float = Field(description="lowest score of the band")
    high: float | None = Field(description="score the band stops below; null for the last")


class QualityOut(Schema):
    scope: str = Field(description='an establishment code, or "network"')
    edition: str
    overall: PrecisionOut
    by_family: list[FamilyPrecisionOut]
    by_score_band: list[BandPrecisionOut]
    bulk_accept_threshold: float = Field(description="the confidence the worklist offers")
    above_threshold: PrecisionOut = Field(
        description="the first proposals scored at or above the bulk-acceptance threshold"
    )


def _figures(measure: Precision) -> dict:
    return {"decided": measure.decided, "kept": measure.kept, "precision": measure.precision}


@router.get("/matching/quality", response={200: QualityOut, **ERRORS})
def matching_quality(
    request,
    establishment: str | None = Query(
        None, max_length=32, description="an establishment code; the network by default"
    ),
):
    """How often HR kept the engine's first proposal, measured on their decisions."""
    if role_of(request.user) is None:
        raise NotAllowed("aucun rôle ne vous est attribué")
    place = lookups.establishment(request.user, establishment) if establishment else None
    edition = catalog.get_edition()
    quality = selectors.proposal_quality(place, edition)
    return {
        "scope": place.code if place is not None else "network",
        "edition": edition.label,
        "overall": _figures(quality.overall),
        "by_family": [{"family": f.label, **_figures(f)} for f in quality.by_family],
        "by_score_band": [
            {"low": band.low, "high": band.high, **_figures(band)} for band in quality.by_band
        ],
        "bulk_accept_threshold": selectors.bulk_accept_threshold(),
        "above_threshold": _figures(quality.above),
    }
