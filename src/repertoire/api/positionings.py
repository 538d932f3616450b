"""Positionings, appeals, reports and employee-file imports over HTTP.

The same rules as the employees API: signed in by session or ``Authorization: Bearer``,
everything scoped to the caller's establishment by the selectors; an object or an
establishment outside that scope answers 404, as if it did not exist. Readers may read;
writing is for HR officers of the establishment and national administrators (403).
The endpoints are thin callers of ``positioning.services`` and ``positioning.selectors``.
"""

import datetime as dt
from typing import Annotated, Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate
from ninja.security import django_auth

from repertoire.accounts.selectors import may_write_personal_data, sees_personal_details
from repertoire.api.employees import BearerToken
from repertoire.api.pagination import BoundedLimitOffset
from repertoire.api.schemas import ErrorOut
from repertoire.catalog import selectors as catalog
from repertoire.core.payroll import PayrollFileError, read_payroll
from repertoire.positioning import selectors, services
from repertoire.positioning.models import Appeal, Establishment, Positioning

router = Router(auth=[BearerToken(), django_auth], tags=["positioning"])

ERRORS = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS = {403: ErrorOut, **ERRORS}
# Ids in bodies: what a database integer holds (a larger one would be a 500, not a 422).
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
PositioningStatus = Literal[tuple(Positioning.Status.values)]
AppealKind = Literal[tuple(Appeal.Kind.values)]
AppealStatus = Literal[tuple(Appeal.Status.values)]
Level = Annotated[int, Field(ge=1, le=8)]


# --- shapes ---------------------------------------------------------------------------


class JobRefOut(Schema):
    code: str
    title: str
    level: int


class EvaluationRefOut(Schema):
    id: int
    title: str
    level: int | None


class ProposalOut(Schema):
    code: str
    title: str
    level: int
    score: float
    reason: str


def _job_ref(job) -> dict | None:
    if job is None:
        return None
    return {"code": job.code, "title": job.title, "level": job.level.number}


def _evaluation_ref(positioning: Positioning) -> dict | None:
    """The weighed local job a positioning rests on (instead of a reference job)."""
    if positioning.job_id or not positioning.evaluation_id:
        return None
    evaluation = positioning.evaluation
    return {"id": evaluation.pk, "title": evaluation.title, "level": evaluation.level}


def _name(employee) -> str:
    return f"{employee.last_name} {employee.first_name}".strip()


HIDDEN_FROM_READERS = "hidden from establishment readers (null)"


def _for_writers(context, text: str) -> str | None:
    """What was written about a person (comments, reasons, arguments): readers see name,
    job and level, not this."""
    return text if sees_personal_details(context["request"].user) else None


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
        description="the weighed local job of the establishment it rests on, if no reference job"
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

    # Resolved per positioning as the page is written: a list serialises only its page.
    @staticmethod
    def resolve_employee(positioning: Positioning) -> int:
        return positioning.employee_id

    @staticmethod
    def resolve_employee_name(positioning: Positioning) -> str:
        return _name(positioning.employee)

    @staticmethod
    def resolve_edition(positioning: Positioning) -> str:
        return positioning.version.label

    @staticmethod
    def resolve_establishment(positioning: Positioning) -> str:
        return positioning.establishment.code

    @staticmethod
    def resolve_job_title(positioning: Positioning) -> str:
        return positioning.employee.job_title

    @staticmethod
    def resolve_job(positioning: Positioning) -> dict | None:
        return _job_ref(positioning.job)

    @staticmethod
    def resolve_evaluation(positioning: Positioning) -> dict | None:
        return _evaluation_ref(positioning)

    @staticmethod
    def resolve_personal_level_reason(positioning: Positioning, context) -> str | None:
        return _for_writers(context, positioning.personal_level_reason)

    @staticmethod
    def resolve_comment(positioning: Positioning, context) -> str | None:
        return _for_writers(context, positioning.comment)


class EventOut(Schema):
    at: dt.datetime
    author: str
    action: str
    status: str
    job_code: str
    job_title: str = Field(description="the reference job, or the weighed local job")
    level: int | None
    note: str | None = Field(description=HIDDEN_FROM_READERS)

    @staticmethod
    def resolve_note(event, context) -> str | None:
        return _for_writers(context, event.note)


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
    q: str = Field("", max_length=100, description="name, matricule or local title")
    edition: str | None = Field(
        None, max_length=64, description="edition label; the edition in force by default"
    )


class ValidateIn(Schema):
    comment: str = Field("", max_length=5000)


class ChangeIn(Schema):
    job: str = Field(..., min_length=1, max_length=120, description="reference job code")
    personal_level: Level | None = Field(
        None, description="a level above the job's, kept for the person (needs a reason)"
    )
    reason: str = Field("", max_length=5000)
    comment: str = Field("", max_length=5000)


class PlaceOnEvaluationIn(Schema):
    evaluation: Id = Field(..., description="a validated weighing of the employee's establishment")
    personal_level: Level | None = Field(
        None, description="a level above the weighing's, kept for the person (needs a reason)"
    )
    reason: str = Field("", max_length=5000)
    comment: str = Field("", max_length=5000)


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


class DecidedOut(Schema):
    decided: int


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


class NotifyIn(Schema):
    establishment: str = Field(..., max_length=32)
    ids: list[Id] | None = Field(
        None, max_length=100_000, description="positionings; every validated one by default"
    )


class NotifiedOut(Schema):
    notified: int


class AppealOut(Schema):
    id: int
    positioning: int
    positioning_status: PositioningStatus
    employee: int
    employee_name: str
    establishment: str
    job: JobRefOut | None = Field(description="the positioning's current job")
    evaluation: EvaluationRefOut | None = Field(
        description="or the weighed local job it currently rests on"
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
        return _name(appeal.positioning.employee)

    @staticmethod
    def resolve_establishment(appeal: Appeal) -> str:
        return appeal.establishment.code

    @staticmethod
    def resolve_job(appeal: Appeal) -> dict | None:
        return _job_ref(appeal.positioning.job)

    @staticmethod
    def resolve_evaluation(appeal: Appeal) -> dict | None:
        return _evaluation_ref(appeal.positioning)

    @staticmethod
    def resolve_level(appeal: Appeal) -> int | None:
        return appeal.positioning.level

    @staticmethod
    def resolve_argument(appeal: Appeal, context) -> str | None:
        return _for_writers(context, appeal.argument)

    @staticmethod
    def resolve_reasoning(appeal: Appeal, context) -> str | None:
        return _for_writers(context, appeal.reasoning)


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


class JobHeadcountOut(Schema):
    code: str | None = Field(description='a reference job code, or "pesee-<id>"')
    title: str | None
    level: int | None
    headcount: int
    evaluation: int | None = Field(None, description="the weighed local job's id, if one")


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


class ImportErrorDetail(Schema):
    loc: list[str | int] = []
    msg: str
    line: int | None = Field(None, description="line of the file (rows in error)")
    column: str | None = Field(None, description="column header as the file writes it")
    message: str | None = None


class ImportErrorBody(Schema):
    code: str
    message: str
    details: list[ImportErrorDetail] = []


class ImportErrorOut(Schema):
    error: ImportErrorBody


class ImportCreateOut(Schema):
    line: int
    matricule: str
    name: str
    job_title: str


class ImportChangeOut(Schema):
    field: str
    before: str | int | None
    after: str | int | None


class ImportUpdateOut(Schema):
    line: int
    matricule: str
    name: str
    changes: list[ImportChangeOut]


class ImportPreviewOut(Schema):
    """What committing the file would do (``dry_run``); nothing was written."""

    dry_run: bool = True
    format: str
    encoding: str
    delimiter: str
    columns: dict[str, str]
    ignored: list[str]
    rows: int
    create: int
    update: int
    unchanged: int
    absent: int = Field(description="employees of the establishment the file does not list")
    creates: list[ImportCreateOut] = Field(description="the first rows to create")
    updates: list[ImportUpdateOut] = Field(description="the first employees to update")


class ImportResultOut(Schema):
    dry_run: bool = False
    created: int
    updated: int
    unchanged: int
    absent: int
    proposed: int


# --- helpers --------------------------------------------------------------------------


def _establishment(request, code: str) -> Establishment:
    try:
        return selectors.establishment_for(request.user, code)
    except Establishment.DoesNotExist:
        raise Http404(f"aucun établissement « {code} » à votre portée") from None


def _positioning(request, pk: int) -> Positioning:
    try:
        return selectors.positioning_for(request.user, pk)
    except Positioning.DoesNotExist:
        raise Http404(f"aucun positionnement {pk}") from None


def _appeal(request, pk: int) -> Appeal:
    try:
        return _appeals(request).get(pk=pk)
    except Appeal.DoesNotExist:
        raise Http404(f"aucun recours {pk}") from None


def _appeals(request, **filters):
    # The selector scopes; the job's level is read for each appeal of the page.
    return selectors.appeals_for(request.user, **filters).select_related(
        "positioning__job__level", "positioning__evaluation"
    )


def _forbidden(exc: PermissionDenied) -> Status:
    return Status(403, {"error": {"code": "forbidden", "message": str(exc), "details": []}})


def _refused(exc: ValidationError, fields: dict[str, str] | None = None) -> Status:
    """A service's refusal as a 422 naming the fields of the request (``fields`` renames
    the service's names where the API calls them otherwise)."""
    fields = fields or {}
    if hasattr(exc, "error_dict"):
        details = [
            {
                "loc": ["body"] if name == "__all__" else ["body", fields.get(name, name)],
                "msg": " ".join(str(message) for message in messages),
            }
            for name, messages in exc.message_dict.items()
        ]
    else:
        details = [{"loc": ["body"], "msg": str(message)} for message in exc.messages]
    message = "; ".join(str(message) for message in exc.messages)
    return Status(422, {"error": {"code": "refused", "message": message, "details": details}})


# --- positionings ---------------------------------------------------------------------
# The fixed paths come before /positionings/{pk}: a route is matched in order.


@router.get("/positionings", response={200: list[PositioningOut], **ERRORS})
@paginate(BoundedLimitOffset)
def list_positionings(request, filters: Query[PositioningFilters]):
    """The positionings of an edition (the one in force by default) in the caller's scope,
    least certain first."""
    establishment = (
        _establishment(request, filters.establishment) if filters.establishment else None
    )
    return selectors.positionings_for(
        request.user,
        establishment=establishment,
        version=catalog.get_version(filters.edition),
        filters=selectors.WorklistFilters(
            # Readers do not see services: they may not sort people by them either.
            service=filters.service if sees_personal_details(request.user) else "",
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
    place = _establishment(request, establishment)
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
        }
        for group in selectors.title_groups(request.user, place, pending_only=pending)
    ]


@router.post("/positionings/bulk-accept", response={200: AcceptedOut, **WRITE_ERRORS})
def bulk_accept(request, payload: BulkAcceptIn):
    """Validate every proposal of the establishment at or above the confidence cut-off."""
    establishment = _establishment(request, payload.establishment)
    threshold = payload.threshold
    if threshold is None:
        threshold = settings.REPERTOIRE_BULK_ACCEPT_THRESHOLD
    try:
        accepted = services.bulk_accept(
            request.user, establishment, threshold=threshold, title_key=payload.title_key
        )
    except PermissionDenied as exc:
        return _forbidden(exc)
    except ValidationError as exc:
        return _refused(exc)
    return {"accepted": accepted}


@router.post("/positionings/groups/decide", response={200: DecidedOut, **WRITE_ERRORS})
def decide_group(request, payload: GroupDecisionIn):
    """Place every not-yet-notified employee of one normalised title on one job."""
    establishment = _establishment(request, payload.establishment)
    try:
        decided = services.decide_group(
            request.user, establishment, payload.title_key, job_code=payload.job
        )
    except PermissionDenied as exc:
        return _forbidden(exc)
    except ValidationError as exc:
        return _refused(exc, {"group": "title_key"})
    return {"decided": decided}


@router.post("/positionings/notify", response={200: NotifiedOut, **WRITE_ERRORS})
def notify(request, payload: NotifyIn):
    """Record that validated positionings were notified (opens the appeal period)."""
    establishment = _establishment(request, payload.establishment)
    positionings = selectors.positionings_for(request.user, establishment=establishment).filter(
        status=Positioning.Status.VALIDATED
    )
    if payload.ids is not None:
        positionings = positionings.filter(pk__in=payload.ids)
    try:
        notified = services.notify(request.user, list(positionings))
    except PermissionDenied as exc:
        return _forbidden(exc)
    except ValidationError as exc:
        return _refused(exc)
    return {"notified": notified}


@router.get("/positionings/{pk}", response={200: PositioningDetailOut, **ERRORS})
def get_positioning(request, pk: int):
    return _positioning(request, pk)


@router.post("/positionings/{pk}/validate", response={200: PositioningOut, **WRITE_ERRORS})
def validate(request, pk: int, payload: ValidateIn):
    """Accept the proposed job and its level."""
    positioning = _positioning(request, pk)
    try:
        return services.validate(request.user, positioning, comment=payload.comment)
    except PermissionDenied as exc:
        return _forbidden(exc)
    except ValidationError as exc:
        return _refused(exc)


@router.post("/positionings/{pk}/change", response={200: PositioningOut, **WRITE_ERRORS})
def change(request, pk: int, payload: ChangeIn):
    """Place the employee on another job, or at a personal level (with a reason)."""
    positioning = _positioning(request, pk)
    try:
        return services.change(
            request.user,
            positioning,
            job_code=payload.job,
            personal_level=payload.personal_level,
            reason=payload.reason,
            comment=payload.comment,
        )
    except PermissionDenied as exc:
        return _forbidden(exc)
    except ValidationError as exc:
        return _refused(exc, {"level": "personal_level"})


@router.post(
    "/positionings/{pk}/place-on-evaluation", response={200: PositioningOut, **WRITE_ERRORS}
)
def place_on_evaluation(request, pk: int, payload: PlaceOnEvaluationIn):
    """Place the employee on a validated weighing of a local job of their establishment
    (no reference job describes it): the level is the weighing's, or a personal level."""
    positioning = _positioning(request, pk)
    try:
        return services.place_on_evaluation(
            request.user,
            positioning,
            evaluation_id=payload.evaluation,
            personal_level=payload.personal_level,
            reason=payload.reason,
            comment=payload.comment,
        )
    except PermissionDenied as exc:
        return _forbidden(exc)
    except ValidationError as exc:
        return _refused(exc, {"level": "personal_level"})


@router.post("/positionings/{pk}/comment", response={200: PositioningOut, **WRITE_ERRORS})
def comment(request, pk: int, payload: CommentIn):
    positioning = _positioning(request, pk)
    try:
        return services.comment(request.user, positioning, payload.text)
    except PermissionDenied as exc:
        return _forbidden(exc)
    except ValidationError as exc:
        return _refused(exc, {"comment": "text"})


# --- appeals --------------------------------------------------------------------------


@router.get("/appeals", response={200: list[AppealOut], **ERRORS})
@paginate(BoundedLimitOffset)
def list_appeals(
    request,
    establishment: str | None = Query(None, max_length=32),
    status: AppealStatus | None = None,
):
    place = _establishment(request, establishment) if establishment else None
    return _appeals(request, establishment=place, status=status or "")


@router.get("/appeals/{pk}", response={200: AppealOut, **ERRORS})
def get_appeal(request, pk: int):
    return _appeal(request, pk)


@router.post("/appeals", response={201: AppealOut, **WRITE_ERRORS})
def open_appeal(request, payload: AppealIn):
    """Record an employee's appeal against their notified positioning, within the deadline."""
    positioning = _positioning(request, payload.positioning)
    try:
        appeal = services.open_appeal(
            request.user,
            positioning,
            kind=payload.kind,
            argument=payload.argument,
            received_on=payload.received_on,
        )
    except PermissionDenied as exc:
        return _forbidden(exc)
    except ValidationError as exc:
        return _refused(exc)
    return Status(201, _appeal(request, appeal.pk))


@router.post("/appeals/{pk}/decision", response={200: AppealOut, **WRITE_ERRORS})
def decide_appeal(request, pk: int, payload: AppealDecisionIn):
    """The commission's decision: confirm the positioning, or revise its job or level."""
    appeal = _appeal(request, pk)
    try:
        services.decide_appeal(
            request.user,
            appeal,
            outcome=payload.outcome,
            reasoning=payload.reasoning,
            job_code=payload.job,
            personal_level=payload.personal_level,
            reason=payload.reason,
        )
    except PermissionDenied as exc:
        return _forbidden(exc)
    except ValidationError as exc:
        return _refused(exc, {"level": "personal_level"})
    return _appeal(request, pk)


# --- reports --------------------------------------------------------------------------


@router.get("/reports", response={200: ReportOut, **ERRORS})
def report(
    request,
    establishment: str | None = Query(None, max_length=32),
    edition: str | None = Query(
        None, max_length=64, description="edition label; in force by default"
    ),
):
    """Headcounts by status, level, job and establishment, progress and appeals."""
    place = _establishment(request, establishment) if establishment else None
    result = selectors.report_for(request.user, place, catalog.get_version(edition))
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


# --- employee files -------------------------------------------------------------------


def _file_refused(code: str, message: str, details: list[dict]) -> Status:
    return Status(422, {"error": {"code": code, "message": message, "details": details}})


@router.post(
    "/employees/import",
    response={
        200: ImportPreviewOut,
        201: ImportResultOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        422: ImportErrorOut,
    },
)
def import_employees(
    request,
    file: File[UploadedFile],
    establishment: Form[str],
    dry_run: Form[bool] = True,
):
    """Read an employee file (CSV or XLSX) and preview (``dry_run``, the default) or
    import it, all or nothing: a file with any row in error is refused whole (422, every
    error named by line and column).

    Synchronous: the web pages run large files in the background."""
    place = _establishment(request, establishment[:32])
    # The preview names the people of the establishment: for those who may write them.
    if not may_write_personal_data(request.user, place.pk):
        return _forbidden(PermissionDenied("réservé aux RH de l'établissement"))
    limit = settings.REPERTOIRE_MAX_UPLOAD_BYTES
    if file.size > limit:
        message = f"fichier trop volumineux ({file.size // 2**20} Mo ; {limit // 2**20} Mo au plus)"
        return _file_refused("invalid_file", message, [{"loc": ["body", "file"], "msg": message}])
    try:
        payroll = read_payroll(file.read(), file.name or "")
    except PayrollFileError as exc:
        return _file_refused("invalid_file", str(exc), [{"loc": ["body", "file"], "msg": str(exc)}])
    if payroll.errors:
        details = [
            {
                "loc": ["body", "file", error.line, error.column],
                "msg": str(error),
                "line": error.line,
                "column": error.column,
                "message": error.message,
            }
            for error in payroll.errors[: services.REPORT_ERRORS]
        ]
        message = f"{len(payroll.errors)} erreur(s) dans le fichier, rien n'est importé"
        return _file_refused("invalid_rows", message, details)
    if dry_run:
        plan = services.plan_import(place, payroll)
        return {"dry_run": True, **services.import_report(payroll, plan)}
    try:
        result = services.import_employees(request.user, place, payroll)
    except PermissionDenied as exc:
        return _forbidden(exc)
    except services.ImportRefused as exc:
        return _file_refused("invalid_rows", str(exc), [])
    except ValidationError as exc:
        return _file_refused("invalid_rows", "; ".join(exc.messages), [])
    return Status(
        201,
        {
            "dry_run": False,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "absent": result.absent,
            "proposed": result.proposed,
        },
    )
