"""Reads of the journal, scoped like the data it records."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from repertoire.accounts.models import Role
from repertoire.accounts.selectors import establishment_id_of, role_of
from repertoire.audit.models import JournalEntry


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


def history_of(user, instance) -> QuerySet[JournalEntry]:
    """The entries about one object, oldest first (its history tab)."""
    return journal_for(
        user, object_type=instance._meta.label_lower, object_id=str(instance.pk)
    ).order_by("at", "id")
