"""Whole-edition files made in the background, followed on a page, downloaded."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.urls import resolve
from django.utils import timezone
from openpyxl import load_workbook

from repertoire.catalog.models import Edition
from repertoire.publishing import services
from repertoire.publishing.models import Publication
from tests.accounts.conftest import network  # noqa: F401  shared fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def inline():
    """The build runs when the request's transaction commits (the tests' task backend)."""


def test_a_request_makes_the_file_once_and_hands_it_out_again(
    edition, inline, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.request_publication(edition, "xlsx", author="rh@cci")
    first.refresh_from_db()
    assert first.status == Publication.Status.DONE
    assert first.requested_by == "rh@cci"
    assert bytes(first.content)[:2] == b"PK"  # a zip: the xlsx container
    assert first.size == len(bytes(first.content))
    again = services.request_publication(edition, "xlsx", author="other")
    assert again.pk == first.pk


def test_a_failed_or_lost_build_is_made_again(edition, inline, django_capture_on_commit_callbacks):
    failed = Publication.objects.create(
        edition=edition, format="csv", level_rule=edition.level_rule, status="failed", error="x"
    )
    with django_capture_on_commit_callbacks(execute=True):
        retried = services.request_publication(edition, "csv", author="rh")
    assert retried.pk != failed.pk
    lost = Publication.objects.create(
        edition=edition, format="json", level_rule=edition.level_rule, status="running"
    )
    Publication.objects.filter(pk=lost.pk).update(
        updated_at=timezone.now() - services.STALE_AFTER * 2
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.request_publication(edition, "json", author="rh").pk != lost.pk


def test_a_file_made_under_another_level_rule_is_not_reused(
    edition, inline, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.request_publication(edition, "csv", author="rh")
    Edition.objects.filter(pk=edition.pk).update(level_rule="median")
    edition.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.request_publication(edition, "csv", author="rh").pk != first.pk


def test_a_build_that_fails_keeps_its_message(edition, inline, monkeypatch):
    from repertoire.publishing import documents

    def broken(edition, progress):
        progress(0.3, "mise en page")
        raise RuntimeError("plus de papier")

    monkeypatch.setitem(
        documents.FORMATS, "csv", documents.Format("csv", "CSV", "csv", "text/csv", broken)
    )
    publication = Publication.objects.create(
        edition=edition, format="csv", level_rule=edition.level_rule, status="pending"
    )
    services.build_publication(publication.pk)
    publication.refresh_from_db()
    assert publication.status == Publication.Status.FAILED
    assert "plus de papier" in publication.error


def test_unknown_format_is_refused(edition):
    with pytest.raises(services.UnknownFormat, match="format inconnu"):
        services.request_publication(edition, "odt", author="rh")


def test_pages_request_follow_and_download(
    client, edition, inline, django_capture_on_commit_callbacks
):
    home = client.get("/").content.decode()
    assert 'formaction="/publications/pdf/"' in home
    assert client.get("/publications/xlsx/").status_code == 405
    assert client.post("/publications/odt/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/publications/xlsx/", {"edition": edition.label})
    assert response.status_code == 302
    status = client.get(response.url)
    html = status.content.decode()
    assert "Télécharger" in html and 'http-equiv="refresh"' not in html
    publication = Publication.objects.get()
    download = client.get(f"/publications/{publication.pk}/fichier/")
    assert download["Content-Disposition"] == (
        f'attachment; filename="repertoire-emplois-{edition.label}.xlsx"'
    )
    assert download.content == bytes(publication.content)


def test_status_page_refreshes_while_the_file_is_made(client, edition):
    publication = Publication.objects.create(
        edition=edition,
        format="pdf",
        level_rule=edition.level_rule,
        revision=edition.revision,
        status="running",
        progress=0.4,
        stage="mise en page",
    )
    html = client.get(f"/publications/{publication.pk}/").content.decode()
    assert 'http-equiv="refresh"' in html
    assert '<progress id="progress" max="100" value="40">' in html
    assert "mise en page" in html
    assert client.get(f"/publications/{publication.pk}/fichier/").status_code == 404


def test_job_sheet_pdf_download(client, edition, document):
    job = document.jobs[0]
    response = client.get(f"/emplois/{job.code}/pdf/")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert (
        f'href="/emplois/{job.code}/pdf/"' in client.get(f"/emplois/{job.code}/").content.decode()
    )
    assert client.get("/emplois/no-such-job/pdf/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_queued_build_is_made_by_a_worker(settings):
    """With the database backend the build is queued with the publication, and the
    worker (here in this process, until the queue is empty) makes it."""
    from django_tasks_db.models import DBTaskResult

    from repertoire import tasks
    from repertoire.catalog import services as catalog
    from tests.conftest import DATABASE_TASKS

    settings.TASKS = DATABASE_TASKS
    edition = catalog.ensure_bundled_edition(author="test")
    publication = services.request_publication(edition, "docx", author="rh")
    assert publication.status == "pending"
    queued = DBTaskResult.objects.get(pk=publication.task_id)
    assert queued.status == "READY"
    tasks.run_worker(batch=True)
    publication.refresh_from_db()
    assert publication.status == "done", publication.error
    assert bytes(publication.content)[:2] == b"PK"
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"


# --- a file follows its edition's content ---------------------------------------------------


@pytest.fixture
def national(network):  # noqa: F811
    return network.national


@pytest.fixture
def draft(client, edition, national):
    """A draft, asked for by the national administrator editing it (a draft's files are
    handed to signed-in users only)."""
    from repertoire.catalog import services as catalog

    client.force_login(national)
    return catalog.copy_edition(national, edition, label="brouillon-2015")


def _asked(client, draft, format: str, capture) -> bytes:
    """The file the edition's button hands out: POST, follow to the file, download it."""
    with capture(execute=True):
        response = client.post(f"/publications/{format}/", {"edition": draft.label})
    assert response.status_code == 302
    pk = resolve(response.url).kwargs["pk"]
    return client.get(f"/publications/{pk}/fichier/").content


def _xlsx_titles(content: bytes) -> list[str]:
    sheet = load_workbook(io.BytesIO(content))["Emplois"]
    return [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_a_file_asked_for_before_an_edit_is_made_again_after_it(
    client, national, draft, inline, django_capture_on_commit_callbacks
):
    from repertoire.catalog import selectors as catalog
    from repertoire.catalog import services as catalog_services

    capture = django_capture_on_commit_callbacks
    job = catalog.jobs_of(draft).first()
    old_title = job.title
    assert old_title in _xlsx_titles(_asked(client, draft, "xlsx", capture))
    csv_before = _asked(client, draft, "csv", capture)

    new_title = f"{old_title} principal"
    content = catalog.job_content(job)
    catalog_services.save_job(national, draft, job, **{**content, "title": new_title})
    titles = _xlsx_titles(_asked(client, draft, "xlsx", capture))
    assert new_title in titles and old_title not in titles
    assert _asked(client, draft, "csv", capture) != csv_before

    # Publishing changes what the documents say of the edition (its status): made again.
    draft.refresh_from_db()
    json_before = json.loads(_asked(client, draft, "json", capture))
    catalog_services.publish_edition(national, draft, status="official")
    after = json.loads(_asked(client, draft, "json", capture))
    assert (json_before["edition"]["status"], after["edition"]["status"]) == (
        "provisoire",
        "officiel",
    )
    titles = _xlsx_titles(_asked(client, draft, "xlsx", capture))
    assert new_title in titles and old_title not in titles
    # Nothing changed since: the file made is handed out again, not made once more.
    count = Publication.objects.filter(edition=draft, format="xlsx").count()
    _asked(client, draft, "xlsx", capture)
    assert Publication.objects.filter(edition=draft, format="xlsx").count() == count


def test_a_renamed_job_keeps_its_code_in_the_json_and_csv_files(
    client, national, draft, inline, django_capture_on_commit_callbacks
):
    from repertoire.catalog import selectors as catalog
    from repertoire.catalog import services as catalog_services

    job = catalog.jobs_of(draft).first()
    new_title = f"{job.title} principal"
    catalog_services.save_job(
        national, draft, job, **{**catalog.job_content(job), "title": new_title}
    )
    codes = list(catalog.jobs_of(draft).values_list("code", flat=True))
    data = json.loads(_asked(client, draft, "json", django_capture_on_commit_callbacks))
    assert [item["code"] for item in data["jobs"]] == codes
    assert {"code": job.code, "title": new_title} in [
        {"code": item["code"], "title": item["title"]} for item in data["jobs"]
    ]
    text = _asked(client, draft, "csv", django_capture_on_commit_callbacks).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))[1:]
    assert [row[0] for row in rows] == codes
    assert [job.code, new_title] in [row[:2] for row in rows]
    # The API says the same.
    assert client.get(f"/api/jobs/{job.code}?edition={draft.label}").json()["title"] == new_title
