"""Reads of personal data. Each takes the acting user and scopes by establishment here.

Views, API, exports and commands read employees only through these functions; an
employee outside the user's scope does not exist for them (404, never 403, so that
ids reveal nothing).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from repertoire.accounts.models import Role
from repertoire.accounts.selectors import establishment_id_of, role_of
from repertoire.positioning.models import Employee, Establishment


def establishments_for(user) -> QuerySet[Establishment]:
    role = role_of(user)
    if role == Role.NATIONAL:
        return Establishment.objects.all()
    if role in (Role.HR, Role.READER):
        return Establishment.objects.filter(pk=establishment_id_of(user))
    return Establishment.objects.none()


def employees_for(
    user, *, search: str = "", establishment: str | None = None
) -> QuerySet[Employee]:
    """The employees the user may see, optionally by name/matricule/title and establishment."""
    employees = Employee.objects.select_related("establishment").filter(
        establishment__in=establishments_for(user)
    )
    if establishment:
        employees = employees.filter(establishment__code=establishment)
    if search:
        employees = employees.filter(
            Q(last_name__icontains=search)
            | Q(first_name__icontains=search)
            | Q(matricule__icontains=search)
            | Q(job_title__icontains=search)
        )
    return employees


def employee_for(user, pk: int) -> Employee:
    """One employee the user may see; ``Employee.DoesNotExist`` otherwise."""
    return employees_for(user).get(pk=pk)


def personal_data_of(user, employee: Employee) -> dict:
    """Everything held on one person, for their right of access (JSON and PDF)."""
    from repertoire.audit.selectors import history_of

    return {
        "collaborateur": {
            "id": employee.pk,
            "etablissement": {
                "code": employee.establishment.code,
                "nom": employee.establishment.name,
            },
            **{
                name: getattr(employee, name)
                for name in (*Employee.EDITABLE_FIELDS, "pseudonymised_at", "created_at")
            },
        },
        "historique": [
            {
                "date": entry.at,
                "auteur": entry.actor,
                "action": entry.action,
                "avant": entry.before,
                "apres": entry.after,
            }
            for entry in history_of(user, employee)
        ],
    }
