"""Equal pay (Directive (EU) 2023/970): the pay-gap report of article 9 and the pay ranges
per level, as the national command-line operator sees them (any establishment, or the
network). ``--json`` prints what ``GET /api/pay-gap`` and ``GET /api/pay-ranges`` answer."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer
from rich.table import Table

from repertoire.cli._output import out, refusals
from repertoire.cli._session import bootstrap, operator

NOT_COMPUTED = "—"


class Grouping(StrEnum):
    level = "level"
    job = "job"


EstablishmentOption = Annotated[
    str | None,
    typer.Option("--establishment", help="Code d'un établissement (par défaut : le réseau)."),
]
YearOption = Annotated[
    int | None,
    typer.Option(
        "--year", help="Année de référence (par défaut : la dernière avec des rémunérations)."
    ),
]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Le JSON de l'API, en un objet.")
]  # fmt: skip


FIELDS = {"establishment": "--establishment", "year": "--year", "by": "--by"}


def _scope(who, establishment: str | None, year: int | None):
    """The establishment named (None: the network) and the year checked: an unknown one
    is refused (told by ``refusals``: exit 2)."""
    from repertoire.core.refusals import Refused
    from repertoire.pay import selectors

    place = selectors.scope_of(who, establishment)
    if year is not None and year not in selectors.years(who, place):
        where = f"l'établissement {place.code}" if place else "le réseau"
        raise Refused(
            problems={"year": [f"aucune donnée de rémunération pour {year} dans {where}."]}
        )
    return place


def pay_gap(
    establishment: EstablishmentOption = None,
    year: YearOption = None,
    by: Annotated[
        Grouping,
        typer.Option("--by", help="Catégorie de travailleurs : niveau (level) ou emploi (job)."),
    ] = Grouping.level,
    as_json: JsonOption = False,
) -> None:
    """Écart de rémunération entre les femmes et les hommes (directive (UE) 2023/970, art. 9) :
    les indicateurs et les écarts par catégorie de travailleurs, en équivalent temps plein."""
    bootstrap()
    from repertoire.pay import selectors

    who = operator()
    with refusals(FIELDS, then=None):
        place = _scope(who, establishment, year)
        report = selectors.gap_report(who, establishment=place, year=year, by=by.value)
    if as_json:
        print(json.dumps(report, ensure_ascii=False))
        return
    _print_indicators(report)
    _print_categories(report, by)


def pay_ranges(
    establishment: EstablishmentOption = None,
    year: YearOption = None,
    as_json: JsonOption = False,
) -> None:
    """Fourchettes de salaire de base en équivalent temps plein par niveau (minimum, médiane,
    maximum, effectif) : la structure de rémunération (directive (UE) 2023/970, art. 5 et 6)."""
    bootstrap()
    from repertoire.pay import selectors

    who = operator()
    with refusals(FIELDS, then=None):
        place = _scope(who, establishment, year)
        ranges = selectors.ranges(who, establishment=place, year=year)
        years = selectors.years(who, place)
    data = {
        "scope": selectors.scope_label(place),
        "year": year if year is not None else (years[0] if years else None),
        "ranges": ranges,
    }
    if as_json:
        print(json.dumps(data, ensure_ascii=False))
        return
    table = Table(title=f"Fourchettes de salaire de base (ETP) — {_where(data)}")
    for heading in ("Niveau", "Effectif", "Minimum", "Médiane", "Maximum"):
        table.add_column(heading, justify="left" if heading == "Niveau" else "right")
    for row in ranges:
        table.add_row(
            row["category"],
            str(row["headcount"]),
            *(_euros(row[key]) for key in ("minimum", "median", "maximum")),
        )
    out.print(table)
    out.print("Moins de 3 personnes : les montants ne sont pas donnés, seulement l'effectif.")


# --- printing --------------------------------------------------------------------------


def _where(report: dict) -> str:
    scope = "réseau" if report["scope"] == "network" else report["scope"]
    year = report["year"] if report["year"] is not None else "aucune donnée"
    return f"{scope}, {year}"


def _pct(value: float | None) -> str:
    return NOT_COMPUTED if value is None else f"{value:.1f} %".replace(".", ",")


def _euros(value: float | None) -> str:
    if value is None:
        return NOT_COMPUTED
    return f"{value:,.2f} €".replace(",", " ").replace(".", ",")


def _print_indicators(report: dict) -> None:
    population = report["population"]
    share = report["variable_share"]
    table = Table(title=f"Écart de rémunération femmes-hommes — {_where(report)}")
    table.add_column("Indicateur (art. 9, § 1)")
    table.add_column("Valeur", justify="right")
    rows = [
        ("Effectif : femmes / hommes", f"{population['women']} / {population['men']}"),
        ("a) Écart de rémunération moyen", _pct(report["mean_gap_pct"])),
        ("b) Écart moyen des composantes variables", _pct(report["variable_mean_gap_pct"])),
        ("c) Écart de rémunération médian", _pct(report["median_gap_pct"])),
        ("d) Écart médian des composantes variables", _pct(report["variable_median_gap_pct"])),
        (
            "e) Part recevant des variables : femmes / hommes",
            f"{_pct(share['women'])} / {_pct(share['men'])}",
        ),
    ]
    rows += [
        (
            f"f) Quartile {quartile['quartile']} : femmes / hommes",
            f"{_pct(quartile['women_pct'])} / {_pct(quartile['men_pct'])}",
        )
        for quartile in report["quartiles"]
    ]
    for label, value in rows:
        table.add_row(label, value)
    out.print(table)
    out.print(
        "Écart = (valeur des hommes − valeur des femmes) ÷ valeur des hommes, en équivalent "
        f"temps plein ; {NOT_COMPUTED} : moins de 3 femmes ou de 3 hommes."
    )


def _print_categories(report: dict, by: Grouping) -> None:
    table = Table(title="g) Écarts par catégorie de travailleurs")
    table.add_column("Niveau" if by is Grouping.level else "Emploi", no_wrap=by is Grouping.level)
    for heading in ("Femmes", "Hommes", "Écart moyen", "Écart médian", "Base", "Variable"):
        table.add_column(heading, justify="right")
    table.add_column("Alerte", no_wrap=True)
    gaps = ("mean_gap_pct", "median_gap_pct", "base_mean_gap_pct", "variable_mean_gap_pct")
    for category in report["categories"]:
        if category["flag"]:
            note = "[red]≥ 5 %[/red]"
        else:
            note = "effectif < 3" if category["insufficient"] else ""
        table.add_row(
            category["category"],
            str(category["women"]),
            str(category["men"]),
            *(_pct(category[key]) for key in gaps),
            note,
        )
    out.print(table)
    flagged = [c["category"] for c in report["categories"] if c["flag"]]
    if flagged:
        out.print(
            f"{len(flagged)} catégorie(s) avec un écart moyen d'au moins 5 % : à justifier par "
            "des critères objectifs et non sexistes, ou à corriger dans les six mois ; sinon, "
            "évaluation conjointe des rémunérations avec les représentants du personnel "
            "(directive (UE) 2023/970, art. 10)."
        )
