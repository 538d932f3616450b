"""The API's one translation of errors into its JSON shape.

Every error answers ``{"error": {"code", "message", "details": [{"loc", "msg"}]}}``.
``register(api)`` installs the handlers: endpoints call the services and let a refusal
rise, and it is answered here:

- ``Refused`` (and Django's ``ValidationError``, which forms and ``full_clean`` still raise):
  422, code ``refused``, a detail per field of the request (``loc`` ``["body", field]``,
  ``["body"]`` for the request as a whole);
- ``NotAllowed`` (and Django's ``PermissionDenied``): 403, code ``forbidden``;
- ``Conflict``: 409, code ``conflict``, the details as a refusal's; also a database
  constraint another write made true meanwhile (``IntegrityError``: a safety net, the
  services lock what they read).

Where an endpoint calls a service's field by another name, or words its refusals with its
own code, it says so once with ``@refusals(...)``.
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from repertoire.api.schemas import ErrorOut
from repertoire.catalog.selectors import EditionNotFound
from repertoire.core.refusals import WHOLE, Conflict, NotAllowed, Refused, problems_of
from repertoire.web import concurrent_write

logger = logging.getLogger(__name__)

# 400: a body that is not JSON; 401: not signed in; 404: no such edition or object (or one
# outside the caller's scope); 422: parameters or body that do not validate, or a refusal.
ERRORS = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
# A write may also be refused to the caller's role (403), or lose a race to another (409).
WRITE_ERRORS = {403: ErrorOut, 409: ErrorOut, **ERRORS}

FORBIDDEN = "votre rôle ne permet pas cette action"


def body(code: str, message: str, details: Iterable[dict] = ()) -> dict:
    """An error as the API answers it."""
    return {"error": {"code": code, "message": message, "details": list(details)}}


# --- how an operation words its refusals -------------------------------------------------


@dataclass(frozen=True)
class Wording:
    """How an operation answers a refusal: ``fields`` renames a service's field to the
    request's; ``code`` and ``message`` replace the 422's (``message``: a fixed one instead
    of the refusal's own messages)."""

    fields: Mapping[str, str] = field(default_factory=dict)
    code: str = "refused"
    message: str | None = None


PLAIN = Wording()
_WORDING = "_refusal_wording"  # the request attribute an operation's wording is kept in


def refusals(
    *,
    fields: Mapping[str, str] | None = None,
    code: str = "refused",
    message: str | None = None,
) -> Callable:
    """Decorator (under the router's): the wording of this operation's refusals.

    ``@refusals(fields={"level": "personal_level"})`` names ``personal_level`` in ``loc``
    where the service says ``level``."""
    wording = Wording(dict(fields or {}), code, message)

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def operation(request, *args, **kwargs):
            setattr(request, _WORDING, wording)
            return view(request, *args, **kwargs)

        # ninja reads the parameters' types from the signature: resolve them where the view
        # was written (the wrapper's module would not know its schemas).
        operation.__signature__ = inspect.signature(view, eval_str=True)
        return operation

    return decorate


def wording_of(request) -> Wording:
    return getattr(request, _WORDING, PLAIN)


# --- refusals as details --------------------------------------------------------------------


def details_of(problems: Mapping[str, list[str]], fields: Mapping[str, str]) -> list[dict]:
    """One detail per field of the request (its messages together), one per message about
    the request as a whole."""
    details = []
    for name, messages in problems.items():
        if name == WHOLE:
            details += [{"loc": ["body"], "msg": message} for message in messages]
        else:
            loc = ["body", fields.get(name, name)]
            details.append({"loc": loc, "msg": " ".join(messages)})
    return details


def _joined(problems: Mapping[str, list[str]]) -> str:
    return "; ".join(message for messages in problems.values() for message in messages)


# --- the handlers ---------------------------------------------------------------------------


def register(api: NinjaAPI) -> None:
    """Install the API's error handlers on ``api``."""

    def answer(request, status: int, code: str, message: str, details: Iterable[dict] = ()):
        return api.create_response(request, body(code, message, details), status=status)

    def refused(request, exc: Exception):
        wording = wording_of(request)
        problems = problems_of(exc)
        details = details_of(problems, wording.fields)
        return answer(request, 422, wording.code, wording.message or _joined(problems), details)

    def forbidden(request, exc: Exception):
        return answer(request, 403, "forbidden", str(exc) or FORBIDDEN)

    def conflict(request, exc: Conflict):
        problems = problems_of(exc)
        details = details_of(problems, wording_of(request).fields)
        return answer(request, 409, "conflict", _joined(problems), details)

    def integrity(request, exc: IntegrityError):
        logger.warning(
            "write refused by a constraint on %s %s: %s", request.method, request.path, exc
        )
        return answer(request, 409, "conflict", concurrent_write())

    def invalid_request(request, exc: ValidationError):
        details = [
            {"loc": [str(part) for part in error.get("loc", [])], "msg": error.get("msg", "")}
            for error in exc.errors
        ]
        return answer(request, 422, "invalid_request", "Requête invalide", details)

    handlers = {
        Refused: refused,
        DjangoValidationError: refused,
        NotAllowed: forbidden,
        PermissionDenied: forbidden,
        Conflict: conflict,
        IntegrityError: integrity,
        ValidationError: invalid_request,
        AuthenticationError: lambda request, exc: answer(
            request, 401, "unauthorized", "Authentification requise"
        ),
        Http404: lambda request, exc: answer(request, 404, "not_found", str(exc) or "Introuvable"),
        EditionNotFound: lambda request, exc: answer(request, 404, "edition_not_found", str(exc)),
        Throttled: lambda request, exc: answer(
            request,
            429,
            "throttled",
            "Trop de requêtes sans connexion depuis cette adresse : réessayez plus tard, "
            "ou connectez-vous (jeton d'API)",
        ),
        HttpError: lambda request, exc: answer(request, exc.status_code, "error", str(exc)),
    }
    for exc_class, handler in handlers.items():
        api.add_exception_handler(exc_class, handler)
