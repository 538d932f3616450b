"""What establishments learnt from their decisions, for national administrators: the list
to review, and promoting an appellation to the network or rejecting it (the services
check the role again and journal the decision)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from repertoire.accounts.models import Role
from repertoire.accounts.selectors import role_of
from repertoire.catalog import selectors, services
from repertoire.catalog.models import Appellation
from repertoire.core.text import normalize_title
from repertoire.web import attempt


def _require_national(request) -> None:
    if role_of(request.user) != Role.NATIONAL:
        raise PermissionDenied(_("Only national administrators review learnt appellations."))


@login_required
def review(request):
    """Title, job, establishment, count of people; a conflict says which job the title
    already means."""
    _require_national(request)
    edition = selectors.get_edition()
    appellations = list(selectors.appellations_to_review(edition))
    meanings = selectors.network_meanings(edition)
    for alias in appellations:
        # An establishment's own that the network gives another job (added for the network
        # after it was learnt): it prevails in the establishment, and is said so here.
        network_job = meanings.get(normalize_title(alias.title))
        alias.network_job = (
            network_job
            if alias.status == Appellation.Status.ACTIVE
            and network_job is not None
            and network_job.pk != alias.job_id
            else None
        )
    return render(
        request,
        "catalog/appellations_review.html",
        {"edition": edition, "appellations": appellations},
    )


def _decide(request, pk: int, service, success: str):
    _require_national(request)
    alias = Appellation.objects.select_related("job__edition").filter(pk=pk).first()
    if alias is None:
        raise Http404(_("No such appellation."))
    attempt(request, lambda: service(request.user, alias), success=success % {"title": alias.title})
    return redirect("catalog:appellations_review")


@login_required
@require_POST
def promote(request, pk: int):
    return _decide(
        request,
        pk,
        services.promote_appellation,
        _("“%(title)s” is now an appellation for the whole network."),
    )


@login_required
@require_POST
def reject(request, pk: int):
    return _decide(request, pk, services.reject_appellation, _("“%(title)s” was rejected."))
