"""Shapes of the HTTP API. Field names follow the JSON export (DESIGN.md)."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema


class ErrorDetail(Schema):
    loc: list[str | int] = []
    msg: str


class ErrorBody(Schema):
    code: str
    message: str
    details: list[ErrorDetail] = []


class ErrorOut(Schema):
    error: ErrorBody


class EditionOut(Schema):
    label: str
    title: str
    date: date
    status: str
    level_rule: str
    is_current: bool
    missing_jobs: list[str]
    job_count: int
    published_at: datetime | None = Field(
        description="when it was published (frozen); null for a draft in preparation"
    )
    based_on: str | None = Field(description="label of the edition it was copied from")


class CriterionOut(Schema):
    code: str
    label: str
    position: int


class LevelOut(Schema):
    number: int
    roman: str
    definition: str
    definitions: list[str]
    job_count: int


class LevelRef(Schema):
    number: int
    roman: str


class JobSummaryOut(Schema):
    code: str
    title: str
    level: int
    roman: str
    degrees: dict[str, int]


class RomeOut(Schema):
    code: str = Field(description="ROME code, e.g. M1203")
    title: str | None = Field(description="its ROME title (None if the referential lacks it)")
    role: str = Field(description="primary or secondary")
    primary: bool


class EscoOut(Schema):
    uri: str = Field(description="ESCO occupation URI")
    label: str = Field(description="its preferred label (French)")


class JobOut(Schema):
    code: str
    title: str
    level: int
    roman: str
    degrees: dict[str, int]
    heading: str
    position: int
    missions: list[str]
    requirements: list[str]
    level_definition: str
    explanation: str
    edition: str
    rome: list[RomeOut] = Field(default_factory=list, description="ROME codes, primary first")
    esco: list[EscoOut] = Field(default_factory=list, description="ESCO occupations via ROME")


class RomeJobOut(Schema):
    code: str
    title: str
    level: int
    roman: str
    role: str = Field(description="the ROME code's role for this job: primary or secondary")
    primary: bool


class RomeCodeOut(Schema):
    code: str = Field(description="ROME code")
    title: str = Field(description="its ROME title")
    version: str = Field(description="version of the ROME referential")
    edition: str
    appellations: list[str] = Field(description="its appellations in common use (ROME)")
    esco: list[EscoOut]
    jobs: list[RomeJobOut] = Field(description="the edition's reference jobs with this code")


class ClassifyIn(Schema):
    degrees: dict[str, int] = Field(
        ...,
        description="One degree (1–8) per criterion code of the edition",
        examples=[
            {
                "connaissances": 4,
                "latitude_action": 4,
                "complexite": 3,
                "relations": 4,
                "responsabilites": 3,
            }
        ],
    )
    edition: str | None = Field(None, description="Edition label; the current one by default")


class NoticeOut(Schema):
    code: str
    message: str


class ClassificationOut(Schema):
    level: int
    roman: str
    rule: str
    explanation: str
    total: int
    median: int
    band: list[int]
    warnings: list[NoticeOut]


class MatchItemIn(Schema):
    intitule: str = Field(..., min_length=1, max_length=300)
    service: str = Field("", max_length=300)
    description: str = Field("", max_length=5000)


class MatchIn(Schema):
    intitule: str | None = Field(None, max_length=300, description="One title…")
    service: str = Field("", max_length=300)
    description: str = Field("", max_length=5000)
    items: list[MatchItemIn] | None = Field(
        None, max_length=5000, description="…or a batch of titles (not both)"
    )
    top: int = Field(3, ge=1, le=20)
    edition: str | None = None


class CandidateOut(Schema):
    code: str
    title: str
    level: int
    score: float
    matched: str
    reason: str


class MatchResultOut(Schema):
    intitule: str
    service: str
    candidates: list[CandidateOut]


class MatchOut(Schema):
    results: list[MatchResultOut]


class IndexOut(Schema):
    edition: str
    titles: int
    jobs: int


class PassageOut(Schema):
    field: str = Field(description="title, appellation, missions or requirements")
    text: str
    highlights: list[tuple[int, int]] = Field(
        description="[start, end) character offsets of the matched words in text"
    )


class SearchHitOut(Schema):
    code: str
    title: str
    level: int
    roman: str
    score: float = Field(description="relevance relative to the best hit (1.0)")
    passage: PassageOut | None


class SearchOut(Schema):
    query: str
    edition: str
    count: int
    unknown_words: list[str] = Field(description="query words nothing in the edition matches")
    announced: list[str] = Field(
        [], description="jobs the edition announces but does not describe yet, named by the query"
    )
    items: list[SearchHitOut]


class SearchParams(Schema):
    q: str = Field("", max_length=200, description="words, as a person types them")
    level: list[int] = Field([], description="keep these levels (repeatable)")
    degree: list[str] = Field([], description="criterion:min-max, e.g. connaissances:4-6")
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=2**31 - 1)
    edition: str | None = None
