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

from dataclasses import asdict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from repertoire.audit import services as audit
from repertoire.catalog import selectors as catalog
from repertoire.catalog.models import Edition
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
    selection_etag,
)
from repertoire.positioning.services._common import (
    BATCH,
    check_writer,
    event,
    facts,
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
    candidates = acceptable_for(
        user, establishment, filters=filters, threshold=threshold, edition=edition
    )
    count = candidates.count()
    if count > ACCEPTANCE_BATCH_MAX:
        raise Refused(
            _(
                "%(count)s proposals match: one bulk acceptance validates at most %(max)s. "
                "Narrow the filters (service, job, level)."
            )
            % {"count": count, "max": ACCEPTANCE_BATCH_MAX}
        )
    positionings = lock_rows(candidates.select_related("job", "establishment"))
    author = user.get_username()
    current = selection_etag(positionings)
    miscounted = expected is not None and len(positionings) != expected
    changed = seen is not None and current != seen
    if (
        (miscounted or changed)
        and seen
        and (earlier := _accepted_before(establishment, author, seen))
    ):
        # This very confirmation was already accepted (a double click, a retry after a
        # timeout): its batch is the answer, not a refusal saying nothing was validated.
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
    if changed:
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
    if not positionings:
        return None
    now = timezone.now()
    batch = AcceptanceBatch.objects.create(
        establishment=establishment,
        edition=edition,
        author=author,
        filters={key: value for key, value in asdict(filters).items() if value},
        threshold=threshold,
        accepted=len(positionings),
        created_at=now,
        selection=current,
    )
    AcceptedPositioning.objects.bulk_create(
        [
            AcceptedPositioning(
                batch=batch,
                positioning=positioning,
                previous_status=positioning.status,
                previous_decided_by=positioning.decided_by,
                previous_decided_at=positioning.decided_at,
                job_id=positioning.job_id,
                level=positioning.level,
            )
            for positioning in positionings
        ],
        batch_size=BATCH,
    )
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


def _accepted_before(establishment: Establishment, author: str, seen: str):
    """The batch, not undone, that ``author`` made lately (``REPEAT_WINDOW``) from the
    preview whose etag is ``seen``."""
    return (
        AcceptanceBatch.objects.filter(
            establishment=establishment,
            author=author,
            selection=seen,
            undone_at__isnull=True,
            created_at__gte=repeats_from(),
        )
        .order_by("-created_at", "-pk")
        .first()
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
    for positioning in positionings:
        item = items[positioning.pk]
        before = facts(positioning)
        positioning.status = item.previous_status
        positioning.decided_by = item.previous_decided_by
        positioning.decided_at = item.previous_decided_at
        positioning.updated_at = now
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
                f"acceptation groupée n° {batch.pk} annulée",
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
        ["status", "job", "level", "decided_by", "decided_at", "updated_at"],
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
