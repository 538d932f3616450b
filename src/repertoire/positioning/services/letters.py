"""Batches of decision letters: requested by HR, typeset in the background.

``request_letters`` takes the acting user and refuses (``NotAllowed``) anyone who may not
write the establishment's personal data; ``build_letters`` runs in the background as the
user who asked (or the command line's operator), reads the letters through the
selectors' scope, and keeps the PDF, or the failure, on the ``LetterBatch``.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from repertoire import tasks
from repertoire.audit.services import record
from repertoire.core.refusals import Refused
from repertoire.positioning.models import Establishment, LetterBatch
from repertoire.positioning.selectors.letters import letter_positionings
from repertoire.positioning.services._common import check_writer
from repertoire.tasks import throttled

logger = logging.getLogger(__name__)


@transaction.atomic
def request_letters(
    user, establishment: Establishment, *, status: str = "", service: str = ""
) -> LetterBatch:
    """Typeset the establishment's letters to hand out (in the background)."""
    check_writer(user, establishment)
    count = len(letter_positionings(user, establishment, status=status, service=service))
    if not count:
        raise Refused("aucun positionnement validé ou notifié à imprimer ici")
    batch = LetterBatch.objects.create(
        establishment=establishment,
        positioning_status=status,
        service=service,
        status=LetterBatch.Status.PENDING,
        letters=count,
        requested_by=user.get_username(),
    )
    record(
        actor=user.get_username(),
        action="letters.request",
        instance=batch,
        after={"letters": count, "status": status, "service": service},
        establishment=establishment,
    )
    user_pk = getattr(user, "pk", None)
    tasks.start(batch, build_letters, user_pk)
    return batch


def build_letters(pk: int, user_pk: int | None) -> None:
    """Typeset a batch of letters, writing its progress; a failure is kept with it."""
    from django.contrib.auth import get_user_model

    from repertoire.accounts.selectors import CommandLineOperator
    from repertoire.positioning import letters

    batch = LetterBatch.objects.select_related("establishment").get(pk=pk)
    user = (
        get_user_model().objects.get(pk=user_pk)
        if user_pk is not None
        else CommandLineOperator(batch.requested_by)
    )

    def write(fraction: float, stage: str) -> None:
        LetterBatch.objects.filter(pk=pk).update(
            status=LetterBatch.Status.RUNNING,
            progress=min(fraction, 0.99),
            stage=stage,
            updated_at=timezone.now(),
        )

    progress = throttled(write)
    progress(0.0, "préparation")
    try:
        positionings = letter_positionings(
            user, batch.establishment, status=batch.positioning_status, service=batch.service
        )
        content = letters.letters_pdf(positionings, progress=progress)
    except Exception as exc:  # kept for the person waiting on the page
        logger.exception("letter batch %s failed", pk)
        batch.fail(exc)
        return
    batch.finish(content=content, letters=len(positionings))
