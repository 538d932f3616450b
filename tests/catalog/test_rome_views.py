"""The job sheet shows its ROME codes, their titles and the common appellations; national
administrators change a draft's codes from it."""

from __future__ import annotations

import pytest
from django.utils.html import escape

from repertoire.audit.models import JournalEntry
from repertoire.catalog import selectors
from repertoire.core.rome import PRIMARY, load_rome

pytestmark = pytest.mark.django_db


def _draft(client, network, edition):
    client.force_login(network.national)
    client.post(f"/editions/{edition.label}/copier/", {"label": "brouillon-rome"})
    return selectors.get_edition("brouillon-rome")


def test_every_sheet_shows_its_rome_codes_titles_and_common_appellations(client, edition):
    rome = load_rome()
    for job in edition.jobs.order_by("position"):
        page = client.get(f"/emplois/{job.code}/").content.decode()
        assert "Codes ROME" in page and "Appellations courantes" in page, job.code
        rows = list(job.rome_codes.all())
        assert rows, job.code
        for row in rows:
            assert row.rome_code in page
            assert escape(rome.title(row.rome_code)) in page
        for appellation in selectors.common_appellations(job):
            assert escape(appellation) in page
        # A published edition, an anonymous reader: no form.
        assert "Modifier les codes ROME" not in page


def test_a_national_administrator_changes_a_drafts_codes_from_the_sheet(client, network, edition):
    draft = _draft(client, network, edition)
    job = draft.jobs.order_by("position").first()
    sheet = f"/emplois/{job.code}/?edition={draft.label}"
    assert "Modifier les codes ROME" in client.get(sheet).content.decode()
    mine = set(job.rome_codes.values_list("rome_code", flat=True))
    primary, other = [code for code in sorted(load_rome().codes) if code not in mine][:2]
    response = client.post(
        f"/editions/{draft.label}/emplois/{job.code}/rome/",
        {"primary": primary, "secondary": other},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == sheet
    page = response.content.decode()
    assert escape(load_rome().title(primary)) in page
    assert job.rome_codes.get(role=PRIMARY).rome_code == primary
    assert JournalEntry.objects.filter(action="job.rome", object_id=str(job.pk)).exists()


def test_an_unknown_code_is_refused_on_the_page(client, network, edition):
    draft = _draft(client, network, edition)
    job = draft.jobs.order_by("position").first()
    before = list(job.rome_codes.values_list("rome_code", "role"))
    response = client.post(
        f"/editions/{draft.label}/emplois/{job.code}/rome/",
        {"primary": "Z9999", "secondary": ""},
        follow=True,
    )
    page = response.content.decode()
    assert "Z9999" in page and "code ROME" in page
    assert list(job.rome_codes.values_list("rome_code", "role")) == before


def test_hr_officers_cannot_change_codes(client, network, edition):
    draft = _draft(client, network, edition)
    job = draft.jobs.order_by("position").first()
    client.force_login(network.hr_north)
    response = client.post(
        f"/editions/{draft.label}/emplois/{job.code}/rome/", {"primary": "M1203"}
    )
    assert response.status_code == 403
    assert (
        "Modifier les codes ROME"
        not in client.get(f"/emplois/{job.code}/?edition={draft.label}").content.decode()
    )


def test_a_form_shown_before_someone_elses_change_is_told_and_saves_nothing(
    client, network, edition
):
    draft = _draft(client, network, edition)
    job = draft.jobs.order_by("position").first()
    seen = selectors.seen_codes(job)
    mine = set(job.rome_codes.values_list("rome_code", flat=True))
    first, second = [code for code in sorted(load_rome().codes) if code not in mine][:2]
    url = f"/editions/{draft.label}/emplois/{job.code}/rome/"
    client.post(url, {"primary": first, "secondary": "", "seen": seen})
    response = client.post(url, {"primary": second, "secondary": "", "seen": seen}, follow=True)
    assert "entre-temps" in response.content.decode()
    assert job.rome_codes.get(role=PRIMARY).rome_code == first
