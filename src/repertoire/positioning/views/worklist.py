"""The review worklist of an establishment, and the decisions taken from it.

Identical local titles are reviewed as one group (one decision can settle hundreds of
people), the most uncertain and most populated groups first; the list view shows the
people one by one, least certain first.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from repertoire.accounts.selectors import may_write_personal_data, role_of, sees_personal_details
from repertoire.catalog import selectors as catalog
from repertoire.core.cells import whole_number
from repertoire.core.proposal_quality import side_by_side
from repertoire.core.text import to_roman
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
from repertoire.tables import table
from repertoire.web import attempt, etag_seen

PAGE_SIZE = 50
GROUPS_PAGE_SIZE = 100
# The columns a person may sort the worklist on (?tri=…&ordre=asc|desc).
LIST_SORTS = {
    "nom": ("employee__last_name", "employee__first_name"),
    "intitule": ("employee__job_title",),
    "service": ("employee__service",),
    "emploi": ("job__title",),
    "niveau": ("level",),
    "confiance": ("confidence",),
    "statut": ("status",),
}
GROUP_SORTS = {
    "intitule": lambda group: group.example_title.casefold(),
    "a_revoir": lambda group: group.to_review,
    "emploi": lambda group: group.job_title.casefold() or None,
    "niveau": lambda group: group.level,
    "confiance": lambda group: group.confidence,
}


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
    jobs = list(catalog.job_list(edition))
    form, filters = _worklist_filters(request, establishment, request.GET, jobs)
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
        "bulk": (
            selectors.acceptance_preview(
                request.user, establishment, filters=filters, threshold=threshold
            )
            if may_write_personal_data(request.user, establishment.pk)
            else None
        ),
        "filter_fields": _filter_fields(filters),
        "quality": _quality(establishment),
        "query": _query(request, exclude=("page",)),
        "pending_migration": selectors.pending_migration(request.user, establishment),
        "edition": edition,
    }
    if as_list:
        positionings = selectors.positionings_for(
            request.user, establishment=establishment, filters=filters
        )
        sorts = dict(LIST_SORTS)
        if not context["details"]:
            sorts.pop("service")  # a column the person does not see sorts nothing
        listing = table(request, positionings, sorts=sorts, per_page=PAGE_SIZE)
    else:
        groups = selectors.title_groups(
            request.user,
            establishment,
            filters=filters,
            pending_only=not filters.status,
        )
        listing = table(request, groups, sorts=GROUP_SORTS, per_page=GROUPS_PAGE_SIZE)
        # Each group's button names its people: the confirmation sends back how many
        # and their etag, and places exactly them.
        etags = selectors.group_etags(
            request.user, establishment, (g.title_key for g in listing.page), filters=filters
        )
        context["groups"] = [(group, etags[group.title_key]) for group in listing.page]
    context["table"] = listing
    context["page"] = listing.page
    return render(request, "positioning/worklist.html", context)


def _worklist_filters(request, establishment: Establishment, data, jobs=None):
    """The worklist's filter form and the filters it gives, read from ``data`` (the
    worklist's query, or the fields a bulk acceptance posts back): one reading for the
    list and for what bulk acceptance acts on."""
    if jobs is None:
        jobs = list(catalog.job_list(catalog.get_edition()))
    form = WorklistFilterForm(
        data or None,
        services=(
            selectors.services_of(request.user, establishment)
            if selectors.may_filter_on(request.user, "service")
            else None
        ),
        jobs=jobs,
    )
    filters = selectors.WorklistFilters()
    if form.is_valid():
        cleaned = form.cleaned_data
        filters = selectors.WorklistFilters(
            service=cleaned.get("service", ""),
            status=cleaned["statut"],
            job=cleaned["emploi"],
            level=cleaned["niveau"],
            title_key=data.get("groupe", "")[:200],
            search=cleaned["q"].strip(),
        )
    return form, filters


# The worklist's query parameters, by ``WorklistFilters`` field.
FILTER_PARAMETERS = {
    "service": "service",
    "status": "statut",
    "job": "emploi",
    "level": "niveau",
    "title_key": "groupe",
    "search": "q",
}


def _filter_fields(filters) -> list[tuple[str, str]]:
    """The filters as the worklist's query parameters (hidden fields of a form)."""
    return [
        (parameter, str(getattr(filters, name)))
        for name, parameter in FILTER_PARAMETERS.items()
        if getattr(filters, name)
    ]


def _query(request, exclude=()) -> str:
    return urlencode([(k, v) for k, v in request.GET.items() if k not in exclude and v])


def _back(request, establishment: Establishment):
    """Back to the worklist as the person left it (filters, view, page)."""
    url = reverse("worklist:worklist", kwargs={"code": establishment.code})
    query = request.POST.get("retour", "")
    return redirect(f"{url}?{query}" if query and "//" not in query else url)


@login_required
def bulk_accept(request, code: str):
    """Bulk acceptance of the proposals the worklist shows under its filters: the page
    (GET) says how many and on which jobs; the person confirms (POST) that count."""
    establishment = establishment_to_decide(request, code)
    data = request.POST if request.method == "POST" else request.GET
    filter_form, filters = _worklist_filters(request, establishment, data)
    if filter_form.is_bound and not filter_form.is_valid():
        # A filter not understood never widens the acceptance to everyone.
        form_errors(request, filter_form)
        return redirect("worklist:worklist", code=establishment.code)
    form = BulkAcceptForm(data if "threshold" in data else None)
    threshold = form.cleaned_data["threshold"] if form.is_valid() else None
    if threshold is None:
        if form.is_bound:
            form_errors(request, form)
        threshold = selectors.bulk_accept_threshold()
    fields = _filter_fields(filters)
    back_query = urlencode([("vue", "liste"), *fields] if data.get("vue") else fields)
    expected = whole_number(data.get("attendu", ""))
    if request.method == "POST" and expected is not None and form.is_valid():
        done = attempt(
            request,
            lambda: services.accept_batch(
                request.user,
                establishment,
                threshold=threshold,
                filters=filters,
                expected=expected,
                seen=data.get("etag") or None,
            ),
            success=lambda batch: _accepted_message(batch, threshold),
        )
        if done:
            url = reverse("worklist:worklist", kwargs={"code": establishment.code})
            return redirect(f"{url}?{back_query}" if back_query else url)
    preview = selectors.acceptance_preview(
        request.user, establishment, filters=filters, threshold=threshold
    )
    return render(
        request,
        "positioning/bulk_accept.html",
        {
            "establishment": establishment,
            "filters": filters,
            "filter_fields": fields,
            "filter_labels": _filter_labels(request, establishment, filters),
            "preview": preview,
            "threshold": threshold,
            "back_query": back_query,
            "vue": data.get("vue", ""),
        },
    )


def _accepted_message(batch, threshold: float) -> str:
    """What the person is told once a batch is accepted, its figures in their language."""
    count = batch.accepted if batch is not None else 0
    return ngettext(
        "%(count)s proposal with a confidence of at least %(threshold)s validated "
        "(batch no. %(batch)s, which can be undone until notification).",
        "%(count)s proposals with a confidence of at least %(threshold)s validated "
        "(batch no. %(batch)s, which can be undone until notification).",
        count,
    ) % {
        "count": number_format(count, force_grouping=True),
        "threshold": number_format(threshold, 2),
        "batch": batch.pk if batch is not None else "—",
    }


def _filter_labels(request, establishment: Establishment, filters) -> list[tuple[str, str]]:
    """The filters in words, as the worklist's form names them."""
    labels = []
    if filters.service and selectors.may_filter_on(request.user, "service"):
        labels.append((_("Service"), filters.service))
    if filters.status:
        labels.append((_("Status"), Positioning.Status(filters.status).label))
    if filters.job:
        job = catalog.job_of(catalog.get_edition(), filters.job)
        labels.append((_("Reference job"), job.title if job else filters.job))
    if filters.level:
        labels.append((_("Level"), to_roman(filters.level)))
    if filters.title_key:
        labels.append((_("Local title"), filters.title_key))
    if filters.search:
        labels.append((_("Search"), filters.search))
    return labels


def _filters_of(filters: dict) -> selectors.WorklistFilters:
    """The worklist filters a batch was made with (those the filters still know)."""
    names = selectors.WorklistFilters.__dataclass_fields__
    return selectors.WorklistFilters(
        **{name: value for name, value in filters.items() if name in names}
    )


@login_required
def acceptance_batches(request, code: str):
    """The establishment's bulk acceptances, each undoable until notification."""
    establishment = get_object_or_404(selectors.establishments_for(request.user), code=code)
    return render(
        request,
        "positioning/acceptance_batches.html",
        {
            "establishment": establishment,
            "rows": [
                (row, _filter_labels(request, establishment, _filters_of(row.filters)))
                for row in selectors.acceptance_batches_of(request.user, establishment)
            ],
            "may_write": may_write_personal_data(request.user, establishment.pk),
        },
    )


@login_required
def undo_acceptance_batch(request, code: str, pk: int):
    """Undo one bulk acceptance: the page (GET) says what it puts back; POST does it."""
    establishment = establishment_to_decide(request, code)
    batch = get_object_or_404(
        selectors.acceptance_batches_for(request.user).filter(establishment=establishment),
        pk=pk,
    )
    listing = reverse("worklist:acceptance-batches", kwargs={"code": establishment.code})
    if request.method == "POST":
        attempt(
            request,
            lambda: services.undo_batch(request.user, batch),
            success=lambda count: (
                ngettext(
                    "Batch no. %(batch)s undone: %(count)s positioning is proposed again.",
                    "Batch no. %(batch)s undone: %(count)s positionings are proposed again.",
                    count,
                )
                % {"batch": batch.pk, "count": number_format(count, force_grouping=True)}
            ),
        )
        return redirect(listing)
    row = next(
        (
            r
            for r in selectors.acceptance_batches_of(request.user, establishment)
            if r.batch == batch
        ),
        None,
    )
    return render(
        request,
        "positioning/acceptance_batch_undo.html",
        {"establishment": establishment, "batch": batch, "row": row, "listing": listing},
    )


@login_required
@require_POST
def decide_group(request, code: str):
    """Place the people of one local title the worklist showed (under its filters) on one
    job: the button names how many; the form sends that count and their etag back."""
    establishment = establishment_to_decide(request, code)
    edition = catalog.get_edition()
    jobs = list(catalog.job_list(edition))
    form = GroupDecisionForm(request.POST, jobs=jobs)
    if not form.is_valid():
        form_errors(request, form)
        return _back(request, establishment)
    filter_form, filters = _worklist_filters(request, establishment, request.POST, jobs=jobs)
    if filter_form.is_bound and not filter_form.is_valid():
        # A filter not understood never widens the decision to people the page hid.
        form_errors(request, filter_form)
        return _back(request, establishment)
    job_code = form.cleaned_data["job"]
    attempt(
        request,
        lambda: services.decide_group(
            request.user,
            establishment,
            form.cleaned_data["title_key"],
            job_code=job_code,
            filters=filters,
            expected=form.cleaned_data["attendu"],
            seen=request.POST.get("etag") or None,
        ),
        success=lambda batch: (
            ngettext(
                "%(count)s employee placed on %(job)s (batch no. %(batch)s, which can be "
                "undone until notification).",
                "%(count)s employees placed on %(job)s (batch no. %(batch)s, which can be "
                "undone until notification).",
                batch.accepted,
            )
            % {
                "count": number_format(batch.accepted, force_grouping=True),
                "job": catalog.job_of(edition, job_code).title,
                "batch": batch.pk,
            }
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
            request.user,
            positioning,
            comment=request.POST.get("comment", ""),
            seen=etag_seen(request),
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
    form = DecisionForm(request.POST, jobs=catalog.job_list(positioning.edition))
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
                seen=etag_seen(request),
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
                seen=etag_seen(request),
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
def notify(request, code: str):
    """Record that the validated positionings (all, or the one posted) were notified.

    For the whole establishment, the page (GET) states the consequences with figures (how
    many people, the appeal deadline); the person confirms (POST) that count."""
    establishment = establishment_to_decide(request, code)
    positionings = selectors.positionings_for(request.user, establishment=establishment).filter(
        status=Positioning.Status.VALIDATED
    )
    one = request.method == "POST" and request.POST.get("positioning")
    expected = whole_number(request.POST.get("attendu", "")) if request.method == "POST" else None
    if one or expected is not None:
        if one:
            number = whole_number(request.POST["positioning"])
            positionings = positionings.filter(pk=number) if number is not None else []
        done = attempt(
            request,
            lambda: services.notify(
                request.user,
                list(positionings),
                expected=None if one else expected,
                seen=_notified_as_seen(request, one),
            ),
            success=lambda count: (
                ngettext(
                    "%(count)s positioning notified.", "%(count)s positionings notified.", count
                )
                % {"count": number_format(count, force_grouping=True)}
            ),
        )
        if (employee := whole_number(request.POST.get("employee", ""))) is not None:
            return redirect("positioning:employee", pk=employee)
        if done or one:
            return _back(request, establishment)
    today = timezone.localdate()
    return render(
        request,
        "positioning/notify_confirm.html",
        {
            "establishment": establishment,
            "count": positionings.count(),
            # Exactly these people: the confirmation sends it back.
            "etag": selectors.selection_etag(positionings),
            "today": today,
            "deadline": selectors.appeal_deadline(today),
            "months": selectors.appeal_months(),
            "query": request.GET.get("retour", request.POST.get("retour", "")),
        },
    )


def _notified_as_seen(request, one) -> str | None:
    """The etag of the people a notification form showed: the confirmation's, or the
    one person's etag from their page."""
    posted = etag_seen(request)
    if one and posted and (number := whole_number(one)) is not None:
        return selectors.selection_etag_of([(number, posted)])
    return posted


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
