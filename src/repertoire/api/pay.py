"""Equal pay over HTTP (Directive (EU) 2023/970): the pay-gap report of article 9 and the
pay ranges per level of articles 5–6, for the caller's scope.

Signed-in users only. National administrators: any establishment, or the network (no
``establishment``); HR officers and readers: their own establishment (the default).
Readers, as staff representatives, see these aggregated figures, never a person's pay.
An establishment outside the caller's scope is not found (404); a year without pay data
in the scope too.
"""

from typing import Literal

from django.http import Http404
from ninja import Field, Query, Router, Schema

from repertoire.api import lookups
from repertoire.api.auth import signed_in
from repertoire.api.errors import ERRORS
from repertoire.api.schemas import ErrorOut
from repertoire.pay import selectors

router = Router(auth=signed_in(), tags=["equal pay"])

# 403: a role that sees no pay report (a user without an establishment).
PAY_ERRORS = {403: ErrorOut, **ERRORS}
PERCENT = "in %, one decimal; null where not computable (fewer than 3 women or 3 men)"


# --- shapes ---------------------------------------------------------------------------


class PopulationOut(Schema):
    women: int
    men: int


class ShareOut(Schema):
    women: float | None = Field(description=PERCENT)
    men: float | None = Field(description=PERCENT)


class QuartileOut(Schema):
    quartile: int = Field(description="1 = the lowest quarter of the population by total pay")
    women_pct: float | None = Field(description=PERCENT)
    men_pct: float | None = Field(description=PERCENT)


class CategoryGapOut(Schema):
    category: str = Field(description='a level ("niveau IV") or, by job, a job\'s title')
    women: int
    men: int
    insufficient: bool = Field(description="fewer than 3 women or 3 men: no gap is computed")
    mean_gap_pct: float | None = Field(description=PERCENT)
    median_gap_pct: float | None = Field(description=PERCENT)
    base_mean_gap_pct: float | None = Field(description=PERCENT)
    variable_mean_gap_pct: float | None = Field(description=PERCENT)
    flag: bool = Field(description="mean gap of 5 % or more in absolute value")


class PayGapOut(Schema):
    """Article 9(1) of the directive, (a) to (g), on full-time-equivalent pay; a gap is
    (men's value − women's value) ÷ men's value × 100."""

    scope: str = Field(description='the establishment\'s code, or "network"')
    year: int | None = Field(description="the reference year; null when there is no pay data")
    population: PopulationOut
    mean_gap_pct: float | None = Field(description=f"(a) total pay; {PERCENT}")
    median_gap_pct: float | None = Field(description=f"(c) total pay; {PERCENT}")
    variable_mean_gap_pct: float | None = Field(
        description=f"(b) among those receiving variable pay; {PERCENT}"
    )
    variable_median_gap_pct: float | None = Field(
        description=f"(d) among those receiving variable pay; {PERCENT}"
    )
    variable_share: ShareOut = Field(description="(e) share of each sex receiving variable pay")
    quartiles: list[QuartileOut] = Field(description="(f) share of each sex in each pay band")
    categories: list[CategoryGapOut] = Field(description="(g) by category of workers")


class PayRangeOut(Schema):
    category: str = Field(description='a level ("niveau IV")')
    headcount: int
    minimum: float | None = Field(description="FTE base pay, euros; null below 3 people")
    median: float | None = Field(description="FTE base pay, euros; null below 3 people")
    maximum: float | None = Field(description="FTE base pay, euros; null below 3 people")


class PayRangesOut(Schema):
    scope: str = Field(description='the establishment\'s code, or "network"')
    year: int | None = Field(description="the reference year; null when there is no pay data")
    ranges: list[PayRangeOut]


# --- the scope and year asked for --------------------------------------------------------

EstablishmentQuery = Query(
    None, max_length=32, description="an establishment's code; by default the caller's own "
    "(national administrators: the whole network)"
)  # fmt: skip
YearQuery = Query(
    None, ge=1900, le=2999, description="reference year; by default the latest with pay data"
)


def _asked(request, establishment: str | None, year: int | None):
    """The establishment asked for (None: the caller's default scope) and the year, or 404
    for one outside the caller's scope or a year without pay data there."""
    place = lookups.establishment(request.user, establishment) if establishment else None
    if year is not None and year not in selectors.years(request.user, place):
        where = place.code if place else "votre périmètre"
        raise Http404(f"aucune donnée de rémunération pour {year} ({where})")
    return place


# --- endpoints ------------------------------------------------------------------------


@router.get("/pay-gap", response={200: PayGapOut, **PAY_ERRORS})
def pay_gap(
    request,
    establishment: str | None = EstablishmentQuery,
    year: int | None = YearQuery,
    by: Literal["level", "job"] = Query(
        "level", description="category of workers: the level of the job held, or the job"
    ),
):
    """The gender pay gap report of article 9 of Directive (EU) 2023/970, by category."""
    place = _asked(request, establishment, year)
    return selectors.gap_report(request.user, establishment=place, year=year, by=by)


@router.get("/pay-ranges", response={200: PayRangesOut, **PAY_ERRORS})
def pay_ranges(
    request,
    establishment: str | None = EstablishmentQuery,
    year: int | None = YearQuery,
):
    """The range of full-time base pay per level (minimum, median, maximum, headcount)."""
    place = _asked(request, establishment, year)
    return {
        "scope": selectors.scope_label(selectors.scope_of(request.user, place)),
        "year": year if year is not None else _latest(selectors.years(request.user, place)),
        "ranges": selectors.ranges(request.user, establishment=place, year=year),
    }


def _latest(years: list[int]) -> int | None:
    return years[0] if years else None
