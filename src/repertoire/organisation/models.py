"""The network's establishments (CCI): what accounts, the journal and every personal-data
app hang their scope on. Lowest of the Django apps: it imports none of them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Establishment(models.Model):
    """One chamber of the network; it owns its employees (établissement)."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("establishment")
        verbose_name_plural = _("establishments")
        ordering = ["code"]
        # The table the positioning app created, kept as it was when the model moved
        # here: moving it copied no row and renamed nothing.
        db_table = "positioning_establishment"

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"
