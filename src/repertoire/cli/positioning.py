"""Positioning: import an establishment's employees (each proposed a reference job) and
export the positioning report."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn
from rich.table import Table

from repertoire.cli._arguments import establishment_named, read
from repertoire.cli._output import err, out, refusals, refuse, say, write_bytes
from repertoire.cli._session import bootstrap, operator

employees_app = typer.Typer(help="Collaborateurs des établissements.", no_args_is_help=True)
reports_app = typer.Typer(help="Rapports de positionnement.", no_args_is_help=True)


def _payroll(path: Path):
    """The staff file, read and checked whole; its errors shown in a table, exit 2."""
    from repertoire.core.payroll import PayrollFileError, read_payroll

    try:
        payroll = read_payroll(read(path), path.name)
    except PayrollFileError as exc:
        refuse(f"{path} : {exc}")
    if payroll.errors:
        table = Table("ligne", "colonne", "problème", title=f"{len(payroll.errors)} erreur(s)")
        for error in payroll.errors[:200]:
            table.add_row(str(error.line), error.column, error.message)
        err.print(table)
        refuse(f"{path} : {len(payroll.errors)} ligne(s) en erreur, rien n'est importé")
    return payroll


@employees_app.command("import")
def employees_import(
    path: Annotated[Path, typer.Argument(help="Export du personnel : CSV ou XLSX.")],
    establishment: Annotated[str, typer.Option("--establishment", help="Code de l'établissement.")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Montrer ce qui serait fait, sans rien écrire.")
    ] = False,
    pay_date: Annotated[
        datetime | None,
        typer.Option(
            "--pay-date",
            formats=["%Y-%m-%d"],
            help="Date de référence des rémunérations du fichier (AAAA-MM-JJ) : "
            "obligatoire quand il en donne.",
        ),
    ] = None,
) -> None:
    """Importe les collaborateurs d'un établissement et leur propose un emploi repère.

    Le fichier est d'abord vérifié en entier : une ligne en erreur et rien n'est écrit.
    Réimporter le même fichier ne change rien ; un fichier à jour met à jour par matricule.
    Un fichier qui donne les rémunérations (Sexe, Salaire de base annuel brut,
    Rémunération variable annuelle brute, Temps de travail) les enregistre pour l'année
    de --pay-date : un nouvel import de la même année les remplace, les autres années
    sont gardées.
    """
    bootstrap()
    from repertoire.positioning import services

    who = operator()
    place = establishment_named(who, establishment)
    payroll = _payroll(path)
    reference = pay_date.date() if pay_date is not None else None
    with refusals({"pay_date": "--pay-date"}):
        services.check_pay_date(payroll, reference)
    plan = services.plan_import(place, payroll)
    summary = (
        f"{len(payroll.rows)} ligne(s) lue(s) : {len(plan.creates)} à créer, "
        f"{len(plan.updates)} à mettre à jour, {plan.unchanged} inchangée(s) ; "
        f"{plan.absent} collaborateur(s) de l'établissement absent(s) du fichier"
    )
    if payroll.pay_columns:
        summary += f" ; {services.pay_rows(payroll)} rémunération(s) de l'année {reference.year}"
    if payroll.ignored:
        err.print(f"Colonnes ignorées : {', '.join(payroll.ignored)}")
    if dry_run:
        out.print(summary + " (rien n'est écrit).")
        return
    err.print(summary)
    with (
        refusals(),
        Progress(
            TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), console=err
        ) as bar,
    ):
        task = bar.add_task("import", total=1.0)
        result = services.import_employees(
            who,
            place,
            payroll,
            pay_date=reference,
            progress=lambda fraction, stage: bar.update(
                task, completed=fraction, description=stage
            ),
        )
    out.print(
        f"{result.created} créé(s), {result.updated} mis à jour, {result.unchanged} inchangé(s) ; "
        f"{result.proposed} proposition(s) d'emploi."
    )
    if result.pay_year:
        out.print(f"{result.pay_records} rémunération(s) {result.pay_year} enregistrée(s).")


class ReportFormat(StrEnum):
    xlsx = "xlsx"
    csv = "csv"


@reports_app.command("export")
def reports_export(
    format: Annotated[ReportFormat, typer.Option("--format", "-f", help="Format de sortie.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Fichier de sortie.")],
    establishment: Annotated[
        str | None,
        typer.Option("--establishment", help="Code d'un établissement (par défaut : le réseau)."),
    ] = None,
) -> None:
    """Exporte le rapport de positionnement : effectifs par niveau, emploi et établissement,
    avancement, recours ; une feuille Excel ou une section CSV par tableau."""
    bootstrap()
    from repertoire.positioning import reports, selectors

    who = operator()
    place = establishment_named(who, establishment) if establishment else None
    content, _type = reports.report_file(selectors.report_for(who, place), format.value)
    write_bytes(content, output)


positionings_app = typer.Typer(
    help="Positionnements : acceptation groupée des propositions et son annulation.",
    no_args_is_help=True,
)


@positionings_app.command("accept")
def positionings_accept(
    establishment: Annotated[str, typer.Option("--establishment", help="Code de l'établissement.")],
    threshold: Annotated[
        float | None,
        typer.Option(
            "--threshold",
            min=0.0,
            max=1.0,
            help="Confiance au moins (par défaut : le seuil configuré).",
        ),
    ] = None,
    service: Annotated[
        str, typer.Option("--service", help="Seulement les collaborateurs de ce service.")
    ] = "",
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Dire combien et sur quels emplois, sans rien écrire."),
    ] = False,
) -> None:
    """Valide en un lot les propositions de l'établissement (d'un service) dont la
    confiance atteint le seuil ; le numéro du lot est sur la dernière ligne. Le lot
    s'annule avec `repertoire positionings undo` tant qu'aucun n'est notifié."""
    bootstrap()
    from repertoire.positioning import selectors, services

    who = operator()
    place = establishment_named(who, establishment)
    cut = threshold if threshold is not None else selectors.bulk_accept_threshold()
    filters = selectors.WorklistFilters(service=service)
    preview = selectors.acceptance_preview(who, place, filters=filters, threshold=cut)
    scope = f" du service « {service} »" if service else ""
    figure = f"{cut:.2f}".replace(".", ",")  # in French, like the web page
    summary = f"{preview.count} proposition(s){scope} de confiance ≥ {figure}"
    for job in preview.jobs:
        say(f"  {job.title} ({job.level}) : {job.count}")
    if dry_run:
        out.print(f"{summary} seraient validées (rien n'est écrit).", markup=False)
        return
    with refusals({"threshold": "--threshold"}):
        batch = services.accept_batch(
            who, place, threshold=cut, filters=filters, expected=preview.count
        )
    if batch is None:
        out.print(f"{summary} : rien à valider.", markup=False)
        return
    out.print(f"{batch.accepted} proposition(s) validée(s) ; lot n° :", markup=False)
    say(str(batch.pk))


@positionings_app.command("undo")
def positionings_undo(
    batch_id: Annotated[int, typer.Argument(help="Numéro du lot d'acceptation groupée.")],
) -> None:
    """Annule une acceptation groupée : ses positionnements redeviennent proposés. Refusé
    (statut 2) dès que l'un d'eux a été notifié ou décidé à nouveau."""
    bootstrap()
    from repertoire.positioning import selectors, services
    from repertoire.positioning.models import AcceptanceBatch

    who = operator()
    try:
        batch = selectors.acceptance_batch_for(who, batch_id)
    except AcceptanceBatch.DoesNotExist:
        refuse(f"aucun lot d'acceptation n° {batch_id}")
    with refusals():
        count = services.undo_batch(who, batch)
    out.print(f"Lot n° {batch.pk} annulé : {count} positionnement(s) de nouveau proposé(s).")
