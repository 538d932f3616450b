"""Pages of the positioning app, one module per subject; thin callers of services and
selectors. A service's refusal is told through ``repertoire.web.attempt``; what every
module also needs is here."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from repertoire.accounts.selectors import may_write_personal_data
from repertoire.positioning import selectors


def writer_only(request, establishment_id: int) -> None:
    """Readers see the pages but may not post to them: 403 before any service is called."""
    if not may_write_personal_data(request.user, establishment_id):
        raise PermissionDenied("réservé aux RH de l'établissement")


def positioning_to_decide(request, pk: int):
    """The positioning a decision is posted about: 404 out of the user's scope, 403 for
    readers."""
    positioning = get_object_or_404(selectors.all_positionings_for(request.user), pk=pk)
    writer_only(request, positioning.establishment_id)
    return positioning


def establishment_to_decide(request, code: str):
    """The establishment a mass decision is posted about: 404 out of the user's scope, 403
    for readers."""
    establishment = get_object_or_404(selectors.establishments_for(request.user), code=code)
    writer_only(request, establishment.pk)
    return establishment


def form_errors(request, form) -> None:
    """A form's errors, told by field label on the page the person comes back to (pages
    that redirect rather than show the form again)."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label} : {error}" if label else error)
