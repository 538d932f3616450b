"""Plain dictionaries of catalog objects for the JSON API."""

from __future__ import annotations

from dataclasses import asdict

from repertoire.catalog import selectors
from repertoire.catalog.models import Edition, Level, ReferenceJob
from repertoire.catalog.selectors import degrees_of
from repertoire.core.document import ListItem
from repertoire.core.grid import Classification, Grid
from repertoire.core.search import SearchResults
from repertoire.core.text import to_roman


def item_text(item: dict) -> str:
    return ListItem(item["text"], tuple(item["subitems"])).as_text()


def degrees_by_code(job: ReferenceJob) -> dict[str, int]:
    return {d.criterion.code: d.degree for d in job.degrees.all()}


def job_summary(job: ReferenceJob) -> dict:
    return {
        "code": job.code,
        "title": job.title,
        "level": job.level.number,
        "roman": job.level.roman,
        "degrees": degrees_by_code(job),
    }


def job_summaries(edition: Edition) -> list[dict]:
    """Every job of the edition as ``job_summary`` gives it, built once per process and
    content of the edition (the API lists them on every call)."""
    return selectors.per_edition(
        "job summaries", edition, lambda v: [job_summary(job) for job in selectors.jobs_of(v)]
    )


def job_detail(job: ReferenceJob, grid: Grid) -> dict:
    return {
        **job_summary(job),
        "heading": job.heading,
        "position": job.position,
        "missions": [item_text(item) for item in job.missions],
        "requirements": [item_text(item) for item in job.requirements],
        "level_definition": job.level_definition.text if job.level_definition else "",
        "explanation": grid.rule.explain(degrees_of(job)),
        "edition": job.edition.label,
        **selectors.rome_of(job),
    }


def level_dict(level: Level) -> dict:
    texts = [definition.text for definition in level.definitions.all()]
    return {
        "number": level.number,
        "roman": level.roman,
        "definition": texts[0] if texts else "",
        "definitions": texts,
        "job_count": getattr(level, "job_count", None) or level.jobs.count(),
    }


def classification_dict(result: Classification) -> dict:
    data = asdict(result)
    data["roman"] = result.roman
    data["band"] = list(result.band)
    return data


def search_dict(results: SearchResults, edition: Edition) -> dict:
    return {
        "query": results.query,
        "edition": edition.label,
        "count": results.total,
        "unknown_words": list(results.unknown_words),
        "announced": list(results.announced),
        "items": [
            {
                "code": hit.job.code,
                "title": hit.job.title,
                "level": hit.job.level,
                "roman": to_roman(hit.job.level),
                "score": hit.score,
                "passage": asdict(hit.passage) if hit.passage else None,
            }
            for hit in results.hits
        ],
    }
