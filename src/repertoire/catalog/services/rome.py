"""The ROME codes of an edition's reference jobs: seeded from the bundled correspondence
when an edition is imported, copied with a draft, changed by national administrators on a
draft (journaled), job by job or by applying the correspondence a newer package ships."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping

from django.db import transaction
from django.utils.translation import gettext as _

from repertoire.audit.services import record
from repertoire.bundled import ROME_CORRESPONDENCE, rome_correspondence
from repertoire.catalog.models import Edition, JobRome, ReferenceJob
from repertoire.catalog.selectors import (
    APPLICATION,
    ROME_ACTION,
    UNDOES,
    correspondence_diff,
    rome_applications,
    seen_codes,
)
from repertoire.catalog.services.common import check_draft, check_national, edition_changed
from repertoire.core.limits import shown
from repertoire.core.refusals import Conflict, Refused
from repertoire.core.rome import PRIMARY, SECONDARY, load_rome, normalise_code, ordered
from repertoire.locking import lock_rows, locked

# The most ROME codes one job carries: beyond, the correspondence says nothing useful.
MAX_ROME_CODES = 8
_SEPARATORS = re.compile(r"[\s,;]+")


def seed_rome_correspondence(edition: Edition, *, author: str) -> int:
    """Give the edition's jobs the ROME codes of the bundled correspondence (by job code)."""
    jobs = {job.code: job for job in edition.jobs.all()}
    rows = [
        JobRome(
            job=jobs[link.job_code], rome_code=link.rome_code, role=link.role, created_by=author
        )
        for link in rome_correspondence()
        if link.job_code in jobs
    ]
    created = JobRome.objects.bulk_create(rows, ignore_conflicts=True)
    return len(created)


def copy_rome_codes(pairs: list[tuple[ReferenceJob, ReferenceJob]]) -> None:
    """Give each new job (a draft's copy) the ROME codes of the job it was copied from."""
    old = {job.pk: new for job, new in pairs}
    JobRome.objects.bulk_create(
        JobRome(
            job=old[row.job_id], rome_code=row.rome_code, role=row.role, created_by=row.created_by
        )
        for row in JobRome.objects.filter(job__in=list(old))
    )


def parse_codes(text: str) -> list[str]:
    """``m1203, M1607 K2111`` → the codes as typed, in order, once each."""
    found: list[str] = []
    for part in _SEPARATORS.split(text or ""):
        if part and part not in found:
            found.append(part)
    return found


def _checked_codes(primary: str, secondary: list[str]) -> tuple[str, list[str]]:
    rome = load_rome()
    problems: dict[str, str] = {}
    unknown = []
    wanted_primary = normalise_code(primary)
    if not (primary or "").strip():
        problems["primary"] = _("The primary ROME code is required.")
    elif wanted_primary is None or wanted_primary not in rome:
        problems["primary"] = _("%(code)s is not a ROME code (%(version)s).") % {
            "code": shown(primary.strip()),
            "version": rome.version,
        }
    codes: list[str] = []
    for typed in secondary:
        code = normalise_code(typed)
        if code is None or code not in rome:
            unknown.append(shown(typed))
        elif code != wanted_primary and code not in codes:
            codes.append(code)
    if unknown:
        problems["secondary"] = _("Not ROME codes (%(version)s): %(codes)s.") % {
            "codes": ", ".join(unknown),
            "version": rome.version,
        }
    if len(codes) + 1 > MAX_ROME_CODES:
        problems["secondary"] = _("At most %(count)d ROME codes per job.") % {
            "count": MAX_ROME_CODES
        }
    if problems:
        raise Refused(problems=problems)
    return wanted_primary or "", codes


def _described(rows) -> list[str]:
    """A job's codes as journaled, primary first: ``["M1602 (primary)", …]``."""
    return [f"{row.rome_code} ({row.role})" for row in ordered(rows)]


def _parsed(described: list[str]) -> list[tuple[str, str]]:
    """(code, role) pairs of journaled codes (``_described``)."""
    return [(text.split(" (")[0], text.split(" (")[1].rstrip(")")) for text in described]


@transaction.atomic
def set_job_rome_codes(
    user,
    job: ReferenceJob,
    *,
    primary: str,
    secondary: list[str] | str = (),
    seen: str | None = None,
) -> list[JobRome]:
    """Replace a draft job's ROME codes: one primary code, any secondary ones.

    Refused for anyone but a national administrator, on a published edition, and for a
    code the shipped ROME does not know (each named). ``seen`` (``seen_codes`` when the
    form was shown): when someone changed the codes meanwhile, a Conflict, nothing
    written. Journaled with its author.
    """
    check_national(user)
    edition = job.edition
    check_draft(edition)
    if isinstance(secondary, str):
        secondary = parse_codes(secondary)
    code, others = _checked_codes(primary, list(secondary))
    try:
        locked(job)
    except ReferenceJob.DoesNotExist:
        raise Conflict(
            _("The job %(code)s was retired from the edition meanwhile: nothing was saved.")
            % {"code": job.code}
        ) from None
    if seen is not None and seen_codes(job) != " ".join(seen.split()):
        raise Conflict(
            _("The ROME codes of %(job)s were changed meanwhile: nothing was saved.")
            % {"job": job.title}
        )
    before = list(job.rome_codes.all())
    author = user.get_username()
    job.rome_codes.all().delete()
    rows = JobRome.objects.bulk_create(
        [JobRome(job=job, rome_code=code, role=PRIMARY, created_by=author)]
        + [JobRome(job=job, rome_code=other, role=SECONDARY, created_by=author) for other in others]
    )
    edition_changed(edition)
    record(
        actor=author,
        action=ROME_ACTION,
        instance=job,
        before={"code": job.code, "rome": _described(before)},
        after={"code": job.code, "rome": _described(rows)},
    )
    return rows


@transaction.atomic
def apply_rome_correspondence(
    user,
    edition: Edition,
    *,
    jobs: Iterable[str] | None = None,
    seen: Mapping[str, str] | None = None,
) -> int:
    """Give a draft's jobs the ROME codes of the correspondence shipped in the package.

    ``jobs``: the codes of the jobs chosen (by default, every job whose codes differ from
    the correspondence's); a chosen job whose codes are already those is left as it is.
    ``seen``: each chosen job's codes as the comparison showed them
    (``CodesChange.seen``); when one changed meanwhile, or was retired, a Conflict. A job
    the edition does not hold, or the correspondence does not know, is refused. All or
    nothing; refused for anyone but a national administrator and on a published edition.
    Each job changed is journaled (``job.rome``, its ``source`` the shipped file, one
    ``application`` key for all: ``undo_rome_application`` puts them back). Returns how many
    jobs changed.
    """
    check_national(user)
    check_draft(edition)
    seen = seen or {}
    chosen = None if jobs is None else list(dict.fromkeys(jobs))
    if chosen is not None and not chosen:
        raise Refused(_("No job chosen: nothing was changed."))
    held = lock_rows(edition.jobs.all() if chosen is None else edition.jobs.filter(code__in=chosen))
    by_code = {job.code: job for job in held}
    missing = [code for code in chosen or () if code not in by_code]
    if any(code in seen for code in missing):
        raise Conflict(
            _("A job was retired from the edition meanwhile (%(codes)s): nothing was changed.")
            % {"codes": ", ".join(shown(code) for code in missing)}
        )
    if missing:
        raise Refused(
            _("No such job in edition %(label)s: %(codes)s.")
            % {"label": edition.label, "codes": ", ".join(shown(code) for code in missing)}
        )
    diff = correspondence_diff(edition, chosen)
    unknown = [code for code in chosen or () if code in diff.unknown]
    if unknown:
        raise Refused(
            _("The ROME correspondence shipped with the application does not know %(jobs)s.")
            % {"jobs": ", ".join(by_code[code].title for code in unknown)}
        )
    changes = [change for change in diff.changes if chosen is None or change.job_code in chosen]
    meanwhile = [
        by_code[code].title
        for code in chosen or ()
        if code in seen and seen_codes(by_code[code]) != " ".join(seen[code].split())
    ]
    if meanwhile:
        raise Conflict(
            _(
                "The ROME codes of %(jobs)s were changed meanwhile: nothing was changed. "
                "Look at the differences again, then decide."
            )
            % {"jobs": ", ".join(meanwhile)}
        )
    author = user.get_username()
    application = uuid.uuid4().hex
    for change in changes:
        job = by_code[change.job_code]
        _replace_codes(
            job,
            [(link.rome_code, link.role) for link in change.shipped],
            author,
            {"source": ROME_CORRESPONDENCE, APPLICATION: application},
        )
    if changes:
        edition_changed(edition)
    return len(changes)


@transaction.atomic
def undo_rome_application(user, edition: Edition, application: str) -> int:
    """Put back the codes the jobs carried before an application of the shipped
    correspondence to the edition (``application``: its key, as the page or the command
    showed it), the last one or an earlier one. A Conflict, nothing written, when it was
    undone already or a job's codes changed since (by hand, or by a later application to
    the same job); refused for anyone but a national administrator and on a published
    edition. Journaled job by job (``UNDOES``). Returns how many jobs got their codes
    back."""
    check_national(user)
    check_draft(edition)
    target = next((a for a in rome_applications(edition) if a.key == application), None)
    if target is None:
        raise Conflict(
            _(
                "This application of the shipped correspondence was undone already, or is not "
                "one of this edition's: nothing was changed."
            )
        )
    held = {
        str(job.pk): job
        for job in lock_rows(edition.jobs.filter(pk__in=[e.object_id for e in target.entries]))
    }
    changed = [
        entry.object_repr
        for entry in target.entries
        if entry.object_id not in held
        or _described(held[entry.object_id].rome_codes.all()) != entry.after["rome"]
    ]
    if changed:
        raise Conflict(
            _("The ROME codes of %(jobs)s changed since: nothing was changed.")
            % {"jobs": ", ".join(changed)}
        )
    author = user.get_username()
    for entry in target.entries:
        _replace_codes(
            held[entry.object_id], _parsed(entry.before["rome"]), author, {UNDOES: application}
        )
    edition_changed(edition)
    return target.jobs


def _replace_codes(job: ReferenceJob, codes: list[tuple[str, str]], author: str, why: dict):
    """Give a job these (code, role) pairs in place of its codes, journaled."""
    before = list(job.rome_codes.all())
    job.rome_codes.all().delete()
    rows = JobRome.objects.bulk_create(
        JobRome(job=job, rome_code=code, role=role, created_by=author) for code, role in codes
    )
    record(
        actor=author,
        action=ROME_ACTION,
        instance=job,
        before={"code": job.code, "rome": _described(before)},
        after={"code": job.code, "rome": _described(rows), **why},
    )
