"""The report handed to the social partners: headcounts by status, level, job and
establishment, and appeals, counted within the user's scope on one edition."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from repertoire.accounts.selectors import sees_every_establishment
from repertoire.catalog import selectors as catalog
from repertoire.catalog.models import Edition
from repertoire.core import positioning as rules
from repertoire.core.grid import MAX_LEVEL, MIN_LEVEL
from repertoire.positioning.models import Appeal, Employee, Establishment, Positioning
from repertoire.positioning.selectors.establishments import establishments_for


@dataclass(frozen=True)
class Report:
    """What the social partners are handed: headcounts and progress of the positioning."""

    scope: str  # the establishment's name, or the network
    employees: int
    by_status: dict[str, int]
    by_level: dict[int, int]  # decided positionings only
    # code, title, level, headcount (decided); an evaluated local job is a row of its own
    # (code "pesee-<id>", ``evaluation`` its id; None for a reference job).
    by_job: list[dict]
    by_establishment: list[dict]  # code, name, employees, decided, notified, appeals
    appeals_by_status: dict[str, int]
    appeals_by_kind: dict[str, int]

    @property
    def decided(self) -> int:
        return sum(self.by_level.values())

    @property
    def progress(self) -> float:
        return self.decided / self.employees if self.employees else 0.0


def report_for(
    user, establishment: Establishment | None = None, edition: Edition | None = None
) -> Report:
    """Headcounts by level, job and establishment, progress and appeals, in the user's scope,
    on the edition in force or on an earlier one (positionings keep their edition)."""
    edition = edition or catalog.get_edition()
    scope = establishments_for(user)
    if establishment is not None:
        scope = scope.filter(pk=establishment.pk)
    positionings = Positioning.objects.filter(edition=edition, establishment__in=scope)
    decided = positionings.filter(status__in=rules.DECIDED)
    by_status = dict.fromkeys(Positioning.Status.values, 0)
    for row in positionings.order_by().values("status").annotate(n=Count("pk")):
        by_status[row["status"]] = row["n"]
    by_level = dict.fromkeys(range(MIN_LEVEL, MAX_LEVEL + 1), 0)
    for row in decided.order_by().values("level").annotate(n=Count("pk")):
        by_level[row["level"]] = row["n"]
    by_job = [
        {
            "code": row["job__code"],
            "title": row["job__title"],
            "level": row["job__level__number"],
            "headcount": row["n"],
            "evaluation": None,
        }
        for row in decided.filter(job__isnull=False)
        .order_by()
        .values("job__code", "job__title", "job__level__number", "job__position")
        .annotate(n=Count("pk"))
        .order_by("job__position")
    ] + [
        {
            "code": f"pesee-{row['evaluation']}",
            "title": f"{row['evaluation__title']} (emploi local pesé)",
            "level": row["evaluation__level"],
            "headcount": row["n"],
            "evaluation": row["evaluation"],
        }
        for row in decided.filter(job__isnull=True, evaluation__isnull=False)
        .order_by()
        .values("evaluation", "evaluation__title", "evaluation__level")
        .annotate(n=Count("pk"))
        .order_by("evaluation__title", "evaluation")
    ]
    appeals = Appeal.objects.filter(establishment__in=scope, positioning__edition=edition)
    appeals_by_status = dict.fromkeys(Appeal.Status.values, 0)
    for row in appeals.order_by().values("status").annotate(n=Count("pk")):
        appeals_by_status[row["status"]] = row["n"]
    appeals_by_kind = dict.fromkeys(Appeal.Kind.values, 0)
    for row in appeals.order_by().values("kind").annotate(n=Count("pk")):
        appeals_by_kind[row["kind"]] = row["n"]
    by_establishment = _counts_by_establishment(scope, positionings, decided, appeals)
    return Report(
        scope=establishment.name
        if establishment is not None
        else ("réseau" if sees_every_establishment(user) else ", ".join(p.name for p in scope)),
        employees=positionings.count(),
        by_status=by_status,
        by_level=by_level,
        by_job=by_job,
        by_establishment=by_establishment,
        appeals_by_status=appeals_by_status,
        appeals_by_kind=appeals_by_kind,
    )


def _counts_by_establishment(scope, positionings, decided, appeals) -> list[dict]:
    # One grouped query per count: joining them all at once multiplies the rows.
    def per_establishment(queryset) -> dict[int, int]:
        return dict(
            queryset.order_by()
            .values("establishment")
            .annotate(n=Count("pk"))
            .values_list("establishment", "n")
        )

    employees = per_establishment(
        Employee.objects.filter(establishment__in=scope, pseudonymised_at__isnull=True)
    )
    decided_counts = per_establishment(decided)
    notified = per_establishment(positionings.filter(notified_on__isnull=False))
    appeal_counts = per_establishment(appeals)
    return [
        {
            "code": place.code,
            "name": place.name,
            "employees": employees.get(place.pk, 0),
            "decided": decided_counts.get(place.pk, 0),
            "notified": notified.get(place.pk, 0),
            "appeals": appeal_counts.get(place.pk, 0),
        }
        for place in scope.order_by("code")
    ]
