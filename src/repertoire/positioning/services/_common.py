"""What the positioning services share: the scope check, the refusal of a model that does
not validate, the person's journal key, and how a positioning is told to its history and
to the journal."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from repertoire.accounts.selectors import may_write_personal_data
from repertoire.audit import services as audit
from repertoire.catalog import selectors as catalog
from repertoire.catalog.models import Edition, ReferenceJob
from repertoire.core.matching import TitleQuery
from repertoire.core.refusals import Conflict, NotAllowed, Refused
from repertoire.core.text import to_roman
from repertoire.locking import kind_of, locked
from repertoire.positioning.models import (
    Employee,
    EmployeeKey,
    Establishment,
    Positioning,
    PositioningEvent,
)

# Rows written per query in bulk operations.
BATCH = 1000
# Proposals kept on a positioning: the engine's best reference jobs.
PROPOSALS_KEPT = 3
# The employee columns a proposal is made from: changing one proposes again.
TITLE_FIELDS = ("job_title", "service", "job_description")
# A confirmation of many people sent again within this time (a double click, a client's
# retry after a timeout) is the same confirmation, answered with what it did; a page sent
# later is a new decision, checked against what it showed.
REPEAT_WINDOW = dt.timedelta(minutes=15)


def repeats_from() -> dt.datetime:
    """The earliest time a confirmation sent now may repeat (``REPEAT_WINDOW``)."""
    return timezone.now() - REPEAT_WINDOW


def check_writer(user, establishment: Establishment) -> None:
    """Refused unless ``user`` may write the establishment's personal data (its HR, or a
    national administrator)."""
    if not may_write_personal_data(user, establishment.pk):
        raise NotAllowed("vous ne pouvez pas modifier le personnel de cet établissement")


def job_in(edition: Edition, code: str) -> ReferenceJob:
    """The edition's job under ``code``; refused when it has none."""
    job = catalog.job_of(edition, code)
    if job is None:
        raise Refused(problems={"job": f"aucun emploi « {code} » dans l'édition {edition.label}"})
    return job


def key_of(employee: Employee | int) -> str | None:
    """The person's journal key (an employee or its id); None once they are erased."""
    return EmployeeKey.objects.filter(employee=employee).values_list("key", flat=True).first()


def title_query(employee: Employee) -> TitleQuery:
    """What the matching engine reads of an employee."""
    return TitleQuery(employee.job_title, employee.service, employee.job_description)


def facts(positioning: Positioning) -> dict:
    """What the journal keeps of a positioning: the decision, not the proposals. The
    reason for a personal level is about the person: sealed with their key."""
    reason = positioning.personal_level_reason
    return {
        "employee": positioning.employee_id,
        "status": positioning.status,
        "job": positioning.job.code if positioning.job_id else None,
        "evaluation": positioning.evaluation_id,
        "level": positioning.level,
        "personal_level_reason": (
            audit.sealed(reason, key_of(positioning.employee_id)) if reason else ""
        ),
    }


def event(positioning: Positioning, action: str, author: str, note: str = "") -> PositioningEvent:
    """A step of the positioning's history (unsaved), as it stands now."""
    job = positioning.job if positioning.job_id else None
    return PositioningEvent(
        positioning=positioning,
        author=author,
        action=action,
        status=positioning.status,
        job_code=job.code if job else "",
        job_title=positioning.placed_on[:200],
        level=positioning.level,
        note=note,
    )


def label(display) -> str:
    """A choice's label in the application's language, whoever is acting (the history
    keeps words, not codes)."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(display())


# --- two people deciding at once ----------------------------------------------------------


def superseded_by(positioning: Positioning) -> Positioning | None:
    """The employee's positioning on the edition in force, when ``positioning`` is on an
    earlier edition: a publication carried the campaign over to it (maybe while the
    caller was deciding)."""
    current = Edition.objects.filter(is_current=True).values_list("pk", flat=True).first()
    if current is None or positioning.edition_id == current:
        return None
    return Positioning.objects.filter(
        employee_id=positioning.employee_id, edition_id=current
    ).first()


def check_in_force(positioning: Positioning, *, unless_proposed: bool = False) -> None:
    """Refused (``Conflict``) when the person's positioning was carried over to the edition
    in force: a decision on the earlier one would be lost for the campaign. With
    ``unless_proposed``, allowed while the one in force is only a proposal (a notified
    person sent back to review keeps their letter, and its appeal, on the earlier one)."""
    newer = superseded_by(positioning)
    if newer is None or (unless_proposed and newer.status == Positioning.Status.PROPOSED):
        return
    raise Conflict(
        f"ce positionnement a été reporté dans l'édition {newer.edition.label}, en vigueur : "
        "décidez sur celui-ci (rechargez la page)"
    )


def lock_decision(
    positioning: Positioning, *, chosen: bool = False, seen: str | None = None
) -> Positioning:
    """The positioning read again, in place, its row locked until the transaction ends;
    refused (``Conflict``) when its decision changed since the person saw it: someone else
    decided meanwhile, and deciding on what the person saw would undo it.

    ``seen``: the etag of the positioning the person's page or API call showed them
    (``Positioning.etag``); without it, the positioning as the caller read it.
    ``chosen``: the person names the job themselves; the engine's new proposal on a
    positioning still at the proposal stage (an import meanwhile) does not matter then."""
    seen = seen or positioning.etag
    locked(positioning)
    now = positioning.etag
    proposal_only = chosen and kind_of(seen) == kind_of(now) == Positioning.Status.PROPOSED
    if now != seen and not proposal_only:
        raise Conflict(changed_meanwhile(positioning))
    return positioning


def changed_meanwhile(positioning: Positioning) -> str:
    """What a positioning is now, and who made it so: the refusal of a write that lost."""
    last = positioning.events.order_by("-at", "-pk").first()
    return _(
        "This positioning was changed meanwhile (%(step)s by %(author)s): it is now "
        "%(status)s, %(job)s, level %(level)s. Reload it before deciding again."
    ) % {
        "step": last.get_action_display() if last else "?",
        "author": last.author if last else "?",
        "status": positioning.get_status_display(),
        "job": positioning.placed_on or "?",
        "level": to_roman(positioning.level) if positioning.level else "?",
    }
