"""The repertoire as data: editions, their grid (criteria, levels, rule) and reference jobs."""

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from repertoire.core.document import DOCUMENT_STATUSES
from repertoire.core.grid import MAX_DEGREE, MAX_LEVEL, MIN_DEGREE, MIN_LEVEL, RULES
from repertoire.core.limits import SHORT_TEXT_MAX
from repertoire.core.rome import PRIMARY as ROME_PRIMARY
from repertoire.core.rome import SECONDARY as ROME_SECONDARY
from repertoire.core.text import to_roman


class Edition(models.Model):
    """One dated edition of the repertoire (édition du répertoire)."""

    class Status(models.TextChoices):
        PROVISIONAL = "provisional", _("provisional")
        OFFICIAL = "official", _("official")

    label = models.CharField(_("label"), max_length=64, unique=True)
    title = models.CharField(_("title"), max_length=300)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    date = models.DateField(_("date"))
    notes = models.JSONField(_("notes"), default=list, blank=True)
    missing_jobs = models.JSONField(_("jobs announced as missing"), default=list, blank=True)
    level_rule = models.CharField(
        _("level rule"), max_length=32, choices=[(code, rule.label) for code, rule in RULES.items()]
    )
    is_current = models.BooleanField(_("current edition"), default=False)
    source_name = models.CharField(_("source file"), max_length=255, blank=True)
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    imported_by = models.CharField(_("imported by"), max_length=150, blank=True)
    # A copy names the edition it was made from; the diff compares them by default.
    based_on = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name=_("copied from"),
    )
    # Publishing freezes the edition: its jobs, texts, degrees and levels no longer change
    # (positionings rest on them); it can only be copied into a new draft.
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.CharField(_("published by"), max_length=150, blank=True)
    # Bumped by every catalog service that writes to the edition's content (jobs, texts,
    # degrees, ROME codes, rule, title, status, publication): the published files are
    # made again, and the indexes and rendered pages cached in any process hold it in
    # their key, so they go stale everywhere at once without being told.
    revision = models.PositiveIntegerField(default=0, editable=False)
    # Bumped by every write to its appellations (learnt from a decision, reviewed,
    # imported, a rebuilt index): the matching and search indexes and the pages hold it in
    # their key too; the published files, which print no appellation, are kept.
    appellations_revision = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("repertoire edition")
        verbose_name_plural = _("repertoire editions")
        ordering = ["-date", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="one_current_edition"
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def document_status(self) -> str:
        """The status in the document's own words (provisoire, officiel)."""
        return DOCUMENT_STATUSES[self.status]

    @property
    def is_frozen(self) -> bool:
        return self.published_at is not None


class Criterion(models.Model):
    """A classifying criterion (critère classant) of an edition."""

    edition = models.ForeignKey(Edition, models.CASCADE, related_name="criteria")
    code = models.SlugField(_("code"), max_length=64)
    label = models.CharField(_("label"), max_length=120)
    description = models.TextField(
        _("what it measures"),
        blank=True,
        max_length=SHORT_TEXT_MAX,
        validators=[MaxLengthValidator(SHORT_TEXT_MAX)],
    )
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["edition", "position"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="unique_criterion_code"),
        ]

    def __str__(self) -> str:
        return self.label


class Level(models.Model):
    """A classification level (niveau de classification), I to VIII."""

    edition = models.ForeignKey(Edition, models.CASCADE, related_name="levels")
    number = models.PositiveSmallIntegerField(_("number"))

    class Meta:
        verbose_name = _("level")
        verbose_name_plural = _("levels")
        ordering = ["edition", "number"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "number"], name="unique_level_number"),
            models.CheckConstraint(
                condition=Q(number__gte=MIN_LEVEL, number__lte=MAX_LEVEL), name="level_in_range"
            ),
        ]

    def __str__(self) -> str:
        return self.roman

    @property
    def roman(self) -> str:
        return to_roman(self.number)


class LevelDefinition(models.Model):
    """One text defining a level; the document prints several variants for some levels."""

    level = models.ForeignKey(Level, models.CASCADE, related_name="definitions")
    paragraphs = models.JSONField(_("paragraphs"))
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        verbose_name = _("level definition")
        verbose_name_plural = _("level definitions")
        ordering = ["level", "position"]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


class ReferenceJob(models.Model):
    """A national reference job (emploi repère) of an edition."""

    edition = models.ForeignKey(Edition, models.CASCADE, related_name="jobs")
    code = models.SlugField(_("code"), max_length=120)
    title = models.CharField(_("title"), max_length=200)
    heading = models.CharField(_("heading as written"), max_length=200)
    level = models.ForeignKey(Level, models.PROTECT, related_name="jobs")
    # The definition text printed under the job; it may belong to another level (copy error).
    level_definition = models.ForeignKey(
        LevelDefinition, models.SET_NULL, null=True, blank=True, related_name="jobs"
    )
    # Ordered lists of {"text": str, "subitems": [str, ...]}.
    missions = models.JSONField(_("purpose and missions"))
    requirements = models.JSONField(_("requirements"))
    position = models.PositiveIntegerField(_("position in the document"))

    class Meta:
        verbose_name = _("reference job")
        verbose_name_plural = _("reference jobs")
        ordering = ["edition", "position"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="unique_job_code"),
            models.UniqueConstraint(fields=["edition", "position"], name="unique_job_position"),
        ]

    def __str__(self) -> str:
        return self.title


class JobDegree(models.Model):
    """The degree (1–8) of a reference job on one criterion."""

    job = models.ForeignKey(ReferenceJob, models.CASCADE, related_name="degrees")
    criterion = models.ForeignKey(Criterion, models.CASCADE, related_name="job_degrees")
    degree = models.PositiveSmallIntegerField(_("degree"))

    class Meta:
        verbose_name = _("degree")
        verbose_name_plural = _("degrees")
        ordering = ["job", "criterion__position"]
        constraints = [
            models.UniqueConstraint(fields=["job", "criterion"], name="unique_job_criterion"),
            models.CheckConstraint(
                condition=Q(degree__gte=MIN_DEGREE, degree__lte=MAX_DEGREE),
                name="degree_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.degree}"


class SommaireEntry(models.Model):
    """A line of the document's sommaire, kept as printed (page numbers included)."""

    edition = models.ForeignKey(Edition, models.CASCADE, related_name="sommaire")
    level_number = models.PositiveSmallIntegerField(_("level"))
    title = models.CharField(_("title"), max_length=200)
    page = models.PositiveIntegerField(_("page"), null=True, blank=True)
    position = models.PositiveIntegerField(_("position"))
    job = models.ForeignKey(
        ReferenceJob, models.SET_NULL, null=True, blank=True, related_name="sommaire_entries"
    )

    class Meta:
        verbose_name = _("sommaire entry")
        verbose_name_plural = _("sommaire entries")
        ordering = ["edition", "position"]

    def __str__(self) -> str:
        return self.title


class Appellation(models.Model):
    """An appellation: another title that means a reference job.

    Curated, typed-in and imported appellations belong to the network. One learnt from an
    establishment's decisions belongs to that establishment (``establishment``) until a
    national administrator promotes it to the network or rejects it; a learnt title that
    already means another job is kept aside as a conflict, for review, and matches nothing.
    """

    class Source(models.TextChoices):
        CURATED = "curated", _("curated list")
        VALIDATED = "validated", _("validated positioning")
        MANUAL = "manual", _("added by hand")

    class Status(models.TextChoices):
        ACTIVE = "active", _("in use")
        CONFLICT = "conflict", _("conflict: the title already means another job")
        REJECTED = "rejected", _("rejected")

    job = models.ForeignKey(ReferenceJob, models.CASCADE, related_name="appellations")
    title = models.CharField(_("title"), max_length=200)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.CharField(_("created by"), max_length=150, blank=True)
    # Null: the network's. Else learnt from this establishment's decisions, used for its
    # employees only.
    establishment = models.ForeignKey(
        "organisation.Establishment",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="appellations",
        verbose_name=_("establishment"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    # For a conflict: the job the title already means.
    conflicting_job = models.ForeignKey(
        ReferenceJob,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("job the title already means"),
    )
    # How many people's decisions taught it (learnt appellations).
    people = models.PositiveIntegerField(_("people"), default=0)

    class Meta:
        verbose_name = _("appellation")
        verbose_name_plural = _("appellations")
        ordering = ["job", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["job", "title"],
                condition=models.Q(establishment__isnull=True),
                name="unique_appellation",
            ),
            models.UniqueConstraint(
                fields=["job", "title", "establishment"],
                condition=models.Q(establishment__isnull=False),
                name="unique_local_appellation",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_national(self) -> bool:
        return self.establishment_id is None


class EditionPairing(models.Model):
    """An administrator's word on what became of a job from one edition to the next:
    this new job is its successor (renamed, rewritten), or none is (retired)."""

    before = models.ForeignKey(Edition, models.CASCADE, related_name="+")
    after = models.ForeignKey(Edition, models.CASCADE, related_name="pairings")
    before_code = models.SlugField(_("job of the earlier edition"), max_length=120)
    # Blank: the job has no successor.
    after_code = models.SlugField(_("job of the later edition"), max_length=120, blank=True)
    decided_by = models.CharField(_("decided by"), max_length=150)
    decided_at = models.DateTimeField(_("decided at"), auto_now=True)

    class Meta:
        verbose_name = _("pairing of jobs between editions")
        verbose_name_plural = _("pairings of jobs between editions")
        constraints = [
            models.UniqueConstraint(
                fields=["before", "after", "before_code"], name="one_pairing_per_job"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.before_code} → {self.after_code or '∅'}"


class JobRome(models.Model):
    """A ROME code of a reference job, in its edition: the primary one or a secondary one.

    Only the code is stored: its title, appellations and ESCO occupations come from the
    ROME referential shipped in the package (``core.rome``), one version for everything
    the application shows, and a change of referential needs no migration of the data.
    """

    class Role(models.TextChoices):
        PRIMARY = ROME_PRIMARY, _("primary")
        SECONDARY = ROME_SECONDARY, _("secondary")

    job = models.ForeignKey(ReferenceJob, models.CASCADE, related_name="rome_codes")
    rome_code = models.CharField(_("ROME code"), max_length=5)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    created_by = models.CharField(_("created by"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("ROME code of a job")
        verbose_name_plural = _("ROME codes of jobs")
        ordering = ["job", "role", "rome_code"]  # primary < secondary
        constraints = [
            models.UniqueConstraint(fields=["job", "rome_code"], name="unique_job_rome_code"),
            models.UniqueConstraint(
                fields=["job"], condition=Q(role=ROME_PRIMARY), name="one_primary_rome_code"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rome_code} ({self.role})"
