"""What no request may carry, refused before any view reads it.

The NUL character (U+0000): no text column holds it, and PostgreSQL refuses it in any
query parameter, so a path, a query string, a form value or a cookie carrying one would
reach a query and end as a server error. It is the caller's error: 400, before the
session (a cookie) or a view (a path or a parameter) looks anything up.

The API's own parser (``api/parser.py``) still names the parameter of a query string or a
form in its 422; this guard answers for everything else, on the API (in its JSON shape)
and on the pages.
"""

from __future__ import annotations

from django.http import HttpResponse, JsonResponse

NUL = "\x00"
MESSAGE = "caractère nul (U+0000) interdit dans la requête"
API_PREFIX = "/api/"


def _has_nul(data) -> bool:
    """A query dict (keys and every value of each key) carrying a NUL."""
    return any(NUL in key or any(NUL in value for value in data.getlist(key)) for key in data)


def refused_part(request) -> str | None:
    """Which part of the request carries a NUL: ``path``, ``query``, ``form``, ``cookie``;
    None when none does. A multipart body's files are read by their own readers."""
    if NUL in request.path or NUL in request.path_info:
        return "path"
    if any(NUL in key or NUL in value for key, value in request.COOKIES.items()):
        return "cookie"
    if request.path.startswith(API_PREFIX):
        # The API's parser reads its query strings and bodies and names the field (422).
        return None
    if _has_nul(request.GET):
        return "query"
    if request.method == "POST" and _has_nul(request.POST):
        return "form"
    return None


class RefuseNul:
    """Answer 400 to a request carrying a NUL (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        part = refused_part(request)
        if part is None:
            return self.get_response(request)
        if request.path.startswith(API_PREFIX):
            return JsonResponse(
                {
                    "error": {
                        "code": "bad_request",
                        "message": MESSAGE,
                        "details": [{"loc": [part], "msg": MESSAGE}],
                    }
                },
                status=400,
            )
        return HttpResponse(
            f"Requête refusée : {MESSAGE}.", status=400, content_type="text/plain; charset=utf-8"
        )
