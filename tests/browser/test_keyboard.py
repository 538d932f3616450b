"""Keyboard alone (RGAA 7.3, 10.7; WCAG 2.1.1, 2.4.7): an HR officer accepts a proposal on
the worklist, records an employee's decision and fills and submits an evaluation with Tab,
arrows, Space and Enter only — never the mouse — and sees where the focus is at each
step."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from repertoire.accounts import services as accounts
from repertoire.catalog import selectors as catalog
from repertoire.evaluation.models import JobEvaluation
from repertoire.positioning import services as positioning
from repertoire.positioning.models import Positioning

PASSWORD = "un-mot-de-passe-tres-solide-2015"
CODE = "CCI-CLAVIER"
# Where the keyboard focus is, and whether it can be seen: the site's own thick outline,
# not the browser's thin default ring (1px, too faint on the form fields).
FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute('name'),
    text: (el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 80),
    visible: !['none', 'auto'].includes(style.outlineStyle) && parseFloat(style.outlineWidth) >= 2,
  };
}"""


@pytest.fixture
def establishment(live_edition, settings):
    settings.REPERTOIRE_BACKGROUND_TASKS = "inline"
    place = positioning.create_establishment(CODE, "CCI Clavier", actor="test")
    hr = accounts.create_user(
        "rh-clavier", role="hr", password=PASSWORD, establishment=place, actor="test"
    )
    jobs = list(catalog.jobs_of(catalog.get_edition())[:3])
    for number, job in enumerate(jobs, start=1):
        positioning.create_employee(
            hr, place, matricule=f"K{number}", last_name=f"TOUCHE{number}", first_name="Alix",
            job_title=job.title, hire_date=dt.date(2016, 1, 4),
        )  # fmt: skip
    return place


def tab_to(page, test: str, *, limit: int = 600, backwards: bool = False) -> dict:
    """Press Tab until the focused element passes the JavaScript test (el => bool); every
    stop on the way must show its focus."""
    hidden = []
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        focus = page.evaluate(FOCUS)
        if focus is None:
            continue
        if not focus["visible"]:
            hidden.append(focus)
        if page.evaluate(f"({test})(document.activeElement)"):
            assert hidden == [], f"focus not visible on {hidden}"
            return focus
    raise AssertionError(f"never reached by the keyboard: {test}")


def type_text(page, text: str) -> None:
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def sign_in(page, live_server) -> None:
    page.goto(f"{live_server.url}/compte/connexion/?next=/positionnement/")
    tab_to(page, "el => el.id === 'id_username'")
    page.keyboard.type("rh-clavier")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/positionnement/{CODE}/")


def test_accept_a_proposal_on_the_worklist(page, live_server, establishment):
    sign_in(page, live_server)
    tab_to(page, "el => el.matches('a[href*=\"vue=liste\"]') && !el.closest('.status-counts')")
    page.keyboard.press("Enter")
    page.wait_for_url("**vue=liste*")
    focus = tab_to(
        page,
        "el => el.matches('table.worklist button') && /TOUCHE1/.test(el.getAttribute('aria-label'))",
    )
    assert "TOUCHE1" in focus["text"]
    page.keyboard.press("Enter")
    expect(page.locator(".message.success")).to_be_visible()
    accepted = Positioning.objects.get(employee__matricule="K1", establishment=establishment)
    assert accepted.status == "validated"
    assert accepted.decided_by == "rh-clavier"


def test_record_an_employee_decision(page, live_server, establishment):
    sign_in(page, live_server)
    person = Positioning.objects.get(employee__matricule="K2", establishment=establishment)
    other = catalog.jobs_of(person.edition).exclude(pk=person.job_id).last()
    page.goto(f"{live_server.url}/personnel/{person.employee_id}/")
    tab_to(page, "el => el.tagName === 'SUMMARY' && el.textContent.includes('Changer')")
    page.keyboard.press("Enter")  # opens the change form
    tab_to(page, "el => el.id === 'id_job'")
    type_text(page, other.title)
    page.keyboard.press("Escape")  # closes the list of suggestions, keeps the text
    tab_to(page, "el => el.id === 'id_comment'")
    page.keyboard.type("Missions vérifiées avec le manager")
    tab_to(page, "el => el.type === 'submit' && el.form?.querySelector('#id_job')")
    page.keyboard.press("Enter")
    expect(page.locator(".message.success")).to_be_visible()
    person.refresh_from_db()
    assert (person.job_id, person.status) == (other.pk, "validated")


def test_fill_and_submit_an_evaluation(page, live_server, establishment):
    edition = catalog.get_edition()
    codes = [criterion.code for criterion in catalog.criteria_of(edition)]
    degrees = {code: 2 + index % 3 for index, code in enumerate(codes)}
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/pesees/nouvelle/?etablissement={CODE}")
    tab_to(page, "el => el.id === 'id_title'")
    page.keyboard.type("Chargée de mission numérique")
    tab_to(page, "el => el.id === 'id_missions'")
    page.keyboard.type("Animer le site\nFormer les élus")
    for code in codes:
        # The group of degrees is one stop; the arrows choose within it (Space the first).
        tab_to(page, f"el => el.type === 'radio' && el.name === 'degree_{code}'")
        page.keyboard.press("Space")
        for _ in range(degrees[code] - 1):
            page.keyboard.press("ArrowDown")
        assert page.is_checked(f"#id_degree_{code}_{degrees[code]}")
        tab_to(page, f"el => el.id === 'id_justification_{code}'")
        page.keyboard.type(f"Comparé aux emplois repères du degré {degrees[code]}")
    level = catalog.grid_of(edition).classify(list(degrees.values()))
    expect(page.locator("#evaluation-result .level-value")).to_have_text(level.roman)
    tab_to(page, "el => el.type === 'submit' && el.value === 'submit'")
    page.keyboard.press("Enter")
    page.wait_for_url("**/pesees/*/")
    evaluation = JobEvaluation.objects.get()
    assert (evaluation.status, evaluation.level) == ("submitted", level.level)
    assert evaluation.degrees == degrees
