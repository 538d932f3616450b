"""Appeals (recours): opened from a notified positioning, decided by the commission."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from repertoire.accounts.selectors import may_write_personal_data, sees_personal_details
from repertoire.catalog import selectors as catalog
from repertoire.positioning import selectors, services
from repertoire.positioning.forms import AppealDecisionForm, AppealForm
from repertoire.positioning.models import Appeal
from repertoire.positioning.views import (
    form_errors,
    positioning_to_decide,
)
from repertoire.tables import table
from repertoire.web import attempt

PAGE_SIZE = 50
APPEAL_SORTS = {
    "numero": ("pk",),
    "nom": ("positioning__employee__last_name", "positioning__employee__first_name"),
    "nature": ("kind",),
    "recu": ("received_on",),
    "statut": ("status",),
}


@login_required
def appeal_list(request, code: str):
    establishment = get_object_or_404(selectors.establishments_for(request.user), code=code)
    status = request.GET.get("statut", "")
    if status not in Appeal.Status.values:
        status = ""
    appeals = selectors.appeals_for(request.user, establishment=establishment, status=status)
    listing = table(request, appeals, sorts=APPEAL_SORTS, per_page=PAGE_SIZE)
    return render(
        request,
        "positioning/appeals.html",
        {
            "establishment": establishment,
            "appeals": listing.page,
            "table": listing,
            "status": status,
            "statuses": Appeal.Status.choices,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def open_appeal(request, pk: int):
    positioning = positioning_to_decide(request, pk)
    form = AppealForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return redirect("positioning:employee", pk=positioning.employee_id)
    opened = attempt(
        request,
        lambda: services.open_appeal(request.user, positioning, **form.cleaned_data),
        success=_("Appeal recorded; the positioning is contested."),
    )
    if not opened:
        return redirect("positioning:employee", pk=positioning.employee_id)
    return redirect("worklist:appeal", pk=opened.result.pk)


@login_required
def appeal_detail(request, pk: int):
    appeal = get_object_or_404(selectors.appeals_for(request.user), pk=pk)
    positioning = appeal.positioning
    jobs = catalog.job_list(positioning.edition)
    form = AppealDecisionForm(
        request.POST or None,
        jobs=jobs,
        initial={"decided_on": timezone.localdate()},
    )
    may_write = may_write_personal_data(request.user, appeal.establishment_id)
    if request.method == "POST" and may_write and form.is_valid():
        data = form.cleaned_data
        decided = attempt(
            request,
            lambda: services.decide_appeal(
                request.user,
                appeal,
                outcome=data["outcome"],
                reasoning=data["reasoning"],
                job_code=data["job"],
                personal_level=data["personal_level"],
                reason=data["reason"],
                decided_on=data["decided_on"],
            ),
            success=_("The commission's decision is recorded."),
        )
        if decided:
            return redirect("worklist:appeal", pk=appeal.pk)
    return render(
        request,
        "positioning/appeal.html",
        {
            "appeal": appeal,
            "positioning": positioning,
            "events": selectors.events_of(positioning),
            "form": form,
            "jobs": jobs,
            "may_write": may_write,
            "details": sees_personal_details(request.user),
        },
    )
