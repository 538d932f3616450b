"""Equal pay in a real browser: an HR officer imports the payroll export with sex and pay,
decides the positionings, reads the establishment's pay-gap report, records a
justification for the flagged level, downloads the report and hands one person their
article-7 letter; the staff representative (a reader) sees the aggregated report and no
one's pay."""

from __future__ import annotations

import csv

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from repertoire.accounts import services as accounts
from repertoire.audit.models import JournalEntry
from repertoire.pay.models import GapAction
from repertoire.positioning import services as positioning
from repertoire.positioning.models import Employee, PayRecord
from tests.browser.helpers import follow

PASSWORD = "un-mot-de-passe-tres-solide-2015"
TITLE = "COMPTABLE CONFIRME"
# Six women and six men on the same job: the women earn 30 000 €, the men 33 000 €
# (full time; one woman at 80 % earns 24 000 €, i.e. 30 000 € full time), so the mean gap
# is (33 000 − 30 000) ÷ 33 000 = 9.1 %: the level is flagged.
PEOPLE = (
    [("F", "30 000,00", "100 %")] * 5 + [("F", "24 000", "80 %")] + [("M", "33 000 €", "1")] * 6
)


def payroll_file(path):
    """An Excel CSV export: Windows-1252, semicolons, French headers, amounts as Excel
    writes them."""
    with path.open("w", encoding="cp1252", newline="") as file:
        writer = csv.writer(file, delimiter=";")
        writer.writerow(["Matricule", "Nom", "Prénom", "Intitulé du poste", "Sexe",
                         "Salaire de base annuel brut", "Rémunération variable annuelle brute",
                         "Temps de travail"])  # fmt: skip
        for number, (sex, base, working_time) in enumerate(PEOPLE, start=1):
            writer.writerow([f"E{number:03d}", f"PAYÉ{number}", "Camille", TITLE, sex, base, "",
                             working_time])  # fmt: skip
    return path


@pytest.fixture
def place(live_edition, settings):
    settings.REPERTOIRE_BACKGROUND_TASKS = "inline"
    place = positioning.create_establishment("CCI-EGAL", "CCI Égalité", actor="test")
    for name, role in (("rh-egal", "hr"), ("cse-egal", "reader")):
        accounts.create_user(name, role=role, password=PASSWORD, establishment=place, actor="t")
    return place


def sign_in(page, live_server, username: str, then: str):
    page.goto(f"{live_server.url}/compte/connexion/?next={then}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(f"**{then}")


def test_an_hr_officer_reports_the_pay_gap_and_informs_a_worker(
    page, live_server, place, tmp_path, screenshot
):
    sign_in(page, live_server, "rh-egal", "/positionnement/CCI-EGAL/")

    # 1. The payroll export with sex and pay, for the year of the reference date.
    page.get_by_role("link", name="Importer un fichier du personnel").click()
    page.set_input_files("input[type=file]", str(payroll_file(tmp_path / "paie.csv")))
    page.fill("#id_pay_date", "2025-12-31")
    page.get_by_role("button", name="Analyser le fichier").click()
    commit = page.get_by_role("button", name="Importer (12 nouveaux, 0 mis à jour)")
    commit.wait_for(timeout=30_000)
    commit.click()
    page.get_by_role("link", name="Examiner les propositions").wait_for(timeout=60_000)
    assert PayRecord.objects.filter(employee__establishment=place, year=2025).count() == 12

    # 2. The group of identical titles accepted as proposed: everyone is decided.
    follow(page, page.get_by_role("link", name="Examiner les propositions"))
    follow(page, page.locator("table.groups tbody tr").filter(has_text=TITLE).get_by_role("button"))
    page.locator(".message.success").wait_for()

    # 3. The report: the seven indicators and the flagged level.
    page.get_by_role("link", name="Égalité salariale").click()
    page.wait_for_url("**/egalite/CCI-EGAL/")
    indicators = page.locator("table.indicators").inner_text()
    assert "9,1" in indicators  # the mean gap worked out above
    assert "Effectif : 6 femmes, 6 hommes" in page.content()
    flagged = page.locator("tr.flagged")
    assert flagged.count() == 1 and "9,1" in flagged.inner_text()
    screenshot("equal-pay-report")

    # 4. A justification recorded for the flagged level, shown beside it.
    page.select_option("#id_kind", GapAction.Kind.JUSTIFICATION)
    page.fill("#id_text", "Ancienneté moyenne plus élevée des hommes de ce niveau.")
    page.fill("#id_decided_on", "2026-01-15")
    follow(page, page.get_by_role("button", name="Enregistrer", exact=True))
    page.locator("p.gap-action").wait_for()
    assert "Ancienneté" in page.locator("tr.flagged").inner_text()
    assert JournalEntry.objects.filter(action="pay.gap_action").count() == 1

    # 5. The report as the staff representatives and the authority receive it.
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel").click()
    download.value.save_as(tmp_path / "rapport.xlsx")
    workbook = load_workbook(tmp_path / "rapport.xlsx")
    assert any("9.1" in str(cell.value) or cell.value == 9.1
               for sheet in workbook for row in sheet.iter_rows() for cell in row)  # fmt: skip

    # 6. One person's article-7 letter, from their page.
    person = Employee.objects.get(establishment=place, matricule="E006")
    page.goto(f"{live_server.url}/personnel/{person.pk}/")
    with page.expect_download() as download:
        page.get_by_role(
            "button", name="Lettre d'information sur la rémunération (article 7)"
        ).click()
    letter = "".join(p.extract_text() for p in PdfReader(download.value.path()).pages)
    assert "PAYÉ6" in letter and "30" in letter
    assert JournalEntry.objects.filter(action="pay.worker_letter").count() == 1

    # 7. The staff representative: the aggregated report, nobody's pay.
    page.locator('form[action$="deconnexion/"] button, form.inline button').first.click()
    sign_in(page, live_server, "cse-egal", "/egalite/CCI-EGAL/")
    report = page.content()
    assert "9,1" in report and "Ancienneté" in report
    assert "PAYÉ" not in report and page.locator("#id_text").count() == 0
    page.goto(f"{live_server.url}/personnel/{person.pk}/")
    assert "24 000" not in page.content() and "Lettre d'information" not in page.content()
    screenshot("equal-pay-reader")
