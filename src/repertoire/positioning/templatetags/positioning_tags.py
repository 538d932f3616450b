"""Template helpers of the positioning pages."""

from __future__ import annotations

from django import template
from django.urls import NoReverseMatch, reverse

from repertoire.core.wording import with_preposition

register = template.Library()


def evaluation_page_url(evaluation_id: int) -> str:
    """The page of an evaluation of a local job (the evaluation app's), by its id."""
    try:
        return reverse("evaluation:detail", args=[evaluation_id])
    except NoReverseMatch:
        # The evaluation pages may be served without their URL name being known here.
        return f"/pesees/{evaluation_id}/"


@register.filter
def evaluation_url(evaluation) -> str:
    """``{{ positioning.evaluation|evaluation_url }}``: an evaluation or its id."""
    return evaluation_page_url(getattr(evaluation, "pk", evaluation))


@register.filter
def after(name: str, preposition: str) -> str:
    """An establishment's name after « à », « de » or « par », with its article:
    ``{{ establishment.name|after:"à" }}`` → « à la CCI Nord »."""
    return with_preposition(preposition, name)
