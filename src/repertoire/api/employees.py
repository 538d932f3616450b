"""Employees over HTTP, scoped to the caller's establishment (DESIGN.md contract), and
employee files (CSV or XLSX) imported all or nothing.

Signed in by session or by ``Authorization: Bearer <token>``; an employee or an
establishment outside the caller's scope answers 404, as if it did not exist. A refusal is
answered by ``api.errors``.
"""

import datetime as dt

from django.conf import settings
from ninja import Field, File, Form, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate
from pydantic import AliasChoices, BaseModel

from repertoire.accounts.selectors import (
    establishment_id_of,
    may_write_personal_data,
    sees_personal_details,
)
from repertoire.api import lookups
from repertoire.api.auth import signed_in
from repertoire.api.errors import ERRORS, WRITE_ERRORS, body, refusals
from repertoire.api.pagination import CountedInOnePass
from repertoire.api.schemas import ErrorOut
from repertoire.core.payroll import PayrollFile, PayrollFileError, read_payroll
from repertoire.core.refusals import NotAllowed
from repertoire.positioning import selectors, services
from repertoire.positioning.models import Employee

router = Router(auth=signed_in(), tags=["employees"])

# An employee refused: the fields in error, under the code the employees API always had.
EMPLOYEE_REFUSED = {"code": "invalid_employee", "message": "Collaborateur invalide"}


# --- shapes: employees ------------------------------------------------------------------


class EmployeeOut(BaseModel):
    # A plain pydantic model, not a ninja Schema: it is given dicts, never models, and a
    # list of them validates without ninja's per-attribute getter.
    id: int
    # A row of a list names it by its path, an employee by its field.
    establishment: str = Field(
        ...,
        description="code",
        validation_alias=AliasChoices("establishment__code", "establishment"),
    )
    last_name: str
    first_name: str
    job_title: str
    current_level: int | None
    matricule: str | None = Field(None, description="hidden from establishment readers")
    service: str | None = Field(None, description="hidden from establishment readers")
    hire_date: dt.date | None = None


# Readers get name, job title and level, nothing else.
FIELDS = ("id", "last_name", "first_name", "job_title", "current_level")
DETAILS = ("matricule", "service", "hire_date")


def _fields(request) -> tuple[str, ...]:
    return FIELDS + DETAILS if sees_personal_details(request.user) else FIELDS


def _out(request, employee: Employee) -> dict:
    return {
        "establishment": employee.establishment.code,
        **{name: getattr(employee, name) for name in _fields(request)},
    }


class EmployeeIn(Schema):
    matricule: str = Field(..., min_length=1, max_length=32)
    last_name: str = Field(..., min_length=1, max_length=120)
    first_name: str = Field("", max_length=120)
    job_title: str = Field(..., min_length=1, max_length=200)
    service: str = Field("", max_length=200)
    hire_date: dt.date | None = None
    current_level: int | None = Field(None, ge=1, le=8)
    establishment: str | None = Field(None, description="code; HR officers: their own")


class EmployeePatch(Schema):
    matricule: str | None = Field(None, min_length=1, max_length=32)
    last_name: str | None = Field(None, min_length=1, max_length=120)
    first_name: str | None = Field(None, max_length=120)
    job_title: str | None = Field(None, min_length=1, max_length=200)
    service: str | None = Field(None, max_length=200)
    hire_date: dt.date | None = None
    current_level: int | None = Field(None, ge=1, le=8)


# --- shapes: employee files -------------------------------------------------------------


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
    pay_columns: dict[str, str] = Field(
        {}, description="pay columns read (sex, base and variable pay, working time)"
    )
    pay_rows: int = Field(0, description="rows giving a person's pay")
    pay_date: dt.date | None = Field(None, description="reference date of the pay data")
    pay_year: int | None = Field(None, description="year of the pay records to write")
    creates: list[ImportCreateOut] = Field(description="the first rows to create")
    updates: list[ImportUpdateOut] = Field(description="the first employees to update")


class ImportResultOut(Schema):
    dry_run: bool = False
    created: int
    updated: int
    unchanged: int
    absent: int
    proposed: int
    pay_records: int = Field(0, description="pay records written (created or replaced)")
    pay_year: int | None = Field(None, description="their year (that of pay_date)")


# --- employee files ---------------------------------------------------------------------
# Before /employees/{pk}: a route is matched in order.


def _file_refused(code: str, message: str, details: list[dict]) -> Status:
    return Status(422, body(code, message, details))


def _rows_in_error(payroll: PayrollFile) -> Status:
    """The file's rows in error, each named by line and column; nothing is imported."""
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


@router.post(
    "/employees/import",
    response={
        200: ImportPreviewOut,
        201: ImportResultOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ImportErrorOut,
    },
    tags=["positioning"],
    # Its id is kept from when it was served beside the positionings.
    operation_id="repertoire_api_positionings_import_employees",
)
@refusals(code="invalid_rows")
def import_employees(
    request,
    file: File[UploadedFile],
    establishment: Form[str],
    dry_run: Form[bool] = True,
    pay_date: Form[dt.date | None] = None,
):
    """Read an employee file (CSV or XLSX) and preview (``dry_run``, the default) or
    import it, all or nothing: a file with any row in error is refused whole (422, every
    error named by line and column).

    A file may carry each person's pay (columns Sexe, Salaire de base annuel brut,
    Rémunération variable annuelle brute, Temps de travail): ``pay_date`` (ISO date) is
    then required, the reference date of that pay; each row with pay writes the person's
    pay record for its year (replacing that year's record, keeping the other years').

    Synchronous: the web pages run large files in the background."""
    place = lookups.establishment(request.user, establishment[:32])
    # The preview names the people of the establishment: for those who may write them.
    if not may_write_personal_data(request.user, place.pk):
        raise NotAllowed("réservé aux RH de l'établissement")
    limit = settings.REPERTOIRE_MAX_UPLOAD_BYTES
    if file.size > limit:
        message = f"fichier trop volumineux ({file.size // 2**20} Mo ; {limit // 2**20} Mo au plus)"
        return _file_refused("invalid_file", message, [{"loc": ["body", "file"], "msg": message}])
    try:
        payroll = read_payroll(file.read(), file.name or "")
    except PayrollFileError as exc:
        return _file_refused("invalid_file", str(exc), [{"loc": ["body", "file"], "msg": str(exc)}])
    if payroll.errors:
        return _rows_in_error(payroll)
    if payroll.pay_columns and pay_date is None:
        message = services.PAY_DATE_REQUIRED
        return _file_refused(
            "invalid_file", message, [{"loc": ["body", "pay_date"], "msg": message}]
        )
    if dry_run:
        plan = services.plan_import(place, payroll)
        return {"dry_run": True, **services.import_report(payroll, plan, pay_date)}
    try:
        result = services.import_employees(request.user, place, payroll, pay_date=pay_date)
    except services.ImportRefused as exc:
        return _file_refused("invalid_rows", str(exc), [])
    return Status(
        201,
        {
            "dry_run": False,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "absent": result.absent,
            "proposed": result.proposed,
            "pay_records": result.pay_records,
            "pay_year": result.pay_year,
        },
    )


# --- employees --------------------------------------------------------------------------


@router.get("/employees", response={200: list[EmployeeOut], **ERRORS})
@paginate(CountedInOnePass)
def list_employees(request, q: str = "", establishment: str | None = None):
    """The employees the caller may see (their establishment; all for national admins)."""
    employees = selectors.employees_for(request.user, search=q[:100], establishment=establishment)
    # Rows, not models: the paginator slices them, and a page is read in one query.
    return employees.values(*_fields(request), "establishment__code")


@router.get("/employees/{pk}", response={200: EmployeeOut, **ERRORS})
def get_employee(request, pk: int):
    return _out(request, lookups.employee(request.user, pk))


@router.post("/employees", response={201: EmployeeOut, **WRITE_ERRORS})
@refusals(**EMPLOYEE_REFUSED)
def create_employee(request, payload: EmployeeIn):
    data = payload.dict()
    code = data.pop("establishment")
    if code:
        establishment = lookups.establishment(request.user, code)
    else:
        # HR officers: their own establishment.
        establishment = lookups.found(
            selectors.establishments_for(request.user),
            "aucun établissement «  » à votre portée",
            pk=establishment_id_of(request.user),
        )
    employee = services.create_employee(request.user, establishment, **data)
    return Status(201, _out(request, employee))


@router.patch("/employees/{pk}", response={200: EmployeeOut, **WRITE_ERRORS})
@refusals(**EMPLOYEE_REFUSED)
def update_employee(request, pk: int, payload: EmployeePatch):
    employee = services.update_employee(
        request.user, lookups.employee(request.user, pk), **payload.dict(exclude_unset=True)
    )
    return _out(request, employee)
