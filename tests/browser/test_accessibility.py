"""Accessibility (RGAA, WCAG 2.1 AA): every page each role reaches from its navigation, and
the main detail pages, audited with axe-core — no violation of impact serious or critical.

The audit itself is the one every browser test runs (conftest.AccessibilityAudit); this
test walks the pages on purpose, signed in as each role, and proves the audit catches a
violation when there is one.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pytest

from repertoire.accounts import services as accounts
from repertoire.catalog import selectors as catalog
from repertoire.evaluation import services as evaluations
from repertoire.positioning import services as positioning

PASSWORD = "un-mot-de-passe-tres-solide-2015"
CODE = "CCI-A11Y"


@pytest.fixture
def network(live_edition, settings):
    settings.REPERTOIRE_BACKGROUND_TASKS = "inline"
    place = positioning.create_establishment(CODE, "CCI Accessible", actor="test")
    users = {
        "hr": accounts.create_user(
            "rh-a11y", role="hr", password=PASSWORD, establishment=place, actor="test"
        ),
        "reader": accounts.create_user(
            "lecteur-a11y", role="reader", password=PASSWORD, establishment=place, actor="test"
        ),
        "national": accounts.create_user(
            "admin-a11y", role="national", password=PASSWORD, establishment=None, actor="test"
        ),
    }
    edition = catalog.get_edition()
    jobs = list(catalog.jobs_of(edition)[:2])
    employees = [
        positioning.create_employee(
            users["hr"],
            place,
            matricule=f"A{number}",
            last_name=f"ACCÈS{number}",
            first_name="Lou",
            job_title=job.title,
            hire_date=dt.date(2015, 9, 1),
        )
        for number, job in enumerate(jobs, start=1)
    ]
    codes = [criterion.code for criterion in catalog.criteria_of(edition)]
    evaluation = evaluations.create_evaluation(
        users["hr"], place, title="Chargée de mission accessibilité",
        degrees=dict.fromkeys(codes, 3), missions="Auditer les sites\nFormer les équipes",
    )  # fmt: skip
    return {
        "users": users,
        "job": jobs[0],
        "employee": employees[0],
        "evaluation": evaluation,
        "edition": edition,
    }


def sign_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/compte/connexion/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(lambda url: "/connexion/" not in url)


def navigation_paths(page) -> list[str]:
    """The addresses of the site navigation this user is shown (main and account)."""
    hrefs = page.locator("header.site nav a[href]").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    return list(dict.fromkeys(href for href in hrefs if href.startswith("/")))


def detail_paths(network, role: str) -> list[str]:
    job, employee = network["job"], network["employee"]
    paths = [
        f"/emplois/{job.code}/",
        f"/personnel/{employee.pk}/",
        f"/positionnement/{CODE}/",
        f"/positionnement/{CODE}/?vue=liste",
        f"/positionnement/{CODE}/recours/",
        f"/pesees/{network['evaluation'].pk}/",
        f"/egalite/{CODE}/",
        "/journal/",
        f"/editions/{network['edition'].label}/",
    ]
    if role == "hr":
        paths += [f"/pesees/nouvelle/?etablissement={CODE}", f"/positionnement/{CODE}/importer/"]
    return paths


@pytest.mark.parametrize("role", ["reader", "hr", "national"])
def test_every_page_of_each_role_has_no_serious_violation(
    page, live_server, network, accessibility, role
):
    user = network["users"][role]
    sign_in(page, live_server, user.get_username())
    paths = navigation_paths(page)
    assert len(paths) >= 5, paths  # the navigation was read
    visited = []
    details = detail_paths(network, role)
    for path in [*paths, *details]:
        response = page.goto(live_server.url + path)
        if role == "reader" and path in details and response.status in (403, 404):
            pass  # a page this role may not open: its refusal page is audited all the same
        else:
            # Every link the navigation shows a role is one it may follow.
            assert response.ok, (role, path, response.status)
        visited.append(page.url)
        accessibility.flush()  # this page audited before the next one is asked for
    audited = {urlsplit(url).path for url in accessibility.checked}
    missing = [path for path in visited if urlsplit(path).path not in audited]
    assert missing == [], f"pages never audited: {missing}"
    assert accessibility.violations == [], accessibility.report()


def test_without_the_apps_scripts_every_page_still_has_no_serious_violation(
    browser, live_server, network, accessibility
):
    """A page whose scripts did not load (a strict proxy, a slow line) is still usable:
    what the scripts add is never what makes a page accessible. The app's scripts are
    refused at the network; axe is injected through the debugging protocol all the same."""
    context = browser.new_context(locale="fr-FR")
    refused = []

    def refuse(route):
        refused.append(route.request.url)
        route.abort()

    context.route("**/*.js", refuse)
    page = context.new_page()
    sign_in(page, live_server, network["users"]["hr"].get_username())
    visited = []
    for path in [*navigation_paths(page), *detail_paths(network, "hr")]:
        response = page.goto(live_server.url + path)
        assert response.ok, (path, response.status)
        visited.append(urlsplit(page.url).path)
        accessibility.flush()
    assert set(visited) <= {urlsplit(url).path for url in accessibility.checked}
    assert refused, "the pages load scripts: the test refused none"
    assert accessibility.violations == [], accessibility.report()
    context.close()


def test_the_audit_catches_a_violation(page, live_server, live_edition, accessibility):
    """The automatic check is not an empty promise: a bad page is reported."""
    page.goto(live_server.url + "/")
    page.evaluate(
        "() => { document.documentElement.removeAttribute('lang');"
        " const i = document.createElement('input'); document.querySelector('main').append(i); }"
    )
    accessibility.check(page)  # same document: checked again on demand
    found = {violation["id"] for violation in accessibility.violations}
    assert {"html-has-lang", "label"} <= found, accessibility.report()
    assert len(accessibility.checked) == 2
    accessibility.violations.clear()  # expected here: don't fail this test's teardown
