"""Who may do what: a role per user, an establishment for HR and readers, API tokens."""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    NATIONAL = "national", _("national administrator")
    HR = "hr", _("establishment HR")
    READER = "reader", _("establishment reader")


class Membership(models.Model):
    """A user's role, and the establishment whose people they work with."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="membership")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    establishment = models.ForeignKey(
        "organisation.Establishment",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            # National administrators see every establishment; the others, exactly one.
            models.CheckConstraint(
                condition=Q(role="national", establishment__isnull=True)
                | Q(role__in=["hr", "reader"], establishment__isnull=False),
                name="establishment_matches_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(models.Model):
    """A named API token; only its digest is kept (the token is shown once)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("beginning"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    # Set at creation (REPERTOIRE_TOKEN_DAYS); a token past it is refused like a revoked one.
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["user", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def journal_label(self) -> str:
        return f"{self.name} ({self.prefix}…) de {self.user}"

    def state(self, now=None) -> str:
        """active, revoked or expired."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is None or self.expires_at <= (now or timezone.now()):
            return "expired"
        return "active"
