"""Evaluations of local jobs (pesées): an establishment's job scored on the edition's criteria."""

from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from repertoire.core import evaluation as rules
from repertoire.core.limits import LONG_TEXT_MAX
from repertoire.locking import etag_of


class JobEvaluation(models.Model):
    """A local job evaluated with the criteria and the rule of an edition.

    Edited as a draft, submitted by the establishment's HR, validated or sent back by a
    national administrator. A validated evaluation is frozen: revising it makes a new
    version (``revision_of``), so that what positionings rest on never moves.
    """

    # An evaluation (pesée) is feminine in French: its statuses have their own context.
    class Status(models.TextChoices):
        DRAFT = rules.DRAFT, pgettext_lazy("evaluation", "draft")
        SUBMITTED = rules.SUBMITTED, pgettext_lazy("evaluation", "submitted")
        VALIDATED = rules.VALIDATED, pgettext_lazy("evaluation", "validated")
        RETURNED = rules.RETURNED, pgettext_lazy("evaluation", "sent back")

    establishment = models.ForeignKey(
        "organisation.Establishment", models.PROTECT, related_name="evaluations"
    )
    edition = models.ForeignKey("catalog.Edition", models.PROTECT, related_name="evaluations")
    title = models.CharField(_("local job title"), max_length=200)
    missions = models.TextField(
        _("purpose and missions"),
        blank=True,
        max_length=LONG_TEXT_MAX,
        validators=[MaxLengthValidator(LONG_TEXT_MAX)],
    )
    # {criterion code: degree}; {criterion code: why this degree}.
    degrees = models.JSONField(_("degrees"), default=dict)
    # A draft may leave them empty; submitting requires one per criterion.
    justifications = models.JSONField(_("justifications"), default=dict, blank=True)
    # The result under the edition's rule when last saved (kept: the rule may change).
    level = models.PositiveSmallIntegerField(_("level"), null=True, blank=True)
    rule = models.CharField(_("level rule"), max_length=32, blank=True)
    explanation = models.TextField(
        _("explanation"),
        blank=True,
        max_length=LONG_TEXT_MAX,
        validators=[MaxLengthValidator(LONG_TEXT_MAX)],
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    revision_of = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="revisions"
    )
    number = models.PositiveSmallIntegerField(_("version number"), default=1)
    created_by = models.CharField(_("created by"), max_length=150)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_by = models.CharField(_("decided by"), max_length=150, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("job evaluation")
        verbose_name_plural = _("job evaluations")
        ordering = ["establishment", "title", "-number"]
        indexes = [models.Index(fields=["establishment", "status"])]

    def __str__(self) -> str:
        return f"{self.title} (v{self.number}, {self.establishment.code})"

    def journal_label(self) -> str:
        return f"Pesée n° {self.pk} « {self.title} » v{self.number} ({self.establishment.code})"

    @property
    def is_frozen(self) -> bool:
        return self.status in (self.Status.SUBMITTED, self.Status.VALIDATED)

    @property
    def etag(self) -> str:
        """The evaluation as a person sees it (status, texts, degrees, justifications): the
        form and an API client send it back with their changes, which are refused when
        someone else changed it meanwhile (``locking.etag_of``)."""
        return etag_of(
            self.status,
            self.title,
            self.missions,
            sorted(self.degrees.items()),
            sorted(self.justifications.items()),
        )


class EvaluationEvent(models.Model):
    """One step of an evaluation's history: who changed or decided what, and when."""

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        EDIT = "edit", _("changed")
        SUBMIT = "submit", _("submitted")
        VALIDATE = "validate", pgettext_lazy("evaluation", "validated")
        RETURN = "return", pgettext_lazy("evaluation", "sent back")
        COMMENT = "comment", _("comment")
        REVISE = "revise", _("new version")

    evaluation = models.ForeignKey(JobEvaluation, models.CASCADE, related_name="events")
    at = models.DateTimeField(_("date"), auto_now_add=True)
    author = models.CharField(_("author"), max_length=150)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    status = models.CharField(_("status"), max_length=10, choices=JobEvaluation.Status.choices)
    # The degrees and level after the step; for changes, what changed.
    degrees = models.JSONField(_("degrees"), default=dict)
    level = models.PositiveSmallIntegerField(_("level"), null=True, blank=True)
    changes = models.JSONField(_("changes"), default=dict)
    note = models.TextField(
        _("note"),
        blank=True,
        max_length=LONG_TEXT_MAX,
        validators=[MaxLengthValidator(LONG_TEXT_MAX)],
    )

    class Meta:
        verbose_name = _("evaluation event")
        verbose_name_plural = _("evaluation events")
        ordering = ["evaluation", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.at:%d/%m/%Y})"
