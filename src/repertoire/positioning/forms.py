"""Forms of the positioning pages: they check the input; the services apply the rules."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from repertoire.core.grid import MAX_LEVEL, MIN_LEVEL
from repertoire.core.limits import LONG_TEXT_MAX, SHORT_TEXT_MAX
from repertoire.core.text import to_roman
from repertoire.positioning.models import Appeal, Positioning
from repertoire.positioning.selectors import bulk_accept_threshold

LEVEL_CHOICES = [("", "—")] + [
    (number, to_roman(number)) for number in range(MIN_LEVEL, MAX_LEVEL + 1)
]


class WorklistFilterForm(forms.Form):
    q = forms.CharField(label=_("Name, matricule or job title"), required=False, max_length=100)
    service = forms.ChoiceField(label=_("Service"), required=False)
    statut = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("all")), *list(Positioning.Status.choices)],
    )
    emploi = forms.ChoiceField(label=_("Reference job"), required=False)
    niveau = forms.TypedChoiceField(
        label=_("Level"), required=False, coerce=int, empty_value=None, choices=LEVEL_CHOICES
    )

    def __init__(self, *args, services: list[str] | None, jobs, **kwargs):
        """``services`` None: the user may not see services, nor filter or search by them."""
        super().__init__(*args, **kwargs)
        if services is None:
            del self.fields["service"]
            self.fields["q"].label = _("Name or job title")
        else:
            self.fields["service"].choices = [("", _("all"))] + [(s, s) for s in services]
        self.fields["emploi"].choices = [("", _("all"))] + [(job.code, job.title) for job in jobs]


class BulkAcceptForm(forms.Form):
    threshold = forms.FloatField(
        label=_("Confidence at least"),
        min_value=0.5,
        max_value=1.0,
        initial=bulk_accept_threshold,
        widget=forms.NumberInput(attrs={"step": "0.01"}),
    )


class JobChoiceField(forms.CharField):
    """A reference job typed or picked from the list (its code or its exact title)."""

    def __init__(self, *args, jobs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.jobs = list(jobs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return ""
        for job in self.jobs:
            if value in (job.code, job.title) or value.casefold() == job.title.casefold():
                return job.code
        raise forms.ValidationError(
            _("No reference job is called “%(value)s”."), params={"value": value}
        )


class GroupDecisionForm(forms.Form):
    title_key = forms.CharField(widget=forms.HiddenInput, max_length=200)
    job = JobChoiceField(label=_("Reference job"))
    # How many people the button named: another count now decides nobody.
    attendu = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=10**9)

    def __init__(self, *args, jobs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["job"].jobs = list(jobs)


class DecisionForm(forms.Form):
    """Change the job, or keep a personal level above the job's."""

    job = JobChoiceField(label=_("Reference job"))
    personal_level = forms.TypedChoiceField(
        label=_("Personal level (above the job's)"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=LEVEL_CHOICES,
    )
    reason = forms.CharField(
        label=_("Reason for a personal level"),
        required=False,
        max_length=SHORT_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=SHORT_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, jobs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["job"].jobs = list(jobs)


class EvaluationPlacementForm(forms.Form):
    """Place the employee on a validated evaluation of a local job of their establishment."""

    evaluation = forms.TypedChoiceField(label=_("Evaluated local job"), coerce=int)
    personal_level = DecisionForm.base_fields["personal_level"]
    reason = DecisionForm.base_fields["reason"]
    comment = DecisionForm.base_fields["comment"]

    def __init__(self, *args, evaluations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evaluation"].choices = [
            (
                evaluation.pk,
                f"{evaluation.title} — v{evaluation.number} — "
                + _("level %(level)s") % {"level": to_roman(evaluation.level)},
            )
            for evaluation in evaluations
        ]


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"), max_length=SHORT_TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )


def not_in_the_future(day) -> None:
    """A letter received or a decision taken is dated today at the latest."""
    if day > timezone.localdate():
        raise ValidationError(_("This date has not come yet."))


class AppealForm(forms.Form):
    kind = forms.ChoiceField(label=_("The appeal is"), choices=Appeal.Kind.choices)
    argument = forms.CharField(
        label=_("Employee's argument"),
        max_length=LONG_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    received_on = forms.DateField(
        label=_("Received on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[not_in_the_future],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_on"].widget.attrs["max"] = timezone.localdate().isoformat()


class AppealDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision of the commission"),
        choices=[
            (Appeal.Status.CONFIRMED, Appeal.Status.CONFIRMED.label),
            (Appeal.Status.REVISED, Appeal.Status.REVISED.label),
        ],
        widget=forms.RadioSelect,
    )
    reasoning = forms.CharField(
        label=_("Reasoning"), max_length=LONG_TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )
    job = JobChoiceField(label=_("Reference job (if revised)"), required=False)
    personal_level = DecisionForm.base_fields["personal_level"]
    reason = DecisionForm.base_fields["reason"]
    decided_on = forms.DateField(
        label=_("Date of the commission's decision"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[not_in_the_future],
    )

    def __init__(self, *args, jobs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["job"].jobs = list(jobs)
        self.fields["decided_on"].widget.attrs["max"] = timezone.localdate().isoformat()


# File types HR systems export; anything else is refused before it is read.
IMPORT_EXTENSIONS = ["csv", "txt", "tsv", "xlsx"]


class EmployeeFileForm(forms.Form):
    file = forms.FileField(
        label=_("Employee file (CSV or Excel .xlsx)"),
        validators=[FileExtensionValidator(IMPORT_EXTENSIONS)],
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.tsv,.xlsx"}),
    )
    # Required when the file carries pay (checked on its header in ``clean``).
    pay_date = forms.DateField(
        label=_("Reference date of the pay"),
        required=False,
        help_text=_(
            "When the file gives each person's pay (sex, annual base and variable pay, "
            "working time): the date that pay refers to. Its year is the year of the pay "
            "records; a later file for the same year replaces them."
        ),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from repertoire.positioning.services import default_pay_date

        self.fields["pay_date"].initial = default_pay_date()

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is not None and cleaned.get("pay_date") is None and _carries_pay(upload):
            self.add_error(
                "pay_date",
                _("The file gives pay: enter the reference date of that pay."),
            )
        return cleaned

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.REPERTOIRE_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is too large (%(size)s MB; %(limit)s MB at most)."),
                params={
                    "size": upload.size // 2**20,
                    "limit": settings.REPERTOIRE_MAX_UPLOAD_BYTES // 2**20,
                },
            )
        # A decompression bomb or a damaged file is refused before it is kept.
        from repertoire.core.payroll import PayrollFileError, check_file

        try:
            check_file(upload.read())
        except PayrollFileError as exc:
            raise forms.ValidationError(str(exc)) from None
        finally:
            upload.seek(0)
        return upload


def _carries_pay(upload) -> bool:
    """Whether an uploaded file has pay columns, read from its header (an unreadable file
    is told by its analysis)."""
    from repertoire.core.payroll import PayrollFileError, read_payroll

    content = upload.read()
    upload.seek(0)
    try:
        return bool(read_payroll(content, upload.name, header_only=True).pay_columns)
    except PayrollFileError:
        return False
