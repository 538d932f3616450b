"""Evaluations of local jobs (pesées) over HTTP: the lists, the live result of the form,
the evaluation with its review (submit, validate, send back, comment, revise) and its sheet.

The same rules as the positionings API: signed in by session or ``Authorization: Bearer``;
an evaluation or an establishment outside the caller's scope answers 404, as if it did not
exist; a role that may not act gets 403; a service's refusal is a 422 naming the field or
the criterion code (answered by ``api.errors``). The endpoints are thin callers of ``evaluation.services`` and
``evaluation.selectors``.
"""

import datetime as dt
from typing import Any, Literal

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from repertoire.api import lookups
from repertoire.api.auth import signed_in
from repertoire.api.errors import ERRORS, WRITE_ERRORS, refusals
from repertoire.api.pagination import BoundedLimitOffset
from repertoire.api.schemas import NoticeOut
from repertoire.api.shapes import Level
from repertoire.catalog import selectors as catalog
from repertoire.core.text import to_roman
from repertoire.evaluation import selectors, services
from repertoire.evaluation.models import EvaluationEvent, JobEvaluation
from repertoire.evaluation.presenters import evaluation_result_dict

router = Router(auth=signed_in(), tags=["evaluations"])

EvaluationStatus = Literal[tuple(JobEvaluation.Status.values)]
EventAction = Literal[tuple(EvaluationEvent.Action.values)]
# A criterion code per key: an edition has a handful of criteria, never hundreds.
MAX_CRITERIA = 50
DEGREES_EXAMPLE = {
    "connaissances": 4,
    "latitude_action": 4,
    "complexite": 3,
    "relations": 4,
    "responsabilites": 3,
}


# --- shapes ---------------------------------------------------------------------------


class EvaluationOut(Schema):
    id: int
    establishment: str = Field(description="code")
    edition: str = Field(description="label of the edition whose criteria and rule evaluate it")
    number: int = Field(description="version number; a revision of a validated evaluation is +1")
    revision_of: int | None = Field(description="the validated evaluation this one revises")
    title: str
    missions: str
    degrees: dict[str, int] = Field(description="criterion code → degree (1–8)")
    justifications: dict[str, str] = Field(description="criterion code → why this degree")
    level: int | None
    roman: str
    rule: str
    explanation: str
    status: EvaluationStatus
    created_by: str
    created_at: dt.datetime
    updated_at: dt.datetime
    submitted_at: dt.datetime | None
    decided_by: str
    decided_at: dt.datetime | None
    etag: str = Field(
        description="the evaluation as read: send it back with a change, refused (409) when "
        "it was changed since"
    )

    # Resolved per evaluation as the page is written: a list serialises only its page.
    @staticmethod
    def resolve_establishment(evaluation: JobEvaluation) -> str:
        return evaluation.establishment.code

    @staticmethod
    def resolve_edition(evaluation: JobEvaluation) -> str:
        return evaluation.edition.label

    @staticmethod
    def resolve_revision_of(evaluation: JobEvaluation) -> int | None:
        return evaluation.revision_of_id

    @staticmethod
    def resolve_roman(evaluation: JobEvaluation) -> str:
        return to_roman(evaluation.level) if evaluation.level else ""


class EvaluationEventOut(Schema):
    at: dt.datetime
    author: str
    action: EventAction
    status: EvaluationStatus
    degrees: dict[str, int]
    level: int | None
    changes: dict[str, Any] = Field(description="changed field → {avant, apres}")
    note: str


class EvaluationDetailOut(EvaluationOut):
    history: list[EvaluationEventOut]

    @staticmethod
    def resolve_history(evaluation: JobEvaluation):
        return list(selectors.history_of(evaluation))


class EvaluationFilters(Schema):
    establishment: str | None = Field(None, max_length=32, description="code")
    status: EvaluationStatus | None = None
    level: Level | None = None
    q: str = Field("", max_length=100, description="words of the title or the missions")


class EvaluationIn(Schema):
    establishment: str = Field(..., max_length=32, description="code")
    title: str = Field(..., min_length=1, max_length=200, description="the local job title")
    missions: str = Field("", max_length=20_000)
    degrees: dict[str, int] = Field(
        ...,
        max_length=MAX_CRITERIA,
        description="one degree (1–8) per criterion code of the current edition",
        examples=[DEGREES_EXAMPLE],
    )
    justifications: dict[str, str] = Field(
        {},
        max_length=MAX_CRITERIA,
        description="criterion code → why this degree (each is required to submit)",
    )


class EvaluationPatch(Schema):
    """The fields given replace theirs; in ``degrees`` and ``justifications`` only the
    criteria given change."""

    title: str | None = Field(None, min_length=1, max_length=200)
    missions: str | None = Field(None, max_length=20_000)
    degrees: dict[str, int] | None = Field(None, max_length=MAX_CRITERIA)
    justifications: dict[str, str] | None = Field(None, max_length=MAX_CRITERIA)
    etag: str | None = Field(
        None,
        max_length=80,
        description="the evaluation's `etag` as read (recommended): refused (409) when it "
        "was changed since",
    )


SEEN = (
    "the evaluation's `etag` as read (recommended): refused (409) when it changed since "
    "(sent back, changed and submitted again meanwhile)"
)


class NoteIn(Schema):
    comment: str = Field("", max_length=5000)
    etag: str | None = Field(None, max_length=80, description=SEEN)


class ReturnIn(Schema):
    comment: str = Field(..., max_length=5000, description="what the establishment must review")
    etag: str | None = Field(None, max_length=80, description=SEEN)


class CommentIn(Schema):
    text: str = Field(..., max_length=5000)


class PreviewIn(Schema):
    degrees: dict[str, int] = Field(
        ...,
        max_length=MAX_CRITERIA,
        description="one degree (1–8) per criterion code of the edition",
        examples=[DEGREES_EXAMPLE],
    )
    title: str = Field("", max_length=200, description="compared with the reference jobs")
    missions: str = Field("", max_length=20_000)
    edition: str | None = Field(None, description="edition label; the current one by default")


class ProfileNeighbourOut(Schema):
    code: str
    title: str
    level: int
    distance: int = Field(description="degrees apart, criterion by criterion")


class TextNeighbourOut(Schema):
    code: str
    title: str
    level: int
    score: float
    reason: str


class EvaluationResultOut(Schema):
    """The live result of the form; nothing is written."""

    edition: str
    degrees: dict[str, int]
    level: int
    roman: str
    rule: str
    explanation: str
    total: int
    median: int
    band: list[int]
    warnings: list[NoticeOut]
    by_profile: list[ProfileNeighbourOut] = Field(description="nearest reference profiles")
    by_text: list[TextNeighbourOut] = Field(description="closest by title and missions")
    same_job: ProfileNeighbourOut | None = Field(
        description="the reference job this local job already is: position on it instead"
    )
    same_job_statement: str


# --- helpers --------------------------------------------------------------------------


def _detail(request, evaluation: JobEvaluation) -> JobEvaluation:
    # Read back through the selector: the answer is what the caller may see, as stored.
    return lookups.evaluation(request.user, evaluation.pk)


def _act(request, pk: int, action) -> JobEvaluation:
    """``action`` on the evaluation in the caller's scope; the evaluation as it now stands."""
    return _detail(request, action(lookups.evaluation(request.user, pk)))


# --- evaluations ------------------------------------------------------------------------
# The fixed paths come before /evaluations/{pk}: a route is matched in order.


@router.get("/evaluations", response={200: list[EvaluationOut], **ERRORS})
@paginate(BoundedLimitOffset)
def list_evaluations(request, filters: Query[EvaluationFilters]):
    """The evaluations in the caller's scope: their establishment's, the network's for
    national administrators."""
    if filters.establishment:
        lookups.establishment(request.user, filters.establishment)
    return selectors.evaluations_for(
        request.user,
        establishment=filters.establishment or "",
        status=filters.status or "",
        level=filters.level,
        search=filters.q.strip(),
    )


@router.post("/evaluations/preview", response={200: EvaluationResultOut, **ERRORS})
def preview(request, payload: PreviewIn):
    """The level of a profile by the edition's rule, with its explanation and warnings,
    the nearest reference jobs by profile and by text, and whether the local job is in
    fact a reference job. Nothing is written."""
    edition = catalog.get_edition(payload.edition)
    degrees = services.clean_degrees(edition, payload.degrees)
    result = selectors.evaluation_result(
        edition, degrees, title=payload.title, missions=payload.missions
    )
    return evaluation_result_dict(edition.label, degrees, result)


@router.post("/evaluations", response={201: EvaluationDetailOut, **WRITE_ERRORS})
def create_evaluation(request, payload: EvaluationIn):
    """A new evaluation of a local job, as a draft, on the current edition."""
    evaluation = services.create_evaluation(
        request.user,
        lookups.establishment(request.user, payload.establishment),
        title=payload.title,
        missions=payload.missions,
        degrees=payload.degrees,
        justifications=payload.justifications,
    )
    return Status(201, _detail(request, evaluation))


@router.get("/evaluations/{pk}", response={200: EvaluationDetailOut, **ERRORS})
def get_evaluation(request, pk: int):
    """One evaluation with its history: every change and decision with its author."""
    return lookups.evaluation(request.user, pk)


@router.patch("/evaluations/{pk}", response={200: EvaluationDetailOut, **WRITE_ERRORS})
def update_evaluation(request, pk: int, payload: EvaluationPatch):
    """Change a draft or an evaluation sent back (a submitted or validated one is frozen)."""
    given = {
        name: value for name, value in payload.dict(exclude_unset=True).items() if value is not None
    }
    seen = given.pop("etag", None) or None  # an empty etag is none

    def change(evaluation: JobEvaluation) -> JobEvaluation:
        changes = dict(given)
        # In degrees and justifications, only the criteria given change.
        for name in ("degrees", "justifications"):
            if name in changes:
                changes[name] = {**getattr(evaluation, name), **changes[name]}
        return services.update_evaluation(request.user, evaluation, seen=seen, **changes)

    return _act(request, pk, change)


@router.post("/evaluations/{pk}/submit", response={200: EvaluationDetailOut, **WRITE_ERRORS})
def submit(request, pk: int, payload: NoteIn):
    """Hand the evaluation to the national administrators; every degree must be justified."""
    return _act(
        request,
        pk,
        lambda ev: services.submit(
            request.user, ev, comment=payload.comment, seen=payload.etag or None
        ),
    )


@router.post("/evaluations/{pk}/validate", response={200: EvaluationDetailOut, **WRITE_ERRORS})
def validate(request, pk: int, payload: NoteIn):
    """A national administrator accepts the evaluation; it is frozen from then on."""
    return _act(
        request,
        pk,
        lambda ev: services.validate(
            request.user, ev, comment=payload.comment, seen=payload.etag or None
        ),
    )


@router.post("/evaluations/{pk}/return", response={200: EvaluationDetailOut, **WRITE_ERRORS})
def send_back(request, pk: int, payload: ReturnIn):
    """A national administrator returns the evaluation to its establishment, saying why."""
    return _act(
        request,
        pk,
        lambda ev: services.send_back(
            request.user, ev, comment=payload.comment, seen=payload.etag or None
        ),
    )


@router.post("/evaluations/{pk}/comment", response={200: EvaluationDetailOut, **WRITE_ERRORS})
@refusals(fields={"comment": "text"})
def comment(request, pk: int, payload: CommentIn):
    return _act(request, pk, lambda ev: services.comment(request.user, ev, payload.text))


@router.post("/evaluations/{pk}/revise", response={201: EvaluationDetailOut, **WRITE_ERRORS})
def revise(request, pk: int):
    """A new draft version of a validated evaluation; the validated one stays as it was."""
    return Status(201, _act(request, pk, lambda ev: services.revise(request.user, ev)))


@router.get(
    "/evaluations/{pk}/pdf",
    response=ERRORS,
    openapi_extra={
        "responses": {
            200: {
                "description": "The evaluation sheet",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def evaluation_pdf(request, pk: int):
    """The evaluation sheet as PDF: job, degrees with justifications, level, explanation,
    signatures block."""
    evaluation = lookups.evaluation(request.user, pk)
    # WeasyPrint is loaded by the first sheet printed, not by every process that serves.
    from repertoire.evaluation import documents

    response = HttpResponse(documents.evaluation_pdf(evaluation), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{documents.filename_of(evaluation)}"'
    return response
