"""Appeals over HTTP: an employee's appeal against their notified positioning, and the
commission's decision.

The same rules as the positionings API: signed in by session or ``Authorization:
Bearer``; an appeal, a positioning or an establishment outside the caller's scope answers
404; writing is for HR officers of the establishment and national administrators (403).
"""

import datetime as dt
from typing import Literal

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from repertoire.api import lookups
from repertoire.api.auth import signed_in
from repertoire.api.errors import ERRORS, WRITE_ERRORS, refusals
from repertoire.api.pagination import BoundedLimitOffset
from repertoire.api.shapes import (
    HIDDEN_FROM_READERS,
    EvaluationRefOut,
    Id,
    JobRefOut,
    Level,
    PositioningStatus,
    evaluation_ref,
    for_writers,
    job_ref,
    name_of,
)
from repertoire.positioning import selectors, services
from repertoire.positioning.models import Appeal

router = Router(auth=signed_in(), tags=["positioning"])

# These operations were first served beside the positionings: their ids are kept, as the
# clients generated from the OpenAPI document know them.
OPERATION_ID = "repertoire_api_positionings_{}".format
AppealKind = Literal[tuple(Appeal.Kind.values)]
AppealStatus = Literal[tuple(Appeal.Status.values)]


# --- shapes ---------------------------------------------------------------------------


class AppealOut(Schema):
    id: int
    positioning: int
    positioning_status: PositioningStatus
    employee: int
    employee_name: str
    establishment: str
    job: JobRefOut | None = Field(description="the positioning's current job")
    evaluation: EvaluationRefOut | None = Field(
        description="or the evaluated local job it currently rests on"
    )
    level: int | None
    kind: AppealKind
    argument: str | None = Field(description=HIDDEN_FROM_READERS)
    received_on: dt.date
    deadline: dt.date
    status: AppealStatus
    reasoning: str | None = Field(description=HIDDEN_FROM_READERS)
    opened_by: str
    opened_at: dt.datetime
    decided_by: str
    decided_on: dt.date | None

    @staticmethod
    def resolve_positioning(appeal: Appeal) -> int:
        return appeal.positioning_id

    @staticmethod
    def resolve_positioning_status(appeal: Appeal) -> str:
        return appeal.positioning.status

    @staticmethod
    def resolve_employee(appeal: Appeal) -> int:
        return appeal.positioning.employee_id

    @staticmethod
    def resolve_employee_name(appeal: Appeal) -> str:
        return name_of(appeal.positioning.employee)

    @staticmethod
    def resolve_establishment(appeal: Appeal) -> str:
        return appeal.establishment.code

    @staticmethod
    def resolve_job(appeal: Appeal) -> dict | None:
        return job_ref(appeal.positioning.job)

    @staticmethod
    def resolve_evaluation(appeal: Appeal) -> dict | None:
        return evaluation_ref(appeal.positioning)

    @staticmethod
    def resolve_level(appeal: Appeal) -> int | None:
        return appeal.positioning.level

    @staticmethod
    def resolve_argument(appeal: Appeal, context) -> str | None:
        return for_writers(context, appeal.argument)

    @staticmethod
    def resolve_reasoning(appeal: Appeal, context) -> str | None:
        return for_writers(context, appeal.reasoning)


class AppealIn(Schema):
    positioning: Id
    kind: AppealKind
    argument: str = Field(..., max_length=20_000)
    received_on: dt.date | None = Field(None, description="today by default")


class AppealDecisionIn(Schema):
    outcome: Literal["confirmed", "revised"]
    reasoning: str = Field(..., max_length=20_000)
    job: str = Field("", max_length=120, description="revised: the new reference job code")
    personal_level: Level | None = None
    reason: str = Field("", max_length=5000, description="why a personal level")
    decided_on: dt.date | None = Field(
        None, description="the day the commission decided (today by default, never later)"
    )


# --- endpoints ------------------------------------------------------------------------


def _appeals(user, **filters):
    # The selector scopes; the job's level is read for each appeal of the page.
    return selectors.appeals_for(user, **filters).select_related(
        "positioning__job__level", "positioning__evaluation"
    )


def _appeal(user, pk: int) -> Appeal:
    return lookups.found(_appeals(user), f"aucun recours {pk}", pk=pk)


@router.get(
    "/appeals",
    response={200: list[AppealOut], **ERRORS},
    operation_id=OPERATION_ID("list_appeals"),
)
@paginate(BoundedLimitOffset)
def list_appeals(
    request,
    establishment: str | None = Query(None, max_length=32),
    status: AppealStatus | None = None,
):
    place = lookups.establishment(request.user, establishment) if establishment else None
    return _appeals(request.user, establishment=place, status=status or "")


@router.get(
    "/appeals/{pk}", response={200: AppealOut, **ERRORS}, operation_id=OPERATION_ID("get_appeal")
)
def get_appeal(request, pk: int):
    return _appeal(request.user, pk)


@router.post(
    "/appeals",
    response={201: AppealOut, **WRITE_ERRORS},
    operation_id=OPERATION_ID("open_appeal"),
)
def open_appeal(request, payload: AppealIn):
    """Record an employee's appeal against their notified positioning, within the deadline."""
    appeal = services.open_appeal(
        request.user,
        lookups.positioning(request.user, payload.positioning),
        kind=payload.kind,
        argument=payload.argument,
        received_on=payload.received_on,
    )
    return Status(201, _appeal(request.user, appeal.pk))


@router.post(
    "/appeals/{pk}/decision",
    response={200: AppealOut, **WRITE_ERRORS},
    operation_id=OPERATION_ID("decide_appeal"),
)
@refusals(fields={"level": "personal_level"})
def decide_appeal(request, pk: int, payload: AppealDecisionIn):
    """The commission's decision: confirm the positioning, or revise its job or level."""
    services.decide_appeal(
        request.user,
        _appeal(request.user, pk),
        outcome=payload.outcome,
        reasoning=payload.reasoning,
        job_code=payload.job,
        personal_level=payload.personal_level,
        reason=payload.reason,
        decided_on=payload.decided_on,
    )
    return _appeal(request.user, pk)
