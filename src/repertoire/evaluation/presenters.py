"""Plain dictionaries of weighings and of the live result, for the API and the command."""

from __future__ import annotations

from repertoire.core.evaluation import ProfileNeighbour, WeighingResult
from repertoire.core.text import to_roman
from repertoire.evaluation.models import JobEvaluation


def neighbour_dict(item: ProfileNeighbour) -> dict:
    return {"code": item.code, "title": item.title, "level": item.level, "distance": item.distance}


def weighing_dict(edition: str, degrees: dict[str, int], result: WeighingResult) -> dict:
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
        "by_text": [
            {
                "code": c.code,
                "title": c.title,
                "level": c.level,
                "score": c.score,
                "reason": c.reason,
            }
            for c in result.by_text
        ],
        "same_job": neighbour_dict(result.same_job) if result.same_job else None,
        "same_job_statement": result.same_job_statement,
    }


def evaluation_dict(evaluation: JobEvaluation) -> dict:
    return {
        "id": evaluation.pk,
        "establishment": evaluation.establishment.code,
        "edition": evaluation.version.label,
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
