"""Small steps the browser tests share: signing in through the login page."""

from __future__ import annotations

PASSWORD = "un-mot-de-passe-tres-solide-2015"


def sign_in(page, live_server, username: str, landing: str) -> None:
    """Sign ``username`` in through the login form and wait for ``landing``."""
    page.goto(f"{live_server.url}/compte/connexion/?next={landing}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(f"**{landing}")


def follow(page, control) -> None:
    """Click ``control`` and wait until the document it leads to has loaded.

    Without it, the next line may read the page being left: a locator's
    ``count()`` does not wait, and a message the previous action left on the
    page satisfies ``wait_for()`` at once, before the server has answered.
    """
    with page.expect_navigation():
        control.click()
