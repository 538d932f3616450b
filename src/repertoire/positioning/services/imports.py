"""Import of an employee file (payroll export): upload, analysis with a preview, then
commit, all or nothing, with proposals for new employees and changed titles.

``upload_employee_file``, ``commit_employee_file`` and ``import_employees`` take the acting
user and refuse (``NotAllowed``) anyone who may not write the establishment's personal
data; the analysis and the import itself run in the background (``analyse_employee_file``,
``run_employee_import``, given ids) and keep their progress, or their failure, on the
``EmployeeImport``. Reading the file is ``core.payroll``'s.

A file may carry each person's pay (``PayrollRow.pay``): its reference date is given with
the import (``pay_date``), and each row with pay writes the person's ``PayRecord`` for
that date's year, in the import's transaction, sealed in the journal with their key.
A later import for the same year replaces that year's record; another year keeps it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from cryptography.fernet import Fernet
from django.db import OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from repertoire import tasks
from repertoire.audit import services as audit
from repertoire.audit.services import record, snapshot
from repertoire.catalog.models import Edition
from repertoire.core.batches import rows_in
from repertoire.core.matching import TitleQuery
from repertoire.core.payroll import (
    PayrollFile,
    PayrollFileError,
    PayrollRow,
    read_payroll,
)
from repertoire.core.payroll_columns import FIELD_LABELS
from repertoire.core.refusals import Conflict, Refused
from repertoire.positioning.models import (
    Employee,
    EmployeeImport,
    EmployeeKey,
    Establishment,
    PayRecord,
)
from repertoire.positioning.services._common import (
    BATCH,
    TITLE_FIELDS,
    check_writer,
    title_query,
)
from repertoire.positioning.services.decisions import match_titles, propose
from repertoire.tasks import throttled

logger = logging.getLogger(__name__)

# Changes listed in an import's report (the counts cover all of them).
REPORT_SAMPLE = 200
# Problems listed in an import's report.
REPORT_ERRORS = 1000
# PostgreSQL's answer to a lock asked for without waiting that another transaction holds.
LOCK_NOT_AVAILABLE = "55P03"


class ImportRefused(Refused):
    """The file has errors: nothing was written. ``report`` names them."""

    def __init__(self, message: str, report: dict | None = None):
        super().__init__(message)
        self.report = report or {}


# --- the reference date of the pay data ------------------------------------------------

PAY_DATE_REQUIRED = (
    "le fichier donne des rémunérations : indiquez leur date de référence "
    "(date de référence des rémunérations)"
)


def default_pay_date(today: dt.date | None = None) -> dt.date:
    """The reference date offered for a file's pay: 31 December of last year."""
    today = today or timezone.localdate()
    return dt.date(today.year - 1, 12, 31)


def check_pay_date(payroll: PayrollFile, pay_date: dt.date | None) -> None:
    """Refused (on ``pay_date``) when the file has pay columns and no reference date."""
    if payroll.pay_columns and pay_date is None:
        raise Refused(problems={"pay_date": [PAY_DATE_REQUIRED]})


def pay_rows(payroll: PayrollFile) -> int:
    """How many rows of the file give a person's pay."""
    return sum(1 for row in payroll.rows if row.pay is not None)


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


def import_report(payroll: PayrollFile, plan: ImportPlan, pay_date: dt.date | None = None) -> dict:
    """The preview an HR officer reads before committing (kept as JSON on the import):
    with pay, how many rows carry it and for which year."""

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
        "pay_columns": {FIELD_LABELS[name]: header for name, header in payroll.pay_columns.items()},
        "pay_rows": pay_rows(payroll),
        "pay_date": pay_date.isoformat() if pay_date else None,
        "pay_year": pay_date.year if pay_date and payroll.pay_columns else None,
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
    pay_records: int = 0  # pay records written (created or replaced)
    pay_year: int | None = None


def import_employees(
    user,
    establishment: Establishment,
    payroll: PayrollFile,
    *,
    pay_date: dt.date | None = None,
    source: EmployeeImport | None = None,
    progress: Callable[[float, str], None] | None = None,
    written: Callable[[ImportResult], None] | None = None,
) -> ImportResult:
    """Create and update the establishment's employees from a read file, and propose
    a reference job to each new employee or changed title; all or nothing. ``written``
    is called with the result before the write commits (it may still refuse it).

    A file with errors is refused whole: nothing is written. A file with pay columns
    needs ``pay_date``; each row with pay writes the person's pay record for its year.
    """
    check_writer(user, establishment)
    if payroll.errors:
        first = "; ".join(str(error) for error in payroll.errors[:3])
        raise ImportRefused(
            f"{len(payroll.errors)} ligne(s) en erreur, rien n'est importé : {first}"
        )
    check_pay_date(payroll, pay_date)
    progress = progress or (lambda fraction, stage: None)
    author = user.get_username()
    # The long part first, outside any transaction (its progress is seen as it moves, and
    # on SQLite nobody else's writes wait for it): comparing, matching the titles.
    progress(0.02, "comparaison")
    planned = plan_import(establishment, payroll)
    # As for one employee: proposals wait until an edition is loaded.
    proposing = Edition.objects.exists()
    matches = (
        match_titles(
            _titles_to_propose(planned),
            establishment=establishment,
            progress=lambda fraction: progress(0.05 + 0.8 * fraction, "propositions d'emplois"),
        )
        if proposing
        else None
    )
    progress(0.9, "enregistrement")
    # Then one short write, all or nothing, on what the database holds now: the plan is
    # made again (employees may have changed meanwhile); a title matched ahead is reused.
    with transaction.atomic():
        _lock_for_import(establishment)
        plan = plan_import(establishment, payroll)
        created = _create_employees(author, establishment, plan.creates)
        changed = _update_employees(author, establishment, plan.updates)
        to_propose = created + [
            employee for employee, _, changes in plan.updates if set(changes) & set(TITLE_FIELDS)
        ]
        proposed = propose(to_propose, actor=author, matches=matches) if proposing else 0
        paid = (
            write_pay_records(author, establishment, payroll, pay_date, source)
            if pay_date is not None and payroll.pay_columns
            else 0
        )
        result = ImportResult(
            len(created),
            changed,
            plan.unchanged,
            plan.absent,
            proposed,
            pay_records=paid,
            pay_year=pay_date.year if pay_date is not None and payroll.pay_columns else None,
        )
        if written is not None:
            written(result)
    progress(1.0, "terminé")
    return result


def _titles_to_propose(plan: ImportPlan) -> list[TitleQuery]:
    """The titles the import will propose a job for: new employees', changed titles."""
    new = [title_query(Employee(**_employee_values(row))) for row in plan.creates]
    changed = []
    for employee, _, changes in plan.updates:
        if set(changes) & set(TITLE_FIELDS):
            values = {name: changes.get(name, getattr(employee, name)) for name in TITLE_FIELDS}
            changed.append(title_query(Employee(**values)))
    return new + changed


def _employee_values(row: PayrollRow) -> dict:
    values = {name: value for name, value in row.values.items()}
    for name in ("first_name", "service", "job_description"):
        values.setdefault(name, "")
        values[name] = values[name] or ""
    return values


def _lock_for_import(establishment: Establishment) -> None:
    """One import of an establishment at a time: a second one started meanwhile is
    refused (``Conflict``) rather than creating the same people twice. The employees are
    locked too, so that a change made to one of them during the import waits for it and
    is not overwritten by the file's reading of them."""
    try:
        list(
            Establishment.objects.select_for_update(no_key=True, nowait=True)
            .filter(pk=establishment.pk)
            .values_list("pk")
        )
    except OperationalError as exc:
        if getattr(exc.__cause__, "sqlstate", None) != LOCK_NOT_AVAILABLE:
            raise
        raise Conflict(
            gettext(
                "Another import of the employees of %(establishment)s is under way: "
                "nothing was imported. Try again once it is done."
            )
            % {"establishment": establishment.code}
        ) from None
    list(
        Employee.objects.filter(establishment=establishment)
        .select_for_update(of=("self",))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _create_employees(
    author: str, establishment: Establishment, rows: list[PayrollRow]
) -> list[Employee]:
    employees = [Employee(establishment=establishment, **_employee_values(row)) for row in rows]
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
    return created


def _update_employees(
    author: str, establishment: Establishment, updates: list[tuple[Employee, PayrollRow, dict]]
) -> int:
    if not updates:
        return 0
    keys = dict(
        rows_in(
            EmployeeKey.objects.values_list("employee_id", "key"),
            "employee",
            [employee.pk for employee, _, _ in updates],
        )
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


# --- pay records -----------------------------------------------------------------------

PAY_VALUES = ("reference_date", "sex", "base_pay", "variable_pay", "working_time", "source_id")


def write_pay_records(
    author: str,
    establishment: Establishment,
    payroll: PayrollFile,
    pay_date: dt.date,
    source: EmployeeImport | None = None,
) -> int:
    """Each row's pay as the person's record for ``pay_date``'s year: created, or replaced
    when the year has one (another year's record is kept); an identical record is left as
    it is. Journaled ("pay.record"), personal fields sealed with the person's key; run in
    the import's transaction. Returns how many records were written."""
    rows = [row for row in payroll.rows if row.pay is not None]
    if not rows:
        return 0
    employees = dict(
        Employee.objects.filter(establishment=establishment).values_list("matricule", "pk")
    )
    wanted = {employees[row.values["matricule"]]: row.pay for row in rows}
    existing = {
        record.employee_id: record
        for record in PayRecord.objects.filter(
            employee__establishment=establishment, year=pay_date.year
        )
    }
    keys = dict(rows_in(EmployeeKey.objects.values_list("employee_id", "key"), "employee", wanted))
    now = timezone.now()
    creates, updates, journal = [], [], []
    for employee_id, pay in wanted.items():
        values = {
            "reference_date": pay_date,
            "sex": pay.sex,
            "base_pay": pay.base,
            "variable_pay": pay.variable,
            "working_time": pay.working_time,
            "source_id": source.pk if source is not None else None,
        }
        held = existing.get(employee_id)
        if held is None:
            creates.append(
                PayRecord(employee_id=employee_id, year=pay_date.year, recorded_at=now, **values)
            )
            continue
        if _same_pay(held, values):
            continue
        before = {**snapshot(held, keys.get(employee_id)), "employee": employee_id}
        for name, value in values.items():
            setattr(held, name, value)
        held.recorded_at = now
        updates.append(held)
        journal.append(_pay_entry(author, held, keys, establishment, before))
    for start in range(0, len(creates), BATCH):
        chunk = PayRecord.objects.bulk_create(creates[start : start + BATCH])
        journal.extend(_pay_entry(author, held, keys, establishment) for held in chunk)
    PayRecord.objects.bulk_update(updates, [*PAY_VALUES, "recorded_at"], batch_size=BATCH)
    audit.record_many(journal)
    return len(creates) + len(updates)


def _same_pay(held: PayRecord, values: dict) -> bool:
    return all(
        getattr(held, name) == value for name, value in values.items() if name != "source_id"
    )


def _pay_entry(author, held: PayRecord, keys, establishment, before=None):
    """A pay record's journal entry: its personal fields sealed with the person's key;
    ``employee`` names the person, whose key the journal's readers unseal it with."""
    key = keys.get(held.employee_id)
    return audit.entry(
        actor=author,
        action="pay.record",
        instance=held,
        before=before,
        after={**snapshot(held, key), "employee": held.employee_id},
        establishment=establishment,
    )


# --- in the background: upload, analysis, commit --------------------------------------


@transaction.atomic  # the file, its journal entry and its queued analysis, or nothing
def upload_employee_file(
    user,
    establishment: Establishment,
    *,
    filename: str,
    content: bytes,
    pay_date: dt.date | None = None,
) -> EmployeeImport:
    """Keep an uploaded employee file and analyse it (in the background): the preview.
    ``pay_date`` is the reference date of the file's pay, if it carries any."""
    check_writer(user, establishment)
    batch = EmployeeImport.objects.create(
        establishment=establishment,
        filename=filename[:255],
        content=content,
        status=EmployeeImport.Status.ANALYSING,
        created_by=user.get_username(),
        pay_date=pay_date,
    )
    record(
        actor=user.get_username(),
        action="import.upload",
        instance=batch,
        after={
            "file": batch.filename,
            "size": len(content),
            **({"pay_date": pay_date} if pay_date else {}),
        },
        establishment=establishment,
    )
    tasks.start(batch, analyse_employee_file)
    return batch


def _progress_of(pk: int):
    def write(fraction: float, stage: str) -> None:
        # Written in autocommit, never over the end of the work.
        EmployeeImport.objects.filter(pk=pk, status__in=EmployeeImport.RUNNING_STATUSES).update(
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
        check_pay_date(payroll, batch.pay_date)
        plan = plan_import(batch.establishment, payroll)
    except PayrollFileError as exc:
        batch.finish(status=EmployeeImport.Status.INVALID, report={"file_error": str(exc)})
        return
    except Refused as exc:  # pay without its reference date
        batch.finish(status=EmployeeImport.Status.INVALID, report={"file_error": str(exc)})
        return
    except Exception as exc:  # kept for the person waiting on the page, never "analysing" forever
        logger.exception("analysis of employee file %s failed", pk)
        batch.fail(exc)
        return
    # A reference date given with a file without pay refers to nothing: not kept.
    pay_date = batch.pay_date if payroll.pay_columns else None
    batch.finish(
        status=EmployeeImport.Status.INVALID if payroll.errors else EmployeeImport.Status.READY,
        report=import_report(payroll, plan, pay_date),
        pay_date=pay_date,
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
    tasks.start(batch, run_employee_import, user.pk)
    return batch


@transaction.atomic
def restart_employee_file(user, batch: EmployeeImport) -> EmployeeImport:
    """Start a failed file again (its worker died, the database was away...): analysed
    anew, since the employees may have changed meanwhile; then it is committed as any.
    Nothing of a failed import was written, so nothing is undone."""
    check_writer(user, batch.establishment)
    batch = EmployeeImport.objects.select_for_update().get(pk=batch.pk)
    if batch.status != EmployeeImport.Status.FAILED:
        raise Refused("seul un fichier en échec peut être relancé")
    if not bytes(batch.content):
        raise Refused("le fichier n'est plus conservé : envoyez-le à nouveau")
    batch.status = EmployeeImport.Status.ANALYSING
    batch.progress = 0.0
    batch.stage = "relancé"
    batch.error = ""
    batch.save()
    record(
        actor=user.get_username(),
        action="import.restart",
        instance=batch,
        after={"file": batch.filename},
        establishment=batch.establishment,
    )
    tasks.start(batch, analyse_employee_file)
    return batch


def run_employee_import(pk: int, user_pk: int) -> None:
    """Import a committed file as its user; the result, or the failure, kept on it."""
    from django.contrib.auth import get_user_model

    batch = EmployeeImport.objects.select_related("establishment").get(pk=pk)
    user = get_user_model().objects.get(pk=user_pk)

    def written(result: ImportResult) -> None:
        # The file is marked imported with the employees, in their transaction: a file
        # taken for interrupted meanwhile (its worker thought dead) writes nothing.
        running = EmployeeImport.objects.select_for_update().filter(
            pk=pk, status=EmployeeImport.Status.IMPORTING
        )
        if running.first() is None:
            raise Conflict("l'import a été interrompu entre-temps : relancez-le")
        # The file has done its work: the employees hold its content now.
        batch.finish(
            report={**batch.report, "result": asdict(result)},
            content=b"",
            committed_at=timezone.now(),
        )

    try:
        import_employees(
            user,
            batch.establishment,
            _read(batch),
            pay_date=batch.pay_date,
            source=batch,
            progress=_progress_of(pk),
            written=written,
        )
    except Conflict:  # already failed, with its reason
        return
    except (Refused, PayrollFileError) as exc:
        batch.fail(str(exc))
        return
    except Exception as exc:  # kept for the person waiting on the page
        logger.exception("employee import %s failed", pk)
        batch.fail(exc)
        return
