"""Individual pay records, personal data: national administrators see every record, an
establishment's HR those of its people, readers (staff representatives) none — they see
the establishment's aggregated report (the pay app), never a person's pay."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet

from repertoire.accounts.models import Role
from repertoire.accounts.selectors import establishment_id_of, role_of
from repertoire.positioning.models import Employee, PayRecord


def pay_records_for(user) -> QuerySet[PayRecord]:
    """The pay records the user may read, newest year first."""
    records = PayRecord.objects.select_related("employee__establishment").order_by(
        "employee", "-year"
    )
    role = role_of(user)
    if role == Role.NATIONAL:
        return records
    if role == Role.HR:
        return records.filter(employee__establishment_id=establishment_id_of(user))
    return records.none()


def pay_history_of(user, employee: Employee) -> list[dict]:
    """One person's pay by year as the employee page and the right of access show it
    (empty for whoever may not read it): amounts as paid, share of full time, and the
    full-time-equivalent total."""
    return [
        {
            "annee": held.year,
            "date_reference": held.reference_date,
            "sexe": held.sex,
            "salaire_de_base": held.base_pay,
            "remuneration_variable": held.variable_pay,
            "temps_de_travail": held.working_time,
            "total_equivalent_temps_plein": full_time_equivalent(held),
        }
        for held in pay_records_for(user).filter(employee=employee)
    ]


def full_time_equivalent(held: PayRecord) -> Decimal:
    """Base and variable pay over the share of full time, to the cent."""
    total = (held.base_pay + held.variable_pay) / held.working_time
    return total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
