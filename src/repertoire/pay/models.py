"""What an employer did about a flagged pay gap: a justification by objective,
gender-neutral criteria, or a remedy (article 10 of Directive (EU) 2023/970)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from repertoire.organisation.models import Establishment


class GapAction(models.Model):
    """A justification or a remedy recorded for one category of workers of a report."""

    class Kind(models.TextChoices):
        JUSTIFICATION = "justification", _("justification")
        REMEDY = "remedy", _("remedy")

    TEXT_MAX_LENGTH = 4000

    # None: the network's report.
    establishment = models.ForeignKey(
        Establishment,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="pay_gap_actions",
        verbose_name=_("establishment"),
    )
    year = models.PositiveSmallIntegerField(_("reference year"))
    # The category's label as the report shows it ("niveau IV", or a job's title).
    category = models.CharField(_("category of workers"), max_length=300)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    text = models.TextField(_("text"), max_length=TEXT_MAX_LENGTH)
    decided_on = models.DateField(_("decided on"))
    author = models.CharField(_("author"), max_length=150)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("gap action")
        verbose_name_plural = _("gap actions")
        ordering = ["year", "category", "decided_on", "pk"]
        indexes = [models.Index(fields=["establishment", "year"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.category} ({self.year})"

    def journal_label(self) -> str:
        place = self.establishment.code if self.establishment_id else "réseau"
        return f"Écart de rémunération {self.year}, {self.category} ({place})"
