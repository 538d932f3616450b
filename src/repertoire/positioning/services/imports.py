"""Import of an employee file (payroll export): upload, analysis with a preview, then
commit, all or nothing, with proposals for new employees and changed titles.

``upload_employee_file``, ``commit_employee_file`` and ``import_employees`` take the acting
user and refuse (``NotAllowed``) anyone who may not write the establishment's personal
data; the analysis and the import itself run in the background (``analyse_employee_file``,
``run_employee_import``, given ids) and keep their progress, or their failure, on the
``EmployeeImport``. Reading the file is ``core.payroll``'s.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from cryptography.fernet import Fernet
from django.db import transaction
from django.utils import timezone

from repertoire.audit import services as audit
from repertoire.audit.services import record, snapshot
from repertoire.catalog.models import Edition
from repertoire.core.payroll import (
    FIELD_LABELS,
    PayrollFile,
    PayrollFileError,
    PayrollRow,
    read_payroll,
)
from repertoire.core.refusals import Refused
from repertoire.positioning.models import Employee, EmployeeImport, EmployeeKey, Establishment
from repertoire.positioning.services._common import BATCH, TITLE_FIELDS, check_writer
from repertoire.positioning.services.decisions import propose
from repertoire.tasks import run_in_background, throttled

logger = logging.getLogger(__name__)

# Changes listed in an import's report (the counts cover all of them).
REPORT_SAMPLE = 200
# Problems listed in an import's report.
REPORT_ERRORS = 1000


class ImportRefused(Refused):
    """The file has errors: nothing was written. ``report`` names them."""

    def __init__(self, message: str, report: dict | None = None):
        super().__init__(message)
        self.report = report or {}


# --- what a file would do -------------------------------------------------------------


@dataclass
class ImportPlan:
    """What importing a file would do to an establishment's employees."""

    creates: list[PayrollRow] = field(default_factory=list)
    updates: list[tuple[Employee, PayrollRow, dict]] = field(default_factory=list)
    unchanged: int = 0
    absent: int = 0  # employees of the establishment the file does not mention


def plan_import(establishment: Establishment, payroll: PayrollFile) -> ImportPlan:
    """Compare a read file with the establishment's employees (no scope: callers read the
    establishment through their scope)."""
    existing = {
        employee.matricule: employee
        for employee in Employee.objects.filter(establishment=establishment)
    }
    plan = ImportPlan()
    for row in payroll.rows:
        employee = existing.pop(row.values["matricule"], None)
        if employee is None:
            plan.creates.append(row)
            continue
        changes = {
            name: value
            for name, value in row.values.items()
            if name != "matricule" and getattr(employee, name) != value
        }
        if changes:
            plan.updates.append((employee, row, changes))
        else:
            plan.unchanged += 1
    plan.absent = len(existing)
    return plan


def import_report(payroll: PayrollFile, plan: ImportPlan) -> dict:
    """The preview an HR officer reads before committing (kept as JSON on the import)."""

    def shown(value):
        return value.strftime("%d/%m/%Y") if isinstance(value, dt.date) else value

    return {
        "format": payroll.format,
        "encoding": payroll.encoding,
        "delimiter": {"\t": "tabulation"}.get(payroll.delimiter, payroll.delimiter),
        "columns": payroll.columns,
        "ignored": payroll.ignored,
        "rows": len(payroll.rows),
        "error_count": len(payroll.errors),
        "errors": [
            {"line": e.line, "column": e.column, "message": e.message}
            for e in payroll.errors[:REPORT_ERRORS]
        ],
        "create": len(plan.creates),
        "update": len(plan.updates),
        "unchanged": plan.unchanged,
        "absent": plan.absent,
        "creates": [
            {
                "line": row.line,
                "matricule": row.values["matricule"],
                "name": f"{row.values['last_name']} {row.values.get('first_name', '')}".strip(),
                "job_title": row.values["job_title"],
            }
            for row in plan.creates[:REPORT_SAMPLE]
        ],
        "updates": [
            {
                "line": row.line,
                "matricule": employee.matricule,
                "name": f"{employee.last_name} {employee.first_name}".strip(),
                "changes": [
                    {
                        "field": FIELD_LABELS.get(name, name),
                        "before": shown(getattr(employee, name)),
                        "after": shown(value),
                    }
                    for name, value in changes.items()
                ],
            }
            for employee, row, changes in plan.updates[:REPORT_SAMPLE]
        ],
    }


# --- the import -----------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int
    absent: int
    proposed: int


def import_employees(
    user,
    establishment: Establishment,
    payroll: PayrollFile,
    *,
    progress: Callable[[float, str], None] | None = None,
) -> ImportResult:
    """Create and update the establishment's employees from a read file, and propose
    a reference job to each new employee or changed title; all or nothing.

    A file with errors is refused whole: nothing is written.
    """
    check_writer(user, establishment)
    if payroll.errors:
        first = "; ".join(str(error) for error in payroll.errors[:3])
        raise ImportRefused(
            f"{len(payroll.errors)} ligne(s) en erreur, rien n'est importé : {first}"
        )
    progress = progress or (lambda fraction, stage: None)
    author = user.get_username()
    with transaction.atomic():
        plan = plan_import(establishment, payroll)
        progress(0.05, "collaborateurs créés")
        created = _create_employees(author, establishment, plan.creates, progress)
        changed = _update_employees(author, establishment, plan.updates)
        progress(0.5, "propositions d'emplois")
        to_propose = created + [
            employee for employee, _, changes in plan.updates if set(changes) & set(TITLE_FIELDS)
        ]
        # As for one employee: proposals wait until an edition is loaded.
        proposed = (
            propose(
                to_propose,
                actor=author,
                progress=lambda fraction: progress(0.5 + 0.45 * fraction, "propositions d'emplois"),
            )
            if Edition.objects.exists()
            else 0
        )
    progress(1.0, "terminé")
    return ImportResult(len(created), changed, plan.unchanged, plan.absent, proposed)


def _create_employees(
    author: str, establishment: Establishment, rows: list[PayrollRow], progress
) -> list[Employee]:
    employees = []
    for row in rows:
        values = {name: value for name, value in row.values.items()}
        for name in ("first_name", "service", "job_description"):
            values.setdefault(name, "")
            values[name] = values[name] or ""
        employees.append(Employee(establishment=establishment, **values))
    created = []
    for start in range(0, len(employees), BATCH):
        chunk = Employee.objects.bulk_create(employees[start : start + BATCH])
        keys = [EmployeeKey(employee=e, key=Fernet.generate_key().decode()) for e in chunk]
        EmployeeKey.objects.bulk_create(keys)
        audit.record_many(
            [
                audit.entry(
                    actor=author,
                    action="employee.import",
                    instance=employee,
                    after=snapshot(employee, key.key),
                    establishment=establishment,
                )
                for employee, key in zip(chunk, keys, strict=True)
            ]
        )
        created.extend(chunk)
        progress(0.05 + 0.4 * len(created) / len(employees), "collaborateurs créés")
    return created


def _update_employees(
    author: str, establishment: Establishment, updates: list[tuple[Employee, PayrollRow, dict]]
) -> int:
    if not updates:
        return 0
    keys = dict(
        EmployeeKey.objects.filter(
            employee__in=[employee.pk for employee, _, _ in updates]
        ).values_list("employee_id", "key")
    )
    journal, fields = [], set()
    for employee, _, changes in updates:
        key = keys.get(employee.pk)
        before = snapshot(employee, key)
        for name, value in changes.items():
            setattr(employee, name, value)
        fields.update(changes)
        journal.append(
            audit.entry(
                actor=author,
                action="employee.import",
                instance=employee,
                before=before,
                after=snapshot(employee, key),
                establishment=establishment,
            )
        )
    now = timezone.now()
    for employee, _, _ in updates:
        employee.updated_at = now
    Employee.objects.bulk_update(
        [employee for employee, _, _ in updates], [*fields, "updated_at"], batch_size=BATCH
    )
    audit.record_many(journal)
    return len(updates)


# --- in the background: upload, analysis, commit --------------------------------------


def upload_employee_file(
    user, establishment: Establishment, *, filename: str, content: bytes
) -> EmployeeImport:
    """Keep an uploaded employee file and analyse it (in the background): the preview."""
    check_writer(user, establishment)
    batch = EmployeeImport.objects.create(
        establishment=establishment,
        filename=filename[:255],
        content=content,
        status=EmployeeImport.Status.ANALYSING,
        created_by=user.get_username(),
    )
    record(
        actor=user.get_username(),
        action="import.upload",
        instance=batch,
        after={"file": batch.filename, "size": len(content)},
        establishment=establishment,
    )
    transaction.on_commit(lambda: run_in_background(analyse_employee_file, batch.pk))
    return batch


def _progress_of(pk: int):
    def write(fraction: float, stage: str) -> None:
        EmployeeImport.objects.filter(pk=pk).update(
            progress=min(fraction, 0.99), stage=stage, updated_at=timezone.now()
        )

    return throttled(write)


def _read(batch: EmployeeImport, progress=None) -> PayrollFile:
    return read_payroll(bytes(batch.content), batch.filename, progress=progress)


def analyse_employee_file(pk: int) -> None:
    """Read the file, compare it with the establishment's employees, keep the preview."""
    batch = EmployeeImport.objects.select_related("establishment").get(pk=pk)
    progress = _progress_of(pk)
    progress(0.0, "lecture du fichier")
    total_lines = max(bytes(batch.content).count(b"\n"), 1)
    try:
        payroll = _read(batch, lambda rows: progress(0.8 * rows / total_lines, "lecture"))
        plan = plan_import(batch.establishment, payroll)
    except PayrollFileError as exc:
        batch.finish(status=EmployeeImport.Status.INVALID, report={"file_error": str(exc)})
        return
    except Exception as exc:  # kept for the person waiting on the page, never "analysing" forever
        logger.exception("analysis of employee file %s failed", pk)
        batch.fail(exc)
        return
    batch.finish(
        status=EmployeeImport.Status.INVALID if payroll.errors else EmployeeImport.Status.READY,
        report=import_report(payroll, plan),
    )


@transaction.atomic
def commit_employee_file(user, batch: EmployeeImport) -> EmployeeImport:
    """Import an analysed file without errors (in the background)."""
    check_writer(user, batch.establishment)
    batch = EmployeeImport.objects.select_for_update().get(pk=batch.pk)
    if batch.status != EmployeeImport.Status.READY:
        raise Refused("ce fichier n'est pas prêt à être importé")
    batch.status = EmployeeImport.Status.IMPORTING
    batch.progress = 0.0
    batch.stage = "import"
    batch.save()
    transaction.on_commit(lambda: run_in_background(run_employee_import, batch.pk, user.pk))
    return batch


def run_employee_import(pk: int, user_pk: int) -> None:
    """Import a committed file as its user; the result, or the failure, kept on it."""
    from django.contrib.auth import get_user_model

    batch = EmployeeImport.objects.select_related("establishment").get(pk=pk)
    user = get_user_model().objects.get(pk=user_pk)
    try:
        result = import_employees(
            user, batch.establishment, _read(batch), progress=_progress_of(pk)
        )
    except (Refused, PayrollFileError) as exc:
        batch.fail(str(exc))
        return
    except Exception as exc:  # kept for the person waiting on the page
        logger.exception("employee import %s failed", pk)
        batch.fail(exc)
        return
    # The file has done its work: the employees hold its content now.
    batch.finish(
        report={**batch.report, "result": asdict(result)},
        content=b"",
        committed_at=timezone.now(),
    )
