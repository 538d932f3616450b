"""Publishing a draft edition, and the pairs of jobs from one edition to the next."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from repertoire.audit.services import record, snapshot
from repertoire.catalog.models import Edition, EditionPairing
from repertoire.catalog.selectors import pairing_state, reference_profiles_of
from repertoire.catalog.services.common import (
    EditionFrozen,
    check_draft,
    check_national,
    edition_changed,
    lock_editions,
)
from repertoire.core.grid import calibrate, get_rule
from repertoire.core.refusals import Conflict, Refused


class PublicationRefused(Refused):
    """A draft that cannot be published yet, with every reason why."""

    def __init__(self, reasons: list[str]):
        self.reasons = reasons
        super().__init__(reasons)


def check_publishable(user, edition: Edition, *, status: str | None = None) -> None:
    """Refused (``PublicationRefused`` with every reason, or as ``check_draft``) unless
    ``user`` may publish ``edition`` now; writes nothing. A publication run in the
    background is checked with this before it is queued, and again when it publishes."""
    check_national(user)
    check_draft(edition)
    if status is not None and status not in Edition.Status.values:
        raise Refused(problems={"status": f"statut « {status} » inconnu"})
    reasons = []
    if not edition.jobs.exists():
        reasons.append("l'édition n'a aucun emploi")
    misclassified = calibrate(get_rule(edition.level_rule), reference_profiles_of(edition))
    reasons += [m.describe() for m in misclassified]
    if reasons:
        raise PublicationRefused(reasons)


@transaction.atomic
def publish_edition(user, edition: Edition, *, status: str | None = None) -> Edition:
    """Freeze a draft and make it the edition in force.

    Refused while the rule does not give every job its level: an edition whose levels
    contradict its own rule cannot be the reference of anyone's classification.

    The catalog's half of a publication: the page and the command publish through
    ``positioning.services.publish_edition``, which calls this and, in the same
    transaction, carries the open positioning campaign over to the new edition.
    """
    check_national(user)
    # Every edition locked, in one order: two publications at once must not both leave
    # their edition in force.
    lock_editions()
    check_publishable(user, edition, status=status)
    before = snapshot(edition)
    Edition.objects.filter(is_current=True).exclude(pk=edition.pk).update(is_current=False)
    edition.published_at = timezone.now()
    edition.published_by = user.get_username()
    edition.is_current = True
    edition.status = status or edition.status
    edition.save(update_fields=["published_at", "published_by", "is_current", "status"])
    edition_changed(edition)
    record(
        actor=user.get_username(),
        action="edition.publish",
        instance=edition,
        before=before,
        after=snapshot(edition),
    )
    return edition


@transaction.atomic
def decide_pairing(
    user,
    before: Edition,
    after: Edition,
    before_code: str,
    after_code: str | None,
    *,
    seen: str | None = None,
) -> EditionPairing:
    """Confirm that ``after_code`` succeeds ``before_code`` (None: no successor).

    Several jobs may have the same successor: jobs merged into one. ``seen``: the job's
    pairing as the administrator's page showed it (``pairing_state``): refused when
    another administrator decided it otherwise since."""
    check_national(user)
    if before.pk == after.pk:
        raise Refused(problems={"after": "une édition ne s'apparie pas avec elle-même"})
    if _published(after):
        # Establishments migrate by these pairs: they do not move under them.
        raise EditionFrozen(
            f"l'édition {after.label} est publiée : ses appariements ne changent plus"
        )
    if not before.jobs.filter(code=before_code).exists():
        raise Refused(problems={"before": f"aucun emploi « {before_code} » dans {before.label}"})
    if after_code and not after.jobs.filter(code=after_code).exists():
        raise Refused(problems={"after": f"aucun emploi « {after_code} » dans {after.label}"})
    _check_seen(before, after, before_code, seen)
    pairing, _ = EditionPairing.objects.update_or_create(
        before=before,
        after=after,
        before_code=before_code,
        defaults={"after_code": after_code or "", "decided_by": user.get_username()},
    )
    record(
        actor=user.get_username(),
        action="edition.pairing",
        instance=after,
        after={"from": before.label, "job": before_code, "successor": after_code},
    )
    return pairing


@transaction.atomic
def forget_pairing(user, pairing: EditionPairing, *, seen: str | None = None) -> None:
    """Back to the automatic pairing for this job (``seen`` as for ``decide_pairing``)."""
    check_national(user)
    if _published(pairing.after):
        raise EditionFrozen(
            f"l'édition {pairing.after.label} est publiée : ses appariements ne changent plus"
        )
    _check_seen(pairing.before, pairing.after, pairing.before_code, seen)
    record(
        actor=user.get_username(),
        action="edition.pairing.forget",
        instance=pairing.after,
        before={
            "from": pairing.before.label,
            "job": pairing.before_code,
            "successor": pairing.after_code or None,
        },
    )
    pairing.delete()


def _check_seen(before: Edition, after: Edition, before_code: str, seen: str | None) -> None:
    """The job's pairing, read under a lock, is still the one the page showed."""
    if seen is None:
        return
    current = (
        EditionPairing.objects.select_for_update()
        .filter(before=before, after=after, before_code=before_code)
        .first()
    )
    if pairing_state(current) != seen:
        raise Conflict(
            _(
                "The pairing of this job was decided meanwhile by %(author)s: nothing "
                "was recorded. Reload the page."
            )
            % {"author": current.decided_by if current else "?"}
        )


def _published(edition: Edition) -> bool:
    """Whether the edition is published, read under a lock of its row: a publication
    at the same moment waits for the write, or the write sees it."""
    published_at = (
        Edition.objects.select_for_update()
        .filter(pk=edition.pk)
        .values_list("published_at", flat=True)
        .first()
    )
    return edition.is_frozen or published_at is not None
