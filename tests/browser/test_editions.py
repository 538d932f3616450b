"""Preparing the official edition in a real browser, then migrating an establishment.

A national administrator copies the provisional edition, describes an announced job,
changes a job's degrees, retires a job and publishes; the diff shows it all. An HR
officer then sees whom it affects, migrates, and accepts the certain proposals."""

from __future__ import annotations

import pytest

from repertoire.accounts import services as accounts
from repertoire.catalog import selectors as catalog
from repertoire.catalog.models import Edition
from repertoire.positioning import services as positioning
from repertoire.positioning.models import Positioning

PASSWORD = "un-mot-de-passe-tres-solide-2015"


@pytest.fixture
def network(live_edition, settings):
    settings.REPERTOIRE_BACKGROUND_TASKS = "inline"
    place = positioning.create_establishment("CCI-ED", "CCI Éditions", actor="test")
    national = accounts.create_user("admin-ed", role="national", password=PASSWORD,
                                    establishment=None, actor="test")  # fmt: skip
    hr = accounts.create_user("rh-ed", role="hr", password=PASSWORD, establishment=place,
                              actor="test")  # fmt: skip
    # Five people decided on the 2014 edition, on the first five jobs' titles.
    for number, job in enumerate(catalog.jobs_of(live_edition)[:5], start=1):
        employee = positioning.create_employee(
            national, place, matricule=f"E{number}", last_name=f"PERSONNE{number}",
            first_name="Zoé", job_title=job.title,
        )  # fmt: skip
        positioning.validate(hr, Positioning.objects.get(employee=employee))
    return place


def sign_in(page, live_server, username, landing):
    page.goto(f"{live_server.url}/compte/connexion/?next={landing}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(f"**{landing}")


def test_prepare_publish_and_migrate(page, browser, live_server, live_edition, network,
                                     screenshot):  # fmt: skip
    jobs = list(catalog.jobs_of(live_edition))
    announced = live_edition.missing_jobs[0]
    changed, retired = jobs[0], jobs[4]

    sign_in(page, live_server, "admin-ed", "/editions/")
    page.fill("#id_label", "2015-officielle")
    page.locator("form[action$='/copier/'] button[type=submit]").click()
    page.wait_for_url("**/editions/2015-officielle/")

    # The announced job, described from a model job's degrees and texts.
    page.locator("a[href*='intitule=']").first.click()
    page.select_option("select[name=modele]", jobs[10].code)
    page.locator("form.model-job button[type=submit]").click()
    assert page.input_value("#id_title") == announced
    page.locator("form.job-form button[type=submit]").click()
    page.wait_for_url("**/editions/2015-officielle/")

    # One job's degrees raised until the level follows; every field checked by the rule.
    page.goto(f"{live_server.url}/editions/2015-officielle/emplois/{changed.code}/")
    for select in page.locator("select[name^=degree_]").all():
        select.select_option("8")
    # The evaluation panel follows the degrees live: the level by the edition's rule.
    page.wait_for_selector(".level-value[data-level='8']")
    screenshot("edition-job-form")
    page.locator("form.job-form button[type=submit]").click()
    page.wait_for_url("**/editions/2015-officielle/")

    page.locator(f"form[action$='/emplois/{retired.code}/retirer/'] button").click()
    page.wait_for_url("**/editions/2015-officielle/")
    page.locator("form[action$='/publier/'] button").click()
    page.wait_for_url("**/editions/2015-officielle/")
    official = Edition.objects.get(label="2015-officielle")
    assert official.is_frozen and official.is_current
    assert official.jobs.get(code=changed.code).level.number == 8

    page.goto(f"{live_server.url}/editions/comparer/?de={live_edition.label}&a=2015-officielle")
    counts = [row.split()[-1] for row in page.locator("table.diff-summary tr").all_inner_texts()]
    # added, retired, renamed, levels, degrees, texts changed, unchanged
    assert counts == ["1", "1", "0", "1", "1", "0", str(len(jobs) - 2)]
    assert page.locator("section[aria-labelledby=added]").inner_text().count(announced) == 1
    assert retired.title in page.locator("section[aria-labelledby=retired]").inner_text()
    screenshot("edition-diff")

    # The HR officer: the worklist says who waits; the migration page shows them.
    hr_page = browser.new_context(locale="fr-FR").new_page()
    sign_in(hr_page, live_server, "rh-ed", "/positionnement/CCI-ED/")
    hr_page.locator("a[href*='/migration/']").first.click()
    hr_page.wait_for_url("**/positionnement/CCI-ED/migration/**")
    moved = hr_page.locator("table.moves").inner_text()
    assert "PERSONNE1" in moved and "PERSONNE5" in moved
    hr_page.locator("form[method=post] button[type=submit]").last.click()
    # The migration runs in the background; its page tells what it proposed.
    hr_page.wait_for_url("**/positionnement/CCI-ED/migration/*/")
    hr_page.locator("a.button[href$='/positionnement/CCI-ED/']").click()
    hr_page.wait_for_url("**/positionnement/CCI-ED/")
    proposed = Positioning.objects.filter(edition=official, establishment=network)
    assert proposed.count() == 5
    assert set(proposed.values_list("status", flat=True)) == {"proposed"}
    # Certain mappings (same code) are accepted at once; the retired job's person waits.
    hr_page.locator("form[action$='/accepter/'] button[type=submit]").first.click()
    # A confirmation page says how many on which jobs before anything is validated.
    hr_page.wait_for_url("**/positionnement/CCI-ED/accepter/**")
    hr_page.locator("form[method=post][action$='/accepter/'] button[type=submit]").click()
    hr_page.wait_for_url("**/positionnement/CCI-ED/")
    statuses = dict(proposed.values_list("employee__last_name", "status"))
    assert statuses["PERSONNE1"] == "validated" and statuses["PERSONNE5"] == "proposed"
    assert Positioning.objects.get(edition=official, employee__last_name="PERSONNE1").level == 8
    hr_page.context.close()
