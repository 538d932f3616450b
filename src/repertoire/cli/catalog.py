"""The repertoire itself: import and export an edition, check its data, classify a
profile, match local job titles, the appellations, and the jobs' ROME codes against the
correspondence shipped in the package."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn
from rich.table import Table

from repertoire.cli._arguments import (
    EditionOption,
    OutputOption,
    edition_named,
    establishment_named,
    read,
    read_document,
)
from repertoire.cli._output import (
    err,
    out,
    refusals,
    refuse,
    say,
    write_bytes,
    write_text,
)
from repertoire.cli._session import author, bootstrap, database_ready, operator


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
    document = read_document(path)
    database_ready()
    from repertoire.catalog import selectors, services

    try:
        with refusals({"label": "--label", "rule": "--rule"}):
            edition = services.import_edition(
                document, author=author(), label=label, rule=rule, source_name=path.name
            )
    except ValueError as exc:  # an unknown --rule
        refuse(f"Erreur : {exc}")
    out.print(
        f"Édition {edition.label} importée : {len(document.jobs)} emplois, "
        f"règle « {edition.level_rule} »{', édition en vigueur' if edition.is_current else ''}."
    )
    if not edition.is_frozen:
        in_force = selectors.get_edition().label
        out.print(
            f"C'est un brouillon : comparez-le (repertoire diff {in_force} {edition.label}), "
            f"puis publiez-le (repertoire editions publish {edition.label})."
        )


class ExportFormat(StrEnum):
    json = "json"
    csv = "csv"
    text = "text"
    xlsx = "xlsx"
    pdf = "pdf"
    docx = "docx"
    html = "html"


TEXT_FORMATS = (ExportFormat.json, ExportFormat.csv, ExportFormat.text)


def export(
    format: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="Format de sortie.")
    ] = ExportFormat.json,
    edition: EditionOption = None,
    output: OutputOption = None,
) -> None:
    """Exporte une édition : JSON, CSV, texte du document, Excel, PDF, Word ou HTML."""
    bootstrap()
    edition = edition_named(edition)
    if format in TEXT_FORMATS:
        _export_text(edition, format, output)
    else:
        _export_file(edition, format, output)


def _export_text(edition, format: ExportFormat, output: Path | None) -> None:
    from repertoire.catalog import selectors
    from repertoire.publishing import exports

    document = selectors.document_of(edition)
    if format is ExportFormat.json:
        content = exports.to_json(
            document,
            label=edition.label,
            level_rule=edition.level_rule,
            rome=selectors.rome_by_job(edition),
        )
    elif format is ExportFormat.csv:
        content = exports.to_csv(document)
    else:
        content = exports.to_text(document)
    write_text(content, output, for_excel=format is ExportFormat.csv)


def _export_file(edition, format: ExportFormat, output: Path | None) -> None:
    """An office or PDF file, built with a progress bar on standard error."""
    from repertoire.publishing import documents

    if output is None and sys.stdout.isatty():
        refuse(f"Un fichier {format.value.upper()} ne s'affiche pas : utiliser -o FICHIER.")
    with Progress(
        TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), console=err
    ) as progress:
        task = progress.add_task("export", total=1.0)
        content = documents.FORMATS[format.value].build(
            edition, lambda done, stage: progress.update(task, completed=done, description=stage)
        )
    if output is None:
        sys.stdout.buffer.write(content)
        return
    write_bytes(content, output)


def check(
    path: Annotated[
        Path | None, typer.Argument(help="Un document à vérifier sans l'importer.")
    ] = None,
    edition: EditionOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Une ligne JSON par constat.")] = False,
) -> None:
    """Rapport de qualité des données. Avertissements : code 0 ; erreurs : code 1.

    Il dit aussi quels facteurs de la directive (UE) 2023/970 (compétences, efforts,
    responsabilités, conditions de travail) les critères de l'édition citent, avec les
    mots relevés, et quelles appellations le ROME classe sous un code que leur emploi ne
    porte pas (constats « info »)."""
    from repertoire.core.factors import factor_coverage
    from repertoire.core.grid import DEFAULT_RULE
    from repertoire.core.quality import (
        ERROR,
        check_document,
        factor_findings,
        rome_appellation_findings,
        rome_findings,
    )
    from repertoire.core.rome import load_rome

    if path is not None:
        from repertoire.bundled import (
            criteria_descriptions,
            curated_appellations,
            rome_correspondence,
        )
        from repertoire.core.factors import CriterionText

        document, rule, subject = read_document(path), DEFAULT_RULE, str(path)
        # The ROME codes an import would give the jobs.
        rome_codes: dict[str, list[str]] = {}
        for link in rome_correspondence():
            rome_codes.setdefault(link.job_code, []).append(link.rome_code)
        # …and the appellations it would load with the edition.
        appellations: dict[str, list[str]] = {}
        for _, row in curated_appellations().rows:
            appellations.setdefault(row["code"], []).append(row["appellation"])
        # The descriptions an import would give the criteria.
        descriptions = criteria_descriptions()
        coverage = factor_coverage(
            CriterionText(c.code, c.label, descriptions.get(c.code, "")) for c in document.criteria
        )
    else:
        bootstrap()
        from repertoire.catalog import selectors

        edition = edition_named(edition)
        document, rule, subject = (
            selectors.document_of(edition),
            edition.level_rule,
            f"édition {edition.label}",
        )
        coverage = factor_coverage(selectors.criteria_of(edition))
        rome_codes = {
            code: [entry["code"] for entry in found["rome"]]
            for code, found in selectors.rome_by_job(edition).items()
        }
        appellations = {}
        for appellation in selectors.appellations_of(edition):
            appellations.setdefault(appellation.job.code, []).append(appellation.title)
    titles = {job.code: job.title for job in document.jobs}
    findings = check_document(document, rule) + rome_findings(titles, rome_codes)
    filed_elsewhere = rome_appellation_findings(titles, appellations, rome_codes, load_rome())
    errors = sum(1 for f in findings if f.severity == ERROR)
    if as_json:
        for finding in [*findings, *filed_elsewhere, *factor_findings(coverage)]:
            print(json.dumps(finding.as_dict(), ensure_ascii=False))
    else:
        _print_findings(findings, subject)
        out.print(f"{errors} erreur(s), {len(findings) - errors} avertissement(s).")
        _print_filed_elsewhere(filed_elsewhere)
        _print_factor_coverage(coverage)
    if errors:
        raise typer.Exit(1)


def _print_findings(findings, subject: str) -> None:
    from repertoire.core.quality import ERROR

    table = Table(title=f"Qualité des données — {subject}", show_lines=False)
    table.add_column("Gravité")
    table.add_column("Ligne", justify="right")
    table.add_column("Constat")
    for finding in findings:
        severity = (
            "[red]erreur[/red]" if finding.severity == ERROR else "[yellow]avertissement[/yellow]"
        )
        table.add_row(severity, str(finding.line or ""), finding.message)
    out.print(table)


def _print_filed_elsewhere(findings) -> None:
    """Appellations the ROME files under codes their job does not carry: for a national
    administrator to judge (the correspondence, or the appellation)."""
    if not findings:
        return
    table = Table(
        title=f"Appellations que le ROME classe sous un autre code que ceux de leur emploi "
        f"({len(findings)}) : correspondance ROME ou appellation à revoir",
        show_lines=False,
    )
    table.add_column("Emploi")
    table.add_column("Appellation")
    table.add_column("Codes ROME")
    for finding in findings:
        details = finding.details
        table.add_row(details["job_title"], details["appellation"], ", ".join(details["rome"]))
    out.print(table)


def _print_factor_coverage(coverage) -> None:
    """The directive's factors, the criteria that cite each and the words found: shown,
    for a person to judge."""
    table = Table(title="Facteurs de la directive (UE) 2023/970, art. 4(4)", show_lines=True)
    table.add_column("Facteur")
    table.add_column("Critères qui le citent")
    table.add_column("Mots relevés")
    for factor in coverage.factors:
        if factor.covered:
            criteria = "\n".join(match.label for match in factor.matches)
            words = "\n".join(", ".join(match.words) for match in factor.matches)
        else:
            criteria, words = "[yellow]aucun[/yellow]", ""
        table.add_row(factor.label, criteria, words)
    out.print(table)
    uncovered = [factor.label for factor in coverage.factors if not factor.covered]
    if uncovered:
        out.print(
            "Aucun critère ne cite, dans son intitulé ou sa description : "
            f"{', '.join(uncovered)}. À apprécier : un facteur peut être pesé sans être nommé."
        )


def classify(
    degrees: Annotated[
        str, typer.Option(help="Un degré par critère, dans l'ordre des critères : 4,4,3,4,3.")
    ],
    edition: EditionOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Résultat en JSON.")] = False,
) -> None:
    """Calcule le niveau d'un profil de degrés, avec son explication et ses alertes."""
    bootstrap()
    from repertoire.catalog import selectors
    from repertoire.catalog.presenters import classification_dict
    from repertoire.core.grid import InvalidDegrees

    grid = selectors.grid_of(edition_named(edition))
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
        refuse(f"Erreur : {message} (critères : {labels}).")
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


# --- matching local job titles -----------------------------------------------------------

MATCH_FIELDS = {
    "intitule": {"intitule", "intitule_du_poste", "libelle", "libelle_du_poste", "poste", "title"},
    "service": {"service", "direction", "departement", "unite"},
    "description": {"description", "description_du_poste", "missions"},
}


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
    establishment: Annotated[
        str | None,
        typer.Option(
            "--establishment",
            help="Code de l'établissement : ses appellations apprises s'ajoutent à celles du réseau (sinon celles du réseau seules).",
        ),
    ] = None,
) -> None:
    """Propose les emplois repères les plus proches d'intitulés de poste locaux."""
    queries = _title_queries(input)
    bootstrap()
    from repertoire.catalog import selectors

    place = establishment_named(operator(), establishment) if establishment else None
    index = selectors.matching_index(edition_named(edition), place)
    results = index.match_many(queries, top=top)
    if as_json:
        for result in results:
            print(json.dumps(_match_dict(result), ensure_ascii=False))
        return
    from repertoire.typesetting.spreadsheets import CsvWriter

    writer = CsvWriter(sys.stdout, lineterminator="\n")
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


def _title_queries(path: Path | None) -> list:
    """The titles to match: a CSV file's rows, or one title per line of standard input."""
    from repertoire.core.matching import TitleQuery
    from repertoire.core.tables import TableInvalid, read_table

    if path is None:
        return [TitleQuery(line.strip()) for line in sys.stdin if line.strip()]
    try:
        table = read_table(read(path), MATCH_FIELDS, required={"intitule"})
    except TableInvalid as exc:
        refuse(str(exc))
    return [
        TitleQuery(row["intitule"], row.get("service", ""), row.get("description", ""))
        for _, row in table.rows
    ]


def _match_dict(result) -> dict:
    return {
        "intitule": result.query.intitule,
        "candidates": [candidate.as_proposal() for candidate in result.candidates],
    }


# --- appellations -------------------------------------------------------------------------

appellations_app = typer.Typer(
    help="Appellations : les autres intitulés qui désignent un emploi repère.", no_args_is_help=True
)


@appellations_app.command("import")
def appellations_import(
    path: Annotated[Path, typer.Argument(help="CSV : code, appellation[, source].")],
    edition: EditionOption = None,
) -> None:
    """Ajoute les appellations d'un fichier CSV. Tout ou rien ; réimporter ne change rien."""
    data = read(path)
    bootstrap()
    from repertoire.catalog import services

    edition = edition_named(edition)
    with refusals():
        counts = services.import_appellations(edition, data, author=author())
    out.print(
        f"{counts['created']} appellation(s) ajoutée(s), {counts['unchanged']} déjà connue(s)."
    )


@appellations_app.command("export")
def appellations_export(
    edition: EditionOption = None,
    output: OutputOption = None,
) -> None:
    """Exporte les appellations de l'édition (CSV : code, emploi, appellation, source)."""
    bootstrap()
    from repertoire.catalog import selectors
    from repertoire.publishing import exports

    rows = [
        (alias.job.code, alias.job.title, alias.title, alias.source)
        for alias in selectors.appellations_of(edition_named(edition))
    ]
    write_text(exports.appellations_csv(rows), output, for_excel=True)


@appellations_app.command("reindex")
def appellations_reindex(edition: EditionOption = None) -> None:
    """Reconstruit l'index de rapprochement des intitulés (tous les processus le relisent)."""
    bootstrap()
    import time

    from repertoire.catalog import selectors, services

    edition = edition_named(edition)
    services.rebuild_matching_index(operator(), edition)
    started = time.perf_counter()
    index = selectors.matching_index(edition)
    elapsed = time.perf_counter() - started
    out.print(
        f"Index reconstruit : {index.size} intitulés pour {len(index.jobs)} emplois en {elapsed:.2f} s."
    )


# --- ROME codes and the correspondence shipped in the package ---------------------------

rome_app = typer.Typer(
    help="Codes ROME des emplois : écarts avec la correspondance livrée, mise en conformité.",
    no_args_is_help=True,
)


@rome_app.command("diff")
def rome_diff(
    edition: EditionOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Les écarts en JSON.")] = False,
) -> None:
    """Les emplois dont les codes ROME diffèrent de la correspondance livrée avec
    l'application : codes ajoutés, retirés, code principal changé. Rien n'est écrit."""
    bootstrap()
    from repertoire.bundled import ROME_CORRESPONDENCE
    from repertoire.catalog import selectors

    edition = edition_named(edition)
    comparison = selectors.correspondence_diff(edition).to_dict()
    if as_json:
        data = {"edition": edition.label, "source": ROME_CORRESPONDENCE, **comparison}
        print(json.dumps(data, ensure_ascii=False))
        return
    if comparison["changes"]:
        table = Table(
            title=f"Édition {edition.label} / {ROME_CORRESPONDENCE}",
            box=box.SIMPLE_HEAD,
            caption="* code principal",
        )
        # Job codes are never cut: they are what ``rome apply --job`` takes.
        table.add_column("code", no_wrap=True)
        table.add_column("emploi")
        for name in ("actuels", "livrés"):
            table.add_column(name, no_wrap=True)
        table.add_column("changement")
        for change in comparison["changes"]:
            table.add_row(
                change["code"],
                change["title"],
                _rome_codes(change["current"]),
                _rome_codes(change["shipped"]),
                _rome_change(change),
            )
        out.print(table)
    say(
        f"{len(comparison['changes'])} emploi(s) aux codes différents de la correspondance "
        f"livrée, {comparison['unchanged']} identique(s)"
        + (
            f", {len(comparison['unknown'])} inconnu(s) de la correspondance (laissés tels quels)."
            if comparison["unknown"]
            else "."
        )
    )


def _rome_codes(entries: list[dict]) -> str:
    return (
        "\n".join(f"{entry['code']}{'*' if entry['primary'] else ''}" for entry in entries) or "—"
    )


def _rome_change(change: dict) -> str:
    parts = []
    if change["added"]:
        parts.append("+ " + ", ".join(change["added"]))
    if change["dropped"]:
        parts.append("− " + ", ".join(change["dropped"]))
    if change["primary_changed"]:
        parts.append(f"principal {change['primary_before'] or '—'} → {change['primary_after']}")
    return "\n".join(parts)


@rome_app.command("apply")
def rome_apply(
    edition: EditionOption = None,
    jobs: Annotated[
        list[str] | None,
        typer.Option(
            "--job",
            help="Code d'un emploi à mettre en conformité (répétable ; par défaut : tous ceux "
            "qui diffèrent).",
        ),
    ] = None,
) -> None:
    """Donne aux emplois d'un brouillon les codes ROME de la correspondance livrée avec
    l'application (tout ou rien, journalisé). Refusé sur une édition publiée."""
    bootstrap()
    from repertoire.bundled import ROME_CORRESPONDENCE
    from repertoire.catalog import services

    edition = edition_named(edition)
    with refusals():
        count = services.apply_rome_correspondence(operator(), edition, jobs=jobs or None)
    say(
        f"Édition {edition.label} : {count} emploi(s) changé(s), codes ROME de la "
        f"correspondance livrée ({ROME_CORRESPONDENCE})."
    )


@rome_app.command("applications")
def rome_applications(edition: EditionOption = None) -> None:
    """Les mises en conformité d'un brouillon avec la correspondance livrée qui n'ont pas
    été annulées, la dernière d'abord : clé, auteur, date, nombre d'emplois."""
    bootstrap()
    from django.utils.timezone import localtime

    from repertoire.catalog import selectors

    edition = edition_named(edition)
    applications = selectors.rome_applications(edition)
    if not applications:
        say(f"Édition {edition.label} : aucune mise en conformité à annuler.")
        return
    for application in applications:
        say(
            f"{application.key}  {localtime(application.at):%Y-%m-%d %H:%M}  {application.actor}  "
            f"{application.jobs} emploi(s)"
        )


@rome_app.command("undo")
def rome_undo(
    edition: EditionOption = None,
    application: Annotated[
        str | None,
        typer.Option(
            "--application",
            help="Clé de la mise en conformité à annuler (repertoire rome applications) ; "
            "par défaut la dernière.",
        ),
    ] = None,
) -> None:
    """Annule une mise en conformité d'un brouillon avec la correspondance livrée, la
    dernière par défaut : ses emplois retrouvent leurs codes d'avant (tout ou rien,
    journalisé ; refusé si l'un d'eux a changé depuis)."""
    bootstrap()
    from repertoire.catalog import selectors, services

    edition = edition_named(edition)
    if application is None:
        last = selectors.last_rome_application(edition)
        if last is None:
            refuse(f"Édition {edition.label} : aucune mise en conformité à annuler.")
        application = last.key
    with refusals():
        count = services.undo_rome_application(operator(), edition, application)
    say(f"Édition {edition.label} : {count} emploi(s) ont retrouvé leurs codes ROME d'avant.")
