"""Writes of evaluations: create, change, submit, validate or send back, revise.

Each checks the actor's role, runs in one transaction, keeps the evaluation's history
(``EvaluationEvent``) and is journaled. The order of the steps is in
``core.evaluation``; the level is the edition's rule's (``catalog.grid_of``).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from repertoire.accounts.models import Role
from repertoire.accounts.selectors import may_write_personal_data, role_of
from repertoire.audit.services import record
from repertoire.catalog import selectors as catalog
from repertoire.catalog.models import Edition
from repertoire.core import evaluation as rules
from repertoire.core.grid import InvalidDegrees
from repertoire.core.limits import SHORT_TEXT_MAX
from repertoire.core.refusals import Conflict, NotAllowed, Refused
from repertoire.evaluation.models import EvaluationEvent, JobEvaluation
from repertoire.locking import locked
from repertoire.positioning.models import Establishment
from repertoire.validation import full_clean

EDITABLE_FIELDS = ("title", "missions", "degrees", "justifications")


def _check_editor(user, establishment: Establishment) -> None:
    """The establishment's HR officers and national administrators evaluate its jobs."""
    if not may_write_personal_data(user, establishment.pk):
        raise NotAllowed("réservé aux RH de l'établissement")


def _check_national(user) -> None:
    if role_of(user) != Role.NATIONAL:
        raise NotAllowed("réservé aux administrateurs nationaux")


def _lock(evaluation: JobEvaluation, seen: str | None = None) -> JobEvaluation:
    """The evaluation read again, in place, its row locked until the transaction ends;
    refused (``Conflict``) when its status changed since the caller read it (submitted,
    validated or sent back by someone else meanwhile), or, given ``seen`` (the etag the
    person's form or API call showed them), when anything they saw changed."""
    status = evaluation.status
    locked(evaluation)
    if evaluation.status != status or (seen is not None and evaluation.etag != seen):
        last = evaluation.events.order_by("-at", "-pk").first()
        raise Conflict(
            _(
                "This evaluation was changed meanwhile by %(author)s: it is now %(status)s. Reload it."
            )
            % {
                "author": last.author if last else "?",
                "status": evaluation.get_status_display(),
            }
        )
    return evaluation


def criteria_codes(edition: Edition) -> list[str]:
    return [criterion.code for criterion in catalog.criteria_of(edition)]


def clean_degrees(edition: Edition, degrees: dict) -> dict[str, int]:
    """One degree from 1 to 8 for each criterion of the edition, nothing else."""
    codes = criteria_codes(edition)
    errors = {}
    cleaned = {}
    for code in codes:
        value = degrees.get(code)
        try:
            degree = int(value)
        except (TypeError, ValueError):
            errors[code] = "choisissez un degré"
            continue
        if not 1 <= degree <= 8:
            errors[code] = f"degré {degree} hors de l'échelle (1 à 8)"
        cleaned[code] = degree
    unknown = set(degrees) - set(codes)
    if unknown:
        errors["degrees"] = f"critère(s) inconnu(s) : {', '.join(sorted(unknown))}"
    if errors:
        raise Refused(problems=errors)
    return cleaned


def _check_justified_criteria(edition: Edition, justifications: dict) -> None:
    unknown = set(justifications) - set(criteria_codes(edition))
    if unknown:
        raise Refused(
            problems={"justifications": f"critère(s) inconnu(s) : {', '.join(sorted(unknown))}"}
        )
    long = sorted(code for code, text in justifications.items() if len(text) > SHORT_TEXT_MAX)
    if long:
        raise Refused(
            problems={
                "justifications": f"{SHORT_TEXT_MAX} caractères au plus par justification "
                f"({', '.join(long)})"
            }
        )


def _classify(evaluation: JobEvaluation) -> None:
    """The level, rule and explanation of the evaluation's degrees, as of now."""
    grid = catalog.grid_of(evaluation.edition)
    codes = criteria_codes(evaluation.edition)
    try:
        result = grid.classify([evaluation.degrees[code] for code in codes])
    except InvalidDegrees as exc:
        raise Refused(problems={"degrees": str(exc)}) from None
    evaluation.level = result.level
    evaluation.rule = result.rule
    evaluation.explanation = result.explanation


def _facts(evaluation: JobEvaluation) -> dict:
    return {
        "title": evaluation.title,
        "status": evaluation.status,
        "degrees": evaluation.degrees,
        "level": evaluation.level,
        "version": evaluation.number,
    }


def _step(evaluation: JobEvaluation, action: str, author: str, *, note="", changes=None):
    EvaluationEvent.objects.create(
        evaluation=evaluation,
        author=author,
        action=action,
        status=evaluation.status,
        degrees=evaluation.degrees,
        level=evaluation.level,
        changes=changes or {},
        note=note,
    )


def _clean_texts(fields: dict) -> dict:
    cleaned = dict(fields)
    if "title" in cleaned:
        cleaned["title"] = " ".join(str(cleaned["title"]).split())
        if not cleaned["title"]:
            raise Refused(problems={"title": "l'intitulé de l'emploi est obligatoire"})
    if "missions" in cleaned:
        cleaned["missions"] = str(cleaned["missions"]).strip()
    if "justifications" in cleaned:
        cleaned["justifications"] = {
            code: str(text).strip() for code, text in (cleaned["justifications"] or {}).items()
        }
    return cleaned


@transaction.atomic
def create_evaluation(
    user,
    establishment: Establishment,
    *,
    title: str,
    degrees: dict,
    missions: str = "",
    justifications: dict | None = None,
    edition: Edition | None = None,
) -> JobEvaluation:
    """A new evaluation, as a draft."""
    _check_editor(user, establishment)
    edition = edition or catalog.get_edition()
    if not edition.is_frozen:
        # A draft edition still changes: an evaluation rests on a published one.
        raise Refused(
            problems={
                "edition": f"l'édition {edition.label} est en préparation : pesez sur une édition publiée"
            }
        )
    fields = _clean_texts(
        {"title": title, "missions": missions, "justifications": justifications or {}}
    )
    evaluation = JobEvaluation(
        establishment=establishment,
        edition=edition,
        degrees=clean_degrees(edition, degrees),
        created_by=user.get_username(),
        **fields,
    )
    _check_justified_criteria(edition, evaluation.justifications)
    _classify(evaluation)
    # A draft may justify nothing yet (the field is not blank=True): submit() checks them.
    full_clean(evaluation)
    evaluation.save()
    _step(evaluation, EvaluationEvent.Action.CREATE, user.get_username())
    record(
        actor=user.get_username(),
        action="evaluation.create",
        instance=evaluation,
        after=_facts(evaluation),
        establishment=establishment,
    )
    return evaluation


@transaction.atomic
def update_evaluation(
    user, evaluation: JobEvaluation, *, seen: str | None = None, **changes
) -> JobEvaluation:
    """Change a draft (or an evaluation sent back); every changed field is in its history.
    ``seen``: the etag of what the person changed (``JobEvaluation.etag``), refused when it
    was changed meanwhile."""
    _check_editor(user, evaluation.establishment)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise Refused(problems={name: "champ inconnu" for name in unknown})
    _lock(evaluation, seen)  # the fields not changed here stay as the database has them
    try:
        status = rules.next_status(evaluation.status, "edit")
    except rules.TransitionRefused as exc:
        raise Refused(str(exc)) from None
    changes = _clean_texts(changes)
    if "degrees" in changes:
        changes["degrees"] = clean_degrees(evaluation.edition, changes["degrees"])
    _check_justified_criteria(evaluation.edition, changes.get("justifications", {}))
    before = _facts(evaluation)
    diff = {
        name: {"avant": getattr(evaluation, name), "apres": value}
        for name, value in changes.items()
        if getattr(evaluation, name) != value
    }
    if not diff:
        return evaluation
    for name, value in changes.items():
        setattr(evaluation, name, value)
    evaluation.status = status
    _classify(evaluation)
    evaluation.save()
    _step(evaluation, EvaluationEvent.Action.EDIT, user.get_username(), changes=diff)
    record(
        actor=user.get_username(),
        action="evaluation.update",
        instance=evaluation,
        before=before,
        after=_facts(evaluation),
        establishment=evaluation.establishment,
    )
    return evaluation


def _move(user, evaluation: JobEvaluation, action: str, note: str = "") -> JobEvaluation:
    try:
        evaluation.status = rules.next_status(evaluation.status, action)
    except rules.TransitionRefused as exc:
        raise Refused(str(exc)) from None
    before = _facts(evaluation)
    evaluation.save()
    _step(evaluation, action, user.get_username(), note=note.strip())
    record(
        actor=user.get_username(),
        action=f"evaluation.{action}",
        instance=evaluation,
        before=before,
        after={**_facts(evaluation), "note": note.strip()},
        establishment=evaluation.establishment,
    )
    return evaluation


@transaction.atomic
def submit(
    user, evaluation: JobEvaluation, *, comment: str = "", seen: str | None = None
) -> JobEvaluation:
    """Hand the evaluation to the national administrators; each degree must be justified.
    ``seen``: the etag of the evaluation as the person's page showed it (refused when it
    changed since, as for the steps below)."""
    _check_editor(user, evaluation.establishment)
    _lock(evaluation, seen)
    missing = rules.missing_justifications(
        criteria_codes(evaluation.edition), evaluation.justifications
    )
    if missing:
        labels = {c.code: c.label for c in catalog.criteria_of(evaluation.edition)}
        raise Refused(
            problems={
                code: f"justifiez le degré retenu pour « {labels[code]} »" for code in missing
            }
        )
    _classify(evaluation)  # the rule in force when it is submitted
    evaluation.submitted_at = timezone.now()
    return _move(user, evaluation, "submit", comment)


@transaction.atomic
def validate(
    user, evaluation: JobEvaluation, *, comment: str = "", seen: str | None = None
) -> JobEvaluation:
    """A national administrator accepts the evaluation: it is frozen from now on. With
    ``seen``, only the version the administrator read: one sent back, changed and
    submitted again meanwhile is refused (its status is the same, its content is not)."""
    _check_national(user)
    _lock(evaluation, seen)
    evaluation.decided_by = user.get_username()
    evaluation.decided_at = timezone.now()
    return _move(user, evaluation, "validate", comment)


@transaction.atomic
def send_back(
    user, evaluation: JobEvaluation, *, comment: str, seen: str | None = None
) -> JobEvaluation:
    """A national administrator returns the evaluation to the establishment, saying why
    (about the version ``seen``, as for ``validate``)."""
    _check_national(user)
    if not comment.strip():
        raise Refused(problems={"comment": "dites à l'établissement ce qui est à revoir"})
    _lock(evaluation, seen)
    evaluation.decided_by = user.get_username()
    evaluation.decided_at = timezone.now()
    return _move(user, evaluation, "return", comment)


@transaction.atomic
def comment(user, evaluation: JobEvaluation, text: str) -> JobEvaluation:
    if role_of(user) != Role.NATIONAL:
        _check_editor(user, evaluation.establishment)
    if not text.strip():
        raise Refused(problems={"comment": "le commentaire est vide"})
    _step(evaluation, EvaluationEvent.Action.COMMENT, user.get_username(), note=text.strip())
    record(
        actor=user.get_username(),
        action="evaluation.comment",
        instance=evaluation,
        after={**_facts(evaluation), "note": text.strip()},
        establishment=evaluation.establishment,
    )
    return evaluation


@transaction.atomic
def revise(user, evaluation: JobEvaluation) -> JobEvaluation:
    """A new draft version of a validated evaluation; the validated one stays as it was
    (locked while the new version is made: two at once make one)."""
    _check_editor(user, evaluation.establishment)
    _lock(evaluation)
    if evaluation.status != JobEvaluation.Status.VALIDATED:
        raise Refused("seule une pesée validée se révise ; modifiez le brouillon")
    if evaluation.revisions.exists():
        raise Refused("cette pesée a déjà une edition plus récente")
    revision = JobEvaluation(
        establishment=evaluation.establishment,
        edition=evaluation.edition,
        title=evaluation.title,
        missions=evaluation.missions,
        degrees=dict(evaluation.degrees),
        justifications=dict(evaluation.justifications),
        revision_of=evaluation,
        number=evaluation.number + 1,
        created_by=user.get_username(),
    )
    _classify(revision)
    revision.save()
    _step(
        revision,
        EvaluationEvent.Action.REVISE,
        user.get_username(),
        note=f"nouvelle edition de la pesée validée v{evaluation.number}",
    )
    record(
        actor=user.get_username(),
        action="evaluation.revise",
        instance=revision,
        after={**_facts(revision), "revision_of": evaluation.pk},
        establishment=revision.establishment,
    )
    return revision


@transaction.atomic
def carry_to_edition(user, evaluation: JobEvaluation) -> JobEvaluation:
    """A validated weighing of an earlier edition carried into the edition in force: a new
    draft version with the same degrees and justifications, classified by the new
    edition's rule, to submit for validation. The validated version stays as it was, with
    the people placed on it (to reposition on the new edition)."""
    _check_editor(user, evaluation.establishment)
    _lock(evaluation)
    target = catalog.get_edition()
    if evaluation.status != JobEvaluation.Status.VALIDATED:
        raise Refused("seule une pesée validée se reporte dans une nouvelle édition")
    if evaluation.edition_id == target.pk:
        raise Refused(f"cette pesée est déjà faite sur l'édition en vigueur {target.label}")
    if evaluation.revisions.exists():
        raise Refused("cette pesée a déjà une version plus récente : reportez la dernière")
    codes = criteria_codes(target)
    missing = [code for code in codes if code not in evaluation.degrees]
    if missing:
        raise Refused(
            problems={
                "degrees": f"les critères de l'édition {target.label} ne sont pas ceux de la "
                f"pesée ({', '.join(missing)}) : pesez l'emploi à nouveau"
            }
        )
    carried = JobEvaluation(
        establishment=evaluation.establishment,
        edition=target,
        title=evaluation.title,
        missions=evaluation.missions,
        degrees={code: evaluation.degrees[code] for code in codes},
        justifications={
            code: text for code, text in evaluation.justifications.items() if code in codes
        },
        revision_of=evaluation,
        number=evaluation.number + 1,
        created_by=user.get_username(),
    )
    _classify(carried)
    carried.save()
    _step(
        carried,
        EvaluationEvent.Action.REVISE,
        user.get_username(),
        note=(
            f"reportée de l'édition {evaluation.edition.label} (v{evaluation.number} validée) "
            f"vers l'édition {target.label}, à valider"
        ),
    )
    record(
        actor=user.get_username(),
        action="evaluation.carry_over",
        instance=carried,
        after={
            **_facts(carried),
            "revision_of": evaluation.pk,
            "from": evaluation.edition.label,
            "edition": target.label,
        },
        establishment=carried.establishment,
    )
    return carried
