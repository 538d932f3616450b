"""Writes of the publishing app: request an edition's file, build it in the background."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from repertoire import tasks
from repertoire.audit.services import record, snapshot
from repertoire.catalog.models import Edition
from repertoire.core.refusals import Refused
from repertoire.publishing.documents import FORMATS
from repertoire.publishing.models import Publication
from repertoire.tasks import throttled

logger = logging.getLogger(__name__)

# A file still "in progress" after this long lost its process (a restart): make it again.
STALE_AFTER = timedelta(minutes=15)
# Progress is written at most this often (seconds): a page polls it, nobody needs more.
PROGRESS_INTERVAL = 0.5


class UnknownFormat(Refused):
    """A format no edition is published in."""


def request_publication(edition: Edition, format: str, *, author: str) -> Publication:
    """The edition's file in this format: the one ready or being made, else a new one.

    A file made once is handed out again while the edition's content stays as it was; a
    new one is made when the edition changed since (its content revision: a draft's job,
    appellation, title, status or level rule; publishing it), when its level rule changed
    (the sheets explain levels by it), or when the last attempt failed or was lost.
    """
    if format not in FORMATS:
        raise UnknownFormat(f"format inconnu « {format} » (formats : {', '.join(FORMATS)})")
    with transaction.atomic():
        # Lock the edition's row: two requests at once must not start two builds.
        Edition.objects.select_for_update().filter(pk=edition.pk).first()
        # What the edition holds now: a file made before its last change is not reused.
        revision = Edition.objects.filter(pk=edition.pk).values_list("revision", flat=True).get()
        latest = (
            Publication.objects.filter(
                edition=edition, format=format, level_rule=edition.level_rule, revision=revision
            )
            .exclude(status=Publication.Status.FAILED)
            .first()
        )
        if latest is not None and (
            latest.status == Publication.Status.DONE
            or latest.updated_at > timezone.now() - STALE_AFTER
        ):
            return latest
        publication = Publication.objects.create(
            edition=edition,
            format=format,
            level_rule=edition.level_rule,
            revision=revision,
            status=Publication.Status.PENDING,
            requested_by=author,
        )
        record(
            actor=author,
            action="publication.request",
            instance=publication,
            after=snapshot(publication),
        )
        tasks.start(publication, build_publication)
    return publication


def build_publication(pk: int) -> None:
    """Make the file, writing progress as it goes; a failure is kept with its message."""
    publication = Publication.objects.select_related("edition").get(pk=pk)
    Publication.objects.filter(pk=pk).update(
        status=Publication.Status.RUNNING, stage="démarrage", updated_at=timezone.now()
    )

    def write_progress(fraction: float, stage: str) -> None:
        Publication.objects.filter(pk=pk).update(
            progress=min(fraction, 0.99), stage=stage, updated_at=timezone.now()
        )

    progress = throttled(write_progress, PROGRESS_INTERVAL)

    try:
        content = FORMATS[publication.format].build(publication.edition, progress)
    except Exception as exc:  # kept on the publication for the person waiting for it
        logger.exception("publication %s failed", pk)
        publication.fail(exc)
        return
    publication.finish(content=content, size=len(content))
