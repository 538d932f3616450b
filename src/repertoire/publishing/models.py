"""Exports of a whole edition, built in the background and kept for download."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from repertoire.catalog.models import Edition
from repertoire.tasks import FileStatus, RequestedWork


class Publication(RequestedWork):
    """One file of an edition in one format (PDF, Word, Excel, HTML), and its progress."""

    Status = FileStatus

    edition = models.ForeignKey(Edition, models.CASCADE, related_name="publications")
    format = models.CharField(_("format"), max_length=8)
    # The rule the sheets explain levels by: a file made under another rule is not reused.
    level_rule = models.CharField(_("level rule"), max_length=32)
    # The edition's content revision the file was asked for at: every write to the
    # edition's content bumps it, and a file made for another revision is not handed out.
    revision = models.PositiveIntegerField(_("edition revision"), default=0)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices)
    # Kept in the database: every app server of a deployment can hand it out.
    content = models.BinaryField(_("content"), null=True, editable=False)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["edition", "format", "status"])]

    def __str__(self) -> str:
        return f"{self.edition} ({self.format})"
