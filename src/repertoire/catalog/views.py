"""Consultation pages: the repertoire, job sheets, search, comparison, criteria, levels.

Views read through ``selectors``; the rules (levels, families, distances, ranking) live in
``core``. The charts and the download formats are publishing's: the templates draw them
with its ``publishing_pages`` tags.
"""

from __future__ import annotations

from functools import partial

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from repertoire.accounts.models import Role
from repertoire.accounts.selectors import role_of
from repertoire.audit.selectors import job_history
from repertoire.catalog import selectors
from repertoire.catalog.forms import MAX_COMPARED, RESULTS_PER_PAGE, RomeForm, SearchForm
from repertoire.catalog.page_parts import rendered_part
from repertoire.core.factors import factor_coverage
from repertoire.core.grid import RULES, calibrate
from repertoire.core.text import gender_forms, to_roman


def _edition(request):
    try:
        return selectors.edition_for(request.user, request.GET.get("edition"))
    except selectors.EditionNotFound as exc:
        raise Http404(str(exc)) from exc


def _levels_with_jobs(edition):
    levels = list(selectors.levels_of(edition))
    jobs = list(selectors.jobs_of(edition))
    for level in levels:
        level.job_list = [job for job in jobs if job.level_id == level.pk]
    return levels


def home(request):
    """The edition and its jobs by level: the document's sommaire, from the database."""
    edition = _edition(request)
    levels = _levels_with_jobs(edition)
    return render(
        request,
        "catalog/home.html",
        {
            "edition": edition,
            "levels": levels,
        },
    )


def job_sheet(request, code: str):
    job = selectors.job_heading(code, request.GET.get("edition"))
    if job is not None and not selectors.may_consult(request.user, job.edition):
        job = None  # a draft, to someone not signed in: as an unknown edition (below)
    if job is None:
        edition = _edition(request)  # 404 for an unknown edition; else the edition shown
        job = selectors.job_heading(code, edition.label)
        if job is None:
            raise Http404(f"aucun emploi « {code} » dans l'édition {edition.label}")
    edition = job.edition
    return render(
        request,
        "catalog/job.html",
        {
            "edition": edition,
            "job": job,
            "sheet": rendered_part(
                request, edition, "catalog/_job_sheet.html", partial(_sheet_context, edition, code)
            ),
            # Read from the journal, for those who may read it (national, HR).
            "history": job_history(request.user, job)
            if role_of(request.user) in (Role.NATIONAL, Role.HR)
            else None,
            # National administrators change a draft's ROME codes from the sheet.
            "rome_form": _rome_form(job)
            if role_of(request.user) == Role.NATIONAL and not edition.is_frozen
            else None,
        },
    )


def _rome_form(job) -> RomeForm:
    codes = selectors.rome_of(job)["rome"]
    return RomeForm(
        initial={
            "primary": next((entry["code"] for entry in codes if entry["primary"]), ""),
            "secondary": " ".join(entry["code"] for entry in codes if not entry["primary"]),
            "seen": selectors.seen_codes(job),
        }
    )


def _sheet_context(edition, code: str) -> dict:
    job = selectors.job_of(edition, code)
    grid = selectors.grid_of(edition)
    criteria = selectors.criteria_of(edition)
    degrees = selectors.degrees_of(job)
    neighbours = selectors.neighbours_of(job)
    return {
        "edition": edition,
        "job": job,
        "gender_forms": forms if len(set(forms := gender_forms(job.title))) == 2 else None,
        "degrees": list(zip(criteria, degrees, strict=True)),
        "classification": grid.classify(degrees),
        "criteria": criteria,
        "neighbours": neighbours,
        "compare_nearest": [job.code] + [other.code for other, _ in neighbours.nearest[:2]],
        "rome": selectors.rome_of(job),
        "common_appellations": selectors.common_appellations(job),
    }


def search(request):
    """Search as you type: the full page, or only the results for the page's script.

    Without words (``?q=``) the page browses the jobs the filters keep, as the API does.
    """
    edition = _edition(request)
    context = partial(_search_context, request, edition)
    if request.headers.get("X-Requested-With") == "fetch":
        return HttpResponse(rendered_part(request, edition, "catalog/_results.html", context))
    return render(
        request,
        "catalog/search.html",
        {
            "edition": edition,
            "q": request.GET.get("q", ""),
            "search": rendered_part(request, edition, "catalog/_search.html", context),
        },
    )


def _search_context(request, edition) -> dict:
    criteria = selectors.criteria_of(edition)
    form = SearchForm(request.GET, criteria)
    results = None
    last_page = 1
    page = _page_number(request.GET.get("page"))
    if form.is_valid() and ("q" in request.GET or form.filtered):
        search_page = partial(
            selectors.search_jobs,
            edition,
            form.cleaned_data["q"],
            levels=form.cleaned_data["niveau"],
            degree_ranges=form.degree_ranges(),
            limit=RESULTS_PER_PAGE,
        )
        results = search_page(offset=(page - 1) * RESULTS_PER_PAGE)
        last_page = max(1, -(-results.total // RESULTS_PER_PAGE))
        if page > last_page:  # an old link past the end: show the last page
            page = last_page
            results = search_page(offset=(page - 1) * RESULTS_PER_PAGE)
    return {
        "edition": edition,
        "form": form,
        "results": results,
        "page": page,
        "last_page": last_page,
        "first_rank": (page - 1) * RESULTS_PER_PAGE + 1,
        "max_compared": MAX_COMPARED,
        "has_next": results is not None and page * RESULTS_PER_PAGE < results.total,
        "query_string": _without_page(request),
    }


def _page_number(value: str | None) -> int:
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1


def _without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def compare(request):
    """Two to four jobs side by side; the URL (``?emploi=…&emploi=…``) is the comparison."""
    edition = _edition(request)
    # ?emploi=a&emploi=b from forms, ?emploi=a,b from links: both are shareable.
    codes = [code for value in request.GET.getlist("emploi") for code in value.split(",") if code]
    messages = []
    wanted = request.GET.get("ajouter", "").strip()[:200]
    if wanted:
        # A title typed in the "add a job" box: the job it means (the best search hit)
        # joins; when that job is already compared, the person is told so, and the next
        # hit (another job) does not join in its place.
        hits = selectors.search_jobs(edition, wanted, limit=1).hits
        if hits and hits[0].job.code in codes:
            messages.append(
                _("“%(text)s” is %(title)s, already in the comparison.")
                % {"text": wanted, "title": hits[0].job.title}
            )
        elif hits:
            params = {"emploi": ",".join([*codes, hits[0].job.code])}
            if request.GET.get("edition"):
                params["edition"] = request.GET["edition"]
            return redirect(f"{reverse('catalog:compare')}?{urlencode(params)}")
        else:
            messages.append(_("No job matches “%(text)s”.") % {"text": wanted})
    jobs = selectors.jobs_by_code(edition, codes)
    unknown = [code for code in dict.fromkeys(codes) if code not in {job.code for job in jobs}]
    if unknown:
        messages.append(_("Unknown jobs left out: %(codes)s") % {"codes": ", ".join(unknown)})
    if len(jobs) > MAX_COMPARED:
        messages.append(
            _("At most %(count)d jobs can be compared; the first %(count)d are shown.")
            % {"count": MAX_COMPARED}
        )
        jobs = jobs[:MAX_COMPARED]
    criteria = selectors.criteria_of(edition)
    grid = selectors.grid_of(edition)
    rows = []
    if jobs:
        profiles = [selectors.degrees_of(job) for job in jobs]
        for position, criterion in enumerate(criteria):
            values = [profile[position] for profile in profiles]
            rows.append(
                {
                    "criterion": criterion,
                    "cells": [(value, value == max(values)) for value in values],
                    "differs": len(set(values)) > 1,
                    "spread": max(values) - min(values),
                }
            )
    return render(
        request,
        "catalog/compare.html",
        {
            "edition": edition,
            "jobs": jobs,
            "columns": [
                {
                    "job": job,
                    "classification": grid.classify(selectors.degrees_of(job)),
                    "without": [other.code for other in jobs if other.pk != job.pk],
                }
                for job in jobs
            ],
            "rows": rows,
            "levels_differ": len({job.level.number for job in jobs}) > 1,
            "criteria": criteria,
            "messages": messages,
            "can_add": len(jobs) < MAX_COMPARED,
            "max_compared": MAX_COMPARED,
        },
    )


def criteria_page(request):
    """What each criterion measures, its degree scale and how the reference jobs spread on it."""
    edition = _edition(request)
    distribution = selectors.degree_distribution(edition)
    sections = []
    for criterion in selectors.criteria_of(edition):
        by_degree = distribution[criterion.code]
        sections.append(
            {
                "criterion": criterion,
                "degrees": list(by_degree.items()),
            }
        )
    return render(request, "catalog/criteria.html", {"edition": edition, "sections": sections})


def levels_page(request):
    """The levels, their definitions and the rule that places a profile on one of them."""
    edition = _edition(request)
    levels = _levels_with_jobs(edition)
    grid = selectors.grid_of(edition)
    references = grid.references
    observed = grid.observed_quantities()
    bands = grid.rule.bands(len(grid.criteria))
    every_job = [job for level in levels for job in level.job_list]
    for level in levels:
        level.band = bands[level.number]
        level.observed = observed.get(level.number)
        # The first text is the level's own (printed under most of its jobs: in force); the
        # others are variants, each with the sheets that print it.
        for definition in level.definitions.all():
            definition.printed_under = [
                job for job in every_job if job.level_definition_id == definition.pk
            ]
    coverage = factor_coverage(selectors.criteria_of(edition))
    calibrations = [
        {
            "rule": rule,
            "in_force": rule.code == grid.rule.code,
            "misclassified": calibrate(rule, references),
        }
        for rule in RULES.values()
    ]
    return render(
        request,
        "catalog/levels.html",
        {
            "edition": edition,
            "levels": levels,
            "rule": grid.rule,
            "criteria_count": len(grid.criteria),
            "reference_count": len(references),
            "calibrations": calibrations,
            "level_names": {level.number: to_roman(level.number) for level in levels},
            "coverage": coverage,
            "uncovered": [factor for factor in coverage.factors if not factor.covered],
        },
    )
