"""A new edition in force: whom it affects, and the migration of an establishment's
positionings, which then go through the review worklist like any proposal."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from repertoire.accounts.selectors import may_write_personal_data
from repertoire.catalog import selectors as catalog
from repertoire.catalog.edition_views import compared, comparison_url
from repertoire.core.batches import rows_in
from repertoire.core.text import to_roman
from repertoire.positioning import selectors, services
from repertoire.positioning.models import EstablishmentMigration
from repertoire.positioning.views import writer_only
from repertoire.typesetting import charts
from repertoire.web import attempt


def _levels(row) -> list[tuple[str, int, int]]:
    numbers = sorted(set(row.by_level_before) | set(row.by_level_after))
    return [(to_roman(n), row.by_level_before[n], row.by_level_after[n]) for n in numbers]


def _chart(row, before, after):
    levels = _levels(row)
    if not levels:
        return None
    return charts.paired_columns(
        [roman for roman, _, _ in levels],
        [count for _, count, _ in levels],
        [count for _, _, count in levels],
        names=(before.label, after.label),
        title=_("Positioned employees by level, before and after"),
    )


@login_required
def impact(request):
    """Per establishment in the user's scope: whom the new edition moves, by level."""
    before, after = compared(request)
    found = selectors.edition_impact(request.user, before, after)
    total = found.total
    return render(
        request,
        "positioning/impact.html",
        {
            "before": before,
            "after": after,
            "impact": found,
            "rows": sorted(found.by_establishment.values(), key=lambda row: row.establishment),
            "total": total,
            "levels": _levels(total),
            "chart": _chart(total, before, after),
            "diff_url": comparison_url("editions:diff", before, after),
            "migratable": after.is_current and after.is_frozen,
        },
    )


@login_required
def migration(request, code: str):
    """One establishment: who changes job or level, then the migration into the worklist."""
    establishment = get_object_or_404(selectors.establishments_for(request.user), code=code)
    after = catalog.get_edition()
    label = request.POST.get("de") or request.GET.get("de")
    try:
        if label:
            before = catalog.get_edition(label)
        else:
            pending = selectors.pending_migration(request.user, establishment)
            before = pending.source if pending else catalog.previous_edition(after)
    except catalog.EditionNotFound as exc:
        raise Http404(str(exc)) from exc
    if request.method == "POST":
        if before is None:
            raise Http404(_("No earlier edition to migrate from."))
        writer_only(request, establishment.pk)
        # In the background: every employee's title is matched (minutes for thousands).
        work = attempt(
            request,
            lambda: services.request_migration(
                request.user, establishment, source=before, target=after
            ),
        )
        if not work:
            return redirect("worklist:migration", code=establishment.code)
        return redirect("worklist:migration-status", code=establishment.code, pk=work.result.pk)
    found = (
        selectors.edition_impact(request.user, before, after, establishment)
        if before is not None
        else None
    )
    row = found.by_establishment.get(establishment.code) if found else None
    moved = (
        [m for m in found.moves if m.changes_job or m.renamed or m.changes_level] if found else []
    )
    employees = {
        employee.pk: employee
        for employee in rows_in(
            selectors.employees_for(request.user), "pk", [m.person.employee_id for m in moved]
        )
    }
    old_titles = {job.code: job.title for job in found.diff.before.jobs} if found else {}
    return render(
        request,
        "positioning/migration.html",
        {
            "establishment": establishment,
            "before": before,
            "after": after,
            "row": row,
            "levels": _levels(row) if row else [],
            "chart": _chart(row, before, after) if row else None,
            "moves": [
                (employees.get(m.person.employee_id), m, old_titles.get(m.person.job_code, ""))
                for m in moved
            ],
            "writable": may_write_personal_data(request.user, establishment.pk),
            "running": EstablishmentMigration.objects.filter(
                establishment=establishment, status__in=EstablishmentMigration.RUNNING_STATUSES
            ).first(),
            "editions": catalog.editions().filter(published_at__isnull=False).exclude(pk=after.pk),
        },
    )


@login_required
def status(request, code: str, pk: int):
    """A migration under way (its progress), or its outcome: what was proposed."""
    establishment = get_object_or_404(selectors.establishments_for(request.user), code=code)
    writer_only(request, establishment.pk)
    work = get_object_or_404(
        EstablishmentMigration.objects.select_related("source", "target"),
        establishment=establishment,
        pk=pk,
    )
    return render(
        request,
        "positioning/migration_status.html",
        {
            "establishment": establishment,
            "work": work,
            "waiting": work.status in EstablishmentMigration.RUNNING_STATUSES,
        },
    )
