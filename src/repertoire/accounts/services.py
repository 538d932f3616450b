"""Writes of the accounts app: users with a role, API tokens, passwords; sign-ins. Each
journaled."""

from __future__ import annotations

import secrets
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.signals import post_save, pre_save
from django.utils import timezone

from repertoire.accounts.models import ApiToken, Membership, Role, token_digest
from repertoire.audit.models import JournalEntry
from repertoire.audit.services import record, snapshot
from repertoire.core.refusals import Refused
from repertoire.organisation.models import Establishment
from repertoire.web import client_address

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
    """A new named token for the user: returns it and its secret, shown this once.

    It expires ``REPERTOIRE_TOKEN_DAYS`` days from now (the date is kept on the token)."""
    if not user.is_active:
        raise AccountError(problems={"user": f"l'utilisateur « {user} » est désactivé"})
    name = name.strip()[:100] or "api"
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        digest=token_digest(secret),
        prefix=secret[:8],
        expires_at=timezone.now() + timedelta(days=settings.REPERTOIRE_TOKEN_DAYS),
    )
    record(actor=actor, action="token.create", instance=token, after=snapshot(token))
    return token, secret


@transaction.atomic
def revoke_token(token: ApiToken, *, actor: str, reason: str = "") -> bool:
    """Revoke one token (journaled with the reason); False if it was revoked already."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return False
    before = snapshot(token)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    after = {**snapshot(token), "reason": reason} if reason else snapshot(token)
    record(actor=actor, action="token.revoke", instance=token, before=before, after=after)
    return True


def revoke_tokens_of(user, *, actor: str, reason: str) -> int:
    """Revoke every token of the user still in use; how many were."""
    with transaction.atomic():
        tokens = list(ApiToken.objects.filter(user=user, revoked_at__isnull=True))
        return sum(revoke_token(token, actor=actor, reason=reason) for token in tokens)


def user_for_token(secret: str):
    """The user a bearer token belongs to, or None (unknown, revoked, expired, or its
    user deactivated)."""
    now = timezone.now()
    try:
        # The membership with it: every personal-data selector asks for it next.
        token = ApiToken.objects.select_related("user", "user__membership").get(
            digest=token_digest(secret),
            revoked_at__isnull=True,
            expires_at__gt=now,
            user__is_active=True,
        )
    except ApiToken.DoesNotExist:
        return None
    # Written at most once a minute: tokens are used on every API call.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


# --- passwords, deactivation ---------------------------------------------------------------

_acting: ContextVar[str | None] = ContextVar("repertoire_acting", default=None)


@contextmanager
def acting_as(actor: str):
    """Who the journal names for changes made to users inside the block (a command's
    operator); without it, the user themselves (the password change page)."""
    token = _acting.set(actor)
    try:
        yield
    finally:
        _acting.reset(token)


def change_password(user, password: str, *, actor: str) -> None:
    """Set a user's password (validated); their tokens are revoked, as on every change."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise AccountError(
            problems={"password": "mot de passe refusé : " + " ".join(exc.messages)}
        ) from exc
    with acting_as(actor), transaction.atomic():
        user.set_password(password)
        user.save()


def deactivate_user(user, *, actor: str) -> None:
    """The user may no longer sign in; their tokens are revoked."""
    with acting_as(actor), transaction.atomic():
        user.is_active = False
        user.save(update_fields=["is_active"])


def _remember_credentials(sender, instance, raw=False, update_fields=None, **kwargs):
    """Before a user is saved: whether it was active (a deactivation revokes tokens)."""
    if raw or instance.pk is None:
        return
    if update_fields is not None and "is_active" not in update_fields:
        return
    instance._was_active = (
        type(instance)
        ._base_manager.filter(pk=instance.pk)
        .values_list("is_active", flat=True)
        .first()
    )


def _credentials_changed(sender, instance, created, raw=False, **kwargs):
    """After a user is saved, by whatever path (the password change page, a command,
    Django's ``changepassword``): a new password or a deactivation is journaled and
    revokes the user's tokens.

    A new password is one given through ``set_password``: Django keeps it (``_password``)
    until the save; a hash upgraded at sign-in is saved without it and changes nothing."""
    was_active = instance.__dict__.pop("_was_active", None)
    if raw or created:
        return
    actor = _acting.get() or instance.get_username()
    if getattr(instance, "_password", None) is not None:
        record(actor=actor, action="user.password_change", instance=instance)
        revoke_tokens_of(instance, actor=actor, reason="password_change")
    if was_active and not instance.is_active:
        record(
            actor=actor,
            action="user.deactivate",
            instance=instance,
            before={"is_active": True},
            after={"is_active": False},
        )
        revoke_tokens_of(instance, actor=actor, reason="deactivation")


# --- sign-ins ---------------------------------------------------------------------------------


def _signed_in(sender, request, user, **kwargs):
    record(
        actor=user.get_username(),
        action="user.sign_in",
        instance=user,
        after={"address": client_address(request) if request is not None else None},
    )


def _signed_out(sender, request, user, **kwargs):
    if user is None:
        return
    record(
        actor=user.get_username(),
        action="user.sign_out",
        instance=user,
        after={"address": client_address(request) if request is not None else None},
    )


def _sign_in_failed(sender, credentials, request=None, **kwargs):
    """A failed sign-in: the name tried and the address, never what was typed as password."""
    User = get_user_model()
    username = str(credentials.get(User.USERNAME_FIELD) or credentials.get("username") or "")
    username = username[:150]
    user = User._default_manager.filter(**{User.USERNAME_FIELD: username}).first()
    JournalEntry.objects.create(
        actor=username or "?",
        action="user.sign_in_failed",
        object_type=User._meta.label_lower,
        object_id=str(user.pk) if user else "",
        object_repr=username,
        after={"address": client_address(request) if request is not None else None},
    )


def connect_signals() -> None:
    """Called once when the app is ready (``AccountsConfig.ready``)."""
    User = get_user_model()
    pre_save.connect(_remember_credentials, sender=User, dispatch_uid="accounts.credentials.pre")
    post_save.connect(_credentials_changed, sender=User, dispatch_uid="accounts.credentials")
    user_logged_in.connect(_signed_in, dispatch_uid="accounts.signed_in")
    user_logged_out.connect(_signed_out, dispatch_uid="accounts.signed_out")
    user_login_failed.connect(_sign_in_failed, dispatch_uid="accounts.sign_in_failed")
