"""Employees of the establishments the user may see (HR, readers, national administrators)."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_POST

from repertoire.accounts.selectors import may_write_personal_data, role_of, sees_personal_details
from repertoire.audit.selectors import history_of
from repertoire.catalog import selectors as catalog
from repertoire.core import positioning as rules
from repertoire.evaluation.selectors import evaluations_in_force
from repertoire.positioning import selectors, services
from repertoire.positioning.forms import (
    AppealForm,
    CommentForm,
    DecisionForm,
    EvaluationPlacementForm,
)
from repertoire.tables import table
from repertoire.typesetting.pdf import pdf

PAGE_SIZE = 50
EMPLOYEE_SORTS = {
    "nom": ("last_name", "first_name"),
    "matricule": ("matricule",),
    "intitule": ("job_title",),
    "service": ("service",),
    "niveau": ("current_level",),
    "etablissement": ("establishment__code",),
}
PERSONAL_SORTS = ("matricule", "service")  # columns only those who see them may sort on


@login_required
def employee_list(request):
    if role_of(request.user) is None:
        raise Http404("aucun établissement ne vous est rattaché")
    search = request.GET.get("q", "").strip()[:100]
    employees = selectors.employees_for(
        request.user, search=search, establishment=request.GET.get("etablissement") or None
    )
    details = sees_personal_details(request.user)
    sorts = {
        key: fields
        for key, fields in EMPLOYEE_SORTS.items()
        if details or key not in PERSONAL_SORTS
    }
    listing = table(request, employees, sorts=sorts, per_page=PAGE_SIZE)
    return render(
        request,
        "positioning/employees.html",
        {
            "table": listing,
            "page": listing.page,
            "search": search,
            "establishments": selectors.establishments_for(request.user),
            "details": details,
        },
    )


@login_required
def employee_detail(request, pk: int):
    employee = get_object_or_404(selectors.employees_for(request.user), pk=pk)
    details = sees_personal_details(request.user)
    may_write = may_write_personal_data(request.user, employee.establishment_id)
    positioning = selectors.positioning_of(request.user, employee)
    context = {
        "employee": employee,
        "details": details,
        "history": history_of(request.user, employee) if details else None,
        "may_erase": may_write,
        "may_write": may_write,
        "positioning": positioning,
        "earlier": selectors.earlier_positionings(request.user, employee),
        # Personal data: national administrators and the establishment's HR only.
        "pay_history": selectors.pay_history_of(request.user, employee),
    }
    if positioning is not None:
        jobs = catalog.job_list(positioning.edition)
        context |= {
            "events": selectors.events_of(positioning),
            "appeals": positioning.appeals.all(),
            "jobs": jobs,
            "decision_form": DecisionForm(
                jobs=jobs,
                initial={
                    "job": positioning.job.title if positioning.job else "",
                    "personal_level": positioning.level if positioning.is_personal_level else None,
                    "reason": positioning.personal_level_reason,
                },
            ),
            "comment_form": CommentForm(),
            "evaluation_form": _evaluation_form(request.user, positioning, may_write),
            "appeal_form": AppealForm(initial={"received_on": timezone.localdate()}),
            "appeal_deadline": selectors.appeal_deadline(positioning.notified_on)
            if positioning.notified_on
            else None,
        }
    return render(request, "positioning/employee.html", context)


def _evaluation_form(user, positioning, may_write: bool) -> EvaluationPlacementForm | None:
    """The form placing the employee on an evaluated local job: for those who decide, while
    the positioning is open to review and the establishment has validated evaluations."""
    if not may_write or positioning.status not in rules.OPEN_TO_REVIEW:
        return None
    evaluations = list(evaluations_in_force(user, positioning.establishment, positioning.edition))
    if not evaluations:
        return None
    return EvaluationPlacementForm(
        evaluations=evaluations,
        auto_id="evaluation_%s",  # the job change form beside it has the same fields
        initial={
            "evaluation": positioning.evaluation_id,
            "personal_level": positioning.level
            if positioning.evaluation_id and positioning.is_personal_level
            else None,
            "reason": positioning.personal_level_reason if positioning.evaluation_id else "",
        },
    )


@login_required
def personal_data(request, pk: int, format: str):
    """Everything held on the person, as JSON or PDF (right of access)."""
    employee = get_object_or_404(selectors.employees_for(request.user), pk=pk)
    if format not in ("json", "pdf") or not sees_personal_details(request.user):
        raise Http404("réservé aux RH de l'établissement")
    data = selectors.personal_data_of(request.user, employee)
    name = f"donnees-collaborateur-{employee.pk}"
    if format == "json":
        response = HttpResponse(
            json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.json"'
        return response
    html = render_to_string(
        "positioning/personal_data.html", {"data": data, "employee": employee}, request=request
    )
    response = HttpResponse(pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


@login_required
@require_POST
def erase(request, pk: int):
    employee = get_object_or_404(selectors.employees_for(request.user), pk=pk)
    if request.POST.get("confirm") != "oui":
        return redirect("positioning:employee", pk=pk)
    # Only those who may write erase; for anyone else there is nothing to erase here.
    if not may_write_personal_data(request.user, employee.establishment_id):
        raise Http404("réservé aux RH de l'établissement")
    services.erase_employee(request.user, employee, reason="demande d'effacement")
    return redirect("positioning:employee", pk=pk)
