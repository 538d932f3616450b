"""An HR officer's afternoon in a real browser: import the payroll export, review the
proposals by groups of identical titles, decide, notify, and process an appeal."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from repertoire.accounts import services as accounts
from repertoire.catalog import selectors as catalog
from repertoire.positioning import services as positioning
from repertoire.positioning.models import Appeal, Employee, Positioning
from tests.browser.helpers import follow

PASSWORD = "un-mot-de-passe-tres-solide-2015"
# Local titles as payroll writes them, each shared by several people.
TITLES = {
    "Assistante de direction": 12,
    "COMPTABLE CONFIRME": 8,
    "Chargée d'accueil": 6,
    "Technicien paie": 4,
}


def payroll_file(path, *, bad_date: bool = False):
    """An Excel CSV export: Windows-1252, semicolons, French headers, an extra column."""
    with path.open("w", encoding="cp1252", newline="") as file:
        writer = csv.writer(file, delimiter=";")
        writer.writerow(["Matricule", "NOM", "Prénom", "Intitulé du poste", "Service",
                         "Date d'entrée", "Code postal"])  # fmt: skip
        number = 0
        for title, count in TITLES.items():
            for _ in range(count):
                number += 1
                hired = "31/02/2015" if bad_date and number == 5 else "03/09/2012"
                writer.writerow([f"B{number:04d}", f"DUPRÉ{number}", "Hélène", title,
                                 "Services généraux", hired, "59000"])  # fmt: skip
    return path


@pytest.fixture
def hr_officer(live_edition, settings):
    # The test database is SQLite in memory under the live server: a background thread
    # writing beside the request thread meets table locks there, not in the app.
    settings.REPERTOIRE_BACKGROUND_TASKS = "inline"
    place = positioning.create_establishment("CCI-NAVIG", "CCI Navigateur", actor="test")
    accounts.create_user(
        "rh-navig", role="hr", password=PASSWORD, establishment=place, actor="test"
    )
    return place


def sign_in(page, live_server):
    page.goto(live_server.url + "/compte/connexion/?next=/positionnement/")
    page.fill("#id_username", "rh-navig")
    page.fill("#id_password", PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url("**/positionnement/CCI-NAVIG/")


def test_import_review_notify_and_appeal(page, live_server, hr_officer, tmp_path, screenshot):
    sign_in(page, live_server)

    # 1. A file with one impossible date: named by line and column, nothing written.
    page.get_by_role("link", name="Importer un fichier du personnel").click()
    page.set_input_files(
        "input[type=file]", str(payroll_file(tmp_path / "paie.csv", bad_date=True))
    )
    page.get_by_role("button", name="Analyser le fichier").click()
    errors = page.locator("table.import-errors")
    errors.wait_for(timeout=30_000)
    assert "31/02/2015" in errors.inner_text()
    assert errors.locator("td").first.inner_text() == "6"  # header + 5th employee
    assert "Date d'entrée" in errors.inner_text()
    assert Employee.objects.filter(establishment=hr_officer).count() == 0

    # 2. The corrected file: preview, then import with its progress.
    page.get_by_role("link", name="Envoyer un fichier corrigé").first.click()
    page.set_input_files("input[type=file]", str(payroll_file(tmp_path / "paie.csv")))
    page.get_by_role("button", name="Analyser le fichier").click()
    commit = page.get_by_role("button", name="Importer (30 nouveaux, 0 mis à jour)")
    commit.wait_for(timeout=30_000)
    assert "Code postal" in page.content()  # the ignored column is named
    screenshot("import-preview")
    commit.click()
    page.get_by_role("link", name="Examiner les propositions").wait_for(timeout=60_000)
    assert Employee.objects.filter(establishment=hr_officer).count() == 30
    follow(page, page.get_by_role("link", name="Examiner les propositions"))

    # 3. Groups of identical titles, the most uncertain and populated first.
    groups = page.locator("table.groups tbody tr")
    assert groups.count() == len(TITLES)
    screenshot("worklist-groups")

    # One group placed on another job, typed into the list of jobs.
    edition = catalog.get_edition()
    first = Positioning.objects.filter(establishment=hr_officer).order_by("pk").first()
    other_job = catalog.jobs_of(edition).exclude(pk=first.job_id).first()
    row = groups.filter(has_text="Assistante de direction")
    row.locator("input[name=job]").fill(other_job.title)
    follow(page, row.get_by_role("button"))
    page.locator(".message.success").wait_for()
    decided = Positioning.objects.filter(establishment=hr_officer, job=other_job)
    assert decided.count() == TITLES["Assistante de direction"]
    assert set(decided.values_list("status", flat=True)) == {"validated"}
    # The message names the batch the group decision made: undoable until notification.
    said = page.locator(".message.success").inner_text()
    assert f"{TITLES['Assistante de direction']} collaborateurs positionnés" in said
    assert "annulables jusqu'à la notification" in said

    # The next group accepted as proposed.
    row = page.locator("table.groups tbody tr").filter(has_text="COMPTABLE CONFIRME")
    follow(page, row.get_by_role("button"))
    page.locator(".message.success").wait_for()
    assert (
        Positioning.objects.filter(
            establishment=hr_officer, status="validated", employee__job_title="COMPTABLE CONFIRME"
        ).count()
        == TITLES["COMPTABLE CONFIRME"]
    )

    # 4. One person: a personal level needs its reason; then notified, then contested.
    page.get_by_role("link", name="Examiner collaborateur par collaborateur").click()
    page.get_by_role("link", name="DUPRÉ1 Hélène", exact=True).click()
    page.get_by_text("Changer l'emploi ou le niveau").click()
    level = other_job.level.number
    page.select_option("#id_personal_level", str(level + 1))
    follow(page, page.get_by_role("button", name="Enregistrer", exact=True).first)
    assert "se motive" in page.locator(".message.error").inner_text()
    page.get_by_text("Changer l'emploi ou le niveau").click()
    page.select_option("#id_personal_level", str(level + 1))
    page.fill("#id_reason", "Maintien du niveau acquis avant la classification")
    follow(page, page.get_by_role("button", name="Enregistrer", exact=True).first)
    page.locator(".message.success").wait_for()
    person = Positioning.objects.get(employee__matricule="B0001", establishment=hr_officer)
    assert (person.level, person.status) == (level + 1, "validated")

    follow(
        page,
        page.get_by_role("button", name="Enregistrer la notification (lettre remise ce jour)"),
    )
    page.locator(".message.success").wait_for()
    page.get_by_text("Enregistrer un recours").click()
    page.select_option("#id_kind", Appeal.Kind.EVALUATION)
    page.fill("#id_argument", "Mes missions dépassent celles de l'emploi retenu.")
    assert page.input_value("#id_received_on") == dt.date.today().isoformat()
    page.get_by_role("button", name="Enregistrer le recours").click()
    page.wait_for_url("**/positionnement/recours/*/")

    # 5. The commission revises the job; the history tells the whole story.
    revised_job = catalog.jobs_of(edition).filter(level__number__gt=level).first()
    page.get_by_label("accepté : positionnement révisé").check()
    page.fill("#id_reasoning", "Les missions relèvent de l'emploi supérieur.")
    page.fill("#id_job", revised_job.title)
    follow(page, page.get_by_role("button", name="Enregistrer la décision"))
    page.locator(".message.success").wait_for()
    screenshot("appeal-decided")
    person.refresh_from_db()
    assert (person.status, person.job_id) == ("revised", revised_job.pk)
    history = page.locator("ol.history li")
    # proposed, group decision, personal level, notified, contested, revised
    assert history.count() == 6
