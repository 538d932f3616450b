"""Writes of the accounts app: users with a role, API tokens. Each journaled."""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from repertoire.accounts.models import ApiToken, Membership, Role, token_digest
from repertoire.audit.services import record, snapshot
from repertoire.core.refusals import Refused
from repertoire.organisation.models import Establishment

TOKEN_PREFIX = "rep_"


class AccountError(Refused):
    """A user or a token refused: unknown role, role without its establishment, name
    taken, password the validators reject."""


@transaction.atomic
def create_user(
    username: str, *, role: str, password: str, establishment: Establishment | None, actor: str
):
    """A user with a role; HR officers and readers belong to exactly one establishment.

    The password goes through the password validators (Django's, as configured).
    """
    if role not in Role.values:
        raise AccountError(
            problems={"role": f"rôle inconnu « {role} » (rôles : {', '.join(Role.values)})"}
        )
    if role == Role.NATIONAL and establishment is not None:
        raise AccountError(
            problems={
                "establishment": "un administrateur national n'est rattaché à aucun établissement"
            }
        )
    if role != Role.NATIONAL and establishment is None:
        raise AccountError(
            problems={"establishment": f"le rôle « {role} » demande un établissement"}
        )
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise AccountError(problems={"username": f"l'utilisateur « {username} » existe déjà"})
    user = User(username=username)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise AccountError(
            problems={"password": "mot de passe refusé : " + " ".join(exc.messages)}
        ) from exc
    user.set_password(password)
    user.save()
    Membership.objects.create(user=user, role=role, establishment=establishment)
    record(
        actor=actor,
        action="user.create",
        instance=user,
        after={
            **snapshot(user),
            "role": role,
            "establishment": getattr(establishment, "code", None),
        },
        establishment=establishment,
    )
    return user


@transaction.atomic
def create_token(user, *, name: str, actor: str) -> tuple[ApiToken, str]:
    """A new named token for the user: returns it and its secret, shown this once."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, digest=token_digest(secret), prefix=secret[:8]
    )
    record(actor=actor, action="token.create", instance=token, after=snapshot(token))
    return token, secret


@transaction.atomic
def revoke_token(token: ApiToken, *, actor: str) -> None:
    before = snapshot(token)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record(actor=actor, action="token.revoke", instance=token, before=before, after=snapshot(token))


def user_for_token(secret: str):
    """The user a bearer token belongs to, or None (unknown or revoked)."""
    try:
        # The membership with it: every personal-data selector asks for it next.
        token = ApiToken.objects.select_related("user", "user__membership").get(
            digest=token_digest(secret), revoked_at__isnull=True, user__is_active=True
        )
    except ApiToken.DoesNotExist:
        return None
    # Written at most once a minute: tokens are used on every API call.
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
