"""An HR officer validates the surest proposals of one service in a real browser: the
panel counts only the filtered people, a confirmation page lists the jobs before anything
is written, the batch is undone from its page, and notifying the establishment states its
consequences (people, appeal deadline) before it is recorded. The confidence meters draw
their value (a number in an attribute is never written with a decimal comma)."""

from __future__ import annotations

import pytest

from repertoire.accounts import services as accounts
from repertoire.catalog import selectors as catalog
from repertoire.positioning import selectors
from repertoire.positioning import services as positioning
from repertoire.positioning.models import AcceptanceBatch, Positioning

PASSWORD = "un-mot-de-passe-tres-solide-2015"
ACCOUNTING = "Comptabilité"
RECEPTION = "Accueil"
THRESHOLD = 0.5


@pytest.fixture
def hr_officer(live_edition, settings):
    settings.REPERTOIRE_BACKGROUND_TASKS = "inline"
    settings.REPERTOIRE_BULK_ACCEPT_THRESHOLD = THRESHOLD
    place = positioning.create_establishment("CCI-LOT", "CCI Lots", actor="test")
    hr = accounts.create_user(
        "rh-lot", role="hr", password=PASSWORD, establishment=place, actor="test"
    )
    # Reference job titles of the edition (sure proposals) and a title with typos.
    jobs = list(catalog.jobs_of(live_edition).order_by("position")[:3])
    rows = [(job.title, ACCOUNTING) for job in jobs[:2]] + [
        (jobs[2].title, RECEPTION),
        (jobs[0].title, RECEPTION),
        (f"{jobs[1].title.lower()} adjt", ACCOUNTING),
    ]
    for number, (title, service) in enumerate(rows, start=1):
        positioning.create_employee(
            hr, place, matricule=f"L{number:03d}", last_name=f"LOT{number}",
            first_name="Lise", job_title=title, service=service,
        )  # fmt: skip
    return place


def sign_in(page, live_server):
    page.goto(live_server.url + "/compte/connexion/?next=/positionnement/")
    page.fill("#id_username", "rh-lot")
    page.fill("#id_password", PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url("**/positionnement/CCI-LOT/")


def statuses() -> dict[str, str]:
    return dict(
        Positioning.objects.filter(establishment__code="CCI-LOT").values_list(
            "employee__matricule", "status"
        )
    )


def test_filtered_bulk_acceptance_confirmed_undone_then_notified(
    page, live_server, hr_officer, screenshot
):
    acceptable = Positioning.objects.filter(
        establishment=hr_officer, status="proposed", confidence__gte=THRESHOLD, job__isnull=False
    )
    chosen = set(
        acceptable.filter(employee__service=ACCOUNTING).values_list(
            "employee__matricule", flat=True
        )
    )
    others = set(
        acceptable.filter(employee__service=RECEPTION).values_list("employee__matricule", flat=True)
    )
    assert chosen and others
    sign_in(page, live_server)

    # The list of one service: every meter draws the figure written beside it.
    page.goto(f"{live_server.url}/positionnement/CCI-LOT/?vue=liste&service={ACCOUNTING}")
    meters = page.locator("td.confidence meter")
    assert meters.count() == 3
    for index in range(meters.count()):
        cell = page.locator("td.confidence").nth(index)
        shown = float(cell.inner_text().strip().replace(",", "."))
        drawn = meters.nth(index).evaluate("meter => meter.value")
        assert abs(drawn - shown) < 0.006, (drawn, shown)

    # The panel counts the filtered people only, and says which jobs.
    panel = page.locator("section[aria-labelledby=bulk-title]")
    assert f"{len(chosen)} propositions ont une confiance" in panel.inner_text()
    panel.get_by_role("button", name=f"Valider ces {len(chosen)} propositions").click()

    # The confirmation page: how many, on which jobs, with the filter named; nothing yet.
    page.wait_for_url("**/positionnement/CCI-LOT/accepter/**")
    summary = page.locator("#bulk-summary").inner_text()
    assert f"{len(chosen)} propositions de confiance au moins égale à 0,50" in summary
    assert ACCOUNTING in page.locator(".bulk-filters").inner_text()
    jobs_shown = page.locator("table.bulk-jobs").inner_text()
    for title in acceptable.filter(employee__service=ACCOUNTING).values_list(
        "job__title", flat=True
    ):
        assert title in jobs_shown
    assert set(statuses().values()) == {"proposed"}
    screenshot("bulk-acceptance-confirmation")
    page.get_by_role("button", name=f"Confirmer : valider {len(chosen)} propositions").click()

    page.wait_for_url("**/positionnement/CCI-LOT/?**")
    message = page.locator("ul.messages").inner_text()
    assert "0,50" in message and "0.50" not in message
    after = statuses()
    assert {m for m, status in after.items() if status == "validated"} == chosen
    assert all(after[m] == "proposed" for m in others)

    # The batch is listed; undoing it asks first, then puts back exactly its people.
    batch = AcceptanceBatch.objects.get()
    page.get_by_role("link", name="Acceptations groupées et leur annulation").click()
    page.wait_for_url("**/positionnement/CCI-LOT/lots/")
    page.locator(f"#lot-{batch.pk}").get_by_role("link", name="Annuler ce lot").click()
    page.wait_for_url(f"**/lots/{batch.pk}/annuler/")
    assert str(len(chosen)) in page.locator("#undo-summary").inner_text()
    assert "validated" in statuses().values()
    page.get_by_role("button", name=f"Confirmer : annuler l'acceptation de {len(chosen)} "
                     "positionnements").click()  # fmt: skip
    page.wait_for_url("**/positionnement/CCI-LOT/lots/")
    assert set(statuses().values()) == {"proposed"}
    assert "annulé par rh-lot" in page.locator(f"#lot-{batch.pk}").inner_text()

    # Accept everything, then notify: a confirmation page with the figures first.
    page.goto(f"{live_server.url}/positionnement/CCI-LOT/")
    everyone = len(chosen | others)
    page.get_by_role("button", name=f"Valider ces {everyone} propositions").click()
    page.get_by_role("button", name=f"Confirmer : valider {everyone} propositions").click()
    page.wait_for_url("**/positionnement/CCI-LOT/")
    page.get_by_role("button", name="Enregistrer la remise de ces lettres ce jour").click()
    page.wait_for_url("**/positionnement/CCI-LOT/notifier/**")
    consequences = page.locator("#notify-consequences").inner_text()
    assert f"{everyone} collaborateurs" in consequences
    from django.utils import timezone

    deadline = selectors.appeal_deadline(timezone.localdate())
    assert deadline.strftime("%d/%m/%Y") in consequences
    assert "notified" not in statuses().values()
    screenshot("notification-confirmation")
    page.get_by_role("button", name=f"Confirmer : notifier {everyone} collaborateurs").click()
    page.wait_for_url("**/positionnement/CCI-LOT/")
    assert sum(1 for status in statuses().values() if status == "notified") == everyone


def test_a_second_click_on_the_confirmation_sends_nothing_more(page, live_server, hr_officer):
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/positionnement/CCI-LOT/accepter/")
    confirm = page.locator("form[data-once] button[type=submit]")
    # Count the submissions that would leave the page, and keep the page (the server's
    # answer to a repeat is tested without a browser).
    page.evaluate(
        """() => {
          window.sent = 0;
          document.querySelector("form[data-once]").addEventListener("submit", (event) => {
            if (!event.defaultPrevented) window.sent += 1;
            event.preventDefault();
          });
        }"""
    )

    confirm.click()
    page.wait_for_function("() => document.querySelector('form[data-once] button').disabled")
    confirm.click(force=True)
    confirm.evaluate("button => button.form.requestSubmit()")

    assert page.evaluate("() => window.sent") == 1
    assert not AcceptanceBatch.objects.exists()
