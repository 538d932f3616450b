"""Publishing a new edition during a positioning campaign, without wrecking it.

``publish_edition`` publishes the draft (the catalog's service) and, in the same
transaction, gives every person positioned on the edition that was in force a positioning
on the new one (``carry_over``):

- decided on a job the new edition leaves unchanged (same code, same level, same degrees:
  ``core.editions.job_unchanged``): carried over with its status, decision, letter date
  and appeal, journaled as carried over ("reporté");
- decided on a job the new edition changed (or retired, or on a local weighing): back to
  review, proposed the job's successor; notified or contested people are flagged (their
  proposal says so, it is never accepted in bulk) and their letter and open appeal stay
  on the earlier edition, where the commission decides it: nothing is reset silently;
- not decided yet: their proposals, mapped onto the new edition's jobs, at once.

Why in the publication's transaction rather than as work per establishment after it: the
worklist reads the edition in force, so positionings made afterwards would leave every
worklist at "0 sur 0" between the publication and the end of that work, and for good
where it failed. Carrying over needs no matching engine (a kept positioning is copied, a
changed job has its successor, proposals are mapped by code): a few bulk writes, under
the lock of the editions that publishing takes anyway. An establishment's migration (the
engine's fresh proposals for those left to review) stays available afterwards.

How it runs: the page queues the whole publication as one piece of background work
(``request_publication``, then ``run_publication`` in a worker; one at a time in the
network), whose page shows its progress; the command line publishes in the call. Either
way ``publish_edition`` does the long part first, outside any transaction: it reads the
campaign and works out every positioning to carry over (``plan_carry_over``), telling its
progress.
Then one write transaction, all or nothing: the editions locked, the draft checked and
published, the positionings of the edition in force locked and compared with what was
read (a decision taken meanwhile is carried over as it now stands: its row is worked out
again; a draft changed meanwhile has everything worked out again), then written and
journaled. A decision on an earlier positioning that waited for that lock is then
refused as stale. Its progress is told from another connection on PostgreSQL; on SQLite
the transaction holds the whole database, so the page shows "enregistrement" until it
ends (``tasks.progress_beside``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field

from django.db import transaction
from django.utils import timezone

from repertoire import tasks
from repertoire.audit import services as audit
from repertoire.catalog import selectors as catalog
from repertoire.catalog import services as editions
from repertoire.catalog.models import Edition, EditionPairing, ReferenceJob
from repertoire.catalog.services.common import lock_editions
from repertoire.core.batches import rows_in
from repertoire.core.editions import (
    ENGINE_CONFIDENCE,
    CarryOver,
    Successor,
    carry_over_outcome,
    unchanged_codes,
)
from repertoire.core.refusals import Conflict, Refused
from repertoire.positioning.models import (
    Appeal,
    EditionPublication,
    Positioning,
    PositioningEvent,
    still_employed,
)
from repertoire.positioning.selectors.editions import campaign_source, publication_in_flight
from repertoire.positioning.services._common import BATCH, PROPOSALS_KEPT, event, facts
from repertoire.positioning.services.migration import _migrated_level, _migration_note
from repertoire.tasks import throttled

logger = logging.getLogger(__name__)

Progress = Callable[[float, str], None]

# What a carried-over positioning is worked out from: a row of the edition in force whose
# values differ from those read ahead is worked out again under the lock.
READ = (
    "employee_id",
    "establishment_id",
    "job_id",
    "evaluation_id",
    "level",
    "personal_level_reason",
    "status",
    "proposals",
    "confidence",
    "title_key",
    "comment",
    "decided_by",
    "decided_at",
    "notified_on",
)

# Share of the progress bar: reading and working out, then writing (positionings,
# appeals, journal).
PLANNED, CREATED, APPEALS = 0.5, 0.75, 0.8


def _silent(fraction: float, stage: str) -> None:
    pass


@dataclass(frozen=True)
class CarryOverResult:
    kept: int = 0  # carried over as they were (status, decision, appeal)
    review: int = 0  # decided on a changed job: back to review
    flagged: int = 0  # ... of whom notified or contested: flagged
    proposed: int = 0  # not decided: proposals on the new edition
    appeals: int = 0  # appeals that followed their carried-over positioning

    @property
    def total(self) -> int:
        return self.kept + self.review + self.proposed


@dataclass(frozen=True)
class _Made:
    """A positioning of the edition in force and the one made for it on the new one."""

    old: Positioning
    new: Positioning
    outcome: str
    note: str


@dataclass
class _Context:
    """What carrying over from ``source`` to ``target`` reads of the catalog."""

    source: Edition
    target: Edition
    kept_codes: set[str]
    mapping: dict[str, Successor]
    jobs: dict[str, ReferenceJob]


@dataclass
class _Plan:
    """The carry-over worked out ahead, outside the publication's transaction: for each
    positioning of the edition in force (by id), the values it was read with and what
    was made of it; ``catalog`` says what the catalog was then."""

    catalog: tuple
    made: dict[int, tuple[tuple, _Made]] = field(default_factory=dict)


def _catalog_state(source: Edition, target: Edition) -> tuple:
    """What the working out rests on in the catalog: both editions' content revisions (a
    job, a text, a level changed...) and the pairs of jobs decided between them."""
    revisions = dict(
        Edition.objects.filter(pk__in=[source.pk, target.pk]).values_list("pk", "revision")
    )
    pairs = sorted(
        EditionPairing.objects.filter(before=source, after=target).values_list(
            "before_code", "after_code"
        )
    )
    return (source.pk, revisions.get(source.pk), target.pk, revisions.get(target.pk), pairs)


def _context(source: Edition, target: Edition) -> _Context:
    _, mapping = catalog.successors_between(source, target)
    return _Context(
        source=source,
        target=target,
        kept_codes=unchanged_codes(
            catalog.edition_content(source), catalog.edition_content(target)
        ),
        mapping=mapping,
        jobs={job.code: job for job in catalog.job_list(target)},
    )


def _campaign(source: Edition):
    """The positionings of ``source`` to carry over (people still employed), by id."""
    return (
        Positioning.objects.filter(edition=source)
        .filter(still_employed("employee__"))
        .select_related("employee", "job", "job__level", "evaluation", "establishment")
        .order_by("pk")
    )


def _already(target: Edition) -> set[int]:
    """People positioned on ``target`` already: left alone."""
    return set(Positioning.objects.filter(edition=target).values_list("employee_id", flat=True))


def _values(positioning: Positioning) -> tuple:
    return tuple(getattr(positioning, name) for name in READ)


def plan_carry_over(source: Edition, target: Edition, progress: Progress = _silent) -> _Plan:
    """Read the campaign of ``source`` and work out its carry-over to ``target``, outside
    any transaction (nothing is locked nor written): the long part of a publication."""
    progress(0.0, "lecture de la campagne")
    state = _catalog_state(source, target)
    context = _context(source, target)
    already = _already(target)
    rows = _campaign(source)
    total = rows.count()
    plan = _Plan(catalog=state)
    number, last = 0, 0
    # Read chunk by chunk, each read finished before its progress is written: on SQLite, a
    # write on a connection whose read is still open fails at once ("database is locked")
    # as soon as anyone else has written since the read began.
    while chunk := list(rows.filter(pk__gt=last)[:BATCH]):
        for old in chunk:
            if old.employee_id not in already:
                plan.made[old.pk] = (_values(old), _carried(old, context))
        number, last = number + len(chunk), chunk[-1].pk
        progress(
            0.05 + (PLANNED - 0.05) * number / max(total, number),
            f"report des positionnements : {number} / {max(total, number)}",
        )
    return plan


# --- publishing ---------------------------------------------------------------------


def publish_edition(
    user,
    edition: Edition,
    *,
    status: str | None = None,
    progress: Progress | None = None,
    written: Callable[[Edition, Edition | None, CarryOverResult], None] | None = None,
    work: int | None = None,
) -> tuple[Edition, CarryOverResult]:
    """Publish ``edition`` (refused as the catalog refuses it) and carry the campaign of
    the edition in force over to it, all or nothing (see the module). Refused
    (``Conflict``) while a publication asked for from the page waits or runs, but for
    ``work``, the one this call runs.

    ``progress(fraction, stage)`` is told how far it is, in autocommit before the write
    transaction, from another connection during it (``tasks.progress_beside``).
    ``written(published, source, result)`` is called before the write commits (it may
    still refuse it): the background work marks itself done with the edition."""
    progress = progress or _silent
    with transaction.atomic():  # refused before the long part, as it would be after it
        editions.check_publishable(user, edition, status=status)
        _refuse_while_running(but=work)
    source = campaign_source(edition)  # read again under the lock below
    plan = plan_carry_over(source, edition, progress) if source is not None else None
    progress(PLANNED, "enregistrement")
    with transaction.atomic():
        with tasks.progress_beside(progress) as beside:
            lock_editions()  # the edition in force read here is the one publishing replaces
            _refuse_while_running(but=work)
            source = campaign_source(edition)
            if source is not None and (
                plan is None or plan.catalog != _catalog_state(source, edition)
            ):
                plan = None  # the draft, its pairs or the edition in force changed meanwhile
            published = editions.publish_edition(user, edition, status=status)
            result = (
                carry_over(user, source, published, plan=plan, progress=beside)
                if source is not None
                else CarryOverResult()
            )
        # The thread telling the progress has stopped: ``written`` may lock the work's row.
        if written is not None:
            written(published, source, result)
    return published, result


# --- in the background: requested from the page, run by a worker ---------------------


def request_publication(user, edition: Edition, *, status: str | None = None) -> EditionPublication:
    """Publish ``edition`` in the background (see ``publish_edition``): checked first
    (refused as publishing refuses it, nothing queued), then queued. One publication at a
    time in the network: another one waiting or running is refused (``Conflict``)."""
    _refuse_while_running()  # at once, before waiting for the lock
    with transaction.atomic():
        lock_editions()  # publications are requested one after the other
        editions.check_publishable(user, edition, status=status)
        _refuse_while_running()  # one requested while this one waited for the lock
        work = EditionPublication.objects.create(
            edition=edition,
            edition_status=status or edition.status,
            status=EditionPublication.Status.PENDING,
            requested_by=user.get_username(),
        )
        audit.record(
            actor=user.get_username(),
            action="edition.publish_request",
            instance=work,
            after={"edition": edition.label, "status": work.edition_status},
        )
        tasks.start(work, run_publication, getattr(user, "pk", None))
    return work


def _refuse_while_running(but: int | None = None) -> None:
    running = publication_in_flight(but=but)
    if running is not None:
        raise Conflict(
            f"la publication de l'édition {running.edition.label}, demandée par "
            f"{running.requested_by}, est en cours : attendez qu'elle se termine, "
            "une seule publication à la fois"
        )


def run_publication(pk: int, user_pk: int | None) -> None:
    """Publish and carry the campaign over as the user who asked (``publish_edition``);
    the outcome, or the failure with its reason, kept on the work. Nothing of a failed
    publication is written."""
    from django.contrib.auth import get_user_model

    from repertoire.accounts.selectors import CommandLineOperator

    work = EditionPublication.objects.select_related("edition").get(pk=pk)
    user = (
        get_user_model().objects.get(pk=user_pk)
        if user_pk is not None
        else CommandLineOperator(work.requested_by)
    )
    rows = EditionPublication.objects.filter(pk=pk, status__in=EditionPublication.RUNNING_STATUSES)

    def write(fraction: float, stage: str) -> None:  # autocommit: the page sees it
        rows.update(
            status=EditionPublication.Status.RUNNING,
            progress=min(fraction, 0.99),
            stage=stage,
            updated_at=timezone.now(),
        )

    def written(published: Edition, source: Edition | None, result: CarryOverResult) -> None:
        # Done with the edition, or not at all: work taken for interrupted meanwhile (its
        # worker thought dead) publishes nothing.
        if rows.select_for_update().first() is None:
            raise Conflict("la publication a été interrompue entre-temps : relancez-la")
        work.finish(result={"from": source.label if source else "", **asdict(result)})

    try:
        publish_edition(
            user,
            work.edition,
            status=work.edition_status,
            progress=throttled(write),
            written=written,
            work=pk,
        )
    except Refused as exc:  # refused when it came to publish (published meanwhile...)
        if rows.exists():  # else taken for interrupted meanwhile: failed, with its reason
            work.fail(str(exc))
    except Exception as exc:  # kept for the person waiting on the page
        logger.exception("publication %s failed", pk)
        work.fail(exc)


def carry_over(
    user,
    source: Edition,
    target: Edition,
    *,
    plan: _Plan | None = None,
    progress: Progress | None = None,
) -> CarryOverResult:
    """Every positioning of ``source`` (people still employed) gets its positioning on
    ``target`` (see the module); people already positioned on ``target`` are left alone.
    Runs inside the caller's transaction, the positionings of ``source`` locked: a
    decision taken meanwhile on them waits, then is refused as stale. What ``plan``
    worked out ahead is kept for the rows that did not change since; the rest is worked
    out here."""
    progress = progress or _silent
    actor = user.get_username()
    already = _already(target)
    locked = (
        Positioning.objects.filter(edition=source)
        .filter(still_employed("employee__"))
        .select_for_update(of=("self",))
        .order_by("pk")
        .values_list("pk", *READ)
    )
    made: list[_Made] = []
    again: list[int] = []
    planned = plan.made if plan is not None else {}
    for pk, *values in locked:
        if values[0] in already:  # employee_id
            continue
        ahead = planned.get(pk)
        if ahead is not None and ahead[0] == tuple(values):
            made.append(ahead[1])
        else:
            again.append(pk)
    if again:
        context = _context(source, target)
        made += [_carried(old, context) for old in rows_in(_campaign(source), "pk", again)]
        made.sort(key=lambda item: item.old.pk)
    for item in made:
        item.new.edition = target  # the published edition's own row
    _create(made, progress)
    progress(CREATED, "recours")
    appeals = _move_appeals(
        {item.old.pk: item.new for item in made if item.outcome == CarryOver.KEEP},
        actor,
        source,
        target,
    )
    progress(APPEALS, "journal")
    _journal(made, actor, source, target, progress)
    counts = [item.outcome for item in made]
    result = CarryOverResult(
        kept=counts.count(CarryOver.KEEP),
        review=counts.count(CarryOver.REVIEW) + counts.count(CarryOver.FLAGGED),
        flagged=counts.count(CarryOver.FLAGGED),
        proposed=counts.count(CarryOver.PROPOSE),
        appeals=appeals,
    )
    audit.record(
        actor=actor,
        action="edition.carry_over",
        instance=target,
        after={"from": source.label, "to": target.label, **asdict(result)},
    )
    return result


def _carried(old: Positioning, context: _Context) -> _Made:
    """The positioning ``old`` gets on the new edition (unsaved), and how."""
    source, target = context.source, context.target
    jobs, mapping, kept_codes = context.jobs, context.mapping, context.kept_codes
    unchanged = bool(old.job_id) and old.job.code in kept_codes
    outcome = carry_over_outcome(old.status, unchanged)
    new = Positioning(
        employee=old.employee,
        edition=target,
        establishment=old.establishment,
        title_key=old.title_key,
        comment=old.comment,
    )
    if outcome == CarryOver.KEEP:
        note = _keep(old, new, source, jobs, mapping)
    elif outcome == CarryOver.PROPOSE:
        note = _propose(old, new, source, jobs, mapping, kept_codes)
    else:
        note = _review(old, new, source, jobs, mapping, flagged=outcome == CarryOver.FLAGGED)
    return _Made(old, new, outcome, note)


def _batches(items: list, size: int = BATCH) -> Iterable[tuple[int, list]]:
    for start in range(0, len(items), size):
        yield start + min(size, len(items) - start), items[start : start + size]


def _create(made: list[_Made], progress: Progress) -> None:
    total = len(made)
    for done, part in _batches(made):
        Positioning.objects.bulk_create([item.new for item in part], batch_size=BATCH)
        progress(
            PLANNED + (CREATED - PLANNED) * done / total,
            f"enregistrement des positionnements : {done} / {total}",
        )


def _keep(old, new, source, jobs, mapping) -> str:
    """The decision as it was, on the same job of the new edition."""
    new.status = old.status
    new.job = jobs[old.job.code]
    new.level = old.level
    new.personal_level_reason = old.personal_level_reason
    new.decided_by = old.decided_by
    new.decided_at = old.decided_at
    new.notified_on = old.notified_on
    new.proposals = _mapped(old.proposals, jobs, mapping) or _as_proposal(new.job, 1.0, "")
    new.confidence = old.confidence
    return (
        f"reporté de l'édition {source.label} : emploi inchangé (même code, même niveau, "
        "mêmes degrés), statut et décision conservés"
    )


def _propose(old, new, source, jobs, mapping, kept_codes) -> str:
    """Not decided yet: the same proposals, on the new edition's jobs."""
    new.proposals = _mapped(old.proposals, jobs, mapping)
    successor = mapping.get(old.job.code) if old.job_id else None
    job = jobs.get(successor.code) if successor and successor.code else None
    if job is None and new.proposals:
        job = jobs[new.proposals[0]["code"]]
    new.job = job
    new.level = job.level.number if job else None
    same = bool(old.job_id) and old.job.code in kept_codes
    new.confidence = (
        old.confidence
        if same
        else min(old.confidence, successor.confidence if successor else ENGINE_CONFIDENCE)
    )
    return f"propositions reportées de l'édition {source.label}"


def _review(old, new, source, jobs, mapping, *, flagged: bool) -> str:
    """Decided on a job the new edition changed: its successor proposed, for review."""
    successor: Successor | None = mapping.get(old.job.code) if old.job_id else None
    job = (
        jobs.get(successor.code) if successor and successor.code and not old.evaluation_id else None
    )
    note = _migration_note(source, old, successor)
    if flagged:
        handed = old.notified_on.strftime("%d/%m/%Y") if old.notified_on else "?"
        note = (
            f"À REVOIR : {old.get_status_display()} (lettre remise le {handed}) sur l'édition "
            f"{source.label}, emploi modifié ; la lettre et le recours restent sur cette "
            f"édition — {note}"
        )
    first = _as_proposal(job, successor.confidence, note) if job else []
    others = [p for p in _mapped(old.proposals, jobs, mapping) if not job or p["code"] != job.code]
    new.proposals = (first + others)[:PROPOSALS_KEPT]
    new.job = job or (jobs[new.proposals[0]["code"]] if new.proposals else None)
    if job:
        new.confidence = successor.confidence
    else:
        new.confidence = min(new.proposals[0]["score"], ENGINE_CONFIDENCE) if new.proposals else 0.0
    if flagged or old.evaluation_id:
        # HR looks at each of them: never validated in bulk.
        new.confidence = min(new.confidence, ENGINE_CONFIDENCE)
    new.level, new.personal_level_reason = _migrated_level(source, old, new.job)
    return note


def _as_proposal(job: ReferenceJob | None, score: float, reason: str) -> list[dict]:
    if job is None:
        return []
    return [
        {
            "code": job.code,
            "title": job.title,
            "level": job.level.number,
            "score": score,
            "reason": reason,
        }
    ]


def _mapped(proposals: list[dict], jobs: dict, mapping: dict) -> list[dict]:
    """Proposals of the earlier edition as the same or succeeding jobs of the new one."""
    result, seen = [], set()
    for proposal in proposals or []:
        successor = mapping.get(proposal.get("code"))
        job = jobs.get(successor.code) if successor and successor.code else None
        if job is None or job.code in seen:
            continue
        seen.add(job.code)
        result.append(
            {
                **proposal,
                "code": job.code,
                "title": job.title,
                "level": job.level.number,
                "score": min(proposal.get("score", 0.0), successor.confidence),
            }
        )
    return result[:PROPOSALS_KEPT]


def _move_appeals(kept: dict[int, Positioning], actor: str, source, target) -> int:
    """The appeals of carried-over positionings follow them: the commission decides an
    open one on the positioning in force, and a decided one stays beside its decision."""
    moved, journal = [], []
    for appeal in rows_in(Appeal.objects.all(), "positioning_id", list(kept)):
        old_pk = appeal.positioning_id
        appeal.positioning = kept[old_pk]
        moved.append(appeal)
        journal.append(
            audit.entry(
                actor=actor,
                action="appeal.carry_over",
                instance=appeal,
                before={"positioning": old_pk, "edition": source.label},
                after={
                    "positioning": appeal.positioning.pk,
                    "edition": target.label,
                    "status": appeal.status,
                },
                establishment=appeal.positioning.establishment,
            )
        )
    Appeal.objects.bulk_update(moved, ["positioning"], batch_size=BATCH)
    audit.record_many(journal)
    return len(moved)


def _journal(
    made: list[_Made], actor: str, source: Edition, target: Edition, progress: Progress
) -> None:
    """A step in each new positioning's history and a journal entry with both editions'
    facts: "carried over" for kept decisions, "migrated" for the rest."""
    total = len(made)
    for done, part in _batches(made):
        events, journal = [], []
        for item in part:
            old, new, outcome = item.old, item.new, item.outcome
            kept = outcome == CarryOver.KEEP
            action = PositioningEvent.Action.CARRY if kept else PositioningEvent.Action.MIGRATE
            events.append(event(new, action, actor, item.note))
            journal.append(
                audit.entry(
                    actor=actor,
                    action="positioning.carry_over" if kept else "positioning.migrate",
                    instance=new,
                    before={**facts(old), "edition": source.label},
                    after={
                        **facts(new),
                        "edition": target.label,
                        "outcome": outcome,
                        "confidence": new.confidence,
                    },
                    establishment=new.establishment,
                )
            )
        PositioningEvent.objects.bulk_create(events, batch_size=BATCH)
        audit.record_many(journal)
        progress(APPEALS + (0.99 - APPEALS) * done / total, f"journal : {done} / {total}")
