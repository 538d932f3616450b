"""The review worklist of an establishment, and the decisions taken from it.

Identical local titles are reviewed as one group (one decision can settle hundreds of
people), the most uncertain and most populated groups first; the list view shows the
people one by one, least certain first.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from repertoire.accounts.selectors import may_write_personal_data, role_of, sees_personal_details
from repertoire.catalog import selectors as catalog
from repertoire.core.proposal_quality import side_by_side
from repertoire.evaluation.selectors import evaluations_in_force
from repertoire.positioning import selectors, services
from repertoire.positioning.forms import (
    BulkAcceptForm,
    CommentForm,
    DecisionForm,
    EvaluationPlacementForm,
    GroupDecisionForm,
    WorklistFilterForm,
)
from repertoire.positioning.models import Establishment, Positioning
from repertoire.positioning.views import (
    establishment_to_decide,
    form_errors,
    positioning_to_decide,
)
from repertoire.web import attempt

PAGE_SIZE = 50
GROUPS_PAGE_SIZE = 100


@login_required
def index(request):
    """The establishments in the user's scope with their progress; HR go to theirs."""
    if role_of(request.user) is None:
        raise Http404("aucun établissement ne vous est rattaché")
    establishments = list(selectors.establishments_for(request.user))
    if len(establishments) == 1:
        return redirect("worklist:worklist", code=establishments[0].code)
    report = selectors.report_for(request.user)
    return render(request, "positioning/worklist_index.html", {"report": report})


@login_required
def worklist(request, code: str):
    establishment = get_object_or_404(selectors.establishments_for(request.user), code=code)
    edition = catalog.get_edition()
    jobs = list(catalog.jobs_of(edition).select_related("level"))
    form = WorklistFilterForm(
        request.GET or None,
        services=(
            selectors.services_of(request.user, establishment)
            if selectors.may_filter_on(request.user, "service")
            else None
        ),
        jobs=jobs,
    )
    filters = selectors.WorklistFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.WorklistFilters(
            service=data.get("service", ""),
            status=data["statut"],
            job=data["emploi"],
            level=data["niveau"],
            title_key=request.GET.get("groupe", "")[:200],
            search=data["q"].strip(),
        )
    as_list = request.GET.get("vue") == "liste" or bool(filters.title_key)
    threshold = selectors.bulk_accept_threshold()
    report = selectors.progress_of(request.user, establishment, threshold=threshold)
    context = {
        "establishment": establishment,
        "form": form,
        "filters": filters,
        "as_list": as_list,
        "jobs": jobs,
        "may_write": may_write_personal_data(request.user, establishment.pk),
        "details": sees_personal_details(request.user),
        "report": report,
        "status_counts": [
            (value, label, report.by_status[value]) for value, label in Positioning.Status.choices
        ],
        "threshold": threshold,
        "bulk_form": BulkAcceptForm(),
        "above_threshold": report.above_threshold,
        "quality": _quality(establishment),
        "query": _query(request, exclude=("page",)),
        "pending_migration": selectors.pending_migration(request.user, establishment),
        "edition": edition,
    }
    if as_list:
        positionings = selectors.positionings_for(
            request.user, establishment=establishment, filters=filters
        )
        context["page"] = Paginator(positionings, PAGE_SIZE).get_page(request.GET.get("page"))
    else:
        groups = selectors.title_groups(
            request.user,
            establishment,
            filters=filters,
            pending_only=not filters.status,
        )
        context["page"] = Paginator(groups, GROUPS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "positioning/worklist.html", context)


def _query(request, exclude=()) -> str:
    return urlencode([(k, v) for k, v in request.GET.items() if k not in exclude and v])


def _back(request, establishment: Establishment):
    """Back to the worklist as the person left it (filters, view, page)."""
    url = reverse("worklist:worklist", kwargs={"code": establishment.code})
    query = request.POST.get("retour", "")
    return redirect(f"{url}?{query}" if query and "//" not in query else url)


@login_required
@require_POST
def bulk_accept(request, code: str):
    establishment = establishment_to_decide(request, code)
    form = BulkAcceptForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return _back(request, establishment)
    threshold = form.cleaned_data["threshold"]
    attempt(
        request,
        lambda: services.bulk_accept(request.user, establishment, threshold=threshold),
        success=lambda count: (
            ngettext(
                "%(count)d proposal with a confidence of at least %(threshold).2f validated.",
                "%(count)d proposals with a confidence of at least %(threshold).2f validated.",
                count,
            )
            % {"count": count, "threshold": threshold}
        ),
    )
    return _back(request, establishment)


@login_required
@require_POST
def decide_group(request, code: str):
    establishment = establishment_to_decide(request, code)
    edition = catalog.get_edition()
    form = GroupDecisionForm(request.POST, jobs=catalog.jobs_of(edition))
    if not form.is_valid():
        form_errors(request, form)
        return _back(request, establishment)
    job_code = form.cleaned_data["job"]
    attempt(
        request,
        lambda: services.decide_group(
            request.user, establishment, form.cleaned_data["title_key"], job_code=job_code
        ),
        success=lambda count: (
            ngettext(
                "%(count)d employee placed on %(job)s.",
                "%(count)d employees placed on %(job)s.",
                count,
            )
            % {"count": count, "job": catalog.job_of(edition, job_code).title}
        ),
    )
    return _back(request, establishment)


@login_required
@require_POST
def validate(request, pk: int):
    """Accept one proposal, from the worklist or the employee's page."""
    positioning = positioning_to_decide(request, pk)
    attempt(
        request,
        lambda: services.validate(
            request.user, positioning, comment=request.POST.get("comment", "")
        ),
        success=lambda done: (
            _("%(name)s: %(job)s validated.") % {"name": done.employee, "job": done.placed_on}
        ),
    )
    if request.POST.get("retour") is not None:
        return _back(request, positioning.establishment)
    return redirect("positioning:employee", pk=positioning.employee_id)


@login_required
@require_POST
def change(request, pk: int):
    positioning = positioning_to_decide(request, pk)
    form = DecisionForm(request.POST, jobs=catalog.jobs_of(positioning.edition))
    if form.is_valid():
        data = form.cleaned_data
        attempt(
            request,
            lambda: services.change(
                request.user,
                positioning,
                job_code=data["job"],
                personal_level=data["personal_level"],
                reason=data["reason"],
                comment=data["comment"],
            ),
            success=_("Positioning changed."),
        )
    else:
        form_errors(request, form)
    return redirect("positioning:employee", pk=positioning.employee_id)


@login_required
@require_POST
def place_on_evaluation(request, pk: int):
    """Place the employee on an evaluated local job of their establishment (no reference job
    describes it), from the employee's page."""
    positioning = positioning_to_decide(request, pk)
    form = EvaluationPlacementForm(
        request.POST,
        evaluations=evaluations_in_force(
            request.user, positioning.establishment, positioning.edition
        ),
    )
    if form.is_valid():
        data = form.cleaned_data
        attempt(
            request,
            lambda: services.place_on_evaluation(
                request.user,
                positioning,
                evaluation_id=data["evaluation"],
                personal_level=data["personal_level"],
                reason=data["reason"],
                comment=data["comment"],
            ),
            success=lambda done: (
                _("%(name)s: placed on %(job)s.") % {"name": done.employee, "job": done.placed_on}
            ),
        )
    else:
        form_errors(request, form)
    return redirect("positioning:employee", pk=positioning.employee_id)


@login_required
@require_POST
def comment(request, pk: int):
    positioning = positioning_to_decide(request, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: services.comment(request.user, positioning, form.cleaned_data["text"]),
            success=_("Comment recorded."),
        )
    return redirect("positioning:employee", pk=positioning.employee_id)


@login_required
@require_POST
def notify(request, code: str):
    """Record that the validated positionings (all, or the one posted) were notified."""
    establishment = establishment_to_decide(request, code)
    positionings = selectors.positionings_for(request.user, establishment=establishment).filter(
        status=Positioning.Status.VALIDATED
    )
    if request.POST.get("positioning"):
        positionings = positionings.filter(pk=request.POST["positioning"])
    attempt(
        request,
        lambda: services.notify(request.user, list(positionings)),
        success=lambda count: (
            ngettext("%(count)d positioning notified.", "%(count)d positionings notified.", count)
            % {"count": count}
        ),
    )
    if request.POST.get("employee"):
        return redirect("positioning:employee", pk=int(request.POST["employee"]))
    return _back(request, establishment)


def _quality(establishment) -> dict:
    """How often HR kept the first proposal, here and over the network, side by side."""
    here = selectors.proposal_quality(establishment)
    network = selectors.proposal_quality()
    return {
        "here": here.overall,
        "network": network.overall,
        "above_here": here.above,
        "above_network": network.above,
        "bands": side_by_side(here.by_band, network.by_band),
        "families": side_by_side(here.by_family, network.by_family),
    }
