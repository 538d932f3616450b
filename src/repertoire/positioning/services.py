"""Writes of establishments, employees, positionings and appeals.

Each checks the actor's scope, runs in one transaction and is journaled with its author;
the rules themselves (statuses, levels, deadlines) live in ``core.positioning`` and the
file reading in ``core.payroll``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation

from repertoire.accounts.selectors import may_write_personal_data
from repertoire.audit import services as audit
from repertoire.audit.services import record, snapshot
from repertoire.catalog import selectors as catalog
from repertoire.catalog.models import ReferenceJob, RepertoireVersion
from repertoire.core import positioning as rules
from repertoire.core.editions import ENGINE_CONFIDENCE, kept_level
from repertoire.core.matching import TitleQuery
from repertoire.core.payroll import (
    FIELD_LABELS,
    PayrollFile,
    PayrollFileError,
    PayrollRow,
    read_payroll,
)
from repertoire.core.text import to_roman
from repertoire.positioning.models import (
    Appeal,
    Employee,
    EmployeeImport,
    EmployeeKey,
    Establishment,
    LetterBatch,
    Positioning,
    PositioningEvent,
    still_employed,
)
from repertoire.tasks import run_in_background, throttled

logger = logging.getLogger(__name__)

# Rows written per query in bulk operations.
BATCH = 1000


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
    _propose_if_edition(employee, actor=user.get_username())
    return employee


def _propose_if_edition(employee: Employee, *, actor: str) -> None:
    """A new employee or a changed title gets proposals, once an edition is loaded."""
    if RepertoireVersion.objects.exists():
        propose([employee], actor=actor)


def _key_of(employee: Employee | int) -> str | None:
    """The person's journal key (an employee or its id); None once they are erased."""
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
    if set(changes) & set(TITLE_FIELDS):
        _propose_if_edition(employee, actor=user.get_username())
    return employee


@transaction.atomic
def erase_employee(user, employee: Employee, *, reason: str) -> Employee:
    """Pseudonymise a person (right to erasure, retention period over).

    Their identity goes from the employee row and, by destroying their key, from the
    journal; what was written about them (comments, reasons for a personal level, notes
    of the steps, appeal arguments and reasonings) goes from their positionings and
    appeals. What statistics need stays: establishment, job title, service, level, the
    decisions and the years of hire and departure. ``user`` None is the retention command.
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
    _erase_what_was_written_about(employee)
    record(
        actor=user.get_username() if user is not None else "retention",
        action="employee.erase",
        instance=employee,
        after={**snapshot(employee), "motif": reason},
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


# --- proposals ------------------------------------------------------------------------

PROPOSALS_KEPT = 3


def _facts(positioning: Positioning) -> dict:
    """What the journal keeps of a positioning: the decision, not the proposals. The
    reason for a personal level is about the person: sealed with their key."""
    reason = positioning.personal_level_reason
    return {
        "collaborateur": positioning.employee_id,
        "statut": positioning.status,
        "emploi": positioning.job.code if positioning.job_id else None,
        "pesee": positioning.evaluation_id,
        "niveau": positioning.level,
        "motif_niveau_personnel": (
            audit.sealed(reason, _key_of(positioning.employee_id)) if reason else ""
        ),
    }


def _event(positioning: Positioning, action: str, author: str, note: str = "") -> PositioningEvent:
    job = positioning.job if positioning.job_id else None
    return PositioningEvent(
        positioning=positioning,
        author=author,
        action=action,
        status=positioning.status,
        job_code=job.code if job else "",
        job_title=positioning.placed_on[:200],
        level=positioning.level,
        note=note,
    )


def propose(
    employees: Iterable[Employee],
    *,
    actor: str,
    version: RepertoireVersion | None = None,
    progress: Callable[[float], None] | None = None,
) -> int:
    """Give each employee the engine's best reference jobs, with scores and reasons.

    A positioning still at the proposal stage takes the new first proposal; one already
    decided keeps its decision and only its proposals are refreshed. Returns how many
    employees were proposed a job.
    """
    employees = list(employees)
    if not employees:
        return 0
    version = version or catalog.get_version()
    jobs = {job.code: job for job in catalog.jobs_of(version).select_related("level")}
    index = catalog.matching_index(version)
    results = index.match_many(
        [
            TitleQuery(employee.job_title, employee.service, employee.job_description)
            for employee in employees
        ],
        top=PROPOSALS_KEPT,
    )
    existing = {
        positioning.employee_id: positioning
        for positioning in Positioning.objects.filter(
            version=version, employee__in=[employee.pk for employee in employees]
        ).select_related("job", "establishment")
    }
    # The journal names each positioning's establishment: one query, not one per row.
    places = Establishment.objects.in_bulk({employee.establishment_id for employee in employees})
    created, updated, events, journal = [], [], [], []
    for number, (employee, result) in enumerate(zip(employees, results, strict=True)):
        proposals = [
            {
                "code": candidate.code,
                "title": candidate.title,
                "level": candidate.level,
                "score": round(candidate.score, 4),
                "reason": candidate.reason,
            }
            for candidate in result.candidates
        ]
        best = jobs.get(proposals[0]["code"]) if proposals else None
        positioning = existing.get(employee.pk)
        if positioning is None:
            positioning = Positioning(
                employee=employee, version=version, establishment=places[employee.establishment_id]
            )
            created.append(positioning)
        else:
            updated.append(positioning)
        positioning.proposals = proposals
        positioning.confidence = proposals[0]["score"] if proposals else 0.0
        positioning.title_key = result.normalized[:200]
        if positioning.status == Positioning.Status.PROPOSED:
            positioning.job = best
            positioning.level = best.level.number if best else None
        if progress is not None and number % BATCH == 0:
            progress(number / len(employees))
    Positioning.objects.bulk_create(created, batch_size=BATCH)
    Positioning.objects.bulk_update(
        updated, ["proposals", "confidence", "title_key", "job", "level"], batch_size=BATCH
    )
    for positioning in (*created, *updated):
        note = positioning.proposals[0]["reason"] if positioning.proposals else "aucun emploi"
        events.append(_event(positioning, PositioningEvent.Action.PROPOSE, actor, note))
        journal.append(
            audit.entry(
                actor=actor,
                action="positioning.propose",
                instance=positioning,
                after={**_facts(positioning), "confiance": positioning.confidence},
                establishment=positioning.establishment,
            )
        )
    PositioningEvent.objects.bulk_create(events, batch_size=BATCH)
    audit.record_many(journal)
    return sum(1 for positioning in (*created, *updated) if positioning.proposals)


# --- decisions ------------------------------------------------------------------------


def _job(version: RepertoireVersion, code: str) -> ReferenceJob:
    job = catalog.job_of(version, code)
    if job is None:
        raise ValidationError({"job": f"aucun emploi « {code} » dans l'édition {version.label}"})
    return job


def _decide(
    user,
    positioning: Positioning,
    action: str,
    *,
    job: ReferenceJob | None = None,
    evaluation=None,
    personal_level: int | None = None,
    reason: str = "",
    note: str = "",
) -> Positioning:
    """Move a positioning to its next status, with its job (a reference job, or a weighed
    local job) and level; history and journal."""
    _check_writer(user, positioning.establishment)
    try:
        status = rules.next_status(positioning.status, action)
    except rules.TransitionRefused as exc:
        raise ValidationError(str(exc)) from None
    if job is None and evaluation is None:
        # Unchanged: the job or the weighed local job it is already placed on.
        job, evaluation = positioning.job, positioning.evaluation
    if job is None and evaluation is None:
        raise ValidationError({"job": "choisissez l'emploi repère de ce collaborateur"})
    base_level = job.level.number if job is not None else evaluation.level
    try:
        level = rules.positioned_level(base_level, personal_level, reason)
    except rules.LevelRefused as exc:
        raise ValidationError({"level": str(exc)}) from None
    before = _facts(positioning)
    positioning.status = status
    positioning.job = job
    positioning.evaluation = evaluation if job is None else None
    positioning.level = level
    positioning.personal_level_reason = reason.strip() if level > base_level else ""
    if action in ("validate", "change", "confirm", "revise"):
        positioning.decided_by = user.get_username()
        positioning.decided_at = timezone.now()
    positioning.save()
    _event(positioning, action, user.get_username(), note.strip()).save()
    record(
        actor=user.get_username(),
        action=f"positioning.{action}",
        instance=positioning,
        before=before,
        after=_facts(positioning),
        establishment=positioning.establishment,
    )
    return positioning


@transaction.atomic
def validate(user, positioning: Positioning, *, comment: str = "") -> Positioning:
    """Accept the proposed job (and its level)."""
    # Validating again keeps a personal level decided earlier, with its reason.
    return _decide(
        user,
        positioning,
        "validate",
        personal_level=positioning.level,
        reason=positioning.personal_level_reason,
        note=comment,
    )


@transaction.atomic
def change(
    user,
    positioning: Positioning,
    *,
    job_code: str,
    personal_level: int | None = None,
    reason: str = "",
    comment: str = "",
) -> Positioning:
    """Place the employee on another job, or at a personal level above the job's, with a reason."""
    job = _job(positioning.version, job_code)
    return _decide(
        user,
        positioning,
        "change",
        job=job,
        personal_level=personal_level,
        reason=reason,
        note=comment,
    )


@transaction.atomic
def place_on_evaluation(
    user,
    positioning: Positioning,
    *,
    evaluation_id: int,
    personal_level: int | None = None,
    reason: str = "",
    comment: str = "",
) -> Positioning:
    """Place the employee on a local job of their establishment, weighed and validated
    (no reference job describes it); its level is the weighing's."""
    from repertoire.evaluation.models import JobEvaluation

    # The weighing in force: validated, of this establishment and edition, not replaced
    # by a newer validated version.
    evaluation = (
        JobEvaluation.objects.filter(
            pk=evaluation_id,
            establishment=positioning.establishment,
            version=positioning.version,
            status=JobEvaluation.Status.VALIDATED,
        )
        .exclude(revisions__status=JobEvaluation.Status.VALIDATED)
        .first()
    )
    if evaluation is None:
        raise ValidationError(
            {"evaluation": "aucune pesée validée de cet établissement sous ce numéro"}
        )
    return _decide(
        user,
        positioning,
        "change",
        evaluation=evaluation,
        personal_level=personal_level,
        reason=reason,
        note=comment,
    )


@transaction.atomic
def comment(user, positioning: Positioning, text: str) -> Positioning:
    _check_writer(user, positioning.establishment)
    if not text.strip():
        raise ValidationError({"comment": "le commentaire est vide"})
    positioning.comment = text.strip()
    positioning.save(update_fields=["comment", "updated_at"])
    _event(positioning, PositioningEvent.Action.COMMENT, user.get_username(), text.strip()).save()
    record(
        actor=user.get_username(),
        action="positioning.comment",
        instance=positioning,
        after={
            **_facts(positioning),
            "commentaire": audit.sealed(text.strip(), _key_of(positioning.employee_id)),
        },
        establishment=positioning.establishment,
    )
    return positioning


def _bulk(user, positionings: list[Positioning], action: str, note: str, **changes) -> int:
    """One decision for many positionings at once: the same checks, written in batches."""
    author = user.get_username()
    events, journal = [], []
    for positioning in positionings:
        before = _facts(positioning)
        positioning.status = rules.next_status(positioning.status, action)
        for name, value in changes.items():
            setattr(positioning, name, value)
        events.append(_event(positioning, action, author, note))
        journal.append(
            audit.entry(
                actor=author,
                action=f"positioning.{action}",
                instance=positioning,
                before=before,
                after=_facts(positioning),
                establishment=positioning.establishment,
            )
        )
    now = timezone.now()
    for positioning in positionings:
        positioning.updated_at = now
    fields = list(dict.fromkeys(["status", "job", "level", *changes, "updated_at"]))
    Positioning.objects.bulk_update(positionings, fields, batch_size=BATCH)
    PositioningEvent.objects.bulk_create(events, batch_size=BATCH)
    audit.record_many(journal)
    return len(positionings)


def bulk_accept_threshold() -> float:
    return settings.REPERTOIRE_BULK_ACCEPT_THRESHOLD


@transaction.atomic
def bulk_accept(
    user,
    establishment: Establishment,
    *,
    threshold: float,
    title_key: str | None = None,
    version: RepertoireVersion | None = None,
) -> int:
    """Validate every proposal of the establishment scoring at least ``threshold``
    (optionally only the group of one normalised title); returns how many."""
    _check_writer(user, establishment)
    if not 0 < threshold <= 1:
        raise ValidationError({"threshold": "le seuil de confiance est entre 0 et 1"})
    version = version or catalog.get_version()
    positionings = Positioning.objects.filter(
        establishment=establishment,
        version=version,
        status=Positioning.Status.PROPOSED,
        job__isnull=False,
        confidence__gte=threshold,
    ).select_related("job", "establishment")
    if title_key is not None:
        positionings = positionings.filter(title_key=title_key)
    now = timezone.now()
    return _bulk(
        user,
        list(positionings.select_for_update(of=("self",))),
        "validate",
        f"acceptation groupée (confiance ≥ {threshold:.2f})",
        decided_by=user.get_username(),
        decided_at=now,
    )


@transaction.atomic
def decide_group(
    user,
    establishment: Establishment,
    title_key: str,
    *,
    job_code: str,
    version: RepertoireVersion | None = None,
) -> int:
    """Place every employee of one normalised title still at the proposal stage on ``job_code``.

    The title is then an appellation of the job (feedback for the matching engine):
    a group decision is about the title, not about one person.
    """
    _check_writer(user, establishment)
    version = version or catalog.get_version()
    job = _job(version, job_code)
    positionings = list(
        Positioning.objects.filter(
            establishment=establishment,
            version=version,
            title_key=title_key,
            # People decided one by one keep their decision (a personal level, a reason).
            status=Positioning.Status.PROPOSED,
        )
        .select_related("job", "establishment", "employee")
        .select_for_update(of=("self",))
    )
    if not positionings:
        raise ValidationError({"group": "aucun positionnement à décider pour cet intitulé"})
    corrected = any(p.proposals and p.proposals[0]["code"] != job.code for p in positionings)
    note = f"décision pour l'intitulé « {positionings[0].employee.job_title} »"
    # A personal level proposed with its reason (a level held in an earlier edition) is
    # kept when it is above the job's: the group decides the job, not anyone's level.
    by_level: dict[tuple[int, str], list[Positioning]] = {}
    for positioning in positionings:
        kept = positioning.personal_level_reason and (positioning.level or 0) > job.level.number
        key = (
            (positioning.level, positioning.personal_level_reason)
            if kept
            else (job.level.number, "")
        )
        by_level.setdefault(key, []).append(positioning)
    count = sum(
        _bulk(
            user,
            group,
            "change" if corrected else "validate",
            note,
            job=job,
            level=level,
            personal_level_reason=reason,
            decided_by=user.get_username(),
            decided_at=timezone.now(),
        )
        for (level, reason), group in by_level.items()
    )
    if corrected:
        from repertoire.catalog.services import add_appellation

        add_appellation(
            job, positionings[0].employee.job_title, author=user.get_username(), source="validated"
        )
    return count


@transaction.atomic
def notify(user, positionings: Iterable[Positioning], *, on: dt.date | None = None) -> int:
    """Record that the validated positionings were notified to their employees (the
    decision letter), which opens the appeal period."""
    positionings = list(positionings)
    # Checked on every positioning handed in: a reader is refused, not told "none".
    for establishment in {p.establishment for p in positionings}:
        _check_writer(user, establishment)
    # Locked and read again: two requests at once must not notify the same person twice.
    validated = set(
        Positioning.objects.filter(
            pk__in=[p.pk for p in positionings], status=Positioning.Status.VALIDATED
        )
        .select_for_update()
        .values_list("pk", flat=True)
    )
    positionings = [p for p in positionings if p.pk in validated]
    for positioning in positionings:
        positioning.status = Positioning.Status.VALIDATED  # as the database has it now
    on = on or timezone.localdate()
    return _bulk(
        user,
        positionings,
        "notify",
        f"lettre de positionnement du {on:%d/%m/%Y}",
        notified_on=on,
    )


# --- appeals --------------------------------------------------------------------------


def appeal_months() -> int:
    return settings.REPERTOIRE_APPEAL_DEADLINE_MONTHS


def _label(display) -> str:
    """A choice's label in the application's language, whoever is acting (the history
    keeps words, not codes)."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(display())


@transaction.atomic
def open_appeal(
    user,
    positioning: Positioning,
    *,
    kind: str,
    argument: str,
    received_on: dt.date | None = None,
) -> Appeal:
    """Record an employee's appeal against their notified positioning, within the deadline."""
    _check_writer(user, positioning.establishment)
    errors = {}
    if kind not in Appeal.Kind.values:
        errors["kind"] = "choisissez l'objet du recours"
    if not argument.strip():
        errors["argument"] = "l'argumentaire du collaborateur est obligatoire"
    if errors:
        raise ValidationError(errors)
    if positioning.status != Positioning.Status.NOTIFIED or positioning.notified_on is None:
        raise ValidationError("seul un positionnement notifié peut faire l'objet d'un recours")
    received_on = received_on or timezone.localdate()
    deadline = rules.appeal_deadline(positioning.notified_on, appeal_months())
    if received_on > deadline:
        raise ValidationError(
            {
                "received_on": f"recours reçu le {received_on:%d/%m/%Y}, après la date limite "
                f"du {deadline:%d/%m/%Y} ({appeal_months()} mois après la notification)"
            }
        )
    if received_on < positioning.notified_on:
        raise ValidationError({"received_on": "un recours ne précède pas la notification"})
    appeal = Appeal.objects.create(
        positioning=positioning,
        establishment=positioning.establishment,
        kind=kind,
        argument=argument.strip(),
        received_on=received_on,
        deadline=deadline,
        opened_by=user.get_username(),
    )
    _decide(
        user,
        positioning,
        "contest",
        personal_level=positioning.level,
        reason=positioning.personal_level_reason,
        note=f"recours {_label(appeal.get_kind_display)} : {appeal.argument}",
    )
    record(
        actor=user.get_username(),
        action="appeal.open",
        instance=appeal,
        after=_appeal_facts(appeal),
        establishment=appeal.establishment,
    )
    return appeal


@transaction.atomic
def decide_appeal(
    user,
    appeal: Appeal,
    *,
    outcome: str,
    reasoning: str,
    job_code: str = "",
    personal_level: int | None = None,
    reason: str = "",
    decided_on: dt.date | None = None,
) -> Appeal:
    """The commission's decision: confirm the positioning, or revise its job or level."""
    _check_writer(user, appeal.establishment)
    if appeal.status != Appeal.Status.OPEN:
        raise ValidationError("ce recours est déjà tranché")
    if outcome not in (Appeal.Status.CONFIRMED, Appeal.Status.REVISED):
        raise ValidationError({"outcome": "la décision confirme ou révise le positionnement"})
    if not reasoning.strip():
        raise ValidationError({"reasoning": "la décision de la commission se motive"})
    positioning = appeal.positioning
    note = f"commission : {reasoning.strip()}"
    if outcome == Appeal.Status.CONFIRMED:
        _decide(
            user,
            positioning,
            "confirm",
            personal_level=positioning.level,
            reason=positioning.personal_level_reason,
            note=note,
        )
    else:
        job = _job(positioning.version, job_code) if job_code else None
        base_level = job.level.number if job is not None else positioning.base_level
        unchanged_job = job is None or job == positioning.job
        if unchanged_job and (personal_level or base_level) == positioning.level:
            raise ValidationError({"job": "une révision change l'emploi ou le niveau"})
        _decide(
            user,
            positioning,
            "revise",
            job=job,
            personal_level=personal_level,
            reason=reason,
            note=note,
        )
    before = _appeal_facts(appeal)
    appeal.status = outcome
    appeal.reasoning = reasoning.strip()
    appeal.decided_by = user.get_username()
    appeal.decided_on = decided_on or timezone.localdate()
    appeal.save()
    record(
        actor=user.get_username(),
        action="appeal.decide",
        instance=appeal,
        before=before,
        after=_appeal_facts(appeal),
        establishment=appeal.establishment,
    )
    return appeal


def _appeal_facts(appeal: Appeal) -> dict:
    """An appeal as the journal keeps it: its argument and reasoning sealed with the
    employee's key, and the employee named so that the journal can unseal them."""
    employee_id = appeal.positioning.employee_id
    return {**snapshot(appeal, _key_of(employee_id)), "collaborateur": employee_id}


# --- imports --------------------------------------------------------------------------

# Changes listed in an import's report (the counts cover all of them).
REPORT_SAMPLE = 200
# Problems listed in an import's report.
REPORT_ERRORS = 1000
TITLE_FIELDS = ("job_title", "service", "job_description")


@dataclass
class ImportPlan:
    """What importing a file would do to an establishment's employees."""

    creates: list[PayrollRow] = field(default_factory=list)
    updates: list[tuple[Employee, PayrollRow, dict]] = field(default_factory=list)
    unchanged: int = 0
    absent: int = 0  # employees of the establishment the file does not mention


def plan_import(establishment: Establishment, payroll: PayrollFile) -> ImportPlan:
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


class ImportRefused(ValueError):
    """The file has errors: nothing was written. ``report`` names them."""

    def __init__(self, message: str, report: dict | None = None):
        super().__init__(message)
        self.report = report or {}


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
    _check_writer(user, establishment)
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
            if RepertoireVersion.objects.exists()
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


def upload_employee_file(
    user, establishment: Establishment, *, filename: str, content: bytes
) -> EmployeeImport:
    """Keep an uploaded employee file and analyse it (in the background): the preview."""
    _check_writer(user, establishment)
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
        after={"fichier": batch.filename, "taille": len(content)},
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
        EmployeeImport.objects.filter(pk=pk).update(
            status=EmployeeImport.Status.INVALID,
            report={"file_error": str(exc)},
            progress=1.0,
            stage="terminé",
        )
        return
    except Exception as exc:  # kept for the person waiting on the page, never "analysing" forever
        logger.exception("analysis of employee file %s failed", pk)
        EmployeeImport.objects.filter(pk=pk).update(
            status=EmployeeImport.Status.FAILED,
            error=f"{type(exc).__name__}: {exc}",
            updated_at=timezone.now(),
        )
        return
    EmployeeImport.objects.filter(pk=pk).update(
        status=EmployeeImport.Status.INVALID if payroll.errors else EmployeeImport.Status.READY,
        report=import_report(payroll, plan),
        progress=1.0,
        stage="terminé",
        updated_at=timezone.now(),
    )


@transaction.atomic
def commit_employee_file(user, batch: EmployeeImport) -> EmployeeImport:
    """Import an analysed file without errors (in the background)."""
    _check_writer(user, batch.establishment)
    batch = EmployeeImport.objects.select_for_update().get(pk=batch.pk)
    if batch.status != EmployeeImport.Status.READY:
        raise ValidationError("ce fichier n'est pas prêt à être importé")
    batch.status = EmployeeImport.Status.IMPORTING
    batch.progress = 0.0
    batch.stage = "import"
    batch.save()
    transaction.on_commit(lambda: run_in_background(run_employee_import, batch.pk, user.pk))
    return batch


def run_employee_import(pk: int, user_pk: int) -> None:
    from django.contrib.auth import get_user_model

    batch = EmployeeImport.objects.select_related("establishment").get(pk=pk)
    user = get_user_model().objects.get(pk=user_pk)
    progress = _progress_of(pk)
    try:
        result = import_employees(user, batch.establishment, _read(batch), progress=progress)
    except (ImportRefused, PayrollFileError, ValidationError, PermissionDenied) as exc:
        EmployeeImport.objects.filter(pk=pk).update(
            status=EmployeeImport.Status.FAILED, error=str(exc), updated_at=timezone.now()
        )
        return
    except Exception as exc:  # kept for the person waiting on the page
        logger.exception("employee import %s failed", pk)
        EmployeeImport.objects.filter(pk=pk).update(
            status=EmployeeImport.Status.FAILED,
            error=f"{type(exc).__name__}: {exc}",
            updated_at=timezone.now(),
        )
        return
    report = {**batch.report, "result": asdict(result)}
    # The file has done its work: the employees hold its content now.
    EmployeeImport.objects.filter(pk=pk).update(
        status=EmployeeImport.Status.DONE,
        report=report,
        content=b"",
        progress=1.0,
        stage="terminé",
        committed_at=timezone.now(),
        updated_at=timezone.now(),
    )


# --- decision letters -----------------------------------------------------------------


@transaction.atomic
def request_letters(
    user, establishment: Establishment, *, status: str = "", service: str = ""
) -> LetterBatch:
    """Typeset the establishment's letters to hand out (in the background)."""
    from repertoire.positioning.selectors import letter_positionings

    _check_writer(user, establishment)
    count = len(letter_positionings(user, establishment, status=status, service=service))
    if not count:
        raise ValidationError("aucun positionnement validé ou notifié à imprimer ici")
    batch = LetterBatch.objects.create(
        establishment=establishment,
        positioning_status=status,
        service=service,
        status=LetterBatch.Status.PENDING,
        letters=count,
        requested_by=user.get_username(),
    )
    record(
        actor=user.get_username(),
        action="letters.request",
        instance=batch,
        after={"lettres": count, "statut": status, "service": service},
        establishment=establishment,
    )
    user_pk = getattr(user, "pk", None)
    transaction.on_commit(lambda: run_in_background(build_letters, batch.pk, user_pk))
    return batch


def build_letters(pk: int, user_pk: int | None) -> None:
    """Typeset a batch of letters, writing its progress; a failure is kept with it."""
    from django.contrib.auth import get_user_model

    from repertoire.accounts.selectors import CommandLineOperator
    from repertoire.positioning import letters
    from repertoire.positioning.selectors import letter_positionings

    batch = LetterBatch.objects.select_related("establishment").get(pk=pk)
    user = (
        get_user_model().objects.get(pk=user_pk)
        if user_pk is not None
        else CommandLineOperator(batch.requested_by)
    )

    def write(fraction: float, stage: str) -> None:
        LetterBatch.objects.filter(pk=pk).update(
            status=LetterBatch.Status.RUNNING,
            progress=min(fraction, 0.99),
            stage=stage,
            updated_at=timezone.now(),
        )

    progress = throttled(write)
    progress(0.0, "préparation")
    try:
        positionings = letter_positionings(
            user, batch.establishment, status=batch.positioning_status, service=batch.service
        )
        content = letters.letters_pdf(positionings, progress=progress)
    except Exception as exc:  # kept for the person waiting on the page
        logger.exception("letter batch %s failed", pk)
        LetterBatch.objects.filter(pk=pk).update(
            status=LetterBatch.Status.FAILED,
            error=f"{type(exc).__name__}: {exc}",
            updated_at=timezone.now(),
        )
        return
    LetterBatch.objects.filter(pk=pk).update(
        status=LetterBatch.Status.DONE,
        content=content,
        letters=len(positionings),
        progress=1.0,
        stage="terminé",
        updated_at=timezone.now(),
    )


# --- migration to a new edition ---------------------------------------------------------------


@dataclass(frozen=True)
class MigrationResult:
    mapped: int  # decided people given their job's successor as the proposal
    proposed: int  # people without a decision in the earlier edition: the engine proposes
    already_decided: int  # decided in the new edition already: left as they are


@transaction.atomic
def migrate_establishment(
    user,
    establishment: Establishment,
    *,
    source: RepertoireVersion,
    target: RepertoireVersion | None = None,
) -> MigrationResult:
    """Propose to every employee a positioning in the edition in force, from their
    decided positioning in ``source``: the same job (same code), its successor (a pair),
    or the matching engine's choice for a retired job.

    Nothing is decided: the proposals go through the worklist like any other, and the
    positionings of ``source`` stay as they were (the journal keeps both). A level held
    in ``source`` above the new job's is proposed as a personal level, with its reason.
    """
    _check_writer(user, establishment)
    target = target or catalog.get_version()
    if target.pk == source.pk:
        raise ValidationError({"source": "choisissez une édition antérieure à celle en vigueur"})
    if not target.is_frozen:
        raise ValidationError({"target": f"l'édition {target.label} n'est pas publiée"})
    if not source.is_frozen:
        # A draft holds nobody's positioning: migrating from it would throw decisions away.
        raise ValidationError({"source": f"l'édition {source.label} n'a jamais été publiée"})
    # One migration of an establishment at a time: two would create the same rows.
    Establishment.objects.select_for_update().filter(pk=establishment.pk).first()
    actor = user.get_username()
    _, mapping = catalog.successors_between(source, target)
    jobs = {job.code: job for job in catalog.jobs_of(target).select_related("level")}
    in_target = {
        p.employee_id: p
        for p in Positioning.objects.filter(version=target, establishment=establishment)
        .select_related("job", "establishment")
        .select_for_update(of=("self",))
    }
    decided = list(
        Positioning.objects.filter(
            version=source,
            establishment=establishment,
            status__in=Positioning.DECIDED,
        )
        .filter(still_employed("employee__"))
        .select_related("employee", "job", "job__level", "evaluation", "establishment")
    )
    decided_anew = {pk for pk, p in in_target.items() if p.status != Positioning.Status.PROPOSED}
    already = [p for p in decided if p.employee_id in decided_anew]
    to_map = [p for p in decided if p.employee_id not in decided_anew]
    results = catalog.matching_index(target).match_many(
        [
            TitleQuery(p.employee.job_title, p.employee.service, p.employee.job_description)
            for p in to_map
        ],
        top=PROPOSALS_KEPT,
    )
    created, updated, notes = [], [], []
    for old, result in zip(to_map, results, strict=True):
        successor = mapping.get(old.job.code) if old.job_id else None
        job = jobs.get(successor.code) if successor and successor.code else None
        note = _migration_note(source, old, successor)
        proposals = (
            [
                {
                    "code": job.code,
                    "title": job.title,
                    "level": job.level.number,
                    "score": successor.confidence,
                    "reason": note,
                }
            ]
            if job
            else []
        )
        proposals += [
            {
                "code": c.code,
                "title": c.title,
                "level": c.level,
                "score": round(c.score, 4),
                "reason": c.reason,
            }
            for c in result.candidates
            if not job or c.code != job.code
        ][: PROPOSALS_KEPT - len(proposals)]
        positioning = in_target.get(old.employee_id)
        if positioning is None:
            positioning = Positioning(
                employee=old.employee, version=target, establishment=establishment
            )
            created.append(positioning)
        else:
            updated.append(positioning)
        positioning.proposals = proposals
        positioning.confidence = (
            successor.confidence
            if job
            else (min(proposals[0]["score"], ENGINE_CONFIDENCE) if proposals else 0.0)
        )
        if old.status == Positioning.Status.CONTESTED:
            # The commission has yet to decide on the earlier edition: HR looks first.
            positioning.confidence = min(positioning.confidence, ENGINE_CONFIDENCE)
        positioning.title_key = result.normalized[:200]
        best = job or (jobs.get(proposals[0]["code"]) if proposals else None)
        positioning.job = best
        positioning.evaluation = None
        positioning.level, positioning.personal_level_reason = _migrated_level(source, old, best)
        notes.append((old, positioning, note))
    Positioning.objects.bulk_create(created, batch_size=BATCH)
    Positioning.objects.bulk_update(
        updated,
        [
            "proposals",
            "confidence",
            "title_key",
            "job",
            "evaluation",
            "level",
            "personal_level_reason",
        ],
        batch_size=BATCH,
    )
    # Journaled once saved: the entries name the new positionings by their ids.
    events, journal = [], []
    for old, positioning, note in notes:
        events.append(_event(positioning, PositioningEvent.Action.MIGRATE, actor, note))
        journal.append(
            audit.entry(
                actor=actor,
                action="positioning.migrate",
                instance=positioning,
                before={**_facts(old), "edition": source.label},
                after={
                    **_facts(positioning),
                    "edition": target.label,
                    "confiance": positioning.confidence,
                },
                establishment=establishment,
            )
        )
    PositioningEvent.objects.bulk_create(events, batch_size=BATCH)
    audit.record_many(journal)
    # Everyone else (never decided in ``source``): the engine's proposals, as for a new file.
    mapped_ids = {p.employee_id for p in decided}
    others = (
        Employee.objects.filter(still_employed(), establishment=establishment)
        .exclude(pk__in=mapped_ids)
        .exclude(pk__in=decided_anew)
    )
    proposed = propose(others, actor=actor, version=target)
    record(
        actor=actor,
        action="establishment.migrate",
        instance=establishment,
        after={
            "from": source.label,
            "to": target.label,
            "mapped": len(to_map),
            "proposed": proposed,
            "already_decided": len(already),
        },
        establishment=establishment,
    )
    return MigrationResult(mapped=len(to_map), proposed=proposed, already_decided=len(already))


def _migration_note(source: RepertoireVersion, old: Positioning, successor) -> str:
    held = f"édition {source.label} : {old.placed_on}, niveau {to_roman(old.level)}"
    if old.status == Positioning.Status.CONTESTED:
        held += " (recours en cours)"
    if old.evaluation_id:
        return f"{held} ; emploi local pesé sur l'édition précédente, à repositionner"
    if successor is None or successor.code is None:
        return f"{held} ; emploi retiré, aucun emploi proposé"
    return f"{held} ; {successor.how}"


def _migrated_level(source: RepertoireVersion, old: Positioning, job) -> tuple[int | None, str]:
    """The new job's level, or the level held in ``source`` as a personal level."""
    if job is None:
        return None, ""
    level = kept_level(old.level, job.level.number)
    if level == job.level.number:
        return level, ""
    return level, (
        old.personal_level_reason
        or f"niveau {to_roman(level)} détenu dans l'édition {source.label}, maintenu "
        "à titre personnel"
    )
