"""Import an employee file: upload, analysis with a preview, then commit — all or nothing.

Both steps run in the background with their progress on the page, so that a
26,000-line file never holds a request.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from repertoire.accounts.selectors import may_write_personal_data
from repertoire.core.payroll import FIELD_LABELS
from repertoire.positioning import selectors, services
from repertoire.positioning.forms import EmployeeFileForm
from repertoire.positioning.models import EmployeeImport
from repertoire.positioning.views.worklist import establishment_or_404, service_errors


def _writer_establishment(request, code: str):
    establishment = establishment_or_404(request, code)
    if not may_write_personal_data(request.user, establishment.pk):
        raise PermissionDenied("réservé aux RH de l'établissement")
    return establishment


@login_required
def upload(request, code: str):
    establishment = _writer_establishment(request, code)
    form = EmployeeFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        batch = services.upload_employee_file(
            request.user, establishment, filename=upload.name, content=upload.read()
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
    establishment = _writer_establishment(request, code)
    try:
        return selectors.import_for(request.user, establishment, pk)
    except EmployeeImport.DoesNotExist:
        raise Http404("aucun import à cette adresse") from None


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
    try:
        services.commit_employee_file(request.user, batch)
    except ValidationError as exc:
        service_errors(request, exc)
    return redirect("worklist:import-status", code=batch.establishment.code, pk=batch.pk)
