"""The ``repertoire`` command. Thin: it parses arguments and calls services and selectors."""

from __future__ import annotations

import csv
import getpass
import json
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn
from rich.table import Table

app = typer.Typer(
    help="Répertoire des emplois nationaux du réseau des CCI.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)
out = Console()
err = Console(stderr=True)

EXIT_INVALID_INPUT = 2


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "repertoire.settings")
    import django

    django.setup()


def _database_ready() -> None:
    """Migrate the database if it is behind the code (first start, upgrade)."""
    _django()
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", interactive=False, verbosity=0)


def _bootstrap() -> None:
    """A database with its schema and at least the bundled edition."""
    _database_ready()
    from repertoire.catalog import services

    loaded = services.ensure_bundled_edition(author=_author())
    if loaded is not None:
        err.print(f"Édition {loaded.label} chargée ({loaded.jobs.count()} emplois).")


def _author() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _version(label: str | None):
    from repertoire.catalog import selectors

    try:
        return selectors.get_version(label)
    except selectors.EditionNotFound as exc:
        err.print(f"[red]Erreur :[/red] {exc}")
        raise typer.Exit(EXIT_INVALID_INPUT) from None


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        err.print(f"[red]Erreur :[/red] lecture de {path} impossible : {exc.strerror}")
        raise typer.Exit(EXIT_INVALID_INPUT) from None


def _document(path: Path):
    """A document file, parsed; every problem printed with its line, exit 2."""
    from repertoire.core.document import DocumentInvalid, decode, parse_document

    try:
        return parse_document(decode(_read(path)))
    except DocumentInvalid as exc:
        _print_errors(exc)
        raise typer.Exit(EXIT_INVALID_INPUT) from None


def _write(content: str, output: Path | None, *, for_excel: bool = False) -> None:
    """Write to a file, or to standard output without one."""
    if output is None:
        sys.stdout.write(content)
        return
    # A byte-order mark lets Excel recognise UTF-8 in a CSV file.
    output.write_text(content, encoding="utf-8-sig" if for_excel else "utf-8")
    err.print(f"{output} écrit.")


OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Fichier de sortie (par défaut : la sortie standard)."),
]
EditionOption = Annotated[
    str | None,
    typer.Option("--edition", "-e", help="Libellé de l'édition (par défaut : l'édition courante)."),
]


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Adresse d'écoute.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port d'écoute.")] = 8000,
    threads: Annotated[int, typer.Option(help="Fils de traitement des requêtes.")] = 4,
) -> None:
    """Migre la base, charge l'édition 2014 si la base est vide et sert l'application web."""
    _bootstrap()
    from waitress import serve as waitress_serve

    from repertoire.wsgi import application

    shown = f"[{host}]" if ":" in host else host
    out.print(f"Répertoire : http://{shown}:{port}/  (API : http://{shown}:{port}/api/docs)")
    sys.stdout.flush()
    waitress_serve(application, host=host, port=port, threads=threads, ident="repertoire")


@app.command("import")
def import_(
    path: Annotated[
        Path, typer.Argument(help="Document du répertoire (texte, UTF-8 ou Windows-1252).")
    ],
    label: Annotated[
        str | None, typer.Option(help="Libellé de l'édition (par défaut : sa date).")
    ] = None,
    rule: Annotated[
        str | None, typer.Option(help="Règle de classement : total_points ou median.")
    ] = None,
) -> None:
    """Importe un document comme nouvelle édition. Tout ou rien : une erreur n'écrit rien."""
    from repertoire.core.document import DocumentInvalid

    document = _document(path)
    _database_ready()
    from repertoire.catalog import services

    try:
        version = services.import_edition(
            document, author=_author(), label=label, rule=rule, source_name=path.name
        )
    except DocumentInvalid as exc:
        _print_errors(exc)
        raise typer.Exit(EXIT_INVALID_INPUT) from None
    except ValueError as exc:
        err.print(f"[red]Erreur :[/red] {exc}")
        raise typer.Exit(EXIT_INVALID_INPUT) from None
    out.print(
        f"Édition {version.label} importée : {len(document.jobs)} emplois, "
        f"règle « {version.level_rule} »{', édition courante' if version.is_current else ''}."
    )


def _print_errors(exc) -> None:
    for error in exc.errors:
        err.print(str(error), markup=False, highlight=False)
    err.print(f"{len(exc.errors)} problème(s) : rien n'a été écrit.")


class ExportFormat(StrEnum):
    json = "json"
    csv = "csv"
    text = "text"
    xlsx = "xlsx"
    pdf = "pdf"
    docx = "docx"
    html = "html"


@app.command()
def export(
    format: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="Format de sortie.")
    ] = ExportFormat.json,
    edition: EditionOption = None,
    output: OutputOption = None,
) -> None:
    """Exporte une édition : JSON, CSV, texte du document, Excel, PDF, Word ou HTML."""
    _bootstrap()
    from repertoire.catalog import selectors
    from repertoire.publishing import documents, exports

    version = _version(edition)
    if format in (ExportFormat.json, ExportFormat.csv, ExportFormat.text):
        document = selectors.document_of(version)
        if format is ExportFormat.json:
            content = exports.to_json(document, label=version.label, level_rule=version.level_rule)
        elif format is ExportFormat.csv:
            content = exports.to_csv(document)
        else:
            content = exports.to_text(document)
        _write(content, output, for_excel=format is ExportFormat.csv)
        return
    if output is None and sys.stdout.isatty():
        err.print(
            f"[red]Un fichier {format.value.upper()} ne s'affiche pas : utiliser -o FICHIER.[/red]"
        )
        raise typer.Exit(EXIT_INVALID_INPUT)
    with Progress(
        TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), console=err
    ) as progress:
        task = progress.add_task("export", total=1.0)
        content = documents.FORMATS[format.value].build(
            version, lambda done, stage: progress.update(task, completed=done, description=stage)
        )
    if output is None:
        sys.stdout.buffer.write(content)
        return
    output.write_bytes(content)
    err.print(f"{output} écrit ({len(content):,} octets).".replace(",", "\u202f"))


@app.command()
def check(
    path: Annotated[
        Path | None, typer.Argument(help="Un document à vérifier sans l'importer.")
    ] = None,
    edition: EditionOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Une ligne JSON par constat.")] = False,
) -> None:
    """Rapport de qualité des données. Avertissements : code 0 ; erreurs : code 1."""
    from repertoire.core.grid import DEFAULT_RULE
    from repertoire.core.quality import ERROR, check_document

    if path is not None:
        document, rule, subject = _document(path), DEFAULT_RULE, str(path)
    else:
        _bootstrap()
        from repertoire.catalog import selectors

        version = _version(edition)
        document, rule, subject = (
            selectors.document_of(version),
            version.level_rule,
            f"édition {version.label}",
        )
    findings = check_document(document, rule)
    errors = sum(1 for f in findings if f.severity == ERROR)
    if as_json:
        for finding in findings:
            print(json.dumps(finding.__dict__, ensure_ascii=False))
    else:
        table = Table(title=f"Qualité des données — {subject}", show_lines=False)
        table.add_column("Gravité")
        table.add_column("Ligne", justify="right")
        table.add_column("Constat")
        for finding in findings:
            severity = (
                "[red]erreur[/red]"
                if finding.severity == ERROR
                else "[yellow]avertissement[/yellow]"
            )
            table.add_row(severity, str(finding.line or ""), finding.message)
        out.print(table)
        out.print(f"{errors} erreur(s), {len(findings) - errors} avertissement(s).")
    if errors:
        raise typer.Exit(1)


@app.command()
def classify(
    degrees: Annotated[
        str, typer.Option(help="Un degré par critère, dans l'ordre des critères : 4,4,3,4,3.")
    ],
    edition: EditionOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Résultat en JSON.")] = False,
) -> None:
    """Calcule le niveau d'un profil de degrés, avec son explication et ses alertes."""
    _bootstrap()
    from repertoire.catalog import selectors
    from repertoire.catalog.presenters import classification_dict
    from repertoire.core.grid import InvalidDegrees

    grid = selectors.grid_of(_version(edition))
    try:
        values = [int(part) for part in degrees.replace(" ", "").split(",")]
        result = grid.classify(values)
    except (ValueError, InvalidDegrees) as exc:
        labels = ", ".join(c.label for c in grid.criteria)
        message = (
            exc
            if isinstance(exc, InvalidDegrees)
            else "des degrés entiers séparés par des virgules sont attendus"
        )
        err.print(f"[red]Erreur :[/red] {message} (critères : {labels}).")
        raise typer.Exit(EXIT_INVALID_INPUT) from None
    if as_json:
        data = classification_dict(result)
        data["degrees"] = {c.code: d for c, d in zip(grid.criteria, values, strict=True)}
        print(json.dumps(data, ensure_ascii=False))
        return
    out.print(f"Niveau {result.roman} ({result.level})")
    out.print(f"Règle : {grid.rule.label} ({result.rule})")
    out.print(result.explanation)
    for notice in result.warnings:
        out.print(f"[yellow]Attention :[/yellow] {notice.message}")


MATCH_FIELDS = {
    "intitule": {"intitule", "intitule_du_poste", "libelle", "libelle_du_poste", "poste", "title"},
    "service": {"service", "direction", "departement", "unite"},
    "description": {"description", "description_du_poste", "missions"},
}


@app.command()
def match(
    top: Annotated[
        int,
        typer.Option("--top", "-k", min=1, max=20, help="Nombre d'emplois proposés par intitulé."),
    ] = 3,
    input: Annotated[
        Path | None,
        typer.Option(
            "--input",
            "-i",
            help="CSV avec une colonne intitule (et service, description) ; sinon un intitulé par ligne sur l'entrée standard.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Un objet JSON par intitulé.")] = False,
    edition: EditionOption = None,
) -> None:
    """Propose les emplois repères les plus proches d'intitulés de poste locaux."""
    from repertoire.core.matching import TitleQuery
    from repertoire.core.tables import TableInvalid, read_table

    if input is not None:
        try:
            table = read_table(_read(input), MATCH_FIELDS, required={"intitule"})
        except TableInvalid as exc:
            err.print(str(exc), markup=False)
            raise typer.Exit(EXIT_INVALID_INPUT) from None
        queries = [
            TitleQuery(row["intitule"], row.get("service", ""), row.get("description", ""))
            for _, row in table.rows
        ]
    else:
        queries = [TitleQuery(line.strip()) for line in sys.stdin if line.strip()]
    _bootstrap()
    from repertoire.catalog import selectors

    index = selectors.matching_index(_version(edition))
    results = index.match_many(queries, top=top)
    if as_json:
        for result in results:
            print(json.dumps(_match_dict(result), ensure_ascii=False))
        return
    writer = csv.writer(sys.stdout, delimiter=";", lineterminator="\n")
    ranks = range(1, top + 1)
    writer.writerow(
        [
            "intitule",
            "service",
            *(f"{name}_{rank}" for rank in ranks for name in ("code", "emploi", "score")),
        ]
    )
    for result in results:
        cells = [(c.code, c.title, f"{c.score:.2f}") for c in result.candidates]
        writer.writerow(
            [result.query.intitule, result.query.service, *(v for cell in cells for v in cell)]
        )


def _match_dict(result) -> dict:
    return {
        "intitule": result.query.intitule,
        "candidates": [
            {
                "code": c.code,
                "title": c.title,
                "score": c.score,
                "level": c.level,
                "reason": c.reason,
            }
            for c in result.candidates
        ],
    }


appellations_app = typer.Typer(
    help="Appellations : les autres intitulés qui désignent un emploi repère.", no_args_is_help=True
)
app.add_typer(appellations_app, name="appellations")


@appellations_app.command("import")
def appellations_import(
    path: Annotated[Path, typer.Argument(help="CSV : code, appellation[, source].")],
    edition: EditionOption = None,
) -> None:
    """Ajoute les appellations d'un fichier CSV. Tout ou rien ; réimporter ne change rien."""
    from repertoire.core.document import DocumentInvalid

    data = _read(path)
    _bootstrap()
    from repertoire.catalog import services

    try:
        counts = services.import_appellations(_version(edition), data, author=_author())
    except DocumentInvalid as exc:
        _print_errors(exc)
        raise typer.Exit(EXIT_INVALID_INPUT) from None
    out.print(
        f"{counts['created']} appellation(s) ajoutée(s), {counts['unchanged']} déjà connue(s)."
    )


@appellations_app.command("export")
def appellations_export(
    edition: EditionOption = None,
    output: OutputOption = None,
) -> None:
    """Exporte les appellations de l'édition (CSV : code, emploi, appellation, source)."""
    _bootstrap()
    from repertoire.catalog import selectors
    from repertoire.publishing import exports

    rows = [
        (alias.job.code, alias.job.title, alias.title, alias.source)
        for alias in selectors.appellations_of(_version(edition))
    ]
    _write(exports.appellations_csv(rows), output, for_excel=True)


@appellations_app.command("reindex")
def appellations_reindex(edition: EditionOption = None) -> None:
    """Reconstruit l'index de rapprochement des intitulés (tous les processus le relisent)."""
    _bootstrap()
    import time

    from repertoire.catalog import selectors, services

    version = _version(edition)
    services.rebuild_matching_index(version)
    started = time.perf_counter()
    index = selectors.matching_index(version)
    elapsed = time.perf_counter() - started
    out.print(
        f"Index reconstruit : {index.size} intitulés pour {len(index.jobs)} emplois en {elapsed:.2f} s."
    )


# --- administration: establishments, users, tokens, demo -----------------------------------

establishments_app = typer.Typer(help="Établissements (CCI).", no_args_is_help=True)
users_app = typer.Typer(help="Utilisateurs et rôles.", no_args_is_help=True)
tokens_app = typer.Typer(help="Jetons d'API.", no_args_is_help=True)
app.add_typer(establishments_app, name="establishments")
app.add_typer(users_app, name="users")
app.add_typer(tokens_app, name="tokens")


def _refuse(message: str) -> None:
    err.print(f"[red]{message}[/red]")
    raise typer.Exit(EXIT_INVALID_INPUT)


@establishments_app.command("create")
def establishments_create(
    code: Annotated[str, typer.Argument(help="Code de l'établissement (ex. CCI-LYON).")],
    name: Annotated[str, typer.Argument(help="Nom de l'établissement.")],
) -> None:
    """Crée un établissement."""
    _database_ready()
    from django.core.exceptions import ValidationError

    from repertoire.positioning import services

    try:
        establishment = services.create_establishment(code, name, actor=_author())
    except ValidationError as exc:
        _refuse("; ".join(" ".join(m) for m in exc.message_dict.values()))
    out.print(f"Établissement {establishment} créé.")


def _read_password_twice() -> str:
    """From the terminal (asked twice), or two lines of standard input (scripts)."""
    if sys.stdin.isatty():
        first = getpass.getpass("Mot de passe : ")
        second = getpass.getpass("Mot de passe (encore) : ")
    else:
        lines = sys.stdin.read().splitlines()
        if len(lines) < 2:
            _refuse("le mot de passe est attendu deux fois, sur deux lignes de l'entrée standard")
        first, second = lines[0], lines[1]
    if first != second:
        _refuse("les deux mots de passe diffèrent")
    return first


class RoleChoice(StrEnum):
    national = "national"
    hr = "hr"
    reader = "reader"


@users_app.command("create")
def users_create(
    username: Annotated[str, typer.Argument(help="Identifiant de connexion.")],
    role: Annotated[RoleChoice, typer.Option("--role", help="national, hr ou reader.")],
    establishment: Annotated[
        str | None, typer.Option("--establishment", help="Code de l'établissement (hr, reader).")
    ] = None,
) -> None:
    """Crée un utilisateur ; le mot de passe est lu deux fois sur l'entrée standard."""
    _database_ready()
    from django.core.exceptions import ValidationError

    from repertoire.accounts import services
    from repertoire.positioning.models import Establishment

    place = None
    if establishment:
        place = Establishment.objects.filter(code=establishment).first()
        if place is None:
            _refuse(f"aucun établissement « {establishment} »")
    password = _read_password_twice()
    try:
        user = services.create_user(
            username, role=role.value, password=password, establishment=place, actor=_author()
        )
    except services.AccountError as exc:
        _refuse(str(exc))
    except ValidationError as exc:
        _refuse("mot de passe refusé : " + " ".join(exc.messages))
    out.print(f"Utilisateur {user.get_username()} créé ({role.value}).")


@tokens_app.command("create")
def tokens_create(
    username: Annotated[str, typer.Argument(help="L'utilisateur du jeton.")],
    name: Annotated[str, typer.Option("--name", help="Nom du jeton.")] = "api",
) -> None:
    """Crée un jeton d'API ; il s'affiche une seule fois, seul sur la dernière ligne."""
    _database_ready()
    from django.contrib.auth import get_user_model

    from repertoire.accounts import services

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        _refuse(f"aucun utilisateur « {username} »")
    _, secret = services.create_token(user, name=name, actor=_author())
    err.print(f"Jeton « {name} » créé pour {username} ; il ne sera plus affiché.")
    print(secret)


@app.command()
def demo(
    employees: Annotated[int, typer.Option(help="Collaborateurs fictifs par établissement.")] = 150,
) -> None:
    """Réseau de démonstration : deux établissements, un utilisateur par rôle, des
    collaborateurs fictifs ; affiche les identifiants. Jamais en production."""
    _bootstrap()
    from django.conf import settings

    from repertoire.positioning import demo as demo_network

    if not settings.REPERTOIRE_DEMO_ALLOWED:
        _refuse("la démonstration est refusée avec les réglages de production")
    try:
        credentials = demo_network.create(employees_per_establishment=employees, actor=_author())
    except demo_network.DemoExists as exc:
        _refuse(str(exc))
    table = Table("utilisateur", "rôle", "établissement", "mot de passe")
    for row in credentials:
        table.add_row(*row)
    out.print(table)


employees_app = typer.Typer(help="Collaborateurs des établissements.", no_args_is_help=True)
app.add_typer(employees_app, name="employees")


@employees_app.command("import")
def employees_import(
    path: Annotated[Path, typer.Argument(help="Export du personnel : CSV ou XLSX.")],
    establishment: Annotated[str, typer.Option("--establishment", help="Code de l'établissement.")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Montrer ce qui serait fait, sans rien écrire.")
    ] = False,
) -> None:
    """Importe les collaborateurs d'un établissement et leur propose un emploi repère.

    Le fichier est d'abord vérifié en entier : une ligne en erreur et rien n'est écrit.
    Réimporter le même fichier ne change rien ; un fichier à jour met à jour par matricule.
    """
    _bootstrap()
    from repertoire.accounts.selectors import CommandLineOperator
    from repertoire.core.payroll import PayrollFileError, read_payroll
    from repertoire.positioning import services
    from repertoire.positioning.models import Establishment

    place = Establishment.objects.filter(code=establishment).first()
    if place is None:
        _refuse(f"aucun établissement « {establishment} »")
    try:
        payroll = read_payroll(_read(path), path.name)
    except PayrollFileError as exc:
        _refuse(f"{path} : {exc}")
    if payroll.errors:
        table = Table("ligne", "colonne", "problème", title=f"{len(payroll.errors)} erreur(s)")
        for error in payroll.errors[:200]:
            table.add_row(str(error.line), error.column, error.message)
        err.print(table)
        _refuse(f"{path} : {len(payroll.errors)} ligne(s) en erreur, rien n'est importé")
    plan = services.plan_import(place, payroll)
    summary = (
        f"{len(payroll.rows)} ligne(s) lue(s) : {len(plan.creates)} à créer, "
        f"{len(plan.updates)} à mettre à jour, {plan.unchanged} inchangée(s) ; "
        f"{plan.absent} collaborateur(s) de l'établissement absent(s) du fichier"
    )
    if payroll.ignored:
        err.print(f"Colonnes ignorées : {', '.join(payroll.ignored)}")
    if dry_run:
        out.print(summary + " (rien n'est écrit).")
        return
    err.print(summary)
    with Progress(
        TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), console=err
    ) as bar:
        task = bar.add_task("import", total=1.0)
        result = services.import_employees(
            CommandLineOperator(_author()),
            place,
            payroll,
            progress=lambda fraction, stage: bar.update(
                task, completed=fraction, description=stage
            ),
        )
    out.print(
        f"{result.created} créé(s), {result.updated} mis à jour, {result.unchanged} inchangé(s) ; "
        f"{result.proposed} proposition(s) d'emploi."
    )


reports_app = typer.Typer(help="Rapports de positionnement.", no_args_is_help=True)
app.add_typer(reports_app, name="reports")


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
    _bootstrap()
    from repertoire.accounts.selectors import CommandLineOperator
    from repertoire.positioning import reports, selectors
    from repertoire.positioning.models import Establishment

    operator = CommandLineOperator(_author())
    place = None
    if establishment:
        try:
            place = selectors.establishment_for(operator, establishment)
        except Establishment.DoesNotExist:
            _refuse(f"aucun établissement « {establishment} »")
    content, _type = reports.report_file(selectors.report_for(operator, place), format.value)
    output.write_bytes(content)
    err.print(f"{output} écrit ({len(content):,} octets).".replace(",", "\u202f"))


retention_app = typer.Typer(help="Durée de conservation des données personnelles.")
app.add_typer(retention_app, name="retention")


@retention_app.command("apply")
def retention_apply(
    years: Annotated[
        int | None, typer.Option(help="Années après le départ (réglage par défaut sinon).")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Compter sans effacer.")] = False,
) -> None:
    """Efface (pseudonymise) les collaborateurs partis depuis plus que la durée fixée."""
    _database_ready()
    from django.conf import settings

    from repertoire.positioning import services

    years = years if years is not None else settings.REPERTOIRE_RETENTION_YEARS
    ids = services.apply_retention(years=years, dry_run=dry_run)
    verb = "seraient effacés" if dry_run else "effacés"
    out.print(f"{len(ids)} collaborateur(s) partis depuis plus de {years} ans {verb}.")


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def manage(ctx: typer.Context) -> None:
    """Commandes d'administration de Django (migrate, check --deploy, createsuperuser…)."""
    _django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["repertoire manage", *ctx.args])


def main() -> None:
    app()


if __name__ == "__main__":
    main()
