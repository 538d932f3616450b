"""A draft edition's form on the web: its date in ISO for <input type=date>, its notice
editable and kept by the publication; the data-quality report of a web draft asks no page
numbers of a sommaire it cannot have."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from repertoire.catalog import selectors
from repertoire.catalog.models import Edition
from repertoire.core.quality import check_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(client, network, edition):
    client.force_login(network.national)
    response = client.post(f"/editions/{edition.label}/copier/", {"label": "brouillon-2015"})
    assert response.status_code == 302
    return Edition.objects.get(label="brouillon-2015")


def _field(html: str, name: str) -> str:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
    return re.search(r'value="([^"]*)"', tag).group(1)


def _notice(html: str) -> str:
    return re.search(r'<textarea[^>]*name="notes"[^>]*>(.*?)</textarea>', html, re.S).group(1)


def _form(draft, **changes) -> dict:
    data = {
        "title": draft.title,
        "status": draft.status,
        "date": draft.date.isoformat(),
        "notes": "\n\n".join(draft.notes),
    }
    return data | changes


def test_the_date_round_trips_in_iso(client, draft):
    html = client.get(f"/editions/{draft.label}/").content.decode()
    # What <input type=date> understands, whatever the language of the page.
    assert _field(html, "date") == draft.date.isoformat()
    response = client.post(f"/editions/{draft.label}/", _form(draft, date="2015-03-02"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.date == dt.date(2015, 3, 2)
    assert _field(client.get(f"/editions/{draft.label}/").content.decode(), "date") == (
        "2015-03-02"
    )


def test_the_notice_is_edited_and_publication_keeps_it_and_the_date(
    client, edition, draft, django_capture_on_commit_callbacks
):
    source = Edition.objects.get(pk=edition.pk)
    assert source.notes, "the bundled edition prints a notice under its title"
    html = client.get(f"/editions/{draft.label}/").content.decode()
    assert source.notes[0][:30] in _notice(html)
    # The provisional edition's announcement goes: the draft will be the official one.
    kept = source.notes[1:]
    new = ["Édition officielle du répertoire.", *kept]
    response = client.post(
        f"/editions/{draft.label}/",
        _form(draft, date="2015-06-30", status="official", notes="\n\n".join(new)),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.notes == new
    with django_capture_on_commit_callbacks(execute=True):  # published in the background
        client.post(
            f"/editions/{draft.label}/publier/", {"statut": "official", "libelle": draft.label}
        )
    draft.refresh_from_db()
    assert draft.is_frozen
    assert draft.notes == new and draft.date == dt.date(2015, 6, 30)
    journal = client.get(f"/journal/?object_id={draft.pk}").content.decode()
    assert "Édition modifiée" in journal  # the journal reads in the words of the UI


def test_quality_report_of_a_web_draft_asks_no_page_numbers(draft, edition):
    document = selectors.document_of(draft)
    assert document.sommaire and all(entry.page is None for entry in document.sommaire)
    findings = check_document(document, draft.level_rule)
    assert not [f for f in findings if f.code == "sommaire_page_missing"]
    # A printed sommaire is still read closely: the imported edition keeps its checks.
    printed = selectors.document_of(edition)
    assert any(entry.page is not None for entry in printed.sommaire)
