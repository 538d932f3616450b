"""Forms of the consultation pages (GET forms: every result page has a shareable URL)."""

from __future__ import annotations

import contextlib

from django import forms
from django.utils.translation import gettext_lazy as _

from repertoire.catalog.models import Criterion, Edition
from repertoire.core.grid import MAX_DEGREE, MAX_LEVEL, MIN_DEGREE, MIN_LEVEL
from repertoire.core.limits import LONG_TEXT_MAX
from repertoire.core.refusals import Refused
from repertoire.core.search import MAX_QUERY_LENGTH
from repertoire.core.text import to_roman
from repertoire.web import problems_of

DEGREE_CHOICES = [("", "—")] + [(str(d), str(d)) for d in range(MIN_DEGREE, MAX_DEGREE + 1)]
RESULTS_PER_PAGE = 20
MAX_COMPARED = 4


class SearchForm(forms.Form):
    """Words, levels, and a degree range per criterion of the edition."""

    q = forms.CharField(
        label=_("What are you looking for?"), max_length=MAX_QUERY_LENGTH, required=False
    )
    niveau = forms.TypedMultipleChoiceField(
        label=_("Levels"),
        choices=[(n, to_roman(n)) for n in range(MIN_LEVEL, MAX_LEVEL + 1)],
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, data, criteria: list[Criterion]):
        super().__init__(data)
        self.criteria = criteria
        for criterion in criteria:
            for bound, label in (("min", _("from degree")), ("max", _("to degree"))):
                self.fields[f"{criterion.code}_{bound}"] = forms.TypedChoiceField(
                    label=f"{criterion.label} : {label}",
                    choices=DEGREE_CHOICES,
                    coerce=int,
                    empty_value=None,
                    required=False,
                )

    def clean(self):
        data = super().clean()
        for criterion in self.criteria:
            low, high = data.get(f"{criterion.code}_min"), data.get(f"{criterion.code}_max")
            if low is not None and high is not None and low > high:
                self.add_error(
                    f"{criterion.code}_max",
                    _("The upper degree must not be below the lower degree."),
                )
        return data

    def degree_fields(self):
        """Per criterion: (criterion, lower bound field, upper bound field), for the template."""
        return [
            (criterion, self[f"{criterion.code}_min"], self[f"{criterion.code}_max"])
            for criterion in self.criteria
        ]

    def degree_ranges(self) -> dict[str, tuple[int, int]]:
        ranges = {}
        for criterion in self.criteria:
            low = self.cleaned_data.get(f"{criterion.code}_min")
            high = self.cleaned_data.get(f"{criterion.code}_max")
            if low is not None or high is not None:
                ranges[criterion.code] = (low or MIN_DEGREE, high or MAX_DEGREE)
        return ranges

    @property
    def filtered(self) -> bool:
        return bool(self.cleaned_data.get("niveau") or self.degree_ranges())


# --- preparing an edition (national administrators) -------------------------------------------


class CopyEditionForm(forms.Form):
    label = forms.CharField(
        label=_("Label of the new edition"),
        max_length=64,
        help_text=_("For instance 2015-officielle: it names the edition in links and exports."),
    )
    title = forms.CharField(label=_("Title"), max_length=300, required=False)


class EditionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    status = forms.ChoiceField(label=_("Status"), choices=Edition.Status.choices)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))


LEVEL_CHOICES = [("", _("the rule's level"))] + [
    (str(n), to_roman(n)) for n in range(MIN_LEVEL, MAX_LEVEL + 1)
]
ITEMS_HELP = _("One point per line; a line starting with “- ” is a sub-point of the line above.")


class JobForm(forms.Form):
    """A reference job of a draft edition: title, texts, one degree per criterion."""

    title = forms.CharField(label=_("Title"), max_length=200)
    missions = forms.CharField(
        label=_("Purpose and missions"),
        max_length=LONG_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=ITEMS_HELP,
    )
    requirements = forms.CharField(
        label=_("Requirements"),
        max_length=LONG_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=ITEMS_HELP,
    )
    level = forms.TypedChoiceField(
        label=_("Declared level"),
        choices=LEVEL_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_(
            "Leave it to the rule unless the level must differ: a level the rule does not "
            "give is flagged, and the edition cannot be published until it agrees."
        ),
    )

    def __init__(self, *args, criteria: list[Criterion], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"degree_{criterion.code}"] = forms.TypedChoiceField(
                label=criterion.label,
                choices=DEGREE_CHOICES[1:],
                coerce=int,
            )

    def degree_fields(self):
        return [self[f"degree_{criterion.code}"] for criterion in self.criteria]

    def degrees(self) -> dict[str, int]:
        return {c.code: self.cleaned_data[f"degree_{c.code}"] for c in self.criteria}

    def degrees_given(self) -> dict[str, int]:
        """The degrees chosen so far, valid ones only: the live result needs no more (the
        form says what is wrong with the others)."""
        given = {}
        for criterion in self.criteria:
            with contextlib.suppress(TypeError, ValueError):
                value = int(self[f"degree_{criterion.code}"].value())
                if MIN_DEGREE <= value <= MAX_DEGREE:
                    given[criterion.code] = value
        return given

    def text_given(self, name: str) -> str:
        return self[name].value() or ""

    def refusal_on_fields(self, exc: Exception) -> Refused:
        """The service's refusal with its problems named by this form's fields: degrees
        are keyed by criterion code there."""
        return Refused(
            problems={
                name if name in self.fields or not name else f"degree_{name}": texts
                for name, texts in problems_of(exc).items()
            }
        )


class RomeForm(forms.Form):
    """A draft job's ROME codes: the primary one, the secondary ones (spaces or commas)."""

    primary = forms.CharField(label=_("Primary ROME code"), max_length=20)
    secondary = forms.CharField(
        label=_("Secondary ROME codes"),
        max_length=200,
        required=False,
        help_text=_("Separated by spaces or commas, e.g. M1607 M1604."),
    )
    # The codes shown with the form: a change made meanwhile is told, not overwritten.
    seen = forms.CharField(widget=forms.HiddenInput, required=False, max_length=400)
