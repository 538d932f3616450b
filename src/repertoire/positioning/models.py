"""Establishments (CCI) and their employees: the personal data of the system."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from repertoire.core.grid import MAX_LEVEL, MIN_LEVEL


class Establishment(models.Model):
    """One chamber of the network; it owns its employees (établissement)."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("establishment")
        verbose_name_plural = _("establishments")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


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
    job_description = models.TextField(_("local job description"), blank=True)
    # Set when the person's identity was erased (right to erasure, retention).
    pseudonymised_at = models.DateTimeField(_("pseudonymised at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        ordering = ["establishment", "last_name", "first_name", "matricule"]
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


class EmployeeKey(models.Model):
    """The key that encrypts one person's identity in the journal; erased with them."""

    employee = models.OneToOneField(Employee, models.CASCADE, related_name="journal_key")
    key = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"clé du collaborateur n° {self.employee_id}"
