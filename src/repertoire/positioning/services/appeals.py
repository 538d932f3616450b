"""Appeals (recours): an employee contests their notified positioning within the deadline,
and the commission confirms or revises it.

Both writes take the acting user and refuse (``NotAllowed``) anyone who may not write the
establishment's personal data; each runs in one transaction, moves the positioning through
``decisions.decide`` and journals the appeal, its argument and reasoning sealed with the
person's key.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from repertoire.audit.services import record, snapshot
from repertoire.core.refusals import Conflict, Refused
from repertoire.locking import locked
from repertoire.positioning.models import Appeal, Positioning, PositioningEvent
from repertoire.positioning.selectors.appeals import appeal_deadline, appeal_months
from repertoire.positioning.services._common import (
    check_in_force,
    check_writer,
    job_in,
    key_of,
    label,
    lock_decision,
    repeats_from,
)
from repertoire.positioning.services.decisions import decide

# A date that has not come yet is a typing error, not a decision or a letter received.
NOT_IN_THE_FUTURE = "cette date n'est pas encore arrivée"


@transaction.atomic
def open_appeal(
    user,
    positioning: Positioning,
    *,
    kind: str,
    argument: str,
    received_on: dt.date | None = None,
) -> Appeal:
    """Record an employee's appeal against their notified positioning, within the deadline.

    One appeal at a time: the positioning is read again under a lock (two officers
    recording the same letter at once: the second is refused, ``Conflict``)."""
    check_writer(user, positioning.establishment)
    lock_decision(positioning)
    check_in_force(positioning, unless_proposed=True)
    problems = {}
    if kind not in Appeal.Kind.values:
        problems["kind"] = "choisissez l'objet du recours"
    if not argument.strip():
        problems["argument"] = "l'argumentaire du collaborateur est obligatoire"
    if problems:
        raise Refused(problems=problems)
    if positioning.status != Positioning.Status.NOTIFIED or positioning.notified_on is None:
        # The same letter recorded again (a double click, a client's retry after a
        # timeout): the appeal it opened is the answer.
        earlier = Appeal.objects.filter(
            positioning=positioning,
            opened_by=user.get_username(),
            kind=kind,
            argument=argument.strip(),
            opened_at__gte=repeats_from(),
        ).first()
        if earlier is not None:
            return earlier
        raise Refused("seul un positionnement notifié peut faire l'objet d'un recours")
    received_on = received_on or timezone.localdate()
    deadline = appeal_deadline(positioning.notified_on)
    if received_on > deadline:
        raise Refused(
            problems={
                "received_on": f"recours reçu le {received_on:%d/%m/%Y}, après la date limite "
                f"du {deadline:%d/%m/%Y} ({appeal_months()} mois après la notification)"
            }
        )
    if received_on < positioning.notified_on:
        raise Refused(problems={"received_on": "un recours ne précède pas la notification"})
    if received_on > timezone.localdate():
        raise Refused(problems={"received_on": NOT_IN_THE_FUTURE})
    appeal = Appeal.objects.create(
        positioning=positioning,
        establishment=positioning.establishment,
        kind=kind,
        argument=argument.strip(),
        received_on=received_on,
        deadline=deadline,
        opened_by=user.get_username(),
    )
    decide(
        user,
        positioning,
        "contest",
        personal_level=positioning.level,
        reason=positioning.personal_level_reason,
        note=f"recours {label(appeal.get_kind_display)} : {appeal.argument}",
    )
    record(
        actor=user.get_username(),
        action="appeal.open",
        instance=appeal,
        after=_appeal_facts(appeal),
        establishment=appeal.establishment,
    )
    return appeal


@transaction.atomic
def decide_appeal(
    user,
    appeal: Appeal,
    *,
    outcome: str,
    reasoning: str,
    job_code: str = "",
    personal_level: int | None = None,
    reason: str = "",
    decided_on: dt.date | None = None,
) -> Appeal:
    """The commission's decision: confirm the positioning, or revise its job or level.

    The positioning and the appeal are read again under a lock: of two decisions at
    once, the second is refused (``Conflict``), never both recorded."""
    check_writer(user, appeal.establishment)
    if appeal.status != Appeal.Status.OPEN:
        if _decided_before(user, appeal, outcome, reasoning):
            return appeal  # this very decision, sent again
        raise Refused("ce recours est déjà tranché")
    seen_positioning = appeal.positioning_id
    lock_decision(appeal.positioning)
    locked(appeal)
    if appeal.positioning_id != seen_positioning:
        raise Conflict(
            "ce recours a suivi le positionnement reporté dans l'édition en vigueur : rechargez-le"
        )
    if appeal.status != Appeal.Status.OPEN:
        if _decided_before(user, appeal, outcome, reasoning):
            return appeal
        raise Conflict(
            _("This appeal was decided meanwhile by %(author)s (%(status)s). Reload it.")
            % {"author": appeal.decided_by, "status": appeal.get_status_display()}
        )
    if outcome not in (Appeal.Status.CONFIRMED, Appeal.Status.REVISED):
        raise Refused(problems={"outcome": "la décision confirme ou révise le positionnement"})
    if not reasoning.strip():
        raise Refused(problems={"reasoning": "la décision de la commission se motive"})
    decided_on = decided_on or timezone.localdate()
    if decided_on > timezone.localdate():
        raise Refused(problems={"decided_on": NOT_IN_THE_FUTURE})
    if decided_on < appeal.received_on:
        raise Refused(
            problems={"decided_on": "la commission ne décide pas avant d'avoir reçu le recours"}
        )
    positioning = appeal.positioning
    note = f"commission : {reasoning.strip()}"
    if outcome == Appeal.Status.CONFIRMED:
        decide(
            user,
            positioning,
            "confirm",
            personal_level=positioning.level,
            reason=positioning.personal_level_reason,
            note=note,
        )
    else:
        _revise(user, positioning, job_code, personal_level, reason, note)
    before = _appeal_facts(appeal)
    appeal.status = outcome
    appeal.reasoning = reasoning.strip()
    appeal.decided_by = user.get_username()
    appeal.decided_on = decided_on
    appeal.save()
    record(
        actor=user.get_username(),
        action="appeal.decide",
        instance=appeal,
        before=before,
        after=_appeal_facts(appeal),
        establishment=appeal.establishment,
    )
    return appeal


def _revise(
    user, positioning: Positioning, job_code: str, personal_level: int | None, reason: str, note
) -> None:
    """The commission revises the job or the level; refused when it changes neither."""
    job = job_in(positioning.edition, job_code) if job_code else None
    base_level = job.level.number if job is not None else positioning.base_level
    unchanged_job = job is None or job == positioning.job
    if unchanged_job and (personal_level or base_level) == positioning.level:
        raise Refused(problems={"job": "une révision change l'emploi ou le niveau"})
    decide(
        user,
        positioning,
        "revise",
        job=job,
        personal_level=personal_level,
        reason=reason,
        note=note,
    )


def _appeal_facts(appeal: Appeal) -> dict:
    """An appeal as the journal keeps it: its argument and reasoning sealed with the
    employee's key, and the employee named so that the journal can unseal them."""
    employee_id = appeal.positioning.employee_id
    return {**snapshot(appeal, key_of(employee_id)), "employee": employee_id}


def _decided_before(user, appeal: Appeal, outcome: str, reasoning: str) -> bool:
    """Whether ``user`` decided the appeal so, with these words, lately (``REPEAT_WINDOW``):
    the same decision sent again (a double click, a client's retry after a timeout)."""
    return (
        appeal.status == outcome
        and appeal.decided_by == user.get_username()
        and appeal.reasoning == reasoning.strip()
        and appeal.positioning.events.filter(
            action__in=(PositioningEvent.Action.CONFIRM, PositioningEvent.Action.REVISE),
            author=user.get_username(),
            at__gte=repeats_from(),
        ).exists()
    )
