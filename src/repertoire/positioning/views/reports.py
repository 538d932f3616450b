"""/rapports/: headcounts by level, job and establishment, progress and appeals.

National administrators see the network, or one establishment with ``?etablissement=``;
HR officers and readers see their establishment. Only counts: no personal data here.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from repertoire.accounts.selectors import role_of, sees_every_establishment
from repertoire.catalog.selectors import EditionNotFound, get_edition
from repertoire.core.text import to_roman
from repertoire.positioning import reports, selectors
from repertoire.positioning.models import Appeal, Establishment, Positioning
from repertoire.typesetting import charts


def _scope(request) -> Establishment | None:
    """The establishment reported on; None for the whole network (national only)."""
    if role_of(request.user) is None:
        raise Http404("aucun établissement ne vous est rattaché")
    code = request.GET.get("etablissement", "").strip()
    if code:
        return get_object_or_404(selectors.establishments_for(request.user), code=code)
    if sees_every_establishment(request.user):
        return None
    # HR and readers: their own establishment, named as the report's scope.
    return selectors.establishments_for(request.user).first()


def _report(request) -> tuple[Establishment | None, selectors.Report]:
    establishment = _scope(request)
    try:
        edition = get_edition(request.GET.get("edition") or None)
        return establishment, selectors.report_for(request.user, establishment, edition)
    except EditionNotFound as exc:
        raise Http404(str(exc)) from None


def _levels_chart(report: selectors.Report):
    levels = list(report.by_level.items())
    return charts.columns(
        [to_roman(level) for level, _count in levels],
        [count for _level, count in levels],
        title=_("Decided positionings by level"),
        description=", ".join(f"{to_roman(level)} : {count}" for level, count in levels),
    )


@login_required
def report(request):
    establishment, report = _report(request)
    statuses = dict(Positioning.Status.choices)
    appeal_statuses = dict(Appeal.Status.choices)
    appeal_kinds = dict(Appeal.Kind.choices)
    # The exports are of the same scope and edition as the page.
    params = {"etablissement": establishment.code if establishment is not None else ""}
    params["edition"] = request.GET.get("edition", "")
    query = "?" + urlencode({k: v for k, v in params.items() if v}) if any(params.values()) else ""
    return render(
        request,
        "positioning/report.html",
        {
            "report": report,
            "establishment": establishment,
            "national": sees_every_establishment(request.user),
            "establishments": selectors.establishments_for(request.user),
            "percent": round(report.progress * 100),
            "levels_chart": _levels_chart(report),
            "levels": [(to_roman(level), count) for level, count in report.by_level.items()],
            "status_counts": [
                (status, statuses[status], count) for status, count in report.by_status.items()
            ],
            "appeals_by_status": [
                (status, appeal_statuses[status], count)
                for status, count in report.appeals_by_status.items()
            ],
            "appeals_by_kind": [
                (appeal_kinds[kind], count) for kind, count in report.appeals_by_kind.items()
            ],
            "appeal_total": sum(report.appeals_by_status.values()),
            "query": query,
        },
    )


@login_required
def export(request, format: str):
    """The same report as a workbook (one sheet per table) or a CSV file for Excel."""
    if format not in reports.FORMATS:
        raise Http404(f"format de rapport inconnu : {format}")
    establishment, report = _report(request)
    content, content_type = reports.report_file(report, format)
    response = HttpResponse(content, content_type=content_type)
    name = reports.file_name(establishment.code if establishment else "reseau", format)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
