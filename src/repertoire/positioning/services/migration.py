"""Migration of an establishment's positionings to the edition in force: every decided
person is proposed their job's successor (or the engine's choice for a retired job), and
everyone else the engine's proposals.

``migrate_establishment`` takes the acting user and refuses (``NotAllowed``) anyone who may
not write the establishment's personal data; it runs in one transaction, decides nothing
(the proposals go through the worklist) and journals every positioning it proposes.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass

from django.db import transaction
from django.utils import timezone

from repertoire import tasks
from repertoire.audit import services as audit
from repertoire.audit.services import record
from repertoire.catalog import selectors as catalog
from repertoire.catalog.models import Edition, ReferenceJob
from repertoire.core import positioning as rules
from repertoire.core.editions import ENGINE_CONFIDENCE, Successor, kept_level
from repertoire.core.matching import MatchResult
from repertoire.core.refusals import Conflict, Refused
from repertoire.core.text import to_roman
from repertoire.positioning.models import (
    Employee,
    Establishment,
    EstablishmentMigration,
    Positioning,
    PositioningEvent,
    still_employed,
)
from repertoire.positioning.services._common import (
    BATCH,
    PROPOSALS_KEPT,
    check_writer,
    event,
    facts,
    title_query,
)
from repertoire.positioning.services.decisions import Matches, match_titles, matched, propose
from repertoire.tasks import throttled

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class MigrationResult:
    mapped: int  # decided people given their job's successor as the proposal
    proposed: int  # people without a decision in the earlier edition: the engine proposes
    already_decided: int  # decided in the new edition already: left as they are


@dataclass(frozen=True)
class _Migrated:
    """A decided positioning of ``source`` and the one proposed for it in the target."""

    old: Positioning
    new: Positioning
    note: str


@transaction.atomic
def migrate_establishment(
    user,
    establishment: Establishment,
    *,
    source: Edition,
    target: Edition | None = None,
    matches: Matches | None = None,
) -> MigrationResult:
    """Propose to every employee a positioning in the edition in force, from their
    decided positioning in ``source``: the same job (same code), its successor (a pair),
    or the matching engine's choice for a retired job.

    Nothing is decided: the proposals go through the worklist like any other, and the
    positionings of ``source`` stay as they were (the journal keeps both). A level held
    in ``source`` above the new job's is proposed as a personal level, with its reason.
    Titles already matched in ``target`` (``matches``, computed ahead) are not matched
    again.
    """
    check_writer(user, establishment)
    target = target or catalog.get_edition()
    _check_editions(source, target)
    # One migration of an establishment at a time: two would create the same rows.
    Establishment.objects.select_for_update().filter(pk=establishment.pk).first()
    actor = user.get_username()
    in_target = {
        p.employee_id: p
        for p in Positioning.objects.filter(edition=target, establishment=establishment)
        .select_related("job", "establishment")
        .select_for_update(of=("self",))
    }
    decided = list(
        Positioning.objects.filter(
            edition=source,
            establishment=establishment,
            status__in=rules.DECIDED,
        )
        .filter(still_employed("employee__"))
        .select_related("employee", "job", "job__level", "evaluation", "establishment")
    )
    decided_anew = {pk for pk, p in in_target.items() if p.status != Positioning.Status.PROPOSED}
    already = [p for p in decided if p.employee_id in decided_anew]
    to_map = [p for p in decided if p.employee_id not in decided_anew]
    migrated = _map_decisions(source, target, establishment, to_map, in_target, matches)
    _journal_migration(source, target, establishment, migrated, actor)
    # Everyone else (never decided in ``source``): the engine's proposals, as for a new file.
    # Left out in Python: an establishment's decided people are too many for one query.
    left_out = {p.employee_id for p in decided} | decided_anew
    others = [
        employee
        for employee in Employee.objects.filter(still_employed(), establishment=establishment)
        if employee.pk not in left_out
    ]
    proposed = propose(others, actor=actor, edition=target, matches=matches)
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


# --- in the background: requested from the page, run by a worker ---------------------


def request_migration(
    user, establishment: Establishment, *, source: Edition, target: Edition | None = None
) -> EstablishmentMigration:
    """Migrate the establishment in the background (see ``migrate_establishment``); the
    one already waiting or running is handed back rather than a second one started."""
    check_writer(user, establishment)
    target = target or catalog.get_edition()
    _check_editions(source, target)
    with transaction.atomic():
        Establishment.objects.select_for_update().filter(pk=establishment.pk).first()
        running = EstablishmentMigration.objects.filter(
            establishment=establishment, status__in=EstablishmentMigration.RUNNING_STATUSES
        ).first()
        if running is not None:
            return running
        work = EstablishmentMigration.objects.create(
            establishment=establishment,
            source=source,
            target=target,
            status=EstablishmentMigration.Status.PENDING,
            requested_by=user.get_username(),
        )
        record(
            actor=user.get_username(),
            action="migration.request",
            instance=work,
            after={"from": source.label, "to": target.label},
            establishment=establishment,
        )
        tasks.start(work, run_migration, getattr(user, "pk", None))
    return work


def run_migration(pk: int, user_pk: int | None) -> None:
    """Match every employee's title first, outside any transaction (the progress the
    page shows), then migrate in one transaction, which also marks the work done."""
    from django.contrib.auth import get_user_model

    from repertoire.accounts.selectors import CommandLineOperator

    work = EstablishmentMigration.objects.select_related("establishment", "source", "target")
    work = work.get(pk=pk)
    user = (
        get_user_model().objects.get(pk=user_pk)
        if user_pk is not None
        else CommandLineOperator(work.requested_by)
    )
    rows = EstablishmentMigration.objects.filter(
        pk=pk, status__in=EstablishmentMigration.RUNNING_STATUSES
    )

    def progress(fraction: float, stage: str) -> None:  # autocommit: the page sees it
        rows.update(
            status=EstablishmentMigration.Status.RUNNING,
            progress=min(fraction, 0.99),
            stage=stage,
            updated_at=timezone.now(),
        )

    write = throttled(progress)
    try:
        write(0.0, "propositions d'emplois")
        employees = Employee.objects.filter(still_employed(), establishment=work.establishment)
        matches = match_titles(
            [title_query(employee) for employee in employees],
            edition=work.target,
            establishment=work.establishment,
            progress=lambda fraction: write(0.9 * fraction, "propositions d'emplois"),
        )
        write(0.95, "enregistrement")
        with transaction.atomic():
            result = migrate_establishment(
                user, work.establishment, source=work.source, target=work.target, matches=matches
            )
            # Done with the positionings, or not at all: work taken for interrupted
            # meanwhile (its worker thought dead) writes nothing.
            if rows.select_for_update().first() is None:
                raise Conflict("la migration a été interrompue entre-temps : relancez-la")
            work.finish(result=asdict(result))
    except Conflict:
        return
    except Refused as exc:
        work.fail(str(exc))
    except Exception as exc:  # kept for the person waiting on the page
        logger.exception("migration %s failed", pk)
        work.fail(exc)


def _check_editions(source: Edition, target: Edition) -> None:
    """Refused unless both editions were published and ``source`` is another one."""
    if target.pk == source.pk:
        raise Refused(problems={"source": "choisissez une édition antérieure à celle en vigueur"})
    if not target.is_frozen:
        raise Refused(problems={"target": f"l'édition {target.label} n'est pas publiée"})
    if not source.is_frozen:
        # A draft holds nobody's positioning: migrating from it would throw decisions away.
        raise Refused(problems={"source": f"l'édition {source.label} n'a jamais été publiée"})


def _map_decisions(
    source: Edition,
    target: Edition,
    establishment: Establishment,
    to_map: list[Positioning],
    in_target: dict[int, Positioning],
    matches: Matches | None = None,
) -> list[_Migrated]:
    """Propose in ``target``, for each decided positioning of ``source``, its job's
    successor first, then the engine's candidates; saved in batches."""
    _, mapping = catalog.successors_between(source, target)
    jobs = {job.code: job for job in catalog.job_list(target)}
    results = matched([title_query(p.employee) for p in to_map], target, matches, establishment)
    created, updated, migrated = [], [], []
    for old, result in zip(to_map, results, strict=True):
        successor = mapping.get(old.job.code) if old.job_id else None
        job = jobs.get(successor.code) if successor and successor.code else None
        note = _migration_note(source, old, successor)
        positioning = in_target.get(old.employee_id)
        if positioning is None:
            positioning = Positioning(
                employee=old.employee, edition=target, establishment=establishment
            )
            created.append(positioning)
        else:
            updated.append(positioning)
        _take_migrated_proposals(positioning, old, result, job, successor, note, jobs)
        positioning.level, positioning.personal_level_reason = _migrated_level(
            source, old, positioning.job
        )
        migrated.append(_Migrated(old, positioning, note))
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
    return migrated


def _take_migrated_proposals(
    positioning: Positioning,
    old: Positioning,
    result: MatchResult,
    job: ReferenceJob | None,
    successor: Successor | None,
    note: str,
    jobs: dict[str, ReferenceJob],
) -> None:
    """The successor job (when there is one) then the engine's candidates, at most
    ``PROPOSALS_KEPT``; the positioning is placed on the first of them."""
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
        candidate.as_proposal(digits=4)
        for candidate in result.candidates
        if not job or candidate.code != job.code
    ][: PROPOSALS_KEPT - len(proposals)]
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
    positioning.job = job or (jobs.get(proposals[0]["code"]) if proposals else None)
    positioning.evaluation = None


def _journal_migration(
    source: Edition,
    target: Edition,
    establishment: Establishment,
    migrated: list[_Migrated],
    actor: str,
) -> None:
    """A "migrate" step and a journal entry (both editions' facts) per positioning;
    journaled once saved: the entries name the new positionings by their ids."""
    events, journal = [], []
    for item in migrated:
        events.append(event(item.new, PositioningEvent.Action.MIGRATE, actor, item.note))
        journal.append(
            audit.entry(
                actor=actor,
                action="positioning.migrate",
                instance=item.new,
                before={**facts(item.old), "edition": source.label},
                after={
                    **facts(item.new),
                    "edition": target.label,
                    "confidence": item.new.confidence,
                },
                establishment=establishment,
            )
        )
    PositioningEvent.objects.bulk_create(events, batch_size=BATCH)
    audit.record_many(journal)


def _migration_note(source: Edition, old: Positioning, successor) -> str:
    held = f"édition {source.label} : {old.placed_on}, niveau {to_roman(old.level)}"
    if old.status == Positioning.Status.CONTESTED:
        held += " (recours en cours)"
    if old.evaluation_id:
        return f"{held} ; emploi local pesé sur l'édition précédente, à repositionner"
    if successor is None or successor.code is None:
        return f"{held} ; emploi retiré, aucun emploi proposé"
    return f"{held} ; {successor.how}"


def _migrated_level(source: Edition, old: Positioning, job) -> tuple[int | None, str]:
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
