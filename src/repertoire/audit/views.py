"""The journal, browsable and filterable, and its CSV export."""

from __future__ import annotations

import json
from itertools import islice

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from repertoire.accounts.models import Role
from repertoire.accounts.selectors import role_of
from repertoire.audit.presentation import described, object_type_choices
from repertoire.audit.selectors import in_clear, journal_for
from repertoire.core.spreadsheet_cells import CsvWriter
from repertoire.tables import table

PAGE_SIZE = 100
JOURNAL_SORTS = {
    "date": ("at",),
    "auteur": ("actor",),
    "action": ("action",),
    "objet": ("object_type", "object_id"),
}


class JournalFilter(forms.Form):
    object_type = forms.ChoiceField(label=_("Object type"), required=False)
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    actor = forms.CharField(label=_("Who"), required=False, max_length=150)
    since = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    until = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The kinds of objects by their French names; the value is the journal's label.
        self.fields["object_type"].choices = [("", _("all")), *object_type_choices()]


@login_required
def journal(request):
    if role_of(request.user) not in (Role.NATIONAL, Role.HR):
        raise Http404("le journal est réservé aux administrateurs et aux RH")
    form = JournalFilter(request.GET)
    form.is_valid()  # a filter that does not hold is left out; the others still apply
    filters = form.cleaned_data
    entries = journal_for(request.user, **{k: v for k, v in filters.items() if v})
    if request.GET.get("format") == "csv":
        return _csv(entries)
    listing = table(request, entries, sorts=JOURNAL_SORTS, per_page=PAGE_SIZE)
    page = listing.page
    page.object_list = described(in_clear(page.object_list))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "audit/journal.html",
        {"form": form, "page": page, "table": listing, "query_string": params.urlencode()},
    )


CSV_HEADER = (
    "date",
    "auteur",
    "action",
    "type",
    "identifiant",
    "objet",
    "etablissement",
    "avant",
    "apres",
)
# Entries read and put in clear at a time: the journal of a network runs to hundreds of
# thousands of entries, which the export streams instead of holding.
CSV_BATCH = 2000


def _csv(entries) -> StreamingHttpResponse:
    # Without a file, the writer hands back each line: the export is streamed. (The
    # journal sits below the typesetting layer: it takes the one CSV writer from the core.)
    writer = CsvWriter()

    def lines():
        yield "\ufeff" + writer.writerow(CSV_HEADER)  # Excel knows UTF-8 by its BOM
        rows = entries.iterator(chunk_size=CSV_BATCH)
        while batch := list(islice(rows, CSV_BATCH)):
            for entry in in_clear(batch):
                yield writer.writerow(
                    (
                        entry.at.isoformat(),
                        entry.actor,
                        entry.action,
                        entry.object_type,
                        entry.object_id,
                        entry.object_repr,
                        entry.establishment.code if entry.establishment else "",
                        _json(entry.before),
                        _json(entry.after),
                    )
                )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="journal-{stamp}.csv"'
    return response


def _json(value) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder)
