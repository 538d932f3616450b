"""The consultation pages in a real browser: home, search as you type, sheet, compare, print."""

from __future__ import annotations

import re

import pytest

from repertoire.core.text import strip_accents


def test_home_lists_the_jobs_and_opens_a_sheet(
    page, live_server, live_edition, document, screenshot
):
    page.goto(live_server.url + "/")
    assert document.title.lower() in page.title().lower()
    links = page.locator("ul.jobs a")
    assert links.count() == len(document.jobs)
    screenshot("home")

    sheet = next(job for job in document.jobs if any(m.subitems for m in job.missions))
    page.locator("ul.jobs").get_by_role("link", name=sheet.title, exact=True).click()
    page.wait_for_url(f"**/emplois/{sheet.code}/")
    assert page.get_by_role("heading", level=1).inner_text() == sheet.title
    nested = page.locator("section[aria-labelledby=missions] li ul li")
    assert nested.count() == sum(len(m.subitems) for m in sheet.missions)
    assert page.locator("table.degrees tbody tr").count() == len(document.criteria)
    assert page.locator("svg.radar g.series").count() == 1
    assert page.locator("svg.radar g.series circle").count() == len(document.criteria)
    screenshot("job-sheet")


def test_skip_link_reaches_the_content_by_keyboard(page, live_server, live_edition):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"


def _result_codes(page) -> list[str]:
    hrefs = page.locator("a.result-title").evaluate_all("els => els.map(e => e.pathname)")
    return [href.strip("/").split("/")[-1] for href in hrefs]


def test_search_updates_as_you_type_with_typos_and_without_accents(
    page, live_server, live_edition, document, screenshot
):
    page.goto(live_server.url + "/recherche/")
    box = page.get_by_label("Que cherchez-vous ?")

    # Without accents, as typed on a phone: the accented title comes first.
    accented = next(job for job in document.jobs if re.search(r"[éè]", job.title))
    box.press_sequentially(strip_accents(accented.title).lower(), delay=20)
    page.wait_for_function(
        "code => document.querySelector('a.result-title')?.pathname.includes(code)",
        arg=accented.code,
    )
    assert "q=" in page.url  # the address follows, so the result can be shared

    # One letter dropped from a long title word still finds the job.
    target = next(job for job in document.jobs if len(job.title.split()[0]) >= 8)
    word = strip_accents(target.title.split()[0]).lower().strip("()")
    typo = word[:3] + word[4:]
    box.fill("")
    box.press_sequentially(typo, delay=20)
    page.wait_for_function(
        "code => [...document.querySelectorAll('a.result-title')]"
        ".some(a => a.pathname.includes(code))",
        arg=target.code,
    )
    assert page.locator("#results mark").count() > 0
    screenshot("search-typo")


def test_search_works_without_javascript(browser, live_server, live_edition, document):
    context = browser.new_context(locale="fr-FR", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/")
        target = document.jobs[-1]
        page.get_by_label("Rechercher dans le répertoire").fill(target.title)
        page.get_by_role("button", name="Rechercher").click()
        page.wait_for_url("**/recherche/?q=*")
        assert target.code in _result_codes(page)
    finally:
        context.close()


def test_compare_three_jobs_from_the_results(page, live_server, live_edition, document, screenshot):
    page.goto(live_server.url + "/recherche/?q=&niveau=4&niveau=5")
    codes = _result_codes(page)[:3]
    for code in codes:
        page.locator(f"#cmp-{code}").check()
    page.get_by_role("button", name=re.compile("Comparer les emplois cochés")).click()
    page.wait_for_url("**/comparer/**")
    headers = page.locator("table.comparison thead th")
    assert headers.count() == 1 + len(codes)
    assert page.locator("svg.radar g.series").count() == len(codes)
    assert page.locator("table.comparison tr.differs").count() >= 1
    screenshot("compare")

    shared = page.url  # the comparison is its address
    page.goto(shared)
    assert page.locator("table.comparison thead th").count() == 1 + len(codes)


def test_every_job_sheet_prints_on_one_page(page, live_server, live_edition, document, screenshot):
    page.emulate_media(media="print")
    for sheet in document.jobs:
        page.goto(f"{live_server.url}/emplois/{sheet.code}/")
        pdf = page.pdf(format="A4", prefer_css_page_size=True)
        pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
        assert pages == 1, (sheet.title, pages)
    assert not page.locator("header.site").is_visible()
    screenshot("job-sheet-print")


@pytest.mark.parametrize(
    "path",
    ["/", "/recherche/?q=gestion", "/comparer/?emploi={a},{b},{c}", "/criteres/", "/niveaux/"],
)
def test_pages_are_labelled_and_fit_a_phone(browser, live_server, live_edition, document, path):
    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        jobs = document.jobs
        page.goto(live_server.url + path.format(a=jobs[0].code, b=jobs[1].code, c=jobs[2].code))
        unlabelled = page.evaluate(
            """() => [...document.querySelectorAll('input:not([type=hidden]), select')]
                 .filter(e => e.labels.length === 0 && !e.getAttribute('aria-label'))
                 .map(e => e.name)"""
        )
        assert unlabelled == []
        charts = page.evaluate(
            """() => [...document.querySelectorAll('svg[role=img]')].map(svg =>
                 svg.getAttribute('aria-labelledby').split(' ')
                    .every(id => document.getElementById(id)?.textContent.trim()))"""
        )
        assert all(charts)
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= 390, f"{path} scrolls sideways on a phone ({overflow}px)"
    finally:
        context.close()


def test_ticked_jobs_stay_ticked_while_typing(page, live_server, live_edition, document):
    level = document.jobs[0].level
    page.goto(f"{live_server.url}/recherche/?q=&niveau={level}")
    first = _result_codes(page)[0]
    page.locator(f"#cmp-{first}").check()
    title_word = next(job for job in document.jobs if job.code == first).title.split()[0]
    page.get_by_label("Que cherchez-vous ?").press_sequentially(title_word.lower(), delay=20)
    page.wait_for_function("() => !location.search.endsWith('q=')")
    page.wait_for_selector(f"#cmp-{first}")
    assert page.locator(f"#cmp-{first}").is_checked()
    assert "_min=" not in page.url  # empty filters stay out of the shared address


def test_download_the_edition_from_the_home_page(page, live_server, live_edition, screenshot):
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="Excel").click()
    page.wait_for_url("**/publications/*/")
    link = page.get_by_role("link", name="Télécharger le fichier Excel")
    link.wait_for(timeout=60_000)  # the page refreshes itself until the file is ready
    screenshot("publication-ready")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".xlsx")
