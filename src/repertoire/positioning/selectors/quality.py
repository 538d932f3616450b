"""The measured precision of the matching engine's proposals, from HR's decisions in the
journal: for each positioning, HR's first decision (validate, or change the job or level)
against the engine's first proposal. Per establishment, and over the network (counts only:
no person is named)."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Max
from django.db.models.fields.json import KT

from repertoire.audit.models import JournalEntry
from repertoire.catalog import selectors as catalog
from repertoire.catalog.models import Edition
from repertoire.core.batches import rows_in
from repertoire.core.proposal_quality import Decision, Quality, family_of, measure
from repertoire.positioning.models import AcceptedPositioning, Establishment, Positioning
from repertoire.positioning.selectors.positionings import bulk_accept_threshold

# The figures read every decision of the network: they are kept until the journal moves
# (every write is journaled), so a worklist read again costs one query.
KEPT_FOR = 3600
# HR's decisions on a proposal, as the journal names them.
DECISIONS = ("positioning.validate", "positioning.change")
POSITIONING = "positioning.positioning"


def proposal_quality(
    establishment: Establishment | None = None, edition: Edition | None = None
) -> Quality:
    """How often HR kept the first proposal, by job family, by score band and at or above
    the bulk-acceptance threshold, on the edition in force (``establishment`` None: the whole network). The caller checks the scope of
    an establishment; the network's figures are counts, open to every role."""
    edition = edition or catalog.get_edition()
    last = JournalEntry.objects.aggregate(last=Max("pk"))["last"]
    scope = establishment.pk if establishment is not None else "network"
    key = f"proposal-quality:{edition.pk}:{scope}:{last}:{bulk_accept_threshold()}"
    quality = cache.get(key)
    if quality is None:
        quality = _measure(establishment, edition)
        cache.set(key, quality, KEPT_FOR)
    return quality


def _measure(establishment: Establishment | None, edition: Edition) -> Quality:
    entries = JournalEntry.objects.filter(object_type=POSITIONING, action__in=DECISIONS)
    if establishment is not None:
        entries = entries.filter(establishment=establishment)
    decided: dict[int, str | None] = {}
    in_batch = _bulk_accepted()
    # Older entries name the job under its former key (``audit.former_names``).
    rows = entries.order_by("id").values_list(
        "object_id", "at", KT("after__job"), KT("after__emploi")
    )
    for object_id, at, job, former in rows:
        pk = int(object_id)
        if any(start <= at and (end is None or at <= end) for start, end in in_batch.get(pk, ())):
            continue  # a bulk acceptance took the engine's word: it measures nothing
        decided.setdefault(pk, job or former)  # HR's first decision only
    positionings = Positioning.objects.filter(edition=edition).annotate(
        first_code=KT("proposals__0__code"), first_title=KT("proposals__0__title")
    )
    proposed = rows_in(
        positionings.values_list("pk", "first_code", "first_title", "confidence"),
        "pk",
        decided,
    )
    return measure(
        (
            Decision(family=family_of(title), score=confidence, kept=decided[pk] == code)
            for pk, code, title, confidence in proposed
            if code
        ),
        threshold=bulk_accept_threshold(),
    )


def _bulk_accepted() -> dict[int, list[tuple]]:
    """For each positioning a bulk acceptance validated, the batches' spans: from the
    acceptance to its undoing (open while the batch stands)."""
    spans: dict[int, list[tuple]] = {}
    items = AcceptedPositioning.objects.values_list(
        "positioning_id", "batch__created_at", "batch__undone_at"
    )
    for pk, created_at, undone_at in items.iterator():
        spans.setdefault(pk, []).append((created_at, undone_at))
    return spans
