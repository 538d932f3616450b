"""Preparing the official edition in a real browser, then the establishment's campaign.

A national administrator copies the provisional edition, describes an announced job,
changes a job's degrees, retires a job (confirmed) and publishes (the label typed); the
diff shows it all. The campaign is carried over: only the changed jobs' people are back
to review."""

from __future__ import annotations

import pytest

from repertoire.accounts import services as accounts
from repertoire.catalog import selectors as catalog
from repertoire.catalog.models import Edition
from repertoire.positioning import services as positioning
from repertoire.positioning.models import Positioning
from tests.browser.helpers import PASSWORD, sign_in


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

    # Retiring a job is confirmed on a page saying what goes with it.
    page.locator(f"a[href$='/emplois/{retired.code}/retirer/']").click()
    page.wait_for_url(f"**/emplois/{retired.code}/retirer/")
    assert retired.title in page.locator("h1").inner_text()
    assert page.locator("li[data-count=earlier]").count() == 1
    page.locator("form[method=post] button.danger").click()
    page.wait_for_url("**/editions/2015-officielle/")
    # Publishing states the consequences and asks for the label typed.
    page.locator("a[href$='/publier/']").click()
    page.wait_for_url("**/editions/2015-officielle/publier/")
    assert page.locator("tr[data-establishment=CCI-ED]").count() == 1
    page.fill("#publish-label", "2015")
    page.locator("form[method=post] button.danger").click()
    page.wait_for_selector(".messages .error")
    assert not Edition.objects.get(label="2015-officielle").is_frozen
    page.fill("#publish-label", "2015-officielle")
    page.locator("form[method=post] button.danger").click()
    page.wait_for_url("**/editions/2015-officielle/publier/*/")  # its progress, then done
    page.locator("[data-outcome]").wait_for(timeout=30_000)
    page.locator("main a.button[href$='/editions/2015-officielle/']").click()
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

    # The HR officer: the campaign was carried over; only the changed and retired jobs'
    # people are back to review, the others keep their validation.
    hr_page = browser.new_context(locale="fr-FR").new_page()
    sign_in(hr_page, live_server, "rh-ed", "/positionnement/CCI-ED/")
    statuses = dict(
        Positioning.objects.filter(edition=official, establishment=network).values_list(
            "employee__last_name", "status"
        )
    )
    assert len(statuses) == 5
    assert statuses["PERSONNE1"] == statuses["PERSONNE5"] == "proposed"
    assert {statuses[f"PERSONNE{n}"] for n in (2, 3, 4)} == {"validated"}
    assert Positioning.objects.get(edition=official, employee__last_name="PERSONNE1").level == 8
    hr_page.context.close()
