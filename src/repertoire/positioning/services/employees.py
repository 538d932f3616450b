"""Writes of establishments and employees: creation, update, erasure and retention.

Employee writes take the acting user and refuse (``NotAllowed``) anyone who may not write
the establishment's personal data; creating an establishment takes only the name of its
author (national setup: the command line and the demo). Each write runs in one transaction
and is journaled with its author; what is said about a person is sealed with their key.
"""

from __future__ import annotations

import datetime as dt

from cryptography.fernet import Fernet
from django.db import transaction
from django.utils import timezone

from repertoire.audit import services as audit
from repertoire.audit.services import record, snapshot
from repertoire.catalog.models import Edition
from repertoire.core.batches import filter_in
from repertoire.core.refusals import Refused
from repertoire.positioning.models import (
    Appeal,
    Employee,
    EmployeeKey,
    Establishment,
    PayRecord,
    Positioning,
    PositioningEvent,
)
from repertoire.positioning.services._common import TITLE_FIELDS, check_writer, key_of
from repertoire.positioning.services.decisions import propose
from repertoire.validation import full_clean


@transaction.atomic
def create_establishment(code: str, name: str, *, actor: str) -> Establishment:
    """A new establishment of the network; ``actor`` names its author in the journal (no
    scope to check: only national setup creates establishments)."""
    if Establishment.objects.filter(code=code).exists():
        raise Refused(problems={"code": f"l'établissement « {code} » existe déjà"})
    establishment = Establishment(code=code, name=name)
    full_clean(establishment)
    establishment.save()
    record(
        actor=actor,
        action="establishment.create",
        instance=establishment,
        after=snapshot(establishment),
        establishment=establishment,
    )
    return establishment


def _unknown_fields(fields) -> None:
    unknown = set(fields) - set(Employee.EDITABLE_FIELDS)
    if unknown:
        raise Refused(problems={name: "champ inconnu" for name in unknown})


@transaction.atomic
def create_employee(user, establishment: Establishment, **fields) -> Employee:
    check_writer(user, establishment)
    _unknown_fields(fields)
    employee = Employee(establishment=establishment, **fields)
    full_clean(employee)
    employee.save()
    key = EmployeeKey.objects.create(employee=employee, key=Fernet.generate_key().decode())
    record(
        actor=user.get_username(),
        action="employee.create",
        instance=employee,
        after=snapshot(employee, key.key),
        establishment=establishment,
    )
    _propose_if_edition(employee, actor=user.get_username())
    return employee


def _propose_if_edition(employee: Employee, *, actor: str) -> None:
    """A new employee or a changed title gets proposals, once an edition is loaded."""
    if Edition.objects.exists():
        propose([employee], actor=actor)


@transaction.atomic
def update_employee(user, employee: Employee, **changes) -> Employee:
    check_writer(user, employee.establishment)
    _unknown_fields(changes)
    if employee.pseudonymised_at is not None:
        raise Refused("ce collaborateur a été effacé")
    key = key_of(employee)
    before = snapshot(employee, key)
    for name, value in changes.items():
        setattr(employee, name, value)
    full_clean(employee)
    employee.save()
    record(
        actor=user.get_username(),
        action="employee.update",
        instance=employee,
        before=before,
        after=snapshot(employee, key),
        establishment=employee.establishment,
    )
    if set(changes) & set(TITLE_FIELDS):
        _propose_if_edition(employee, actor=user.get_username())
    return employee


@transaction.atomic
def erase_employee(user, employee: Employee, *, reason: str) -> Employee:
    """Pseudonymise a person (right to erasure, retention period over).

    Their identity goes from the employee row and, by destroying their key, from the
    journal; what was written about them (comments, reasons for a personal level, notes
    of the steps, appeal arguments and reasonings) goes from their positionings and
    appeals; their pay records (sex and pay) are deleted. What statistics need stays:
    establishment, job title, service, level, the decisions and the years of hire and
    departure. ``user`` None is the retention command.
    """
    if user is not None:
        check_writer(user, employee.establishment)
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
    _erase_what_was_written_about(employee)
    record(
        actor=user.get_username() if user is not None else "retention",
        action="employee.erase",
        instance=employee,
        after={**snapshot(employee), "reason": reason},
        establishment=employee.establishment,
    )
    return employee


def _erase_what_was_written_about(employee: Employee) -> None:
    positionings = Positioning.objects.filter(employee=employee)
    positionings.exclude(comment="").update(comment=audit.ERASED)
    positionings.exclude(personal_level_reason="").update(personal_level_reason=audit.ERASED)
    PositioningEvent.objects.filter(positioning__in=positionings).exclude(note="").update(
        note=audit.ERASED
    )
    appeals = Appeal.objects.filter(positioning__in=positionings)
    appeals.update(argument=audit.ERASED)
    appeals.exclude(reasoning="").update(reasoning=audit.ERASED)
    PayRecord.objects.filter(employee=employee).delete()


def apply_retention(
    *, years: int, today: dt.date | None = None, dry_run: bool = False
) -> list[int]:
    """Erase the people who left more than ``years`` years ago (their pay records go with
    them), and delete every pay record whose reference date is more than ``years`` years
    old, whoever it is about (pay is kept no longer than the retention period, even for
    people still employed); returns the ids of the people erased (the retention command:
    no user, no scope)."""
    today = today or timezone.localdate()
    limit = _years_before(today, years)
    due = Employee.objects.filter(departure_date__lt=limit, pseudonymised_at__isnull=True)
    ids = list(due.values_list("pk", flat=True))
    if not dry_run:
        reason = f"durée de conservation ({years} ans) écoulée"
        for employee in due.select_related("establishment"):
            erase_employee(None, employee, reason=reason)
        purge_pay_records(before=limit, reason=reason)
    return ids


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


@transaction.atomic
def purge_pay_records(*, before: dt.date, reason: str) -> int:
    """Delete the pay records whose reference date is before ``before`` (retention);
    journaled one by one ("pay.erase", no personal value). Returns how many went."""
    due = list(
        PayRecord.objects.filter(reference_date__lt=before).select_related(
            "employee__establishment"
        )
    )
    if not due:
        return 0
    audit.record_many(
        [
            audit.entry(
                actor="retention",
                action="pay.erase",
                instance=held,
                after={"employee": held.employee_id, "year": held.year, "reason": reason},
                establishment=held.employee.establishment,
            )
            for held in due
        ]
    )
    for batch in filter_in(PayRecord.objects.all(), "pk", [held.pk for held in due]):
        batch.delete()
    return len(due)
