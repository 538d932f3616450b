"""Writes to the catalog: one function per business action, each atomic."""

from __future__ import annotations

from importlib import resources

from django.db import transaction

from repertoire.catalog.models import (
    Criterion,
    JobDegree,
    Level,
    LevelDefinition,
    ReferenceJob,
    RepertoireVersion,
    SommaireEntry,
)
from repertoire.catalog.selectors import reference_profiles_of
from repertoire.core.document import (
    DocumentError,
    DocumentInvalid,
    RepertoireDocument,
    decode,
    parse_document,
)
from repertoire.core.grid import RuleRefused, calibrate, choose_rule, get_rule
from repertoire.core.quality import reference_profiles
from repertoire.core.text import title_key

BUNDLED_EDITION = "repertoire-emplois-2014-11-18.txt"


def bundled_document() -> RepertoireDocument:
    """The 2014 provisional edition shipped inside the package."""
    data = resources.files("repertoire").joinpath("data", BUNDLED_EDITION).read_bytes()
    return parse_document(decode(data))


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
        level_rule = choose_rule(reference_profiles(document), rule)
    except RuleRefused as refused:
        lines = {job.title: job.line for job in document.jobs}
        errors.append(DocumentError(1, str(refused).split(" : ")[0]))
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
        criteria = Criterion.objects.bulk_create(
            Criterion(version=version, code=c.code, label=c.label, position=position)
            for position, c in enumerate(document.criteria, start=1)
        )
        levels = {
            level.number: level
            for level in Level.objects.bulk_create(
                Level(version=version, number=number)
                for number in sorted({job.level for job in document.jobs})
            )
        }
        definitions = document.level_definitions()
        stored_definitions = {}
        for number, texts in definitions.by_level.items():
            level = levels.get(number) or Level.objects.create(version=version, number=number)
            levels[number] = level
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
    return version


def _item(item) -> dict:
    return {"text": item.text, "subitems": list(item.subitems)}


def ensure_bundled_edition(*, author: str = "system") -> RepertoireVersion | None:
    """Load the bundled edition into an empty database; do nothing otherwise."""
    with transaction.atomic():
        if RepertoireVersion.objects.exists():
            return None
        return import_edition(bundled_document(), author=author, source_name=BUNDLED_EDITION)


def set_level_rule(version: RepertoireVersion, rule_code: str) -> RepertoireVersion:
    """Change an edition's rule; refused if it misclassifies any of its reference jobs."""
    rule = get_rule(rule_code)
    misclassified = calibrate(rule, reference_profiles_of(version))
    if misclassified:
        raise RuleRefused(rule, misclassified)
    version.level_rule = rule.code
    version.save(update_fields=["level_rule"])
    return version


def make_current(version: RepertoireVersion) -> RepertoireVersion:
    with transaction.atomic():
        RepertoireVersion.objects.filter(is_current=True).exclude(pk=version.pk).update(
            is_current=False
        )
        version.is_current = True
        version.save(update_fields=["is_current"])
    return version
