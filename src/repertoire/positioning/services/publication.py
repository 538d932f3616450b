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

Why in the publication's transaction rather than as background work per establishment:
the worklist reads the edition in force, so positionings made afterwards by a worker
would leave every worklist at "0 sur 0" between the publication and the end of the work,
and for good where the work failed. Carrying over needs no matching engine (a kept
positioning is copied, a changed job has its successor, proposals are mapped by code): a
few bulk writes, seconds for the network's 26,000 people, under the lock of the editions
that publishing takes anyway. An establishment's migration (the engine's fresh proposals
for those left to review) stays available afterwards.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.db import transaction

from repertoire.audit import services as audit
from repertoire.catalog import selectors as catalog
from repertoire.catalog import services as editions
from repertoire.catalog.models import Edition, ReferenceJob
from repertoire.catalog.services.common import lock_editions
from repertoire.core.batches import rows_in
from repertoire.core.editions import (
    ENGINE_CONFIDENCE,
    CarryOver,
    Successor,
    carry_over_outcome,
    unchanged_codes,
)
from repertoire.positioning.models import Appeal, Positioning, PositioningEvent, still_employed
from repertoire.positioning.selectors.editions import campaign_source
from repertoire.positioning.services._common import BATCH, PROPOSALS_KEPT, event, facts
from repertoire.positioning.services.migration import _migrated_level, _migration_note


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


@transaction.atomic
def publish_edition(
    user, edition: Edition, *, status: str | None = None
) -> tuple[Edition, CarryOverResult]:
    """Publish ``edition`` (refused as the catalog refuses it) and carry the campaign of
    the edition in force over to it, all or nothing."""
    lock_editions()  # the edition in force read here is the one publishing replaces
    source = campaign_source(edition)
    published = editions.publish_edition(user, edition, status=status)
    if source is None:
        return published, CarryOverResult()
    return published, carry_over(user, source, published)


def carry_over(user, source: Edition, target: Edition) -> CarryOverResult:
    """Every positioning of ``source`` (people still employed) gets its positioning on
    ``target`` (see the module); people already positioned on ``target`` are left alone.
    Runs inside the caller's transaction, the positionings of ``source`` locked: a
    decision taken meanwhile on them waits, then is refused as stale."""
    actor = user.get_username()
    kept_codes = unchanged_codes(catalog.edition_content(source), catalog.edition_content(target))
    _, mapping = catalog.successors_between(source, target)
    jobs = {job.code: job for job in catalog.jobs_of(target).select_related("level")}
    already = set(Positioning.objects.filter(edition=target).values_list("employee_id", flat=True))
    old_rows = [
        p
        for p in Positioning.objects.filter(edition=source)
        .filter(still_employed("employee__"))
        .select_related("employee", "job", "job__level", "evaluation", "establishment")
        .select_for_update(of=("self",))
        .order_by("pk")
        if p.employee_id not in already
    ]
    made: list[tuple[Positioning, Positioning, str, str]] = []  # old, new, outcome, note
    for old in old_rows:
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
        made.append((old, new, outcome, note))
    Positioning.objects.bulk_create([new for _, new, _, _ in made], batch_size=BATCH)
    appeals = _move_appeals(
        {old.pk: new for old, new, outcome, _ in made if outcome == CarryOver.KEEP},
        actor,
        source,
        target,
    )
    _journal(made, actor, source, target)
    counts = [outcome for _, _, outcome, _ in made]
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


def _journal(made, actor: str, source: Edition, target: Edition) -> None:
    """A step in each new positioning's history and a journal entry with both editions'
    facts: "carried over" for kept decisions, "migrated" for the rest."""
    events, journal = [], []
    for old, new, outcome, note in made:
        kept = outcome == CarryOver.KEEP
        action = PositioningEvent.Action.CARRY if kept else PositioningEvent.Action.MIGRATE
        events.append(event(new, action, actor, note))
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
