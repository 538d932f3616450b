"""Reports over HTTP: headcounts by status, level, job and establishment, progress and
appeals, for the caller's scope (their establishment, the network for national
administrators)."""

from ninja import Field, Query, Router, Schema

from repertoire.api import lookups
from repertoire.api.auth import signed_in
from repertoire.api.errors import ERRORS
from repertoire.catalog import selectors as catalog
from repertoire.positioning import selectors

router = Router(auth=signed_in(), tags=["positioning"])


# --- shapes ---------------------------------------------------------------------------


class JobHeadcountOut(Schema):
    code: str | None = Field(description='a reference job code, or "pesee-<id>"')
    title: str | None
    level: int | None
    headcount: int
    evaluation: int | None = Field(None, description="the evaluated local job's id, if one")


class EstablishmentCountsOut(Schema):
    code: str
    name: str
    employees: int
    decided: int
    notified: int
    appeals: int


class ReportOut(Schema):
    scope: str
    employees: int = Field(description="employees with a positioning in the current edition")
    by_status: dict[str, int]
    by_level: dict[str, int] = Field(description="decided positionings by level number")
    by_job: list[JobHeadcountOut]
    by_establishment: list[EstablishmentCountsOut]
    appeals_by_status: dict[str, int]
    appeals_by_kind: dict[str, int]
    decided: int
    progress: float


# --- endpoints ------------------------------------------------------------------------


# Its id is kept from when it was served beside the positionings.
@router.get(
    "/reports",
    response={200: ReportOut, **ERRORS},
    operation_id="repertoire_api_positionings_report",
)
def report(
    request,
    establishment: str | None = Query(None, max_length=32),
    edition: str | None = Query(
        None, max_length=64, description="edition label; in force by default"
    ),
):
    """Headcounts by status, level, job and establishment, progress and appeals."""
    place = lookups.establishment(request.user, establishment) if establishment else None
    result = selectors.report_for(request.user, place, catalog.get_edition(edition))
    return {
        "scope": result.scope,
        "employees": result.employees,
        "by_status": result.by_status,
        "by_level": {str(level): count for level, count in result.by_level.items()},
        "by_job": result.by_job,
        "by_establishment": result.by_establishment,
        "appeals_by_status": result.appeals_by_status,
        "appeals_by_kind": result.appeals_by_kind,
        "decided": result.decided,
        "progress": result.progress,
    }
