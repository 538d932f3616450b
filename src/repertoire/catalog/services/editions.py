"""Editions as wholes: import a document, load the bundled edition, change the level rule,
put an edition back in force, copy it into a draft, change a draft's title, status, date."""

from __future__ import annotations

import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from repertoire.audit.services import record, snapshot
from repertoire.bundled import BUNDLED_EDITION, bundled_document, criteria_descriptions
from repertoire.catalog.models import (
    Appellation,
    Criterion,
    Edition,
    JobDegree,
    Level,
    LevelDefinition,
    ReferenceJob,
    SommaireEntry,
)
from repertoire.catalog.selectors import edition_etag, reference_profiles_of
from repertoire.catalog.services.appellations import seed_curated_appellations
from repertoire.catalog.services.common import (
    check_draft,
    check_national,
    edition_changed,
    item_dict,
    lock_editions,
    rebuild_sommaire,
)
from repertoire.catalog.services.rome import copy_rome_codes, seed_rome_correspondence
from repertoire.core.document import (
    STORED_STATUSES,
    DocumentError,
    DocumentInvalid,
    RepertoireDocument,
)
from repertoire.core.grid import (
    MAX_LEVEL,
    MIN_LEVEL,
    LevelRule,
    RuleRefused,
    calibrate,
    choose_rule,
    get_rule,
)
from repertoire.core.refusals import Conflict, Refused
from repertoire.core.text import title_key
from repertoire.validation import full_clean

# An edition's label names it in URLs (/editions/<label>/) and on the command line.
LABEL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
# Paths under /editions/ that are not editions.
RESERVED_LABELS = frozenset({"comparer"})


def label_problem(label: str) -> str | None:
    """Why a label cannot name an edition, or None."""
    longest = Edition._meta.get_field("label").max_length
    if not label:
        return "le libellé est obligatoire"
    if len(label) > longest:
        return f"le libellé dépasse {longest} caractères"
    if not LABEL.match(label) or label in RESERVED_LABELS:
        return (
            f"libellé « {label} » refusé : lettres sans accent, chiffres, points, tirets "
            "(par exemple 2015-officielle)"
        )
    if Edition.objects.filter(label=label).exists():
        return f"une édition « {label} » existe déjà"
    return None


def import_edition(
    document: RepertoireDocument,
    *,
    author: str,
    label: str | None = None,
    rule: str | None = None,
    source_name: str = "",
) -> Edition:
    """Store a parsed document as a new edition, all or nothing.

    The level rule is the one asked for, or the first that reproduces every declared
    level; a document whose levels no rule reproduces is refused job by job.
    """
    label = label or document.date.isoformat()
    level_rule = _checked_rule(document, label, rule)
    with transaction.atomic():
        lock_editions()  # whether it is the first, hence the one in force
        edition = Edition.objects.create(
            label=label,
            title=document.title,
            status=STORED_STATUSES[document.status],
            date=document.date,
            notes=list(document.notes),
            missing_jobs=list(document.missing_jobs),
            level_rule=level_rule.code,
            is_current=not Edition.objects.filter(is_current=True).exists(),
            source_name=source_name,
            imported_by=author,
        )
        if edition.is_current:
            # The first edition is the one in force at once: published, frozen.
            edition.published_at, edition.published_by = timezone.now(), author
            edition.save(update_fields=["published_at", "published_by"])
        criteria = _store_criteria(edition, document)
        levels, definitions = _store_levels(edition, document)
        jobs = _store_jobs(edition, document, levels, definitions)
        JobDegree.objects.bulk_create(
            JobDegree(job=stored, criterion=criterion, degree=degree)
            for stored, job in zip(jobs, document.jobs, strict=True)
            for criterion, degree in zip(criteria, job.degrees, strict=True)
        )
        _store_sommaire(edition, document, jobs)
        seed_curated_appellations(edition, author=author)
        seed_rome_correspondence(edition, author=author)
        record(
            actor=author,
            action="edition.import",
            instance=edition,
            after={**snapshot(edition), "jobs": len(document.jobs)},
        )
    return edition


def _checked_rule(document: RepertoireDocument, label: str, rule: str | None) -> LevelRule:
    """The edition's level rule; ``DocumentInvalid`` with every problem of the label and
    of the levels, by line, when the document cannot be stored."""
    errors = []
    problem = label_problem(label)
    if problem:
        errors.append(DocumentError(1, f"{problem} (choisir --label)"))
    try:
        level_rule = choose_rule(document.reference_profiles(), rule)
    except RuleRefused as refused:
        lines = {job.title: job.line for job in document.jobs}
        errors.append(
            DocumentError(
                1,
                f"aucune règle de classement ne reproduit tous les niveaux du document ; "
                f"la règle « {refused.rule.code} » classe mal {len(refused.misclassified)} emploi(s)",
            )
        )
        errors += [
            DocumentError(lines[m.reference.name], m.describe()) for m in refused.misclassified
        ]
    if errors:
        raise DocumentInvalid(errors)
    return level_rule


def _store_criteria(edition: Edition, document: RepertoireDocument) -> list[Criterion]:
    descriptions = criteria_descriptions()
    return Criterion.objects.bulk_create(
        Criterion(
            edition=edition,
            code=c.code,
            label=c.label,
            description=descriptions.get(c.code, ""),
            position=position,
        )
        for position, c in enumerate(document.criteria, start=1)
    )


def _store_levels(
    edition: Edition, document: RepertoireDocument
) -> tuple[dict[int, Level], dict[tuple[str, ...], LevelDefinition]]:
    """The edition's levels by number, and their definitions by text."""
    levels = {
        level.number: level
        for level in Level.objects.bulk_create(
            Level(edition=edition, number=number) for number in range(MIN_LEVEL, MAX_LEVEL + 1)
        )
    }
    stored_definitions = {}
    for number, texts in document.level_definitions().by_level.items():
        level = levels[number]
        for position, text in enumerate(texts, start=1):
            stored_definitions[text] = LevelDefinition.objects.create(
                level=level, paragraphs=list(text), position=position
            )
    return levels, stored_definitions


def _store_jobs(
    edition: Edition, document: RepertoireDocument, levels, definitions
) -> list[ReferenceJob]:
    return ReferenceJob.objects.bulk_create(
        ReferenceJob(
            edition=edition,
            code=job.code,
            title=job.title,
            heading=job.heading,
            level=levels[job.level],
            level_definition=definitions.get(job.level_text),
            missions=[item_dict(item) for item in job.missions],
            requirements=[item_dict(item) for item in job.requirements],
            position=position,
        )
        for position, job in enumerate(document.jobs, start=1)
    )


def _store_sommaire(
    edition: Edition, document: RepertoireDocument, jobs: list[ReferenceJob]
) -> None:
    """The document's sommaire, each entry linked to the job whose heading it names."""
    by_key = {title_key(job.heading): job for job in jobs}
    SommaireEntry.objects.bulk_create(
        SommaireEntry(
            edition=edition,
            level_number=entry.level,
            title=entry.title,
            page=entry.page,
            position=position,
            job=by_key.get(title_key(entry.title)),
        )
        for position, entry in enumerate(document.sommaire, start=1)
    )


def ensure_bundled_edition(*, author: str = "system") -> Edition | None:
    """Load the bundled edition into an empty database; do nothing otherwise."""
    with transaction.atomic():
        if Edition.objects.exists():
            return None
        return import_edition(bundled_document(), author=author, source_name=BUNDLED_EDITION)


@transaction.atomic
def set_level_rule(edition: Edition, rule_code: str, *, author: str = "system") -> Edition:
    """Change an edition's rule; refused if it misclassifies any of its reference jobs."""
    rule = get_rule(rule_code)
    misclassified = calibrate(rule, reference_profiles_of(edition))
    if misclassified:
        raise RuleRefused(rule, misclassified)
    store_level_rule(edition, rule.code, author=author)
    return edition


def store_level_rule(
    edition: Edition, rule_code: str, *, author: str, levels_changed: bool = False
) -> None:
    """Record an edition's new rule (checked by the caller), journaled; the sommaire is
    rebuilt when jobs changed level with it."""
    before = snapshot(edition)
    edition.level_rule = rule_code
    edition.save(update_fields=["level_rule"])
    if levels_changed:
        rebuild_sommaire(edition)
    edition_changed(edition)
    record(
        actor=author,
        action="edition.level_rule",
        instance=edition,
        before=before,
        after=snapshot(edition),
    )


def make_current(edition: Edition, *, author: str = "system") -> Edition:
    """Put a published edition back in force (a draft is put in force by publishing it)."""
    if not edition.is_frozen:
        raise Refused(f"l'édition {edition.label} est un brouillon : publiez-la")
    with transaction.atomic():
        lock_editions()
        Edition.objects.filter(is_current=True).exclude(pk=edition.pk).update(is_current=False)
        before = snapshot(edition)
        edition.is_current = True
        edition.save(update_fields=["is_current"])
        record(
            actor=author,
            action="edition.make_current",
            instance=edition,
            before=before,
            after=snapshot(edition),
        )
    return edition


@transaction.atomic
def copy_edition(user, source: Edition, *, label: str, title: str = "") -> Edition:
    """A new draft edition with everything of ``source``: grid, jobs, appellations."""
    check_national(user)
    label = label.strip()
    problem = label_problem(label)
    if problem:
        raise Refused(problems={"label": problem})
    author = user.get_username()
    copy = Edition.objects.create(
        label=label,
        title=title.strip() or source.title,
        status=source.status,
        date=timezone.localdate(),
        notes=list(source.notes),
        missing_jobs=list(source.missing_jobs),
        level_rule=source.level_rule,
        is_current=False,
        source_name=source.source_name,
        imported_by=author,
        based_on=source,
    )
    criteria = {}
    for criterion in source.criteria.all():
        old_pk = criterion.pk
        criterion.pk, criterion.edition = None, copy
        criterion.save()
        criteria[old_pk] = criterion
    levels, definitions = {}, {}
    for level in source.levels.prefetch_related("definitions"):
        old_definitions = list(level.definitions.all())
        old_pk = level.pk
        level.pk, level.edition = None, copy
        level.save()
        levels[old_pk] = level
        for definition in old_definitions:
            old_definition = definition.pk
            definition.pk, definition.level = None, level
            definition.save()
            definitions[old_definition] = definition
    jobs = list(source.jobs.prefetch_related("degrees", "appellations").order_by("position"))
    degrees, appellations, pairs, new_jobs = [], [], [], {}
    for job in jobs:
        old_degrees, old_appellations = list(job.degrees.all()), list(job.appellations.all())
        original = ReferenceJob(pk=job.pk)
        old_job = job.pk
        job.pk, job.edition = None, copy
        new_jobs[old_job] = job
        job.level = levels[job.level_id]
        job.level_definition = definitions.get(job.level_definition_id)
        job.save()
        pairs.append((original, job))
        degrees += [
            JobDegree(job=job, criterion=criteria[d.criterion_id], degree=d.degree)
            for d in old_degrees
        ]
        # What establishments learnt, and its review, goes along.
        appellations += [
            Appellation(
                job=job,
                title=a.title,
                source=a.source,
                created_by=a.created_by,
                establishment_id=a.establishment_id,
                status=a.status,
                conflicting_job_id=a.conflicting_job_id,
                people=a.people,
            )
            for a in old_appellations
        ]
    for alias in appellations:
        if alias.conflicting_job_id is not None:
            alias.conflicting_job = new_jobs.get(alias.conflicting_job_id)
    JobDegree.objects.bulk_create(degrees)
    Appellation.objects.bulk_create(appellations)
    copy_rome_codes(pairs)
    rebuild_sommaire(copy)
    record(
        actor=author,
        action="edition.copy",
        instance=copy,
        after={**snapshot(copy), "jobs": len(jobs), "copied_from": source.label},
    )
    return copy


@transaction.atomic
def update_edition(
    user,
    edition: Edition,
    *,
    title: str,
    status: str,
    date,
    notes: list[str] | None = None,
    seen: str | None = None,
) -> Edition:
    """A draft's title, status, date and notice (the paragraphs under its title); the
    publication keeps them as set here. ``seen``: their etag as the person's form showed
    them (``selectors.edition_etag``): refused when another administrator saved them
    since, rather than writing back every value the older page showed."""
    check_national(user)
    check_draft(edition)
    if seen is not None and edition_etag(edition) != seen:
        raise Conflict(
            _(
                "The title, status, date or notice of edition %(label)s were changed "
                "meanwhile by another administrator: nothing was saved. Reload the page."
            )
            % {"label": edition.label}
        )
    before = snapshot(edition)
    edition.title, edition.status, edition.date = " ".join(title.split()), status, date
    if notes is not None:
        edition.notes = [" ".join(text.split()) for text in notes if text.strip()]
    full_clean(edition, exclude=["based_on"])
    edition.save(update_fields=["title", "status", "date", "notes"])
    edition_changed(edition)
    record(
        actor=user.get_username(),
        action="edition.update",
        instance=edition,
        before=before,
        after=snapshot(edition),
    )
    return edition
