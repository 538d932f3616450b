"""Evaluation local jobs: ``evaluate`` (nothing written) and ``evaluations`` (list, create, the
review, the PDF sheet)."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from repertoire.cli._arguments import EditionOption, edition_named, establishment_named
from repertoire.cli._output import out, refusals, refuse, roman, write_bytes
from repertoire.cli._session import bootstrap, operator

# An evaluation's fields as the command line names them (criteria go by their label).
EVALUATION_OPTIONS = {
    "title": "--title",
    "missions": "--missions",
    "degrees": "--degrees",
    "justifications": "--justification",
    "comment": "--comment",
}


def _evaluation_fields(edition) -> dict[str, str]:
    from repertoire.catalog import selectors as catalog

    return EVALUATION_OPTIONS | {c.code: c.label for c in catalog.criteria_of(edition)}


def degrees_by_code(degrees: str, edition) -> dict[str, int]:
    """``4,4,3,4,3`` as {criterion code: degree} in the edition's order; exit 2 otherwise."""
    from repertoire.catalog import selectors
    from repertoire.evaluation import services

    criteria = selectors.criteria_of(edition)
    labels = ", ".join(c.label for c in criteria)
    parts = degrees.replace(" ", "").split(",")
    try:
        values = [int(part) for part in parts]
    except ValueError:
        refuse(
            f"--degrees : des degrés entiers séparés par des virgules sont attendus "
            f"(critères : {labels})"
        )
    if len(values) != len(criteria):
        refuse(f"--degrees : {len(criteria)} degrés attendus, {len(values)} reçus ({labels})")
    fields = {"degrees": "--degrees"} | {c.code: f"--degrees : {c.label}" for c in criteria}
    with refusals(fields, then=None):
        return services.clean_degrees(
            edition, {c.code: value for c, value in zip(criteria, values, strict=True)}
        )


def evaluate(
    degrees: Annotated[
        str, typer.Option(help="Un degré par critère, dans l'ordre des critères : 4,4,3,4,3.")
    ],
    title: Annotated[str, typer.Option(help="Intitulé de l'emploi local.")] = "",
    missions: Annotated[str, typer.Option(help="Finalité et missions de l'emploi local.")] = "",
    edition: EditionOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Résultat en JSON.")] = False,
) -> None:
    """Pèse un emploi local : niveau, explication, alertes, emplois repères les plus proches
    par le profil et par l'intitulé, et s'il s'agit en fait d'un emploi repère. N'écrit rien."""
    bootstrap()
    from repertoire.catalog import selectors as catalog
    from repertoire.core.text import to_roman
    from repertoire.evaluation import selectors
    from repertoire.evaluation.presenters import evaluation_result_dict

    edition = edition_named(edition)
    values = degrees_by_code(degrees, edition)
    result = selectors.evaluation_result(edition, values, title=title, missions=missions)
    if as_json:
        print(json.dumps(evaluation_result_dict(edition.label, values, result), ensure_ascii=False))
        return
    classification = result.classification
    out.print(f"Niveau {classification.roman} ({classification.level})")
    out.print(f"Règle : {catalog.grid_of(edition).rule.label} ({classification.rule})")
    out.print(classification.explanation)
    for notice in classification.warnings:
        out.print(f"[yellow]Attention :[/yellow] {notice.message}")
    table = Table(
        "code", "emploi repère", "niveau", "écart", title="Les plus proches par le profil"
    )
    for item in result.by_profile:
        table.add_row(item.code, item.title, to_roman(item.level), f"{item.distance} degré(s)")
    out.print(table)
    if result.by_text:
        table = Table("code", "emploi repère", "niveau", "score", "raison")
        table.title = "Les plus proches par l'intitulé et les missions"
        for c in result.by_text:
            table.add_row(c.code, c.title, to_roman(c.level), f"{c.score:.2f}", c.reason)
        out.print(table)
    if result.same_job_statement:
        out.print(f"[bold]{result.same_job_statement}[/bold]")


# --- evaluations ------------------------------------------------------------------------

evaluations_app = typer.Typer(
    help="Pesées des emplois locaux : liste, création, revue, fiche PDF.", no_args_is_help=True
)


class EvaluationStatus(StrEnum):
    draft = "draft"
    submitted = "submitted"
    validated = "validated"
    returned = "returned"


EvaluationId = Annotated[int, typer.Argument(help="Numéro de la pesée.", min=1)]
CommentOption = Annotated[str, typer.Option("--comment", help="Commentaire joint.")]


def _evaluation(who, pk: int):
    """The evaluation with this number that the operator may see."""
    from repertoire.evaluation import selectors

    evaluation = selectors.evaluations_for(who).filter(pk=pk).first()
    if evaluation is None:
        refuse(f"aucune pesée n° {pk}")
    return evaluation


def _act_on(pk: int, step: str, done: str = "", **arguments) -> None:
    """Run one step of an evaluation's review (a function of ``evaluation.services``) as the
    command-line operator."""
    bootstrap()
    from repertoire.core.evaluation import STATUS_LABELS
    from repertoire.evaluation import services

    who = operator()
    evaluation = _evaluation(who, pk)
    with refusals(_evaluation_fields(evaluation.edition)):
        result = getattr(services, step)(who, evaluation, **arguments)
    out.print(
        f"{done}Pesée n° {result.pk} « {result.title} » v{result.number} : "
        f"{STATUS_LABELS[result.status]}, niveau {roman(result.level)}."
    )


@evaluations_app.command("list")
def evaluations_list(
    establishment: Annotated[
        str | None, typer.Option("--establishment", help="Code d'un établissement.")
    ] = None,
    status: Annotated[
        EvaluationStatus | None, typer.Option("--status", help="Statut des pesées.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Une ligne JSON par pesée.")] = False,
) -> None:
    """Liste les pesées du réseau ou d'un établissement."""
    bootstrap()
    from repertoire.core.evaluation import STATUS_LABELS
    from repertoire.evaluation import selectors
    from repertoire.evaluation.presenters import evaluation_dict

    who = operator()
    if establishment:
        establishment_named(who, establishment)
    evaluations = selectors.evaluations_for(
        who, establishment=establishment or "", status=status.value if status else ""
    )
    if as_json:
        for evaluation in evaluations:
            print(json.dumps(evaluation_dict(evaluation), ensure_ascii=False))
        return
    table = Table("n°", "établissement", "emploi local", "version", "niveau", "statut")
    count = 0
    for evaluation in evaluations:
        count += 1
        table.add_row(
            str(evaluation.pk),
            evaluation.establishment.code,
            evaluation.title,
            f"v{evaluation.number}",
            roman(evaluation.level),
            STATUS_LABELS[evaluation.status],
        )
    out.print(table)
    out.print(f"{count} pesée(s).")


@evaluations_app.command("show")
def evaluations_show(
    pk: EvaluationId,
    as_json: Annotated[
        bool, typer.Option("--json", help="La pesée et son historique en JSON.")
    ] = False,
) -> None:
    """Affiche une pesée : degrés, justifications, niveau et historique."""
    bootstrap()
    from repertoire.evaluation import selectors
    from repertoire.evaluation.presenters import evaluation_dict

    evaluation = _evaluation(operator(), pk)
    history = list(selectors.history_of(evaluation))
    if as_json:
        data = evaluation_dict(evaluation)
        data["history"] = [
            {
                "at": event.at.isoformat(),
                "author": event.author,
                "action": event.action,
                "status": event.status,
                "level": event.level,
                "changes": event.changes,
                "note": event.note,
            }
            for event in history
        ]
        print(json.dumps(data, ensure_ascii=False))
        return
    _print_evaluation(evaluation, history)


def _print_evaluation(evaluation, history) -> None:
    from repertoire.catalog import selectors as catalog
    from repertoire.core.evaluation import STATUS_LABELS

    out.print(
        f"Pesée n° {evaluation.pk} « {evaluation.title} » v{evaluation.number} "
        f"({evaluation.establishment.code}) : {STATUS_LABELS[evaluation.status]}, "
        f"niveau {roman(evaluation.level)}"
    )
    out.print(evaluation.explanation, markup=False)
    table = Table("critère", "degré", "justification")
    for criterion in catalog.criteria_of(evaluation.edition):
        table.add_row(
            criterion.label,
            str(evaluation.degrees.get(criterion.code, "")),
            evaluation.justifications.get(criterion.code, ""),
        )
    out.print(table)
    table = Table("date", "auteur", "action", "statut", "note", title="Historique")
    for event in history:
        table.add_row(
            f"{event.at:%d/%m/%Y %H:%M}",
            event.author,
            event.get_action_display(),
            STATUS_LABELS[event.status],
            event.note,
        )
    out.print(table)


def _justifications(items: list[str]) -> dict[str, str]:
    """``CODE=TEXTE`` options as {criterion code: text}."""
    justifications = {}
    for item in items:
        code, sep, text = item.partition("=")
        if not sep or not code.strip():
            refuse(f"--justification : CODE=TEXTE attendu, pas « {item} »")
        justifications[code.strip()] = text
    return justifications


@evaluations_app.command("create")
def evaluations_create(
    establishment: Annotated[str, typer.Option("--establishment", help="Code de l'établissement.")],
    title: Annotated[str, typer.Option("--title", help="Intitulé de l'emploi local.")],
    degrees: Annotated[
        str, typer.Option("--degrees", help="Un degré par critère, dans l'ordre : 4,4,3,4,3.")
    ],
    missions: Annotated[str, typer.Option("--missions", help="Finalité et missions.")] = "",
    justification: Annotated[
        list[str] | None,
        typer.Option(
            "--justification",
            help="CODE=TEXTE : pourquoi ce degré sur ce critère (répétable ; un par critère "
            "pour soumettre).",
        ),
    ] = None,
    submit: Annotated[
        bool, typer.Option("--submit", help="Soumettre aussitôt aux administrateurs nationaux.")
    ] = False,
) -> None:
    """Crée la pesée d'un emploi local (brouillon, ou soumise avec --submit). Tout ou rien."""
    bootstrap()
    from django.db import transaction

    from repertoire.catalog import selectors as catalog
    from repertoire.core.evaluation import STATUS_LABELS
    from repertoire.evaluation import services

    who = operator()
    place = establishment_named(who, establishment)
    edition = catalog.get_edition()
    values = degrees_by_code(degrees, edition)
    justifications = _justifications(justification or [])
    with refusals(_evaluation_fields(edition)), transaction.atomic():
        evaluation = services.create_evaluation(
            who,
            place,
            title=title,
            missions=missions,
            degrees=values,
            justifications=justifications,
            edition=edition,
        )
        if submit:
            evaluation = services.submit(who, evaluation)
    out.print(
        f"Pesée n° {evaluation.pk} « {evaluation.title} » créée : "
        f"{STATUS_LABELS[evaluation.status]}, niveau {roman(evaluation.level)}."
    )


@evaluations_app.command("submit")
def evaluations_submit(pk: EvaluationId, comment: CommentOption = "") -> None:
    """Soumet une pesée aux administrateurs nationaux (chaque degré justifié)."""
    _act_on(pk, "submit", comment=comment)


@evaluations_app.command("validate")
def evaluations_validate(pk: EvaluationId, comment: CommentOption = "") -> None:
    """Valide une pesée soumise ; elle est figée ensuite."""
    _act_on(pk, "validate", comment=comment)


@evaluations_app.command("return")
def evaluations_return(
    pk: EvaluationId,
    comment: Annotated[
        str, typer.Option("--comment", help="Ce que l'établissement doit revoir (obligatoire).")
    ],
) -> None:
    """Renvoie une pesée soumise à son établissement, en disant pourquoi."""
    _act_on(pk, "send_back", comment=comment)


@evaluations_app.command("comment")
def evaluations_comment(
    pk: EvaluationId,
    text: Annotated[str, typer.Argument(help="Le commentaire.")],
) -> None:
    """Ajoute un commentaire à l'historique d'une pesée."""
    _act_on(pk, "comment", "Commentaire ajouté. ", text=text)


@evaluations_app.command("revise")
def evaluations_revise(pk: EvaluationId) -> None:
    """Crée une nouvelle edition (brouillon) d'une pesée validée, qui reste telle quelle."""
    _act_on(pk, "revise", "Nouvelle edition créée. ")


@evaluations_app.command("pdf")
def evaluations_pdf(
    pk: EvaluationId,
    output: Annotated[Path, typer.Option("--output", "-o", help="Fichier PDF à écrire.")],
) -> None:
    """Écrit la fiche de pesée en PDF : emploi, degrés et justifications, niveau, signatures."""
    bootstrap()
    from repertoire.evaluation import documents

    evaluation = _evaluation(operator(), pk)
    write_bytes(documents.evaluation_pdf(evaluation), output)
