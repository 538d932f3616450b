"""The pay-gap report, the pay ranges and the years with pay data, read within the
acting user's scope.

Scope: national administrators see any establishment and the network (``establishment``
None); HR officers and readers see their own establishment only (``establishment`` None
means theirs) — readers, as staff representatives, see the aggregated report, never a
person's pay. Anything else raises ``NotAllowed``.

The population of a report: every employee (not erased) of the scope with a pay record of
the year and a decided positioning on the edition in force; their category of workers is
the level of the job they hold (the reference job's, or the validated weighing's — not a
personal level), or with ``by="job"`` the job itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from repertoire.accounts.models import Role
from repertoire.accounts.selectors import (
    establishment_id_of,
    may_write_personal_data,
    role_of,
)
from repertoire.catalog import selectors as catalog
from repertoire.core import pay as pay_rules
from repertoire.core import positioning as positioning_rules
from repertoire.core.refusals import NotAllowed, Refused
from repertoire.core.text import to_roman
from repertoire.organisation.models import Establishment
from repertoire.positioning.models import Employee, PayRecord, Positioning

NETWORK = "network"
BY_LEVEL, BY_JOB = "level", "job"
GROUPINGS = (BY_LEVEL, BY_JOB)


# --- scope -----------------------------------------------------------------------------


def scope_of(user, establishment: Establishment | str | None = None) -> Establishment | None:
    """The establishment a report covers for this user (None: the network), or a refusal.

    ``establishment`` is an establishment or its code. National administrators: any
    establishment, or the network. HR and readers: their own establishment only."""
    role = role_of(user)
    if role == Role.NATIONAL:
        if establishment is None or isinstance(establishment, Establishment):
            return establishment
        found = Establishment.objects.filter(code=establishment).first()
        if found is None:
            raise Refused(problems={"establishment": [f"Établissement inconnu : {establishment}."]})
        return found
    if role in (Role.HR, Role.READER):
        own = establishment_id_of(user)
        if establishment is None:
            return Establishment.objects.get(pk=own)
        code = establishment.code if isinstance(establishment, Establishment) else establishment
        found = Establishment.objects.filter(pk=own, code=code).first()
        if found is not None:
            return found
    raise NotAllowed(
        "Le rapport sur l'égalité de rémunération d'un établissement est réservé à ses "
        "RH et à ses représentants, et aux administrateurs nationaux."
    )


def scope_label(establishment: Establishment | None) -> str:
    return establishment.code if establishment is not None else NETWORK


def _pay_records(establishment: Establishment | None) -> QuerySet[PayRecord]:
    records = PayRecord.objects.filter(employee__pseudonymised_at__isnull=True)
    if establishment is not None:
        records = records.filter(employee__establishment=establishment)
    return records


def _years(establishment: Establishment | None) -> list[int]:
    return list(
        _pay_records(establishment).order_by("-year").values_list("year", flat=True).distinct()
    )


def years(user, establishment: Establishment | str | None = None) -> list[int]:
    """The years with pay data in the user's scope, latest first."""
    return _years(scope_of(user, establishment))


def _default_year(establishment: Establishment | None, year: int | None) -> int | None:
    if year is not None:
        return int(year)
    found = _years(establishment)
    return found[0] if found else None


# --- the population --------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    """One person of a report's population: whose record, and the record as the rules
    read it (category = their level's label, or their job's)."""

    employee_id: int
    establishment_id: int
    level: int
    job_key: str
    job_order: tuple
    record: pay_rules.PayRecord


def level_label(number: int) -> str:
    return f"niveau {to_roman(number)}"


def population(
    establishment: Establishment | None, year: int | None, by: str = BY_LEVEL
) -> list[Member]:
    """Everyone counted in the report of this scope and year (no user check: callers
    have checked the scope)."""
    if by not in GROUPINGS:
        raise Refused(
            problems={"by": [f"Regroupement inconnu : {by} (niveau : level, emploi : job)."]}
        )
    if year is None:
        return []
    edition = catalog.get_edition()
    # Two reads of the columns the report needs, joined in the database (no list of ids,
    # no whole rows): 26,000 people take one pass each.
    positionings = Positioning.objects.filter(
        edition=edition,
        status__in=positioning_rules.DECIDED,
        employee__pseudonymised_at__isnull=True,
        employee__pay_records__year=year,
    )
    if establishment is not None:
        positionings = positionings.filter(establishment=establishment)
    held = {
        row[0]: row[1:]
        for row in positionings.values_list(
            "employee_id",
            "establishment_id",
            "job__title",
            "job__level__number",
            "job__position",
            "evaluation_id",
            "evaluation__title",
            "evaluation__level",
        )
    }
    records = _pay_records(establishment).filter(
        year=year,
        employee__positionings__edition=edition,
        employee__positionings__status__in=positioning_rules.DECIDED,
    )
    members = []
    for employee_id, sex, base, variable, working_time in records.order_by(
        "employee_id"
    ).values_list("employee_id", "sex", "base_pay", "variable_pay", "working_time"):
        if employee_id not in held:
            continue  # placed in another establishment than the one that pays them
        place, title, job_level, position, evaluation_id, local_title, local_level = held[
            employee_id
        ]
        level = job_level if title is not None else local_level
        if level is None:
            continue
        job_key, job_order = _job_of(title, position, job_level, evaluation_id, local_title, level)
        category = level_label(level) if by == BY_LEVEL else job_key
        members.append(
            Member(
                employee_id=employee_id,
                establishment_id=place,
                level=level,
                job_key=job_key,
                job_order=job_order,
                record=pay_rules.PayRecord(
                    sex=sex,
                    base=base,
                    variable=variable,
                    working_time=working_time,
                    category=category,
                    job=job_key,
                ),
            )
        )
    return members


def _job_of(title, position, job_level, evaluation_id, local_title, level) -> tuple[str, tuple]:
    """A job's label in a report by job, and its place (level, then the edition's order):
    the reference job's, or the evaluated local job's."""
    if title is not None:
        return title, (job_level, 0, position, title)
    return f"{local_title} (emploi local pesé)", (level, 1, evaluation_id, local_title)


def _order(members: list[Member], by: str):
    if by == BY_LEVEL:
        numbers = {level_label(m.level): m.level for m in members}
        return lambda label: numbers.get(label, 0)
    places = {m.job_key: m.job_order for m in members}
    return lambda label: places.get(label, ())


# --- the public reads ------------------------------------------------------------------


def gap_report(
    user,
    *,
    establishment: Establishment | str | None = None,
    year: int | None = None,
    by: str = BY_LEVEL,
) -> dict[str, Any]:
    """The article-9 report of the scope and year (default: the latest year with pay
    data), exactly as ``core.pay.pay_gap_report`` gives it."""
    if by not in GROUPINGS:
        raise Refused(
            problems={"by": [f"Regroupement inconnu : {by} (niveau : level, emploi : job)."]}
        )
    place = scope_of(user, establishment)
    year = _default_year(place, year)
    members = population(place, year, by)
    return pay_rules.pay_gap_report(
        [m.record for m in members],
        scope=scope_label(place),
        year=year,
        category_key=_order(members, by),
    )


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def ranges(
    user, *, establishment: Establishment | str | None = None, year: int | None = None
) -> list[dict[str, Any]]:
    """FTE base pay per level (minimum, median, maximum; headcount), JSON-ready: amounts
    as numbers with two decimals, None below three people."""
    place = scope_of(user, establishment)
    year = _default_year(place, year)
    members = population(place, year, BY_LEVEL)
    return [
        {
            **row,
            "minimum": _number(row["minimum"]),
            "median": _number(row["median"]),
            "maximum": _number(row["maximum"]),
        }
        for row in pay_rules.pay_ranges(
            [m.record for m in members], category_key=_order(members, BY_LEVEL)
        )
    ]


# --- a person (article 7) --------------------------------------------------------------


def letter_employees_for(user) -> QuerySet[Employee]:
    """The employees whose article-7 letter the user may send: national administrators
    any, HR their establishment's; readers none."""
    role = role_of(user)
    employees = Employee.objects.filter(pseudonymised_at__isnull=True)
    if role == Role.NATIONAL:
        return employees
    if role == Role.HR:
        return employees.filter(establishment_id=establishment_id_of(user))
    return employees.none()


def may_record_actions(user, establishment: Establishment | None) -> bool:
    """Who records a gap action: the establishment's HR and national administrators (for
    the network: national administrators only)."""
    if establishment is None:
        return role_of(user) == Role.NATIONAL
    return may_write_personal_data(user, establishment.pk)


def worker_letter(user, employee: Employee, *, year: int | None = None) -> dict[str, Any]:
    """What a worker's article-7 letter states: their own FTE pay of the year (default:
    their latest), the mean FTE pay of the women and of the men of their category (level)
    in their establishment (below three people: not given), and how their job is
    classified (the edition's criteria, the job's degrees, its level)."""
    if not letter_employees_for(user).filter(pk=employee.pk).exists():
        raise NotAllowed("La lettre d'information sur la rémunération est réservée aux RH.")
    pay = employee.pay_records.order_by("-year")
    if year is not None:
        pay = pay.filter(year=year)
    pay_record = pay.first()
    if pay_record is None:
        raise Refused("Aucune rémunération n'est enregistrée pour cette personne.")
    members = population(employee.establishment, pay_record.year, BY_LEVEL)
    own = next((m for m in members if m.employee_id == employee.pk), None)
    if own is None:
        raise Refused(
            "Cette personne n'a pas de positionnement décidé dans l'édition en vigueur : "
            "sa catégorie de travailleurs n'est pas connue."
        )
    information = pay_rules.worker_information(
        own.record, [m.record for m in members if m.level == own.level]
    )
    edition = catalog.get_edition()
    positioning = Positioning.objects.select_related("job__level", "evaluation").get(
        employee=employee, edition=edition
    )
    return {
        "employee": employee,
        "establishment": employee.establishment,
        "year": pay_record.year,
        "reference_date": pay_record.reference_date,
        "edition": edition,
        "job": positioning.placed_on,
        "level": own.level,
        "level_label": level_label(own.level),
        "criteria": _classification(edition, positioning),
        **information,
    }


def _classification(edition, positioning: Positioning) -> list[dict[str, Any]]:
    """The edition's criteria, with the degree of the job held on each."""
    criteria = catalog.criteria_of(edition)
    if positioning.job_id:
        job = catalog.jobs_of(edition).get(pk=positioning.job_id)
        degrees = list(catalog.degrees_of(job))
    else:
        found = positioning.evaluation.degrees or {}
        degrees = [found.get(criterion.code) for criterion in criteria]
    degrees += [None] * (len(criteria) - len(degrees))
    return [
        {"label": criterion.label, "description": criterion.description, "degree": degree}
        for criterion, degree in zip(criteria, degrees, strict=False)
    ]


# --- gap actions -----------------------------------------------------------------------


def actions_of(establishment: Establishment | None, year: int | None) -> QuerySet:
    """The justifications and remedies recorded on one report (scope and year)."""
    from repertoire.pay.models import GapAction

    if year is None:
        return GapAction.objects.none()
    actions = GapAction.objects.filter(year=year)
    if establishment is None:
        return actions.filter(establishment__isnull=True)
    return actions.filter(establishment=establishment)
