"""/editions/<label>/publier/: publishing a draft states, before anything is written, what
it does to the open campaign (per establishment: who is carried over, who goes back to
review, notified and contested people affected), and asks to type the edition's label.
The publication then runs in the background (``services.request_publication``): its
page, /editions/<label>/publier/<pk>/, shows its progress, then what was carried over, or
why it failed (nothing published).

Pages of the editions (``editions:publish``, ``editions:publish-status``), made here: the
figures are the campaign's, which the catalog does not read (``PositioningConfig.ready``
adds them)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from repertoire.accounts.models import Role
from repertoire.accounts.selectors import role_of
from repertoire.catalog import selectors as catalog
from repertoire.catalog import services as editions
from repertoire.catalog.models import Edition
from repertoire.core.refusals import Conflict, Refused
from repertoire.positioning import selectors, services
from repertoire.positioning.models import EditionPublication
from repertoire.web import attempt


def _national_only(request) -> None:
    if role_of(request.user) != Role.NATIONAL:
        raise PermissionDenied(_("Only national administrators prepare editions."))


def _edition(label: str) -> Edition:
    try:
        return catalog.get_edition(label)
    except catalog.EditionNotFound as exc:
        raise Http404(str(exc)) from exc


@login_required
def publish(request, label: str):
    """GET: the consequences and the confirmation form (never publishes). POST: queues the
    publication when the label typed is the edition's and publishing is allowed, then
    shows its progress; else shows the page again, refused (nothing queued)."""
    _national_only(request)
    edition = _edition(label)
    if edition.is_frozen:
        messages.info(request, _("Edition %(label)s is already published.") % {"label": label})
        return redirect("editions:detail", edition.label)
    status = request.POST.get("statut") or "official"
    typed = request.POST.get("libelle", "").strip()
    refused_with = 400
    if request.method == "POST":
        if typed != edition.label:
            messages.error(
                request,
                _(
                    "Not published: type the edition's label, %(label)s, exactly as shown "
                    "to confirm the publication."
                )
                % {"label": edition.label},
            )
        else:
            done = attempt(request, lambda: _request(request, edition, status))
            if done:
                return redirect("editions:publish-status", edition.label, done.result.pk)
            if isinstance(done.refusal, Conflict | IntegrityError):
                refused_with = 409  # another publication is waiting or running
    impact = selectors.publication_impact(request.user, edition)
    return render(
        request,
        "positioning/publish.html",
        {
            "edition": edition,
            "impact": impact,
            "rows": impact.rows,
            "total": impact.total,
            "statuses": Edition.Status.choices,
            "status": status,
            "typed": typed,
            "running": selectors.publication_in_flight(),
        },
        status=refused_with if request.method == "POST" else 200,
    )


def _request(request, edition, status):
    try:
        return services.request_publication(request.user, edition, status=status)
    except editions.PublicationRefused as exc:  # its reasons, after one word
        raise Refused(_("Not published:") + " " + "; ".join(exc.reasons)) from exc


@login_required
def status(request, label: str, pk: int):
    """A publication under way (its stage and progress), or its outcome: the figures of
    the carry-over, or why it failed."""
    _national_only(request)
    work = get_object_or_404(
        EditionPublication.objects.select_related("edition"), edition__label=label, pk=pk
    )
    done = work.status == EditionPublication.Status.DONE
    return render(
        request,
        "positioning/publish_status.html",
        {
            "edition": work.edition,
            "work": work,
            "waiting": work.status in EditionPublication.RUNNING_STATUSES,
            "outcome": _outcome(work) if done else "",
        },
    )


def _outcome(work: EditionPublication) -> str:
    figures = {name: work.result.get(name, 0) for name in ("kept", "review", "flagged", "proposed")}
    return _(
        "Edition %(label)s is published and in force: %(kept)s positionings "
        "carried over as they were, %(review)s back to review (%(flagged)s "
        "notified or contested, flagged), %(proposed)s proposals carried "
        "over for people not yet decided."
    ) % {"label": work.edition.label, **figures}
