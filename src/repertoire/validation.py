"""A model's own checks as a refusal: the one bridge from Django's ``ValidationError`` to the
core's family, for the services that ``full_clean`` what they are about to save."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from repertoire.core.refusals import Refused, refusal_of
from repertoire.core.text import without_controls


def full_clean(instance, **options) -> None:
    """``instance.full_clean(**options)``, its problems refused by field as Django words
    them (problems about the whole object under the request as a whole)."""
    try:
        instance.full_clean(**options)
    except ValidationError as exc:
        raise refusal_of(exc) from None


def too_long(instance) -> dict[str, list[str]]:
    """The text fields of an object longer than their field's ``max_length`` (a
    ``TextField`` has one too), by field name."""
    problems = {}
    for field in instance._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField) or not field.max_length:
            continue
        value = getattr(instance, field.attname)
        if isinstance(value, str) and len(value) > field.max_length:
            problems[field.name] = [
                f"{len(value)} caractères, {field.max_length} au plus ({field.verbose_name})"
            ]
    return problems


def refuse_long_texts(sender, instance, raw=False, **kwargs) -> None:
    """Before any object of the app is saved: a text longer than its field's limit is
    refused (``Refused``, by field), whatever path brought it (a service, a command, an
    import), instead of being stored (SQLite) or failing as a server error (PostgreSQL).
    Connected to ``pre_save`` by the organisation app; bulk writes check their rows
    where they read them (the file readers)."""
    if raw or not sender.__module__.startswith("repertoire."):
        return
    if problems := too_long(instance):
        raise Refused(problems=problems)


def drop_control_characters(sender, instance, raw=False, **kwargs) -> None:
    """Before any object of the app is saved: its texts, those within its JSON values too
    (a job's missions), without control characters (a manual line break pasted from Word
    becomes a line end, an escape a space), which no exported document (XLSX, DOCX) could
    hold. Connected to ``pre_save`` by the organisation app, before the length check.
    Bulk writes skip it: a payroll file's cells are read without them
    (``cells.cell_text``), and the spreadsheet writer cleans every cell it writes."""
    if raw or not sender.__module__.startswith("repertoire."):
        return
    for field in instance._meta.concrete_fields:
        if isinstance(field, models.CharField | models.TextField | models.JSONField):
            value = getattr(instance, field.attname)
            if (cleaned := _without_controls(value)) != value:
                setattr(instance, field.attname, cleaned)


def _without_controls(value):
    """A text, or the texts within a JSON value (a job's missions, a notice's paragraphs),
    without control characters."""
    if isinstance(value, str):
        return without_controls(value)
    if isinstance(value, list):
        return [_without_controls(item) for item in value]
    if isinstance(value, dict):
        return {key: _without_controls(item) for key, item in value.items()}
    return value
