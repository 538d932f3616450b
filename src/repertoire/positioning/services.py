"""Writes of establishments and employees; each checks the actor's scope and is journaled."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from repertoire.accounts.selectors import may_write_personal_data
from repertoire.audit.services import record, snapshot
from repertoire.positioning.models import Employee, Establishment

EMPLOYEE_FIELDS = (
    "matricule",
    "last_name",
    "first_name",
    "job_title",
    "service",
    "hire_date",
    "departure_date",
    "current_level",
    "job_description",
)


@transaction.atomic
def create_establishment(code: str, name: str, *, actor: str) -> Establishment:
    if Establishment.objects.filter(code=code).exists():
        raise ValidationError({"code": f"l'établissement « {code} » existe déjà"})
    establishment = Establishment(code=code, name=name)
    establishment.full_clean()
    establishment.save()
    record(
        actor=actor,
        action="establishment.create",
        instance=establishment,
        after=snapshot(establishment),
        establishment=establishment,
    )
    return establishment


def _check_writer(user, establishment: Establishment) -> None:
    if not may_write_personal_data(user, establishment.pk):
        raise PermissionDenied("vous ne pouvez pas modifier le personnel de cet établissement")


@transaction.atomic
def create_employee(user, establishment: Establishment, **fields) -> Employee:
    _check_writer(user, establishment)
    unknown = set(fields) - set(EMPLOYEE_FIELDS)
    if unknown:
        raise ValidationError({name: "champ inconnu" for name in unknown})
    employee = Employee(establishment=establishment, **fields)
    employee.full_clean()
    employee.save()
    record(
        actor=user.get_username(),
        action="employee.create",
        instance=employee,
        after=snapshot(employee),
        establishment=establishment,
    )
    return employee


@transaction.atomic
def update_employee(user, employee: Employee, **changes) -> Employee:
    _check_writer(user, employee.establishment)
    unknown = set(changes) - set(EMPLOYEE_FIELDS)
    if unknown:
        raise ValidationError({name: "champ inconnu" for name in unknown})
    before = snapshot(employee)
    for name, value in changes.items():
        setattr(employee, name, value)
    employee.full_clean()
    employee.save()
    record(
        actor=user.get_username(),
        action="employee.update",
        instance=employee,
        before=before,
        after=snapshot(employee),
        establishment=employee.establishment,
    )
    return employee
