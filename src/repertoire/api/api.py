"""The HTTP API (OpenAPI at /api/openapi.json, docs at /api/docs)."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest
from ninja import NinjaAPI, Query
from ninja.pagination import paginate

from repertoire.api import errors
from repertoire.api.appeals import router as appeals_router
from repertoire.api.appellations import router as appellations_router
from repertoire.api.auth import AnonymousCallers, caller, signed_in
from repertoire.api.editions import router as editions_router
from repertoire.api.employees import router as employees_router
from repertoire.api.errors import ERRORS, WRITE_ERRORS
from repertoire.api.evaluations import router as evaluations_router
from repertoire.api.pagination import BoundedLimitOffset
from repertoire.api.parser import NulFreeParser
from repertoire.api.pay import router as pay_router
from repertoire.api.positionings import router as positionings_router
from repertoire.api.quality import router as quality_router
from repertoire.api.reports import router as reports_router
from repertoire.api.schemas import (
    ClassificationOut,
    ClassifyIn,
    CriterionOut,
    EditionOut,
    IndexOut,
    JobOut,
    JobSummaryOut,
    LevelOut,
    MatchIn,
    MatchOut,
    RomeCodeOut,
    SearchOut,
    SearchParams,
)
from repertoire.catalog import selectors, services
from repertoire.catalog.presenters import (
    classification_dict,
    job_detail,
    job_summaries,
    level_dict,
    search_dict,
)
from repertoire.core.grid import InvalidDegrees
from repertoire.core.limits import shown
from repertoire.core.matching import TitleQuery
from repertoire.core.rome import PRIMARY, load_rome, normalise_code
from repertoire.core.search import parse_degree_range


def repertoire_reader(request: HttpRequest):
    """Read access to the repertoire: open by default, signed-in users when closed. A
    signed-in caller (session or token) is known as such even where it is open: the
    anonymous rate limit and the batch sizes depend on it."""
    user = caller(request)
    if user is not None:
        return user
    return True if settings.REPERTOIRE_API_PUBLIC_READ else None


api = NinjaAPI(
    title="Répertoire API",
    version="1",
    description="Répertoire des emplois nationaux du réseau des CCI",
    urls_namespace="api",
    auth=repertoire_reader,
    parser=NulFreeParser(),
    # Anonymous callers of the open endpoints, per client address (429 beyond the rate).
    throttle=[AnonymousCallers()],
)
errors.register(api)
# In the order of the paths of the OpenAPI document; the employee files' POST
# /employees/import comes before /employees/{pk} in its router.
api.add_router("/", positionings_router)
api.add_router("/", appeals_router)
api.add_router("/", reports_router)
api.add_router("/", pay_router)
api.add_router("/", employees_router)
api.add_router("/", evaluations_router)
api.add_router("/", quality_router)
api.add_router("/", editions_router)
api.add_router("/", appellations_router)


def _error(request, code: str, message: str, status: int, details=None):
    return api.create_response(request, errors.body(code, message, details or []), status=status)


@api.get("/editions", response={200: list[EditionOut], **ERRORS}, tags=["repertoire"])
def list_editions(request):
    return [
        {
            "label": v.label,
            "title": v.title,
            "date": v.date,
            "status": v.document_status,
            "level_rule": v.level_rule,
            "is_current": v.is_current,
            "missing_jobs": v.missing_jobs,
            "job_count": v.job_count,
            "published_at": v.published_at,
            "based_on": v.based_on.label if v.based_on else None,
        }
        for v in selectors.editions(request.user).select_related("based_on")
    ]


@api.get("/criteria", response={200: list[CriterionOut], **ERRORS}, tags=["repertoire"])
def list_criteria(request, edition: str | None = None):
    edition = selectors.edition_for(request.user, edition)
    return [
        {"code": c.code, "label": c.label, "position": c.position}
        for c in selectors.criteria_of(edition)
    ]


@api.get("/levels", response={200: list[LevelOut], **ERRORS}, tags=["repertoire"])
def list_levels(request, edition: str | None = None):
    edition = selectors.edition_for(request.user, edition)
    return [level_dict(level) for level in selectors.levels_of(edition)]


@api.get("/jobs", response={200: list[JobSummaryOut], **ERRORS}, tags=["repertoire"])
@paginate(BoundedLimitOffset)
def list_jobs(
    request,
    level: int | None = Query(None, ge=1, le=8, description="Level number, 1 to 8"),
    edition: str | None = None,
):
    edition = selectors.edition_for(request.user, edition)
    return [job for job in job_summaries(edition) if level is None or job["level"] == level]


@api.get("/jobs/{code}", response={200: JobOut, **ERRORS}, tags=["repertoire"])
def get_job(request, code: str, edition: str | None = None):
    edition = selectors.edition_for(request.user, edition)
    job = selectors.job_of(edition, code)
    if job is None:
        raise Http404(f"aucun emploi « {code} » dans l'édition {edition.label}")
    return job_detail(job, selectors.grid_of(edition))


@api.get("/rome/{code}", response={200: RomeCodeOut, **ERRORS}, tags=["repertoire"])
def rome_code(request, code: str, edition: str | None = None):
    """A ROME code: its title, appellations, ESCO occupations and the edition's reference
    jobs that correspond to it."""
    edition = selectors.edition_for(request.user, edition)
    rome = load_rome()
    normal = normalise_code(code)
    if normal is None or normal not in rome:
        raise Http404(f"« {shown(code)} » n'est pas un code ROME ({rome.version})")
    return {
        "code": normal,
        "title": rome.title(normal),
        "version": rome.version,
        "edition": edition.label,
        "appellations": list(rome.appellations(normal)),
        "esco": selectors.esco_entries([normal], rome),
        "jobs": [
            {
                "code": job.code,
                "title": job.title,
                "level": job.level.number,
                "roman": job.level.roman,
                "role": role,
                "primary": role == PRIMARY,
            }
            for job, role in selectors.jobs_for_rome(edition, normal)
        ],
    }


@api.get("/search", response={200: SearchOut, **ERRORS}, tags=["repertoire"])
def search(request, params: Query[SearchParams]):
    """Jobs ranked by relevance over titles, appellations, missions and requirements.

    Insensitive to accents, case and gender forms; tolerant of one typo; the same ranking
    as the search page."""
    edition = selectors.edition_for(request.user, params.edition)
    try:
        ranges = dict(_degree_range(text) for text in params.degree)
        results = selectors.search_jobs(
            edition,
            params.q,
            levels=params.level,
            degree_ranges=ranges,
            limit=params.limit,
            offset=params.offset,
        )
    except ValueError as exc:
        return _error(request, "invalid_filter", str(exc), 422)
    return search_dict(results, edition)


def _degree_range(text: str) -> tuple[str, tuple[int, int]]:
    code, bounds = parse_degree_range(text)
    return code, (bounds.low, bounds.high)


@api.post("/classify", response={200: ClassificationOut, **ERRORS}, tags=["grid"])
def classify(request, payload: ClassifyIn):
    edition = selectors.edition_for(request.user, payload.edition)
    grid = selectors.grid_of(edition)
    codes = [criterion.code for criterion in grid.criteria]
    details = [
        {"loc": ["body", "payload", "degrees", code], "msg": "degré manquant"}
        for code in codes
        if code not in payload.degrees
    ] + [
        {"loc": ["body", "payload", "degrees", code], "msg": "critère inconnu"}
        for code in payload.degrees
        if code not in codes
    ]
    if details:
        return _error(request, "invalid_degrees", "Un degré par critère est attendu", 422, details)
    try:
        result = grid.classify([payload.degrees[code] for code in codes])
    except InvalidDegrees as exc:
        return _error(request, "invalid_degrees", str(exc), 422)
    return classification_dict(result)


@api.post("/match", response={200: MatchOut, **ERRORS}, tags=["matching"])
def match(request, payload: MatchIn):
    """The reference jobs closest to local job titles, best first, with scores in [0, 1]."""
    if (payload.intitule is None) == (payload.items is None):
        return _error(request, "invalid_request", "Donner soit « intitule », soit « items »", 422)
    # Each title costs the server its own matching: a batch is capped, lower for anonymous
    # callers (who could otherwise keep every process busy for minutes).
    limit = match_limit(request)
    if payload.items is not None and len(payload.items) > limit:
        return _error(
            request,
            "too_many_items",
            f"Au plus {limit} intitulés par appel "
            f"({settings.REPERTOIRE_MATCH_MAX_ITEMS_ANONYMOUS} sans connexion, "
            f"{settings.REPERTOIRE_MATCH_MAX_ITEMS_SIGNED_IN} connecté) : "
            f"{len(payload.items)} reçus",
            422,
            [{"loc": ["body", "payload", "items"], "msg": f"au plus {limit} éléments"}],
        )
    if payload.items is None:
        queries = [TitleQuery(payload.intitule, payload.service, payload.description)]
    else:
        queries = [TitleQuery(i.intitule, i.service, i.description) for i in payload.items]
    index = selectors.matching_index(selectors.edition_for(request.user, payload.edition))
    results = index.match_many(queries, top=payload.top)
    return {
        "results": [
            {
                "intitule": result.query.intitule,
                "service": result.query.service,
                "candidates": [candidate.as_proposal() for candidate in result.candidates],
            }
            for result in results
        ]
    }


def match_limit(request) -> int:
    """How many titles one call may match: more for signed-in callers."""
    if caller(request) is not None:
        return settings.REPERTOIRE_MATCH_MAX_ITEMS_SIGNED_IN
    return settings.REPERTOIRE_MATCH_MAX_ITEMS_ANONYMOUS


@api.post(
    "/match/reindex",
    response={200: IndexOut, **WRITE_ERRORS},
    tags=["matching"],
    auth=signed_in(),
)
def reindex(request, edition: str | None = None):
    """Rebuild the title-matching index of an edition (every process reloads it).

    National administrators only (403 otherwise): a rebuild marks the edition's content
    changed, and its files are made again."""
    edition = selectors.edition_for(request.user, edition)
    services.rebuild_matching_index(request.user, edition)
    index = selectors.matching_index(edition)
    return {"edition": edition.label, "titles": index.size, "jobs": len(index.jobs)}
