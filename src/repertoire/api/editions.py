"""Editions compared over HTTP: what changed between two editions, whom a new edition
affects, and the migration of an establishment's positionings to the edition in force.

Signed in by session or ``Authorization: Bearer``. The difference between editions is
catalog data, open to every signed-in user; the impact counts only the people in the
caller's scope (their establishment, the network for national administrators). An
establishment outside that scope answers 404, as if it did not exist; a role that may not
migrate gets 403; a service's refusal is a 422 (answered by ``api.errors``). An unknown edition is a 404. The endpoints
are thin callers of ``catalog.selectors``, ``positioning.selectors`` and
``positioning.services``.
"""

from typing import Literal

from ninja import Field, Path, Query, Router, Schema

from repertoire.api import lookups
from repertoire.api.auth import signed_in
from repertoire.api.errors import ERRORS, WRITE_ERRORS, refusals
from repertoire.catalog import selectors as catalog
from repertoire.core.editions import Pairing
from repertoire.positioning import selectors, services
from repertoire.publishing.impact import impact_dict

router = Router(auth=signed_in(), tags=["editions"])

# Edition.label and Establishment.code hold no more.
LABEL_LENGTH = 64
CODE_LENGTH = 32
SpanOp = Literal["=", "-", "+"]
PairedBy = Literal[Pairing.BY_HAND, Pairing.BY_CODE, Pairing.BY_SIMILARITY]
LabelFrom = Field(
    ...,
    alias="from",
    min_length=1,
    max_length=LABEL_LENGTH,
    description="label of the earlier edition",
)
LabelTo = Field(
    ..., min_length=1, max_length=LABEL_LENGTH, description="label of the later edition"
)


# --- shapes: the difference (``EditionDiff.to_dict``) ---------------------------------------


class EditionsParams(Schema):
    from_: str = LabelFrom
    to: str = LabelTo


class EditionRefOut(Schema):
    label: str
    rule: str = Field(description="code of the edition's level rule")


class DiffSummaryOut(Schema):
    added: int
    retired: int
    renamed: int
    level_changed: int
    degrees_changed: int
    texts_changed: int
    unchanged: int = Field(description="jobs present in both editions, identical")


class CriteriaChangesOut(Schema):
    added: list[str] = Field(description="codes of the criteria only the later edition has")
    removed: list[str] = Field(description="codes of the criteria only the earlier one has")


class DiffJobOut(Schema):
    code: str
    title: str
    level: int
    degrees: dict[str, int] = Field(description="criterion code → degree (1–8)")


class AddedJobOut(DiffJobOut):
    missions: list[str] = Field(description="its missions, sub-items after '- '")
    requirements: list[str] = Field(description="its requirements, sub-items after '- '")


class LevelChangeOut(Schema):
    from_: int = Field(alias="from")
    to: int


class DegreeChangeOut(Schema):
    criterion: str = Field(description="criterion code")
    from_: int | None = Field(alias="from", description="none: the criterion is new")
    to: int | None = Field(description="none: the criterion was removed")


class JobChangeOut(Schema):
    from_: DiffJobOut = Field(alias="from")
    to: DiffJobOut
    paired_by: PairedBy = Field(
        description="how the two jobs were paired: by an administrator, by their code, "
        "or by the likeness of title and texts"
    )
    similarity: float = Field(description="likeness of title and texts, 0 to 1")
    renamed: bool
    level: LevelChangeOut | None = Field(description="none: the level is unchanged")
    degrees: list[DegreeChangeOut] = Field(description="the criteria whose degree changed")
    missions: list[tuple[SpanOp, str]] | None = Field(
        description="the missions as one text, word by word: [op, text] with op '=' kept, "
        "'-' removed, '+' added (one item per line, sub-items after '- '); none: unchanged"
    )
    requirements: list[tuple[SpanOp, str]] | None = Field(
        description="the requirements, as the missions"
    )


class EditionDiffOut(Schema):
    from_: EditionRefOut = Field(alias="from")
    to: EditionRefOut
    summary: DiffSummaryOut
    criteria: CriteriaChangesOut
    rule_changed: bool
    added: list[AddedJobOut] = Field(description="jobs of the later edition only")
    retired: list[DiffJobOut] = Field(description="jobs of the earlier edition only")
    changed: list[JobChangeOut] = Field(description="jobs in both editions that changed")


# --- shapes: the impact and the migration ----------------------------------------------------


class ImpactParams(EditionsParams):
    establishment: str | None = Field(
        None, max_length=CODE_LENGTH, description="code; every establishment in scope otherwise"
    )


class EstablishmentImpactOut(Schema):
    establishment: str = Field(description="code ('total' for the sum)")
    positioned: int = Field(description="people with a decided positioning on the earlier edition")
    unchanged: int = Field(description="same job, same title, same level")
    renamed: int = Field(description="the same job under a new title or code")
    change_job: int = Field(description="their job was retired: another job is proposed")
    job_level_up: int = Field(description="their job's level goes up")
    job_level_down: int = Field(description="their job's level goes down")
    without_proposal: int = Field(description="no job to propose in the later edition")
    local_job: int = Field(description="placed on an evaluated local job of the earlier edition")
    affected: int = Field(description="positioned minus unchanged")
    by_level_before: dict[str, int] = Field(description="level number → people, earlier edition")
    by_level_after: dict[str, int] = Field(description="level number → people, later edition")


class ImpactOut(Schema):
    from_: str = Field(alias="from")
    to: str
    establishments: list[EstablishmentImpactOut]
    total: EstablishmentImpactOut


class MigrationIn(Schema):
    from_: str = Field(
        ...,
        alias="from",
        min_length=1,
        max_length=LABEL_LENGTH,
        description="label of the edition whose decided positionings are carried over",
    )


class MigrationOut(Schema):
    establishment: str
    from_: str = Field(alias="from")
    to: str = Field(description="the edition in force, where the proposals are made")
    mapped: int = Field(description="decided people proposed their job's successor")
    proposed: int = Field(description="people without a decision: the engine's proposals")
    already_decided: int = Field(description="decided in the edition in force already: left")


# --- endpoints ---------------------------------------------------------------------------------


@router.get("/editions/diff", response={200: EditionDiffOut, **ERRORS}, by_alias=True)
def edition_diff(request, params: Query[EditionsParams]):
    """What changed from one edition to another: jobs added, retired, renamed, levels,
    degrees, and the texts word by word (the JSON of ``repertoire diff A B --json``)."""
    before, after = catalog.get_edition(params.from_), catalog.get_edition(params.to)
    return catalog.edition_diff(before, after).to_dict()


@router.get("/editions/impact", response={200: ImpactOut, **ERRORS}, by_alias=True)
def edition_impact(request, params: Query[ImpactParams]):
    """Per establishment in the caller's scope, how many decided positionings of the earlier
    edition keep their job, see it renamed, change job, or see its level move. Headcounts
    only."""
    place = (
        lookups.establishment(request.user, params.establishment) if params.establishment else None
    )
    before, after = catalog.get_edition(params.from_), catalog.get_edition(params.to)
    result = selectors.edition_impact(request.user, before, after, place)
    return impact_dict(result, include=[place.code] if place else [])


@router.post(
    "/establishments/{code}/migration",
    response={200: MigrationOut, **WRITE_ERRORS},
    by_alias=True,
)
@refusals(fields={"source": "from"})
def migrate(
    request,
    payload: MigrationIn,
    code: str = Path(..., max_length=CODE_LENGTH, description="establishment code"),
):
    """Propose to every employee of the establishment a positioning in the edition in
    force, from their decided positioning in ``from``: the same job, its successor, or the
    matching engine's choice for a retired job. Nothing is decided: the proposals go through
    the worklist. HR officers of the establishment and national administrators only.

    Synchronous: an establishment's employees are matched in the request."""
    place = lookups.establishment(request.user, code)
    source, target = catalog.get_edition(payload.from_), catalog.get_edition()
    result = services.migrate_establishment(request.user, place, source=source, target=target)
    return {
        "establishment": place.code,
        "from": source.label,
        "to": target.label,
        "mapped": result.mapped,
        "proposed": result.proposed,
        "already_decided": result.already_decided,
    }
