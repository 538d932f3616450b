"""Two HR officers in two browsers on the same person: the second one's page is older
than the first one's decision, and deciding from it is refused, with the reason on the
page; the first one's decision stands."""

from __future__ import annotations

import pytest

from repertoire.accounts import services as accounts
from repertoire.accounts.selectors import CommandLineOperator
from repertoire.positioning import services as positioning
from repertoire.positioning.models import Positioning
from tests.browser.helpers import PASSWORD, follow


@pytest.fixture
def staff(live_edition, settings):
    settings.REPERTOIRE_BACKGROUND_TASKS = "inline"
    place = positioning.create_establishment("CCI-DEUX", "CCI Deux bureaux", actor="test")
    for name in ("rh-deux-a", "rh-deux-b"):
        accounts.create_user(name, role="hr", password=PASSWORD, establishment=place, actor="test")
    first_job = live_edition.jobs.order_by("position").first()
    employee = positioning.create_employee(
        CommandLineOperator("test"),
        place,
        matricule="D0001",
        last_name="DUAL",
        first_name="Claire",
        job_title=first_job.title,
    )
    return employee


@pytest.fixture
def two_browsers(browser):
    """Two browser contexts (two officers' browsers), closed with the test: an open one
    keeps its connections to the live server alive past it."""
    contexts = [browser.new_context(locale="fr-FR") for _ in range(2)]
    yield contexts
    for context in contexts:
        context.close()


def _signed_in(context, live_server, username, landing):
    page = context.new_page()
    page.goto(f"{live_server.url}/compte/connexion/?next={landing}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(f"**{landing}")
    return page


def test_a_decision_from_a_page_left_open_is_refused(
    two_browsers, live_server, staff, live_edition
):
    landing = f"/personnel/{staff.pk}/"
    first = _signed_in(two_browsers[0], live_server, "rh-deux-a", landing)
    second = _signed_in(two_browsers[1], live_server, "rh-deux-b", landing)
    other = live_edition.jobs.order_by("position")[1]

    # The second officer places Claire on another job; the first one's page stays open.
    second.locator("summary", has_text="emploi").first.click()
    change = second.locator('form[action$="/changer/"]')
    change.locator("input[name=job]").fill(other.title)
    follow(second, change.locator("button[type=submit]"))

    # The first officer accepts the proposal the page still shows.
    follow(first, first.locator('form[action$="/valider/"] button[type=submit]'))

    assert "modifié entre-temps" in first.locator("main").inner_text()
    decided = Positioning.objects.get(employee=staff)
    assert decided.job == other
    assert decided.decided_by == "rh-deux-b"
