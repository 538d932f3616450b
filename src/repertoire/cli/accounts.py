"""Administration: establishments, users, API tokens, the demonstration network and the
retention of personal data."""

from __future__ import annotations

import getpass
import sys
from enum import StrEnum
from typing import Annotated

import typer
from rich.table import Table

from repertoire.cli._arguments import establishment_named
from repertoire.cli._output import err, out, refusals, refuse
from repertoire.cli._session import author, bootstrap, database_ready, operator

establishments_app = typer.Typer(help="Établissements (CCI).", no_args_is_help=True)
users_app = typer.Typer(help="Utilisateurs et rôles.", no_args_is_help=True)
tokens_app = typer.Typer(help="Jetons d'API.", no_args_is_help=True)
retention_app = typer.Typer(help="Durée de conservation des données personnelles.")


@establishments_app.command("create")
def establishments_create(
    code: Annotated[str, typer.Argument(help="Code de l'établissement (ex. CCI-LYON).")],
    name: Annotated[str, typer.Argument(help="Nom de l'établissement.")],
) -> None:
    """Crée un établissement."""
    database_ready()
    from repertoire.positioning import services

    with refusals():
        establishment = services.create_establishment(code, name, actor=author())
    out.print(f"Établissement {establishment} créé.")


def _read_password_twice() -> str:
    """From the terminal (asked twice), or two lines of standard input (scripts)."""
    if sys.stdin.isatty():
        first = getpass.getpass("Mot de passe : ")
        second = getpass.getpass("Mot de passe (encore) : ")
    else:
        lines = sys.stdin.read().splitlines()
        if len(lines) < 2:
            refuse("le mot de passe est attendu deux fois, sur deux lignes de l'entrée standard")
        first, second = lines[0], lines[1]
    if first != second:
        refuse("les deux mots de passe diffèrent")
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
    database_ready()
    from repertoire.accounts import services

    place = establishment_named(operator(), establishment) if establishment else None
    password = _read_password_twice()
    with refusals({"role": "--role", "establishment": "--establishment"}):
        user = services.create_user(
            username, role=role.value, password=password, establishment=place, actor=author()
        )
    out.print(f"Utilisateur {user.get_username()} créé ({role.value}).")


def _user_named(username: str):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        refuse(f"aucun utilisateur « {username} »")
    return user


@users_app.command("password")
def users_password(
    username: Annotated[str, typer.Argument(help="Identifiant de connexion.")],
) -> None:
    """Change le mot de passe (lu deux fois sur l'entrée standard) ; révoque les jetons."""
    database_ready()
    from repertoire.accounts import services

    user = _user_named(username)
    password = _read_password_twice()
    with refusals():
        services.change_password(user, password, actor=author())
    out.print(f"Mot de passe de {username} changé ; ses jetons d'API sont révoqués.")


@users_app.command("deactivate")
def users_deactivate(
    username: Annotated[str, typer.Argument(help="Identifiant de connexion.")],
) -> None:
    """Désactive un utilisateur : il ne se connecte plus, ses jetons sont révoqués."""
    database_ready()
    from repertoire.accounts import services

    user = _user_named(username)
    with refusals():
        services.deactivate_user(user, actor=author())
    out.print(f"Utilisateur {username} désactivé ; ses jetons d'API sont révoqués.")


@tokens_app.command("create")
def tokens_create(
    username: Annotated[str, typer.Argument(help="L'utilisateur du jeton.")],
    name: Annotated[str, typer.Option("--name", help="Nom du jeton.")] = "api",
) -> None:
    """Crée un jeton d'API ; il s'affiche une seule fois, seul sur la dernière ligne."""
    database_ready()
    from repertoire.accounts import services

    user = _user_named(username)
    with refusals():
        token, secret = services.create_token(user, name=name, actor=author())
    err.print(
        f"Jeton « {token.name} » (n° {token.pk}) créé pour {username}, valable jusqu'au "
        f"{_date(token.expires_at)} ; il ne sera plus affiché."
    )
    print(secret)


def _date(moment) -> str:
    from django.utils import timezone

    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") if moment else "—"


TOKEN_STATES = {"active": "actif", "revoked": "révoqué", "expired": "expiré"}


@tokens_app.command("list")
def tokens_list(
    username: Annotated[str, typer.Argument(help="L'utilisateur dont lister les jetons.")],
) -> None:
    """Les jetons d'un utilisateur : numéro, nom, début, création, dernier usage,
    expiration, état."""
    database_ready()
    from repertoire.accounts.selectors import tokens_of

    user = _user_named(username)
    table = Table("n°", "nom", "début", "créé le", "dernier usage", "expire le", "état")
    for token in tokens_of(user):
        table.add_row(
            str(token.pk),
            token.name,
            f"{token.prefix}…",
            _date(token.created_at),
            _date(token.last_used_at),
            _date(token.expires_at),
            TOKEN_STATES[token.state()],
        )
    out.print(table)


@tokens_app.command("revoke")
def tokens_revoke(
    token_id: Annotated[int, typer.Argument(help="Numéro du jeton (repertoire tokens list).")],
) -> None:
    """Révoque un jeton : toute requête qui le présente est refusée (401)."""
    database_ready()
    from repertoire.accounts import services
    from repertoire.accounts.models import ApiToken

    token = ApiToken.objects.select_related("user").filter(pk=token_id).first()
    if token is None:
        refuse(f"aucun jeton n° {token_id}")
    if services.revoke_token(token, actor=author()):
        out.print(f"Jeton n° {token_id} « {token.name} » de {token.user} révoqué.")
    else:
        out.print(f"Jeton n° {token_id} « {token.name} » de {token.user} déjà révoqué.")


def demo(
    employees: Annotated[int, typer.Option(help="Collaborateurs fictifs par établissement.")] = 150,
) -> None:
    """Réseau de démonstration : deux établissements, un utilisateur par rôle, des
    collaborateurs fictifs ; affiche les identifiants. Jamais en production."""
    bootstrap()
    from django.conf import settings

    from repertoire.positioning import demo as demo_network

    if not settings.REPERTOIRE_DEMO_ALLOWED:
        refuse("la démonstration est refusée avec les réglages de production")
    with refusals():
        credentials = demo_network.create(employees_per_establishment=employees, actor=author())
    table = Table("utilisateur", "rôle", "établissement", "mot de passe")
    for row in credentials:
        table.add_row(*row)
    out.print(table)


@retention_app.command("apply")
def retention_apply(
    years: Annotated[
        int | None, typer.Option(help="Années après le départ (réglage par défaut sinon).")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Compter sans effacer.")] = False,
) -> None:
    """Efface (pseudonymise) les collaborateurs partis depuis plus que la durée fixée, et
    supprime les fichiers de collaborateurs importés ou jamais importés après
    REPERTOIRE_UPLOAD_RETENTION_DAYS jours."""
    database_ready()
    from django.conf import settings

    from repertoire.positioning import services

    years = years if years is not None else settings.REPERTOIRE_RETENTION_YEARS
    ids = services.apply_retention(years=years, dry_run=dry_run)
    verb = "seraient effacés" if dry_run else "effacés"
    out.print(f"{len(ids)} collaborateur(s) partis depuis plus de {years} ans {verb}.")
    days = settings.REPERTOIRE_UPLOAD_RETENTION_DAYS
    files = services.purge_uploads(days=days, dry_run=dry_run)
    verb = "seraient supprimés" if dry_run else "supprimés"
    out.print(
        f"{files} fichier(s) de collaborateurs importés, ou envoyés depuis plus de {days} "
        f"jours sans être importés, {verb}."
    )
