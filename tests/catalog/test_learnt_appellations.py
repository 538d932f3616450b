"""Appellations learnt from an establishment's decisions: they apply to that establishment
only, a title never becomes an appellation of two jobs, and a national administrator
promotes them to the network or rejects them. Local titles are invented; jobs and the
network's appellations are read from the loaded edition."""

from __future__ import annotations

import pytest

from repertoire.audit.models import JournalEntry
from repertoire.catalog import selectors, services
from repertoire.catalog.models import Appellation
from repertoire.core.refusals import Conflict, NotAllowed, Refused
from repertoire.positioning import services as positioning
from repertoire.positioning.models import Positioning

pytestmark = pytest.mark.django_db

TITLE = "Gestionnaire des écritures portuaires"  # invented: no appellation says it


def first_two(edition, establishment=None, title=TITLE):
    result = selectors.matching_index(edition, establishment).match(title, top=3)
    return [(c.code, c.score) for c in result.candidates[:2]]


def test_a_northern_group_decision_changes_the_norths_proposals_not_the_souths(edition, network):
    edition = selectors.get_edition()  # loaded by the fixture
    newcomer = positioning.create_employee(
        network.hr_north, network.north, matricule="N-1", last_name="NORD", job_title=TITLE
    )
    group = Positioning.objects.get(employee=newcomer)
    proposed, corrected = group.proposals[0]["code"], group.proposals[1]["code"]
    south_before = first_two(edition, network.south)

    positioning.decide_group(network.hr_north, network.north, group.title_key, job_code=corrected)

    alias = Appellation.objects.get(job__code=corrected, title=TITLE)
    assert alias.establishment == network.north
    assert (alias.status, alias.people) == (Appellation.Status.ACTIVE, 1)
    # In the north the decided job comes first, alone at 1.
    north = first_two(edition, network.north)
    assert north[0] == (corrected, 1.0) and north[1][1] < 1.0
    # In the south and for the network, nothing changed.
    assert first_two(edition, network.south) == south_before
    assert first_two(edition) == south_before
    assert south_before[0][0] == proposed
    # A southern newcomer with the same title is proposed what the south was proposed.
    southerner = positioning.create_employee(
        network.hr_south, network.south, matricule="S-9", last_name="SUD", job_title=TITLE
    )
    assert Positioning.objects.get(employee=southerner).proposals[0]["code"] == proposed


def test_correcting_a_title_the_network_gives_a_job_ties_nothing_anywhere(edition, network):
    """The issue's case: the group of a title that is a network appellation of the job
    proposed first is corrected to the next job: the title is not made an appellation of
    both (no tie at 1.00/1.00), and the conflict waits for review."""
    edition = selectors.get_edition()  # loaded by the fixture
    national = selectors.appellations_of(edition).first()
    newcomer = positioning.create_employee(
        network.hr_north, network.north, matricule="N-1", last_name="NORD", job_title=national.title
    )
    group = Positioning.objects.get(employee=newcomer)
    assert group.proposals[0]["code"] == national.job.code
    corrected = group.proposals[1]["code"]
    before = first_two(edition, title=national.title)

    positioning.decide_group(network.hr_north, network.north, group.title_key, job_code=corrected)

    assert Positioning.objects.get(employee=newcomer).job.code == corrected
    conflict = selectors.appellations_to_review(edition).get()
    assert (conflict.job.code, conflict.conflicting_job, conflict.establishment) == (
        corrected,
        national.job,
        network.north,
    )
    assert conflict.status == Appellation.Status.CONFLICT
    for place in (None, network.north, network.south):
        assert first_two(edition, place, title=national.title) == before
    assert [score for _, score in before].count(1.0) == 1


def test_a_title_never_becomes_an_appellation_of_two_jobs(edition, network):
    edition = selectors.get_edition()  # loaded by the fixture
    jobs = list(selectors.jobs_of(edition))
    first, second = jobs[0], jobs[1]
    services.learn_appellation(first, "Intitulé maison", network.north, author="rh-nord")

    # The same establishment later decides the same title (another spelling) for another job.
    conflict = services.learn_appellation(
        second, "intitulé MAISON", network.north, author="rh-nord"
    )

    assert conflict.status == Appellation.Status.CONFLICT
    assert conflict.conflicting_job == first
    assert JournalEntry.objects.filter(action="appellation.conflict").count() == 1
    result = selectors.matching_index(edition, network.north).match("Intitulé maison", top=2)
    assert result.candidates[0].code == first.code
    assert result.candidates[0].score == 1.0 and result.candidates[1].score < 1.0
    # Another establishment may learn it for the second job: its own business.
    south = services.learn_appellation(second, "Intitulé maison", network.south, author="rh-sud")
    assert south.status == Appellation.Status.ACTIVE


def test_a_title_the_network_gives_another_job_is_a_conflict(edition, network):
    edition = selectors.get_edition()  # loaded by the fixture
    national = selectors.appellations_of(edition).first()
    other = selectors.jobs_of(edition).exclude(pk=national.job_id).first()

    conflict = services.learn_appellation(other, national.title, network.north, author="rh")

    assert (conflict.status, conflict.conflicting_job) == (
        Appellation.Status.CONFLICT,
        national.job,
    )
    best = selectors.matching_index(edition, network.north).match(national.title, top=1)
    assert best.candidates[0].code == national.job.code
    # Nor may anyone add it by hand for the network.
    with pytest.raises(Refused):
        services.add_appellation(other, national.title, author="admin")


def test_promoting_makes_it_the_networks_and_is_journaled(edition, network):
    edition = selectors.get_edition()  # loaded by the fixture
    job = selectors.jobs_of(edition).last()
    alias = services.learn_appellation(job, "Intitulé maison", network.north, author="rh")
    assert selectors.appellations_to_review(edition).get() == alias
    with pytest.raises(NotAllowed):
        services.promote_appellation(network.hr_north, alias)

    promoted = services.promote_appellation(network.national, alias)

    assert promoted.establishment is None
    assert not selectors.appellations_to_review(edition).exists()
    entry = JournalEntry.objects.get(action="appellation.promote")
    assert entry.actor == "nationale"
    best = selectors.matching_index(edition, network.south).match("Intitulé maison", top=1)
    assert (best.candidates[0].code, best.candidates[0].score) == (job.code, 1.0)
    # Reviewed already: a second click is told so.
    with pytest.raises(Conflict):
        services.promote_appellation(network.national, alias)


def test_a_conflict_cannot_be_promoted(edition, network):
    edition = selectors.get_edition()  # loaded by the fixture
    national = selectors.appellations_of(edition).first()
    other = selectors.jobs_of(edition).exclude(pk=national.job_id).first()
    conflict = services.learn_appellation(other, national.title, network.north, author="rh")
    with pytest.raises(Refused):
        services.promote_appellation(network.national, conflict)
    assert Appellation.objects.get(pk=conflict.pk).establishment == network.north


def test_rejecting_stops_it_and_the_same_decision_does_not_teach_it_again(edition, network):
    edition = selectors.get_edition()  # loaded by the fixture
    job = selectors.jobs_of(edition).last()
    alias = services.learn_appellation(job, "Intitulé maison", network.north, author="rh")
    assert selectors.matching_index(edition, network.north).match("Intitulé maison").candidates[
        0
    ].score == pytest.approx(1.0)
    with pytest.raises(NotAllowed):
        services.reject_appellation(network.hr_north, alias)

    services.reject_appellation(network.national, alias)

    assert Appellation.objects.get(pk=alias.pk).status == Appellation.Status.REJECTED
    assert JournalEntry.objects.filter(action="appellation.reject", actor="nationale").exists()
    assert not selectors.appellations_to_review(edition).exists()
    found = selectors.matching_index(edition, network.north).match("Intitulé maison")
    assert found.candidates[0].score < 1.0
    assert services.learn_appellation(job, "Intitulé maison", network.north, author="rh") is None


# --- the review page -------------------------------------------------------------------


def review_rows(edition, network):
    jobs = list(selectors.jobs_of(edition))
    learnt = services.learn_appellation(
        jobs[-1], "Intitulé maison", network.north, author="rh", people=12
    )
    national = selectors.appellations_of(edition).first()
    other = next(job for job in jobs if job.pk != national.job_id)
    conflict = services.learn_appellation(other, national.title, network.south, author="rh")
    return learnt, conflict, national


def test_the_review_page_lists_title_job_establishment_and_people(client, edition, network):
    learnt, _conflict, national = review_rows(selectors.get_edition(), network)
    client.force_login(network.national)

    page = client.get("/appellations/a-examiner/").content.decode()

    assert "Intitulé maison" in page and learnt.job.title in page
    assert "CCI-NORD" in page and "<td>12</td>" in page
    # The conflict says which job the title already means, and offers no promotion.
    assert f"le titre désigne déjà {national.job.title}" in page
    assert page.count("/promouvoir/") == 1 and page.count("/rejeter/") == 2


def test_promote_and_reject_from_the_page(client, edition, network):
    learnt, conflict, _ = review_rows(selectors.get_edition(), network)
    client.force_login(network.national)

    response = client.post(f"/appellations/{learnt.pk}/promouvoir/", follow=True)
    assert "pour tout le réseau" in response.content.decode()
    assert Appellation.objects.get(pk=learnt.pk).establishment is None

    client.post(f"/appellations/{conflict.pk}/rejeter/")
    assert Appellation.objects.get(pk=conflict.pk).status == Appellation.Status.REJECTED
    # Promoting a conflict from a crafted request is refused on the page, nothing changes.
    other = services.learn_appellation(conflict.job, conflict.title, network.north, author="rh")
    response = client.post(f"/appellations/{other.pk}/promouvoir/", follow=True)
    assert "désigne déjà" in response.content.decode()
    assert Appellation.objects.get(pk=other.pk).establishment == network.north


def test_only_national_administrators_review(client, edition, network):
    learnt, _, _ = review_rows(selectors.get_edition(), network)
    client.force_login(network.hr_north)
    assert client.get("/appellations/a-examiner/").status_code == 403
    assert client.post(f"/appellations/{learnt.pk}/promouvoir/").status_code == 403
    assert client.post(f"/appellations/{learnt.pk}/rejeter/").status_code == 403
    assert Appellation.objects.get(pk=learnt.pk).status == Appellation.Status.ACTIVE
    client.logout()
    assert client.get("/appellations/a-examiner/").status_code == 302
    # The list needs a form with its CSRF token: Django's check applies.
    csrf = type(client)(enforce_csrf_checks=True)
    csrf.force_login(network.national)
    assert csrf.post(f"/appellations/{learnt.pk}/rejeter/").status_code == 403


def test_an_imported_title_that_already_means_another_job_is_refused_with_its_line(edition):
    from repertoire.core.document import DocumentInvalid

    edition = selectors.get_edition()  # loaded by the fixture
    national = selectors.appellations_of(edition).first()
    other = selectors.jobs_of(edition).exclude(pk=national.job_id).first()
    data = (
        f"code;appellation\r\n{other.code};Intitulé maison\r\n"
        f"{other.code};{national.title.upper()}\r\n{national.job.code};Intitulé maison\r\n"
    )
    count = Appellation.objects.count()
    with pytest.raises(DocumentInvalid) as refused:
        services.import_appellations(edition, data.encode(), author="t")
    assert [error.line for error in refused.value.errors] == [3, 4]
    assert national.job.title in str(refused.value.errors[0])
    assert Appellation.objects.count() == count


def test_a_title_the_network_later_gives_another_job_is_flagged_and_yields_locally(
    client, edition, network
):
    edition = selectors.get_edition()  # loaded by the fixture
    jobs = list(selectors.jobs_of(edition))
    mine, theirs = jobs[-1], jobs[-2]
    services.learn_appellation(mine, "Intitulé maison", network.north, author="rh")
    services.add_appellation(theirs, "Intitulé maison", author="admin")

    # In the north its own decision prevails; elsewhere the network's.
    north = selectors.matching_index(edition, network.north).match("Intitulé maison", top=2)
    assert [c.code for c in north.candidates if c.score == 1.0] == [mine.code]
    south = selectors.matching_index(edition, network.south).match("Intitulé maison", top=2)
    assert [c.code for c in south.candidates if c.score == 1.0] == [theirs.code]
    client.force_login(network.national)
    page = client.get("/appellations/a-examiner/").content.decode()
    assert f"le réseau donne ce titre à {theirs.title}" in page.replace("&#x27;", "'")
