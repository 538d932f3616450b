"""Reads of the journal, scoped like the data it records."""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.db.models import Q, QuerySet

from repertoire.accounts.models import Role
from repertoire.accounts.selectors import establishment_id_of, role_of
from repertoire.audit.former_names import current_names, current_object_type, object_types
from repertoire.audit.models import JournalEntry
from repertoire.audit.presentation import described
from repertoire.audit.services import unseal
from repertoire.core.batches import rows_in

# The journal names every object by its label, as foreign keys name their model, and
# imports none of the apps it records. A person's entries are sealed with the key the
# positioning app keeps beside them (``EmployeeKey``, erased with them); the journal finds
# that model by its label too, through the app registry.
PERSON = "positioning.employee"
PERSON_KEY = "positioning.EmployeeKey"


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
        entries = entries.filter(object_type__in=object_types(object_type))
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
    """The entries about one object, oldest first, in clear and described in the pages'
    words (its history tab)."""
    return described(
        in_clear(
            journal_for(
                user, object_type=instance._meta.label_lower, object_id=str(instance.pk)
            ).order_by("at", "id")
        )
    )


def person_history(user, employee) -> list[JournalEntry]:
    """The entries about one person, their positionings and their appeals, oldest first,
    in clear (their right of access)."""
    about = (
        Q(object_type=PERSON, object_id=str(employee.pk))
        | Q(after__employee=employee.pk)
        | Q(before__employee=employee.pk)
        | Q(after__collaborateur=employee.pk)
        | Q(before__collaborateur=employee.pk)
    )
    return in_clear(journal_for(user).filter(about).order_by("at", "id"))


def in_clear(entries) -> list[JournalEntry]:
    """The entries with what they sealed about people decrypted, where the key remains.

    An entry about an employee is sealed with their key; one about their positioning or
    appeal names them as ``collaborateur``. The values are replaced on the objects in
    memory only (the journal never changes).
    """
    entries = list(entries)
    people = {entry.pk: _person_of(entry) for entry in entries}
    named = {person for person in people.values() if person is not None}
    person_keys = apps.get_model(PERSON_KEY).objects.values_list("employee_id", "key")
    keys = dict(rows_in(person_keys, "employee_id", named))
    for entry in entries:
        entry.object_type = current_object_type(entry.object_type)
        key = keys.get(people[entry.pk])
        for side in ("before", "after"):
            values = getattr(entry, side)
            if isinstance(values, dict):
                setattr(
                    entry,
                    side,
                    {name: unseal(value, key) for name, value in current_names(values).items()},
                )
    return entries


def _person_of(entry: JournalEntry) -> int | None:
    """The employee whose key seals this entry's personal values, if any."""
    if entry.object_type == PERSON:
        return int(entry.object_id)
    for values in (entry.after, entry.before):
        person = current_names(values).get("employee") if isinstance(values, dict) else None
        if isinstance(person, int):
            return person
    return None


def job_history(user, job) -> list[JournalEntry]:
    """What the journal holds about a reference job: the job itself (its sheet, its ROME
    codes), its appellations and its edition."""
    about_job = Q(object_type__in=object_types("catalog.referencejob"), object_id=str(job.pk)) | (
        Q(object_type__in=object_types("catalog.appellation"))
        & (Q(after__job_id=job.pk) | Q(before__job_id=job.pk))
    )
    about_edition = Q(
        object_type__in=object_types("catalog.edition"), object_id=str(job.edition_id)
    )
    return described(journal_for(user).filter(about_job | about_edition).order_by("at", "id"))
