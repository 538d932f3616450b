"""Reads of personal data. Each takes the acting user and scopes by establishment here.

Views, API, exports and commands read employees only through these functions; an
employee outside the user's scope does not exist for them (404, never 403, so that
ids reveal nothing).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Min, Prefetch, Q, QuerySet

from repertoire.accounts.models import Role
from repertoire.accounts.selectors import establishment_id_of, role_of, sees_every_establishment
from repertoire.catalog import selectors as catalog
from repertoire.catalog.models import RepertoireVersion
from repertoire.core.editions import (
    EditionDiff,
    EstablishmentImpact,
    Move,
    PositionedPerson,
    Successor,
    impact,
    moves,
)
from repertoire.core.grid import MAX_LEVEL, MIN_LEVEL
from repertoire.positioning.models import (
    Appeal,
    Employee,
    EmployeeImport,
    Establishment,
    LetterBatch,
    Positioning,
    PositioningEvent,
    still_employed,
)


def establishments_for(user) -> QuerySet[Establishment]:
    role = role_of(user)
    if role == Role.NATIONAL:
        return Establishment.objects.all()
    if role in (Role.HR, Role.READER):
        return Establishment.objects.filter(pk=establishment_id_of(user))
    return Establishment.objects.none()


def employees_for(
    user, *, search: str = "", establishment: str | None = None
) -> QuerySet[Employee]:
    """The employees the user may see, optionally by name/matricule/title and establishment."""
    employees = Employee.objects.select_related("establishment").filter(
        establishment__in=establishments_for(user)
    )
    if establishment:
        employees = employees.filter(establishment__code=establishment)
    if search:
        employees = employees.filter(
            Q(last_name__icontains=search)
            | Q(first_name__icontains=search)
            | Q(matricule__icontains=search)
            | Q(job_title__icontains=search)
        )
    return employees


def employee_for(user, pk: int) -> Employee:
    """One employee the user may see; ``Employee.DoesNotExist`` otherwise."""
    return employees_for(user).get(pk=pk)


def personal_data_of(user, employee: Employee) -> dict:
    """Everything held on one person, for their right of access (JSON and PDF): who they
    are, their positionings on every edition with their steps and appeals, and what the
    journal recorded about them, their positionings and their appeals."""
    from repertoire.audit.selectors import person_history

    positionings = (
        Positioning.objects.filter(employee=employee)
        .select_related("version", "job__level", "evaluation")
        .prefetch_related(
            Prefetch("events", PositioningEvent.objects.order_by("at", "pk")), "appeals"
        )
        .order_by("version__date", "pk")
    )
    return {
        "collaborateur": {
            "id": employee.pk,
            "etablissement": {
                "code": employee.establishment.code,
                "nom": employee.establishment.name,
            },
            **{
                name: getattr(employee, name)
                for name in (*Employee.EDITABLE_FIELDS, "pseudonymised_at", "created_at")
            },
        },
        "positionnements": [_positioning_held(positioning) for positioning in positionings],
        "historique": [
            {
                "date": entry.at,
                "auteur": entry.actor,
                "action": entry.action,
                "objet": entry.object_repr,
                "avant": entry.before,
                "apres": entry.after,
            }
            for entry in person_history(user, employee)
        ],
    }


def _positioning_held(positioning: Positioning) -> dict:
    return {
        "edition": positioning.version.label,
        "statut": positioning.get_status_display(),
        "emploi": positioning.placed_on,
        "code_emploi": positioning.job.code if positioning.job_id else None,
        "niveau": positioning.level,
        "motif_niveau_personnel": positioning.personal_level_reason,
        "commentaire": positioning.comment,
        "decide_par": positioning.decided_by,
        "decide_le": positioning.decided_at,
        "notifie_le": positioning.notified_on,
        "etapes": [
            {
                "date": event.at,
                "auteur": event.author,
                "action": event.get_action_display(),
                "emploi": event.job_title,
                "niveau": event.level,
                "note": event.note,
            }
            for event in positioning.events.all()
        ],
        "recours": [
            {
                "objet": appeal.get_kind_display(),
                "argumentaire": appeal.argument,
                "recu_le": appeal.received_on,
                "statut": appeal.get_status_display(),
                "motivation": appeal.reasoning,
                "decide_le": appeal.decided_on,
            }
            for appeal in positioning.appeals.all()
        ],
    }


# --- positionings ---------------------------------------------------------------------


def establishment_for(user, code: str) -> Establishment:
    """One establishment the user may see; ``Establishment.DoesNotExist`` otherwise."""
    return establishments_for(user).get(code=code)


@dataclass(frozen=True)
class WorklistFilters:
    service: str = ""
    status: str = ""
    job: str = ""  # reference job code, proposed or decided
    level: int | None = None
    title_key: str = ""
    search: str = ""  # name, matricule or local title


def positionings_for(
    user,
    *,
    establishment: Establishment | None = None,
    filters: WorklistFilters = WorklistFilters(),
    version: RepertoireVersion | None = None,
) -> QuerySet[Positioning]:
    """The positionings of the current edition the user may see, least certain first."""
    version = version or catalog.get_version()
    positionings = Positioning.objects.filter(
        version=version, establishment__in=establishments_for(user)
    ).select_related("employee", "job", "job__level", "evaluation", "establishment", "version")
    if establishment is not None:
        positionings = positionings.filter(establishment=establishment)
    if filters.service:
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
            Q(employee__last_name__icontains=filters.search)
            | Q(employee__first_name__icontains=filters.search)
            | Q(employee__matricule__icontains=filters.search)
            | Q(employee__job_title__icontains=filters.search)
        )
    return positionings.order_by("confidence", "employee__last_name", "pk")


def positioning_for(user, pk: int) -> Positioning:
    """One positioning the user may see; ``Positioning.DoesNotExist`` otherwise."""
    return Positioning.objects.select_related(
        "employee", "job", "job__level", "evaluation", "establishment", "version"
    ).get(pk=pk, establishment__in=establishments_for(user))


def positioning_of(user, employee: Employee) -> Positioning | None:
    """The employee's positioning in the current edition (None before any proposal, and
    for an employee outside the user's scope, or while no edition is loaded)."""
    if not RepertoireVersion.objects.exists():
        return None
    return (
        Positioning.objects.filter(
            employee=employee,
            version=catalog.get_version(),
            establishment__in=establishments_for(user),
        )
        .select_related("job", "job__level", "evaluation", "establishment", "version")
        .first()
    )


def events_of(positioning: Positioning):
    return positioning.events.order_by("at", "pk")


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
        # People placed on a weighed local job count as a job of their own.
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
        return sum(self.by_status[status] for status in Positioning.DECIDED)


def progress_of(user, establishment: Establishment, *, threshold: float) -> Progress:
    counts = positionings_for(user, establishment=establishment).aggregate(
        above_threshold=Count(
            "pk", filter=Q(status=Positioning.Status.PROPOSED, confidence__gte=threshold)
        ),
        **{status: Count("pk", filter=Q(status=status)) for status in Positioning.Status.values},
    )
    above = counts.pop("above_threshold")
    return Progress(by_status=counts, above_threshold=above)


def services_of(user, establishment: Establishment) -> list[str]:
    return list(
        employees_for(user)
        .filter(establishment=establishment)
        .exclude(service="")
        .order_by("service")
        .values_list("service", flat=True)
        .distinct()
    )


def import_for(user, establishment: Establishment, pk: int) -> EmployeeImport:
    return EmployeeImport.objects.get(
        pk=pk, establishment=establishment_for(user, establishment.code)
    )


def imports_of(user, establishment: Establishment) -> QuerySet[EmployeeImport]:
    return EmployeeImport.objects.filter(
        establishment__in=establishments_for(user).filter(pk=establishment.pk)
    ).defer("content")


# --- appeals --------------------------------------------------------------------------


def appeals_for(
    user, *, establishment: Establishment | None = None, status: str = ""
) -> QuerySet[Appeal]:
    appeals = Appeal.objects.filter(establishment__in=establishments_for(user)).select_related(
        "positioning__employee", "positioning__job", "positioning__evaluation", "establishment"
    )
    if establishment is not None:
        appeals = appeals.filter(establishment=establishment)
    if status:
        appeals = appeals.filter(status=status)
    return appeals


def appeal_for(user, pk: int) -> Appeal:
    return appeals_for(user).get(pk=pk)


# --- reports --------------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    """What the social partners are handed: headcounts and progress of the positioning."""

    scope: str  # the establishment's name, or the network
    employees: int
    by_status: dict[str, int]
    by_level: dict[int, int]  # decided positionings only
    # code, title, level, headcount (decided); a weighed local job is a row of its own
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
    user, establishment: Establishment | None = None, version: RepertoireVersion | None = None
) -> Report:
    """Headcounts by level, job and establishment, progress and appeals, in the user's scope,
    on the edition in force or on an earlier one (positionings keep their edition)."""
    version = version or catalog.get_version()
    scope = establishments_for(user)
    if establishment is not None:
        scope = scope.filter(pk=establishment.pk)
    positionings = Positioning.objects.filter(version=version, establishment__in=scope)
    decided = positionings.filter(status__in=Positioning.DECIDED)
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
    appeals = Appeal.objects.filter(establishment__in=scope, positioning__version=version)
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


# --- letters --------------------------------------------------------------------------

# What a batch of letters prints: decided and not yet contested (the letters to hand out).
LETTER_BATCH_STATUSES = (Positioning.Status.VALIDATED, Positioning.Status.NOTIFIED)


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
        .select_related("version")
        .order_by("employee__last_name", "employee__first_name", "employee__matricule")
    )


def letter_batch_for(user, establishment: Establishment, pk: int) -> LetterBatch:
    return LetterBatch.objects.get(
        pk=pk, establishment=establishments_for(user).get(pk=establishment.pk)
    )


# --- a new edition: whom it affects -----------------------------------------------------------


@dataclass(frozen=True)
class EditionImpact:
    """What publishing ``after`` does to the people positioned on ``before``."""

    before: RepertoireVersion
    after: RepertoireVersion
    diff: EditionDiff
    successors: dict[str, Successor]
    by_establishment: dict[str, EstablishmentImpact]
    moves: list[Move]

    @property
    def total(self) -> EstablishmentImpact:
        return EstablishmentImpact.total_of(self.by_establishment.values())


def decided_on(
    user, version: RepertoireVersion, establishment: Establishment | None = None
) -> QuerySet[Positioning]:
    """The decided positionings of an edition in the user's scope (people erased or gone
    left out)."""
    positionings = Positioning.objects.filter(
        version=version,
        status__in=Positioning.DECIDED,
        establishment__in=establishments_for(user),
    ).filter(still_employed("employee__"))
    if establishment is not None:
        positionings = positionings.filter(establishment=establishment)
    return positionings


def edition_impact(
    user,
    before: RepertoireVersion,
    after: RepertoireVersion,
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

    source: RepertoireVersion
    waiting: int


def pending_migration(user, establishment: Establishment) -> PendingMigration | None:
    """Who still works here, was decided on an earlier edition and has no positioning in
    the edition in force; migrated from the latest edition they were decided on."""
    current = catalog.get_version()
    waiting = (
        Positioning.objects.filter(
            establishment=establishment,
            establishment__in=establishments_for(user),
            status__in=Positioning.DECIDED,
            version__published_at__isnull=False,
        )
        .exclude(version=current)
        .filter(still_employed("employee__"))
        .exclude(employee__positionings__version=current)
    )
    latest = waiting.order_by("-version__published_at").values_list("version", flat=True).first()
    if latest is None:
        return None
    return PendingMigration(
        RepertoireVersion.objects.get(pk=latest),
        waiting.values("employee").distinct().count(),
    )


def earlier_positionings(user, employee: Employee) -> QuerySet[Positioning]:
    """The employee's positionings on other editions than the one in force, newest first:
    each keeps the edition it was made on."""
    if not RepertoireVersion.objects.exists():
        return Positioning.objects.none()
    return (
        Positioning.objects.filter(employee=employee, establishment__in=establishments_for(user))
        .exclude(version=catalog.get_version())
        .select_related("version", "job", "evaluation")
        .order_by("-version__date")
    )
