"""Template helpers of the consultation pages."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe

from repertoire.core.search import Passage
from repertoire.core.text import to_roman

register = template.Library()


@register.filter
def highlight(passage: Passage | None) -> SafeString:
    """The passage with its matched words in ``<mark>``, everything else escaped."""
    if passage is None:
        return mark_safe("")
    parts, cursor = [], 0
    for start, end in passage.highlights:
        parts.append(escape(passage.text[cursor:start]))
        parts.append(format_html("<mark>{}</mark>", passage.text[start:end]))
        cursor = end
    parts.append(escape(passage.text[cursor:]))
    return mark_safe("".join(parts))


@register.filter
def roman(number: int | None) -> str:
    return to_roman(number) if number else ""


@register.simple_tag(takes_context=True)
def edition_url(context, name: str, *args, **params) -> str:
    """A page URL that keeps the edition being consulted (``?edition=``), if any."""
    url = reverse(name, args=args)
    request = context.get("request")
    edition = request.GET.get("edition") if request is not None else None
    query = {key: value for key, value in params.items() if value not in (None, "")}
    if edition:
        query["edition"] = edition
    return f"{url}?{urlencode(query, doseq=True)}" if query else url


@register.filter
def word_changes(spans) -> SafeString:
    """A word-level diff: removed words in ``<del>``, added ones in ``<ins>``, escaped."""
    tags = {"-": "del", "+": "ins"}
    return mark_safe(
        "".join(
            format_html("<{0}>{1}</{0}>", tags[span.op], span.text)
            if span.op in tags
            else escape(span.text)
            for span in spans or ()
        )
    )


@register.filter
def label_in(code: str, labels) -> str:
    """The label of a code in a {code: label} mapping (the code itself when absent)."""
    return labels.get(code, code)
