"""The irreversible steps of an edition are confirmed on a page that states their
consequences: publishing (the open campaign's figures per establishment, the label typed)
and retiring a job of a draft (what is removed). A GET never acts.

Publishing runs in the background: the confirmed form queues it (after the same checks
as publishing: a refusal queues nothing) and leads to its page, which shows its progress,
then the figures of the carry-over, or why it failed (nothing published). One at a time.
Here the work runs when the request's transaction commits (the immediate backend)."""

from __future__ import annotations

import pytest
from django.utils.html import escape

from repertoire.audit.models import JournalEntry
from repertoire.catalog import services as editions
from repertoire.catalog.models import Edition
from repertoire.positioning.models import Appeal, EditionPublication, Positioning
from repertoire.positioning.services import publication
from tests.edition_builder import raise_level

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(decisions):
    national = decisions.network.national
    draft = editions.copy_edition(national, decisions.alice.edition, label="officielle")
    # Chloé's job (contested) changes level: she and whoever holds it go back to review.
    raise_level(national, draft, draft.jobs.get(code=decisions.chloe.job.code))
    return draft


def test_the_publish_page_states_the_campaign_figures_and_never_publishes_on_get(
    client, decisions, draft
):
    client.force_login(decisions.network.national)
    page = client.get(f"/editions/{draft.label}/publier/")
    assert page.status_code == 200
    rows = {row.establishment: row for row in page.context["rows"]}
    assert set(rows) == {"CCI-NORD", "CCI-SUD"}
    north = rows["CCI-NORD"]
    assert north.positioned == 5 and north.undecided == 1 and north.decided == 4
    assert north.contested == 1 and north.contested_affected == 1
    html = page.content.decode()
    assert 'name="libelle"' in html and "définitif" in html
    assert 'data-establishment="CCI-NORD"' in html
    draft.refresh_from_db()
    assert not draft.is_frozen
    assert not Positioning.objects.filter(edition=draft).exists()


def _nothing_published(decisions, draft) -> None:
    """The draft is still a draft, the edition in force still in force, its campaign
    as it was, nothing carried over nor journaled as published."""
    draft.refresh_from_db()
    assert not draft.is_frozen and not draft.is_current
    assert Edition.objects.get(pk=decisions.alice.edition.pk).is_current
    assert not Positioning.objects.filter(edition=draft).exists()
    assert Positioning.objects.filter(edition=decisions.alice.edition).count() == 7
    assert Appeal.objects.get(status=Appeal.Status.OPEN).positioning_id == decisions.chloe.pk
    assert not JournalEntry.objects.filter(
        action__in=["edition.publish", "edition.carry_over", "positioning.carry_over"]
    ).exists()


@pytest.mark.parametrize("typed", [None, "", "officiel", "OFFICIELLE"])
def test_publishing_without_the_exact_label_is_refused(
    client, decisions, draft, typed, django_capture_on_commit_callbacks
):
    client.force_login(decisions.network.national)
    data = {"statut": "official"} | ({"libelle": typed} if typed is not None else {})
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = client.post(f"/editions/{draft.label}/publier/", data)
    assert response.status_code == 400
    assert escape("type the edition's label") in response.content.decode() or (
        "tapez le libellé" in response.content.decode()
    )
    assert not queued and not EditionPublication.objects.exists()  # nothing queued
    _nothing_published(decisions, draft)


def test_a_draft_the_catalog_refuses_to_publish_queues_nothing(
    client, decisions, draft, django_capture_on_commit_callbacks
):
    """Refused on the page with its reasons, as publishing refuses it: nothing queued."""
    client.force_login(decisions.network.national)
    for job in list(draft.jobs.all()):
        editions.retire_job(decisions.network.national, job)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = client.post(
            f"/editions/{draft.label}/publier/", {"statut": "official", "libelle": draft.label}
        )
    assert response.status_code == 400
    assert "aucun emploi" in response.content.decode()
    assert not queued and not EditionPublication.objects.exists()
    _nothing_published(decisions, draft)


def test_publishing_with_the_label_queues_it_then_shows_the_carry_over(
    client, decisions, draft, django_capture_on_commit_callbacks
):
    national = decisions.network.national
    client.force_login(national)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/editions/{draft.label}/publier/", {"statut": "official", "libelle": draft.label}
        )
    work = EditionPublication.objects.get()
    assert response.status_code == 302
    assert response.url == f"/editions/{draft.label}/publier/{work.pk}/"
    assert (work.status, work.requested_by, work.edition_status) == (
        EditionPublication.Status.DONE,
        national.username,
        "official",
    )
    # Its page: the figures of today's message, and the way to the edition.
    page = client.get(response.url)
    assert page.status_code == 200 and not page.context["waiting"]
    html = page.content.decode()
    result = work.result
    assert result["from"] == decisions.alice.edition.label
    assert result["kept"] + result["review"] + result["proposed"] == 7
    assert result["review"] >= 1 and result["flagged"] >= 1  # Chloé's job changed
    for figure in ("kept", "review", "flagged", "proposed"):
        assert str(result[figure]) in page.context["outcome"]
    assert escape(page.context["outcome"]) in html
    assert f'href="/editions/{draft.label}/"' in html
    assert 'http-equiv="refresh"' not in html  # over: the page no longer refreshes
    draft.refresh_from_db()
    assert draft.is_frozen and draft.is_current and draft.status == "official"
    # The north's worklist is not empty: Alice's confirmed decision is carried over.
    worklist = client.get("/positionnement/CCI-NORD/")
    assert worklist.context["report"].employees == 5
    alice = Positioning.objects.get(edition=draft, employee_id=decisions.alice.employee_id)
    if decisions.alice.job.code != decisions.chloe.job.code:
        assert alice.status == Positioning.Status.CONFIRMED
    assert Appeal.objects.get(status=Appeal.Status.OPEN).positioning_id == decisions.chloe.pk
    # Journaled as before, by the person who asked; the request too.
    for action in ("edition.publish_request", "edition.publish", "edition.carry_over"):
        assert JournalEntry.objects.get(action=action).actor == national.username
    carried = JournalEntry.objects.filter(action="positioning.carry_over")
    assert carried.count() == result["kept"]
    assert set(carried.values_list("actor", flat=True)) == {national.username}
    # Published: the form sends back to the edition.
    assert client.get(f"/editions/{draft.label}/publier/").status_code == 302


def test_while_a_publication_waits_the_page_shows_it_and_a_second_one_is_refused(
    client, decisions, draft, django_capture_on_commit_callbacks
):
    national = decisions.network.national
    client.force_login(national)
    other = editions.copy_edition(national, decisions.alice.edition, label="autre")
    with django_capture_on_commit_callbacks(execute=False):  # no worker has taken it yet
        response = client.post(
            f"/editions/{draft.label}/publier/", {"statut": "official", "libelle": draft.label}
        )
    work = EditionPublication.objects.get()
    assert work.status == EditionPublication.Status.PENDING
    waiting = client.get(response.url)
    assert waiting.context["waiting"]
    html = waiting.content.decode()
    assert 'http-equiv="refresh"' in html and 'id="publication-progress"' in html
    # Its own edition again, or another one: refused while it waits (409), nothing queued.
    for label in (draft.label, other.label):
        page = client.get(f"/editions/{label}/publier/")
        assert f"/editions/{draft.label}/publier/{work.pk}/" in page.content.decode()
        with django_capture_on_commit_callbacks(execute=True) as queued:
            refused = client.post(
                f"/editions/{label}/publier/", {"statut": "official", "libelle": label}
            )
        assert refused.status_code == 409
        assert "une seule publication à la fois" in refused.content.decode()
        assert not queued
    assert EditionPublication.objects.get() == work
    _nothing_published(decisions, draft)
    assert not Edition.objects.get(pk=other.pk).is_frozen


def test_a_publication_requested_meanwhile_wins_the_race_the_other_is_told(
    client, decisions, draft, monkeypatch, django_capture_on_commit_callbacks
):
    """Two requests at once: the one that waited for the lock finds the other queued
    (it was not when it first looked) and is refused (409), not a 500."""
    national = decisions.network.national
    client.force_login(national)
    check = editions.check_publishable

    def meanwhile(user, edition, **options):
        check(user, edition, **options)
        EditionPublication.objects.create(
            edition=edition, edition_status="official", status="pending", requested_by="autre"
        )

    monkeypatch.setattr(editions, "check_publishable", meanwhile)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = client.post(
            f"/editions/{draft.label}/publier/", {"statut": "official", "libelle": draft.label}
        )
    assert response.status_code == 409
    assert "demandée par autre" in response.content.decode()
    assert not queued
    assert not JournalEntry.objects.filter(action="edition.publish_request").exists()


def test_a_publication_failing_in_its_work_publishes_nothing_and_can_be_started_again(
    client, decisions, draft, monkeypatch, django_capture_on_commit_callbacks
):
    national = decisions.network.national
    client.force_login(national)

    def broken(*arguments, **options):
        raise RuntimeError("disque plein")

    # The journal fails after the positionings were written: all of it is undone.
    monkeypatch.setattr(publication, "_journal", broken)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/editions/{draft.label}/publier/", {"statut": "official", "libelle": draft.label}
        )
    work = EditionPublication.objects.get()
    assert work.status == EditionPublication.Status.FAILED
    assert "disque plein" in work.error
    page = client.get(response.url)
    html = page.content.decode()
    assert "disque plein" in html and 'role="alert"' in html
    assert f'href="/editions/{draft.label}/publier/"' in html  # started again from the form
    _nothing_published(decisions, draft)
    # Started again: published, the campaign carried over.
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(
            f"/editions/{draft.label}/publier/", {"statut": "official", "libelle": draft.label}
        )
    assert again.status_code == 302
    assert EditionPublication.objects.filter(status="done").count() == 1
    draft.refresh_from_db()
    assert draft.is_current and Positioning.objects.filter(edition=draft).count() == 7


def test_a_publication_taken_for_interrupted_meanwhile_publishes_nothing(
    decisions, draft, django_capture_on_commit_callbacks
):
    """Its worker was slow, not dead: the recovery marked it failed; when it reaches its
    write, it finds it is no longer wanted and publishes nothing."""
    with django_capture_on_commit_callbacks(execute=False):
        work = publication.request_publication(decisions.network.national, draft)
    EditionPublication.objects.filter(pk=work.pk).update(
        status=EditionPublication.Status.FAILED, error="interrompu : test"
    )
    publication.run_publication(work.pk, decisions.network.national.pk)
    work.refresh_from_db()
    assert (work.status, work.error) == (EditionPublication.Status.FAILED, "interrompu : test")
    draft.refresh_from_db()
    assert not draft.is_frozen and not Positioning.objects.filter(edition=draft).exists()


def test_hr_may_not_reach_the_publish_page(client, decisions, draft):
    client.force_login(decisions.network.hr_north)
    assert client.get(f"/editions/{draft.label}/publier/").status_code == 403
    assert (
        client.post(f"/editions/{draft.label}/publier/", {"libelle": draft.label}).status_code
        == 403
    )
    assert not Edition.objects.get(pk=draft.pk).is_frozen


def test_retiring_a_job_is_confirmed_with_what_it_removes(client, decisions, draft):
    client.force_login(decisions.network.national)
    job = draft.jobs.get(code=decisions.gaspard.job.code)
    url = f"/editions/{draft.label}/emplois/{job.code}/retirer/"
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert escape(job.title) in html
    held = Positioning.objects.filter(edition=decisions.alice.edition, job__code=job.code).count()
    assert held >= 1 and page.context["earlier_positioned"] == held
    assert page.context["appellations"] == job.appellations.count()
    assert draft.jobs.filter(code=job.code).exists()  # a GET retires nothing
    response = client.post(url)
    assert response.status_code == 302
    assert not draft.jobs.filter(code=job.code).exists()
