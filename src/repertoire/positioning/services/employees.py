"""Writes of establishments and employees: creation, update, erasure and retention.

Employee writes take the acting user and refuse (``NotAllowed``) anyone who may not write
the establishment's personal data; creating an establishment takes only the name of its
author (national setup: the command line and the demo). Each write runs in one transaction
and is journaled with its author; what is said about a person is sealed with their key.
"""

from __future__ import annotations

import datetime as dt
import re

from cryptography.fernet import Fernet
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from repertoire.audit import services as audit
from repertoire.audit.services import record, snapshot
from repertoire.catalog.models import Edition
from repertoire.core.batches import filter_in
from repertoire.core.refusals import Refused
from repertoire.locking import locked
from repertoire.positioning.models import (
    Appeal,
    Employee,
    EmployeeImport,
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
    """Change some of an employee's fields; the others stay as the database has them (read
    again under a lock: a change made meanwhile by someone else, or an import, is kept)."""
    check_writer(user, employee.establishment)
    _unknown_fields(changes)
    locked(employee)
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
    locked(employee)
    if employee.pseudonymised_at is not None:
        return employee
    EmployeeKey.objects.filter(employee=employee).delete()
    _erase_from_import_reports(employee)
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


def _erase_from_import_reports(employee: Employee) -> None:
    """The previews of the establishment's employee files name the person (matricule, name,
    the values an update changed): their entries are erased, and their matricule and name
    wherever a message repeats them."""
    names = {
        f"{employee.last_name} {employee.first_name}".strip(),
        f"{employee.first_name} {employee.last_name}".strip(),
    }
    identifiers = sorted({employee.matricule, *names} - {""}, key=len, reverse=True)
    if not identifiers:
        return
    pattern = re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(text) for text in identifiers) + r")(?!\w)"
    )

    def scrubbed(value):
        if isinstance(value, str):
            return pattern.sub(audit.ERASED, value)
        if isinstance(value, list):
            return [scrubbed(item) for item in value]
        if not isinstance(value, dict):
            return value
        if value.get("matricule") == employee.matricule:
            # The person's own line of the preview: who, and what changed about them.
            value = {**value, "matricule": audit.ERASED, "name": audit.ERASED}
            value["changes"] = [
                {**change, "before": audit.ERASED, "after": audit.ERASED}
                for change in value.get("changes", [])
            ]
        return {key: scrubbed(item) for key, item in value.items()}

    # The reports only: the files themselves may be large (``purge_uploads`` deletes them).
    for pk, report in EmployeeImport.objects.filter(
        establishment_id=employee.establishment_id
    ).values_list("pk", "report"):
        clean = scrubbed(report)
        if clean != report:
            EmployeeImport.objects.filter(pk=pk).update(report=clean)


@transaction.atomic
def purge_uploads(*, days: int, now: dt.datetime | None = None, dry_run: bool = False) -> int:
    """Delete the uploaded employee files that are no longer needed: those of committed
    imports (the employees hold their content), and those never committed ``days`` days
    after their upload (an import left ready can no longer be committed: it fails, saying
    why). Journaled one by one ("import.file_delete"); returns how many."""
    now = now or timezone.now()
    due = list(
        EmployeeImport.objects.exclude(content=b"")
        .filter(Q(committed_at__isnull=False) | Q(created_at__lt=now - dt.timedelta(days=days)))
        .select_related("establishment")
        .only("pk", "filename", "status", "committed_at", "establishment")
        .order_by("pk")
    )
    if dry_run or not due:
        return len(due)
    Status = EmployeeImport.Status
    unfinished = [b.pk for b in due if b.committed_at is None and b.status in _WAITING_IMPORTS]
    EmployeeImport.objects.filter(pk__in=[b.pk for b in due]).update(content=b"")
    EmployeeImport.objects.filter(pk__in=unfinished).update(
        status=Status.FAILED,
        error=f"fichier supprimé {days} jours après son envoi sans avoir été importé : "
        "envoyez-le à nouveau",
        updated_at=now,
    )
    audit.record_many(
        [
            audit.entry(
                actor="retention",
                action="import.file_delete",
                instance=batch,
                after={
                    "file": batch.filename,
                    "reason": "importé"
                    if batch.committed_at
                    else f"non importé après {days} jours",
                },
                establishment=batch.establishment,
            )
            for batch in due
        ]
    )
    return len(due)


_WAITING_IMPORTS = (
    EmployeeImport.Status.ANALYSING,
    EmployeeImport.Status.READY,
    EmployeeImport.Status.IMPORTING,
)


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
