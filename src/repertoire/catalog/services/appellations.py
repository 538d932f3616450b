"""Appellations: the other titles a reference job is known by (curated, typed in, imported,
or learnt from validated positionings)."""

from __future__ import annotations

from django.db import transaction

from repertoire.audit.services import record, snapshot
from repertoire.bundled import curated_appellations, read_appellations
from repertoire.catalog.models import Appellation, Edition, ReferenceJob
from repertoire.catalog.services.common import edition_changed
from repertoire.core.document import DocumentError, DocumentInvalid
from repertoire.core.limits import shown
from repertoire.core.refusals import Refused
from repertoire.core.spreadsheet_cells import restored_text
from repertoire.core.tables import TableInvalid


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
    edition_changed(edition)
    return len(created)


def add_appellation(
    job: ReferenceJob, title: str, *, author: str, source: str = Appellation.Source.MANUAL
) -> tuple[Appellation, bool]:
    """Record that ``title`` means ``job``; the positioning workflow calls this with
    ``source="validated"`` when a positioning is validated. Returns (alias, created)."""
    title = " ".join(title.split())
    if not title:
        raise Refused("une appellation ne peut pas être vide")
    with transaction.atomic():
        alias, created = Appellation.objects.get_or_create(
            job=job, title=title, defaults={"source": source, "created_by": author}
        )
        if created:
            edition_changed(job.edition)
            record(actor=author, action="appellation.add", instance=alias, after=snapshot(alias))
    return alias, created


def remove_appellation(alias: Appellation, *, author: str = "system") -> None:
    with transaction.atomic():
        edition = alias.job.edition
        before = snapshot(alias)
        record(actor=author, action="appellation.remove", instance=alias, before=before)
        alias.delete()
        edition_changed(edition)


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
        else:
            wanted.setdefault((row["code"], title), source)
    if errors:
        raise DocumentInvalid(errors)
    existing = set(
        Appellation.objects.filter(job__edition=edition).values_list("job__code", "title")
    )
    new = [
        Appellation(job=jobs[code], title=title, source=source, created_by=author)
        for (code, title), source in wanted.items()
        if (code, title) not in existing
    ]
    with transaction.atomic():
        Appellation.objects.bulk_create(new)
        if new:
            edition_changed(edition)
            record(
                actor=author,
                action="appellation.import",
                instance=edition,
                after={"created": [f"{alias.job.code}: {alias.title}" for alias in new]},
            )
    return {"created": len(new), "unchanged": len(wanted) - len(new)}


def rebuild_matching_index(edition: Edition) -> None:
    """Make every process rebuild its title-matching index for the edition."""
    edition_changed(edition)
