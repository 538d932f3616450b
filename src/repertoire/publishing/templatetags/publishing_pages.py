"""What publishing offers the consultation pages: their charts (inline SVG) and the formats
an edition downloads in. The catalog's templates load this library; the catalog's code
imports nothing of publishing."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from repertoire.catalog import selectors
from repertoire.core.grid import MAX_DEGREE
from repertoire.publishing.documents import FORMATS
from repertoire.typesetting import charts

register = template.Library()


@register.simple_tag
def edition_formats():
    """The formats a whole edition is published in: ``{% edition_formats as formats %}``."""
    return FORMATS.values()


@register.simple_tag
def levels_chart(levels, highlight: int | None = None) -> SafeString:
    """The reference jobs by level (levels with their ``roman`` and ``job_count``)."""
    return charts.columns(
        [level.roman for level in levels],
        [level.job_count for level in levels],
        title=_("Reference jobs by level"),
        description=", ".join(
            f"{level.roman} : {level.job_count}" for level in levels if level.job_count
        ),
        highlight=highlight,
    )


@register.simple_tag
def degree_chart(criterion, degrees) -> SafeString:
    """The reference jobs by degree of one criterion (``degrees``: (degree, jobs) pairs)."""
    by_degree = dict(degrees)
    return charts.columns(
        [str(degree) for degree in by_degree],
        [len(jobs) for jobs in by_degree.values()],
        title=_("Reference jobs by degree of %(criterion)s") % {"criterion": criterion.label},
        description=", ".join(
            ngettext(
                "degree %(degree)d: %(count)d job",
                "degree %(degree)d: %(count)d jobs",
                len(jobs),
            )
            % {"degree": degree, "count": len(jobs)}
            for degree, jobs in by_degree.items()
            if jobs
        ),
    )


@register.simple_tag
def job_profile_chart(criteria, job) -> SafeString:
    """One job's degrees on a radar."""
    return _radar(criteria, [job], _("Profile of %(job)s") % {"job": job.title})


@register.simple_tag
def compared_profiles_chart(criteria, jobs) -> SafeString:
    """The compared jobs' degrees on one radar."""
    return _radar(criteria, jobs, _("Compared profiles"))


def _radar(criteria, jobs, title: str) -> SafeString:
    series = [charts.Series(job.title, selectors.degrees_of(job)) for job in jobs]
    return charts.radar(
        [criterion.label for criterion in criteria],
        series,
        maximum=MAX_DEGREE,
        title=title,
        description="; ".join(
            f"{item.name} : "
            + ", ".join(f"{c.label} {d}" for c, d in zip(criteria, item.values, strict=True))
            for item in series
        ),
    )
