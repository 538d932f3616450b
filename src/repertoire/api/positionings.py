"""Positionings over HTTP: the worklist, a positioning with its history, the decisions
(validate, change, place on an evaluation, comment), bulk acceptance, title groups and
notification.

Signed in by session or ``Authorization: Bearer``, everything scoped to the caller's
establishment by the selectors; an object or an establishment outside that scope answers
404, as if it did not exist. Readers may read; writing is for HR officers of the
establishment and national administrators (403). A refusal is answered by ``api.errors``.
The endpoints are thin callers of ``positioning.services`` and ``positioning.selectors``.
"""

import datetime as dt
from typing import Literal

from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from repertoire.accounts.selectors import may_write_personal_data
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
from repertoire.catalog import selectors as catalog
from repertoire.core.batches import rows_in
from repertoire.core.refusals import NotAllowed
from repertoire.positioning import selectors, services
from repertoire.positioning.models import Positioning

router = Router(auth=signed_in(), tags=["positioning"])


# --- shapes ---------------------------------------------------------------------------


class ProposalOut(Schema):
    code: str
    title: str
    level: int
    score: float
    reason: str


class PositioningOut(Schema):
    id: int
    employee: int
    employee_name: str = Field(description="last and first name (no matricule, no service)")
    establishment: str
    edition: str = Field(description="label of the edition it was made on")
    job_title: str = Field(description="the local job title payroll gives the employee")
    status: PositioningStatus
    job: JobRefOut | None
    evaluation: EvaluationRefOut | None = Field(
        description="the evaluated local job of the establishment it rests on, if no reference job"
    )
    level: int | None
    personal_level_reason: str | None = Field(description=HIDDEN_FROM_READERS)
    confidence: float
    proposals: list[ProposalOut]
    title_key: str
    comment: str | None = Field(description=HIDDEN_FROM_READERS)
    decided_by: str
    decided_at: dt.datetime | None
    notified_on: dt.date | None
    etag: str = Field(
        description="the decision as read: send it back with a decision, refused (409) when "
        "the positioning was decided otherwise since"
    )

    # Resolved per positioning as the page is written: a list serialises only its page.
    @staticmethod
    def resolve_employee(positioning: Positioning) -> int:
        return positioning.employee_id

    @staticmethod
    def resolve_employee_name(positioning: Positioning) -> str:
        return name_of(positioning.employee)

    @staticmethod
    def resolve_edition(positioning: Positioning) -> str:
        return positioning.edition.label

    @staticmethod
    def resolve_establishment(positioning: Positioning) -> str:
        return positioning.establishment.code

    @staticmethod
    def resolve_job_title(positioning: Positioning) -> str:
        return positioning.employee.job_title

    @staticmethod
    def resolve_job(positioning: Positioning) -> dict | None:
        return job_ref(positioning.job)

    @staticmethod
    def resolve_evaluation(positioning: Positioning) -> dict | None:
        return evaluation_ref(positioning)

    @staticmethod
    def resolve_personal_level_reason(positioning: Positioning, context) -> str | None:
        return for_writers(context, positioning.personal_level_reason)

    @staticmethod
    def resolve_comment(positioning: Positioning, context) -> str | None:
        return for_writers(context, positioning.comment)


class EventOut(Schema):
    at: dt.datetime
    author: str
    action: str
    status: str
    job_code: str
    job_title: str = Field(description="the reference job, or the evaluated local job")
    level: int | None
    note: str | None = Field(description=HIDDEN_FROM_READERS)

    @staticmethod
    def resolve_note(event, context) -> str | None:
        return for_writers(context, event.note)


class PositioningDetailOut(PositioningOut):
    history: list[EventOut]

    @staticmethod
    def resolve_history(positioning: Positioning):
        return list(selectors.events_of(positioning))


class PositioningFilters(Schema):
    establishment: str | None = Field(None, max_length=32, description="code")
    status: PositioningStatus | None = None
    service: str = Field("", max_length=200, description="ignored for readers")
    job: str = Field("", max_length=120, description="reference job code")
    level: Level | None = None
    title_key: str = Field("", max_length=200, description="normalised local title")
    q: str = Field(
        "",
        max_length=100,
        description="name, matricule or local title (readers: name or local title)",
    )
    edition: str | None = Field(
        None, max_length=64, description="edition label; the edition in force by default"
    )


class ValidateIn(Schema):
    comment: str = Field("", max_length=5000)
    etag: str | None = Field(
        None,
        max_length=80,
        description="the positioning's `etag` as read (recommended): refused (409) when "
        "it was decided otherwise since",
    )


class ChangeIn(Schema):
    job: str = Field(..., min_length=1, max_length=120, description="reference job code")
    personal_level: Level | None = Field(
        None, description="a level above the job's, kept for the person (needs a reason)"
    )
    reason: str = Field("", max_length=5000)
    comment: str = Field("", max_length=5000)
    etag: str | None = Field(
        None,
        max_length=80,
        description="the positioning's `etag` as read (recommended): refused (409) when "
        "it was decided otherwise since",
    )


class PlaceOnEvaluationIn(Schema):
    evaluation: Id = Field(
        ..., description="a validated evaluation of the employee's establishment"
    )
    personal_level: Level | None = Field(
        None, description="a level above the evaluation's, kept for the person (needs a reason)"
    )
    reason: str = Field("", max_length=5000)
    comment: str = Field("", max_length=5000)
    etag: str | None = Field(
        None,
        max_length=80,
        description="the positioning's `etag` as read (recommended): refused (409) when "
        "it was decided otherwise since",
    )


class CommentIn(Schema):
    text: str = Field(..., max_length=5000)


class BulkAcceptIn(Schema):
    establishment: str = Field(..., max_length=32)
    threshold: float | None = Field(
        None, gt=0, le=1, description="confidence at least; the configured cut-off by default"
    )
    title_key: str | None = Field(None, max_length=200, description="only this title group")


class AcceptedOut(Schema):
    accepted: int


class GroupDecisionIn(Schema):
    establishment: str = Field(..., max_length=32)
    title_key: str = Field(..., max_length=200)
    job: str = Field(..., min_length=1, max_length=120, description="reference job code")
    expected: int | None = Field(
        None,
        ge=0,
        description="the group's `to_review` as read: another count now decides nobody (409)",
    )
    etag: str | None = Field(
        None,
        max_length=80,
        description="the group's `etag` as read (recommended): when the people it covered "
        "changed, nobody is decided (409); the same decision sent again (a retry) is "
        "answered with the batch it made",
    )


class DecidedOut(Schema):
    decided: int
    batch: int = Field(
        description="the batch it made, undoable until notification "
        "(`POST /api/positionings/acceptance-batches/{id}/undo`)"
    )


class TitleGroupOut(Schema):
    title_key: str
    example_title: str
    headcount: int
    to_review: int
    confidence: float
    job_code: str
    job_title: str
    level: int | None
    priority: float = Field(description="uncertainty × headcount to review")
    etag: str = Field(
        description="the etag of the people still to review, for `POST "
        "/api/positionings/groups/decide`"
    )


class NotifyIn(Schema):
    establishment: str = Field(..., max_length=32)
    ids: list[Id] | None = Field(
        None, max_length=100_000, description="positionings; every validated one by default"
    )
    dry_run: bool = Field(
        False, description="only say who would be notified and the appeal deadline; write nothing"
    )
    expected: int | None = Field(
        None,
        ge=0,
        description="the count the caller confirmed (from a dry run): another count now "
        "notifies nobody (409)",
    )
    etag: str | None = Field(
        None,
        max_length=80,
        description="the `etag` of the dry run the caller confirmed (recommended): when "
        "the positionings it covered changed, nobody is notified (409)",
    )


class NotifiedOut(Schema):
    notified: int = Field(description="notified (with dry_run: would be notified)")
    dry_run: bool | None = Field(None, description="present, true, on a dry run")
    appeal_deadline: dt.date | None = Field(
        None, description="dry run: the last day to contest if notified today"
    )
    ids: list[int] | None = Field(None, description="dry run: the positionings it would notify")
    etag: str | None = Field(
        None, description="dry run: the etag of exactly these positionings, to send back"
    )


class AcceptanceIn(Schema):
    establishment: str = Field(..., max_length=32)
    threshold: float | None = Field(
        None, gt=0, le=1, description="confidence at least; the configured cut-off by default"
    )
    service: str = Field("", max_length=200, description="ignored for readers")
    status: PositioningStatus | None = None
    job: str = Field("", max_length=120, description="reference job code")
    level: Level | None = None
    title_key: str = Field("", max_length=200, description="normalised local title")
    q: str = Field("", max_length=100, description="name, matricule or local title")
    dry_run: bool = Field(False, description="only say what would be validated")
    expected: int | None = Field(
        None,
        ge=0,
        description="the count the caller confirmed (from a dry run): another count now "
        "validates nothing (409)",
    )
    etag: str | None = Field(
        None,
        max_length=80,
        description="the `etag` of the dry run the caller confirmed (recommended): when "
        "the proposals it covered changed (other people, jobs or levels), nothing is "
        "validated (409)",
    )


class JobCountOut(Schema):
    code: str
    title: str
    level: int
    count: int


class AcceptanceOut(Schema):
    dry_run: bool
    threshold: float
    accepted: int = Field(description="validated (with dry_run: would be validated)")
    batch: int | None = Field(description="the batch to undo; none on a dry run or when empty")
    jobs: list[JobCountOut] = Field(description="by reference job, what the batch validates")
    etag: str = Field(
        description="on a dry run, the etag of exactly these proposals: send it back to "
        "validate them, and nothing else"
    )


class AcceptanceBatchOut(Schema):
    id: int
    establishment: str
    author: str
    created_at: dt.datetime
    kind: Literal["acceptance", "group"] = Field(
        description="a bulk acceptance, or a group decision (one title, one job)"
    )
    job: str | None = Field(description="the job a group decision placed its people on")
    filters: dict[str, str | int]
    threshold: float | None = Field(description="a bulk acceptance's confidence cut-off")
    accepted: int
    undone_at: dt.datetime | None
    undone_by: str
    changed: int = Field(description="positionings notified or decided again since")
    notified: int
    undoable: bool


class UndoneOut(Schema):
    undone: int


# --- endpoints ------------------------------------------------------------------------
# The fixed paths come before /positionings/{pk}: a route is matched in order.


@router.get("/positionings", response={200: list[PositioningOut], **ERRORS})
@paginate(BoundedLimitOffset)
def list_positionings(request, filters: Query[PositioningFilters]):
    """The positionings of an edition (the one in force by default) in the caller's scope,
    least certain first."""
    establishment = (
        lookups.establishment(request.user, filters.establishment)
        if filters.establishment
        else None
    )
    return selectors.positionings_for(
        request.user,
        establishment=establishment,
        edition=catalog.get_edition(filters.edition),
        filters=selectors.WorklistFilters(
            service=filters.service,
            status=filters.status or "",
            job=filters.job,
            level=filters.level,
            title_key=filters.title_key,
            search=filters.q.strip(),
        ),
    )


@router.get("/positionings/groups", response={200: list[TitleGroupOut], **ERRORS})
@paginate(BoundedLimitOffset)
def list_title_groups(
    request,
    establishment: str = Query(..., max_length=32),
    pending: bool = Query(True, description="only groups with positionings still proposed"),
):
    """Identical normalised titles of an establishment: one decision each, the most
    uncertain and most populated first."""
    place = lookups.establishment(request.user, establishment)
    groups = selectors.title_groups(request.user, place, pending_only=pending)
    etags = selectors.group_etags(
        request.user,
        place,
        (group.title_key for group in groups),
        filters=selectors.WorklistFilters(),
    )
    return [
        {
            "title_key": group.title_key,
            "example_title": group.example_title,
            "headcount": group.headcount,
            "to_review": group.to_review,
            "confidence": group.confidence,
            "job_code": group.job_code,
            "job_title": group.job_title,
            "level": group.level,
            "priority": group.priority,
            "etag": etags[group.title_key],
        }
        for group in groups
    ]


@router.post("/positionings/bulk-accept", response={200: AcceptedOut, **WRITE_ERRORS})
def bulk_accept(request, payload: BulkAcceptIn):
    """Validate every proposal of the establishment at or above the confidence cut-off."""
    establishment = lookups.establishment(request.user, payload.establishment)
    threshold = payload.threshold
    if threshold is None:
        threshold = selectors.bulk_accept_threshold()
    accepted = services.bulk_accept(
        request.user, establishment, threshold=threshold, title_key=payload.title_key
    )
    return {"accepted": accepted}


@router.post("/positionings/groups/decide", response={200: DecidedOut, **WRITE_ERRORS})
@refusals(fields={"group": "title_key"})
def decide_group(request, payload: GroupDecisionIn):
    """Place the people of one normalised title still proposed on one job, as one batch
    undoable until notification; `expected` and `etag` as `GET /positionings/groups`
    lists them."""
    establishment = lookups.establishment(request.user, payload.establishment)
    batch = services.decide_group(
        request.user,
        establishment,
        payload.title_key,
        job_code=payload.job,
        expected=payload.expected,
        seen=payload.etag or None,
    )
    return {"decided": batch.accepted, "batch": batch.pk}


@router.post("/positionings/notify", response={200: NotifiedOut, **WRITE_ERRORS}, exclude_none=True)
def notify(request, payload: NotifyIn):
    """Record that validated positionings were notified (opens the appeal period);
    ``dry_run``: who would be, and until when they could contest."""
    establishment = lookups.establishment(request.user, payload.establishment)
    positionings = selectors.positionings_for(request.user, establishment=establishment).filter(
        status=Positioning.Status.VALIDATED
    )
    chosen = (
        rows_in(positionings, "pk", payload.ids) if payload.ids is not None else list(positionings)
    )
    if payload.dry_run:
        if not may_write_personal_data(request.user, establishment.pk):
            raise NotAllowed("vous ne pouvez pas modifier le personnel de cet établissement")
        return {
            "notified": len(chosen),
            "dry_run": True,
            "appeal_deadline": selectors.appeal_deadline(timezone.localdate()),
            "ids": [positioning.pk for positioning in chosen],
            "etag": selectors.selection_etag(chosen),
        }
    return {
        "notified": services.notify(
            request.user, chosen, expected=payload.expected, seen=payload.etag or None
        )
    }


@router.post("/positionings/acceptance-batches", response={200: AcceptanceOut, **WRITE_ERRORS})
def accept_batch(request, payload: AcceptanceIn):
    """Validate, as one batch that can be undone until notification, the proposals the
    worklist shows under these filters at or above the confidence cut-off; ``dry_run``:
    how many and on which jobs, writing nothing."""
    establishment = lookups.establishment(request.user, payload.establishment)
    if not may_write_personal_data(request.user, establishment.pk):
        raise NotAllowed("vous ne pouvez pas modifier le personnel de cet établissement")
    threshold = payload.threshold
    if threshold is None:
        threshold = selectors.bulk_accept_threshold()
    filters = selectors.WorklistFilters(
        service=payload.service,
        status=payload.status or "",
        job=payload.job,
        level=payload.level,
        title_key=payload.title_key,
        search=payload.q.strip(),
    )
    preview = selectors.acceptance_preview(
        request.user, establishment, filters=filters, threshold=threshold
    )
    batch = None
    if not payload.dry_run:
        batch = services.accept_batch(
            request.user,
            establishment,
            threshold=threshold,
            filters=filters,
            expected=payload.expected,
            seen=payload.etag or None,
        )
    return {
        "dry_run": payload.dry_run,
        "threshold": threshold,
        "accepted": batch.accepted
        if batch is not None
        else (preview.count if payload.dry_run else 0),
        "batch": batch.pk if batch is not None else None,
        # What the batch validated: a confirmation sent again finds nobody left to preview.
        "jobs": [vars(job) for job in (selectors.batch_jobs(batch) if batch else preview.jobs)],
        "etag": preview.etag,
    }


@router.get("/positionings/acceptance-batches", response={200: list[AcceptanceBatchOut], **ERRORS})
@paginate(BoundedLimitOffset)
def list_acceptance_batches(request, establishment: str = Query(..., max_length=32)):
    """An establishment's bulk acceptances, newest first, each saying whether it can
    still be undone."""
    place = lookups.establishment(request.user, establishment)
    return [
        {
            "id": row.batch.pk,
            "establishment": place.code,
            "author": row.batch.author,
            "created_at": row.batch.created_at,
            "kind": row.batch.kind,
            "job": row.batch.job.code if row.batch.job_id else None,
            "filters": row.filters,
            "threshold": row.batch.threshold,
            "accepted": row.batch.accepted,
            "undone_at": row.batch.undone_at,
            "undone_by": row.batch.undone_by,
            "changed": row.changed,
            "notified": row.notified,
            "undoable": row.undoable,
        }
        for row in selectors.acceptance_batches_of(request.user, place)
    ]


@router.post(
    "/positionings/acceptance-batches/{pk}/undo", response={200: UndoneOut, **WRITE_ERRORS}
)
def undo_acceptance_batch(request, pk: int):
    """Put the positionings of a bulk acceptance back to proposed; refused (409) once one
    of them was notified or decided again, or when the batch was undone already."""
    batch = lookups.found(selectors.acceptance_batches_for(request.user), f"aucun lot {pk}", pk=pk)
    return {"undone": services.undo_batch(request.user, batch)}


@router.get("/positionings/{pk}", response={200: PositioningDetailOut, **ERRORS})
def get_positioning(request, pk: int):
    return lookups.positioning(request.user, pk)


@router.post("/positionings/{pk}/validate", response={200: PositioningOut, **WRITE_ERRORS})
def validate(request, pk: int, payload: ValidateIn):
    """Accept the proposed job and its level."""
    positioning = lookups.positioning(request.user, pk)
    return services.validate(
        request.user, positioning, comment=payload.comment, seen=payload.etag or None
    )


@router.post("/positionings/{pk}/change", response={200: PositioningOut, **WRITE_ERRORS})
@refusals(fields={"level": "personal_level"})
def change(request, pk: int, payload: ChangeIn):
    """Place the employee on another job, or at a personal level (with a reason)."""
    return services.change(
        request.user,
        lookups.positioning(request.user, pk),
        job_code=payload.job,
        personal_level=payload.personal_level,
        reason=payload.reason,
        comment=payload.comment,
        seen=payload.etag or None,
    )


@router.post(
    "/positionings/{pk}/place-on-evaluation", response={200: PositioningOut, **WRITE_ERRORS}
)
@refusals(fields={"level": "personal_level"})
def place_on_evaluation(request, pk: int, payload: PlaceOnEvaluationIn):
    """Place the employee on a validated evaluation of a local job of their establishment
    (no reference job describes it): the level is the evaluation's, or a personal level."""
    return services.place_on_evaluation(
        request.user,
        lookups.positioning(request.user, pk),
        evaluation_id=payload.evaluation,
        personal_level=payload.personal_level,
        reason=payload.reason,
        comment=payload.comment,
        seen=payload.etag or None,
    )


@router.post("/positionings/{pk}/comment", response={200: PositioningOut, **WRITE_ERRORS})
@refusals(fields={"comment": "text"})
def comment(request, pk: int, payload: CommentIn):
    positioning = lookups.positioning(request.user, pk)
    return services.comment(request.user, positioning, payload.text)
