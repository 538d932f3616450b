"""Employees over HTTP, scoped to the caller's establishment (DESIGN.md contract).

Signed in by session or by ``Authorization: Bearer <token>``; an employee outside the
caller's scope answers 404, as if it did not exist.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from ninja.security import HttpBearer, django_auth
from pydantic import AliasChoices, BaseModel

from repertoire.accounts.selectors import establishment_id_of, sees_personal_details
from repertoire.accounts.services import user_for_token
from repertoire.api.pagination import CountedInOnePass
from repertoire.api.schemas import ErrorOut
from repertoire.positioning import selectors, services
from repertoire.positioning.models import Employee


class BearerToken(HttpBearer):
    def authenticate(self, request, token: str):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


router = Router(auth=[BearerToken(), django_auth], tags=["employees"])


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


def _employee(request, pk: int) -> Employee:
    try:
        return selectors.employee_for(request.user, pk)
    except Employee.DoesNotExist:
        raise Http404(f"aucun collaborateur {pk}") from None


def _invalid(exc: ValidationError) -> dict:
    return {
        "error": {
            "code": "invalid_employee",
            "message": "Collaborateur invalide",
            "details": [
                {"loc": ["body", field], "msg": " ".join(str(m) for m in messages)}
                for field, messages in exc.message_dict.items()
            ],
        }
    }


ERRORS = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut}


@router.get("/employees", response={200: list[EmployeeOut], **ERRORS})
@paginate(CountedInOnePass)
def list_employees(request, q: str = "", establishment: str | None = None):
    """The employees the caller may see (their establishment; all for national admins)."""
    employees = selectors.employees_for(request.user, search=q[:100], establishment=establishment)
    # Rows, not models: the paginator slices them, and a page is read in one query.
    return employees.values(*_fields(request), "establishment__code")


@router.get("/employees/{pk}", response={200: EmployeeOut, **ERRORS})
def get_employee(request, pk: int):
    return _out(request, _employee(request, pk))


@router.post("/employees", response={201: EmployeeOut, 403: ErrorOut, **ERRORS})
def create_employee(request, payload: EmployeeIn):
    data = payload.dict()
    code = data.pop("establishment")
    visible = selectors.establishments_for(request.user)
    if code:
        establishment = visible.filter(code=code).first()
    else:
        establishment = visible.filter(pk=establishment_id_of(request.user)).first()
    if establishment is None:
        raise Http404(f"aucun établissement « {code or ''} » à votre portée")
    try:
        employee = services.create_employee(request.user, establishment, **data)
    except PermissionDenied as exc:
        return Status(403, {"error": {"code": "forbidden", "message": str(exc), "details": []}})
    except ValidationError as exc:
        return Status(422, _invalid(exc))
    return Status(201, _out(request, employee))


@router.patch("/employees/{pk}", response={200: EmployeeOut, 403: ErrorOut, **ERRORS})
def update_employee(request, pk: int, payload: EmployeePatch):
    employee = _employee(request, pk)
    try:
        employee = services.update_employee(
            request.user, employee, **payload.dict(exclude_unset=True)
        )
    except PermissionDenied as exc:
        return Status(403, {"error": {"code": "forbidden", "message": str(exc), "details": []}})
    except ValidationError as exc:
        return Status(422, _invalid(exc))
    return _out(request, employee)
