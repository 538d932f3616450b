"""Bulk acceptance: the proposals the worklist shows under its filters, validated as one
batch (``AcceptanceBatch``) that can be undone as a whole until one of them is notified
or decided again.

The proposals are read by ``selectors.acceptable_for``, the worklist's own query: what is
accepted is exactly what the person saw. They are read again under a lock; when the
person confirmed a count and the database now holds another, or confirmed a preview
whose etag (``selectors.selection_etag``: who, on which job and level) no longer holds,
nothing is validated (``Conflict``), unless that same confirmation was already accepted
(a double click, a client's retry): its batch is returned again. A batch is limited to
``ACCEPTANCE_BATCH_MAX`` proposals.
"""

from __future__ import annotations

from dataclasses import asdict, replace

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from repertoire.audit import services as audit
from repertoire.catalog import selectors as catalog
from repertoire.catalog.models import Edition, ReferenceJob
from repertoire.core.batches import ACCEPTANCE_BATCH_MAX, filter_in
from repertoire.core.refusals import Conflict, Refused
from repertoire.locking import lock_rows, locked
from repertoire.positioning.models import (
    AcceptanceBatch,
    AcceptedPositioning,
    Establishment,
    Positioning,
    PositioningEvent,
)
from repertoire.positioning.selectors.positionings import (
    WorklistFilters,
    acceptable_for,
    group_to_decide,
    selection_etag,
)
from repertoire.positioning.services._common import (
    BATCH,
    check_writer,
    event,
    facts,
    job_in,
    repeats_from,
)
from repertoire.positioning.services.decisions import _bulk, on_first_proposal


def _check_threshold(threshold: float) -> None:
    if not 0 < threshold <= 1:
        raise Refused(problems={"threshold": "le seuil de confiance est entre 0 et 1"})


@transaction.atomic
def accept_batch(
    user,
    establishment: Establishment,
    *,
    threshold: float,
    filters: WorklistFilters | None = None,
    expected: int | None = None,
    seen: str | None = None,
    edition: Edition | None = None,
) -> AcceptanceBatch | None:
    """Validate the establishment's proposals the worklist shows under ``filters`` with a
    confidence of at least ``threshold``, as one batch; None when there is none.

    ``expected``: the count the person confirmed; another count now (an import, someone
    else deciding meanwhile) refuses the whole batch (``Conflict``); ``seen``: the etag of
    the preview the person confirmed, which must still be that of the proposals."""
    check_writer(user, establishment)
    _check_threshold(threshold)
    filters = filters or WorklistFilters()
    edition = edition or catalog.get_edition()
    positionings = _locked_selection(
        acceptable_for(user, establishment, filters=filters, threshold=threshold, edition=edition)
    )
    author = user.get_username()
    kind = AcceptanceBatch.Kind.ACCEPTANCE
    if earlier := _made_before(establishment, author, kind, positionings, expected, seen):
        return earlier
    if not positionings:
        return None
    now = timezone.now()
    batch = _new_batch(
        establishment,
        edition,
        author,
        kind,
        positionings,
        filters=filters,
        now=now,
        threshold=threshold,
    )
    _record_items(batch, positionings, {p.pk: (p.job, p.level) for p in positionings})
    _bulk(
        user,
        positionings,
        "validate",
        # In French, like the page: 0,95.
        f"acceptation groupée n° {batch.pk} (confiance ≥ {threshold:.2f})".replace(".", ","),
        decided_by=author,
        decided_at=now,
    )
    audit.record(
        actor=author,
        action="positioning.bulk_accept",
        instance=batch,
        after={
            "accepted": batch.accepted,
            "threshold": threshold,
            "filters": batch.filters,
            "edition": edition.label,
        },
        establishment=establishment,
    )
    return batch


@transaction.atomic
def decide_group(
    user,
    establishment: Establishment,
    title_key: str,
    *,
    job_code: str,
    filters: WorklistFilters | None = None,
    expected: int | None = None,
    seen: str | None = None,
    edition: Edition | None = None,
) -> AcceptanceBatch:
    """Place the people of one normalised title still at the proposal stage, as the
    worklist shows them under ``filters``, on ``job_code``, as one batch that can be undone
    until one of them is notified or decided again. ``expected`` and ``seen``: the count
    and the etag (``selectors.group_etags``) of the people the group's button named, as
    for a bulk acceptance.

    The title is then an appellation of the job for this establishment (feedback for the
    matching engine, reviewed nationally): a group decision is about the title, not about
    one person. Undoing the batch leaves it learnt."""
    check_writer(user, establishment)
    edition = edition or catalog.get_edition()
    job = job_in(edition, job_code)
    filters = replace(filters or WorklistFilters(), title_key=title_key)
    positionings = _locked_selection(
        group_to_decide(user, establishment, title_key, filters=filters, edition=edition)
    )
    author = user.get_username()
    kind = AcceptanceBatch.Kind.GROUP
    if earlier := _made_before(establishment, author, kind, positionings, expected, seen, job):
        return earlier
    if not positionings:
        raise Refused(problems={"group": "aucun positionnement à décider pour cet intitulé"})
    corrected = any(p.proposals and p.proposals[0]["code"] != job.code for p in positionings)
    now = timezone.now()
    batch = _new_batch(
        establishment, edition, author, kind, positionings, filters=filters, now=now, job=job
    )
    by_level = _by_level_kept(positionings, job)
    _record_items(
        batch,
        positionings,
        {p.pk: (job, level) for (level, _reason), part in by_level.items() for p in part},
    )
    title = positionings[0].employee.job_title
    for (level, reason), part in by_level.items():
        _bulk(
            user,
            part,
            "change" if corrected else "validate",
            f"décision de groupe n° {batch.pk} pour l'intitulé « {title} »",
            job=job,
            level=level,
            personal_level_reason=reason,
            decided_by=author,
            decided_at=now,
        )
    audit.record(
        actor=author,
        action="positioning.group_decision",
        instance=batch,
        after={
            "decided": batch.accepted,
            "job": job.code,
            "filters": batch.filters,
            "edition": edition.label,
        },
        establishment=establishment,
    )
    if corrected:
        from repertoire.catalog.services import learn_appellation

        # The establishment's own: another establishment's proposals do not change.
        learn_appellation(job, title, establishment, author=author, people=batch.accepted)
    return batch


def _by_level_kept(
    positionings: list[Positioning], job: ReferenceJob
) -> dict[tuple[int, str], list[Positioning]]:
    """The positionings by the level (and its reason) they will hold on ``job``.

    A personal level proposed with its reason (a level held in an earlier edition) is kept
    when it is above the job's: the group decides the job, not anyone's level."""
    by_level: dict[tuple[int, str], list[Positioning]] = {}
    for positioning in positionings:
        kept = positioning.personal_level_reason and (positioning.level or 0) > job.level.number
        key = (
            (positioning.level, positioning.personal_level_reason)
            if kept
            else (job.level.number, "")
        )
        by_level.setdefault(key, []).append(positioning)
    return by_level


def _locked_selection(selection) -> list[Positioning]:
    """The positionings a batch acts on, locked; refused beyond ``ACCEPTANCE_BATCH_MAX``."""
    count = selection.count()
    if count > ACCEPTANCE_BATCH_MAX:
        raise Refused(
            _(
                "%(count)s proposals match: one bulk acceptance validates at most %(max)s. "
                "Narrow the filters (service, job, level)."
            )
            % {"count": count, "max": ACCEPTANCE_BATCH_MAX}
        )
    return lock_rows(selection.select_related("job", "establishment", "employee"))


def _made_before(
    establishment: Establishment,
    author: str,
    kind: str,
    positionings: list[Positioning],
    expected: int | None,
    seen: str | None,
    job: ReferenceJob | None = None,
) -> AcceptanceBatch | None:
    """What the person confirmed, checked against the positionings locked now: None when
    it still holds; the batch this very confirmation already made (a double click, a
    retry after a timeout: its batch is the answer, not a refusal saying nothing was
    done); otherwise ``Conflict``, the count or the people having changed since."""
    current = selection_etag(positionings)
    miscounted = expected is not None and len(positionings) != expected
    changed = seen is not None and current != seen
    if not (miscounted or changed):
        return None
    if seen:
        earlier = (
            AcceptanceBatch.objects.filter(
                establishment=establishment,
                author=author,
                kind=kind,
                job=job,
                selection=seen,
                undone_at__isnull=True,
                created_at__gte=repeats_from(),
            )
            .order_by("-created_at", "-pk")
            .first()
        )
        if earlier is not None:
            return earlier
    if miscounted:
        raise Conflict(
            ngettext(
                "%(count)d proposal now matches these filters, not %(expected)d as "
                "confirmed: nothing was validated. Review the list again.",
                "%(count)d proposals now match these filters, not %(expected)d as "
                "confirmed: nothing was validated. Review the list again.",
                len(positionings),
            )
            % {"count": len(positionings), "expected": expected}
        )
    raise Conflict(
        ngettext(
            "The proposal these filters match changed since you reviewed it (another "
            "person, job or level; %(count)d now): nothing was validated. Review the "
            "list again.",
            "The proposals these filters match changed since you reviewed them (other "
            "people, jobs or levels; %(count)d now): nothing was validated. Review the "
            "list again.",
            len(positionings),
        )
        % {"count": len(positionings)}
    )


def _new_batch(
    establishment: Establishment,
    edition: Edition,
    author: str,
    kind: str,
    positionings: list[Positioning],
    *,
    filters: WorklistFilters,
    now,
    threshold: float | None = None,
    job: ReferenceJob | None = None,
) -> AcceptanceBatch:
    return AcceptanceBatch.objects.create(
        establishment=establishment,
        edition=edition,
        author=author,
        kind=kind,
        threshold=threshold,
        job=job,
        filters={key: value for key, value in asdict(filters).items() if value},
        accepted=len(positionings),
        # Also the ``decided_at`` of every positioning it decides: a later decision shows.
        created_at=now,
        selection=selection_etag(positionings),
    )


def _record_items(
    batch: AcceptanceBatch, positionings: list[Positioning], decided: dict[int, tuple]
) -> None:
    """Each positioning's state before the batch (what undoing puts back) and the decision
    the batch gives it (``decided``: id → job, level; undoing is refused once it
    changed). Read before the decision is written."""
    AcceptedPositioning.objects.bulk_create(
        [
            AcceptedPositioning(
                batch=batch,
                positioning=positioning,
                previous_status=positioning.status,
                previous_decided_by=positioning.decided_by,
                previous_decided_at=positioning.decided_at,
                previous_job_id=positioning.job_id,
                previous_level=positioning.level,
                previous_level_reason=positioning.personal_level_reason,
                job=decided[positioning.pk][0],
                level=decided[positioning.pk][1],
            )
            for positioning in positionings
        ],
        batch_size=BATCH,
    )


def bulk_accept(
    user,
    establishment: Establishment,
    *,
    threshold: float,
    title_key: str | None = None,
    edition: Edition | None = None,
) -> int:
    """Validate every proposal of the establishment scoring at least ``threshold``
    (optionally only the group of one normalised title) as one batch; returns how many."""
    filters = WorklistFilters(title_key=title_key or "")
    batch = accept_batch(user, establishment, threshold=threshold, filters=filters, edition=edition)
    return batch.accepted if batch is not None else 0


@transaction.atomic
def undo_batch(user, batch: AcceptanceBatch) -> int:
    """Put every positioning the batch validated back as it was before (proposed, with its
    earlier author and date); returns how many.

    Refused (``Conflict``) when the batch was undone already, once any of its
    positionings was notified or decided again since (undoing would then erase a later
    decision, or a letter already handed), or once another edition was put in force: its
    publication carried the decisions over, and undoing the earlier ones would leave those
    in force as they are."""
    check_writer(user, batch.establishment)
    locked(batch)
    if batch.undone_at is not None:
        raise Conflict(
            _("This batch was already undone by %(author)s on %(date)s.")
            % {
                "author": batch.undone_by,
                "date": timezone.localtime(batch.undone_at).strftime("%d/%m/%Y %H:%M"),
            }
        )
    in_force = catalog.get_edition()
    if in_force.pk != batch.edition_id:
        raise Conflict(
            _(
                "This batch was made on edition %(batch)s; edition %(current)s was put in "
                "force since and carried its decisions over: nothing was undone. Change the "
                "positionings one by one in the worklist."
            )
            % {"batch": batch.edition.label, "current": in_force.label}
        )
    items = {item.positioning_id: item for item in batch.items.all()}
    positionings = [
        positioning
        for part in filter_in(
            Positioning.objects.select_related("job", "employee", "establishment"),
            "pk",
            list(items),
        )
        for positioning in lock_rows(part)
    ]
    changed = [p for p in positionings if not _as_accepted(p, items[p.pk], batch)]
    if changed:
        notified = sum(1 for p in changed if p.status not in Positioning.OPEN_TO_REVIEW)
        people = ", ".join(p.employee.journal_label() for p in changed[:10])
        raise Conflict(
            ngettext(
                "%(count)d positioning of this batch was notified or decided again since "
                "(%(notified)d notified; %(people)s): nothing was undone.",
                "%(count)d positionings of this batch were notified or decided again since "
                "(%(notified)d notified; %(people)s): nothing was undone.",
                len(changed),
            )
            % {
                "count": len(changed),
                "notified": notified,
                "people": people + (", …" if len(changed) > 10 else ""),
            }
        )
    author = user.get_username()
    events, journal = [], []
    now = timezone.now()
    jobs = {job.code: job for job in batch.edition.jobs.select_related("level")}
    jobs_by_id = {job.pk: job for job in jobs.values()}
    for positioning in positionings:
        item = items[positioning.pk]
        before = facts(positioning)
        positioning.status = item.previous_status
        positioning.decided_by = item.previous_decided_by
        positioning.decided_at = item.previous_decided_at
        positioning.updated_at = now
        if batch.kind == AcceptanceBatch.Kind.GROUP:  # it placed people on another job
            positioning.job = jobs_by_id.get(item.previous_job_id)
            positioning.level = item.previous_level
            positioning.personal_level_reason = item.previous_level_reason
        # Proposed again on what the engine proposes now when the person's title changed
        # since the batch (an import), and with it the proposals; otherwise on the job
        # and level (a personal one kept by a migration) the batch found.
        if positioning.proposals and positioning.proposals[0]["code"] != positioning.job.code:
            on_first_proposal(positioning, jobs)
        events.append(
            event(
                positioning,
                PositioningEvent.Action.UNDO,
                author,
                f"{batch.journal_label().lower()} annulée",
            )
        )
        journal.append(
            audit.entry(
                actor=author,
                action="positioning.undo",
                instance=positioning,
                before=before,
                after=facts(positioning),
                establishment=positioning.establishment,
            )
        )
    Positioning.objects.bulk_update(
        positionings,
        [
            "status",
            "job",
            "level",
            "personal_level_reason",
            "decided_by",
            "decided_at",
            "updated_at",
        ],
        batch_size=BATCH,
    )
    PositioningEvent.objects.bulk_create(events, batch_size=BATCH)
    audit.record_many(journal)
    batch.undone_at = now
    batch.undone_by = author
    batch.save(update_fields=["undone_at", "undone_by"])
    audit.record(
        actor=author,
        action="positioning.bulk_accept_undo",
        instance=batch,
        after={"undone": len(positionings)},
        establishment=batch.establishment,
    )
    return len(positionings)


def _as_accepted(positioning: Positioning, item: AcceptedPositioning, batch) -> bool:
    """Whether the positioning still holds the decision the batch gave it."""
    return (
        positioning.status == Positioning.Status.VALIDATED
        and positioning.job_id == item.job_id
        and positioning.evaluation_id is None
        and positioning.level == item.level
        and positioning.decided_at == batch.created_at
    )
