"""The positionings whose decision letters an establishment hands out, and its batches of
letters, within the user's scope."""

from __future__ import annotations

from django.db.models import QuerySet

from repertoire.core import positioning as rules
from repertoire.positioning.models import Establishment, LetterBatch, Positioning
from repertoire.positioning.selectors.establishments import establishments_for
from repertoire.positioning.selectors.positionings import WorklistFilters, positionings_for

# What a batch of letters prints: decided and not yet contested (the letters to hand out).
LETTER_BATCH_STATUSES = (rules.VALIDATED, rules.NOTIFIED)


def letter_positionings(
    user, establishment: Establishment, *, status: str = "", service: str = ""
) -> list[Positioning]:
    """The positionings whose letters an establishment hands out, by name."""
    filters = WorklistFilters(
        service=service.strip(), status=status if status in LETTER_BATCH_STATUSES else ""
    )
    return list(
        positionings_for(user, establishment=establishment, filters=filters)
        .filter(status__in=LETTER_BATCH_STATUSES, employee__pseudonymised_at__isnull=True)
        .select_related("edition")
        .order_by("employee__last_name", "employee__first_name", "employee__matricule")
    )


def letter_batches_of(user, establishment: Establishment) -> QuerySet[LetterBatch]:
    """The establishment's batches of letters; none outside the user's scope."""
    return LetterBatch.objects.filter(
        establishment__in=establishments_for(user).filter(pk=establishment.pk)
    ).select_related("establishment")
