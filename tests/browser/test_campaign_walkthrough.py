"""An HR officer's positioning campaign that no single click can wreck, walked through
in a real browser: a filtered bulk acceptance confirmed then undone, accepted again and
notified after its confirmation page, an appeal recorded, another person validated; then
a national administrator publishes a new edition in the middle of it (one job changed),
and the HR officer finds everyone carried over: the decided and contested as they were,
the changed job's person back to review, the undecided with proposals on the new edition.

Only the set-up (establishment, accounts, the payroll CSV imported) and the double checks
go through the database; every decision is taken on the pages."""

from __future__ import annotations

import csv

import pytest
from django.utils import timezone

from repertoire.accounts import services as accounts
from repertoire.catalog import selectors as catalog
from repertoire.catalog.models import Edition
from repertoire.core.payroll import read_payroll
from repertoire.positioning import selectors
from repertoire.positioning import services as positioning
from repertoire.positioning.models import AcceptanceBatch, Appeal, Positioning
from tests.browser.conftest import ARTIFACTS
from tests.browser.helpers import PASSWORD, follow, sign_in

CODE = "CCI-WALK"
ACCOUNTING = "Comptabilité"
RECEPTION = "Accueil"
# Exact titles are sure (1.00); a job changed by the new edition proposes its successor at
# 0.50, for HR to look at: never swept by a bulk acceptance at this threshold.
THRESHOLD = 0.9
DRAFT = "2015-walk"
# Matricule -> (index of the edition job whose title payroll writes, service).
PEOPLE = {
    "W1": (0, ACCOUNTING),  # notified, then contests
    "W2": (1, ACCOUNTING),  # notified
    "W3": (2, ACCOUNTING),  # notified, on the job the new edition changes
    "W4": (0, RECEPTION),  # validated one by one
    "W5": (3, RECEPTION),  # left undecided
    "W6": (1, RECEPTION),  # left undecided
}
CHANGED = 2  # index of the job the new edition changes


def payroll_csv(path, jobs) -> bytes:
    """The payroll export as Excel writes it: Windows-1252, semicolons, French headers."""
    with path.open("w", encoding="cp1252", newline="") as file:
        writer = csv.writer(file, delimiter=";")
        writer.writerow(["Matricule", "NOM", "Prénom", "Intitulé du poste", "Service"])
        for matricule, (index, service) in PEOPLE.items():
            writer.writerow([matricule, f"MARCHE{matricule[1:]}", "Inès", jobs[index].title,
                             service])  # fmt: skip
    return path.read_bytes()


@pytest.fixture
def campaign(live_edition, settings, tmp_path):
    settings.REPERTOIRE_BACKGROUND_TASKS = "inline"
    settings.REPERTOIRE_BULK_ACCEPT_THRESHOLD = THRESHOLD
    place = positioning.create_establishment(CODE, "CCI Parcours", actor="test")
    accounts.create_user("admin-walk", role="national", password=PASSWORD,
                         establishment=None, actor="test")  # fmt: skip
    hr = accounts.create_user("rh-walk", role="hr", password=PASSWORD, establishment=place,
                              actor="test")  # fmt: skip
    # Four jobs of the bundled edition with distinct titles, whose degrees can still rise.
    jobs, titles = [], set()
    for job in catalog.jobs_of(live_edition).select_related("level").order_by("position"):
        if job.level.number < 8 and job.title not in titles:
            jobs.append(job)
            titles.add(job.title)
        if len(jobs) == 4:
            break
    content = payroll_csv(tmp_path / "paie.csv", jobs)
    result = positioning.import_employees(hr, place, read_payroll(content, "paie.csv"))
    assert (result.created, result.proposed) == (len(PEOPLE), len(PEOPLE))
    return place, jobs


def by_matricule(edition=None) -> dict[str, Positioning]:
    found = Positioning.objects.filter(establishment__code=CODE)
    if edition is not None:
        found = found.filter(edition=edition)
    return {p.employee.matricule: p for p in found.select_related("employee", "job")}


def statuses(edition=None) -> dict[str, str]:
    return {matricule: p.status for matricule, p in by_matricule(edition).items()}


def test_a_campaign_walked_through_bulk_undo_notification_and_publication(
    page, browser, live_server, live_edition, campaign, screenshot
):
    place, jobs = campaign
    accounting = {m for m, (_, service) in PEOPLE.items() if service == ACCOUNTING}
    reception = set(PEOPLE) - accounting
    first = by_matricule()
    assert all(first[m].status == "proposed" and first[m].confidence >= THRESHOLD
               for m in PEOPLE)  # fmt: skip

    # 1. The worklist filtered by one service: the panel counts the rows shown.
    sign_in(page, live_server, "rh-walk", f"/positionnement/{CODE}/")
    page.get_by_role("link", name="Examiner collaborateur par collaborateur").click()
    page.select_option("#id_service", ACCOUNTING)
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url("**service=**")
    shown = page.locator("table.worklist tbody tr")
    assert shown.count() == len(accounting)
    assert page.locator("p.count").inner_text().startswith(str(len(accounting)))
    for matricule in accounting:
        assert f"MARCHE{matricule[1:]}" in page.locator("table.worklist").inner_text()
    panel = page.locator("section[aria-labelledby=bulk-title]")
    assert f"{shown.count()} propositions ont une confiance" in panel.inner_text()
    screenshot("walk-filtered-worklist")
    panel.get_by_role("button", name=f"Valider ces {len(accounting)} propositions").click()

    # The confirmation page: the count, the service named, each job listed; nothing yet.
    page.wait_for_url(f"**/positionnement/{CODE}/accepter/**")
    summary = page.locator("#bulk-summary").inner_text()
    assert f"{len(accounting)} propositions de confiance au moins égale à 0,90" in summary
    assert ACCOUNTING in page.locator(".bulk-filters").inner_text()
    listed = page.locator("table.bulk-jobs").inner_text()
    for matricule in accounting:
        assert first[matricule].job.title in listed
    assert set(statuses().values()) == {"proposed"}
    screenshot("walk-bulk-confirmation")
    page.get_by_role("button", name=f"Confirmer : valider {len(accounting)} propositions").click()
    page.wait_for_url(f"**/positionnement/{CODE}/?**")
    after = statuses()
    assert {m for m, status in after.items() if status == "validated"} == accounting
    assert {after[m] for m in reception} == {"proposed"}

    # 2. The batch undone from its page, after its confirmation: back to "proposé".
    batch = AcceptanceBatch.objects.get(establishment=place)
    page.get_by_role("link", name="Acceptations groupées et leur annulation").click()
    page.wait_for_url(f"**/positionnement/{CODE}/lots/")
    page.locator(f"#lot-{batch.pk}").get_by_role("link", name="Annuler ce lot").click()
    page.wait_for_url(f"**/lots/{batch.pk}/annuler/")
    assert str(len(accounting)) in page.locator("#undo-summary").inner_text()
    screenshot("walk-undo-confirmation")
    page.get_by_role("button", name=f"Confirmer : annuler l'acceptation de {len(accounting)} "
                     "positionnements").click()  # fmt: skip
    page.wait_for_url(f"**/positionnement/{CODE}/lots/")
    assert set(statuses().values()) == {"proposed"}
    page.goto(f"{live_server.url}/positionnement/{CODE}/?vue=liste&service={ACCOUNTING}")
    shown_statuses = page.locator("table.worklist tbody span.status").all_inner_texts()
    assert shown_statuses == ["proposé"] * len(accounting)

    # 3. The same service accepted again, then notified after its confirmation page.
    panel = page.locator("section[aria-labelledby=bulk-title]")
    panel.get_by_role("button", name=f"Valider ces {len(accounting)} propositions").click()
    page.get_by_role("button", name=f"Confirmer : valider {len(accounting)} propositions").click()
    page.wait_for_url(f"**/positionnement/{CODE}/?**")
    assert {m for m, s in statuses().items() if s == "validated"} == accounting
    page.get_by_role("button", name="Enregistrer la remise de ces lettres ce jour").click()
    page.wait_for_url(f"**/positionnement/{CODE}/notifier/**")
    consequences = page.locator("#notify-consequences").inner_text()
    assert f"{len(accounting)} collaborateurs" in consequences
    deadline = selectors.appeal_deadline(timezone.localdate())
    assert deadline.strftime("%d/%m/%Y") in consequences
    assert "notified" not in statuses().values()  # the page alone notified nobody
    screenshot("walk-notify-confirmation")
    page.get_by_role(
        "button", name=f"Confirmer : notifier {len(accounting)} collaborateurs"
    ).click()
    page.wait_for_url(f"**/positionnement/{CODE}/**")
    assert {m for m, s in statuses().items() if s == "notified"} == accounting

    # 4. W1's appeal recorded on their page; W4 accepted from the list.
    page.goto(f"{live_server.url}/personnel/{first['W1'].employee_id}/")
    page.get_by_text("Enregistrer un recours").click()
    page.select_option("#id_kind", Appeal.Kind.ATTACHMENT)
    page.fill("#id_argument", "Mes missions relèvent d'un autre emploi.")
    page.get_by_role("button", name="Enregistrer le recours").click()
    page.wait_for_url("**/positionnement/recours/*/")
    page.goto(f"{live_server.url}/positionnement/{CODE}/?vue=liste&service={RECEPTION}")
    follow(page, page.get_by_role("button", name="Accepter la proposition pour MARCHE4"))
    page.locator(".message.success").wait_for()
    decided = statuses()
    assert (decided["W1"], decided["W4"]) == ("contested", "validated")
    assert {decided[m] for m in ("W2", "W3")} == {"notified"}
    assert {decided[m] for m in ("W5", "W6")} == {"proposed"}

    # 5. The national administrator: a draft copied, W3's job re-weighed, then published.
    changed = jobs[CHANGED]
    admin = browser.new_context(locale="fr-FR").new_page()
    sign_in(admin, live_server, "admin-walk", "/editions/")
    admin.fill("#id_label", DRAFT)
    admin.locator("form[action$='/copier/'] button[type=submit]").click()
    admin.wait_for_url(f"**/editions/{DRAFT}/")
    admin.goto(f"{live_server.url}/editions/{DRAFT}/emplois/{changed.code}/")
    for select in admin.locator("select[name^=degree_]").all():
        select.select_option("8")
    admin.wait_for_selector(".level-value[data-level='8']")
    admin.locator("form.job-form button[type=submit]").click()
    admin.wait_for_url(f"**/editions/{DRAFT}/")
    admin.locator("a[href$='/publier/']").click()
    admin.wait_for_url(f"**/editions/{DRAFT}/publier/")
    row = admin.locator(f"tr[data-establishment={CODE}]")
    figures = [cell.inner_text() for cell in row.locator("td").all()]
    # positioned, undecided, decided, kept, back to review, notified, contested
    assert figures == ["6", "2", "4", "3", "1", "1 / 2", "0 / 1"]
    admin.screenshot(path=str(ARTIFACTS / "walk-publication-impact.png"), full_page=True)
    admin.fill("#publish-label", DRAFT.replace("-", " "))
    admin.locator("form[method=post] button.danger").click()
    admin.wait_for_selector(".messages .error")
    assert not Edition.objects.get(label=DRAFT).is_frozen
    assert set(by_matricule()) == set(PEOPLE)  # nothing carried over yet
    admin.fill("#publish-label", DRAFT)
    admin.locator("form[method=post] button.danger").click()
    admin.wait_for_url(f"**/editions/{DRAFT}/publier/*/")  # in the background, then done
    outcome = admin.locator("[data-outcome]")
    outcome.wait_for(timeout=30_000)
    assert "3 positionnements reportés tels quels" in outcome.inner_text()
    official = Edition.objects.get(label=DRAFT)
    assert official.is_frozen and official.is_current
    admin.context.close()

    # 6. Back as the HR officer: nobody lost, each carried over as the rules say.
    page.goto(f"{live_server.url}/positionnement/{CODE}/?vue=liste")
    assert page.locator("p.count").inner_text().startswith(str(len(PEOPLE)))
    assert page.locator("table.worklist tbody tr").count() == len(PEOPLE)
    # The bulk panel offers the undecided only: the changed job's person is looked at first.
    panel = page.locator("section[aria-labelledby=bulk-title]")
    assert "2 propositions ont une confiance" in panel.inner_text()
    assert changed.title not in panel.locator("ul.bulk-jobs").inner_text()
    screenshot("walk-worklist-after-publication")
    carried = by_matricule(official)
    assert {m: p.status for m, p in carried.items()} == {
        "W1": "contested", "W2": "notified", "W3": "proposed",
        "W4": "validated", "W5": "proposed", "W6": "proposed",
    }  # fmt: skip
    # The unchanged jobs' decisions kept: same job code, same letter date, same appeal.
    for matricule in ("W1", "W2", "W4"):
        assert carried[matricule].job.code == first[matricule].job.code
    for matricule in ("W1", "W2"):
        assert carried[matricule].notified_on == timezone.localdate()
    appeal = carried["W1"].appeals.get()
    assert appeal.status == Appeal.Status.OPEN
    page.goto(f"{live_server.url}/positionnement/{CODE}/recours/")
    assert "MARCHE1" in page.locator("main").inner_text()
    # The commission decides the carried-over appeal on the new edition.
    page.goto(f"{live_server.url}/positionnement/recours/{appeal.pk}/")
    page.get_by_label("rejeté : positionnement confirmé").check()
    page.fill("#id_reasoning", "Les missions décrites sont celles de l'emploi retenu.")
    follow(page, page.get_by_role("button", name="Enregistrer la décision"))
    page.locator(".message.success").wait_for()
    screenshot("walk-carried-appeal-decided")
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.CONFIRMED
    assert Positioning.objects.get(pk=carried["W1"].pk).status == "confirmed"
    # W3's job changed: back to review, flagged, with the changed job proposed.
    assert carried["W3"].proposals[0]["reason"].startswith("À REVOIR")
    assert carried["W3"].job.code == changed.code and carried["W3"].level == 8
    page.goto(f"{live_server.url}/personnel/{carried['W3'].employee_id}/")
    assert "À REVOIR" in page.locator("main").inner_text()
    # The notified batch can no longer be undone, before or after the publication.
    second = AcceptanceBatch.objects.exclude(pk=batch.pk).get(establishment=place)
    page.goto(f"{live_server.url}/positionnement/{CODE}/lots/")
    state = page.locator(f"#lot-{second.pk}")
    assert f"({len(accounting)} notifié(s)) : plus annulable" in state.inner_text()
    assert state.get_by_role("link", name="Annuler ce lot").count() == 0
    # The undecided have their proposals on the new edition.
    for matricule in ("W5", "W6"):
        assert carried[matricule].proposals
        assert carried[matricule].job.edition_id == official.pk
