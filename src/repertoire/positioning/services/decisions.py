"""Proposals and decisions on positionings: the engine's proposals, then HR's decisions one
by one or in groups, and the notification that opens the appeal period.

Every decision takes the acting user and refuses (``NotAllowed``) anyone who may not write
the establishment's personal data; ``propose`` takes only the name of its author: it is
called by writes that checked the scope already (an employee created or imported, an
establishment migrated) and by national commands. Each write runs in one transaction and
leaves a step in the positioning's history and an entry in the journal; the rules
themselves (statuses, levels) live in ``core.positioning``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import ngettext

from repertoire.audit import services as audit
from repertoire.audit.services import record
from repertoire.catalog import selectors as catalog
from repertoire.catalog.models import Edition, ReferenceJob
from repertoire.core import positioning as rules
from repertoire.core.batches import filter_in
from repertoire.core.matching import MatchResult, TitleQuery
from repertoire.core.refusals import Conflict, Refused
from repertoire.locking import lock_rows, locked
from repertoire.positioning.models import (
    Employee,
    Establishment,
    Notification,
    Positioning,
    PositioningEvent,
)
from repertoire.positioning.selectors.positionings import selection_etag
from repertoire.positioning.services._common import (
    BATCH,
    PROPOSALS_KEPT,
    check_in_force,
    check_writer,
    event,
    facts,
    job_in,
    key_of,
    lock_decision,
    repeats_from,
    title_query,
)

# --- proposals ------------------------------------------------------------------------

# Titles matched between two progress reports (ahead of a write).
MATCH_CHUNK = 200


@dataclass
class Matches:
    """The engine's candidates for titles, computed ahead of a write and outside its
    transaction (the long part of proposing); ``propose`` takes them, and matches itself
    only a title missing here. Matched for one establishment (its own appellations with
    the network's), or for the network alone."""

    edition_id: int | None = None
    results: dict[TitleQuery, MatchResult] = field(default_factory=dict)
    establishment_id: int | None = None


def match_titles(
    queries: Iterable[TitleQuery],
    *,
    edition: Edition | None = None,
    establishment: Establishment | None = None,
    progress: Callable[[float], None] | None = None,
) -> Matches:
    """Match each title once, reporting ``progress`` (0 to 1) as it goes."""
    edition = edition or catalog.get_edition()
    unique = list(dict.fromkeys(queries))
    matches = Matches(edition.pk, establishment_id=establishment.pk if establishment else None)
    index = catalog.matching_index(edition, establishment)
    for start in range(0, len(unique), MATCH_CHUNK):
        chunk = unique[start : start + MATCH_CHUNK]
        matches.results.update(zip(chunk, index.match_many(chunk, top=PROPOSALS_KEPT), strict=True))
        if progress is not None:
            progress(min(start + MATCH_CHUNK, len(unique)) / len(unique))
    return matches


def matched(
    queries: list[TitleQuery],
    edition: Edition,
    matches: Matches | None = None,
    establishment: Establishment | int | None = None,
) -> list[MatchResult]:
    """Each title's candidates in ``edition`` for ``establishment``: from ``matches`` when
    computed ahead for them, else matched now."""
    establishment_id = getattr(establishment, "pk", establishment)
    known = (
        matches.results
        if matches is not None
        and matches.edition_id == edition.pk
        and matches.establishment_id == establishment_id
        else {}
    )
    missing = [query for query in dict.fromkeys(queries) if query not in known]
    if missing:
        index = catalog.matching_index(edition, establishment_id)
        found = index.match_many(missing, top=PROPOSALS_KEPT)
        known = {**known, **dict(zip(missing, found, strict=True))}
    return [known[query] for query in queries]


def _matched_by_establishment(
    employees: list[Employee], edition: Edition, matches: Matches | None
) -> list[MatchResult]:
    """Each employee's candidates, matched with their establishment's appellations."""
    groups: dict[int, list[int]] = {}
    for number, employee in enumerate(employees):
        groups.setdefault(employee.establishment_id, []).append(number)
    results: list[MatchResult | None] = [None] * len(employees)
    for establishment_id, numbers in groups.items():
        found = matched(
            [title_query(employees[n]) for n in numbers], edition, matches, establishment_id
        )
        for number, result in zip(numbers, found, strict=True):
            results[number] = result
    return results


@transaction.atomic
def propose(
    employees: Iterable[Employee],
    *,
    actor: str,
    edition: Edition | None = None,
    progress: Callable[[float], None] | None = None,
    matches: Matches | None = None,
) -> int:
    """Give each employee the engine's best reference jobs, with scores and reasons
    (from ``matches`` when they were computed ahead for this edition).

    A positioning still at the proposal stage takes the new first proposal; one already
    decided keeps its decision and only its proposals are refreshed: the positionings are
    read under a lock, so that a decision taken while the engine worked (an import runs
    for minutes) is seen here and kept. Returns how many employees were proposed a job.
    No scope is checked here: callers checked it.
    """
    employees = list(employees)
    if not employees:
        return 0
    edition = edition or catalog.get_edition()
    jobs = {job.code: job for job in catalog.job_list(edition)}
    results = _matched_by_establishment(employees, edition, matches)
    existing = {
        positioning.employee_id: positioning
        for part in filter_in(
            Positioning.objects.filter(edition=edition).select_related("job", "establishment"),
            "employee",
            [employee.pk for employee in employees],
        )
        for positioning in lock_rows(part)
    }
    # The journal names each positioning's establishment: one query, not one per row.
    places = Establishment.objects.in_bulk({employee.establishment_id for employee in employees})
    created, updated = [], []
    for number, (employee, result) in enumerate(zip(employees, results, strict=True)):
        positioning = existing.get(employee.pk)
        if positioning is None:
            positioning = Positioning(
                employee=employee, edition=edition, establishment=places[employee.establishment_id]
            )
            created.append(positioning)
        else:
            updated.append(positioning)
        _take_proposals(positioning, result, jobs)
        if progress is not None and number % BATCH == 0:
            progress(number / len(employees))
    Positioning.objects.bulk_create(created, batch_size=BATCH)
    Positioning.objects.bulk_update(
        updated,
        ["proposals", "confidence", "title_key", "job", "level", "personal_level_reason"],
        batch_size=BATCH,
    )
    _journal_proposals([*created, *updated], actor)
    return sum(1 for positioning in (*created, *updated) if positioning.proposals)


def _take_proposals(
    positioning: Positioning, result: MatchResult, jobs: dict[str, ReferenceJob]
) -> None:
    """The engine's candidates as the positioning's proposals; one still at the proposal
    stage is placed on the first of them."""
    proposals = [candidate.as_proposal(digits=4) for candidate in result.candidates]
    positioning.proposals = proposals
    positioning.confidence = proposals[0]["score"] if proposals else 0.0
    positioning.title_key = result.normalized[:200]
    on_first_proposal(positioning, jobs)


def on_first_proposal(positioning: Positioning, jobs: dict[str, ReferenceJob]) -> None:
    """A positioning at the proposal stage stands on the first of its proposals (``jobs``:
    the edition's, by code): the job it shows is the one its confidence is about."""
    if positioning.status != Positioning.Status.PROPOSED:
        return
    proposals = positioning.proposals or []
    best = jobs.get(proposals[0]["code"]) if proposals else None
    job_level = best.level.number if best else None
    # A level held before (its reason says so) stays when above the new job's, as a
    # migration proposes it; otherwise the job's level, and no reason left behind.
    held = (
        job_level is not None
        and positioning.personal_level_reason
        and (positioning.level or 0) > job_level
    )
    positioning.job = best
    if not held:
        positioning.level = job_level
        positioning.personal_level_reason = ""


def _journal_proposals(positionings: list[Positioning], actor: str) -> None:
    """A "propose" step and a journal entry per positioning, written in batches."""
    events, journal = [], []
    for positioning in positionings:
        note = positioning.proposals[0]["reason"] if positioning.proposals else "aucun emploi"
        events.append(event(positioning, PositioningEvent.Action.PROPOSE, actor, note))
        journal.append(
            audit.entry(
                actor=actor,
                action="positioning.propose",
                instance=positioning,
                after={**facts(positioning), "confidence": positioning.confidence},
                establishment=positioning.establishment,
            )
        )
    PositioningEvent.objects.bulk_create(events, batch_size=BATCH)
    audit.record_many(journal)


# --- decisions ------------------------------------------------------------------------


def decide(
    user,
    positioning: Positioning,
    action: str,
    *,
    job: ReferenceJob | None = None,
    evaluation=None,
    personal_level: int | None = None,
    reason: str = "",
    note: str = "",
    seen: str | None = None,
) -> Positioning:
    """Move a positioning to its next status, with its job (a reference job, or an evaluated
    local job) and level; history and journal. The scope is checked here. Refused
    (``Conflict``) when someone else decided on the positioning since the person saw it
    (``seen``: the etag their page or call showed, see ``lock_decision``)."""
    check_writer(user, positioning.establishment)
    try:
        lock_decision(positioning, chosen=job is not None or evaluation is not None, seen=seen)
    except Conflict:
        if _decided_before(user, positioning, action, seen, job, personal_level):
            return positioning  # this very decision, sent again: it stands
        raise
    if action not in ("confirm", "revise"):
        # HR decides on the edition in force; the commission decides an appeal where
        # it was lodged.
        check_in_force(positioning)
    status = rules.next_status(positioning.status, action)  # refused with its reason
    if job is None and evaluation is None:
        # Unchanged: the job or the evaluated local job it is already placed on.
        job, evaluation = positioning.job, positioning.evaluation
    if job is None and evaluation is None:
        raise Refused(problems={"job": "choisissez l'emploi repère de ce collaborateur"})
    base_level = job.level.number if job is not None else evaluation.level
    try:
        level = rules.positioned_level(base_level, personal_level, reason)
    except rules.LevelRefused as exc:  # about the level asked for
        raise Refused(problems={"level": exc.messages}) from None
    before = facts(positioning)
    positioning.status = status
    positioning.job = job
    positioning.evaluation = evaluation if job is None else None
    positioning.level = level
    positioning.personal_level_reason = reason.strip() if level > base_level else ""
    if action in ("validate", "change", "confirm", "revise"):
        positioning.decided_by = user.get_username()
        positioning.decided_at = timezone.now()
    positioning.save()
    step = event(positioning, action, user.get_username(), note.strip())
    step.seen = seen or ""
    step.save()
    record(
        actor=user.get_username(),
        action=f"positioning.{action}",
        instance=positioning,
        before=before,
        after=facts(positioning),
        establishment=positioning.establishment,
    )
    return positioning


def _decided_before(
    user,
    positioning: Positioning,
    action: str,
    seen: str | None,
    job: ReferenceJob | None,
    personal_level: int | None,
) -> bool:
    """Whether the positioning's last step is this very decision, sent again lately
    (``REPEAT_WINDOW``: a double click, a client's retry after a timeout): by the same
    person, from the same page (``seen``), the same action on the same job and level,
    and nothing since."""
    if not seen:
        return False
    last = positioning.events.order_by("-at", "-pk").first()
    return (
        last is not None
        and last.author == user.get_username()
        and last.seen == seen
        and last.action == action
        and last.at >= repeats_from()
        and (job is None or last.job_code == job.code)
        and (personal_level is None or last.level == personal_level)
        and last.level == positioning.level
    )


@transaction.atomic
def validate(
    user, positioning: Positioning, *, comment: str = "", seen: str | None = None
) -> Positioning:
    """Accept the proposed job (and its level)."""
    # Validating again keeps a personal level decided earlier, with its reason.
    return decide(
        user,
        positioning,
        "validate",
        personal_level=positioning.level,
        reason=positioning.personal_level_reason,
        note=comment,
        seen=seen,
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
    seen: str | None = None,
) -> Positioning:
    """Place the employee on another job, or at a personal level above the job's, with a reason."""
    job = job_in(positioning.edition, job_code)
    return decide(
        user,
        positioning,
        "change",
        job=job,
        personal_level=personal_level,
        reason=reason,
        note=comment,
        seen=seen,
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
    seen: str | None = None,
) -> Positioning:
    """Place the employee on a local job of their establishment, evaluated and validated
    (no reference job describes it); its level is the evaluation's."""
    from repertoire.evaluation.models import JobEvaluation

    # The evaluation in force: validated, of this establishment and edition, not replaced
    # by a newer validated edition.
    evaluation = (
        JobEvaluation.objects.filter(
            pk=evaluation_id,
            establishment=positioning.establishment,
            edition=positioning.edition,
            status=JobEvaluation.Status.VALIDATED,
        )
        .exclude(revisions__status=JobEvaluation.Status.VALIDATED)
        .first()
    )
    if evaluation is None:
        raise Refused(
            problems={"evaluation": "aucune pesée validée de cet établissement sous ce numéro"}
        )
    return decide(
        user,
        positioning,
        "change",
        evaluation=evaluation,
        personal_level=personal_level,
        reason=reason,
        note=comment,
        seen=seen,
    )


@transaction.atomic
def comment(user, positioning: Positioning, text: str) -> Positioning:
    """A comment on the positioning, sealed in the journal with the person's key."""
    check_writer(user, positioning.establishment)
    if not text.strip():
        raise Refused(problems={"comment": "le commentaire est vide"})
    locked(positioning)  # its history tells the decision as it stands
    positioning.comment = text.strip()
    positioning.save(update_fields=["comment", "updated_at"])
    event(positioning, PositioningEvent.Action.COMMENT, user.get_username(), text.strip()).save()
    record(
        actor=user.get_username(),
        action="positioning.comment",
        instance=positioning,
        after={
            **facts(positioning),
            "comment": audit.sealed(text.strip(), key_of(positioning.employee_id)),
        },
        establishment=positioning.establishment,
    )
    return positioning


# --- decisions for many ---------------------------------------------------------------


def _bulk(user, positionings: list[Positioning], action: str, note: str, **changes) -> int:
    """One decision for many positionings at once: the same checks, written in batches."""
    author = user.get_username()
    events, journal = [], []
    for positioning in positionings:
        before = facts(positioning)
        positioning.status = rules.next_status(positioning.status, action)
        for name, value in changes.items():
            setattr(positioning, name, value)
        events.append(event(positioning, action, author, note))
        journal.append(
            audit.entry(
                actor=author,
                action=f"positioning.{action}",
                instance=positioning,
                before=before,
                after=facts(positioning),
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


@transaction.atomic
def notify(
    user,
    positionings: Iterable[Positioning],
    *,
    on: dt.date | None = None,
    expected: int | None = None,
    seen: str | None = None,
) -> int:
    """Record that the validated positionings were notified to their employees (the
    decision letter), which opens the appeal period.

    Those handed in validated are read again under a lock: when any of them changed
    since (decided again, or notified by someone else), nothing is notified and the
    refusal (``Conflict``) names them: the letter no longer says what the database does.
    ``expected``: the count the person confirmed; another count refuses the whole
    notification (``Conflict``); ``seen``: the etag of the positionings the person
    confirmed (``selectors.selection_etag``), which must still be theirs. The same
    confirmation sent again (a double click, a retry) returns what it notified
    (``Notification``)."""
    positionings = list(positionings)
    # Checked on every positioning handed in: a reader is refused, not told "none".
    for establishment in {p.establishment for p in positionings}:
        check_writer(user, establishment)
    handed = {p.pk: p for p in positionings if p.status == Positioning.Status.VALIDATED}
    current = [
        positioning
        for part in filter_in(
            Positioning.objects.select_related(
                "job", "evaluation", "establishment", "employee__establishment"
            ),
            "pk",
            list(handed),
        )
        for positioning in lock_rows(part)
    ]
    changed = [p for p in current if p.etag != handed[p.pk].etag]
    miscounted = expected is not None and len(current) != expected
    unlike_seen = seen is not None and selection_etag(current) != seen
    if (
        (changed or miscounted or unlike_seen)
        and seen
        and (earlier := _notified_before(user, seen))
    ):
        # This very confirmation was already recorded (a double click, a retry after a
        # timeout): what it notified is the answer, not a refusal saying nothing was.
        return earlier.notified
    if changed:
        raise Conflict(_changed_before_notification(changed))
    if miscounted:
        raise Conflict(
            ngettext(
                "%(count)d positioning is now waiting for its letter, not %(expected)d as "
                "confirmed: nothing was notified. Review the figures again.",
                "%(count)d positionings are now waiting for their letter, not %(expected)d "
                "as confirmed: nothing was notified. Review the figures again.",
                len(current),
            )
            % {"count": len(current), "expected": expected}
        )
    if unlike_seen:
        raise Conflict(
            ngettext(
                "The positioning waiting for its letter changed since you reviewed it "
                "(another person, job or level; %(count)d now): nothing was notified. "
                "Review the figures again.",
                "The positionings waiting for their letter changed since you reviewed them "
                "(other people, jobs or levels; %(count)d now): nothing was notified. "
                "Review the figures again.",
                len(current),
            )
            % {"count": len(current)}
        )
    on = on or timezone.localdate()
    count = _bulk(
        user, current, "notify", f"lettre de positionnement du {on:%d/%m/%Y}", notified_on=on
    )
    if current:
        Notification.objects.create(
            establishment=current[0].establishment,
            author=user.get_username(),
            notified_on=on,
            notified=count,
            selection=seen or selection_etag(current),
        )
    for positioning in current:  # the caller's positionings, as the database has them now
        handed[positioning.pk].status = positioning.status
        handed[positioning.pk].notified_on = positioning.notified_on
    return count


def _notified_before(user, seen: str) -> Notification | None:
    """The notification ``user`` recorded lately (``REPEAT_WINDOW``) from the confirmation
    whose etag is ``seen`` (an etag names the very positionings confirmed: no other
    establishment's)."""
    return (
        Notification.objects.filter(
            author=user.get_username(), selection=seen, created_at__gte=repeats_from()
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def _changed_before_notification(changed: list[Positioning]) -> str:
    people = ", ".join(p.employee.journal_label() for p in changed[:10])
    return ngettext(
        "%(count)d positioning changed since the list was read (%(people)s): nothing was "
        "notified. Reload the list and notify again.",
        "%(count)d positionings changed since the list was read (%(people)s): nothing was "
        "notified. Reload the list and notify again.",
        len(changed),
    ) % {"count": len(changed), "people": people + (", …" if len(changed) > 10 else "")}
