"""Writes of establishments and employees; each checks the actor's scope and is journaled."""

from __future__ import annotations

import datetime as dt

from cryptography.fernet import Fernet
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from repertoire.accounts.selectors import may_write_personal_data
from repertoire.audit.services import record, snapshot
from repertoire.positioning.models import Employee, EmployeeKey, Establishment


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
    unknown = set(fields) - set(Employee.EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: "champ inconnu" for name in unknown})
    employee = Employee(establishment=establishment, **fields)
    employee.full_clean()
    employee.save()
    key = EmployeeKey.objects.create(employee=employee, key=Fernet.generate_key().decode())
    record(
        actor=user.get_username(),
        action="employee.create",
        instance=employee,
        after=snapshot(employee, key.key),
        establishment=establishment,
    )
    return employee


def _key_of(employee: Employee) -> str | None:
    return EmployeeKey.objects.filter(employee=employee).values_list("key", flat=True).first()


@transaction.atomic
def update_employee(user, employee: Employee, **changes) -> Employee:
    _check_writer(user, employee.establishment)
    unknown = set(changes) - set(Employee.EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: "champ inconnu" for name in unknown})
    if employee.pseudonymised_at is not None:
        raise ValidationError("ce collaborateur a été effacé")
    key = _key_of(employee)
    before = snapshot(employee, key)
    for name, value in changes.items():
        setattr(employee, name, value)
    employee.full_clean()
    employee.save()
    record(
        actor=user.get_username(),
        action="employee.update",
        instance=employee,
        before=before,
        after=snapshot(employee, key),
        establishment=employee.establishment,
    )
    return employee


@transaction.atomic
def erase_employee(user, employee: Employee, *, reason: str) -> Employee:
    """Pseudonymise a person (right to erasure, retention period over).

    Their identity goes from the employee row and, by destroying their key, from the
    journal; what statistics need stays: establishment, job title, service, level and
    the years of hire and departure. ``user`` None is the retention command.
    """
    if user is not None:
        _check_writer(user, employee.establishment)
    if employee.pseudonymised_at is not None:
        return employee
    EmployeeKey.objects.filter(employee=employee).delete()
    employee.matricule = f"anonyme-{employee.pk}"
    employee.last_name = "ANONYME"
    employee.first_name = ""
    employee.job_description = ""
    if employee.hire_date:
        employee.hire_date = employee.hire_date.replace(month=1, day=1)
    if employee.departure_date:
        employee.departure_date = employee.departure_date.replace(month=1, day=1)
    employee.pseudonymised_at = timezone.now()
    employee.save()
    record(
        actor=user.get_username() if user is not None else "retention",
        action="employee.erase",
        instance=employee,
        after={**snapshot(employee), "motif": reason},
        establishment=employee.establishment,
    )
    return employee


def apply_retention(
    *, years: int, today: dt.date | None = None, dry_run: bool = False
) -> list[int]:
    """Erase the people who left more than ``years`` years ago; returns their ids."""
    today = today or timezone.localdate()
    limit = today.replace(year=today.year - years)
    due = Employee.objects.filter(departure_date__lt=limit, pseudonymised_at__isnull=True)
    ids = list(due.values_list("pk", flat=True))
    if not dry_run:
        for employee in due.select_related("establishment"):
            erase_employee(None, employee, reason=f"durée de conservation ({years} ans) écoulée")
    return ids
