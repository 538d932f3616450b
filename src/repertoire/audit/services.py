"""Append to the journal. Every service that writes calls ``record`` in its transaction."""

from __future__ import annotations

import json

from cryptography.fernet import Fernet, InvalidToken
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from repertoire.audit.models import JournalEntry
from repertoire.core.limits import JOURNAL_TEXT_MAX

# Never copied into the journal: secrets and file contents.
NOT_JOURNALED = frozenset({"password", "digest", "content"})


def snapshot(instance: models.Model, personal_key: str | None = None) -> dict:
    """The object's own fields as plain values, as the journal keeps them.

    A person's identifying fields (``PERSONAL_FIELDS``) are encrypted with their key:
    ``{"chiffre": "…"}``; without a key they are not kept at all.
    """
    personal = set(getattr(instance, "PERSONAL_FIELDS", ()))
    data = {}
    for field in instance._meta.concrete_fields:
        name = field.attname
        if name in NOT_JOURNALED:
            continue
        value = getattr(instance, name)
        if name in personal:
            data[name] = sealed(value, personal_key)
        else:
            data[name] = value
    return data


ERASED = "[effacé]"


def sealed(value, key: str | None):
    """A value about a person as the journal keeps it: sealed with their key; erased
    when they have none left."""
    return seal(value, key) if key else ERASED


def bounded(value):
    """A value as the journal keeps it: each text cut at ``JOURNAL_TEXT_MAX`` characters,
    with a mark saying how long it was (the object keeps it whole); sealed values as
    they are (they were bounded before sealing)."""
    if isinstance(value, str):
        if len(value) <= JOURNAL_TEXT_MAX:
            return value
        return f"{value[:JOURNAL_TEXT_MAX]}[… {len(value)} caractères en tout]"
    if isinstance(value, dict):
        if set(value) == {"chiffre"}:
            return value
        return {key: bounded(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [bounded(item) for item in value]
    return value


def seal(value, key: str) -> dict:
    plain = json.dumps(bounded(value), cls=DjangoJSONEncoder).encode()
    return {"chiffre": Fernet(key.encode()).encrypt(plain).decode()}


def unseal(value, key: str | None):
    """A journaled value in clear: sealed values need their person's key."""
    if not (isinstance(value, dict) and set(value) == {"chiffre"}):
        return value
    if key is None:
        return ERASED
    try:
        return json.loads(Fernet(key.encode()).decrypt(value["chiffre"].encode()))
    except InvalidToken:
        return ERASED


def entry(
    *,
    actor: str,
    action: str,
    instance: models.Model,
    before: dict | None = None,
    after: dict | None = None,
    establishment=None,
) -> JournalEntry:
    """One journal entry, not yet saved: bulk writes save theirs with ``record_many``."""
    return JournalEntry(
        actor=actor or "?",
        action=action,
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=(
            instance.journal_label() if hasattr(instance, "journal_label") else str(instance)
        )[:300],
        establishment=establishment,
        before=bounded(before),
        after=bounded(after),
    )


def record(**fields) -> JournalEntry:
    """Journal one write: who, what, which object, the object before and after."""
    journal_entry = entry(**fields)
    journal_entry.save()
    return journal_entry


def update_recorded(instance: models.Model, *, actor: str, action: str, **changes) -> None:
    """Change some fields of an object, save only those, and journal it before and after."""
    before = snapshot(instance)
    for name, value in changes.items():
        setattr(instance, name, value)
    instance.save(update_fields=list(changes))
    record(actor=actor, action=action, instance=instance, before=before, after=snapshot(instance))


def record_many(entries: list[JournalEntry]) -> None:
    """Journal the writes of a bulk operation (an import, a bulk acceptance) at once."""
    JournalEntry.objects.bulk_create(entries, batch_size=1000)
