from django.http import Http404
from django.shortcuts import render

from repertoire.catalog import selectors


def _version(request):
    try:
        return selectors.get_version(request.GET.get("edition"))
    except selectors.EditionNotFound as exc:
        raise Http404(str(exc)) from exc


def home(request):
    """The edition and its jobs by level: the document's sommaire, from the database."""
    version = _version(request)
    levels = list(selectors.levels_of(version))
    jobs = list(selectors.jobs_of(version))
    for level in levels:
        level.job_list = [job for job in jobs if job.level_id == level.pk]
    return render(request, "catalog/home.html", {"version": version, "levels": levels})


def job_sheet(request, code: str):
    version = _version(request)
    job = selectors.job_of(version, code)
    if job is None:
        raise Http404(code)
    grid = selectors.grid_of(version)
    degrees = selectors.degrees_of(job)
    return render(
        request,
        "catalog/job.html",
        {
            "version": version,
            "job": job,
            "degrees": list(zip(grid.criteria, degrees, strict=True)),
            "classification": grid.classify(degrees),
        },
    )
