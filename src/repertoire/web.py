"""How a web view calls a service and tells the person what happened: the one place where a
refusal becomes messages on the page (or errors on the form the page shows again).

    done = attempt(request, lambda: services.validate(request.user, positioning),
                   success=_("Validated."))
    return redirect(...)

The API translates the same refusals in ``api/errors.py``, the command line in
``cli/_output.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils.translation import gettext as _

from repertoire.core.refusals import WHOLE, NotAllowed, Refused
from repertoire.core.refusals import problems_of as core_problems_of

# What a view may be refused with: the family, and Django's own two when Django raises them
# (a model's full_clean, a decorator's permission check).
REFUSALS = (Refused, ValidationError, PermissionDenied)


@dataclass(frozen=True)
class Outcome:
    """What ``attempt`` did: ``ok`` and the service's result, or the refusal it told."""

    ok: bool
    result: Any = None
    refusal: Exception | None = None

    def __bool__(self) -> bool:
        return self.ok


def problems_of(exc: Exception) -> dict[str, list[str]]:
    """A refusal's messages by field (``WHOLE`` for the request), worded by default when
    the refusal says nothing."""
    problems = core_problems_of(exc)
    if not problems and isinstance(exc, NotAllowed | PermissionDenied):
        problems = {WHOLE: [_("Your role does not allow this action.")]}
    return problems


def concurrent_write() -> str:
    """What a write is told when the database refused it for a constraint another write
    made true meanwhile: the services lock what they read, so this is a safety net."""
    return _(
        "This write conflicts with another one made at the same time: nothing was "
        "written. Reload and try again."
    )


def tell_refusal(request, exc: Exception, form=None) -> None:
    """Tell the person why nothing was written: on the form's fields when the page shows
    the form again, else as messages on the next page."""
    for field, texts in problems_of(exc).items():
        for text in texts:
            if form is not None:
                form.add_error(field if field in form.fields else None, text)
            else:
                messages.error(request, text)


def attempt(
    request,
    action: Callable[[], Any],
    *,
    success: str | Callable[[Any], str] | None = None,
    form=None,
) -> Outcome:
    """Run ``action`` (a service call); tell its refusal, or ``success``, on the next page."""
    try:
        result = action()
    except REFUSALS as exc:
        tell_refusal(request, exc, form=form)
        return Outcome(ok=False, refusal=exc)
    except IntegrityError as exc:  # lost a race the services did not foresee
        messages.error(request, concurrent_write())
        return Outcome(ok=False, refusal=exc)
    if success:
        messages.success(request, success(result) if callable(success) else success)
    return Outcome(ok=True, result=result)


def client_address(request) -> str | None:
    """The address of the client who sent the request, as the sign-in lock-out and the
    API's rate limits count it.

    Behind ``REPERTOIRE_TRUSTED_PROXIES`` reverse proxies (0: none, the embedded server),
    the client is the address the outermost trusted proxy saw: the N-th entry of
    ``X-Forwarded-For`` from the right (each trusted proxy appends the address it received
    the request from). Entries further left were written by the client and are never
    believed (the same reading as the API's rate limits, ``NINJA_NUM_PROXIES``). Without
    the header, ``REMOTE_ADDR``."""
    from django.conf import settings

    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.REPERTOIRE_TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded:
        return remote
    addresses = [address.strip() for address in forwarded.split(",") if address.strip()]
    if not addresses:
        return remote
    return addresses[-min(proxies, len(addresses))]


def etag_seen(request) -> str | None:
    """The etag a form sent back: what the person saw (``locking.etag_of``), for the service
    to check against the row it locks; None when the form sent none."""
    return request.POST.get("etag") or None


def etag_shown(request, current: str) -> str:
    """The etag a form page carries: the one first shown while the person corrects or
    computes (the posted form shown again), else ``current``, the object's now."""
    return (etag_seen(request) if request.method == "POST" else None) or current
