"""Editions: list, copy as a draft, publish; compare two (``diff``), evaluate a new one's
effect on positionings (``impact``) and move an establishment's to it (``migrate``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn
from rich.table import Table

from repertoire.cli._arguments import edition_named, establishment_named
from repertoire.cli._output import err, out, refusals, roman, say, write_bytes
from repertoire.cli._session import bootstrap, operator

editions_app = typer.Typer(
    help="Éditions du répertoire : liste, copie en brouillon, publication.", no_args_is_help=True
)

EditionArgument = Annotated[str, typer.Argument(help="Libellé de l'édition.")]


def _edition_dict(edition) -> dict:
    return {
        "label": edition.label,
        "title": edition.title,
        "date": edition.date.isoformat(),
        "status": edition.document_status,
        "level_rule": edition.level_rule,
        "is_current": edition.is_current,
        "published_at": edition.published_at.isoformat() if edition.published_at else None,
        "published_by": edition.published_by,
        "based_on": edition.based_on.label if edition.based_on_id else None,
        "job_count": edition.job_count,
    }


@editions_app.command("list")
def editions_list(
    as_json: Annotated[bool, typer.Option("--json", help="Une ligne JSON par édition.")] = False,
) -> None:
    """Liste les éditions : date, statut, en vigueur, publiée ou brouillon, origine, emplois."""
    bootstrap()
    from django.utils import timezone

    from repertoire.catalog import selectors

    editions = list(selectors.editions().select_related("based_on"))
    if as_json:
        for edition in editions:
            print(json.dumps(_edition_dict(edition), ensure_ascii=False))
        return
    table = Table()
    # Labels are never cut: they are what the other commands take.
    table.add_column("libellé", no_wrap=True)
    for name in ("date", "statut", "état", "copiée de"):
        table.add_column(name)
    table.add_column("emplois", justify="right")
    for edition in editions:
        state = (
            f"publiée le {timezone.localtime(edition.published_at):%d/%m/%Y}"
            if edition.published_at
            else "[yellow]brouillon[/yellow]"
        )
        if edition.is_current:
            state = f"[bold]en vigueur[/bold], {state}"
        table.add_row(
            edition.label,
            f"{edition.date:%d/%m/%Y}",
            edition.get_status_display(),
            state,
            edition.based_on.label if edition.based_on_id else "",
            str(edition.job_count),
        )
    out.print(table)
    out.print(f"{len(editions)} édition(s).")


@editions_app.command("copy")
def editions_copy(
    source: Annotated[str, typer.Argument(help="Libellé de l'édition à copier.")],
    label: Annotated[str, typer.Option("--label", help="Libellé de la nouvelle édition.")],
    title: Annotated[
        str, typer.Option("--title", help="Titre (par défaut : celui de l'édition copiée).")
    ] = "",
) -> None:
    """Copie une édition en brouillon (grille, emplois, appellations) pour préparer la suivante."""
    bootstrap()
    from repertoire.catalog import services

    original = edition_named(source)
    with refusals({"label": "--label", "title": "--title"}):
        copy = services.copy_edition(operator(), original, label=label, title=title)
    out.print(
        f"Édition {copy.label} créée en brouillon, copie de {original.label} "
        f"({copy.jobs.count()} emplois)."
    )


@editions_app.command("publish")
def editions_publish(label: EditionArgument) -> None:
    """Publie un brouillon : il est figé et devient l'édition en vigueur ; les positionnements
    de l'édition en vigueur y sont reportés (décision conservée sur un emploi inchangé, à
    revoir sinon). Refusé tant que la règle de classement ne retrouve pas le niveau de
    chaque emploi."""
    bootstrap()
    from repertoire.positioning import services

    edition = edition_named(label)
    with (
        refusals(then=f"publication de l'édition {edition.label} refusée"),
        Progress(
            TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), console=err
        ) as bar,
    ):
        task = bar.add_task("publication", total=1.0)
        edition, carried = services.publish_edition(
            operator(),
            edition,
            progress=lambda fraction, stage: bar.update(
                task, completed=fraction, description=stage
            ),
        )
    say(f"Édition {edition.label} publiée : c'est désormais l'édition en vigueur.")
    if carried.total:
        out.print(
            f"Positionnements reportés tels quels : {carried.kept} ; à revoir : "
            f"{carried.review} (dont {carried.flagged} notifiés ou contestés, signalés) ; "
            f"propositions reportées : {carried.proposed}."
        )


# --- comparing two editions -------------------------------------------------------------


def diff(
    before: Annotated[str, typer.Argument(help="Libellé de l'édition de départ.")],
    after: Annotated[str, typer.Argument(help="Libellé de l'édition d'arrivée.")],
    as_json: Annotated[bool, typer.Option("--json", help="Les différences en JSON.")] = False,
    pdf: Annotated[
        Path | None, typer.Option("--pdf", help="Écrire l'annexe des changements en PDF.")
    ] = None,
) -> None:
    """Compare deux éditions : emplois ajoutés, retirés, renommés, niveaux, degrés, textes."""
    bootstrap()
    from repertoire.catalog import selectors

    result = selectors.edition_diff(edition_named(before), edition_named(after))
    if pdf is not None:
        from repertoire.publishing.diff_annex import diff_pdf

        write_bytes(diff_pdf(result), pdf)
    if as_json:
        print(json.dumps(result.to_dict(), ensure_ascii=False))
        return
    if pdf is not None:
        return
    _print_diff(result)


def _job_line(job) -> str:
    return f"{job.title} ({roman(job.level)})"


def _section(title: str, lines: list[str]) -> None:
    if lines:
        out.print(f"\n[bold]{title}[/bold] ({len(lines)})")
        for line in lines:
            say(f"  {line}")


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
    _print_grid_changes(result, labels)
    changed = result.changed
    _section("Emplois ajoutés", [_job_line(job) for job in result.added])
    _section("Emplois retirés", [_job_line(job) for job in result.retired])
    _section(
        "Emplois renommés",
        [f"{c.pair.before.title} → {c.pair.after.title}" for c in changed if c.renamed],
    )
    _section(
        "Niveaux changés",
        [
            f"{c.pair.after.title} : {roman(c.pair.before.level)} → {roman(c.pair.after.level)}"
            for c in changed
            if c.level_changed
        ],
    )
    _section(
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


def _print_grid_changes(result, labels: dict[str, str]) -> None:
    """The level rule and the criteria, when they changed."""
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


# --- positionings from one edition to the next -----------------------------------------


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
    bootstrap()
    from repertoire.positioning import selectors
    from repertoire.publishing.impact import impact_dict

    who = operator()
    place = establishment_named(who, establishment) if establishment else None
    result = selectors.edition_impact(who, edition_named(before), edition_named(after), place)
    data = impact_dict(result, include=[place.code] if place else [])
    if as_json:
        print(json.dumps(data, ensure_ascii=False))
        return
    if not data["establishments"]:
        out.print(f"Aucun positionnement décidé sur l'édition {data['from']}.")
        return
    _print_impact_by_establishment(data)
    out.print("niveau ↑ / ↓ : le niveau de l'emploi monte ou descend dans la nouvelle édition.")
    _print_impact_by_level(data)


def _print_impact_by_establishment(data: dict) -> None:
    from repertoire.core.editions import EstablishmentImpact

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


def _print_impact_by_level(data: dict) -> None:
    total = data["total"]
    levels = sorted({*total["by_level_before"], *total["by_level_after"]}, key=int)
    by_level = Table(title="Effectifs par niveau", box=box.SIMPLE_HEAD)
    by_level.add_column("niveau")
    by_level.add_column(f"édition {data['from']}", justify="right")
    by_level.add_column(f"édition {data['to']}", justify="right")
    for level in levels:
        by_level.add_row(
            roman(int(level)),
            str(total["by_level_before"].get(level, 0)),
            str(total["by_level_after"].get(level, 0)),
        )
    if total["without_proposal"]:
        by_level.add_row("sans proposition", "", str(total["without_proposal"]))
    out.print(by_level)


def migrate(
    establishment: Annotated[str, typer.Option("--establishment", help="Code de l'établissement.")],
    source: Annotated[
        str, typer.Option("--from", help="Libellé de l'édition des positionnements décidés.")
    ],
) -> None:
    """Propose à chaque collaborateur d'un établissement un positionnement dans l'édition en
    vigueur, depuis son positionnement décidé dans l'édition --from. Rien n'est décidé : les
    propositions passent par la liste de travail."""
    bootstrap()
    from repertoire.positioning import services

    who = operator()
    place = establishment_named(who, establishment)
    old, target = edition_named(source), edition_named(None)
    with refusals({"source": "--from"}):
        result = services.migrate_establishment(who, place, source=old, target=target)
    out.print(
        f"{place.code}, de l'édition {old.label} à l'édition {target.label} : "
        f"{result.mapped} positionnement(s) repris sur l'emploi qui succède, "
        f"{result.proposed} proposition(s) du moteur pour les autres, "
        f"{result.already_decided} déjà décidé(s) dans {target.label} (laissés tels quels)."
    )
    out.print("Les propositions attendent leur validation dans la liste de travail.")
