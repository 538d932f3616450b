"""/editions/<label>/publier/: publishing a draft states, before anything is written, what
it does to the open campaign (per establishment: who is carried over, who goes back to
review, notified and contested people affected), and asks to type the edition's label.

A page of the editions (``editions:publish``), made here: the figures are the campaign's,
which the catalog does not read (``PositioningConfig.ready`` adds it)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from repertoire.accounts.models import Role
from repertoire.accounts.selectors import role_of
from repertoire.catalog import selectors as catalog
from repertoire.catalog import services as editions
from repertoire.catalog.models import Edition
from repertoire.core.refusals import Refused
from repertoire.positioning import selectors, services
from repertoire.web import attempt


@login_required
def publish(request, label: str):
    """GET: the consequences and the confirmation form (never publishes). POST: publishes
    when the label typed is the edition's, else shows the page again, refused."""
    if role_of(request.user) != Role.NATIONAL:
        raise PermissionDenied(_("Only national administrators prepare editions."))
    try:
        edition = catalog.get_edition(label)
    except catalog.EditionNotFound as exc:
        raise Http404(str(exc)) from exc
    if edition.is_frozen:
        messages.info(request, _("Edition %(label)s is already published.") % {"label": label})
        return redirect("editions:detail", edition.label)
    status = request.POST.get("statut") or "official"
    typed = request.POST.get("libelle", "").strip()
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
            done = attempt(request, lambda: _publish(request, edition, status))
            if done:
                result = done.result[1]
                messages.success(
                    request,
                    _(
                        "Edition %(label)s is published and in force: %(kept)s positionings "
                        "carried over as they were, %(review)s back to review (%(flagged)s "
                        "notified or contested, flagged), %(proposed)s proposals carried "
                        "over for people not yet decided."
                    )
                    % {"label": edition.label, **_figures(result)},
                )
                return redirect("editions:detail", edition.label)
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
        },
        status=400 if request.method == "POST" else 200,
    )


def _figures(result) -> dict:
    return {
        "kept": result.kept,
        "review": result.review,
        "flagged": result.flagged,
        "proposed": result.proposed,
    }


def _publish(request, edition, status):
    try:
        return services.publish_edition(request.user, edition, status=status)
    except editions.PublicationRefused as exc:  # its reasons, after one word
        raise Refused(_("Not published:") + " " + "; ".join(exc.reasons)) from exc
