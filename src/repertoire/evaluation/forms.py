"""Forms of the evaluation pages: they read the input; the services apply the rules.

The evaluation form has one degree and one justification per criterion of the edition
(never a fixed number of criteria): its fields are built from the edition's yardstick.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from repertoire.core.grid import MAX_DEGREE, MAX_LEVEL, MIN_DEGREE, MIN_LEVEL
from repertoire.core.limits import LONG_TEXT_MAX, SHORT_TEXT_MAX
from repertoire.core.refusals import WHOLE, Refused
from repertoire.core.text import to_roman
from repertoire.evaluation.models import JobEvaluation
from repertoire.evaluation.selectors import CriterionScale, Illustration
from repertoire.web import problems_of

LEVEL_CHOICES = [("", _("all"))] + [
    (number, to_roman(number)) for number in range(MIN_LEVEL, MAX_LEVEL + 1)
]
DEGREES = range(MIN_DEGREE, MAX_DEGREE + 1)


class EvaluationFilterForm(forms.Form):
    etablissement = forms.ChoiceField(label=_("Establishment"), required=False)
    statut = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("all")), *JobEvaluation.Status.choices],
    )
    niveau = forms.TypedChoiceField(
        label=_("Level"), required=False, coerce=int, empty_value=None, choices=LEVEL_CHOICES
    )
    q = forms.CharField(label=_("Job title or mission"), required=False, max_length=100)

    def __init__(self, *args, establishments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["etablissement"].choices = [("", _("all"))] + [
            (place.code, place.name) for place in establishments
        ]


def degree_field(code: str) -> str:
    return f"degree_{code}"


def justification_field(code: str) -> str:
    return f"justification_{code}"


@dataclass(frozen=True)
class DegreeChoice:
    degree: int
    illustrations: tuple[Illustration, ...]
    checked: bool
    input_id: str


@dataclass(frozen=True)
class CriterionRow:
    """One criterion on the form: what it measures, its degrees and their jobs."""

    scale: CriterionScale
    degree: forms.BoundField
    justification: forms.BoundField
    choices: tuple[DegreeChoice, ...]


class EvaluationForm(forms.Form):
    """A local job's title, missions, and for each criterion a degree and its reason.

    Degrees are required (the level needs all of them); justifications are required only
    when the evaluation is submitted, which the service checks.
    """

    title = forms.CharField(label=_("Local job title"), max_length=200)
    missions = forms.CharField(
        label=_("Purpose and missions"),
        required=False,
        max_length=LONG_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Main missions of the job, one per line."),
    )

    def __init__(self, *args, scales: list[CriterionScale], **kwargs):
        super().__init__(*args, **kwargs)
        self.scales = scales
        for scale in scales:
            self.fields[degree_field(scale.code)] = forms.TypedChoiceField(
                label=scale.label,
                choices=[(degree, str(degree)) for degree in DEGREES],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose a degree.")},
            )
            self.fields[justification_field(scale.code)] = forms.CharField(
                label=_("Why this degree"),
                required=False,
                max_length=SHORT_TEXT_MAX,
                widget=forms.Textarea(attrs={"rows": 2, "data-no-result": ""}),
            )

    @classmethod
    def initial_of(cls, evaluation: JobEvaluation) -> dict:
        initial = {"title": evaluation.title, "missions": evaluation.missions}
        for code, degree in evaluation.degrees.items():
            initial[degree_field(code)] = degree
        for code, text in evaluation.justifications.items():
            initial[justification_field(code)] = text
        return initial

    def rows(self) -> list[CriterionRow]:
        rows = []
        for scale in self.scales:
            bound = self[degree_field(scale.code)]
            value = str(bound.value() or "")
            rows.append(
                CriterionRow(
                    scale=scale,
                    degree=bound,
                    justification=self[justification_field(scale.code)],
                    choices=tuple(
                        DegreeChoice(
                            degree,
                            scale.degrees.get(degree, ()),
                            value == str(degree),
                            f"{bound.auto_id}_{degree}",
                        )
                        for degree in DEGREES
                    ),
                )
            )
        return rows

    def degrees_given(self) -> dict[str, int]:
        """The degrees chosen so far, valid ones only (the live result needs no more)."""
        given = {}
        for scale in self.scales:
            try:
                value = int(self.data.get(self.add_prefix(degree_field(scale.code)), ""))
            except ValueError:
                continue
            if value in DEGREES:
                given[scale.code] = value
        return given

    def text_given(self, name: str) -> str:
        return str(self.data.get(self.add_prefix(name), ""))[:2000]

    def evaluation(self) -> dict:
        """What the services take: title, missions, degrees, justifications (non-blank)."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "missions": data["missions"],
            "degrees": {s.code: data[degree_field(s.code)] for s in self.scales},
            "justifications": {
                s.code: data[justification_field(s.code)].strip()
                for s in self.scales
                if data[justification_field(s.code)].strip()
            },
        }

    def refusal_on_fields(self, exc: Exception, *, criteria_are: str) -> Refused:
        """A service's refusal with its problems named by this form's fields: criterion
        codes name the degree or the justification field (``criteria_are``), other keys
        their own field; what names no field goes above the form."""
        codes = {scale.code for scale in self.scales}

        def field_of(key: str) -> str:
            if key not in codes:
                return key if key in ("title", "missions") else WHOLE
            if criteria_are == "justifications":
                return justification_field(key)
            return degree_field(key)

        problems: dict[str, list[str]] = {}
        for key, texts in problems_of(exc).items():
            problems.setdefault(field_of(key), []).extend(texts)
        return Refused(problems=problems)


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class DecisionForm(forms.Form):
    """Validate (comment optional) or send back (comment required, the service says so)."""

    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
