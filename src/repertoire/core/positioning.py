"""The rules of a positioning: its statuses and their order, its level, the appeal deadline.

A positioning is proposed by the matching engine, validated (or changed) by HR, notified
to the employee, who may contest it; the commission then confirms or revises it:

    proposed → validated → notified → contested → confirmed | revised
"""

from __future__ import annotations

import calendar
import datetime as dt

from repertoire.core.grid import MAX_LEVEL, MIN_LEVEL
from repertoire.core.refusals import Refused
from repertoire.core.text import to_roman

# TransitionRefused: what next_status raises, caught by the callers from here.
from repertoire.core.transitions import TransitionRefused as TransitionRefused
from repertoire.core.transitions import Workflow

PROPOSED = "proposed"
VALIDATED = "validated"
NOTIFIED = "notified"
CONTESTED = "contested"
CONFIRMED = "confirmed"
REVISED = "revised"
STATUSES = (PROPOSED, VALIDATED, NOTIFIED, CONTESTED, CONFIRMED, REVISED)

# What each action may start from, and where it leads.
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "validate": (frozenset({PROPOSED, VALIDATED}), VALIDATED),
    "change": (frozenset({PROPOSED, VALIDATED}), VALIDATED),
    "notify": (frozenset({VALIDATED}), NOTIFIED),
    "contest": (frozenset({NOTIFIED}), CONTESTED),
    "confirm": (frozenset({CONTESTED}), CONFIRMED),
    "revise": (frozenset({CONTESTED}), REVISED),
}
STATUS_LABELS = {
    PROPOSED: "proposé",
    VALIDATED: "validé",
    NOTIFIED: "notifié",
    CONTESTED: "contesté",
    CONFIRMED: "confirmé",
    REVISED: "révisé",
}
ACTION_LABELS = {
    "validate": "valider",
    "change": "changer l'emploi ou le niveau",
    "notify": "notifier",
    "contest": "ouvrir un recours",
    "confirm": "confirmer",
    "revise": "réviser",
}


WORKFLOW = Workflow(
    statuses=STATUSES,
    transitions=TRANSITIONS,
    status_labels=STATUS_LABELS,
    action_labels=ACTION_LABELS,
    refusal="impossible de {action} un positionnement {status} (il faut qu'il soit : {allowed})",
)

# Decided: counted in the level distribution handed to the social partners.
DECIDED = (VALIDATED, NOTIFIED, CONTESTED, CONFIRMED, REVISED)
# HR may still change the job or the level; afterwards only an appeal does.
OPEN_TO_REVIEW = WORKFLOW.starts_of("change")


def next_status(current: str, action: str) -> str:
    """The status after ``action``; refused, with the reason, when the order forbids it."""
    return WORKFLOW.next_status(current, action)


class LevelRefused(Refused):
    """A level the rules do not allow for this job, or a personal level without its reason."""


def positioned_level(job_level: int, personal_level: int | None, reason: str = "") -> int:
    """The employee's level: the job's, or a higher one kept for the person with a reason."""
    if personal_level is None or personal_level == job_level:
        return job_level
    if not MIN_LEVEL <= personal_level <= MAX_LEVEL:
        raise LevelRefused(f"le niveau va de {to_roman(MIN_LEVEL)} à {to_roman(MAX_LEVEL)}")
    if personal_level < job_level:
        raise LevelRefused(
            f"le niveau ne peut être inférieur à celui de l'emploi (niveau {job_level})"
        )
    if not reason.strip():
        raise LevelRefused("un niveau à titre personnel supérieur à celui de l'emploi se motive")
    return personal_level


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day (31 January + 1 → 28/29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def appeal_deadline(notified_on: dt.date, months: int) -> dt.date:
    """The last day an employee may contest: ``months`` after receiving the notification."""
    return add_months(notified_on, months)
