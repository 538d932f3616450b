from django import forms
from django.utils.translation import gettext_lazy as _

from repertoire.pay.models import GapAction


class GapActionForm(forms.Form):
    """A justification or a remedy for one flagged category of the report shown."""

    category = forms.ChoiceField(label=_("Category of workers"))
    kind = forms.ChoiceField(label=_("Kind"), choices=GapAction.Kind.choices)
    text = forms.CharField(
        label=_("Objective, gender-neutral criteria, or the remedy and its timetable"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=GapAction.TEXT_MAX_LENGTH,
    )
    decided_on = forms.DateField(
        label=_("Decided on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, categories: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [(c, c) for c in categories]
