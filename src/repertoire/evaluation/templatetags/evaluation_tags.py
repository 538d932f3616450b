"""Template helpers the evaluation app offers other pages: the live result panel."""

from __future__ import annotations

from django import template

from repertoire.evaluation.presenters import result_context
from repertoire.evaluation.selectors import yardstick

register = template.Library()


@register.inclusion_tag("evaluation/_result.html")
def evaluation_result(
    edition, degrees: dict[str, int], title: str = "", missions: str = "", reference=False
) -> dict:
    """The evaluation form's live result for these degrees, title and missions: level by the
    edition's rule, profile, nearest jobs (the job form of a draft edition shows it too;
    ``reference``: the job evaluated is a reference job of the edition, which resembles
    itself)."""
    return {
        **result_context(edition, yardstick(edition), degrees, title, missions),
        "editing_reference": reference,
    }
