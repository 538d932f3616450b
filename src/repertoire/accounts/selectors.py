"""Who the acting user is: role and establishment. Every personal-data selector asks here."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from repertoire.accounts.models import ApiToken, Membership, Role


def role_of(user: AbstractBaseUser | AnonymousUser | None) -> str | None:
    """national, hr, reader; None for anonymous users and users without a role."""
    if user is None or not user.is_authenticated:
        return None
    if user.is_superuser:
        return Role.NATIONAL
    membership = _membership(user)
    return membership.role if membership else None


def establishment_id_of(user) -> int | None:
    """The establishment of an HR officer or reader (None for national administrators)."""
    membership = _membership(user) if user is not None and user.is_authenticated else None
    return membership.establishment_id if membership else None


def _membership(user) -> Membership | None:
    # Django keeps the answer (even "none") on the user object: every selector asks.
    try:
        return user.membership
    except Membership.DoesNotExist:
        return None


def sees_every_establishment(user) -> bool:
    return role_of(user) == Role.NATIONAL


def may_write_personal_data(user, establishment_id: int) -> bool:
    role = role_of(user)
    return role == Role.NATIONAL or (
        role == Role.HR and establishment_id_of(user) == establishment_id
    )


def sees_personal_details(user) -> bool:
    """Readers (staff representatives) see name, job and level, not the rest."""
    return role_of(user) in (Role.NATIONAL, Role.HR)


def tokens_of(user):
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def tokens_managed_by(user):
    """The tokens a user may revoke: their own; every user's for national administrators."""
    if sees_every_establishment(user):
        return ApiToken.objects.select_related("user")
    if user is None or not user.is_authenticated:
        return ApiToken.objects.none()
    return ApiToken.objects.select_related("user").filter(user=user)


def users_managed_by(user):
    """The users a national administrator manages (none for the other roles), with their
    role, establishment and tokens."""
    from django.contrib.auth import get_user_model
    from django.db.models import Prefetch

    User = get_user_model()
    if not sees_every_establishment(user):
        return User.objects.none()
    return (
        User.objects.select_related("membership", "membership__establishment")
        .prefetch_related(Prefetch("api_tokens", ApiToken.objects.order_by("-created_at", "-pk")))
        .order_by("username")
    )


class CommandLineOperator:
    """Whoever runs the ``repertoire`` command on a server: acts as a national
    administrator (they hold the database already), journaled under their login."""

    is_authenticated = True
    is_active = True
    is_superuser = True
    pk = None

    def __init__(self, name: str):
        self.name = name

    def get_username(self) -> str:
        return self.name
