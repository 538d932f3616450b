"""The positionings a user may see: the worklist's rows and title groups, one person's
positioning on the edition in force and on earlier ones, an establishment's progress.

Every function takes the acting user and reads only the establishments in their scope
(``establishments_for``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.conf import settings
from django.db.models import Count, Min, Q, QuerySet

from repertoire.catalog import selectors as catalog
from repertoire.catalog.models import Edition, ReferenceJob
from repertoire.core import positioning as rules
from repertoire.locking import etag_of
from repertoire.positioning.models import Employee, Establishment, Positioning
from repertoire.positioning.selectors.establishments import (
    establishments_for,
    may_filter_on,
    search_people,
)


def bulk_accept_threshold() -> float:
    """The confidence from which the worklist offers to validate proposals together."""
    return settings.REPERTOIRE_BULK_ACCEPT_THRESHOLD


@dataclass(frozen=True)
class WorklistFilters:
    service: str = ""
    status: str = ""
    job: str = ""  # reference job code, proposed or decided
    level: int | None = None
    title_key: str = ""
    search: str = ""  # name, matricule or local title (what the user may see of them)


def positionings_for(
    user,
    *,
    establishment: Establishment | None = None,
    filters: WorklistFilters = WorklistFilters(),
    edition: Edition | None = None,
) -> QuerySet[Positioning]:
    """The positionings of the current edition the user may see, least certain first."""
    edition = edition or catalog.get_edition()
    positionings = Positioning.objects.filter(
        edition=edition, establishment__in=establishments_for(user)
    ).select_related("employee", "job", "job__level", "evaluation", "establishment", "edition")
    if establishment is not None:
        positionings = positionings.filter(establishment=establishment)
    # A filter on a field the user may not see narrows nothing (it would reveal it).
    if filters.service and may_filter_on(user, "service"):
        positionings = positionings.filter(employee__service=filters.service)
    if filters.status:
        positionings = positionings.filter(status=filters.status)
    if filters.job:
        positionings = positionings.filter(job__code=filters.job)
    if filters.level:
        positionings = positionings.filter(level=filters.level)
    if filters.title_key:
        positionings = positionings.filter(title_key=filters.title_key)
    if filters.search:
        positionings = positionings.filter(
            search_people(user, filters.search, through="employee__")
        )
    return positionings.order_by("confidence", "employee__last_name", "pk")


def all_positionings_for(user) -> QuerySet[Positioning]:
    """The positionings the user may see, on every edition (one is looked up by its id)."""
    return Positioning.objects.select_related(
        "employee", "job", "job__level", "evaluation", "establishment", "edition"
    ).filter(establishment__in=establishments_for(user))


def positioning_for(user, pk: int) -> Positioning:
    """One positioning the user may see; ``Positioning.DoesNotExist`` otherwise."""
    return all_positionings_for(user).get(pk=pk)


def positioning_of(user, employee: Employee) -> Positioning | None:
    """The employee's positioning in the current edition (None before any proposal, and
    for an employee outside the user's scope, or while no edition is loaded)."""
    if not Edition.objects.exists():
        return None
    return (
        Positioning.objects.filter(
            employee=employee,
            edition=catalog.get_edition(),
            establishment__in=establishments_for(user),
        )
        .select_related("job", "job__level", "evaluation", "establishment", "edition")
        .first()
    )


def events_of(positioning: Positioning):
    return positioning.events.order_by("at", "pk")


def earlier_positionings(user, employee: Employee) -> QuerySet[Positioning]:
    """The employee's positionings on other editions than the one in force, newest first:
    each keeps the edition it was made on."""
    if not Edition.objects.exists():
        return Positioning.objects.none()
    return (
        Positioning.objects.filter(employee=employee, establishment__in=establishments_for(user))
        .exclude(edition=catalog.get_edition())
        .select_related("edition", "job", "evaluation")
        .order_by("-edition__date")
    )


@dataclass(frozen=True)
class TitleGroup:
    """Employees of one establishment sharing a normalised local title: one decision."""

    title_key: str
    example_title: str
    headcount: int
    to_review: int  # still proposed
    confidence: float  # lowest among those still proposed
    job_code: str
    job_title: str
    level: int | None
    jobs: int = 1  # distinct jobs proposed or decided within the group

    @property
    def priority(self) -> float:
        """Uncertainty × headcount: the groups worth a person's attention first."""
        return (1 - self.confidence) * self.to_review


def title_groups(
    user,
    establishment: Establishment,
    *,
    filters: WorklistFilters = WorklistFilters(),
    pending_only: bool = True,
) -> list[TitleGroup]:
    """The establishment's positionings grouped by normalised title, the most uncertain
    and most populated first; each group shows the job proposed to most of its people
    (the service or description columns may split a title's proposals: ``jobs`` > 1)."""
    positionings = positionings_for(user, establishment=establishment, filters=filters).order_by()
    rows = positionings.values("title_key").annotate(
        headcount=Count("pk"),
        to_review=Count("pk", filter=Q(status=Positioning.Status.PROPOSED)),
        confidence=Min("confidence", filter=Q(status=Positioning.Status.PROPOSED)),
        example_title=Min("employee__job_title"),
    )
    if pending_only:
        rows = rows.filter(to_review__gt=0)
    # The job proposed (or decided) for most people of each title.
    jobs: dict[str, tuple[int, dict]] = {}
    proposed_jobs: dict[str, set[str]] = {}
    for job in positionings.values(
        "title_key", "job__code", "job__title", "evaluation", "evaluation__title", "level"
    ).annotate(n=Count("pk")):
        # People placed on an evaluated local job count as a job of their own.
        proposed_jobs.setdefault(job["title_key"], set()).add(
            job["job__code"] or (f"pesee-{job['evaluation']}" if job["evaluation"] else None)
        )
        if job["evaluation"] and not job["job__code"]:
            job["job__title"] = f"{job['evaluation__title']} (emploi local pesé)"
        if job["n"] > jobs.get(job["title_key"], (0, {}))[0]:
            jobs[job["title_key"]] = (job["n"], job)
    groups = []
    for row in rows:
        job = jobs.get(row["title_key"], (0, {}))[1]
        groups.append(
            TitleGroup(
                title_key=row["title_key"],
                example_title=row["example_title"],
                headcount=row["headcount"],
                to_review=row["to_review"],
                confidence=row["confidence"] if row["confidence"] is not None else 1.0,
                job_code=job.get("job__code") or "",
                job_title=job.get("job__title") or "",
                level=job.get("level"),
                jobs=len(proposed_jobs.get(row["title_key"], ())),
            )
        )
    return sorted(groups, key=lambda group: (-group.priority, -group.headcount, group.title_key))


def group_to_decide(
    user,
    establishment: Establishment,
    title_key: str,
    *,
    filters: WorklistFilters = WorklistFilters(),
    edition: Edition | None = None,
) -> QuerySet[Positioning]:
    """The people a group decision places: those of one local title the worklist shows
    under its filters (``positionings_for``, its own query), still at the proposal stage;
    the count on the group's button."""
    # The title compared as it is, an empty one too ("..." normalises to nothing): never
    # read as "no title filter", which would decide the whole establishment.
    return positionings_for(
        user,
        establishment=establishment,
        filters=replace(filters, title_key=""),
        edition=edition,
    ).filter(title_key=title_key, status=Positioning.Status.PROPOSED)


def group_etags(
    user, establishment: Establishment, title_keys: Iterable[str], *, filters: WorklistFilters
) -> dict[str, str]:
    """The etag (``selection_etag``) of the people each group's button would place, in one
    read for a page of groups: the confirmation sends it back."""
    keys = list(title_keys)
    if not keys:
        return {}
    shown: dict[str, list[Positioning]] = {key: [] for key in keys}
    people = (
        positionings_for(user, establishment=establishment, filters=replace(filters, title_key=""))
        .filter(status=Positioning.Status.PROPOSED, title_key__in=keys)
        .order_by()
        .select_related(None)
        .only("pk", "title_key", "status", "job", "evaluation", "level", "personal_level_reason")
    )
    for positioning in people:
        shown[positioning.title_key].append(positioning)
    return {key: selection_etag(group) for key, group in shown.items()}


# --- bulk acceptance ---------------------------------------------------------------------


def acceptable_for(
    user,
    establishment: Establishment,
    *,
    filters: WorklistFilters = WorklistFilters(),
    threshold: float,
    edition: Edition | None = None,
) -> QuerySet[Positioning]:
    """The proposals bulk acceptance validates: exactly the worklist's rows under these
    filters (read by ``positionings_for``, the worklist's own query), still proposed, on a
    reference job, with a confidence of at least ``threshold``."""
    return positionings_for(
        user, establishment=establishment, filters=filters, edition=edition
    ).filter(status=Positioning.Status.PROPOSED, job__isnull=False, confidence__gte=threshold)


@dataclass(frozen=True)
class JobCount:
    code: str
    title: str
    level: int
    count: int


@dataclass(frozen=True)
class AcceptancePreview:
    """What a bulk acceptance would validate: how many people, on which jobs, and the etag
    of exactly those proposals (``selection_etag``), which the confirmation sends back."""

    threshold: float
    count: int
    jobs: list[JobCount]
    etag: str = ""


def selection_etag(positionings) -> str:
    """The etag of a set of positionings as they stand: another person, another job or
    level, or a decision meanwhile gives another one."""
    return selection_etag_of((p.pk, p.etag) for p in positionings)


def selection_etag_of(seen) -> str:
    """The etag of a set of positionings from each one's id and etag as a page showed them
    (a page about one person carries that person's etag)."""
    return etag_of("selection", *sorted(seen))


def jobs_counted(jobs: Iterable[ReferenceJob]) -> list[JobCount]:
    """How many times each job comes, the most frequent first."""
    return sorted(
        (JobCount(job.code, job.title, job.level.number, n) for job, n in Counter(jobs).items()),
        key=lambda job: (-job.count, job.title),
    )


def acceptance_preview(
    user,
    establishment: Establishment,
    *,
    filters: WorklistFilters = WorklistFilters(),
    threshold: float,
    edition: Edition | None = None,
) -> AcceptancePreview:
    # One read: the people shown (their etag) and, from them, the count by job.
    shown = list(
        acceptable_for(user, establishment, filters=filters, threshold=threshold, edition=edition)
        .order_by()
        .select_related(None)
        .select_related("job__level")
        .only(
            "pk",
            "status",
            "job_id",
            "evaluation_id",
            "level",
            "personal_level_reason",
            "job__code",
            "job__title",
            "job__level__number",
        )
    )
    jobs = jobs_counted(positioning.job for positioning in shown)
    return AcceptancePreview(
        threshold=threshold,
        count=sum(job.count for job in jobs),
        jobs=jobs,
        etag=selection_etag(shown),
    )


@dataclass(frozen=True)
class Progress:
    """Where an establishment's positioning stands: its worklist header, in one query."""

    by_status: dict[str, int]
    above_threshold: int  # proposals that bulk acceptance would validate

    @property
    def employees(self) -> int:
        return sum(self.by_status.values())

    @property
    def decided(self) -> int:
        return sum(self.by_status[status] for status in rules.DECIDED)


def progress_of(user, establishment: Establishment, *, threshold: float) -> Progress:
    counts = positionings_for(user, establishment=establishment).aggregate(
        above_threshold=Count(
            "pk", filter=Q(status=Positioning.Status.PROPOSED, confidence__gte=threshold)
        ),
        **{status: Count("pk", filter=Q(status=status)) for status in Positioning.Status.values},
    )
    above = counts.pop("above_threshold")
    return Progress(by_status=counts, above_threshold=above)
