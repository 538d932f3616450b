def test_home_lists_the_jobs_and_opens_a_sheet(
    page, live_server, live_edition, document, screenshot
):
    page.goto(live_server.url + "/")
    assert document.title.lower() in page.title().lower()
    links = page.locator("ul.jobs a")
    assert links.count() == len(document.jobs)
    screenshot("home")

    sheet = next(job for job in document.jobs if any(m.subitems for m in job.missions))
    page.get_by_role("link", name=sheet.title, exact=True).click()
    page.wait_for_url(f"**/emplois/{sheet.code}/")
    assert page.get_by_role("heading", level=1).inner_text() == sheet.title
    nested = page.locator("section[aria-labelledby=missions] li ul li")
    assert nested.count() == sum(len(m.subitems) for m in sheet.missions)
    rows = page.locator("table tbody tr")
    assert rows.count() == len(document.criteria)
    screenshot("job-sheet")


def test_skip_link_reaches_the_content_by_keyboard(page, live_server, live_edition):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"
