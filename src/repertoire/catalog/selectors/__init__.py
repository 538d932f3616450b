"""Reads from the catalog. Views, API and CLI go through these functions; the jobs' ROME
codes are read in ``rome`` (imported here, as callers use them)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial

from django.db.models import Count, Prefetch, Q, QuerySet

from repertoire.catalog.models import (
    Appellation,
    Criterion,
    Edition,
    EditionPairing,
    JobDegree,
    Level,
    LevelDefinition,
    ReferenceJob,
)
from repertoire.catalog.selectors.rome import (
    APPLICATION,
    ROME_ACTION,
    UNDOES,
    RomeApplication,
    common_appellations,
    correspondence_diff,
    esco_entries,
    jobs_for_rome,
    jobs_without_rome,
    last_rome_application,
    rome_applications,
    rome_by_job,
    rome_codes,
    rome_entries,
    rome_of,
    seen_codes,
)
from repertoire.core.batches import rows_in
from repertoire.core.document import JobSheet, ListItem, RepertoireDocument, SommaireEntry
from repertoire.core.editions import (
    EditionContent,
    EditionDiff,
    EditionJob,
    Successor,
    diff_editions,
    format_items,
    successors,
)
from repertoire.core.grid import (
    MAX_DEGREE,
    MIN_DEGREE,
    Grid,
    ReferenceProfile,
    get_rule,
)
from repertoire.core.grid import Criterion as CoreCriterion
from repertoire.core.matching import JobEntry, MatchingIndex, TitleQuery
from repertoire.core.positioning import CONTESTED, DECIDED, NOTIFIED
from repertoire.core.profiles import ProfileIndex
from repertoire.core.rome import load_rome
from repertoire.core.search import DegreeRange, Filters, SearchableJob, SearchIndex, SearchResults
from repertoire.core.text import normalize_title
from repertoire.locking import etag_of


class EditionNotFound(LookupError):
    pass


def editions(user=None) -> QuerySet[Edition]:
    """The editions, with their job count; for ``user`` (when given), those they may
    consult (``may_consult``)."""
    found = Edition.objects.annotate(job_count=Count("jobs"))
    if user is not None and not getattr(user, "is_authenticated", False):
        found = found.filter(Q(published_at__isnull=False) | Q(is_current=True))
    return found


def get_edition(label: str | None = None) -> Edition:
    """The edition with this label, or the current edition."""
    # get(), not first(): every page asks, and labels and "current" are unique.
    if label:
        try:
            return Edition.objects.get(label=label)
        except Edition.DoesNotExist:
            raise EditionNotFound(f"aucune édition « {label} »") from None
    try:
        return Edition.objects.get(is_current=True)
    except Edition.DoesNotExist:
        edition = Edition.objects.order_by("-date", "-imported_at").first()
    if edition is None:
        raise EditionNotFound("aucune édition n'est chargée")
    return edition


def edition_for(user, label: str | None = None) -> Edition:
    """The edition ``user`` may consult under ``label`` (the current one without): a draft,
    still under discussion, only for a signed-in user; for anyone else it is as if there
    were no such edition (its label tells nothing)."""
    edition = get_edition(label)
    if not may_consult(user, edition):
        raise EditionNotFound(f"aucune édition « {label} »")
    return edition


def may_consult(user, edition: Edition) -> bool:
    """Whether ``user`` may consult the edition: a published one (or the one in force)
    anyone, a draft a signed-in user."""
    return edition.is_frozen or edition.is_current or getattr(user, "is_authenticated", False)


def criteria_of(edition: Edition) -> list[Criterion]:
    return list(edition.criteria.order_by("position"))


def levels_of(edition: Edition) -> QuerySet[Level]:
    return (
        edition.levels.annotate(job_count=Count("jobs"))
        .prefetch_related(Prefetch("definitions", LevelDefinition.objects.order_by("position")))
        .order_by("number")
    )


def jobs_of(edition: Edition, level: int | None = None) -> QuerySet[ReferenceJob]:
    jobs = edition.jobs.select_related(
        "edition", "level", "level_definition__level"
    ).prefetch_related(
        Prefetch(
            "degrees", JobDegree.objects.select_related("criterion").order_by("criterion__position")
        )
    )
    if level is not None:
        jobs = jobs.filter(level__number=level)
    return jobs.order_by("position")


def job_list(edition: Edition) -> QuerySet[ReferenceJob]:
    """The edition's reference jobs in order, each with its level: what a choice of job or
    a lookup by code needs (``jobs_of`` adds their profiles, read with two more queries)."""
    return edition.jobs.select_related("level").order_by("position")


def job_of(edition: Edition, code: str) -> ReferenceJob | None:
    # get(), not first(): an ORDER BY would walk the edition rather than its code index.
    try:
        return jobs_of(edition).order_by().get(code=code)
    except ReferenceJob.DoesNotExist:
        return None


def job_etag(job: ReferenceJob) -> str:
    """A job of a draft as its editor sees it (texts, level, degrees): their form sends it
    back with their changes, refused when someone else saved the job meanwhile."""
    degrees = sorted(job.degrees.values_list("criterion__code", "degree"))
    return etag_of("job", job.title, job.missions, job.requirements, job.level_id, degrees)


def edition_etag(edition: Edition) -> str:
    """A draft's title, status, date and notice as its editor's form shows them: the form
    sends it back, refused when another administrator saved them meanwhile."""
    return etag_of("edition", edition.title, edition.status, str(edition.date), edition.notes)


def grid_text_etag(text: str | list[str]) -> str:
    """One text of a draft's grid as its form shows it (a level definition's paragraphs,
    a criterion's description): a text changed meanwhile by another administrator is not
    overwritten from an older page."""
    return etag_of("texte", text)


def pairing_state(pairing: EditionPairing | None) -> str:
    """A job's pairing between two editions as a page shows it: automatic, its
    successor's code, or none (retired); the page sends it back with a decision."""
    if pairing is None:
        return "auto"
    return pairing.after_code or "aucun"


def pairing_states(before: Edition, after: Edition) -> dict[str, str]:
    """``pairing_state`` of every job of ``before`` towards ``after``, by code."""
    decided = {p.before_code: p for p in EditionPairing.objects.filter(before=before, after=after)}
    return {
        code: pairing_state(decided.get(code))
        for code in before.jobs.values_list("code", flat=True)
    }


def job_heading(code: str, label: str | None = None) -> ReferenceJob | None:
    """The job with this code in the edition with this label (else the edition in force),
    with its edition and level but not its texts and degrees: one query, or None."""
    where = {"edition__label": label} if label else {"edition__is_current": True}
    try:
        return ReferenceJob.objects.select_related("edition", "level").get(code=code, **where)
    except ReferenceJob.DoesNotExist:
        return None


def degrees_of(job: ReferenceJob) -> tuple[int, ...]:
    """The job's degrees in criteria order (uses the prefetch of ``jobs_of``)."""
    return tuple(d.degree for d in sorted(job.degrees.all(), key=lambda d: d.criterion.position))


def reference_profiles_of(edition: Edition) -> list[ReferenceProfile]:
    return [
        ReferenceProfile(job.title, degrees_of(job), job.level.number) for job in jobs_of(edition)
    ]


def grid_of(edition: Edition) -> Grid:
    """The edition's grid, calibrated on its reference jobs (built once per process)."""
    return per_edition("grid", edition, build_grid)


def build_grid(edition: Edition) -> Grid:
    return Grid(
        criteria=tuple(CoreCriterion(c.code, c.label) for c in criteria_of(edition)),
        rule=get_rule(edition.level_rule),
        references=tuple(reference_profiles_of(edition)),
    )


def _items(items: list[dict]) -> tuple[ListItem, ...]:
    return tuple(ListItem(item["text"], tuple(item["subitems"])) for item in items)


def document_of(edition: Edition) -> RepertoireDocument:
    """The edition as a document, for exports and the data-quality report."""
    return RepertoireDocument(
        title=edition.title,
        status=edition.document_status,
        date=edition.date,
        notes=tuple(edition.notes),
        missing_jobs=tuple(edition.missing_jobs),
        criteria=tuple(CoreCriterion(c.code, c.label) for c in criteria_of(edition)),
        sommaire=tuple(
            SommaireEntry(entry.level_number, entry.title, entry.page)
            for entry in edition.sommaire.order_by("position")
        ),
        jobs=tuple(
            JobSheet(
                stored_code=job.code,
                title=job.title,
                heading=job.heading,
                level=job.level.number,
                degrees=degrees_of(job),
                missions=_items(job.missions),
                requirements=_items(job.requirements),
                level_text=tuple(job.level_definition.paragraphs) if job.level_definition else (),
            )
            for job in jobs_of(edition)
        ),
    )


def appellations_of(edition: Edition) -> QuerySet[Appellation]:
    """The network's appellations in use (not those an establishment learnt)."""
    return (
        Appellation.objects.filter(
            job__edition=edition,
            establishment__isnull=True,
            status=Appellation.Status.ACTIVE,
        )
        .select_related("job")
        .order_by("job__position", "title")
    )


def appellations_to_review(edition: Edition) -> QuerySet[Appellation]:
    """What establishments learnt from their decisions, for a national administrator to
    promote to the network or reject: their own appellations and the conflicts kept aside."""
    return (
        Appellation.objects.filter(
            job__edition=edition,
            establishment__isnull=False,
            status__in=(Appellation.Status.ACTIVE, Appellation.Status.CONFLICT),
        )
        .select_related("job", "establishment", "conflicting_job")
        .order_by("title", "establishment__code", "job__position")
    )


def network_meanings(edition: Edition) -> dict[str, ReferenceJob]:
    """Normalised title → the job it means for the network (its title, or an appellation
    in use); the review list says where an establishment's own differs."""
    jobs = {job.pk: job for job in edition.jobs.only("pk", "code", "title")}
    meanings = {normalize_title(job.title): job for job in jobs.values()}
    for job_id, title in (
        _in_use(edition).filter(establishment__isnull=True).values_list("job_id", "title")
    ):
        meanings.setdefault(normalize_title(title), jobs[job_id])
    return meanings


def edition_key(edition: Edition) -> str:
    """What names an edition's content as it is now: it changes with every write to it.

    Read from the instance: fetch the edition in the same request (``get_edition``)."""
    return _content_key(
        edition.pk, edition.imported_at, edition.revision, edition.appellations_revision
    )


def _content_key(pk: int, imported_at, revision: int, appellations_revision: int) -> str:
    # The import time tells apart two editions that reused an id (tests, re-imports).
    return f"{pk}.{imported_at.timestamp()}.{revision}.{appellations_revision}"


# Indexes built from an edition, per process: {(kind, edition id): (key, index)}.
_indexes: dict[tuple[str, int], tuple[str, object]] = {}


def per_edition(kind: str, edition: Edition, build):
    """What ``build`` makes of an edition (an index, a list), kept in the process and
    rebuilt when the edition's content changed in any process. Treat it as read-only."""
    # Read afresh: the instance may be older than the last write (services, commands).
    stamp = _content_key(
        edition.pk,
        *Edition.objects.filter(pk=edition.pk)
        .values_list("imported_at", "revision", "appellations_revision")
        .get(),
    )
    entry = _indexes.get((kind, edition.pk))
    if entry is None or entry[0] != stamp:
        entry = (stamp, build(edition))
        _indexes[kind, edition.pk] = entry
    return entry[1]


def matching_index(edition: Edition, establishment=None) -> MatchingIndex:
    """The title-matching index of an edition: the network's appellations, and those the
    establishment learnt from its own decisions when one is given."""
    if establishment is not None:
        establishment_id = getattr(establishment, "pk", establishment)
        if _in_use(edition).filter(establishment_id=establishment_id).exists():
            return per_edition(
                f"matching:{establishment_id}",
                edition,
                partial(build_matching_index, establishment_id=establishment_id),
            )
    return per_edition("matching", edition, build_matching_index)


def _in_use(edition: Edition) -> QuerySet[Appellation]:
    return Appellation.objects.filter(job__edition=edition, status=Appellation.Status.ACTIVE)


def _appellation_titles(
    edition: Edition, establishment_id: int | None = None
) -> dict[str, list[str]]:
    """Job code → titles: the network's, and the establishment's own when one is given."""
    appellations: dict[str, list[str]] = {}
    wanted = Q(establishment__isnull=True)
    if establishment_id is not None:
        wanted |= Q(establishment_id=establishment_id)
    rows = list(_in_use(edition).filter(wanted).values_list("job__code", "title", "establishment"))
    # The establishment's own decision prevails there: a network's appellation saying the
    # same title for another job is left out (a title never means two jobs).
    own = {normalize_title(title): code for code, title, place in rows if place is not None}
    for code, title, place in rows:
        if own and place is None and own.get(normalize_title(title), code) != code:
            continue
        appellations.setdefault(code, []).append(title)
    return appellations


def build_matching_index(edition: Edition, establishment_id: int | None = None) -> MatchingIndex:
    """Curated and learnt appellations, and the ROME appellations of the jobs' ROME codes
    as a second dictionary; with an establishment, its own learnt appellations too."""
    appellations = _appellation_titles(edition, establishment_id)
    codes = rome_codes(edition)
    rome = load_rome()
    return MatchingIndex.build(
        (
            JobEntry.from_sheet(sheet, appellations.get(sheet.code, ()), codes.get(sheet.code, ()))
            for sheet in document_of(edition).jobs
        ),
        rome={
            code: rome.appellations(code)
            for found in codes.values()
            for code in found
            if code in rome
        },
    )


# --- search ---------------------------------------------------------------------------


class UnknownCriterion(ValueError):
    pass


def _passages(items: list[dict]) -> tuple[str, ...]:
    return tuple(text for item in items for text in (item["text"], *item["subitems"]))


def build_searchable_jobs(edition: Edition) -> list[SearchableJob]:
    appellations = _appellation_titles(edition)
    return [
        SearchableJob(
            code=job.code,
            title=job.title,
            level=job.level.number,
            degrees=degrees_of(job),
            appellations=tuple(appellations.get(job.code, ())),
            missions=_passages(job.missions),
            requirements=_passages(job.requirements),
        )
        for job in jobs_of(edition)
    ]


def searchable_jobs(edition: Edition) -> list[SearchableJob]:
    """The edition's jobs as plain data, for the search and profile indexes."""
    return per_edition("jobs", edition, build_searchable_jobs)


def search_index(edition: Edition) -> SearchIndex:
    """The full-text index of an edition's jobs and appellations."""
    return per_edition(
        "search",
        edition,
        lambda v: SearchIndex.build(searchable_jobs(v), announced=v.missing_jobs),
    )


def search_jobs(
    edition: Edition,
    query: str,
    levels: Iterable[int] = (),
    degree_ranges: Mapping[str, tuple[int, int]] | None = None,
    limit: int = 20,
    offset: int = 0,
) -> SearchResults:
    """Jobs ranked by relevance to the query, within levels and degree ranges by criterion.

    Raises ``UnknownCriterion`` for a degree range on a criterion the edition lacks.
    """
    positions = {criterion.code: index for index, criterion in enumerate(criteria_of(edition))}
    ranges = {}
    for code, (low, high) in (degree_ranges or {}).items():
        if code not in positions:
            known = ", ".join(positions)
            raise UnknownCriterion(f"critère inconnu « {code} » (critères : {known})")
        ranges[positions[code]] = DegreeRange(low, high)
    filters = Filters(levels=frozenset(levels), degrees=ranges)
    return search_index(edition).search(query, filters, limit=limit, offset=offset)


# --- job sheets and comparison -----------------------------------------------------------


def jobs_by_code(edition: Edition, codes: Sequence[str]) -> list[ReferenceJob]:
    """The jobs with these codes, in the order given; unknown codes are left out."""
    # Unordered: the order is the caller's, and ordering by position would make the
    # database walk the whole edition instead of the (edition, code) index.
    found = {job.code: job for job in rows_in(jobs_of(edition).order_by(), "code", codes)}
    return [found[code] for code in dict.fromkeys(codes) if code in found]


@dataclass(frozen=True)
class JobNeighbours:
    """The jobs around one job: its family one level below and above, the nearest profiles."""

    below: ReferenceJob | None
    above: ReferenceJob | None
    nearest: list[tuple[ReferenceJob, int]]


def profile_index(edition: Edition) -> ProfileIndex:
    """The reference jobs' profiles of an edition, for distances between profiles."""
    return per_edition("profiles", edition, lambda v: ProfileIndex(searchable_jobs(v)))


def neighbours_of(job: ReferenceJob, count: int = 4) -> JobNeighbours:
    index = profile_index(job.edition)
    found = index.neighbours(job.code, count)
    codes = [found.below, found.above, *(code for code, _ in found.nearest)]
    jobs = {other.code: other for other in jobs_by_code(job.edition, [c for c in codes if c])}
    return JobNeighbours(
        below=jobs.get(found.below),
        above=jobs.get(found.above),
        nearest=[(jobs[code], distance) for code, distance in found.nearest],
    )


def degree_distribution(edition: Edition) -> dict[str, dict[int, list[ReferenceJob]]]:
    """Per criterion code, the reference jobs at each degree (every degree present)."""
    distribution = {
        criterion.code: {degree: [] for degree in range(MIN_DEGREE, MAX_DEGREE + 1)}
        for criterion in criteria_of(edition)
    }
    for job in jobs_of(edition):
        for degree in job.degrees.all():
            distribution[degree.criterion.code][degree.degree].append(job)
    return distribution


# --- editions side by side ----------------------------------------------------------------------


def edition_content(edition: Edition) -> EditionContent:
    """The edition as the comparison sees it: jobs with degrees by criterion code."""
    return EditionContent(
        label=edition.label,
        criteria={c.code: c.label for c in criteria_of(edition)},
        rule=edition.level_rule,
        jobs=tuple(
            EditionJob(
                code=job.code,
                title=job.title,
                level=job.level.number,
                degrees={d.criterion.code: d.degree for d in job.degrees.all()},
                missions=_items(job.missions),
                requirements=_items(job.requirements),
            )
            for job in jobs_of(edition)
        ),
    )


def pairings_between(before: Edition, after: Edition) -> dict[str, str | None]:
    """The administrators' pairings: old code → new code, or None for "no successor"."""
    return {
        pairing.before_code: pairing.after_code or None
        for pairing in EditionPairing.objects.filter(before=before, after=after)
    }


def edition_diff(before: Edition, after: Edition) -> EditionDiff:
    return diff_editions(
        edition_content(before), edition_content(after), pairings_between(before, after)
    )


def previous_edition(edition: Edition) -> Edition | None:
    """The edition an edition follows, what it is compared and migrated from by default.

    A published edition follows the one published before it; a draft, the published
    edition it descends from through its copies (else the edition in force)."""
    published = Edition.objects.filter(published_at__isnull=False).exclude(pk=edition.pk)
    if edition.is_frozen:
        return (
            published.filter(published_at__lt=edition.published_at)
            .order_by("-published_at")
            .first()
        )
    seen, ancestor = {edition.pk}, edition.based_on
    while ancestor is not None and not ancestor.is_frozen and ancestor.pk not in seen:
        seen.add(ancestor.pk)
        ancestor = ancestor.based_on
    if ancestor is not None and ancestor.is_frozen:
        return ancestor
    return published.filter(is_current=True).first()


def level_disagreements(edition: Edition) -> dict[str, int]:
    """Jobs whose declared level is not the rule's for their degrees: code → rule's level."""
    rule = get_rule(edition.level_rule)
    return {
        job.code: rule.level(degrees_of(job))
        for job in jobs_of(edition)
        if rule.level(degrees_of(job)) != job.level.number
    }


def successors_between(before: Edition, after: Edition) -> tuple[EditionDiff, dict[str, Successor]]:
    """The diff, and for every job of ``before`` the job proposed in ``after``: its pair
    (same code, paired by similarity or by hand) or, for a retired job, the matching
    engine's first choice for its title and text."""
    diff = edition_diff(before, after)
    engine = {}
    if diff.retired:
        index = matching_index(after)
        results = index.match_many(
            [TitleQuery(job.title, "", job.text) for job in diff.retired], top=1
        )
        for job, result in zip(diff.retired, results, strict=True):
            best = result.candidates[0] if result.candidates else None
            engine[job.code] = diff.after.job(best.code) if best else None
    return diff, successors(diff, engine)


def job_content(job: ReferenceJob) -> dict:
    """A job as ``services.save_job`` takes it: title, the lists as editable text, degrees
    by criterion code (the job form starts from it)."""
    return {
        "title": job.title,
        "missions": format_items(_items(job.missions)),
        "requirements": format_items(_items(job.requirements)),
        "degrees": {d.criterion.code: d.degree for d in job.degrees.select_related("criterion")},
    }


def retirement_consequences(job: ReferenceJob) -> dict:
    """What retiring ``job`` from its draft takes away: its appellations, the positionings
    resting on it, and the people placed on the same code in the edition the draft follows
    (back to review when the draft is published), by status. Counts only (the page is
    the national administrators')."""
    earlier = previous_edition(job.edition)
    held = Counter()
    if earlier is not None:
        held.update(
            dict(
                ReferenceJob.objects.filter(edition=earlier, code=job.code)
                .values_list("positionings__status")
                .annotate(n=Count("positionings"))
                .values_list("positionings__status", "n")
            )
        )
    held.pop(None, None)
    return {
        "appellations": job.appellations.count(),
        "positionings": job.positionings.count(),
        "earlier": earlier,
        "earlier_positioned": sum(held.values()),
        "earlier_decided": sum(held[status] for status in DECIDED),
        "earlier_handed_out": held[NOTIFIED] + held[CONTESTED],
    }


__all__ = [  # the ROME reads, imported from ``rome`` for the callers
    "APPLICATION",
    "ROME_ACTION",
    "UNDOES",
    "RomeApplication",
    "common_appellations",
    "correspondence_diff",
    "esco_entries",
    "jobs_for_rome",
    "jobs_without_rome",
    "last_rome_application",
    "rome_applications",
    "rome_by_job",
    "rome_codes",
    "rome_entries",
    "rome_of",
    "seen_codes",
]
