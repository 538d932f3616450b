"""Reads of the journal, scoped like the data it records."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from repertoire.accounts.models import Role
from repertoire.accounts.selectors import establishment_id_of, role_of
from repertoire.audit.models import JournalEntry
from repertoire.audit.services import unseal
from repertoire.positioning.models import EmployeeKey


def journal_for(
    user,
    *,
    object_type: str = "",
    object_id: str = "",
    actor: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[JournalEntry]:
    """National administrators read the whole journal; an establishment's HR officers,
    the entries about their establishment and the national ones (editions, grid).
    Readers and users without a role read none of it."""
    role = role_of(user)
    if role == Role.NATIONAL:
        entries = JournalEntry.objects.all()
    elif role == Role.HR:
        entries = JournalEntry.objects.filter(
            Q(establishment_id=establishment_id_of(user)) | Q(establishment__isnull=True)
        ).exclude(object_type__in=("auth.user", "accounts.apitoken"))
    else:
        return JournalEntry.objects.none()
    if object_type:
        entries = entries.filter(object_type=object_type)
    if object_id:
        entries = entries.filter(object_id=object_id)
    if actor:
        entries = entries.filter(actor=actor)
    if since:
        entries = entries.filter(at__date__gte=since)
    if until:
        entries = entries.filter(at__date__lte=until)
    return entries.select_related("establishment")


def history_of(user, instance) -> list[JournalEntry]:
    """The entries about one object, oldest first, in clear (its history tab)."""
    return in_clear(
        journal_for(
            user, object_type=instance._meta.label_lower, object_id=str(instance.pk)
        ).order_by("at", "id")
    )


def in_clear(entries) -> list[JournalEntry]:
    """The entries with people's sealed identities decrypted, where their key remains.

    The values are replaced on the objects in memory only (the journal never changes).
    """
    entries = list(entries)
    employee_ids = {
        int(entry.object_id) for entry in entries if entry.object_type == "positioning.employee"
    }
    keys = dict(
        EmployeeKey.objects.filter(employee_id__in=employee_ids).values_list("employee_id", "key")
    )
    for entry in entries:
        key = (
            keys.get(int(entry.object_id)) if entry.object_type == "positioning.employee" else None
        )
        for side in ("before", "after"):
            values = getattr(entry, side)
            if isinstance(values, dict):
                setattr(entry, side, {name: unseal(value, key) for name, value in values.items()})
    return entries


def job_history(user, job) -> list[JournalEntry]:
    """What the journal holds about a reference job: its appellations and its edition."""
    about_job = Q(object_type="catalog.jobtitlealias") & (
        Q(after__job_id=job.pk) | Q(before__job_id=job.pk)
    )
    about_edition = Q(object_type="catalog.repertoireversion", object_id=str(job.version_id))
    return list(journal_for(user).filter(about_job | about_edition).order_by("at", "id"))
