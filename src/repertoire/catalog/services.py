"""Writes to the catalog: one function per business action, each atomic."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from repertoire.accounts.models import Role
from repertoire.accounts.selectors import role_of
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
    EditionPairing,
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
from repertoire.core.editions import parse_items
from repertoire.core.grid import (
    MAX_DEGREE,
    MAX_LEVEL,
    MIN_DEGREE,
    MIN_LEVEL,
    RuleRefused,
    calibrate,
    choose_rule,
    get_rule,
)
from repertoire.core.refusals import NotAllowed, Refused
from repertoire.core.tables import TableInvalid
from repertoire.core.text import slugify, title_key

# An edition's label names it in URLs (/editions/<label>/) and on the command line.
LABEL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
# Paths under /editions/ that are not editions.
RESERVED_LABELS = frozenset({"comparer"})


def label_problem(label: str) -> str | None:
    """Why a label cannot name an edition, or None."""
    longest = RepertoireVersion._meta.get_field("label").max_length
    if not label:
        return "le libellé est obligatoire"
    if len(label) > longest:
        return f"le libellé dépasse {longest} caractères"
    if not LABEL.match(label) or label in RESERVED_LABELS:
        return (
            f"libellé « {label} » refusé : lettres sans accent, chiffres, points, tirets "
            "(par exemple 2015-officielle)"
        )
    if RepertoireVersion.objects.filter(label=label).exists():
        return f"une édition « {label} » existe déjà"
    return None


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
        if version.is_current:
            # The first edition is the one in force at once: published, frozen.
            version.published_at, version.published_by = timezone.now(), author
            version.save(update_fields=["published_at", "published_by"])
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
    _edition_changed(version)
    record(
        actor=author,
        action="edition.level_rule",
        instance=version,
        before=before,
        after=snapshot(version),
    )
    return version


def make_current(version: RepertoireVersion, *, author: str = "system") -> RepertoireVersion:
    """Put a published edition back in force (a draft is put in force by publishing it)."""
    if not version.is_frozen:
        raise Refused(f"l'édition {version.label} est un brouillon : publiez-la")
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


def _edition_changed(version: RepertoireVersion) -> None:
    RepertoireVersion.objects.filter(pk=version.pk).update(revision=F("revision") + 1)


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
    _edition_changed(version)
    return len(created)


def add_appellation(
    job: ReferenceJob, title: str, *, author: str, source: str = JobTitleAlias.Source.MANUAL
) -> tuple[JobTitleAlias, bool]:
    """Record that ``title`` means ``job``; the positioning workflow calls this with
    ``source="validated"`` when a positioning is validated. Returns (alias, created)."""
    title = " ".join(title.split())
    if not title:
        raise Refused("une appellation ne peut pas être vide")
    with transaction.atomic():
        alias, created = JobTitleAlias.objects.get_or_create(
            job=job, title=title, defaults={"source": source, "created_by": author}
        )
        if created:
            _edition_changed(job.version)
            record(actor=author, action="appellation.add", instance=alias, after=snapshot(alias))
    return alias, created


def remove_appellation(alias: JobTitleAlias, *, author: str = "system") -> None:
    with transaction.atomic():
        version = alias.job.version
        before = snapshot(alias)
        record(actor=author, action="appellation.remove", instance=alias, before=before)
        alias.delete()
        _edition_changed(version)


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
            _edition_changed(version)
            record(
                actor=author,
                action="appellation.import",
                instance=version,
                after={"created": [f"{alias.job.code}: {alias.title}" for alias in new]},
            )
    return {"created": len(new), "unchanged": len(wanted) - len(new)}


def rebuild_matching_index(version: RepertoireVersion) -> None:
    """Make every process rebuild its title-matching index for the edition."""
    _edition_changed(version)


# --- preparing and publishing editions ------------------------------------------------------


class EditionFrozen(Refused):
    """A published edition does not change: positionings and weighings rest on it."""


def _full_clean(instance, **options) -> None:
    """The model's own checks, refused with the same fields and messages."""
    try:
        instance.full_clean(**options)
    except ValidationError as exc:
        raise Refused(
            problems={
                "" if name == "__all__" else name: texts for name, texts in exc.message_dict.items()
            }
        ) from None


def _check_national(user) -> None:
    if role_of(user) != Role.NATIONAL:
        raise NotAllowed("seuls les administrateurs nationaux préparent les éditions")


def _check_draft(version: RepertoireVersion) -> None:
    """Refused once published; the edition's row stays locked until the write commits,
    so an edit and a publication at the same moment cannot both go through."""
    locked = RepertoireVersion.objects.select_for_update().filter(pk=version.pk)
    published_at = locked.values_list("published_at", flat=True).first()
    if published_at is not None or version.is_frozen:
        raise EditionFrozen(
            f"l'édition {version.label} est publiée : elle ne change plus, copiez-la pour "
            "préparer la suivante"
        )


@transaction.atomic
def copy_edition(
    user, source: RepertoireVersion, *, label: str, title: str = ""
) -> RepertoireVersion:
    """A new draft edition with everything of ``source``: grid, jobs, appellations."""
    _check_national(user)
    label = label.strip()
    problem = label_problem(label)
    if problem:
        raise Refused(problems={"label": problem})
    author = user.get_username()
    copy = RepertoireVersion.objects.create(
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
        criterion.pk, criterion.version = None, copy
        criterion.save()
        criteria[old_pk] = criterion
    levels, definitions = {}, {}
    for level in source.levels.prefetch_related("definitions"):
        old_definitions = list(level.definitions.all())
        old_pk = level.pk
        level.pk, level.version = None, copy
        level.save()
        levels[old_pk] = level
        for definition in old_definitions:
            old_definition = definition.pk
            definition.pk, definition.level = None, level
            definition.save()
            definitions[old_definition] = definition
    jobs = list(source.jobs.prefetch_related("degrees", "appellations").order_by("position"))
    degrees, appellations = [], []
    for job in jobs:
        old_degrees, old_appellations = list(job.degrees.all()), list(job.appellations.all())
        job.pk, job.version = None, copy
        job.level = levels[job.level_id]
        job.level_definition = definitions.get(job.level_definition_id)
        job.save()
        degrees += [
            JobDegree(job=job, criterion=criteria[d.criterion_id], degree=d.degree)
            for d in old_degrees
        ]
        appellations += [
            JobTitleAlias(job=job, title=a.title, source=a.source, created_by=a.created_by)
            for a in old_appellations
        ]
    JobDegree.objects.bulk_create(degrees)
    JobTitleAlias.objects.bulk_create(appellations)
    _rebuild_sommaire(copy)
    record(
        actor=author,
        action="edition.copy",
        instance=copy,
        after={**snapshot(copy), "jobs": len(jobs), "copied_from": source.label},
    )
    return copy


def _rebuild_sommaire(version: RepertoireVersion) -> None:
    """A draft's sommaire is its jobs by level; page numbers come when it is typeset."""
    version.sommaire.all().delete()
    SommaireEntry.objects.bulk_create(
        SommaireEntry(
            version=version,
            level_number=job.level.number,
            # The sommaire spells titles, not the sheets' headings (often in capitals):
            # the reader takes a job's title from it.
            title=job.title,
            page=None,
            position=position,
            job=job,
        )
        for position, job in enumerate(
            version.jobs.select_related("level").order_by("level__number", "position"), start=1
        )
    )


@transaction.atomic
def update_edition(
    user, version: RepertoireVersion, *, title: str, status: str, date
) -> RepertoireVersion:
    _check_national(user)
    _check_draft(version)
    before = snapshot(version)
    version.title, version.status, version.date = " ".join(title.split()), status, date
    _full_clean(version, exclude=["based_on"])
    version.save(update_fields=["title", "status", "date"])
    _edition_changed(version)
    record(
        actor=user.get_username(),
        action="edition.update",
        instance=version,
        before=before,
        after=snapshot(version),
    )
    return version


def _job_snapshot(job: ReferenceJob) -> dict:
    return {
        **snapshot(job),
        "level": job.level.number,
        "degrees": {d.criterion.code: d.degree for d in job.degrees.select_related("criterion")},
    }


def rule_level(version: RepertoireVersion, degrees: dict[str, int]) -> int:
    """The level the edition's rule gives these degrees (criteria in the edition's order)."""
    criteria = version.criteria.order_by("position").values_list("code", flat=True)
    return get_rule(version.level_rule).level([degrees[code] for code in criteria])


@transaction.atomic
def save_job(
    user,
    version: RepertoireVersion,
    job: ReferenceJob | None = None,
    *,
    title: str,
    missions: str,
    requirements: str,
    degrees: dict[str, int],
    declared_level: int | None = None,
) -> ReferenceJob:
    """Add a job to a draft edition (``job`` None) or change one: texts, degrees, level.

    The level is the rule's for the degrees; a declared level that disagrees is kept,
    and flagged until the degrees or the level are corrected (publishing waits for it).
    Renaming keeps the job's code: the job is the same one, and links to it still work.
    """
    _check_national(user)
    _check_draft(version)
    if job is not None and job.version_id != version.pk:
        # Otherwise a draft's check would let a published edition's job be changed.
        raise Refused(f"l'emploi « {job.code} » n'est pas de l'édition {version.label}")
    errors: dict[str, list[str]] = {}
    title = " ".join(title.split())
    longest = ReferenceJob._meta.get_field("title").max_length
    if not title:
        errors.setdefault("title", []).append("l'intitulé est obligatoire")
    elif len(title) > longest:
        errors.setdefault("title", []).append(f"l'intitulé dépasse {longest} caractères")
    elif title_key(title) in {
        # The document tells jobs apart by title key (case, accents, gender marks aside):
        # two jobs with one key could not be written out and read back.
        title_key(other)
        for pair in version.jobs.exclude(pk=getattr(job, "pk", None)).values_list(
            "title", "heading"
        )
        for other in pair
    }:
        errors.setdefault("title", []).append(
            f"l'édition {version.label} a déjà un emploi « {title} »"
        )
    parsed = {}
    for name, text in (("missions", missions), ("requirements", requirements)):
        try:
            parsed[name] = [_item(item) for item in parse_items(text)]
        except ValueError as exc:
            errors.setdefault(name, []).append(str(exc))
            continue
        if not parsed[name]:
            errors.setdefault(name, []).append("au moins un point est nécessaire")
    criteria = list(version.criteria.order_by("position"))
    for criterion in criteria:
        value = degrees.get(criterion.code)
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not MIN_DEGREE <= value <= MAX_DEGREE
        ):
            errors.setdefault(criterion.code, []).append(
                f"degré de « {criterion.label} » entre {MIN_DEGREE} et {MAX_DEGREE} attendu"
            )
    if declared_level is not None and not MIN_LEVEL <= declared_level <= MAX_LEVEL:
        errors.setdefault("level", []).append(f"niveau entre {MIN_LEVEL} et {MAX_LEVEL} attendu")
    if errors:
        raise Refused(problems=errors)
    number = declared_level or rule_level(version, degrees)
    level = version.levels.get(number=number)
    author = user.get_username()
    before = _job_snapshot(job) if job else None
    if job is None:
        last = version.jobs.order_by("-position").values_list("position", flat=True).first()
        job = ReferenceJob(
            version=version, code=_free_code(version, title), position=(last or 0) + 1
        )
    if job.level_id != level.pk or job.level_definition_id is None:
        job.level_definition = level.definitions.order_by("position").first()
    job.title = job.heading = title
    job.level = level
    job.missions, job.requirements = parsed["missions"], parsed["requirements"]
    job.save()
    for criterion in criteria:
        JobDegree.objects.update_or_create(
            job=job, criterion=criterion, defaults={"degree": degrees[criterion.code]}
        )
    _rebuild_sommaire(version)
    _settle_title(version, job, author=author)
    _edition_changed(version)
    after = _job_snapshot(job)
    record(
        actor=author,
        action="job.update" if before else "job.add",
        instance=job,
        before=before,
        after=after,
    )
    return job


def _settle_title(version: RepertoireVersion, job: ReferenceJob, *, author: str) -> None:
    """A job now bears this title: appellations of other jobs that say the same are
    removed (they stood in for a job the edition lacked, as "Chargé d'accueil" did), and
    an announced job it describes is no longer listed as missing."""
    key = title_key(job.title)
    for alias in JobTitleAlias.objects.filter(job__version=version).exclude(job=job):
        if title_key(alias.title) == key:
            record(
                actor=author,
                action="appellation.remove",
                instance=alias,
                before={**snapshot(alias), "reason": f"intitulé de l'emploi {job.code}"},
            )
            alias.delete()
    missing = [title for title in version.missing_jobs if title_key(title) != key]
    if missing != version.missing_jobs:
        version.missing_jobs = missing
        version.save(update_fields=["missing_jobs"])


def _free_code(version: RepertoireVersion, title: str) -> str:
    # Room for the "-2", "-3"… that tell apart jobs whose titles give the same code.
    longest = ReferenceJob._meta.get_field("code").max_length - 4
    base = slugify(title)[:longest].strip("-") or "emploi"
    code, counter = base, 2
    while version.jobs.filter(code=code).exists():
        code, counter = f"{base}-{counter}", counter + 1
    return code


@transaction.atomic
def retire_job(user, job: ReferenceJob) -> None:
    """Take a job out of a draft edition; the diff then lists it as retired."""
    _check_national(user)
    version = job.version
    _check_draft(version)
    before = _job_snapshot(job)
    record(actor=user.get_username(), action="job.retire", instance=job, before=before)
    job.delete()
    _rebuild_sommaire(version)
    _edition_changed(version)


class PublicationRefused(Refused):
    """A draft that cannot be published yet, with every reason why."""

    def __init__(self, reasons: list[str]):
        self.reasons = reasons
        super().__init__(reasons)


@transaction.atomic
def publish_edition(
    user, version: RepertoireVersion, *, status: str | None = None
) -> RepertoireVersion:
    """Freeze a draft and make it the edition in force.

    Refused while the rule does not give every job its level: an edition whose levels
    contradict its own rule cannot be the reference of anyone's classification.
    """
    _check_national(user)
    # Every edition locked, in one order: two publications at once must not both leave
    # their edition in force.
    list(RepertoireVersion.objects.select_for_update().order_by("pk").values_list("pk"))
    _check_draft(version)
    if status is not None and status not in RepertoireVersion.Status.values:
        raise Refused(problems={"status": f"statut « {status} » inconnu"})
    reasons = []
    if not version.jobs.exists():
        reasons.append("l'édition n'a aucun emploi")
    misclassified = calibrate(get_rule(version.level_rule), reference_profiles_of(version))
    reasons += [m.describe() for m in misclassified]
    if reasons:
        raise PublicationRefused(reasons)
    before = snapshot(version)
    RepertoireVersion.objects.filter(is_current=True).exclude(pk=version.pk).update(
        is_current=False
    )
    version.published_at = timezone.now()
    version.published_by = user.get_username()
    version.is_current = True
    version.status = status or version.status
    version.save(update_fields=["published_at", "published_by", "is_current", "status"])
    _edition_changed(version)
    record(
        actor=user.get_username(),
        action="edition.publish",
        instance=version,
        before=before,
        after=snapshot(version),
    )
    return version


@transaction.atomic
def decide_pairing(
    user,
    before: RepertoireVersion,
    after: RepertoireVersion,
    before_code: str,
    after_code: str | None,
) -> EditionPairing:
    """Confirm that ``after_code`` succeeds ``before_code`` (None: no successor).

    Several jobs may have the same successor: jobs merged into one."""
    _check_national(user)
    if before.pk == after.pk:
        raise Refused(problems={"after": "une édition ne s'apparie pas avec elle-même"})
    if after.is_frozen:
        # Establishments migrate by these pairs: they do not move under them.
        raise EditionFrozen(
            f"l'édition {after.label} est publiée : ses appariements ne changent plus"
        )
    if not before.jobs.filter(code=before_code).exists():
        raise Refused(problems={"before": f"aucun emploi « {before_code} » dans {before.label}"})
    if after_code and not after.jobs.filter(code=after_code).exists():
        raise Refused(problems={"after": f"aucun emploi « {after_code} » dans {after.label}"})
    pairing, _ = EditionPairing.objects.update_or_create(
        before=before,
        after=after,
        before_code=before_code,
        defaults={"after_code": after_code or "", "decided_by": user.get_username()},
    )
    record(
        actor=user.get_username(),
        action="edition.pairing",
        instance=after,
        after={"from": before.label, "job": before_code, "successor": after_code},
    )
    return pairing


@transaction.atomic
def forget_pairing(user, pairing: EditionPairing) -> None:
    """Back to the automatic pairing for this job."""
    _check_national(user)
    if pairing.after.is_frozen:
        raise EditionFrozen(
            f"l'édition {pairing.after.label} est publiée : ses appariements ne changent plus"
        )
    record(
        actor=user.get_username(),
        action="edition.pairing.forget",
        instance=pairing.after,
        before={
            "from": pairing.before.label,
            "job": pairing.before_code,
            "successor": pairing.after_code or None,
        },
    )
    pairing.delete()
