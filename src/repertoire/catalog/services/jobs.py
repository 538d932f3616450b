"""The reference jobs of a draft edition: add one, change it (texts, degrees, level), retire it."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from repertoire.audit.services import record, snapshot
from repertoire.catalog.models import Appellation, Edition, JobDegree, ReferenceJob
from repertoire.catalog.selectors import job_etag
from repertoire.catalog.services.common import (
    check_draft,
    check_national,
    edition_changed,
    item_dict,
    rebuild_sommaire,
)
from repertoire.core.editions import parse_items
from repertoire.core.grid import MAX_DEGREE, MAX_LEVEL, MIN_DEGREE, MIN_LEVEL, get_rule
from repertoire.core.limits import LONG_TEXT_MAX
from repertoire.core.refusals import Conflict, Refused
from repertoire.core.text import slugify, title_key
from repertoire.locking import locked


def _job_snapshot(job: ReferenceJob) -> dict:
    return {
        **snapshot(job),
        "level": job.level.number,
        "degrees": {d.criterion.code: d.degree for d in job.degrees.select_related("criterion")},
    }


def rule_level(edition: Edition, degrees: dict[str, int]) -> int:
    """The level the edition's rule gives these degrees (criteria in the edition's order)."""
    criteria = edition.criteria.order_by("position").values_list("code", flat=True)
    return get_rule(edition.level_rule).level([degrees[code] for code in criteria])


@transaction.atomic
def save_job(
    user,
    edition: Edition,
    job: ReferenceJob | None = None,
    *,
    title: str,
    missions: str,
    requirements: str,
    degrees: dict[str, int],
    declared_level: int | None = None,
    seen: str | None = None,
) -> ReferenceJob:
    """Add a job to a draft edition (``job`` None) or change one: texts, degrees, level.

    The level is the rule's for the degrees; a declared level that disagrees is kept,
    and flagged until the degrees or the level are corrected (publishing waits for it).
    Renaming keeps the job's code: the job is the same one, and links to it still work.
    ``seen``: the etag of the job as the editor's form showed it (``selectors.job_etag``);
    refused (``Conflict``) when someone else saved it meanwhile.
    """
    check_national(user)
    check_draft(edition)
    if job is not None and job.edition_id != edition.pk:
        # Otherwise a draft's check would let a published edition's job be changed.
        raise Refused(f"l'emploi « {job.code} » n'est pas de l'édition {edition.label}")
    if job is not None and not ReferenceJob.objects.filter(pk=job.pk).exists():
        # Saving it would bring it back.
        raise Conflict(
            _("The job %(code)s was retired from the edition meanwhile: nothing was saved.")
            % {"code": job.code}
        )
    if job is not None:
        locked(job)
        if seen is not None and job_etag(job) != seen:
            raise Conflict(
                _(
                    "The job %(code)s was changed meanwhile by another administrator: nothing "
                    "was saved. Reload it to see their changes."
                )
                % {"code": job.code}
            )
    title = " ".join(title.split())
    criteria = list(edition.criteria.order_by("position"))
    parsed = _checked_job(
        edition, job, title, missions, requirements, criteria, degrees, declared_level
    )
    number = declared_level or rule_level(edition, degrees)
    level = edition.levels.get(number=number)
    author = user.get_username()
    before = _job_snapshot(job) if job else None
    if job is None:
        last = edition.jobs.order_by("-position").values_list("position", flat=True).first()
        job = ReferenceJob(
            edition=edition, code=_free_code(edition, title), position=(last or 0) + 1
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
    rebuild_sommaire(edition)
    _settle_title(edition, job, author=author)
    edition_changed(edition)
    after = _job_snapshot(job)
    record(
        actor=author,
        action="job.update" if before else "job.add",
        instance=job,
        before=before,
        after=after,
    )
    return job


def _checked_job(
    edition: Edition,
    job: ReferenceJob | None,
    title: str,
    missions: str,
    requirements: str,
    criteria: list,
    degrees: dict[str, int],
    declared_level: int | None,
) -> dict[str, list[dict]]:
    """The job's missions and requirements as items; refused, by field (degrees by
    criterion code), with everything wrong in the title, the texts, degrees and level."""
    errors: dict[str, list[str]] = {}
    longest = ReferenceJob._meta.get_field("title").max_length
    if not title:
        errors.setdefault("title", []).append("l'intitulé est obligatoire")
    elif len(title) > longest:
        errors.setdefault("title", []).append(f"l'intitulé dépasse {longest} caractères")
    elif title_key(title) in {
        # The document tells jobs apart by title key (case, accents, gender marks aside):
        # two jobs with one key could not be written out and read back.
        title_key(other)
        for pair in edition.jobs.exclude(pk=getattr(job, "pk", None)).values_list(
            "title", "heading"
        )
        for other in pair
    }:
        errors.setdefault("title", []).append(
            f"l'édition {edition.label} a déjà un emploi « {title} »"
        )
    parsed = {}
    for name, text in (("missions", missions), ("requirements", requirements)):
        if len(text) > LONG_TEXT_MAX:
            errors.setdefault(name, []).append(f"{len(text)} caractères, {LONG_TEXT_MAX} au plus")
            continue
        try:
            parsed[name] = [item_dict(item) for item in parse_items(text)]
        except ValueError as exc:
            errors.setdefault(name, []).append(str(exc))
            continue
        if not parsed[name]:
            errors.setdefault(name, []).append("au moins un point est nécessaire")
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
    return parsed


def _settle_title(edition: Edition, job: ReferenceJob, *, author: str) -> None:
    """A job now bears this title: appellations of other jobs that say the same are
    removed (they stood in for a job the edition lacked, as "Chargé d'accueil" did), and
    an announced job it describes is no longer listed as missing."""
    key = title_key(job.title)
    for alias in Appellation.objects.filter(job__edition=edition).exclude(job=job):
        if title_key(alias.title) == key:
            record(
                actor=author,
                action="appellation.remove",
                instance=alias,
                before={**snapshot(alias), "reason": f"intitulé de l'emploi {job.code}"},
            )
            alias.delete()
    missing = [title for title in edition.missing_jobs if title_key(title) != key]
    if missing != edition.missing_jobs:
        edition.missing_jobs = missing
        edition.save(update_fields=["missing_jobs"])


def _free_code(edition: Edition, title: str) -> str:
    # Room for the "-2", "-3"… that tell apart jobs whose titles give the same code.
    longest = ReferenceJob._meta.get_field("code").max_length - 4
    base = slugify(title)[:longest].strip("-") or "emploi"
    code, counter = base, 2
    while edition.jobs.filter(code=code).exists():
        code, counter = f"{base}-{counter}", counter + 1
    return code


@transaction.atomic
def retire_job(user, job: ReferenceJob) -> None:
    """Take a job out of a draft edition; the diff then lists it as retired."""
    check_national(user)
    edition = job.edition
    check_draft(edition)
    before = _job_snapshot(job)
    record(actor=user.get_username(), action="job.retire", instance=job, before=before)
    job.delete()
    rebuild_sommaire(edition)
    edition_changed(edition)
