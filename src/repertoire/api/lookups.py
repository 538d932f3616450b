"""One object in the caller's scope, or 404 as if it did not exist.

Each lookup reads through the selector that scopes what the user may see; the 404 says
what was looked for."""

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from repertoire.evaluation import selectors as evaluations
from repertoire.evaluation.models import JobEvaluation
from repertoire.positioning import selectors
from repertoire.positioning.models import Employee, Establishment, Positioning


def found(queryset: QuerySet, message: str, **lookup):
    """``get_object_or_404``, saying ``message`` when there is none."""
    try:
        return get_object_or_404(queryset, **lookup)
    except Http404:
        raise Http404(message) from None


def establishment(user, code: str) -> Establishment:
    message = f"aucun établissement « {code} » à votre portée"
    return found(selectors.establishments_for(user), message, code=code)


def employee(user, pk: int) -> Employee:
    return found(selectors.employees_for(user), f"aucun collaborateur {pk}", pk=pk)


def positioning(user, pk: int) -> Positioning:
    """A positioning of any edition in the user's scope (``positionings_for`` lists one
    edition's)."""
    return found(selectors.all_positionings_for(user), f"aucun positionnement {pk}", pk=pk)


def evaluation(user, pk: int) -> JobEvaluation:
    return found(evaluations.evaluations_for(user), f"aucune pesée {pk}", pk=pk)
