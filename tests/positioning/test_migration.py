"""A new edition published: its impact on positioned people, and their migration through
the worklist. Jobs, levels and degrees come from the loaded edition, never typed here."""

from __future__ import annotations

import pytest

from repertoire.audit.models import JournalEntry
from repertoire.catalog import selectors as catalog
from repertoire.catalog import services as editions
from repertoire.core.editions import Succession
from repertoire.core.refusals import NotAllowed, Refused
from repertoire.positioning import selectors, services
from repertoire.positioning.models import EstablishmentMigration, Positioning, PositioningEvent
from repertoire.positioning.services import migration
from tests.edition_builder import form, raise_level

pytestmark = pytest.mark.django_db


@pytest.fixture
def hugo(decisions):
    """A fifth person of the north, validated on a job nobody else holds (retired below)."""
    taken = {p.job.code for p in Positioning.objects.filter(job__isnull=False)}
    job = next(j for j in catalog.jobs_of(decisions.alice.edition) if j.code not in taken)
    employee = services.create_employee(
        decisions.network.national,
        decisions.network.north,
        matricule="N-009",
        last_name="HUGUET",
        first_name="Hugo",
        job_title=job.title,
    )
    positioning = Positioning.objects.get(employee=employee)
    services.change(decisions.network.hr_north, positioning, job_code=job.code)
    return Positioning.objects.get(employee=employee)


@pytest.fixture
def official(decisions, hugo):
    """The 2014 edition copied, edited and published: Alice's job (Gaspard's too) one level
    up, Chloé's renamed, Hugo's retired; Bruno's untouched."""
    national = decisions.network.national
    old = decisions.alice.edition
    draft = editions.copy_edition(national, old, label="officielle")
    in_draft = lambda p: draft.jobs.get(code=p.job.code)  # noqa: E731
    raise_level(national, draft, in_draft(decisions.alice))
    chloe_job = in_draft(decisions.chloe)
    editions.save_job(
        national, draft, chloe_job, **{**form(chloe_job), "title": "Comptable général(e)"}
    )
    editions.retire_job(national, in_draft(hugo))
    return editions.publish_edition(national, draft)


def test_impact_counts_who_changes_job_or_level_per_establishment(decisions, official):
    impact = selectors.edition_impact(decisions.network.national, decisions.alice.edition, official)
    north = impact.by_establishment["CCI-NORD"]
    # Alice, Bruno, Chloé, Gaspard, Hugo decided in the north; Denis was only proposed.
    assert decisions.gaspard.job == decisions.alice.job
    assert north.positioned == 5
    assert (north.unchanged, north.renamed, north.change_job) == (1, 1, 1)  # Bruno, Chloé, Hugo
    assert north.job_level_up >= 2  # Alice and Gaspard (and Hugo, if the engine goes up)
    assert north.affected == 4 and north.local_job == 0
    move = {m.person.employee_id: m for m in impact.moves}
    assert move[decisions.alice.employee_id].new_level == decisions.alice.level + 1
    assert move[decisions.chloe.employee_id].renamed
    assert sum(north.by_level_before.values()) == 5
    assert sum(north.by_level_after.values()) == 5
    assert north.by_level_after[decisions.alice.level + 1] >= 2
    # HR of the north sees their establishment only.
    scoped = selectors.edition_impact(decisions.network.hr_north, decisions.alice.edition, official)
    assert set(scoped.by_establishment) == {"CCI-NORD"}


def test_migration_proposes_the_successor_and_changes_nothing_until_validated(decisions, official):
    hr = decisions.network.hr_north
    old = decisions.alice.edition
    result = services.migrate_establishment(hr, decisions.network.north, source=old)
    assert result.mapped == 5 and result.already_decided == 0
    new = {
        p.employee_id: p
        for p in Positioning.objects.filter(edition=official, establishment=decisions.network.north)
    }
    # Denis (never decided) got the engine's proposals too.
    assert set(new) >= {decisions.alice.employee_id, decisions.denis.employee_id}
    alice = new[decisions.alice.employee_id]
    assert alice.status == Positioning.Status.PROPOSED
    assert alice.job.code == decisions.alice.job.code and alice.confidence == 1.0
    assert alice.level == decisions.alice.level + 1
    assert alice.proposals[0]["reason"].endswith(Succession.SAME_CODE)
    # Bruno's personal level is kept with its reason.
    bruno = new[decisions.bruno.employee_id]
    assert bruno.level == decisions.bruno.level
    assert bruno.personal_level_reason == decisions.bruno.personal_level_reason
    # The old positionings are untouched, and both are in the journal.
    assert decisions.refreshed().alice.status == Positioning.Status.CONFIRMED
    entry = JournalEntry.objects.get(action="positioning.migrate", object_id=str(alice.pk))
    assert entry.before["edition"] == old.label and entry.after["edition"] == official.label
    assert alice.events.get().action == PositioningEvent.Action.MIGRATE
    # The review: bulk acceptance validates the certain mappings.
    services.bulk_accept(hr, decisions.network.north, threshold=0.95)
    # Same code: Alice, Bruno, Gaspard. Chloé's renamed job kept its code, but she is
    # under appeal on the earlier edition: she waits, like Hugo (his job retired).
    statuses = dict(
        Positioning.objects.filter(edition=official).values_list("employee_id", "status")
    )
    validated = {e for e, status in statuses.items() if status == Positioning.Status.VALIDATED}
    d = decisions
    assert {d.alice.employee_id, d.bruno.employee_id, d.gaspard.employee_id} <= validated
    assert d.chloe.employee_id not in validated
    alice.refresh_from_db()
    assert alice.status == Positioning.Status.VALIDATED


def test_migrating_twice_leaves_decisions_made_in_the_new_edition(decisions, official):
    hr = decisions.network.hr_north
    old = decisions.alice.edition
    services.migrate_establishment(hr, decisions.network.north, source=old)
    services.bulk_accept(hr, decisions.network.north, threshold=0.95)
    again = services.migrate_establishment(hr, decisions.network.north, source=old)
    assert (again.already_decided, again.mapped) == (3, 2)


def test_migration_is_refused_to_another_establishments_hr_and_from_the_edition_in_force(
    decisions, official
):
    with pytest.raises(NotAllowed):
        services.migrate_establishment(
            decisions.network.hr_south, decisions.network.north, source=decisions.alice.edition
        )
    with pytest.raises(Refused):
        services.migrate_establishment(
            decisions.network.hr_north, decisions.network.north, source=official
        )


def test_successor_of_a_retired_job_comes_from_the_engine(decisions, official):
    diff, mapping = catalog.successors_between(decisions.alice.edition, official)
    for job in diff.retired:
        assert mapping[job.code].how in (Succession.ENGINE, Succession.NONE)
        assert mapping[job.code].confidence < 0.95


def test_reports_name_an_edition_positionings_keep_theirs(client, decisions, official):
    national = decisions.network.national
    old = decisions.alice.edition
    assert selectors.report_for(national).decided == 0  # nobody migrated yet
    assert selectors.report_for(national, edition=old).decided == 6  # with Hugo
    client.force_login(national)
    page = client.get("/rapports/", {"edition": old.label})
    assert page.context["report"].decided == 6  # with Hugo
    assert f"edition={old.label}" in page.context["query"]
    assert client.get("/rapports/", {"edition": "inconnue"}).status_code == 404
    api = client.get("/api/reports", {"edition": old.label}).json()
    assert api["decided"] == 6


def test_a_group_decision_after_migration_keeps_a_level_held_before(decisions, official):
    hr = decisions.network.hr_north
    services.migrate_establishment(hr, decisions.network.north, source=decisions.alice.edition)
    bruno = Positioning.objects.get(edition=official, employee=decisions.bruno.employee)
    assert bruno.personal_level_reason
    services.decide_group(
        hr, decisions.network.north, bruno.title_key, job_code=bruno.job.code, edition=official
    )
    bruno.refresh_from_db()
    assert bruno.status == Positioning.Status.VALIDATED
    assert bruno.level == decisions.bruno.level
    assert bruno.personal_level_reason == decisions.bruno.personal_level_reason


def test_people_under_appeal_wait_for_hr_and_people_gone_are_not_migrated(decisions, official):
    import datetime as dt

    hr = decisions.network.hr_north
    gaspard = decisions.gaspard.employee
    services.update_employee(hr, gaspard, departure_date=dt.date(2015, 1, 31))
    impact = selectors.edition_impact(hr, decisions.alice.edition, official)
    assert gaspard.pk not in {m.person.employee_id for m in impact.moves}
    services.migrate_establishment(hr, decisions.network.north, source=decisions.alice.edition)
    assert not Positioning.objects.filter(edition=official, employee=gaspard).exists()
    chloe = Positioning.objects.get(edition=official, employee=decisions.chloe.employee)
    assert chloe.confidence < 0.95 and "recours en cours" in chloe.proposals[0]["reason"]


def test_a_copy_of_a_copy_migrates_from_the_edition_in_force_before(decisions):
    national = decisions.network.national
    old = decisions.alice.edition
    work = editions.copy_edition(national, old, label="travail")
    final = editions.copy_edition(national, work, label="finale")
    assert catalog.previous_edition(final) == old  # the draft in between held nobody
    editions.publish_edition(national, final)
    final.refresh_from_db()
    assert catalog.previous_edition(final) == old
    pending = selectors.pending_migration(decisions.network.hr_north, decisions.network.north)
    assert pending.source == old and pending.waiting == 4
    with pytest.raises(Refused, match="jamais été publiée"):
        services.migrate_establishment(
            decisions.network.hr_north, decisions.network.north, source=work
        )


def test_the_api_lists_the_positionings_of_a_named_edition(client, decisions, official):
    client.force_login(decisions.network.hr_north)
    old = decisions.alice.edition
    in_force = client.get("/api/positionings").json()
    assert in_force["count"] == 0  # nobody migrated yet
    earlier = client.get("/api/positionings", {"edition": old.label}).json()
    assert {item["edition"] for item in earlier["items"]} == {old.label}
    assert decisions.alice.pk in {item["id"] for item in earlier["items"]}
    assert client.get("/api/positionings", {"edition": "inconnue"}).status_code == 404


# --- in the background --------------------------------------------------------------------


def test_a_requested_migration_runs_in_the_background_once_at_a_time(
    client, decisions, official, django_capture_on_commit_callbacks
):
    def page_of(user, place):
        client.force_login(user)
        return client.get(f"/positionnement/{place.code}/migration/").content.decode()

    hr, north = decisions.network.hr_north, decisions.network.north
    old = decisions.alice.edition
    with django_capture_on_commit_callbacks(execute=False):  # no worker yet
        work = services.request_migration(hr, north, source=old)
        # Asked again while it waits: the same work, not a second one.
        assert services.request_migration(hr, north, source=old).pk == work.pk
    assert work.status == EstablishmentMigration.Status.PENDING
    assert f"/migration/{work.pk}/" in page_of(hr, north)
    migration.run_migration(work.pk, hr.pk)
    work.refresh_from_db()
    assert (work.status, work.progress) == (EstablishmentMigration.Status.DONE, 1.0)
    assert work.result == {"mapped": 5, "proposed": work.result["proposed"], "already_decided": 0}
    assert Positioning.objects.filter(edition=official, establishment=north).count() >= 5
    with pytest.raises(NotAllowed):
        services.request_migration(decisions.network.hr_south, north, source=old)


def test_a_migration_taken_for_interrupted_meanwhile_writes_nothing(
    decisions, official, django_capture_on_commit_callbacks
):
    hr, north = decisions.network.hr_north, decisions.network.north
    with django_capture_on_commit_callbacks(execute=False):
        work = services.request_migration(hr, north, source=decisions.alice.edition)
    EstablishmentMigration.objects.filter(pk=work.pk).update(
        status=EstablishmentMigration.Status.FAILED, error="interrompu : test"
    )
    migration.run_migration(work.pk, hr.pk)
    work.refresh_from_db()
    assert (work.status, work.error) == (EstablishmentMigration.Status.FAILED, "interrompu : test")
    assert not Positioning.objects.filter(edition=official).exists()
