"""A real browser: Debian's chromium driven by Playwright (never a downloaded browser).

Skipped when chromium is absent, unless REPERTOIRE_REQUIRE_BROWSER=1 (as in CI).
Screenshots go to test-artifacts/.

Every HTML page a browser test loads, in any context the test opens, is audited with
axe-core (vendored in vendor/, never a CDN): a violation of impact "serious" or
"critical" fails the test at teardown, naming the rule, the elements and the address.
A page added later is audited with no extra code.
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
def chromium(_synchronous_orm_beside_playwright):
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
def accessibility():
    """The axe audit of the pages the test loads; fails the test at teardown."""
    audit = AccessibilityAudit()
    yield audit
    audit.assert_clean()


@pytest.fixture
def browser(chromium, accessibility):
    """The session's chromium, whose every new context is audited."""
    return AuditedBrowser(chromium, accessibility)


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


AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")
# Run the whole default rule set (WCAG 2.0/2.1 A and AA plus best practices) and keep the
# violations that block a user; the script reports which document it looked at.
AXE_RUN = """async () => {
  if (typeof axe !== 'object') return null;  // a later document than the one given axe
  const result = await axe.run(document, {resultTypes: ['violations']});
  return {
    url: document.location.href,
    violations: result.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help,
      targets: v.nodes.map(n => n.target.join(' ')),
    })),
  };
}"""


class AccessibilityAudit:
    """Runs axe-core on each document loaded in the watched pages.

    The check runs on the page's "load" event. A document left before its check finished
    (the test navigated on) is checked again, if still shown, when the test closes the
    context; any other failure (injection refused, script error) fails the test: a page is
    never silently skipped.
    """

    def __init__(self):
        self.checked: list[str] = []  # addresses of the documents audited
        self.violations: list[dict] = []
        self.errors: list[str] = []
        self.interrupted: list[str] = []  # documents left while their check ran
        self._pending: dict[int, object] = {}  # pages whose current document is unchecked
        self._running: set[int] = set()  # pages being checked (handlers run concurrently)
        self._source: str | None = None

    def watch_context(self, context) -> None:
        context.on("page", self.watch_page)
        close = context.close

        def audited_close(*args, **kwargs):
            self.flush()
            return close(*args, **kwargs)

        context.close = audited_close

    def watch_page(self, page) -> None:
        def navigated(frame):
            if frame == page.main_frame:
                self._pending[id(page)] = page

        page.on("framenavigated", navigated)
        page.on("load", lambda: self.check(page, wait=False))
        page.on("close", lambda: self._pending.pop(id(page), None))

    def check(self, page, *, wait: bool = True) -> None:
        """Audit the document the page shows (after the check under way, if any)."""
        if id(page) in self._running:
            if not wait:
                return  # the check under way ends with this document, or leaves it pending
            while id(page) in self._running and not page.is_closed():
                page.wait_for_timeout(20)  # lets the check under way finish
        if page.is_closed() or page.url in ("", "about:blank"):
            self._pending.pop(id(page), None)
            return
        self._running.add(id(page))
        try:
            self._check(page)
        finally:
            self._running.discard(id(page))

    def _check(self, page) -> None:
        url = page.url
        try:
            kind = page.evaluate("document.contentType")
            if kind != "text/html":  # a download, a JSON answer, a CSV shown inline
                self._pending.pop(id(page), None)
                return
            # Evaluated through the debugging protocol: the page's CSP doesn't apply.
            # Checked in the same evaluation, in the same document: another document at
            # the same address may be shown by the next call.
            loaded = "typeof window.axe === 'object'"
            if not page.evaluate(loaded) and not page.evaluate(f"{self.source()}\n;{loaded}"):
                raise RuntimeError("axe-core did not load")
            result = page.evaluate(AXE_RUN)
            if result is None:
                self.interrupted.append(url)  # the document shown now has its own load
                return
        except Exception as error:
            if page.is_closed() or page.url != url or "context was destroyed" in str(error):
                self.interrupted.append(url)  # the next document has its own load
                return
            self.errors.append(f"{url}: axe could not run: {error}")
            return
        if result["url"] != url:
            return  # answered by a later document than the one loaded: checked on its own
        self._pending.pop(id(page), None)
        self.checked.append(url)
        for violation in result["violations"]:
            if violation["impact"] in BLOCKING_IMPACTS:
                self.violations.append({**violation, "url": url})

    def flush(self) -> None:
        """Check the documents still shown whose load check didn't complete."""
        for page in list(self._pending.values()):
            while id(page) in self._running and not page.is_closed():
                page.wait_for_timeout(20)  # lets the check under way finish
            if not page.is_closed() and id(page) in self._pending:
                page.wait_for_load_state()
                self.check(page)
            if id(page) in self._pending and not page.is_closed():
                self.errors.append(f"{page.url}: never audited (it kept navigating)")

    def source(self) -> str:
        if self._source is None:
            self._source = AXE.read_text(encoding="utf-8")
        return self._source

    def report(self) -> str:
        lines = [f"{len(self.checked)} page(s) audited with axe-core"]
        if self.interrupted:
            lines.append(f"left before their audit ended: {', '.join(self.interrupted)}")
        lines += self.errors
        for v in self.violations:
            lines.append(f"[{v['impact']}] {v['id']} ({v['help']}) at {v['url']}")
            lines += [f"    {target}" for target in v["targets"][:10]]
        return "\n".join(lines)

    def assert_clean(self) -> None:
        self.flush()
        if self.errors or self.violations:
            pytest.fail("Accessibility audit failed:\n" + self.report(), pytrace=False)


class AuditedBrowser:
    """The session's browser, whose contexts and pages are watched by the audit."""

    def __init__(self, browser, audit: AccessibilityAudit):
        self._browser = browser
        self._audit = audit

    def new_context(self, **options):
        context = self._browser.new_context(**options)
        if options.get("java_script_enabled", True):
            self._audit.watch_context(context)
        # Without JavaScript axe can't run (evaluation waits forever): those contexts show
        # the same pages as the audited ones, without their scripts' additions.
        return context

    def new_page(self, **options):
        page = self._browser.new_page(**options)
        self._audit.watch_page(page)
        return page

    def __getattr__(self, name):
        return getattr(self._browser, name)
