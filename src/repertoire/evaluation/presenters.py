"""Evaluations and the live result as plain dictionaries, for the API, the command and the
result panel of the pages."""

from __future__ import annotations

from django.utils.translation import gettext as _

from repertoire.catalog import selectors as catalog
from repertoire.core.evaluation import EvaluationResult, ProfileNeighbour
from repertoire.core.text import to_roman
from repertoire.evaluation import documents, selectors
from repertoire.evaluation.models import JobEvaluation
from repertoire.typesetting import charts


def neighbour_dict(item: ProfileNeighbour) -> dict:
    return {"code": item.code, "title": item.title, "level": item.level, "distance": item.distance}


def evaluation_result_dict(edition: str, degrees: dict[str, int], result: EvaluationResult) -> dict:
    """The form's live result: level, rule, explanation, warnings, the reference jobs
    nearest by profile and by text, and the same-job statement."""
    classification = result.classification
    return {
        "edition": edition,
        "degrees": degrees,
        "level": classification.level,
        "roman": classification.roman,
        "rule": classification.rule,
        "explanation": classification.explanation,
        "total": classification.total,
        "median": classification.median,
        "band": list(classification.band),
        "warnings": [{"code": n.code, "message": n.message} for n in classification.warnings],
        "by_profile": [neighbour_dict(item) for item in result.by_profile],
        "by_text": [candidate.as_proposal() for candidate in result.by_text],
        "same_job": neighbour_dict(result.same_job) if result.same_job else None,
        "same_job_statement": result.same_job_statement,
    }


def evaluation_dict(evaluation: JobEvaluation) -> dict:
    return {
        "id": evaluation.pk,
        "establishment": evaluation.establishment.code,
        "edition": evaluation.edition.label,
        "number": evaluation.number,
        "revision_of": evaluation.revision_of_id,
        "title": evaluation.title,
        "missions": evaluation.missions,
        "degrees": evaluation.degrees,
        "justifications": evaluation.justifications,
        "level": evaluation.level,
        "roman": to_roman(evaluation.level) if evaluation.level else "",
        "rule": evaluation.rule,
        "explanation": evaluation.explanation,
        "status": evaluation.status,
        "created_by": evaluation.created_by,
        "created_at": evaluation.created_at.isoformat(),
        "submitted_at": evaluation.submitted_at.isoformat() if evaluation.submitted_at else None,
        "decided_by": evaluation.decided_by,
        "decided_at": evaluation.decided_at.isoformat() if evaluation.decided_at else None,
    }


def result_context(edition, scales, degrees: dict[str, int], title: str, missions: str) -> dict:
    """The live result panel's context (evaluation form, and the job form of a draft
    edition): the level and the jobs around the profile, once every
    criterion has its degree; until then, which criteria still lack one."""
    missing = [scale.label for scale in scales if scale.code not in degrees]
    context = {"edition": edition, "missing": missing, "result": None, "chart": None}
    if missing:
        return context
    values = [degrees[scale.code] for scale in scales]
    result = selectors.evaluation_result(edition, degrees, title=title, missions=missions)
    labels = [scale.label for scale in scales]
    series = [charts.Series(title.strip() or _("This job"), values)]
    jobs = {job.code: job for job in catalog.profile_index(edition).jobs}
    if result.by_profile and result.by_profile[0].code in jobs:
        nearest = jobs[result.by_profile[0].code]
        series.append(charts.Series(nearest.title, list(nearest.degrees)))
    context |= {
        "result": result,
        "classification": result.classification,
        "roman": to_roman(result.classification.level),
        "chart": documents.profile_chart(labels, series, _("Profile of the evaluated job")),
        "series": series,
    }
    return context
