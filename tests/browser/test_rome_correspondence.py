"""Bringing a draft's ROME codes in line with the shipped correspondence, in a real browser:
from the draft's page, the differing jobs all ticked, the button's count following the
boxes, the count changed afterwards, and the change undone."""

from __future__ import annotations

from repertoire.accounts import services as accounts
from repertoire.bundled import rome_correspondence
from repertoire.catalog import selectors, services
from repertoire.core.rome import PRIMARY
from tests.browser.helpers import PASSWORD, follow, sign_in


def test_a_national_administrator_applies_the_ticked_jobs(
    page, live_server, live_edition, screenshot
):
    national = accounts.create_user(
        "admin-rome", role="national", password=PASSWORD, establishment=None, actor="test"
    )
    draft = services.copy_edition(national, live_edition, label="2015-rome")
    several = {link.job_code for link in rome_correspondence() if link.role != PRIMARY}
    first, second = [job for job in draft.jobs.order_by("position") if job.code in several][:2]
    for job in (first, second):  # the secondary codes dropped by hand
        services.set_job_rome_codes(
            national, job, primary=job.rome_codes.get(role=PRIMARY).rome_code
        )

    sign_in(page, live_server, "admin-rome", f"/editions/{draft.label}/")
    page.locator(f"a[href$='/editions/{draft.label}/rome/']").click()
    page.wait_for_url(f"**/editions/{draft.label}/rome/")
    assert page.locator("input[name=emploi]:checked").count() == 2
    assert page.locator("[data-ticked-count]").inner_text() == "2"
    screenshot("rome-correspondence")
    page.locator(f"#rome-{second.code}").uncheck()
    assert page.locator("[data-ticked-count]").inner_text() == "1"
    follow(page, page.locator("form[data-count-ticked] button[type=submit]"))
    page.wait_for_selector(".messages .success")
    assert "1 emploi porte désormais" in page.locator(".messages").inner_text()
    assert [change.job_code for change in selectors.correspondence_diff(draft).changes] == [
        second.code
    ]

    # Undone: the job gets back the codes it had, and both differ again.
    undo = page.locator("#rome-undo button[type=submit]")
    assert "1 emploi retrouve ses codes" in undo.inner_text()
    follow(page, undo)
    page.wait_for_selector(".messages .success")
    assert "1 emploi porte à nouveau" in page.locator(".messages").inner_text()
    assert page.locator("#rome-undo").count() == 0
    assert {change.job_code for change in selectors.correspondence_diff(draft).changes} == {
        first.code,
        second.code,
    }
