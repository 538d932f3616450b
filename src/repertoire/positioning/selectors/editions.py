"""A new edition in force: whom it affects (by establishment, within the user's scope) and
which establishments still wait for their positionings to be migrated."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from django.db.models import QuerySet

from repertoire.catalog import selectors as catalog
from repertoire.catalog.models import Edition
from repertoire.core import positioning as rules
from repertoire.core.editions import (
    CarryOver,
    EditionDiff,
    EstablishmentImpact,
    Move,
    PositionedPerson,
    Successor,
    carry_over_outcome,
    impact,
    moves,
    unchanged_codes,
)
from repertoire.positioning.models import (
    EditionPublication,
    Establishment,
    Positioning,
    still_employed,
)
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


# --- publishing during a campaign: what the publication does to it ----------------------


@dataclass
class CampaignRow:
    """One establishment's positionings on the edition in force, by what publishing the
    new edition does to them (``core.editions.carry_over_outcome``)."""

    establishment: str
    name: str = ""
    positioned: int = 0
    undecided: int = 0  # proposed: get their proposals on the new edition at once
    decided: int = 0
    kept: int = 0  # decided on an unchanged job: carried over as they are
    review: int = 0  # decided on a changed job: back to review
    notified: int = 0  # notified (letter handed out), all of them
    notified_affected: int = 0  # ... whose job changed: back to review, flagged
    contested: int = 0  # open appeal, all of them
    contested_affected: int = 0  # ... whose job changed: flagged, the appeal kept

    @property
    def affected(self) -> int:
        return self.decided - self.kept

    def add(self, status: str, outcome: str) -> None:
        self.positioned += 1
        if outcome == CarryOver.PROPOSE:
            self.undecided += 1
            return
        self.decided += 1
        changed = outcome != CarryOver.KEEP
        if outcome == CarryOver.KEEP:
            self.kept += 1
        else:
            self.review += 1
        if status == Positioning.Status.NOTIFIED:
            self.notified += 1
            self.notified_affected += changed
        elif status == Positioning.Status.CONTESTED:
            self.contested += 1
            self.contested_affected += changed


@dataclass(frozen=True)
class PublicationImpact:
    """What publishing ``target`` does to the campaign on ``source`` (the edition in
    force; None when there is none to carry over)."""

    source: Edition | None
    target: Edition
    rows: list[CampaignRow] = field(default_factory=list)

    @property
    def total(self) -> CampaignRow:
        total = CampaignRow("total")
        for row in self.rows:
            for name in (f.name for f in fields(CampaignRow)):
                if name not in ("establishment", "name"):
                    setattr(total, name, getattr(total, name) + getattr(row, name))
        return total


def campaign_source(target: Edition) -> Edition | None:
    """The edition whose campaign publishing ``target`` carries over: the one in force,
    when it was published and is another one."""
    current = Edition.objects.filter(is_current=True).exclude(pk=target.pk).first()
    return current if current is not None and current.is_frozen else None


def publication_impact(user, target: Edition) -> PublicationImpact:
    """Per establishment in the user's scope, the positionings on the edition in force
    that publishing ``target`` carries over as they are, sends back to review (flagged
    when notified or contested), or proposes again on ``target``."""
    source = campaign_source(target)
    if source is None:
        return PublicationImpact(None, target)
    kept = unchanged_codes(catalog.edition_content(source), catalog.edition_content(target))
    rows: dict[str, CampaignRow] = {}
    for code, name, status, job_code in (
        Positioning.objects.filter(edition=source, establishment__in=establishments_for(user))
        .filter(still_employed("employee__"))
        .order_by("establishment__code")
        .values_list("establishment__code", "establishment__name", "status", "job__code")
        .iterator(chunk_size=5000)
    ):
        row = rows.setdefault(code, CampaignRow(code, name))
        row.add(status, carry_over_outcome(status, job_code in kept))
    return PublicationImpact(source, target, list(rows.values()))


def publication_in_flight(but: int | None = None) -> EditionPublication | None:
    """The publication waiting or running in the network, if any (one at a time), other
    than ``but``."""
    return (
        EditionPublication.objects.filter(status__in=EditionPublication.RUNNING_STATUSES)
        .exclude(pk=but)
        .select_related("edition")
        .first()
    )
