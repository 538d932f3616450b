"""Reads of the jobs' ROME codes: per job, per edition, per ROME code, and against the
correspondence shipped in the package, with the journal's applications of it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from repertoire.audit.models import JournalEntry
from repertoire.bundled import rome_correspondence
from repertoire.catalog.models import Edition, JobRome, ReferenceJob
from repertoire.core.rome import (
    PRIMARY,
    CorrespondenceDiff,
    RomeLink,
    RomeReferential,
    code_entries,
    codes_fingerprint,
    compare_correspondence,
    load_rome,
)


def rome_codes(edition: Edition) -> dict[str, list[str]]:
    """The ROME codes of the edition's jobs, by job code, the primary code first."""
    codes: dict[str, list[str]] = {}
    rows = JobRome.objects.filter(job__edition=edition).values_list(
        "job__code", "rome_code", "role"
    )
    for job, code, _role in sorted(rows, key=lambda row: (row[2] != PRIMARY, row[1])):
        codes.setdefault(job, []).append(code)
    return codes


def rome_entries(rows: Iterable[JobRome], rome: RomeReferential | None = None) -> list[dict]:
    """A job's ROME codes, primary first: code, title (None for a code the shipped
    referential no longer knows), role, primary."""
    return code_entries(rows, rome or load_rome())


def esco_entries(codes: Iterable[str], rome: RomeReferential | None = None) -> list[dict]:
    """The ESCO occupations of ROME codes (in the codes' order, each once): uri, label."""
    rome = rome or load_rome()
    seen: dict[str, dict] = {}
    for code in codes:
        if code in rome:
            for occupation in rome.esco(code):
                seen.setdefault(occupation.uri, {"uri": occupation.uri, "label": occupation.label})
    return list(seen.values())


def rome_of(job: ReferenceJob) -> dict:
    """``{"rome": [...], "esco": [...]}`` for one job."""
    rome = rome_entries(job.rome_codes.all())
    return {"rome": rome, "esco": esco_entries(entry["code"] for entry in rome)}


def rome_by_job(edition: Edition) -> dict[str, dict]:
    """``rome_of`` for every job of the edition, by job code, in one query."""
    rows: dict[str, list[JobRome]] = {job.code: [] for job in edition.jobs.only("code")}
    for row in JobRome.objects.filter(job__edition=edition).select_related("job"):
        rows.setdefault(row.job.code, []).append(row)
    result = {}
    for code, found in rows.items():
        rome = rome_entries(found)
        result[code] = {"rome": rome, "esco": esco_entries(entry["code"] for entry in rome)}
    return result


def jobs_for_rome(edition: Edition, code: str) -> list[tuple[ReferenceJob, str]]:
    """The edition's jobs that correspond to a ROME code, with the code's role for each."""
    rows = (
        JobRome.objects.filter(job__edition=edition, rome_code=code)
        .select_related("job__level")
        .order_by("job__position")
    )
    return [(row.job, row.role) for row in rows]


def jobs_without_rome(edition: Edition) -> QuerySet[ReferenceJob]:
    return edition.jobs.filter(rome_codes__isnull=True).order_by("position")


def common_appellations(job: ReferenceJob, limit: int = 12) -> list[str]:
    """The ROME appellations of the job's primary code people commonly use (sorted)."""
    primary = job.rome_codes.filter(role=PRIMARY).values_list("rome_code", flat=True).first()
    rome = load_rome()
    if primary is None or primary not in rome:
        return []
    return sorted(rome.appellations(primary), key=str.lower)[:limit]


# The journal's action for a change of a job's ROME codes, and the keys saying which
# application of the shipped correspondence made it, or undid one.
ROME_ACTION = "job.rome"
APPLICATION = "application"
UNDOES = "undoes"


def seen_codes(job: ReferenceJob) -> str:
    """The job's ROME codes as a form carries them, to tell later whether they changed."""
    return codes_fingerprint(job.rome_codes.all())


def correspondence_diff(edition: Edition, codes: Iterable[str] | None = None) -> CorrespondenceDiff:
    """The edition's jobs (those of ``codes`` only, when given) against the ROME
    correspondence shipped in the package: for each job it knows whose codes differ, the
    codes added, dropped and the primary code changed; the jobs it does not know."""
    jobs = edition.jobs.order_by("position")
    rows = JobRome.objects.filter(job__edition=edition)
    if codes is not None:
        codes = list(codes)
        jobs = jobs.filter(code__in=codes)
        rows = rows.filter(job__code__in=codes)
    return compare_correspondence(
        jobs.values_list("code", "title"),
        [RomeLink(*row) for row in rows.values_list("job__code", "rome_code", "role")],
        rome_correspondence(),
    )


@dataclass(frozen=True)
class RomeApplication:
    """One application of the shipped correspondence to a draft, as the journal holds it:
    who, when, and each job's codes before and after (``"M1602 (primary)"``, as
    journaled)."""

    key: str
    actor: str
    at: object  # datetime
    entries: tuple[JournalEntry, ...]

    @property
    def jobs(self) -> int:
        return len(self.entries)


def rome_applications(edition: Edition) -> list[RomeApplication]:
    """The edition's applications of the shipped ROME correspondence not undone yet, the
    last first: each can be undone while its jobs still carry the codes it gave them."""
    jobs = [str(pk) for pk in edition.jobs.values_list("pk", flat=True)]
    about = JournalEntry.objects.filter(
        action=ROME_ACTION, object_type=ReferenceJob._meta.label_lower, object_id__in=jobs
    )
    undone = set(about.filter(after__has_key=UNDOES).values_list(f"after__{UNDOES}", flat=True))
    grouped: dict[str, list[JournalEntry]] = {}
    for entry in about.filter(after__has_key=APPLICATION).order_by("id"):
        key = entry.after[APPLICATION]
        if key not in undone:
            grouped.setdefault(key, []).append(entry)
    applications = [
        RomeApplication(key, entries[-1].actor, entries[-1].at, tuple(entries))
        for key, entries in grouped.items()
    ]
    return sorted(applications, key=lambda a: (a.at, a.entries[-1].pk), reverse=True)


def last_rome_application(edition: Edition) -> RomeApplication | None:
    """The edition's last application of the shipped ROME correspondence not undone."""
    applications = rome_applications(edition)
    return applications[0] if applications else None
