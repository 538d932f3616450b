"""Template helpers of the printed documents."""

from django import template

from repertoire.core.text import french_typography

register = template.Library()


@register.filter
def typo(text: str) -> str:
    """French typesetting: no-break spaces before ``:`` ``;`` ``!`` ``?`` and in guillemets."""
    return french_typography(str(text))
