"""Writes to the catalog: one function per business action, each atomic."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from repertoire.audit.services import record, snapshot
from repertoire.bundled import (
    BUNDLED_EDITION,
    bundled_document,
    criteria_descriptions,
    curated_appellations,
    read_appellations,
)
from repertoire.catalog.models import (
    Criterion,
    JobDegree,
    JobTitleAlias,
    Level,
    LevelDefinition,
    ReferenceJob,
    RepertoireVersion,
    SommaireEntry,
)
from repertoire.catalog.selectors import reference_profiles_of
from repertoire.core.document import DocumentError, DocumentInvalid, RepertoireDocument
from repertoire.core.grid import (
    MAX_LEVEL,
    MIN_LEVEL,
    RuleRefused,
    calibrate,
    choose_rule,
    get_rule,
)
from repertoire.core.tables import TableInvalid
from repertoire.core.text import title_key


def import_edition(
    document: RepertoireDocument,
    *,
    author: str,
    label: str | None = None,
    rule: str | None = None,
    source_name: str = "",
) -> RepertoireVersion:
    """Store a parsed document as a new edition, all or nothing.

    The level rule is the one asked for, or the first that reproduces every declared
    level; a document whose levels no rule reproduces is refused job by job.
    """
    label = label or document.date.isoformat()
    errors = []
    if RepertoireVersion.objects.filter(label=label).exists():
        errors.append(DocumentError(1, f"une édition « {label} » existe déjà (choisir --label)"))
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

    with transaction.atomic():
        version = RepertoireVersion.objects.create(
            label=label,
            title=document.title,
            status=document.status,
            date=document.date,
            notes=list(document.notes),
            missing_jobs=list(document.missing_jobs),
            level_rule=level_rule.code,
            is_current=not RepertoireVersion.objects.filter(is_current=True).exists(),
            source_name=source_name,
            imported_by=author,
        )
        descriptions = criteria_descriptions()
        criteria = Criterion.objects.bulk_create(
            Criterion(
                version=version,
                code=c.code,
                label=c.label,
                description=descriptions.get(c.code, ""),
                position=position,
            )
            for position, c in enumerate(document.criteria, start=1)
        )
        levels = {
            level.number: level
            for level in Level.objects.bulk_create(
                Level(version=version, number=number) for number in range(MIN_LEVEL, MAX_LEVEL + 1)
            )
        }
        definitions = document.level_definitions()
        stored_definitions = {}
        for number, texts in definitions.by_level.items():
            level = levels[number]
            for position, text in enumerate(texts, start=1):
                stored_definitions[text] = LevelDefinition.objects.create(
                    level=level, paragraphs=list(text), position=position
                )
        jobs = ReferenceJob.objects.bulk_create(
            ReferenceJob(
                version=version,
                code=job.code,
                title=job.title,
                heading=job.heading,
                level=levels[job.level],
                level_definition=stored_definitions.get(job.level_text),
                missions=[_item(item) for item in job.missions],
                requirements=[_item(item) for item in job.requirements],
                position=position,
            )
            for position, job in enumerate(document.jobs, start=1)
        )
        JobDegree.objects.bulk_create(
            JobDegree(job=stored, criterion=criterion, degree=degree)
            for stored, job in zip(jobs, document.jobs, strict=True)
            for criterion, degree in zip(criteria, job.degrees, strict=True)
        )
        by_key = {title_key(job.heading): job for job in jobs}
        SommaireEntry.objects.bulk_create(
            SommaireEntry(
                version=version,
                level_number=entry.level,
                title=entry.title,
                page=entry.page,
                position=position,
                job=by_key.get(title_key(entry.title)),
            )
            for position, entry in enumerate(document.sommaire, start=1)
        )
        seed_curated_appellations(version, author=author)
        record(
            actor=author,
            action="edition.import",
            instance=version,
            after={**snapshot(version), "jobs": len(document.jobs)},
        )
    return version


def _item(item) -> dict:
    return {"text": item.text, "subitems": list(item.subitems)}


def ensure_bundled_edition(*, author: str = "system") -> RepertoireVersion | None:
    """Load the bundled edition into an empty database; do nothing otherwise."""
    with transaction.atomic():
        if RepertoireVersion.objects.exists():
            return None
        return import_edition(bundled_document(), author=author, source_name=BUNDLED_EDITION)


@transaction.atomic
def set_level_rule(
    version: RepertoireVersion, rule_code: str, *, author: str = "system"
) -> RepertoireVersion:
    """Change an edition's rule; refused if it misclassifies any of its reference jobs."""
    rule = get_rule(rule_code)
    misclassified = calibrate(rule, reference_profiles_of(version))
    if misclassified:
        raise RuleRefused(rule, misclassified)
    before = snapshot(version)
    version.level_rule = rule.code
    version.save(update_fields=["level_rule"])
    record(
        actor=author,
        action="edition.level_rule",
        instance=version,
        before=before,
        after=snapshot(version),
    )
    return version


def make_current(version: RepertoireVersion, *, author: str = "system") -> RepertoireVersion:
    with transaction.atomic():
        RepertoireVersion.objects.filter(is_current=True).exclude(pk=version.pk).update(
            is_current=False
        )
        before = snapshot(version)
        version.is_current = True
        version.save(update_fields=["is_current"])
        record(
            actor=author,
            action="edition.make_current",
            instance=version,
            before=before,
            after=snapshot(version),
        )
    return version


# --- appellations ----------------------------------------------------------------------------


def _appellations_changed(version: RepertoireVersion) -> None:
    RepertoireVersion.objects.filter(pk=version.pk).update(
        appellations_revision=F("appellations_revision") + 1
    )


def seed_curated_appellations(version: RepertoireVersion, *, author: str) -> int:
    """Give the edition's jobs the curated appellations of the jobs with the same code."""
    jobs = {job.code: job for job in version.jobs.all()}
    aliases = [
        JobTitleAlias(
            job=jobs[row["code"]],
            title=row["appellation"],
            source=JobTitleAlias.Source.CURATED,
            created_by=author,
        )
        for _, row in curated_appellations().rows
        if row["code"] in jobs and row["appellation"]
    ]
    created = JobTitleAlias.objects.bulk_create(aliases, ignore_conflicts=True)
    _appellations_changed(version)
    return len(created)


def add_appellation(
    job: ReferenceJob, title: str, *, author: str, source: str = JobTitleAlias.Source.MANUAL
) -> tuple[JobTitleAlias, bool]:
    """Record that ``title`` means ``job``; the positioning workflow calls this with
    ``source="validated"`` when a positioning is validated. Returns (alias, created)."""
    title = " ".join(title.split())
    if not title:
        raise ValueError("une appellation ne peut pas être vide")
    with transaction.atomic():
        alias, created = JobTitleAlias.objects.get_or_create(
            job=job, title=title, defaults={"source": source, "created_by": author}
        )
        if created:
            _appellations_changed(job.version)
            record(actor=author, action="appellation.add", instance=alias, after=snapshot(alias))
    return alias, created


def remove_appellation(alias: JobTitleAlias, *, author: str = "system") -> None:
    with transaction.atomic():
        version = alias.job.version
        before = snapshot(alias)
        record(actor=author, action="appellation.remove", instance=alias, before=before)
        alias.delete()
        _appellations_changed(version)


def import_appellations(version: RepertoireVersion, data: bytes, *, author: str) -> dict:
    """Add the appellations of a CSV file (code, appellation[, source]); all or nothing.

    Rows already known change nothing, so importing the same file twice is harmless.
    """
    try:
        table = read_appellations(data)
    except TableInvalid as exc:
        raise DocumentInvalid([DocumentError(exc.line, exc.message)]) from None
    jobs = {job.code: job for job in version.jobs.all()}
    sources = set(JobTitleAlias.Source.values)
    errors, wanted = [], {}
    for line, row in table.rows:
        title = " ".join(row["appellation"].split())
        source = row.get("source") or JobTitleAlias.Source.MANUAL
        if row["code"] not in jobs:
            errors.append(
                DocumentError(
                    line, f"emploi « {row['code']} » inconnu dans l'édition {version.label}"
                )
            )
        elif not title:
            errors.append(DocumentError(line, "appellation vide"))
        elif source not in sources:
            errors.append(
                DocumentError(line, f"source « {source} » inconnue ({', '.join(sorted(sources))})")
            )
        else:
            wanted.setdefault((row["code"], title), source)
    if errors:
        raise DocumentInvalid(errors)
    existing = set(
        JobTitleAlias.objects.filter(job__version=version).values_list("job__code", "title")
    )
    new = [
        JobTitleAlias(job=jobs[code], title=title, source=source, created_by=author)
        for (code, title), source in wanted.items()
        if (code, title) not in existing
    ]
    with transaction.atomic():
        JobTitleAlias.objects.bulk_create(new)
        if new:
            _appellations_changed(version)
            record(
                actor=author,
                action="appellation.import",
                instance=version,
                after={"created": [f"{alias.job.code}: {alias.title}" for alias in new]},
            )
    return {"created": len(new), "unchanged": len(wanted) - len(new)}


def rebuild_matching_index(version: RepertoireVersion) -> None:
    """Make every process rebuild its title-matching index for the edition."""
    _appellations_changed(version)
