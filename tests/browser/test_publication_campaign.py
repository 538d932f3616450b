"""Publishing an edition in the middle of a positioning campaign, in a real browser.

Four people of one establishment are decided on the provisional edition: one validated,
one notified, one contested (open appeal) on an unchanged job, one notified on a job
the new edition re-weighs. The national administrator reads the consequences, types the
label and publishes (in the background: its page shows the progress, then the figures);
the HR officer's worklist still holds everyone, the decided and the
contested carried over as they were, the re-weighed one back to review and flagged."""

from __future__ import annotations

import datetime as dt

import pytest

from repertoire.accounts import services as accounts
from repertoire.catalog import selectors as catalog
from repertoire.catalog import services as editions
from repertoire.catalog.models import Edition
from repertoire.positioning import services as positioning
from repertoire.positioning.models import Appeal, Positioning
from tests.browser.helpers import PASSWORD, sign_in
from tests.edition_builder import raise_level

NOTIFIED_ON = dt.date(2015, 3, 2)


@pytest.fixture
def campaign(live_edition, settings):
    settings.REPERTOIRE_BACKGROUND_TASKS = "inline"
    place = positioning.create_establishment("CCI-CAMP", "CCI Campagne", actor="test")
    national = accounts.create_user("admin-camp", role="national", password=PASSWORD,
                                    establishment=None, actor="test")  # fmt: skip
    hr = accounts.create_user("rh-camp", role="hr", password=PASSWORD, establishment=place,
                              actor="test")  # fmt: skip
    jobs = [job for job in catalog.jobs_of(live_edition).select_related("level")
            if job.level.number < 8][:4]  # fmt: skip
    people = {}
    for number, job in enumerate(jobs, start=1):
        employee = positioning.create_employee(
            national, place, matricule=f"C{number}", last_name=f"CAMPAGNE{number}",
            first_name="Zoé", job_title=job.title,
        )  # fmt: skip
        proposed = Positioning.objects.get(employee=employee)
        positioning.change(hr, proposed, job_code=job.code)
        people[number] = Positioning.objects.get(employee=employee)
    # 1 validated; 2 and 4 notified; 3 notified then contested.
    positioning.notify(hr, [people[2], people[3], people[4]], on=NOTIFIED_ON)
    positioning.open_appeal(
        hr,
        Positioning.objects.get(pk=people[3].pk),
        kind=Appeal.Kind.ATTACHMENT,
        argument="Mes missions relèvent d'un autre emploi",
        received_on=NOTIFIED_ON + dt.timedelta(days=5),
    )
    draft = editions.copy_edition(national, live_edition, label="2016-campagne")
    raise_level(national, draft, draft.jobs.get(code=jobs[3].code))  # person 4's job
    return place, draft


def test_publishing_during_a_campaign_carries_decisions_and_appeals_over(
    page, browser, live_server, campaign, screenshot
):
    place, draft = campaign
    sign_in(page, live_server, "admin-camp", f"/editions/{draft.label}/")
    page.locator("a[href$='/publier/']").click()
    page.wait_for_url(f"**/editions/{draft.label}/publier/")
    row = page.locator("tr[data-establishment=CCI-CAMP]")
    assert row.locator("[data-count=kept]").inner_text() == "3"
    assert row.locator("[data-count=review]").inner_text() == "1"
    assert row.locator("[data-count=notified]").inner_text() == "1 / 2"
    assert row.locator("[data-count=contested]").inner_text() == "0 / 1"
    screenshot("publication-confirmation")
    # Without the label typed as shown: refused, nothing published.
    page.fill("#publish-label", draft.label.upper())
    page.locator("form[method=post] button.danger").click()
    page.wait_for_selector(".messages .error")
    assert not Edition.objects.get(pk=draft.pk).is_frozen
    page.fill("#publish-label", draft.label)
    page.locator("form[method=post] button.danger").click()
    # Published in the background: its page shows the progress, then the figures.
    page.wait_for_url(f"**/editions/{draft.label}/publier/*/")
    outcome = page.locator("[data-outcome]")
    outcome.wait_for(timeout=30_000)  # the page refreshes itself until the work is over
    assert "3 positionnements reportés tels quels" in outcome.inner_text()
    assert "1 à revoir" in outcome.inner_text()
    screenshot("publication-done")
    page.locator(f"main a.button[href$='/editions/{draft.label}/']").click()
    page.wait_for_url(f"**/editions/{draft.label}/")
    official = Edition.objects.get(pk=draft.pk)
    assert official.is_current

    # The HR officer's worklist never went empty: the four people are on the new edition.
    hr_page = browser.new_context(locale="fr-FR").new_page()
    sign_in(hr_page, live_server, "rh-camp", "/positionnement/CCI-CAMP/")
    hr_page.goto(f"{live_server.url}/positionnement/CCI-CAMP/?vue=liste")
    assert hr_page.locator("p.count").inner_text().startswith("4")
    statuses = dict(
        Positioning.objects.filter(edition=official, establishment=place).values_list(
            "employee__last_name", "status"
        )
    )
    assert statuses == {
        "CAMPAGNE1": "validated",
        "CAMPAGNE2": "notified",
        "CAMPAGNE3": "contested",
        "CAMPAGNE4": "proposed",
    }
    # The contested person's appeal followed them: the appeals list still has it open.
    hr_page.goto(f"{live_server.url}/positionnement/CCI-CAMP/recours/")
    assert "CAMPAGNE3" in hr_page.locator("main").inner_text()
    contested = Positioning.objects.get(edition=official, employee__last_name="CAMPAGNE3")
    assert contested.appeals.get().status == Appeal.Status.OPEN
    # The re-weighed job's person is back to review, flagged, their letter kept.
    flagged = Positioning.objects.get(edition=official, employee__last_name="CAMPAGNE4")
    assert flagged.proposals[0]["reason"].startswith("À REVOIR")
    hr_page.goto(f"{live_server.url}/personnel/{flagged.employee_id}/")
    assert "À REVOIR" in hr_page.locator("main").inner_text()
    hr_page.context.close()
