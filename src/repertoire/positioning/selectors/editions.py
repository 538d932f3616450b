"""A new edition in force: whom it affects (by establishment, within the user's scope) and
which establishments still wait for their positionings to be migrated."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from repertoire.catalog import selectors as catalog
from repertoire.catalog.models import Edition
from repertoire.core import positioning as rules
from repertoire.core.editions import (
    EditionDiff,
    EstablishmentImpact,
    Move,
    PositionedPerson,
    Successor,
    impact,
    moves,
)
from repertoire.positioning.models import Establishment, Positioning, still_employed
from repertoire.positioning.selectors.establishments import establishments_for


@dataclass(frozen=True)
class EditionImpact:
    """What publishing ``after`` does to the people positioned on ``before``."""

    before: Edition
    after: Edition
    diff: EditionDiff
    successors: dict[str, Successor]
    by_establishment: dict[str, EstablishmentImpact]
    moves: list[Move]

    @property
    def total(self) -> EstablishmentImpact:
        return EstablishmentImpact.total_of(self.by_establishment.values())


def decided_on(
    user, edition: Edition, establishment: Establishment | None = None
) -> QuerySet[Positioning]:
    """The decided positionings of an edition in the user's scope (people erased or gone
    left out)."""
    positionings = Positioning.objects.filter(
        edition=edition,
        status__in=rules.DECIDED,
        establishment__in=establishments_for(user),
    ).filter(still_employed("employee__"))
    if establishment is not None:
        positionings = positionings.filter(establishment=establishment)
    return positionings


def edition_impact(
    user,
    before: Edition,
    after: Edition,
    establishment: Establishment | None = None,
) -> EditionImpact:
    """Per establishment in the user's scope, whose job or level the new edition changes."""
    diff, mapping = catalog.successors_between(before, after)
    people = [
        PositionedPerson(code, employee_id, job_code, level, job_level or evaluation_level)
        for code, employee_id, job_code, level, job_level, evaluation_level in decided_on(
            user, before, establishment
        )
        .order_by("establishment__code", "employee_id")
        .values_list(
            "establishment__code",
            "employee_id",
            "job__code",
            "level",
            "job__level__number",
            "evaluation__level",
        )
    ]
    found = moves(people, mapping)
    return EditionImpact(before, after, diff, mapping, impact(found), found)


@dataclass(frozen=True)
class PendingMigration:
    """Decided people of an earlier edition not yet proposed in the edition in force."""

    source: Edition
    waiting: int


def pending_migration(user, establishment: Establishment) -> PendingMigration | None:
    """Who still works here, was decided on an earlier edition and has no positioning in
    the edition in force; migrated from the latest edition they were decided on."""
    current = catalog.get_edition()
    waiting = (
        Positioning.objects.filter(
            establishment=establishment,
            establishment__in=establishments_for(user),
            status__in=rules.DECIDED,
            edition__published_at__isnull=False,
        )
        .exclude(edition=current)
        .filter(still_employed("employee__"))
        .exclude(employee__positionings__edition=current)
    )
    latest = waiting.order_by("-edition__published_at").values_list("edition", flat=True).first()
    if latest is None:
        return None
    return PendingMigration(
        Edition.objects.get(pk=latest),
        waiting.values("employee").distinct().count(),
    )
