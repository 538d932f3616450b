"""Employees of the establishments the user may see (HR, readers, national administrators)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from repertoire.accounts.selectors import role_of, sees_personal_details
from repertoire.audit.selectors import history_of
from repertoire.positioning import selectors
from repertoire.positioning.models import Employee

PAGE_SIZE = 50


@login_required
def employee_list(request):
    if role_of(request.user) is None:
        raise Http404("aucun établissement ne vous est rattaché")
    search = request.GET.get("q", "").strip()[:100]
    employees = selectors.employees_for(
        request.user, search=search, establishment=request.GET.get("etablissement") or None
    )
    page = Paginator(employees, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "positioning/employees.html",
        {
            "page": page,
            "search": search,
            "establishments": selectors.establishments_for(request.user),
            "details": sees_personal_details(request.user),
        },
    )


@login_required
def employee_detail(request, pk: int):
    try:
        employee = selectors.employee_for(request.user, pk)
    except Employee.DoesNotExist:
        raise Http404("aucun collaborateur à cette adresse") from None
    details = sees_personal_details(request.user)
    return render(
        request,
        "positioning/employee.html",
        {
            "employee": employee,
            "details": details,
            "history": history_of(request.user, employee) if details else None,
        },
    )
