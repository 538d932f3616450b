"""Appeals a user may see (scoped by establishment), and the appeal deadline: the one
reading of ``REPERTOIRE_APPEAL_DEADLINE_MONTHS``."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import QuerySet

from repertoire.core import positioning as rules
from repertoire.positioning.models import Appeal, Establishment
from repertoire.positioning.selectors.establishments import establishments_for


def appeal_months() -> int:
    """Months an employee has to contest their positioning, from its notification."""
    return settings.REPERTOIRE_APPEAL_DEADLINE_MONTHS


def appeal_deadline(notified_on: dt.date) -> dt.date:
    """The last day to contest a positioning notified on ``notified_on``."""
    return rules.appeal_deadline(notified_on, appeal_months())


def appeals_for(
    user, *, establishment: Establishment | None = None, status: str = ""
) -> QuerySet[Appeal]:
    appeals = Appeal.objects.filter(establishment__in=establishments_for(user)).select_related(
        "positioning__employee", "positioning__job", "positioning__evaluation", "establishment"
    )
    if establishment is not None:
        appeals = appeals.filter(establishment=establishment)
    if status:
        appeals = appeals.filter(status=status)
    return appeals


def appeal_for(user, pk: int) -> Appeal:
    return appeals_for(user).get(pk=pk)
