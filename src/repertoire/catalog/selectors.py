"""Reads from the catalog. Views, API and CLI go through these functions."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from repertoire.catalog.models import (
    Criterion,
    JobDegree,
    JobTitleAlias,
    Level,
    LevelDefinition,
    ReferenceJob,
    RepertoireVersion,
)
from repertoire.core.document import JobSheet, ListItem, RepertoireDocument, SommaireEntry
from repertoire.core.grid import Criterion as CoreCriterion
from repertoire.core.grid import Grid, ReferenceProfile, get_rule
from repertoire.core.matching import JobEntry, MatchingIndex


class EditionNotFound(LookupError):
    pass


def versions() -> QuerySet[RepertoireVersion]:
    return RepertoireVersion.objects.annotate(job_count=Count("jobs"))


def get_version(label: str | None = None) -> RepertoireVersion:
    """The edition with this label, or the current edition."""
    if label:
        version = RepertoireVersion.objects.filter(label=label).first()
        if version is None:
            raise EditionNotFound(f"aucune édition « {label} »")
        return version
    version = (
        RepertoireVersion.objects.filter(is_current=True).first()
        or RepertoireVersion.objects.order_by("-date", "-imported_at").first()
    )
    if version is None:
        raise EditionNotFound("aucune édition n'est chargée")
    return version


def criteria_of(version: RepertoireVersion) -> list[Criterion]:
    return list(version.criteria.order_by("position"))


def levels_of(version: RepertoireVersion) -> QuerySet[Level]:
    return (
        version.levels.annotate(job_count=Count("jobs"))
        .prefetch_related(Prefetch("definitions", LevelDefinition.objects.order_by("position")))
        .order_by("number")
    )


def jobs_of(version: RepertoireVersion, level: int | None = None) -> QuerySet[ReferenceJob]:
    jobs = version.jobs.select_related(
        "version", "level", "level_definition__level"
    ).prefetch_related(
        Prefetch(
            "degrees", JobDegree.objects.select_related("criterion").order_by("criterion__position")
        )
    )
    if level is not None:
        jobs = jobs.filter(level__number=level)
    return jobs.order_by("position")


def job_of(version: RepertoireVersion, code: str) -> ReferenceJob | None:
    return jobs_of(version).filter(code=code).first()


def degrees_of(job: ReferenceJob) -> tuple[int, ...]:
    """The job's degrees in criteria order (uses the prefetch of ``jobs_of``)."""
    return tuple(d.degree for d in sorted(job.degrees.all(), key=lambda d: d.criterion.position))


def reference_profiles_of(version: RepertoireVersion) -> list[ReferenceProfile]:
    return [
        ReferenceProfile(job.title, degrees_of(job), job.level.number) for job in jobs_of(version)
    ]


def grid_of(version: RepertoireVersion) -> Grid:
    return Grid(
        criteria=tuple(CoreCriterion(c.code, c.label) for c in criteria_of(version)),
        rule=get_rule(version.level_rule),
        references=tuple(reference_profiles_of(version)),
    )


def _items(items: list[dict]) -> tuple[ListItem, ...]:
    return tuple(ListItem(item["text"], tuple(item["subitems"])) for item in items)


def document_of(version: RepertoireVersion) -> RepertoireDocument:
    """The edition as a document, for exports and the data-quality report."""
    return RepertoireDocument(
        title=version.title,
        status=version.status,
        date=version.date,
        notes=tuple(version.notes),
        missing_jobs=tuple(version.missing_jobs),
        criteria=tuple(CoreCriterion(c.code, c.label) for c in criteria_of(version)),
        sommaire=tuple(
            SommaireEntry(entry.level_number, entry.title, entry.page)
            for entry in version.sommaire.order_by("position")
        ),
        jobs=tuple(
            JobSheet(
                title=job.title,
                heading=job.heading,
                level=job.level.number,
                degrees=degrees_of(job),
                missions=_items(job.missions),
                requirements=_items(job.requirements),
                level_text=tuple(job.level_definition.paragraphs) if job.level_definition else (),
            )
            for job in jobs_of(version)
        ),
    )


def appellations_of(version: RepertoireVersion) -> QuerySet[JobTitleAlias]:
    return (
        JobTitleAlias.objects.filter(job__version=version)
        .select_related("job")
        .order_by("job__position", "title")
    )


# One index per edition and appellations revision, per process.
_indexes: dict[tuple[int, int], MatchingIndex] = {}


def matching_index(version: RepertoireVersion) -> MatchingIndex:
    """The title-matching index of an edition, rebuilt when its appellations changed."""
    revision = (
        RepertoireVersion.objects.filter(pk=version.pk)
        .values_list("appellations_revision", flat=True)
        .get()
    )
    key = (version.pk, revision)
    if key not in _indexes:
        for stale in [k for k in _indexes if k[0] == version.pk]:
            del _indexes[stale]
        _indexes[key] = build_matching_index(version)
    return _indexes[key]


def build_matching_index(version: RepertoireVersion) -> MatchingIndex:
    appellations: dict[str, list[str]] = {}
    for code, title in JobTitleAlias.objects.filter(job__version=version).values_list(
        "job__code", "title"
    ):
        appellations.setdefault(code, []).append(title)
    return MatchingIndex.build(
        JobEntry.from_sheet(sheet, appellations.get(sheet.code, ()))
        for sheet in document_of(version).jobs
    )
