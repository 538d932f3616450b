"""Employees of the establishments, their positionings and appeals: the personal data of
the system. ``Establishment`` lives in ``repertoire.organisation`` (it is imported here,
under its old address too)."""

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from repertoire.core import positioning as rules
from repertoire.core.grid import MAX_LEVEL, MIN_LEVEL
from repertoire.core.limits import LONG_TEXT_MAX, SHORT_TEXT_MAX
from repertoire.locking import etag_of

# Also imported from here by callers that knew it here (positioning sits above organisation).
from repertoire.organisation.models import Establishment
from repertoire.tasks import BackgroundWork, FileStatus, RequestedWork, WorkStatus


class Employee(models.Model):
    """A person employed by an establishment, with the job title payroll gives them."""

    # What identifies the person. The journal keeps these encrypted with the person's own
    # key (``EmployeeKey``); erasing the person destroys the key, so the journal keeps
    # its structure and the anonymous facts (job, service, level) but no identity.
    # What HR may set through the services and the API.
    EDITABLE_FIELDS = (
        "matricule",
        "last_name",
        "first_name",
        "job_title",
        "service",
        "hire_date",
        "departure_date",
        "current_level",
        "job_description",
    )
    PERSONAL_FIELDS = (
        "matricule",
        "last_name",
        "first_name",
        "hire_date",
        "departure_date",
        "job_description",
    )

    establishment = models.ForeignKey(Establishment, models.PROTECT, related_name="employees")
    matricule = models.CharField(_("matricule"), max_length=32)
    last_name = models.CharField(_("last name"), max_length=120)
    first_name = models.CharField(_("first name"), max_length=120, blank=True)
    job_title = models.CharField(_("local job title"), max_length=200)
    service = models.CharField(_("service"), max_length=200, blank=True)
    hire_date = models.DateField(_("hire date"), null=True, blank=True)
    departure_date = models.DateField(_("departure date"), null=True, blank=True)
    current_level = models.PositiveSmallIntegerField(_("current level"), null=True, blank=True)
    job_description = models.TextField(
        _("local job description"),
        blank=True,
        max_length=LONG_TEXT_MAX,
        validators=[MaxLengthValidator(LONG_TEXT_MAX)],
    )
    # Set when the person's identity was erased (right to erasure, retention).
    pseudonymised_at = models.DateTimeField(_("pseudonymised at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        ordering = ["establishment", "last_name", "first_name", "matricule"]
        # Lists page through one establishment in this order: the index hands out a page
        # without sorting the establishment's thousands of people first.
        indexes = [models.Index(fields=ordering, name="employee_list_order")]
        constraints = [
            models.UniqueConstraint(
                fields=["establishment", "matricule"], name="unique_matricule_per_establishment"
            ),
            models.CheckConstraint(
                condition=Q(current_level__isnull=True)
                | Q(current_level__gte=MIN_LEVEL, current_level__lte=MAX_LEVEL),
                name="employee_level_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.last_name} {self.first_name} ({self.matricule})"

    def journal_label(self) -> str:
        """How the journal names the person: no identity in clear."""
        return f"Collaborateur n° {self.pk} ({self.establishment.code})"


def still_employed(path: str = "", today=None) -> Q:
    """Employees neither erased nor gone (``path`` reaches the employee, e.g. "employee__")."""
    from django.utils import timezone

    today = today or timezone.localdate()
    return Q(**{f"{path}pseudonymised_at__isnull": True}) & (
        Q(**{f"{path}departure_date__isnull": True}) | Q(**{f"{path}departure_date__gt": today})
    )


class EmployeeKey(models.Model):
    """The key that encrypts one person's identity in the journal; erased with them."""

    employee = models.OneToOneField(Employee, models.CASCADE, related_name="journal_key")
    key = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("employee's journal key")

    def __str__(self) -> str:
        return f"clé du collaborateur n° {self.employee_id}"


class Positioning(models.Model):
    """An employee placed on a reference job and a level of an edition (positionnement).

    It starts as the matching engine's proposal; HR validates or changes it, notifies
    the employee, who may contest it; the commission then confirms or revises it.
    """

    # The statuses and their order are the core's (core/positioning.py); these are their names.
    class Status(models.TextChoices):
        PROPOSED = rules.PROPOSED, _("proposed")
        VALIDATED = rules.VALIDATED, _("validated")
        NOTIFIED = rules.NOTIFIED, _("notified")
        CONTESTED = rules.CONTESTED, _("contested")
        CONFIRMED = rules.CONFIRMED, _("confirmed")
        REVISED = rules.REVISED, _("revised")

    # Decided: counted in the level distribution handed to the social partners.
    DECIDED = rules.DECIDED
    # HR may still change the job or the level; afterwards only an appeal does.
    OPEN_TO_REVIEW = rules.OPEN_TO_REVIEW

    employee = models.ForeignKey(Employee, models.CASCADE, related_name="positionings")
    edition = models.ForeignKey("catalog.Edition", models.PROTECT, related_name="positionings")
    # Denormalised from the employee: the worklists and reports filter and count by it.
    establishment = models.ForeignKey(Establishment, models.PROTECT, related_name="positionings")
    job = models.ForeignKey(
        "catalog.ReferenceJob", models.PROTECT, null=True, blank=True, related_name="positionings"
    )
    # Or a local job of the establishment, evaluated and validated (no reference job fits).
    evaluation = models.ForeignKey(
        "evaluation.JobEvaluation",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="positionings",
    )
    level = models.PositiveSmallIntegerField(_("level"), null=True, blank=True)
    # A level above the job's own, kept for the person (à titre personnel), and why.
    personal_level_reason = models.TextField(
        _("reason for a personal level"),
        blank=True,
        max_length=SHORT_TEXT_MAX,
        validators=[MaxLengthValidator(SHORT_TEXT_MAX)],
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED
    )
    # The engine's proposals: [{"code", "title", "level", "score", "reason"}], best first.
    proposals = models.JSONField(_("proposals"), default=list)
    confidence = models.FloatField(_("confidence"), default=0.0)
    # The normalised local title: identical titles are reviewed together.
    title_key = models.CharField(_("normalised title"), max_length=200, blank=True)
    comment = models.TextField(
        _("comment"),
        blank=True,
        max_length=SHORT_TEXT_MAX,
        validators=[MaxLengthValidator(SHORT_TEXT_MAX)],
    )
    decided_by = models.CharField(_("decided by"), max_length=150, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    notified_on = models.DateField(_("notified on"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("positioning")
        verbose_name_plural = _("positionings")
        ordering = ["confidence", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "edition"], name="one_positioning_per_employee_and_edition"
            ),
            models.CheckConstraint(
                condition=Q(level__isnull=True) | Q(level__gte=MIN_LEVEL, level__lte=MAX_LEVEL),
                name="positioning_level_in_range",
            ),
        ]
        indexes = [
            models.Index(fields=["establishment", "edition", "status"]),
            models.Index(fields=["establishment", "edition", "title_key"]),
        ]

    def __str__(self) -> str:
        return f"{self.employee.journal_label()} → {self.placed_on or '?'} ({self.status})"

    def journal_label(self) -> str:
        return f"Positionnement du collaborateur n° {self.employee_id}"

    @property
    def placed_on(self) -> str:
        """The job the employee is placed on: a reference job, or an evaluated local job."""
        if self.job_id:
            return self.job.title
        if self.evaluation_id:
            return f"{self.evaluation.title} (emploi local pesé)"
        return ""

    @property
    def is_personal_level(self) -> bool:
        return bool(self.level and self.base_level and self.level > self.base_level)

    @property
    def etag(self) -> str:
        """The decision as a person sees it (status, job, level and its reason): a page's
        decision forms and an API client send it back with their decision, which is refused
        when the positioning was decided otherwise meanwhile."""
        return etag_of(
            self.status, self.job_id, self.evaluation_id, self.level, self.personal_level_reason
        )

    @property
    def base_level(self) -> int | None:
        """The level of the job itself, before any personal level."""
        if self.job_id:
            return self.job.level.number
        if self.evaluation_id:
            return self.evaluation.level
        return None


class PositioningEvent(models.Model):
    """One step of a positioning's history: who did what, when, with which outcome."""

    class Action(models.TextChoices):
        PROPOSE = "propose", _("proposed by the matching engine")
        VALIDATE = "validate", _("validated")
        CHANGE = "change", _("job or level changed")
        COMMENT = "comment", _("comment")
        NOTIFY = "notify", _("notified")
        CONTEST = "contest", _("contested")
        CONFIRM = "confirm", _("confirmed by the commission")
        REVISE = "revise", _("revised by the commission")
        MIGRATE = "migrate", _("proposed from the previous edition")
        CARRY = "carry", _("carried over to the new edition")
        UNDO = "undo", _("bulk acceptance undone")

    positioning = models.ForeignKey(Positioning, models.CASCADE, related_name="events")
    at = models.DateTimeField(_("date"), auto_now_add=True)
    author = models.CharField(_("author"), max_length=150)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    status = models.CharField(_("status"), max_length=12, choices=Positioning.Status.choices)
    job_code = models.CharField(_("job"), max_length=120, blank=True)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    level = models.PositiveSmallIntegerField(_("level"), null=True, blank=True)
    note = models.TextField(
        _("note"),
        blank=True,
        max_length=LONG_TEXT_MAX,
        validators=[MaxLengthValidator(LONG_TEXT_MAX)],
    )
    # The etag of the positioning as the decision's page or API call showed it: the same
    # decision sent again (a double click, a client's retry) is recognised by it.
    seen = models.CharField(_("seen"), max_length=80, blank=True, default="")

    class Meta:
        verbose_name = _("positioning event")
        verbose_name_plural = _("positioning events")
        ordering = ["positioning", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.at:%d/%m/%Y})"


class AcceptanceBatch(models.Model):
    """Positionings decided together from the worklist, undone together as long as none
    of them was notified or decided again since: a bulk acceptance (the proposals at or
    above a confidence, validated) or a group decision (the people of one local title,
    placed on one job)."""

    class Kind(models.TextChoices):
        ACCEPTANCE = "acceptance", _("bulk acceptance")
        GROUP = "group", _("group decision")

    establishment = models.ForeignKey(
        Establishment, models.PROTECT, related_name="acceptance_batches"
    )
    edition = models.ForeignKey("catalog.Edition", models.PROTECT, related_name="+")
    author = models.CharField(_("author"), max_length=150)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind, default=Kind.ACCEPTANCE)
    # The worklist filters it was made with (``WorklistFilters`` names; a group decision's
    # title among them), and a bulk acceptance's cut-off.
    filters = models.JSONField(_("filters"), default=dict)
    threshold = models.FloatField(_("confidence at least"), null=True, blank=True)
    # The job a group decision placed its people on.
    job = models.ForeignKey(
        "catalog.ReferenceJob", models.PROTECT, null=True, blank=True, related_name="+"
    )
    accepted = models.PositiveIntegerField(_("accepted"), default=0)
    # The etag of the proposals the person confirmed (``selectors.selection_etag``): the
    # same confirmation sent again (a double click, a client's retry) is this batch.
    selection = models.CharField(_("selection"), max_length=64, blank=True, default="")
    # Also the ``decided_at`` of every positioning it validated: a later decision shows.
    created_at = models.DateTimeField(_("date"))
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.CharField(_("undone by"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("bulk acceptance")
        verbose_name_plural = _("bulk acceptances")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.journal_label()

    def journal_label(self) -> str:
        if self.kind == self.Kind.GROUP:
            return f"Décision de groupe n° {self.pk}"
        return f"Acceptation groupée n° {self.pk}"


class Notification(models.Model):
    """One confirmed notification: the validated positionings an officer recorded as
    notified together. It keeps the etag of what they confirmed, so that the same
    confirmation sent again (a double click, a client's retry) is answered with what it did
    instead of a refusal saying nothing was notified."""

    establishment = models.ForeignKey(Establishment, models.PROTECT, related_name="+")
    author = models.CharField(_("author"), max_length=150)
    notified_on = models.DateField(_("notified on"))
    notified = models.PositiveIntegerField(_("notified"), default=0)
    selection = models.CharField(_("selection"), max_length=64)
    created_at = models.DateTimeField(_("date"), auto_now_add=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        # Looked up by who confirmed what (``services.notify``).
        indexes = [models.Index(fields=["author", "selection"])]

    def __str__(self) -> str:
        return f"{self.notified} ({self.notified_on:%d/%m/%Y})"


class AcceptedPositioning(models.Model):
    """A positioning a batch decided: its state before (restored by undoing the batch)
    and the decision the batch gave it (undoing is refused once it changed)."""

    batch = models.ForeignKey(AcceptanceBatch, models.CASCADE, related_name="items")
    positioning = models.ForeignKey(Positioning, models.CASCADE, related_name="+")
    previous_status = models.CharField(max_length=12, choices=Positioning.Status.choices)
    previous_decided_by = models.CharField(max_length=150, blank=True)
    previous_decided_at = models.DateTimeField(null=True, blank=True)
    # The job and level proposed before (a group decision places people on another job;
    # None for batches made before they were kept: the job did not change).
    previous_job = models.ForeignKey(
        "catalog.ReferenceJob", models.PROTECT, null=True, blank=True, related_name="+"
    )
    previous_level = models.PositiveSmallIntegerField(null=True, blank=True)
    previous_level_reason = models.TextField(blank=True, default="", max_length=SHORT_TEXT_MAX)
    job = models.ForeignKey("catalog.ReferenceJob", models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("positioning accepted in a batch")
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "positioning"], name="one_item_per_positioning_and_batch"
            )
        ]

    def __str__(self) -> str:
        return f"{self.batch} : positionnement n° {self.positioning_id}"


class Appeal(models.Model):
    """An employee's contestation of a notified positioning (recours), and its decision."""

    class Kind(models.TextChoices):
        EVALUATION = "weighing", _("on the evaluation of the job")
        ATTACHMENT = "attachment", _("on the attachment to the job")
        DEFINITION = "definition", _("on the definition of the job")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CONFIRMED = "confirmed", _("rejected: positioning confirmed")
        REVISED = "revised", _("upheld: positioning revised")

    # Sealed in the journal with the employee's key (audit.services.snapshot).
    PERSONAL_FIELDS = ("argument", "reasoning")

    positioning = models.ForeignKey(Positioning, models.PROTECT, related_name="appeals")
    establishment = models.ForeignKey(Establishment, models.PROTECT, related_name="appeals")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    argument = models.TextField(
        _("employee's argument"),
        max_length=LONG_TEXT_MAX,
        validators=[MaxLengthValidator(LONG_TEXT_MAX)],
    )
    received_on = models.DateField(_("received on"))
    deadline = models.DateField(_("deadline for appealing"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default="open")
    reasoning = models.TextField(
        _("commission's reasoning"),
        blank=True,
        max_length=LONG_TEXT_MAX,
        validators=[MaxLengthValidator(LONG_TEXT_MAX)],
    )
    opened_by = models.CharField(_("opened by"), max_length=150)
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    decided_by = models.CharField(_("decided by"), max_length=150, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-opened_at", "-pk"]
        indexes = [models.Index(fields=["establishment", "status"])]
        constraints = [
            # An employee contests a positioning once at a time (the services lock the
            # positioning; this holds whatever writes the table).
            models.UniqueConstraint(
                fields=["positioning"],
                condition=Q(status="open"),
                name="one_open_appeal_per_positioning",
            )
        ]

    def __str__(self) -> str:
        return f"Recours n° {self.pk} ({self.get_status_display()})"

    def journal_label(self) -> str:
        return f"Recours n° {self.pk} du collaborateur n° {self.positioning.employee_id}"


class EmployeeImport(BackgroundWork):
    """An employee file uploaded for an establishment: analysed, previewed, then committed."""

    class Status(models.TextChoices):
        ANALYSING = "analysing", _("being analysed")
        READY = "ready", _("ready to import")
        INVALID = "invalid", _("errors to fix")
        IMPORTING = "importing", _("being imported")
        DONE = "done", _("imported")
        FAILED = "failed", _("failed")

    RUNNING_STATUSES = (Status.ANALYSING, Status.IMPORTING)

    establishment = models.ForeignKey(Establishment, models.CASCADE, related_name="imports")
    filename = models.CharField(_("file name"), max_length=255)
    # Kept until committed: every app server can analyse or import it.
    content = models.BinaryField(_("content"), editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    # What the analysis found: counts, per-row errors, the first changes (see services).
    report = models.JSONField(_("report"), default=dict)
    created_by = models.CharField(_("uploaded by"), max_length=150)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    committed_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    # The reference date of the file's pay data (its year is the pay records' year);
    # None when the file has no pay columns.
    pay_date = models.DateField(_("reference date of the pay data"), null=True, blank=True)

    class Meta:
        verbose_name = _("employee import")
        verbose_name_plural = _("employee imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.establishment.code})"


class LetterBatch(RequestedWork):
    """An establishment's decision letters in one PDF, typeset in the background
    (about a third of a second per letter: a large establishment takes minutes)."""

    Status = FileStatus

    establishment = models.ForeignKey(Establishment, models.CASCADE, related_name="letter_batches")
    # Which letters: validated or notified positionings, optionally one status, one service.
    positioning_status = models.CharField(_("positioning status"), max_length=12, blank=True)
    service = models.CharField(_("service"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices)
    letters = models.PositiveIntegerField(_("letters"), default=0)
    content = models.BinaryField(_("content"), null=True, editable=False)

    class Meta:
        verbose_name = _("letter batch")
        verbose_name_plural = _("letter batches")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"Lettres {self.establishment.code} n° {self.pk}"


class EstablishmentMigration(RequestedWork):
    """An establishment's positionings migrated to the edition in force, in the
    background (every employee's title is matched: minutes for a large establishment)."""

    Status = WorkStatus

    establishment = models.ForeignKey(Establishment, models.CASCADE, related_name="migrations")
    source = models.ForeignKey(
        "catalog.Edition", models.PROTECT, related_name="+", verbose_name=_("from edition")
    )
    target = models.ForeignKey(
        "catalog.Edition", models.PROTECT, related_name="+", verbose_name=_("to edition")
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices)
    # The counts of the migration once done (see services.migration.MigrationResult).
    result = models.JSONField(_("result"), default=dict)

    class Meta:
        verbose_name = _("establishment migration")
        verbose_name_plural = _("establishment migrations")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"Migration {self.establishment.code} n° {self.pk}"


class EditionPublication(RequestedWork):
    """A draft edition published and the open campaign carried over to it, in the
    background (24,000 positionings: seconds of writing). One at a time in the network:
    publishing decides which edition is in force."""

    Status = WorkStatus

    edition = models.ForeignKey(
        "catalog.Edition", models.PROTECT, related_name="+", verbose_name=_("edition")
    )
    # The edition's status once published (official or provisional), as confirmed.
    edition_status = models.CharField(_("status once published"), max_length=20)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices)
    # The counts of the carry-over once done (see services.publication.CarryOverResult),
    # and the edition it came from ("from": its label; empty without a campaign).
    result = models.JSONField(_("result"), default=dict)

    class Meta:
        verbose_name = _("edition publication")
        verbose_name_plural = _("edition publications")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # Safety net under the services' lock: never two in flight for one edition.
            models.UniqueConstraint(
                fields=["edition"],
                condition=Q(status__in=["pending", "running"]),
                name="one_publication_in_flight_per_edition",
            )
        ]

    def __str__(self) -> str:
        return f"Publication {self.edition.label} n° {self.pk}"


class PayRecord(models.Model):
    """One person's pay for a reference year, as their establishment's employee file gave it.

    Personal data (sex and pay): read by national administrators and the establishment's HR
    only, sealed in the journal with the person's key, erased with the person. One record
    per person and year: a later import for another year keeps the earlier years.
    """

    class Sex(models.TextChoices):
        WOMAN = "F", _("woman")
        MAN = "M", _("man")

    # Sealed in the journal with the employee's key (audit.services.snapshot).
    PERSONAL_FIELDS = ("sex", "base_pay", "variable_pay", "working_time")

    employee = models.ForeignKey(Employee, models.CASCADE, related_name="pay_records")
    year = models.PositiveSmallIntegerField(_("reference year"))
    reference_date = models.DateField(_("reference date of the pay data"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    # Annual gross amounts as paid (not full-time equivalent), in euros.
    base_pay = models.DecimalField(_("annual gross base pay"), max_digits=12, decimal_places=2)
    variable_pay = models.DecimalField(
        _("annual gross variable pay"), max_digits=12, decimal_places=2, default=0
    )
    # Share of full time, in (0, 1].
    working_time = models.DecimalField(_("share of full time"), max_digits=5, decimal_places=4)
    source = models.ForeignKey(
        EmployeeImport, models.SET_NULL, null=True, blank=True, related_name="pay_records"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("pay record")
        verbose_name_plural = _("pay records")
        ordering = ["employee", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "year"], name="one_pay_record_a_year"),
            models.CheckConstraint(
                condition=Q(working_time__gt=0, working_time__lte=1),
                name="pay_working_time_share",
            ),
            models.CheckConstraint(
                condition=Q(base_pay__gte=0, variable_pay__gte=0), name="pay_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"rémunération {self.year} du collaborateur n° {self.employee_id}"
