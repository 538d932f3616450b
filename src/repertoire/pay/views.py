"""/egalite/: the equal-pay report (network and establishments), its exports, the gap
actions, the pay ranges, and a worker's article-7 letter.

An establishment outside the user's scope does not exist for them (404). Readers see the
aggregated pages; individual pay only reaches HR and national administrators, in the
letter."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from repertoire.accounts.models import Role
from repertoire.accounts.selectors import role_of
from repertoire.core.cells import whole_number
from repertoire.core.refusals import NotAllowed, Refused
from repertoire.pay import letters, reports, selectors, services
from repertoire.pay.forms import GapActionForm
from repertoire.positioning.selectors import establishments_for
from repertoire.web import attempt

BY_PARAMETER = {"niveau": selectors.BY_LEVEL, "emploi": selectors.BY_JOB}


def _year(request) -> int | None:
    value = request.GET.get("annee", "").strip()
    if not value:
        return None
    if (year := whole_number(value, max_digits=4)) is None:
        raise Http404("année inconnue")
    return year


def _by(request) -> str:
    value = request.GET.get("par", "niveau")
    if value not in BY_PARAMETER:
        raise Http404("regroupement inconnu")
    return BY_PARAMETER[value]


def _view(request, code: str | None) -> reports.ReportView:
    try:
        return reports.report_view(request.user, code, year=_year(request), by=_by(request))
    except (NotAllowed, Refused):
        raise Http404("établissement inconnu") from None


@login_required
def index(request):
    """National administrators: the network's report; HR and readers: their own."""
    role = role_of(request.user)
    if role in (Role.HR, Role.READER):
        place = establishments_for(request.user).first()
        if place is None:
            raise Http404("aucun établissement ne vous est rattaché")
        return redirect("pay:report", code=place.code)
    if role != Role.NATIONAL:
        raise Http404("aucun établissement ne vous est rattaché")
    return _report_page(request, None)


@login_required
def report(request, code: str):
    return _report_page(request, code)


def _query(request, **extra) -> str:
    params = {
        "annee": request.GET.get("annee", ""),
        "par": request.GET.get("par", ""),
        **extra,
    }
    params = {k: v for k, v in params.items() if v}
    return "?" + urlencode(params) if params else ""


def _report_page(request, code: str | None):
    view = _view(request, code)
    place = view.establishment
    may_record = selectors.may_record_actions(request.user, place) and bool(view.flagged)
    form = None
    if may_record:
        form = GapActionForm(request.POST or None, categories=[c["category"] for c in view.flagged])
        if request.method == "POST" and form.is_valid():
            done = attempt(
                request,
                lambda: services.record_gap_action(
                    request.user,
                    establishment=place,
                    year=view.year,
                    by=view.by,
                    **form.cleaned_data,
                ),
                success=_("The justification or remedy is recorded."),
                form=form,
            )
            if done:
                return redirect(request.path + _query(request))
    elif request.method == "POST":
        raise Http404("aucune action à enregistrer ici")
    national = role_of(request.user) == Role.NATIONAL
    return render(
        request,
        "pay/report.html",
        {
            "view": view,
            "report": view.report,
            "form": form,
            "national": national,
            "establishments": establishments_for(request.user).order_by("code") if national else [],
            "years": selectors.years(request.user, place),
            "by_job": view.by == selectors.BY_JOB,
            "query": _query(request),
            "export_xlsx": _export_url(place, "xlsx") + _query(request),
            "export_pdf": _export_url(place, "pdf") + _query(request),
            "ranges_url": _ranges_url(place) + _query(request, par=""),
        },
    )


def _export_url(place, format: str) -> str:
    if place is None:
        return reverse("pay:network_export", args=[format])
    return reverse("pay:export", args=[place.code, format])


def _ranges_url(place) -> str:
    if place is None:
        return reverse("pay:network_ranges")
    return reverse("pay:ranges", args=[place.code])


def _export(request, code: str | None, format: str):
    if format not in reports.FORMATS:
        raise Http404(f"format inconnu : {format}")
    view = _view(request, code)
    response = HttpResponse(reports.report_file(view, format), content_type=reports.FORMATS[format])
    response["Content-Disposition"] = f'attachment; filename="{reports.file_name(view, format)}"'
    return response


@login_required
def export(request, code: str, format: str):
    return _export(request, code, format)


@login_required
def network_export(request, format: str):
    if role_of(request.user) != Role.NATIONAL:
        raise Http404("réservé aux administrateurs nationaux")
    return _export(request, None, format)


def _ranges_page(request, code: str | None):
    try:
        place = selectors.scope_of(request.user, code)
        rows = selectors.ranges(request.user, establishment=place, year=_year(request))
        years = selectors.years(request.user, place)
    except (NotAllowed, Refused):
        raise Http404("établissement inconnu") from None
    year = _year(request) or (years[0] if years else None)
    return render(
        request,
        "pay/ranges.html",
        {
            "establishment": place,
            "rows": rows,
            "year": year,
            "years": years,
            "report_url": reverse("pay:report", args=[place.code])
            if place
            else reverse("pay:index"),
        },
    )


@login_required
def ranges(request, code: str):
    return _ranges_page(request, code)


@login_required
def network_ranges(request):
    if role_of(request.user) != Role.NATIONAL:
        raise Http404("réservé aux administrateurs nationaux")
    return _ranges_page(request, None)


@login_required
@require_POST
def worker_letter(request, pk: int):
    """Send a worker their article-7 letter: journaled, then given as a PDF (POST only:
    sending is a recorded act, not a link one follows)."""
    employee = get_object_or_404(selectors.letter_employees_for(request.user), pk=pk)
    year = request.POST.get("annee", "").strip()
    done = attempt(
        request,
        lambda: services.send_worker_letter(
            request.user, employee, year=whole_number(year, max_digits=4)
        ),
    )
    if not done:
        return redirect("positioning:employee", pk=employee.pk)
    response = HttpResponse(letters.letter_pdf(done.result), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="lettre-remuneration-{employee.pk}-{done.result["year"]}.pdf"'
    )
    return response
