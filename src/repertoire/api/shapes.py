"""Field types and shapes that several routers share: ids and levels in bodies, and what
positionings and appeals show of a person's record."""

from typing import Annotated, Literal

from ninja import Field, Schema

from repertoire.accounts.selectors import sees_personal_details
from repertoire.positioning.models import Positioning

# Ids in bodies: what a database integer holds (a larger one would be a 500, not a 422).
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Level = Annotated[int, Field(ge=1, le=8)]
PositioningStatus = Literal[tuple(Positioning.Status.values)]

HIDDEN_FROM_READERS = "hidden from establishment readers (null)"


def for_writers(context, text: str) -> str | None:
    """What was written about a person (comments, reasons, arguments): readers see name,
    job and level, not this."""
    return text if sees_personal_details(context["request"].user) else None


def name_of(employee) -> str:
    return f"{employee.last_name} {employee.first_name}".strip()


class JobRefOut(Schema):
    code: str
    title: str
    level: int


class EvaluationRefOut(Schema):
    id: int
    title: str
    level: int | None


def job_ref(job) -> dict | None:
    if job is None:
        return None
    return {"code": job.code, "title": job.title, "level": job.level.number}


def evaluation_ref(positioning: Positioning) -> dict | None:
    """The evaluated local job a positioning rests on (instead of a reference job)."""
    if positioning.job_id or not positioning.evaluation_id:
        return None
    evaluation = positioning.evaluation
    return {"id": evaluation.pk, "title": evaluation.title, "level": evaluation.level}
