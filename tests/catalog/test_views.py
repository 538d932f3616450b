import pytest

from repertoire.core.text import to_roman

pytestmark = pytest.mark.django_db


def test_home_lists_every_job_by_level(client, edition, document):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert document.title in html
    for title in document.missing_jobs:
        assert title.replace("'", "&#x27;") in html
    for level in sorted({job.level for job in document.jobs}):
        assert f'id="niveau-{to_roman(level)}"' in html
    positions = [html.index(f'href="/emplois/{job.code}/"') for job in document.jobs]
    assert positions == sorted(positions), "jobs appear in document order, level by level"
    assert "Niveau I" in html


def test_job_sheet_shows_missions_requirements_and_degrees(client, edition, document):
    sheet = next(job for job in document.jobs if any(m.subitems for m in job.missions))
    response = client.get(f"/emplois/{sheet.code}/")
    assert response.status_code == 200
    html = response.content.decode()
    title = sheet.title.replace("'", "&#x27;")
    assert f"<title>{title} — niveau {to_roman(sheet.level)} · Répertoire</title>" in html
    for item in sheet.missions:
        for sub in item.subitems:
            assert sub.replace("'", "&#x27;") in html
    for criterion in document.criteria:
        assert criterion.label.replace("'", "&#x27;") in html
    assert "Finalité et missions" in html


def test_unknown_job_is_404(client, edition):
    assert client.get("/emplois/no-such-job/").status_code == 404


def test_home_without_edition_is_404(client, db):
    assert client.get("/").status_code == 404


def test_job_sheet_flags_a_definition_copied_from_another_level(client, edition, document):
    definitions = document.level_definitions()
    copied = [job for job in document.jobs if definitions.home[job.level_text] != job.level]
    faithful = next(job for job in document.jobs if definitions.home[job.level_text] == job.level)
    for job in copied:
        html = client.get(f"/emplois/{job.code}/").content.decode()
        assert "erreur de copie probable" in html
    assert (
        "erreur de copie probable" not in client.get(f"/emplois/{faithful.code}/").content.decode()
    )
