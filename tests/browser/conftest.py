"""A real browser: Debian's chromium driven by Playwright (never a downloaded browser).

Skipped when chromium is absent, unless REPERTOIRE_REQUIRE_BROWSER=1 (as in CI).
Screenshots go to test-artifacts/.
"""

import os
from pathlib import Path

import pytest

from repertoire.catalog import services

CHROMIUM = os.environ.get("REPERTOIRE_CHROMIUM", "/usr/bin/chromium")
# This machine has no network: without these flags chromium keeps calling home.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def _synchronous_orm_beside_playwright():
    # Playwright's sync API runs an event loop in the test thread; the ORM calls the
    # tests make around it (database set-up included) are still synchronous.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="session")
def browser(_synchronous_orm_beside_playwright):
    if not os.path.exists(CHROMIUM):
        if os.environ.get("REPERTOIRE_REQUIRE_BROWSER") == "1":
            pytest.fail(
                f"chromium is required (REPERTOIRE_REQUIRE_BROWSER=1) but {CHROMIUM} is missing"
            )
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot(page):
    ARTIFACTS.mkdir(exist_ok=True)

    def take(name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def live_edition(transactional_db):
    return services.ensure_bundled_edition(author="test")
