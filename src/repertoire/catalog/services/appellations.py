"""Appellations: the other titles a reference job is known by (curated, typed in, imported,
or learnt from validated positionings)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F, Q

from repertoire.accounts.models import Role
from repertoire.accounts.selectors import role_of
from repertoire.audit.services import record, snapshot
from repertoire.bundled import curated_appellations, read_appellations
from repertoire.catalog.models import Appellation, Edition, ReferenceJob
from repertoire.catalog.services.common import appellations_changed
from repertoire.core.document import DocumentError, DocumentInvalid
from repertoire.core.limits import shown
from repertoire.core.refusals import Conflict, NotAllowed, Refused
from repertoire.core.spreadsheet_cells import restored_text
from repertoire.core.tables import TableInvalid
from repertoire.core.text import normalize_title
from repertoire.organisation.models import Establishment


def seed_curated_appellations(edition: Edition, *, author: str) -> int:
    """Give the edition's jobs the curated appellations of the jobs with the same code."""
    jobs = {job.code: job for job in edition.jobs.all()}
    aliases = [
        Appellation(
            job=jobs[row["code"]],
            title=row["appellation"],
            source=Appellation.Source.CURATED,
            created_by=author,
        )
        for _, row in curated_appellations().rows
        if row["code"] in jobs and row["appellation"]
    ]
    created = Appellation.objects.bulk_create(aliases, ignore_conflicts=True)
    appellations_changed(edition)
    return len(created)


def add_appellation(
    job: ReferenceJob, title: str, *, author: str, source: str = Appellation.Source.MANUAL
) -> tuple[Appellation, bool]:
    """Record that ``title`` means ``job`` for the whole network. Returns (alias, created).

    Refused when the title already means another job of the edition: a title is never an
    appellation of two jobs (use ``learn_appellation`` for a decision's feedback)."""
    title = " ".join(title.split())
    if not title:
        raise Refused("une appellation ne peut pas être vide")
    with transaction.atomic():
        _lock_appellations(job.edition)
        alias = Appellation.objects.filter(job=job, title=title, establishment__isnull=True).first()
        if alias is not None:
            return alias, False
        other = _other_job_meaning(job, title, establishment_id=None)
        if other is not None:
            raise Refused(
                f"« {shown(title)} » désigne déjà l'emploi {other.title} : "
                "un intitulé n'est l'appellation que d'un seul emploi"
            )
        alias = Appellation.objects.create(job=job, title=title, source=source, created_by=author)
        appellations_changed(job.edition)
        record(actor=author, action="appellation.add", instance=alias, after=snapshot(alias))
    return alias, True


def _lock_appellations(edition: Edition) -> None:
    """The edition's row locked until the transaction ends: who adds an appellation to it
    waits for whoever is adding one, and sees it (a title never ends up meaning two jobs
    because two decisions taught it at the same moment)."""
    list(Edition.objects.select_for_update(no_key=True).filter(pk=edition.pk).values_list("pk"))


def _other_job_meaning(
    job: ReferenceJob, title: str, *, establishment_id: int | None
) -> ReferenceJob | None:
    """Another job of the edition that ``title`` already means (its title, a network's
    appellation, or one of the establishment's), or None."""
    key = normalize_title(title)
    for other in job.edition.jobs.exclude(pk=job.pk).only("pk", "code", "title"):
        if normalize_title(other.title) == key:
            return other
    in_use = Q(establishment__isnull=True)
    if establishment_id is not None:
        in_use |= Q(establishment_id=establishment_id)
    for alias in (
        Appellation.objects.filter(
            in_use, job__edition=job.edition, status=Appellation.Status.ACTIVE
        )
        .exclude(job=job)
        .select_related("job")
        .only("title", "job__code", "job__title")
    ):
        if normalize_title(alias.title) == key:
            return alias.job
    return None


def learn_appellation(
    job: ReferenceJob, title: str, establishment: Establishment, *, author: str, people: int = 1
) -> Appellation | None:
    """What an establishment's decision teaches: ``title`` means ``job`` there.

    The appellation is the establishment's own (its matching uses it, no other's does)
    until a national administrator promotes it. When the title already means another job
    (for the network or for this establishment), it is not made an appellation of both:
    the existing one is kept and the conflict is kept aside for review. Nothing is learnt
    for a title already known or already rejected. Returns the row written, or None."""
    title = " ".join(title.split())[: Appellation._meta.get_field("title").max_length]
    if not title:
        return None
    with transaction.atomic():
        _lock_appellations(job.edition)
        known = Appellation.objects.filter(job=job, title=title).filter(
            Q(establishment__isnull=True) | Q(establishment=establishment)
        )
        mine = known.filter(establishment=establishment).first()
        if mine is not None:
            if mine.status != Appellation.Status.REJECTED:
                Appellation.objects.filter(pk=mine.pk).update(people=F("people") + people)
            return None
        if known.exists() or normalize_title(title) == normalize_title(job.title):
            return None
        other = _other_job_meaning(job, title, establishment_id=establishment.pk)
        alias = Appellation.objects.create(
            job=job,
            title=title,
            source=Appellation.Source.VALIDATED,
            created_by=author,
            establishment=establishment,
            status=Appellation.Status.CONFLICT if other else Appellation.Status.ACTIVE,
            conflicting_job=other,
            people=people,
        )
        if other is None:
            appellations_changed(job.edition)
        # The establishment's own title, and how many of its people hold it: its journal.
        record(
            actor=author,
            action="appellation.conflict" if other else "appellation.add",
            instance=alias,
            after=snapshot(alias),
            establishment=establishment,
        )
    return alias


def promote_appellation(user, alias: Appellation) -> Appellation:
    """A national administrator makes an establishment's appellation the network's.

    Refused for a conflict, and when the title means another job for the network
    meanwhile. The establishment's row goes; the network's takes its place."""
    check_reviewer(user)
    with transaction.atomic():
        _lock_appellations(alias.job.edition)
        alias = _under_review(alias)
        before, learnt_by = snapshot(alias), alias.establishment
        if alias.status == Appellation.Status.CONFLICT:
            raise Refused(
                f"« {shown(alias.title)} » désigne déjà l'emploi {alias.conflicting_job.title} : "
                "rejetez cette appellation, ou retirez d'abord l'autre"
            )
        other = _other_job_meaning(alias.job, alias.title, establishment_id=None)
        if other is not None:
            raise Refused(
                f"« {shown(alias.title)} » désigne déjà l'emploi {other.title} pour le réseau"
            )
        national = Appellation.objects.filter(
            job=alias.job, title=alias.title, establishment__isnull=True
        ).first()
        if national is None:
            alias.establishment = None
            alias.save(update_fields=["establishment"])
            national = alias
        else:
            alias.delete()
        appellations_changed(national.job.edition)
        record(
            actor=user.get_username(),
            action="appellation.promote",
            instance=national,
            before=before,
            after=snapshot(national),
            establishment=learnt_by,
        )
    return national


def reject_appellation(user, alias: Appellation) -> Appellation:
    """A national administrator rejects what an establishment learnt: the title no longer
    means the job there, and the same decision does not teach it again."""
    check_reviewer(user)
    with transaction.atomic():
        _lock_appellations(alias.job.edition)
        alias = _under_review(alias)
        before = snapshot(alias)
        was_active = alias.status == Appellation.Status.ACTIVE
        alias.status = Appellation.Status.REJECTED
        alias.save(update_fields=["status"])
        if was_active:
            appellations_changed(alias.job.edition)
        record(
            actor=user.get_username(),
            action="appellation.reject",
            instance=alias,
            before=before,
            after=snapshot(alias),
            establishment=alias.establishment,
        )
    return alias


def _under_review(alias: Appellation) -> Appellation:
    """The appellation read again under the lock; a Conflict when someone reviewed it
    meanwhile."""
    current = (
        Appellation.objects.select_for_update(of=("self",))
        .select_related("job__edition", "conflicting_job", "establishment")
        .filter(pk=alias.pk)
        .first()
    )
    if current is None or current.establishment_id is None:
        raise Conflict(f"l'appellation « {shown(alias.title)} » a déjà été examinée")
    if current.status == Appellation.Status.REJECTED:
        raise Conflict(f"l'appellation « {shown(alias.title)} » a déjà été rejetée")
    return current


def check_reviewer(user) -> None:
    if role_of(user) != Role.NATIONAL:
        raise NotAllowed("seuls les administrateurs nationaux examinent les appellations apprises")


def remove_appellation(alias: Appellation, *, author: str = "system") -> None:
    with transaction.atomic():
        edition = alias.job.edition
        before = snapshot(alias)
        record(actor=author, action="appellation.remove", instance=alias, before=before)
        alias.delete()
        appellations_changed(edition)


def import_appellations(edition: Edition, data: bytes, *, author: str) -> dict:
    """Add the appellations of a CSV file (code, appellation[, source]); all or nothing.

    Rows already known change nothing, so importing the same file twice is harmless.
    """
    try:
        table = read_appellations(data)
    except TableInvalid as exc:
        raise DocumentInvalid([DocumentError(exc.line, exc.message)]) from None
    jobs = {job.code: job for job in edition.jobs.all()}
    sources = set(Appellation.Source.values)
    longest = Appellation._meta.get_field("title").max_length
    errors, wanted = [], {}
    # What each title already means for the network (job titles, appellations in use).
    meant = {normalize_title(job.title): code for code, job in jobs.items()}
    for code, title in Appellation.objects.filter(
        job__edition=edition, establishment__isnull=True, status=Appellation.Status.ACTIVE
    ).values_list("job__code", "title"):
        meant.setdefault(normalize_title(title), code)
    for line, row in table.rows:
        # The export marks a title starting like a formula with a quote: it reads back.
        title = " ".join(restored_text(row["appellation"]).split())
        source = row.get("source") or Appellation.Source.MANUAL
        if row["code"] not in jobs:
            errors.append(
                DocumentError(
                    line, f"emploi « {shown(row['code'])} » inconnu dans l'édition {edition.label}"
                )
            )
        elif not title:
            errors.append(DocumentError(line, "appellation vide"))
        elif len(title) > longest:
            errors.append(
                DocumentError(line, f"appellation de {len(title)} caractères, {longest} au plus")
            )
        elif source not in sources:
            errors.append(
                DocumentError(
                    line, f"source « {shown(source)} » inconnue ({', '.join(sorted(sources))})"
                )
            )
        elif meant.setdefault(normalize_title(title), row["code"]) != row["code"]:
            other = jobs[meant[normalize_title(title)]]
            errors.append(
                DocumentError(
                    line,
                    f"« {shown(title)} » désigne déjà l'emploi {other.title} : un intitulé "
                    "n'est l'appellation que d'un seul emploi",
                )
            )
        else:
            wanted.setdefault((row["code"], title), source)
    if errors:
        raise DocumentInvalid(errors)
    existing = set(
        Appellation.objects.filter(job__edition=edition, establishment__isnull=True).values_list(
            "job__code", "title"
        )
    )
    new = [
        Appellation(job=jobs[code], title=title, source=source, created_by=author)
        for (code, title), source in wanted.items()
        if (code, title) not in existing
    ]
    with transaction.atomic():
        Appellation.objects.bulk_create(new)
        if new:
            appellations_changed(edition)
            record(
                actor=author,
                action="appellation.import",
                instance=edition,
                after={"created": [f"{alias.job.code}: {alias.title}" for alias in new]},
            )
    return {"created": len(new), "unchanged": len(wanted) - len(new)}


@transaction.atomic
def rebuild_matching_index(user, edition: Edition) -> None:
    """Make every process rebuild its title-matching index for the edition: national
    administrators only, journaled (its published files are kept)."""
    if role_of(user) != Role.NATIONAL:
        raise NotAllowed("seuls les administrateurs nationaux reconstruisent l'index")
    appellations_changed(edition)
    record(actor=user.get_username(), action="edition.reindex", instance=edition)
