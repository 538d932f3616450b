"""Parts of the consultation pages, rendered once per edition content and URL.

A job sheet or a search result reads the same for everyone until the edition changes, and
rendering it costs more than everything else in the request. A part's key holds its
template, its URL (path and query) and ``selectors.edition_key``, which every write to
the edition changes: a change is seen by every process at once, with nothing to
invalidate, and old parts age out of the cache.

A part must not depend on who reads it: the header (user, sign-out form), messages and
histories are rendered around it on every request.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from repertoire.catalog import selectors
from repertoire.catalog.models import Edition

# Parts live a day at most; the edition's key, not this, is what keeps them true.
TIMEOUT = 24 * 3600


def part_key(request, edition: Edition, template: str) -> str:
    query = sorted((name, value) for name in request.GET for value in request.GET.getlist(name))
    text = "\n".join(
        (
            template,
            request.path,
            repr(query),
            selectors.edition_key(edition),
            translation.get_language() or "",
        )
    )
    return "page-part:" + hashlib.sha256(text.encode()).hexdigest()


def rendered_part(
    request, edition: Edition, template: str, context: Callable[[], dict]
) -> SafeString:
    """The template rendered with ``context()``, or as it was for the same URL and content."""
    key = part_key(request, edition, template)
    html = cache.get(key)
    if html is None:
        html = render_to_string(template, context(), request)
        cache.set(key, html, TIMEOUT)
    return mark_safe(html)
