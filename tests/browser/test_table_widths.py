"""Tables and navigation that fit the screen: a phone (390 px) scrolls inside a table,
never the page; a laptop (1366 px) shows the worklist's "Accepter" column and the signed-in
navigation on one line."""

from __future__ import annotations

import pytest

from repertoire.accounts import services as accounts
from repertoire.catalog import selectors as catalog
from repertoire.positioning import services as positioning

PASSWORD = "un-mot-de-passe-tres-solide-2015"
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}


@pytest.fixture
def network(live_edition, settings):
    settings.REPERTOIRE_BACKGROUND_TASKS = "inline"
    place = positioning.create_establishment("CCI-LARGEUR", "CCI des Largeurs", actor="test")
    national = accounts.create_user("national-largeur", role="national", password=PASSWORD, establishment=None,
                                    actor="test")  # fmt: skip
    accounts.create_user("rh-largeur", role="hr", password=PASSWORD, establishment=place,
                         actor="test")  # fmt: skip
    # Local titles as long as payroll writes them: the reference job titles themselves,
    # read from the bundled edition, with a service name of real length.
    jobs = list(catalog.jobs_of(catalog.get_edition()))
    longest = sorted(jobs, key=lambda job: -len(job.title))[:6]
    for number, job in enumerate(longest, start=1):
        positioning.create_employee(
            national, place, matricule=f"L{number:05d}", last_name=f"DE LA FONTAINE-{number}",
            first_name="Marie-Charlotte", job_title=job.title,
            service="Formalités des entreprises et appui aux créateurs",
        )  # fmt: skip
    return place


def sign_in(page, live_server, username):
    page.goto(live_server.url + "/compte/connexion/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_load_state()


def page_scroll_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.parametrize("view", ["?vue=liste", ""])
def test_worklist_fits_a_phone(page, live_server, network, view, screenshot):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "rh-largeur")
    page.goto(f"{live_server.url}/positionnement/CCI-LARGEUR/{view}")
    page.locator("table.worklist").wait_for()
    screenshot(f"worklist-phone{'-liste' if view else ''}")
    assert page_scroll_width(page) <= PHONE["width"]
    # The table scrolls inside its own region instead.
    region = page.locator(".table-scroll").first
    assert region.evaluate("el => getComputedStyle(el).overflowX") == "auto"


def test_other_list_tables_fit_a_phone(page, live_server, network, live_edition):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "national-largeur")
    for path in ("/personnel/", "/journal/", "/editions/", f"/editions/{live_edition.label}/"):
        page.goto(live_server.url + path)
        page.locator("table").first.wait_for()
        assert page_scroll_width(page) <= PHONE["width"], path


def test_accept_column_visible_on_a_laptop(page, live_server, network, screenshot):
    page.set_viewport_size(LAPTOP)
    sign_in(page, live_server, "rh-largeur")
    page.goto(f"{live_server.url}/positionnement/CCI-LARGEUR/?vue=liste")
    button = page.get_by_role("button", name="Accepter").first
    button.wait_for()
    screenshot("worklist-laptop-liste")
    box = button.bounding_box()
    region = page.locator(".table-scroll").first.bounding_box()
    assert box["x"] + box["width"] <= region["x"] + region["width"]
    assert box["x"] + box["width"] <= LAPTOP["width"]
    assert page_scroll_width(page) <= LAPTOP["width"]


def test_signed_in_navigation_on_one_line_on_a_laptop(page, live_server, network, screenshot):
    page.set_viewport_size(LAPTOP)
    sign_in(page, live_server, "national-largeur")
    page.goto(live_server.url + "/personnel/")
    links = page.locator("header.site nav:not(.account) ul > li")
    assert links.count() >= 10
    tops = {round(item.bounding_box()["y"]) for item in links.all()}
    screenshot("navigation-laptop")
    assert len(tops) == 1, tops
    assert page_scroll_width(page) <= LAPTOP["width"]
