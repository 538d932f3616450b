"""The equal-pay writes: a gap action recorded, a worker's article-7 letter sent. Each
runs in a transaction and is journaled."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from repertoire.audit.services import record, snapshot
from repertoire.core.refusals import NotAllowed, Refused
from repertoire.organisation.models import Establishment
from repertoire.pay import selectors
from repertoire.pay.models import GapAction
from repertoire.positioning.models import Employee


def record_gap_action(
    user,
    *,
    establishment: Establishment | None,
    year: int,
    category: str,
    kind: str,
    text: str,
    decided_on: dt.date,
    by: str = selectors.BY_LEVEL,
) -> GapAction:
    """Record how a category's pay gap is justified or remedied: HR of the establishment
    or a national administrator (the network's report: national administrators only)."""
    if not selectors.may_record_actions(user, establishment):
        raise NotAllowed(
            "Seuls les RH de l'établissement et les administrateurs nationaux enregistrent "
            "la justification ou la correction d'un écart."
        )
    text = (text or "").strip()
    problems: dict[str, list[str]] = {}
    if kind not in GapAction.Kind.values:
        problems["kind"] = ["Choisissez une justification ou une mesure correctrice."]
    if not text:
        problems["text"] = ["Décrivez la justification ou la mesure correctrice."]
    elif len(text) > GapAction.TEXT_MAX_LENGTH:
        problems["text"] = [f"Au plus {GapAction.TEXT_MAX_LENGTH} caractères ({len(text)} ici)."]
    if decided_on is None:
        problems["decided_on"] = ["Indiquez la date de la décision."]
    elif decided_on > timezone.localdate():
        problems["decided_on"] = ["La date de la décision ne peut pas être dans le futur."]
    members = selectors.population(establishment, year, by)
    categories = {member.record.category for member in members}
    if category not in categories:
        problems["category"] = [f"Aucune catégorie « {category} » dans le rapport {year}."]
    if problems:
        raise Refused(problems=problems)
    with transaction.atomic():
        action = GapAction.objects.create(
            establishment=establishment,
            year=year,
            category=category,
            kind=kind,
            text=text,
            decided_on=decided_on,
            author=user.get_username(),
        )
        record(
            actor=user.get_username(),
            action="pay.gap_action",
            instance=action,
            after=snapshot(action),
            establishment=establishment,
        )
    return action


def send_worker_letter(user, employee: Employee, *, year: int | None = None) -> dict:
    """Journal that a worker's article-7 letter is sent, and give what it states (see
    ``selectors.worker_letter``). The journal keeps the year, not the pay."""
    if not selectors.letter_employees_for(user).filter(pk=employee.pk).exists():
        raise NotAllowed("La lettre d'information sur la rémunération est réservée aux RH.")
    letter = selectors.worker_letter(user, employee, year=year)
    with transaction.atomic():
        record(
            actor=user.get_username(),
            action="pay.worker_letter",
            instance=employee,
            after={"annee": letter["year"], "envoyee_le": timezone.localdate()},
            establishment=employee.establishment,
        )
    return letter
