"""The irreversible steps of an edition are confirmed on a page that states their
consequences: publishing (the open campaign's figures per establishment, the label typed)
and retiring a job of a draft (what is removed). A GET never acts."""

from __future__ import annotations

import pytest
from django.utils.html import escape

from repertoire.catalog import services as editions
from repertoire.catalog.models import Edition
from repertoire.positioning.models import Appeal, Positioning
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


@pytest.mark.parametrize("typed", [None, "", "officiel", "OFFICIELLE"])
def test_publishing_without_the_exact_label_is_refused(client, decisions, draft, typed):
    client.force_login(decisions.network.national)
    data = {"statut": "official"} | ({"libelle": typed} if typed is not None else {})
    response = client.post(f"/editions/{draft.label}/publier/", data)
    assert response.status_code == 400
    assert escape("type the edition's label") in response.content.decode() or (
        "tapez le libellé" in response.content.decode()
    )
    draft.refresh_from_db()
    assert not draft.is_frozen and not draft.is_current
    assert not Positioning.objects.filter(edition=draft).exists()


def test_publishing_with_the_label_carries_the_campaign_over(client, decisions, draft):
    client.force_login(decisions.network.national)
    response = client.post(
        f"/editions/{draft.label}/publier/", {"statut": "official", "libelle": draft.label}
    )
    assert response.status_code == 302 and response.url == f"/editions/{draft.label}/"
    draft.refresh_from_db()
    assert draft.is_frozen and draft.is_current and draft.status == "official"
    # The north's worklist is not empty: Alice's confirmed decision is carried over.
    worklist = client.get("/positionnement/CCI-NORD/")
    assert worklist.context["report"].employees == 5
    alice = Positioning.objects.get(edition=draft, employee_id=decisions.alice.employee_id)
    if decisions.alice.job.code != decisions.chloe.job.code:
        assert alice.status == Positioning.Status.CONFIRMED
    assert Appeal.objects.get(status=Appeal.Status.OPEN).positioning_id == decisions.chloe.pk


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
