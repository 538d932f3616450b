"""Learnt appellations over HTTP, for national administrators: what establishments' group
decisions taught the matching engine, and promoting one to the network or rejecting it.

Signed in by session or ``Authorization: Bearer``; another role gets 403. A decision
already taken by someone else is a 409; a refusal (a conflict cannot be promoted) a 422.
Thin callers of ``catalog.selectors`` and ``catalog.services``, which journal."""

from __future__ import annotations

from django.http import Http404
from ninja import Field, Router, Schema

from repertoire.api.auth import signed_in
from repertoire.api.errors import WRITE_ERRORS
from repertoire.catalog import selectors, services
from repertoire.catalog.models import Appellation

router = Router(auth=signed_in(), tags=["appellations"])


class JobRefOut(Schema):
    code: str
    title: str


class LearntAppellationOut(Schema):
    id: int
    title: str
    job: JobRefOut
    establishment: str | None = Field(description="code; null once promoted to the network")
    people: int = Field(description="people whose group decision taught it")
    status: str = Field(description="active, conflict or rejected")
    conflicting_job: JobRefOut | None = Field(
        description="for a conflict: the job the title already means"
    )


def _out(alias: Appellation) -> dict:
    def job(value):
        return {"code": value.code, "title": value.title} if value else None

    return {
        "id": alias.pk,
        "title": alias.title,
        "job": job(alias.job),
        "establishment": alias.establishment.code if alias.establishment_id else None,
        "people": alias.people,
        "status": alias.status,
        "conflicting_job": job(alias.conflicting_job),
    }


@router.get("/appellations/review", response={200: list[LearntAppellationOut], **WRITE_ERRORS})
def review(request):
    """The appellations establishments learnt, still to review (their own, and conflicts)."""
    services.check_reviewer(request.user)
    return [_out(alias) for alias in selectors.appellations_to_review(selectors.get_edition())]


def _learnt(pk: int) -> Appellation:
    alias = Appellation.objects.select_related("job__edition").filter(pk=pk).first()
    if alias is None:
        raise Http404(f"aucune appellation {pk}")
    return alias


@router.post("/appellations/{pk}/promote", response={200: LearntAppellationOut, **WRITE_ERRORS})
def promote(request, pk: int):
    """The appellation becomes the network's (journaled)."""
    services.check_reviewer(request.user)
    alias = services.promote_appellation(request.user, _learnt(pk))
    alias.refresh_from_db()
    return _out(alias)


@router.post("/appellations/{pk}/reject", response={200: LearntAppellationOut, **WRITE_ERRORS})
def reject(request, pk: int):
    """The appellation no longer applies, and is not learnt again (journaled)."""
    services.check_reviewer(request.user)
    return _out(services.reject_appellation(request.user, _learnt(pk)))
