"""Evaluation a local job in a real browser: the HR officer picks degrees and sees the level
follow without the page reloading, justifies each degree and submits; a national
administrator validates."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from repertoire.accounts import services as accounts
from repertoire.catalog import selectors as catalog
from repertoire.evaluation.models import JobEvaluation
from repertoire.positioning import services as positioning
from tests.browser.conftest import ARTIFACTS
from tests.browser.helpers import follow

PASSWORD = "un-mot-de-passe-tres-solide-2015"
LOCAL_TITLE = "Chargée de projets événementiels"


@pytest.fixture
def establishment(live_edition, settings):
    settings.REPERTOIRE_BACKGROUND_TASKS = "inline"
    place = positioning.create_establishment("CCI-PESEE", "CCI Pesée", actor="test")
    accounts.create_user(
        "rh-pesee", role="hr", password=PASSWORD, establishment=place, actor="test"
    )
    accounts.create_user(
        "admin-pesee", role="national", password=PASSWORD, establishment=None, actor="test"
    )
    return place


def sign_in(page, live_server, username: str, next_url: str) -> None:
    page.goto(f"{live_server.url}/compte/connexion/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(f"**{next_url}")


def pick(page, degrees: dict[str, int]) -> None:
    for code, degree in degrees.items():
        page.check(f"#id_degree_{code}_{degree}")


def test_evaluate_submit_and_validate(browser, page, live_server, establishment, screenshot):
    edition = catalog.get_edition()
    codes = [criterion.code for criterion in catalog.criteria_of(edition)]
    grid = catalog.grid_of(edition)
    # Two profiles whose levels differ, the second the one submitted.
    first = dict.fromkeys(codes, 2)
    second = {code: 4 + index % 2 for index, code in enumerate(codes)}  # every degree higher
    first_level = grid.classify(list(first.values()))
    second_level = grid.classify(list(second.values()))
    assert first_level.level != second_level.level

    sign_in(page, live_server, "rh-pesee", "/pesees/")
    page.locator("a[href^='/pesees/nouvelle/']").click()
    page.wait_for_url("**/pesees/nouvelle/?etablissement=CCI-PESEE")
    # The script computes: the button for browsers without it is gone.
    expect(page.locator("button[value=compute]")).to_be_hidden()
    page.evaluate("window.sameDocument = true")
    panel = page.locator("#evaluation-result")
    assert panel.get_attribute("aria-live") == "polite"

    pick(page, first)
    expect(panel.locator(".level-value")).to_have_text(first_level.roman)
    page.fill("#id_title", LOCAL_TITLE)
    page.fill("#id_missions", "Organiser les salons professionnels\nCoordonner les prestataires")
    expect(panel.locator(".by-text li").first).to_be_visible()
    # Typing stays where it was while the panel changes.
    assert page.evaluate("document.activeElement.id") == "id_missions"

    pick(page, second)
    # The explanation names the total, which only the whole second profile reaches (the
    # panel follows each click, and a profile half-way may already have the same level).
    expect(panel.locator(".explanation")).to_have_text(second_level.explanation)
    expect(panel.locator(".level-value")).to_have_text(second_level.roman)
    assert panel.locator(".level-value").get_attribute("data-level") == str(second_level.level)
    assert panel.locator(".by-profile li").count() == 5
    assert page.evaluate("window.sameDocument") is True  # no reload
    screenshot("evaluation-form-live")

    # Submitting asks for every justification, next to each criterion.
    page.locator("button[name=action][value=submit]").click()
    page.wait_for_load_state()
    expect(page.locator(".criterion .errorlist")).to_have_count(len(codes))
    assert not JobEvaluation.objects.exists()
    for code in codes:
        assert page.is_checked(f"#id_degree_{code}_{second[code]}")  # kept as chosen
        page.fill(
            f"#id_justification_{code}", f"Comparé aux emplois repères du degré {second[code]}"
        )
    page.locator("button[name=action][value=submit]").click()
    page.wait_for_url("**/pesees/*/")
    evaluation = JobEvaluation.objects.get()
    assert (evaluation.status, evaluation.level) == ("submitted", second_level.level)
    screenshot("evaluation-submitted")

    # A national administrator, in another browser session, validates it.
    context = browser.new_context(locale="fr-FR")
    national = context.new_page()
    try:
        sign_in(national, live_server, "admin-pesee", f"/pesees/{evaluation.pk}/")
        national.fill("#validate-comment", "Pesée conforme aux emplois repères")
        follow(national, national.locator("button[name=decision][value=validate]"))
        national.locator(".message.success").wait_for()
        expect(national.locator("h1 .status-validated")).to_be_visible()
        expect(national.locator("ol.history li")).to_have_count(3)  # created, submitted, validated
        national.screenshot(path=str(ARTIFACTS / "evaluation-validated.png"), full_page=True)
    finally:
        context.close()
    evaluation.refresh_from_db()
    assert (evaluation.status, evaluation.decided_by) == ("validated", "admin-pesee")
