"""A model's own checks as a refusal: the one bridge from Django's ``ValidationError`` to the
core's family, for the services that ``full_clean`` what they are about to save."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from repertoire.core.refusals import refusal_of


def full_clean(instance, **options) -> None:
    """``instance.full_clean(**options)``, its problems refused by field as Django words
    them (problems about the whole object under the request as a whole)."""
    try:
        instance.full_clean(**options)
    except ValidationError as exc:
        raise refusal_of(exc) from None
