"""Bulk acceptances a user may see (scoped by establishment), and whether each can still
be undone: none of its positionings was notified or decided again since, and its edition
is still in force (a publication carries its decisions over)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet

from repertoire.accounts.selectors import sees_personal_details
from repertoire.core import positioning as rules
from repertoire.positioning.models import AcceptanceBatch, AcceptedPositioning, Establishment
from repertoire.positioning.selectors.establishments import establishments_for, may_filter_on
from repertoire.positioning.selectors.positionings import JobCount, jobs_counted

# Batches listed on one page.
BATCHES_SHOWN = 100


def still_as_accepted() -> Q:
    """An item whose positioning still holds the decision its batch gave it."""
    return Q(
        positioning__status=rules.VALIDATED,
        positioning__job=F("job"),
        positioning__level=F("level"),
        positioning__evaluation__isnull=True,
        positioning__decided_at=F("batch__created_at"),
    )


def acceptance_batches_for(user) -> QuerySet[AcceptanceBatch]:
    return AcceptanceBatch.objects.filter(
        establishment__in=establishments_for(user)
    ).select_related("establishment", "edition", "job")


def acceptance_batch_for(user, pk: int) -> AcceptanceBatch:
    """One batch the user may see; ``AcceptanceBatch.DoesNotExist`` otherwise."""
    return acceptance_batches_for(user).get(pk=pk)


def batch_jobs(batch: AcceptanceBatch) -> list[JobCount]:
    """The jobs a batch validated people on, with how many on each."""
    return jobs_counted(item.job for item in batch.items.select_related("job__level"))


@dataclass(frozen=True)
class BatchRow:
    batch: AcceptanceBatch
    changed: int  # positionings decided again or notified since
    notified: int  # of which notified (or further)
    filters: dict  # those of the batch's filters the user may read (``filters_read_by``)

    @property
    def undoable(self) -> bool:
        return (
            self.batch.undone_at is None
            and self.changed == 0
            and self.batch.accepted > 0
            and self.batch.edition.is_current
        )


def acceptance_batches_of(user, establishment: Establishment) -> list[BatchRow]:
    """The establishment's batches, newest first, each with what changed since."""
    batches = list(acceptance_batches_for(user).filter(establishment=establishment)[:BATCHES_SHOWN])
    items = AcceptedPositioning.objects.filter(batch__in=batches)
    changed = dict(
        items.exclude(still_as_accepted())
        .values("batch")
        .annotate(n=Count("pk"))
        .values_list("batch", "n")
    )
    notified = dict(
        items.exclude(positioning__status__in=rules.OPEN_TO_REVIEW)
        .values("batch")
        .annotate(n=Count("pk"))
        .values_list("batch", "n")
    )
    return [
        BatchRow(
            batch,
            changed.get(batch.pk, 0),
            notified.get(batch.pk, 0),
            filters_read_by(user, batch.filters),
        )
        for batch in batches
    ]


def filters_read_by(user, filters: dict) -> dict:
    """The filters a batch was made with, as ``user`` may read them: a reader (a staff
    representative) does not read the service, nor the search HR typed (often a
    matricule, over fields a reader does not see)."""
    if sees_personal_details(user):
        return dict(filters)
    return {
        name: value
        for name, value in filters.items()
        if name != "search" and may_filter_on(user, name)
    }
