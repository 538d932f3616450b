"""The review worklist of an establishment, and the decisions taken from it.

Identical local titles are reviewed as one group (one decision can settle hundreds of
people), the most uncertain and most populated groups first; the list view shows the
people one by one, least certain first.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from repertoire.accounts.selectors import may_write_personal_data, role_of, sees_personal_details
from repertoire.catalog import selectors as catalog
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

PAGE_SIZE = 50
GROUPS_PAGE_SIZE = 100


def establishment_or_404(request, code: str) -> Establishment:
    try:
        return selectors.establishment_for(request.user, code)
    except Establishment.DoesNotExist:
        raise Http404("aucun établissement à votre portée sous ce code") from None


def positioning_or_404(request, pk: int) -> Positioning:
    try:
        return selectors.positioning_for(request.user, pk)
    except Positioning.DoesNotExist:
        raise Http404("aucun positionnement à cette adresse") from None


def form_errors(request, form) -> None:
    """A form's errors, told to the person on the page they come back to, by field."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label} : {error}" if label else error)


def service_errors(request, exc: ValidationError) -> None:
    """A refused decision, told to the person on the page they come back to."""
    for message in exc.messages:
        messages.error(request, message)


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
    establishment = establishment_or_404(request, code)
    version = catalog.get_version()
    jobs = list(catalog.jobs_of(version).select_related("level"))
    form = WorklistFilterForm(
        request.GET or None,
        services=selectors.services_of(request.user, establishment),
        jobs=jobs,
    )
    filters = selectors.WorklistFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.WorklistFilters(
            service=data["service"],
            status=data["statut"],
            job=data["emploi"],
            level=data["niveau"],
            title_key=request.GET.get("groupe", "")[:200],
            search=data["q"].strip(),
        )
    as_list = request.GET.get("vue") == "liste" or bool(filters.title_key)
    threshold = settings.REPERTOIRE_BULK_ACCEPT_THRESHOLD
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
        "query": _query(request, exclude=("page",)),
        "pending_migration": selectors.pending_migration(request.user, establishment),
        "version": version,
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
    establishment = establishment_or_404(request, code)
    form = BulkAcceptForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return _back(request, establishment)
    threshold = form.cleaned_data["threshold"]
    try:
        count = services.bulk_accept(request.user, establishment, threshold=threshold)
    except ValidationError as exc:
        service_errors(request, exc)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d proposal with a confidence of at least %(threshold).2f validated.",
                "%(count)d proposals with a confidence of at least %(threshold).2f validated.",
                count,
            )
            % {"count": count, "threshold": threshold},
        )
    return _back(request, establishment)


@login_required
@require_POST
def decide_group(request, code: str):
    establishment = establishment_or_404(request, code)
    version = catalog.get_version()
    form = GroupDecisionForm(request.POST, jobs=catalog.jobs_of(version))
    if not form.is_valid():
        form_errors(request, form)
        return _back(request, establishment)
    try:
        count = services.decide_group(
            request.user,
            establishment,
            form.cleaned_data["title_key"],
            job_code=form.cleaned_data["job"],
        )
    except ValidationError as exc:
        service_errors(request, exc)
    else:
        job = catalog.job_of(version, form.cleaned_data["job"])
        messages.success(
            request,
            ngettext(
                "%(count)d employee placed on %(job)s.",
                "%(count)d employees placed on %(job)s.",
                count,
            )
            % {"count": count, "job": job.title},
        )
    return _back(request, establishment)


@login_required
@require_POST
def validate(request, pk: int):
    """Accept one proposal, from the worklist or the employee's page."""
    positioning = positioning_or_404(request, pk)
    try:
        services.validate(request.user, positioning, comment=request.POST.get("comment", ""))
    except ValidationError as exc:
        service_errors(request, exc)
    else:
        messages.success(
            request,
            _("%(name)s: %(job)s validated.")
            % {"name": positioning.employee, "job": positioning.placed_on},
        )
    if request.POST.get("retour") is not None:
        return _back(request, positioning.establishment)
    return redirect("positioning:employee", pk=positioning.employee_id)


@login_required
@require_POST
def change(request, pk: int):
    positioning = positioning_or_404(request, pk)
    form = DecisionForm(request.POST, jobs=catalog.jobs_of(positioning.version))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.change(
                request.user,
                positioning,
                job_code=data["job"],
                personal_level=data["personal_level"],
                reason=data["reason"],
                comment=data["comment"],
            )
        except ValidationError as exc:
            service_errors(request, exc)
        else:
            messages.success(request, _("Positioning changed."))
    else:
        form_errors(request, form)
    return redirect("positioning:employee", pk=positioning.employee_id)


def placement_evaluations(user, positioning: Positioning):
    from repertoire.evaluation.selectors import evaluations_in_force

    return evaluations_in_force(user, positioning.establishment, positioning.version)


@login_required
@require_POST
def place_on_evaluation(request, pk: int):
    """Place the employee on a weighed local job of their establishment (no reference job
    describes it), from the employee's page."""
    positioning = positioning_or_404(request, pk)
    form = EvaluationPlacementForm(
        request.POST, evaluations=placement_evaluations(request.user, positioning)
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.place_on_evaluation(
                request.user,
                positioning,
                evaluation_id=data["evaluation"],
                personal_level=data["personal_level"],
                reason=data["reason"],
                comment=data["comment"],
            )
        except ValidationError as exc:
            service_errors(request, exc)
        else:
            messages.success(
                request,
                _("%(name)s: placed on %(job)s.")
                % {"name": positioning.employee, "job": positioning.placed_on},
            )
    else:
        form_errors(request, form)
    return redirect("positioning:employee", pk=positioning.employee_id)


@login_required
@require_POST
def comment(request, pk: int):
    positioning = positioning_or_404(request, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        services.comment(request.user, positioning, form.cleaned_data["text"])
        messages.success(request, _("Comment recorded."))
    return redirect("positioning:employee", pk=positioning.employee_id)


@login_required
@require_POST
def notify(request, code: str):
    """Record that the validated positionings (all, or the one posted) were notified."""
    establishment = establishment_or_404(request, code)
    positionings = selectors.positionings_for(request.user, establishment=establishment).filter(
        status=Positioning.Status.VALIDATED
    )
    if request.POST.get("positioning"):
        positionings = positionings.filter(pk=request.POST["positioning"])
    try:
        count = services.notify(request.user, list(positionings))
    except ValidationError as exc:
        service_errors(request, exc)
    else:
        messages.success(
            request,
            ngettext("%(count)d positioning notified.", "%(count)d positionings notified.", count)
            % {"count": count},
        )
    if request.POST.get("employee"):
        return redirect("positioning:employee", pk=int(request.POST["employee"]))
    return _back(request, establishment)
