"""Import an employee file: upload, analysis with a preview, then commit — all or nothing.

Both steps run in the background with their progress on the page, so that a
26,000-line file never holds a request.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from repertoire.core.payroll_columns import FIELD_LABELS
from repertoire.positioning import selectors, services
from repertoire.positioning.forms import EmployeeFileForm
from repertoire.positioning.models import EmployeeImport
from repertoire.positioning.views import establishment_to_decide
from repertoire.web import attempt


@login_required
def upload(request, code: str):
    establishment = establishment_to_decide(request, code)
    form = EmployeeFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        batch = services.upload_employee_file(
            request.user,
            establishment,
            filename=upload.name,
            content=upload.read(),
            pay_date=form.cleaned_data["pay_date"],
        )
        return redirect("worklist:import-status", code=establishment.code, pk=batch.pk)
    return render(
        request,
        "positioning/import_upload.html",
        {
            "establishment": establishment,
            "form": form,
            "imports": selectors.imports_of(request.user, establishment)[:10],
            "columns": FIELD_LABELS,
        },
    )


def _batch(request, code: str, pk: int) -> EmployeeImport:
    establishment = establishment_to_decide(request, code)
    return get_object_or_404(selectors.imports_of(request.user, establishment), pk=pk)


@login_required
def status(request, code: str, pk: int):
    batch = _batch(request, code, pk)
    report = batch.report
    return render(
        request,
        "positioning/import_status.html",
        {
            "establishment": batch.establishment,
            "batch": batch,
            "report": report,
            "waiting": batch.status
            in (EmployeeImport.Status.ANALYSING, EmployeeImport.Status.IMPORTING),
            "columns": [
                (FIELD_LABELS.get(name, name), header)
                for name, header in report.get("columns", {}).items()
            ],
        },
    )


@login_required
@require_POST
def commit(request, code: str, pk: int):
    batch = _batch(request, code, pk)
    attempt(request, lambda: services.commit_employee_file(request.user, batch))
    return redirect("worklist:import-status", code=batch.establishment.code, pk=batch.pk)


@login_required
@require_POST
def restart(request, code: str, pk: int):
    batch = _batch(request, code, pk)
    attempt(request, lambda: services.restart_employee_file(request.user, batch))
    return redirect("worklist:import-status", code=batch.establishment.code, pk=batch.pk)
