"""Bulk acceptance from the worklist acts on exactly the people its filters show, says how
many and on which jobs before acting, and is one batch that can be undone until
notification. Notification of a whole establishment asks for confirmation with figures.
Local titles and services are invented; jobs and scores come from the loaded edition."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.urls import reverse

from repertoire.audit.models import JournalEntry
from repertoire.core.payroll import read_payroll
from repertoire.positioning import selectors, services
from repertoire.positioning.models import AcceptanceBatch, Positioning

pytestmark = pytest.mark.django_db

ACCOUNTING = "Comptabilité"
RECEPTION = "Accueil"
# Titles the edition knows (appellations): their first proposal scores high.
STAFF = [
    ("N-01", "ALBERT", "Assistante", ACCOUNTING),
    ("N-02", "BERNARD", "Gestionnaire de paie", ACCOUNTING),
    ("N-03", "CHARLES", "Assistante", RECEPTION),
    ("N-04", "DENIS", "Gestionnaire de paie", RECEPTION),
    ("N-05", "EMILE", "Assistante", RECEPTION),
]
THRESHOLD = 0.5


def staff_file(rows) -> bytes:
    lines = ["Matricule;Nom;Intitulé du poste;Service", *(";".join(row) for row in rows)]
    return "\n".join(lines).encode()


@pytest.fixture
def staff(edition, network):
    services.import_employees(
        network.hr_north, network.north, read_payroll(staff_file(STAFF), "rh.csv")
    )
    return network


def acceptable(service: str | None = None) -> set[int]:
    """What the engine proposed at or above the threshold (read from the database)."""
    rows = Positioning.objects.filter(
        establishment__code="CCI-NORD", status="proposed", confidence__gte=THRESHOLD
    )
    if service:
        rows = rows.filter(employee__service=service)
    return set(rows.values_list("pk", flat=True))


def validated() -> set[int]:
    return set(Positioning.objects.filter(status="validated").values_list("pk", flat=True))


def url(name: str, **kwargs) -> str:
    return reverse(f"worklist:{name}", kwargs={"code": "CCI-NORD", **kwargs})


def test_the_panel_counts_only_what_the_filters_show(client, staff):
    in_accounting = acceptable(ACCOUNTING)
    assert in_accounting and acceptable() - in_accounting  # both services have some
    client.force_login(staff.hr_north)

    page = client.get(url("worklist"), {"service": ACCOUNTING, "threshold": THRESHOLD})

    bulk = page.context["bulk"]
    # The default cut-off: the count is of the filtered people only.
    cut = selectors.bulk_accept_threshold()
    expected = len(
        acceptable(ACCOUNTING)
        & set(Positioning.objects.filter(confidence__gte=cut).values_list("pk", flat=True))
    )
    assert bulk.count == expected
    if expected:
        assert f"Valider ces {expected} propositions" in page.text or (
            f"Valider cette {expected} proposition" in page.text
        )


def test_confirmation_page_lists_jobs_and_counts_before_acting(client, staff):
    client.force_login(staff.hr_north)
    before = validated()

    page = client.get(url("bulk-accept"), {"service": ACCOUNTING, "threshold": THRESHOLD})

    assert page.status_code == 200
    assert validated() == before  # nothing done on GET
    preview = page.context["preview"]
    assert preview.count == len(acceptable(ACCOUNTING))
    jobs = Positioning.objects.filter(pk__in=acceptable(ACCOUNTING)).values_list(
        "job__title", flat=True
    )
    for title in set(jobs):
        assert title in page.text
    assert ACCOUNTING in page.text
    assert f'name="attendu" value="{preview.count}"' in page.text
    assert 'name="threshold" value="0.5"' in page.text


def test_bulk_acceptance_validates_only_the_filtered_people(client, staff):
    chosen = acceptable(ACCOUNTING)
    others = acceptable() - chosen
    client.force_login(staff.hr_north)

    response = client.post(
        url("bulk-accept"),
        {"service": ACCOUNTING, "threshold": THRESHOLD, "attendu": len(chosen)},
        follow=True,
    )

    assert validated() == chosen
    assert not (validated() & others)
    batch = AcceptanceBatch.objects.get()
    assert batch.accepted == len(chosen)
    assert batch.filters == {"service": ACCOUNTING}
    assert batch.author == "rh-nord"
    entry = JournalEntry.objects.get(action="positioning.bulk_accept")
    assert entry.object_id == str(batch.pk) and entry.after["accepted"] == len(chosen)
    # The figures of the message in French, like the page: "0,50", not "0.50".
    text = [str(m) for m in response.context["messages"]]
    assert any("0,50" in m and str(len(chosen)) in m for m in text), text
    assert not any("0.50" in m for m in text)


def test_bulk_acceptance_by_job_and_by_name(client, staff):
    client.force_login(staff.hr_north)
    bernard = Positioning.objects.get(employee__matricule="N-02")
    response = client.post(
        url("bulk-accept"),
        {"q": "BERNARD", "emploi": bernard.job.code, "threshold": THRESHOLD, "attendu": 1},
    )
    assert response.status_code == 302
    assert validated() == {bernard.pk}


def test_a_post_without_the_confirmed_count_only_shows_the_confirmation(client, staff):
    client.force_login(staff.hr_north)
    page = client.post(url("bulk-accept"), {"threshold": THRESHOLD})
    assert page.status_code == 200 and "preview" in page.context
    assert validated() == set()


def test_a_filter_not_understood_never_widens_to_everyone(client, staff):
    client.force_login(staff.hr_north)
    everyone = len(acceptable())
    response = client.post(
        url("bulk-accept"),
        {"service": "Comptabilité générale", "threshold": THRESHOLD, "attendu": everyone},
    )
    assert response.status_code == 302
    assert validated() == set()


def test_another_count_than_the_one_confirmed_validates_nothing(client, staff):
    chosen = acceptable(ACCOUNTING)
    client.force_login(staff.hr_north)
    client.post(
        url("bulk-accept"),
        {"service": ACCOUNTING, "threshold": THRESHOLD, "attendu": len(chosen) + 1},
    )
    assert validated() == set()
    assert not AcceptanceBatch.objects.exists()


def test_undo_restores_exactly_the_batch(client, staff):
    client.force_login(staff.hr_north)
    # One positioning validated by hand before: the undo leaves it.
    by_hand = Positioning.objects.get(pk=min(acceptable(RECEPTION)))
    services.validate(staff.hr_north, by_hand)
    chosen = acceptable(ACCOUNTING)
    client.post(
        url("bulk-accept"),
        {"service": ACCOUNTING, "threshold": THRESHOLD, "attendu": len(chosen)},
    )
    batch = AcceptanceBatch.objects.get()
    listing = client.get(url("acceptance-batches"))
    assert "Annuler ce lot" in listing.text
    assert f"Service : {ACCOUNTING}" in listing.text  # the filters it was made with
    confirm = client.get(url("undo-acceptance-batch", pk=batch.pk))
    assert confirm.status_code == 200 and "Confirmer" in confirm.text
    assert validated() == chosen | {by_hand.pk}  # nothing undone on GET

    client.post(url("undo-acceptance-batch", pk=batch.pk))

    assert validated() == {by_hand.pk}
    for positioning in Positioning.objects.filter(pk__in=chosen):
        assert positioning.decided_by == "" and positioning.decided_at is None
        assert positioning.events.order_by("pk").last().action == "undo"
    batch.refresh_from_db()
    assert batch.undone_by == "rh-nord" and batch.undone_at is not None
    assert JournalEntry.objects.filter(action="positioning.bulk_accept_undo").count() == 1
    # Undone twice: refused.
    response = client.post(url("undo-acceptance-batch", pk=batch.pk), follow=True)
    assert any("déjà" in str(m) for m in response.context["messages"])


def test_undo_proposes_again_what_the_engine_proposes_since_a_new_title(staff):
    """A person whose title changed after the batch (a payroll import) gets new proposals
    and keeps the validated job; the undo proposes them the new first proposal, not the
    old job with the new proposal's confidence."""
    batch = services.accept_batch(
        staff.hr_north,
        staff.north,
        threshold=THRESHOLD,
        filters=selectors.WorklistFilters(service=ACCOUNTING),
    )
    moved = Positioning.objects.get(employee__matricule="N-01")
    kept = Positioning.objects.get(employee__matricule="N-02")
    accepted_job = moved.job
    services.update_employee(staff.hr_north, moved.employee, job_title=STAFF[1][2])
    moved.refresh_from_db()
    assert moved.job == accepted_job and moved.proposals[0]["code"] != accepted_job.code

    services.undo_batch(staff.hr_north, batch)

    moved.refresh_from_db()
    assert moved.status == "proposed"
    assert moved.job.code == moved.proposals[0]["code"] != accepted_job.code
    assert moved.level == moved.job.level.number
    before = kept.job_id, kept.level
    kept.refresh_from_db()
    assert (kept.status, kept.job_id, kept.level) == ("proposed", *before)


def test_undo_is_refused_once_one_of_the_batch_is_notified(client, staff):
    client.force_login(staff.hr_north)
    chosen = acceptable(ACCOUNTING)
    client.post(
        url("bulk-accept"),
        {"service": ACCOUNTING, "threshold": THRESHOLD, "attendu": len(chosen)},
    )
    batch = AcceptanceBatch.objects.get()
    one = Positioning.objects.get(pk=min(chosen))
    services.notify(staff.hr_north, [one], on=dt.date(2015, 3, 2))

    listing = client.get(url("acceptance-batches"))
    assert "Annuler ce lot" not in listing.text
    response = client.post(url("undo-acceptance-batch", pk=batch.pk), follow=True)

    assert validated() | {one.pk} >= chosen  # nothing undone
    assert Positioning.objects.get(pk=one.pk).status == "notified"
    assert any("rien n'a été annulé" in str(m) for m in response.context["messages"])
    batch.refresh_from_db()
    assert batch.undone_at is None


def test_readers_may_not_accept_nor_undo(client, staff):
    client.force_login(staff.reader_north)
    assert client.get(url("bulk-accept")).status_code == 403
    assert (
        client.post(url("bulk-accept"), {"threshold": THRESHOLD, "attendu": 1}).status_code == 403
    )
    assert validated() == set()


def test_readers_read_a_batch_without_its_service_nor_the_search_hr_typed(client, staff):
    batch = services.accept_batch(
        staff.hr_north,
        staff.north,
        threshold=THRESHOLD,
        filters=selectors.WorklistFilters(service=ACCOUNTING, search="N-01"),
    )
    assert batch.accepted == 1
    client.force_login(staff.reader_north)

    listed = client.get("/api/positionings/acceptance-batches", {"establishment": "CCI-NORD"})
    page = client.get(url("acceptance-batches")).text

    assert listed.status_code == 200 and listed.json()["items"][0]["filters"] == {}
    assert ACCOUNTING not in page and "N-01" not in page
    client.force_login(staff.hr_north)
    listed = client.get("/api/positionings/acceptance-batches", {"establishment": "CCI-NORD"})
    assert listed.json()["items"][0]["filters"] == {"service": ACCOUNTING, "search": "N-01"}


# --- notification of a whole establishment -------------------------------------------


def test_notifying_the_establishment_asks_for_confirmation_with_figures(client, staff, settings):
    client.force_login(staff.hr_north)
    services.bulk_accept(staff.hr_north, staff.north, threshold=THRESHOLD)
    count = len(validated())
    assert count

    # The old one-click form: a POST without the confirmed count notifies nobody.
    page = client.post(url("notify"), {})
    assert page.status_code == 200
    assert not Positioning.objects.filter(status="notified").exists()

    page = client.get(url("notify"))
    deadline = selectors.appeal_deadline(dt.date.today())
    assert f"{count} collaborateurs" in page.text or f"{count} collaborateur" in page.text
    assert deadline.strftime("%d/%m/%Y") in page.text
    assert f'name="attendu" value="{count}"' in page.text

    client.post(url("notify"), {"attendu": count})
    assert Positioning.objects.filter(status="notified").count() == count


def test_a_meter_value_parses_as_a_number(client, staff):
    """Numbers in attributes are never localised: ``0,42`` draws an empty meter."""
    client.force_login(staff.hr_north)
    for query in ({"vue": "liste"}, {}):
        page = client.get(url("worklist"), query)
        values = re.findall(r'<meter[^>]*value="([^"]*)"', page.text)
        assert values
        for value in values:
            assert 0 <= float(value) <= 1, value
    progress = re.findall(r'<progress[^>]*(?:max|value)="([^"]*)"', page.text)
    assert progress and all(float(value) >= 0 for value in progress)


def test_every_number_drawn_by_a_meter_or_a_progress_bar_is_unlocalised():
    """A static check of every template: ``<meter>`` and ``<progress>`` take their figures
    through ``|unlocalize`` (else ``0,42`` in French), and the template compiles."""
    from importlib.resources import files

    from django.template.loader import get_template

    root = files("repertoire") / "templates"
    checked = 0
    for path in sorted(Path(str(root)).rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<(?:meter|progress)\b[^>]*>", text):
            for value in re.findall(r'\b(?:value|max|min)="(\{\{[^"]*\}\})"', tag):
                assert "|unlocalize" in value, (path.name, tag)
                checked += 1
            get_template(str(path.relative_to(Path(str(root)))))
    assert checked >= 4


def test_a_bulk_acceptance_is_not_counted_as_hr_keeping_the_proposal(client, staff):
    """The measured precision that sets the threshold comes from decisions taken one by
    one; a batch took the engine's word and would flatter it."""
    client.force_login(staff.hr_north)
    chosen = acceptable(ACCOUNTING)
    client.post(
        url("bulk-accept"),
        {"service": ACCOUNTING, "threshold": THRESHOLD, "attendu": len(chosen)},
    )
    assert validated() == chosen
    assert selectors.proposal_quality(staff.north).overall.decided == 0
    batch = AcceptanceBatch.objects.get()
    client.post(url("undo-acceptance-batch", pk=batch.pk))
    # After the undo, HR decides one of them by hand: that decision counts.
    services.validate(staff.hr_north, Positioning.objects.get(pk=min(chosen)))
    measured = selectors.proposal_quality(staff.north).overall
    assert (measured.decided, measured.kept) == (1, 1)


# --- group decisions, batches of their own ------------------------------------------------


def test_a_group_decision_on_an_empty_title_decides_that_group_only(client, staff):
    """A title that normalises to nothing ("...") is a group of its own, never "every
    title" (an empty title filter narrows nothing)."""
    services.create_employee(
        staff.hr_north, staff.north, matricule="Z-01", last_name="ZED", job_title="..."
    )
    job = Positioning.objects.get(employee__matricule="N-01").job
    client.force_login(staff.hr_north)

    decided = client.post(
        "/api/positionings/groups/decide",
        {"establishment": "CCI-NORD", "title_key": "", "job": job.code},
        content_type="application/json",
    )

    assert decided.status_code == 200 and decided.json()["decided"] == 1
    assert set(validated()) == {Positioning.objects.get(employee__matricule="Z-01").pk}


def test_a_group_decision_undone_puts_back_exactly_what_was_proposed(client, staff):
    """People without a proposal go back to no job; a level held before (a migration's
    personal level) comes back with its reason. The API lists the batch as a group's."""
    nobody = services.create_employee(
        staff.hr_north, staff.north, matricule="Z-01", last_name="ZED", job_title="..."
    )
    held = Positioning.objects.select_related("job__level").get(employee__matricule="N-02")
    level = held.job.level.number + 1
    Positioning.objects.filter(pk=held.pk).update(
        level=level, personal_level_reason="niveau détenu en 2010"
    )
    job = Positioning.objects.get(employee__matricule="N-01").job
    empty = services.decide_group(staff.hr_north, staff.north, "", job_code=job.code)
    pay = services.decide_group(staff.hr_north, staff.north, held.title_key, job_code=job.code)
    client.force_login(staff.hr_north)
    listed = client.get("/api/positionings/acceptance-batches", {"establishment": "CCI-NORD"})
    assert listed.status_code == 200
    assert {(b["kind"], b["job"], b["threshold"]) for b in listed.json()["items"]} == {
        ("group", job.code, None)
    }

    services.undo_batch(staff.hr_north, empty)
    services.undo_batch(staff.hr_north, pay)

    person = Positioning.objects.get(employee=nobody)
    assert (person.status, person.job_id, person.level) == ("proposed", None, None)
    held.refresh_from_db()
    assert (held.status, held.level, held.personal_level_reason) == (
        "proposed",
        level,
        "niveau détenu en 2010",
    )


def test_proposed_again_on_a_new_title_a_held_level_stays_only_above_the_new_job(staff):
    """As a migration proposes it: a level held before (with its reason) stays when above
    the new job's; otherwise the job's level, and no reason left without its level."""
    payroll = Positioning.objects.select_related("job__level").get(employee__matricule="N-02")
    assistant = Positioning.objects.select_related("job__level").get(employee__matricule="N-01")
    assert assistant.job.level.number < payroll.job.level.number  # from the edition
    for person, level in (
        (payroll, payroll.job.level.number + 1),
        (assistant, payroll.job.level.number),
    ):
        Positioning.objects.filter(pk=person.pk).update(
            level=level, personal_level_reason="niveau détenu en 2010"
        )
    services.update_employee(staff.hr_north, payroll.employee, job_title=STAFF[0][2])
    services.update_employee(staff.hr_north, assistant.employee, job_title=STAFF[1][2])

    payroll.refresh_from_db()
    assistant.refresh_from_db()
    # Above the assistant's job: kept, with its reason.
    assert payroll.job.level.number < payroll.level
    assert payroll.personal_level_reason == "niveau détenu en 2010"
    # Now on the payroll job, at the level held: the job's own, no reason left.
    assert (assistant.level, assistant.personal_level_reason) == (assistant.job.level.number, "")
