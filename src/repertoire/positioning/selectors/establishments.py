"""The establishments and employees a user may see, and everything held on one person.

Every function takes the acting user and scopes by establishment here: an employee outside
the user's scope does not exist for them (404, never 403, so that ids reveal nothing).
"""

from __future__ import annotations

from django.db.models import F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from repertoire.accounts.models import Role
from repertoire.accounts.selectors import establishment_id_of, role_of, sees_personal_details
from repertoire.catalog import selectors as catalog
from repertoire.catalog.selectors import EditionNotFound
from repertoire.core import positioning as rules
from repertoire.positioning.models import Employee, Establishment, Positioning, PositioningEvent


def establishments_for(user) -> QuerySet[Establishment]:
    role = role_of(user)
    if role == Role.NATIONAL:
        return Establishment.objects.all()
    if role in (Role.HR, Role.READER):
        return Establishment.objects.filter(pk=establishment_id_of(user))
    return Establishment.objects.none()


# What a role may search and filter people on: only what it may see. Readers (staff
# representatives) see name, local job title and level; searching or filtering on a
# matricule or a service would tell them what they may not see (one match = one value).
SEARCHABLE = ("last_name", "first_name", "matricule", "job_title")
SEARCHABLE_BY_READERS = ("last_name", "first_name", "job_title")
FILTERABLE = frozenset({"service", "status", "job", "level", "title_key"})
FILTERABLE_BY_READERS = frozenset({"status", "job", "level", "title_key"})


def searchable_fields(user) -> tuple[str, ...]:
    """The employee fields a search by this user looks into."""
    return SEARCHABLE if sees_personal_details(user) else SEARCHABLE_BY_READERS


def may_filter_on(user, name: str) -> bool:
    """Whether this user may narrow people by this filter (``WorklistFilters`` names)."""
    return name in (FILTERABLE if sees_personal_details(user) else FILTERABLE_BY_READERS)


def search_people(user, text: str, *, through: str = "") -> Q:
    """People whose visible fields contain the text (``through``: the path to the
    employee, e.g. ``employee__``)."""
    condition = Q()
    for name in searchable_fields(user):
        condition |= Q(**{f"{through}{name}__icontains": text})
    return condition


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
        employees = employees.filter(search_people(user, search))
    return with_level_held(employees)


def with_level_held(employees: QuerySet[Employee]) -> QuerySet[Employee]:
    """The employees with ``level_held``: the level of their decided positioning on the
    edition in force (validated, notified, contested, confirmed or revised; the personal
    level when one is kept), else the level their file gave."""
    try:
        edition = catalog.get_edition()
    except EditionNotFound:
        return employees.annotate(level_held=F("current_level"))
    decided = Positioning.objects.filter(
        employee=OuterRef("pk"), edition=edition, status__in=rules.DECIDED
    ).values("level")[:1]
    return employees.annotate(level_held=Coalesce(Subquery(decided), F("current_level")))


def personal_data_of(user, employee: Employee) -> dict:
    """Everything held on one person, for their right of access (JSON and PDF): who they
    are, their positionings on every edition with their steps and appeals, their pay by
    year, and what the journal recorded about them, their positionings and their appeals."""
    from repertoire.audit.selectors import person_history
    from repertoire.positioning.selectors.pay import pay_history_of

    positionings = (
        Positioning.objects.filter(employee=employee)
        .select_related("edition", "job__level", "evaluation")
        .prefetch_related(
            Prefetch("events", PositioningEvent.objects.order_by("at", "pk")), "appeals"
        )
        .order_by("edition__date", "pk")
    )
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
        "positionnements": [_positioning_held(positioning) for positioning in positionings],
        "remunerations": pay_history_of(user, employee),
        "historique": [
            {
                "date": entry.at,
                "auteur": entry.actor,
                "action": entry.action,
                "objet": entry.object_repr,
                "avant": entry.before,
                "apres": entry.after,
            }
            for entry in person_history(user, employee)
        ],
    }


def _positioning_held(positioning: Positioning) -> dict:
    return {
        "edition": positioning.edition.label,
        "statut": positioning.get_status_display(),
        "emploi": positioning.placed_on,
        "code_emploi": positioning.job.code if positioning.job_id else None,
        "niveau": positioning.level,
        "motif_niveau_personnel": positioning.personal_level_reason,
        "commentaire": positioning.comment,
        "decide_par": positioning.decided_by,
        "decide_le": positioning.decided_at,
        "notifie_le": positioning.notified_on,
        "etapes": [
            {
                "date": event.at,
                "auteur": event.author,
                "action": event.get_action_display(),
                "emploi": event.job_title,
                "niveau": event.level,
                "note": event.note,
            }
            for event in positioning.events.all()
        ],
        "recours": [
            {
                "objet": appeal.get_kind_display(),
                "argumentaire": appeal.argument,
                "recu_le": appeal.received_on,
                "statut": appeal.get_status_display(),
                "motivation": appeal.reasoning,
                "decide_le": appeal.decided_on,
            }
            for appeal in positioning.appeals.all()
        ],
    }


def establishment_for(user, code: str) -> Establishment:
    """One establishment the user may see; ``Establishment.DoesNotExist`` otherwise."""
    return establishments_for(user).get(code=code)


def services_of(user, establishment: Establishment) -> list[str]:
    """The services to filter the establishment's people by: none for who may not."""
    if not may_filter_on(user, "service"):
        return []
    return list(
        employees_for(user)
        .filter(establishment=establishment)
        .exclude(service="")
        .order_by("service")
        .values_list("service", flat=True)
        .distinct()
    )
