"""Employee imports of an establishment, within the user's scope."""

from __future__ import annotations

from django.db.models import QuerySet

from repertoire.positioning.models import EmployeeImport, Establishment
from repertoire.positioning.selectors.establishments import establishments_for


def imports_of(user, establishment: Establishment) -> QuerySet[EmployeeImport]:
    return EmployeeImport.objects.filter(
        establishment__in=establishments_for(user).filter(pk=establishment.pk)
    ).defer("content")
