"""Append to the journal. Every service that writes calls ``record`` in its transaction."""

from __future__ import annotations

from django.db import models

from repertoire.audit.models import JournalEntry

# Never copied into the journal: secrets and file contents.
NOT_JOURNALED = frozenset({"password", "digest", "content"})


def snapshot(instance: models.Model) -> dict:
    """The object's own fields as plain values, as the journal keeps them."""
    return {
        field.attname: getattr(instance, field.attname)
        for field in instance._meta.concrete_fields
        if field.attname not in NOT_JOURNALED
    }


def record(
    *,
    actor: str,
    action: str,
    instance: models.Model,
    before: dict | None = None,
    after: dict | None = None,
    establishment=None,
) -> JournalEntry:
    """Journal one write: who, what, which object, the object before and after."""
    return JournalEntry.objects.create(
        actor=actor or "?",
        action=action,
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        establishment=establishment,
        before=before,
        after=after,
    )
