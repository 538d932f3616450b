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
from rich import box
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
    from repertoire.catalog import selectors, services

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
        f"règle « {version.level_rule} »{', édition en vigueur' if version.is_current else ''}."
    )
    if not version.is_frozen:
        in_force = selectors.get_version().label
        out.print(
            f"C'est un brouillon : comparez-le (repertoire diff {in_force} {version.label}), "
            f"puis publiez-le (repertoire editions publish {version.label})."
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


def _degrees_by_code(degrees: str, version) -> dict[str, int]:
    """``4,4,3,4,3`` as {criterion code: degree} in the edition's order; exit 2 otherwise."""
    from django.core.exceptions import ValidationError

    from repertoire.catalog import selectors
    from repertoire.evaluation import services

    criteria = selectors.criteria_of(version)
    labels = ", ".join(c.label for c in criteria)
    parts = degrees.replace(" ", "").split(",")
    try:
        values = [int(part) for part in parts]
    except ValueError:
        _refuse(
            f"--degrees : des degrés entiers séparés par des virgules sont attendus "
            f"(critères : {labels})"
        )
    if len(values) != len(criteria):
        _refuse(f"--degrees : {len(criteria)} degrés attendus, {len(values)} reçus ({labels})")
    try:
        return services.clean_degrees(
            version, {c.code: value for c, value in zip(criteria, values, strict=True)}
        )
    except ValidationError as exc:
        names = {c.code: c.label for c in criteria}
        _refuse(
            "--degrees : "
            + " ; ".join(
                f"{names.get(code, code)} : {' '.join(messages)}"
                for code, messages in exc.message_dict.items()
            )
        )


@app.command()
def weigh(
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
    _bootstrap()
    from repertoire.catalog import selectors as catalog
    from repertoire.core.text import to_roman
    from repertoire.evaluation import selectors
    from repertoire.evaluation.presenters import weighing_dict

    version = _version(edition)
    values = _degrees_by_code(degrees, version)
    result = selectors.weighing_result(version, values, title=title, missions=missions)
    if as_json:
        print(json.dumps(weighing_dict(version.label, values, result), ensure_ascii=False))
        return
    classification = result.classification
    out.print(f"Niveau {classification.roman} ({classification.level})")
    out.print(f"Règle : {catalog.grid_of(version).rule.label} ({classification.rule})")
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


evaluations_app = typer.Typer(
    help="Pesées des emplois locaux : liste, création, revue, fiche PDF.", no_args_is_help=True
)
app.add_typer(evaluations_app, name="evaluations")


class EvaluationStatus(StrEnum):
    draft = "draft"
    submitted = "submitted"
    validated = "validated"
    returned = "returned"


EvaluationId = Annotated[int, typer.Argument(help="Numéro de la pesée.", min=1)]
CommentOption = Annotated[str, typer.Option("--comment", help="Commentaire joint.")]


def _evaluation(operator, pk: int):
    from repertoire.evaluation import selectors
    from repertoire.evaluation.models import JobEvaluation

    try:
        return selectors.evaluation_for(operator, pk)
    except JobEvaluation.DoesNotExist:
        _refuse(f"aucune pesée n° {pk}")


def _refused_weighing(exc, version=None) -> None:
    """A service's refusal, each problem named by its field or criterion; exit 2."""
    from repertoire.catalog import selectors as catalog

    names = {
        "title": "--title",
        "missions": "--missions",
        "degrees": "--degrees",
        "justifications": "--justification",
        "comment": "--comment",
    }
    if version is not None:
        names |= {c.code: c.label for c in catalog.criteria_of(version)}
    if hasattr(exc, "error_dict"):
        for name, messages in exc.message_dict.items():
            field = "" if name == "__all__" else f"{names.get(name, name)} : "
            err.print(f"{field}{' '.join(messages)}", markup=False, highlight=False)
    else:
        for message in exc.messages:
            err.print(message, markup=False, highlight=False)
    _refuse("rien n'a été écrit")


def _act_on(pk: int, step: str, done: str = "", **arguments) -> None:
    """Run one step of a weighing's review (a function of ``evaluation.services``) as the
    command-line operator."""
    _bootstrap()
    from django.core.exceptions import PermissionDenied, ValidationError

    from repertoire.accounts.selectors import CommandLineOperator
    from repertoire.core.evaluation import STATUS_LABELS
    from repertoire.evaluation import services

    operator = CommandLineOperator(_author())
    evaluation = _evaluation(operator, pk)
    try:
        result = getattr(services, step)(operator, evaluation, **arguments)
    except PermissionDenied as exc:
        _refuse(str(exc))
    except ValidationError as exc:
        _refused_weighing(exc, evaluation.version)
    out.print(
        f"{done}Pesée n° {result.pk} « {result.title} » v{result.number} : "
        f"{STATUS_LABELS[result.status]}, niveau {_roman(result.level)}."
    )


def _roman(level: int | None) -> str:
    from repertoire.core.text import to_roman

    return to_roman(level) if level else "—"


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
    _bootstrap()
    from repertoire.accounts.selectors import CommandLineOperator
    from repertoire.core.evaluation import STATUS_LABELS
    from repertoire.evaluation import selectors
    from repertoire.evaluation.presenters import evaluation_dict
    from repertoire.positioning.models import Establishment
    from repertoire.positioning.selectors import establishment_for

    operator = CommandLineOperator(_author())
    if establishment:
        try:
            establishment_for(operator, establishment)
        except Establishment.DoesNotExist:
            _refuse(f"--establishment : aucun établissement « {establishment} »")
    evaluations = selectors.evaluations_for(
        operator, establishment=establishment or "", status=status.value if status else ""
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
            _roman(evaluation.level),
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
    _bootstrap()
    from repertoire.accounts.selectors import CommandLineOperator
    from repertoire.catalog import selectors as catalog
    from repertoire.core.evaluation import STATUS_LABELS
    from repertoire.evaluation import selectors
    from repertoire.evaluation.presenters import evaluation_dict

    evaluation = _evaluation(CommandLineOperator(_author()), pk)
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
    out.print(
        f"Pesée n° {evaluation.pk} « {evaluation.title} » v{evaluation.number} "
        f"({evaluation.establishment.code}) : {STATUS_LABELS[evaluation.status]}, "
        f"niveau {_roman(evaluation.level)}"
    )
    out.print(evaluation.explanation, markup=False)
    table = Table("critère", "degré", "justification")
    for criterion in catalog.criteria_of(evaluation.version):
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
    _bootstrap()
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.db import transaction

    from repertoire.accounts.selectors import CommandLineOperator
    from repertoire.catalog import selectors as catalog
    from repertoire.core.evaluation import STATUS_LABELS
    from repertoire.evaluation import services
    from repertoire.positioning.models import Establishment
    from repertoire.positioning.selectors import establishment_for

    operator = CommandLineOperator(_author())
    try:
        place = establishment_for(operator, establishment)
    except Establishment.DoesNotExist:
        _refuse(f"--establishment : aucun établissement « {establishment} »")
    version = catalog.get_version()
    values = _degrees_by_code(degrees, version)
    justifications = {}
    for item in justification or []:
        code, sep, text = item.partition("=")
        if not sep or not code.strip():
            _refuse(f"--justification : CODE=TEXTE attendu, pas « {item} »")
        justifications[code.strip()] = text
    try:
        with transaction.atomic():
            evaluation = services.create_evaluation(
                operator,
                place,
                title=title,
                missions=missions,
                degrees=values,
                justifications=justifications,
                version=version,
            )
            if submit:
                evaluation = services.submit(operator, evaluation)
    except PermissionDenied as exc:
        _refuse(str(exc))
    except ValidationError as exc:
        _refused_weighing(exc, version)
    out.print(
        f"Pesée n° {evaluation.pk} « {evaluation.title} » créée : "
        f"{STATUS_LABELS[evaluation.status]}, niveau {_roman(evaluation.level)}."
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
    """Crée une nouvelle version (brouillon) d'une pesée validée, qui reste telle quelle."""
    _act_on(pk, "revise", "Nouvelle version créée. ")


@evaluations_app.command("pdf")
def evaluations_pdf(
    pk: EvaluationId,
    output: Annotated[Path, typer.Option("--output", "-o", help="Fichier PDF à écrire.")],
) -> None:
    """Écrit la fiche de pesée en PDF : emploi, degrés et justifications, niveau, signatures."""
    _bootstrap()
    from repertoire.accounts.selectors import CommandLineOperator
    from repertoire.evaluation import documents

    evaluation = _evaluation(CommandLineOperator(_author()), pk)
    content = documents.evaluation_pdf(evaluation)
    output.write_bytes(content)
    err.print(f"{output} écrit ({len(content):,} octets).".replace(",", "\u202f"))


# --- editions: prepare, publish, compare, migrate ------------------------------------------

editions_app = typer.Typer(
    help="Éditions du répertoire : liste, copie en brouillon, publication.", no_args_is_help=True
)
app.add_typer(editions_app, name="editions")

EditionArgument = Annotated[str, typer.Argument(help="Libellé de l'édition.")]


def _operator():
    from repertoire.accounts.selectors import CommandLineOperator

    return CommandLineOperator(_author())


def _refused_edition(exc) -> None:
    """A service's ValidationError, each problem on its line; exit 2."""
    if hasattr(exc, "error_dict"):
        for messages in exc.message_dict.values():
            for message in messages:
                err.print(message, markup=False, highlight=False)
    else:
        for message in exc.messages:
            err.print(message, markup=False, highlight=False)
    _refuse("rien n'a été écrit")


def _edition_dict(version) -> dict:
    return {
        "label": version.label,
        "title": version.title,
        "date": version.date.isoformat(),
        "status": version.status,
        "level_rule": version.level_rule,
        "is_current": version.is_current,
        "published_at": version.published_at.isoformat() if version.published_at else None,
        "published_by": version.published_by,
        "based_on": version.based_on.label if version.based_on_id else None,
        "job_count": version.job_count,
    }


@editions_app.command("list")
def editions_list(
    as_json: Annotated[bool, typer.Option("--json", help="Une ligne JSON par édition.")] = False,
) -> None:
    """Liste les éditions : date, statut, en vigueur, publiée ou brouillon, origine, emplois."""
    _bootstrap()
    from django.utils import timezone

    from repertoire.catalog import selectors

    versions = list(selectors.versions().select_related("based_on"))
    if as_json:
        for version in versions:
            print(json.dumps(_edition_dict(version), ensure_ascii=False))
        return
    table = Table()
    # Labels are never cut: they are what the other commands take.
    table.add_column("libellé", no_wrap=True)
    for name in ("date", "statut", "état", "copiée de"):
        table.add_column(name)
    table.add_column("emplois", justify="right")
    for version in versions:
        state = (
            f"publiée le {timezone.localtime(version.published_at):%d/%m/%Y}"
            if version.published_at
            else "[yellow]brouillon[/yellow]"
        )
        if version.is_current:
            state = f"[bold]en vigueur[/bold], {state}"
        table.add_row(
            version.label,
            f"{version.date:%d/%m/%Y}",
            version.get_status_display(),
            state,
            version.based_on.label if version.based_on_id else "",
            str(version.job_count),
        )
    out.print(table)
    out.print(f"{len(versions)} édition(s).")


@editions_app.command("copy")
def editions_copy(
    source: Annotated[str, typer.Argument(help="Libellé de l'édition à copier.")],
    label: Annotated[str, typer.Option("--label", help="Libellé de la nouvelle édition.")],
    title: Annotated[
        str, typer.Option("--title", help="Titre (par défaut : celui de l'édition copiée).")
    ] = "",
) -> None:
    """Copie une édition en brouillon (grille, emplois, appellations) pour préparer la suivante."""
    _bootstrap()
    from django.core.exceptions import ValidationError

    from repertoire.catalog import services

    original = _version(source)
    try:
        copy = services.copy_edition(_operator(), original, label=label, title=title)
    except ValidationError as exc:
        _refused_edition(exc)
    out.print(
        f"Édition {copy.label} créée en brouillon, copie de {original.label} "
        f"({copy.jobs.count()} emplois)."
    )


@editions_app.command("publish")
def editions_publish(label: EditionArgument) -> None:
    """Publie un brouillon : il est figé et devient l'édition en vigueur. Refusé tant que la
    règle de classement ne retrouve pas le niveau de chaque emploi."""
    _bootstrap()
    from repertoire.catalog import services

    version = _version(label)
    try:
        version = services.publish_edition(_operator(), version)
    except services.PublicationRefused as exc:
        for reason in exc.reasons:
            err.print(f"- {reason}", markup=False, highlight=False)
        _refuse(
            f"publication de l'édition {version.label} refusée : {len(exc.reasons)} problème(s)"
        )
    except services.EditionFrozen as exc:
        _refuse(str(exc))
    out.print(f"Édition {version.label} publiée : c'est désormais l'édition en vigueur.")


def _job_line(job) -> str:
    return f"{job.title} ({_roman(job.level)})"


@app.command()
def diff(
    before: Annotated[str, typer.Argument(help="Libellé de l'édition de départ.")],
    after: Annotated[str, typer.Argument(help="Libellé de l'édition d'arrivée.")],
    as_json: Annotated[bool, typer.Option("--json", help="Les différences en JSON.")] = False,
    pdf: Annotated[
        Path | None, typer.Option("--pdf", help="Écrire l'annexe des changements en PDF.")
    ] = None,
) -> None:
    """Compare deux éditions : emplois ajoutés, retirés, renommés, niveaux, degrés, textes."""
    _bootstrap()
    from repertoire.catalog import selectors

    result = selectors.edition_diff(_version(before), _version(after))
    if pdf is not None:
        from repertoire.publishing.diff_annex import diff_pdf

        content = diff_pdf(result)
        try:
            pdf.write_bytes(content)
        except OSError as exc:
            _refuse(f"écriture de {pdf} impossible : {exc.strerror}")
        err.print(f"{pdf} écrit ({len(content):,} octets).".replace(",", "\u202f"))
    if as_json:
        print(json.dumps(result.to_dict(), ensure_ascii=False))
        return
    if pdf is not None:
        return
    _print_diff(result)


def _print_diff(result) -> None:
    summary = result.summary()
    out.print(f"[bold]Édition {result.before.label} → édition {result.after.label}[/bold]")
    table = Table("changement")
    table.add_column("emplois", justify="right")
    for name, key in (
        ("ajoutés", "added"),
        ("retirés", "retired"),
        ("renommés", "renamed"),
        ("niveau changé", "level_changed"),
        ("degrés changés", "degrees_changed"),
        ("textes changés", "texts_changed"),
        ("inchangés", "unchanged"),
    ):
        table.add_row(name, str(summary[key]))
    out.print(table)
    labels = {**result.before.criteria, **result.after.criteria}
    if result.rule_changed:
        from repertoire.core.grid import RULES

        names = [
            RULES[code].label if code in RULES else code
            for code in (result.before.rule, result.after.rule)
        ]
        out.print(f"Règle de classement : {names[0]} → {names[1]}")
    if result.criteria_added:
        out.print("Critères ajoutés : " + ", ".join(labels[c] for c in result.criteria_added))
    if result.criteria_removed:
        out.print("Critères retirés : " + ", ".join(labels[c] for c in result.criteria_removed))
    changed = result.changed

    def section(title: str, lines: list[str]) -> None:
        if lines:
            out.print(f"\n[bold]{title}[/bold] ({len(lines)})")
            for line in lines:
                out.print(f"  {line}", markup=False, highlight=False)

    section("Emplois ajoutés", [_job_line(job) for job in result.added])
    section("Emplois retirés", [_job_line(job) for job in result.retired])
    section(
        "Emplois renommés",
        [f"{c.pair.before.title} → {c.pair.after.title}" for c in changed if c.renamed],
    )
    section(
        "Niveaux changés",
        [
            f"{c.pair.after.title} : {_roman(c.pair.before.level)} → {_roman(c.pair.after.level)}"
            for c in changed
            if c.level_changed
        ],
    )
    section(
        "Degrés changés",
        [
            f"{c.pair.after.title} : "
            + ", ".join(
                f"{labels.get(d.criterion, d.criterion)} {d.before or '—'} → {d.after or '—'}"
                for d in c.degrees
            )
            for c in changed
            if c.degrees
        ],
    )
    if summary["texts_changed"]:
        out.print(
            f"\n{summary['texts_changed']} emploi(s) aux textes changés : le détail mot à mot "
            "est dans --json et dans l'annexe --pdf."
        )


def _place(operator, code: str | None):
    if not code:
        return None
    from repertoire.positioning.models import Establishment
    from repertoire.positioning.selectors import establishment_for

    try:
        return establishment_for(operator, code)
    except Establishment.DoesNotExist:
        _refuse(f"--establishment : aucun établissement « {code} »")


@app.command()
def impact(
    before: Annotated[str, typer.Argument(help="Libellé de l'édition des positionnements.")],
    after: Annotated[str, typer.Argument(help="Libellé de la nouvelle édition.")],
    establishment: Annotated[
        str | None,
        typer.Option("--establishment", help="Code d'un établissement (par défaut : le réseau)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Les effectifs en JSON.")] = False,
) -> None:
    """Effet d'une nouvelle édition sur les positionnements décidés, par établissement :
    inchangés, renommés, changement d'emploi, niveau de l'emploi en hausse ou en baisse."""
    _bootstrap()
    from repertoire.core.editions import EstablishmentImpact
    from repertoire.positioning import selectors
    from repertoire.publishing.impact import impact_dict

    operator = _operator()
    place = _place(operator, establishment)
    result = selectors.edition_impact(operator, _version(before), _version(after), place)
    data = impact_dict(result, include=[place.code] if place else [])
    if as_json:
        print(json.dumps(data, ensure_ascii=False))
        return
    if not data["establishments"]:
        out.print(f"Aucun positionnement décidé sur l'édition {data['from']}.")
        return
    # Short headers, broken over lines: the table holds in 80 columns.
    table = Table(
        title=f"Édition {data['from']} → édition {data['to']}",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        collapse_padding=True,
    )
    # Codes are never cut: they are what --establishment takes.
    table.add_column("établ.", no_wrap=True)
    for name in (
        "positionnés",
        "inchangés",
        "emploi renommé",
        "autre emploi",
        "niveau ↑",
        "niveau ↓",
        "sans emploi proposé",
        "emploi local pesé",
    ):
        # As wide as the header's longest word: neither cut nor stretched.
        table.add_column(name, justify="right", width=max(map(len, name.split())))
    rows = data["establishments"] + ([data["total"]] if len(data["establishments"]) > 1 else [])
    for row in rows:
        table.add_row(
            "réseau" if row is data["total"] else row["establishment"],
            *(str(row[name]) for name in EstablishmentImpact.COUNTS),
        )
    out.print(table)
    out.print("niveau ↑ / ↓ : le niveau de l'emploi monte ou descend dans la nouvelle édition.")
    total = data["total"]
    levels = sorted({*total["by_level_before"], *total["by_level_after"]}, key=int)
    by_level = Table(title="Effectifs par niveau", box=box.SIMPLE_HEAD)
    by_level.add_column("niveau")
    by_level.add_column(f"édition {data['from']}", justify="right")
    by_level.add_column(f"édition {data['to']}", justify="right")
    for level in levels:
        by_level.add_row(
            _roman(int(level)),
            str(total["by_level_before"].get(level, 0)),
            str(total["by_level_after"].get(level, 0)),
        )
    if total["without_proposal"]:
        by_level.add_row("sans proposition", "", str(total["without_proposal"]))
    out.print(by_level)


@app.command()
def migrate(
    establishment: Annotated[str, typer.Option("--establishment", help="Code de l'établissement.")],
    source: Annotated[
        str, typer.Option("--from", help="Libellé de l'édition des positionnements décidés.")
    ],
) -> None:
    """Propose à chaque collaborateur d'un établissement un positionnement dans l'édition en
    vigueur, depuis son positionnement décidé dans l'édition --from. Rien n'est décidé : les
    propositions passent par la liste de travail."""
    _bootstrap()
    from django.core.exceptions import PermissionDenied, ValidationError

    from repertoire.positioning import services

    operator = _operator()
    place = _place(operator, establishment)
    old, target = _version(source), _version(None)
    try:
        result = services.migrate_establishment(operator, place, source=old, target=target)
    except PermissionDenied as exc:
        _refuse(str(exc))
    except ValidationError as exc:
        _refused_edition(exc)
    out.print(
        f"{place.code}, de l'édition {old.label} à l'édition {target.label} : "
        f"{result.mapped} positionnement(s) repris sur l'emploi qui succède, "
        f"{result.proposed} proposition(s) du moteur pour les autres, "
        f"{result.already_decided} déjà décidé(s) dans {target.label} (laissés tels quels)."
    )
    out.print("Les propositions attendent leur validation dans la liste de travail.")


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
