"""A new edition published: its impact on positioned people, and their migration through
the worklist. Jobs, levels and degrees come from the loaded edition, never typed here."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from repertoire.audit.models import JournalEntry
from repertoire.catalog import selectors as catalog
from repertoire.catalog import services as editions
from repertoire.core.editions import Succession
from repertoire.positioning import selectors, services
from repertoire.positioning.models import Positioning, PositioningEvent
from tests.edition_builder import form, raise_level

pytestmark = pytest.mark.django_db


@pytest.fixture
def official(decisions):
    """The 2014 edition copied, edited and published: Alice's job one level up, Gaspard's
    retired, Chloé's renamed."""
    national = decisions.network.national
    old = decisions.alice.version
    draft = editions.copy_edition(national, old, label="officielle")
    in_draft = lambda p: draft.jobs.get(code=p.job.code)  # noqa: E731
    raise_level(national, draft, in_draft(decisions.alice))
    chloe_job = in_draft(decisions.chloe)
    editions.save_job(
        national, draft, chloe_job, **{**form(chloe_job), "title": "Comptable général(e)"}
    )
    if decisions.gaspard.job.code not in {decisions.alice.job.code, decisions.chloe.job.code}:
        editions.retire_job(national, in_draft(decisions.gaspard))
    return editions.publish_edition(national, draft)


def test_impact_counts_who_changes_job_or_level_per_establishment(decisions, official):
    impact = selectors.edition_impact(decisions.network.national, decisions.alice.version, official)
    north = impact.by_establishment["CCI-NORD"]
    # Alice, Bruno, Chloé, Gaspard decided in the north; Denis was only proposed.
    assert north.positioned == 4
    assert north.job_level_up >= 1
    assert north.renamed >= 1
    move = {m.person.employee_id: m for m in impact.moves}
    assert move[decisions.alice.employee_id].new_level == decisions.alice.level + 1
    assert move[decisions.chloe.employee_id].renamed
    assert sum(north.by_level_before.values()) == 4
    # HR of the north sees their establishment only.
    scoped = selectors.edition_impact(decisions.network.hr_north, decisions.alice.version, official)
    assert set(scoped.by_establishment) == {"CCI-NORD"}


def test_migration_proposes_the_successor_and_changes_nothing_until_validated(decisions, official):
    hr = decisions.network.hr_north
    old = decisions.alice.version
    result = services.migrate_establishment(hr, decisions.network.north, source=old)
    assert result.mapped == 4 and result.already_decided == 0
    new = {
        p.employee_id: p
        for p in Positioning.objects.filter(version=official, establishment=decisions.network.north)
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
    accepted = services.bulk_accept(hr, decisions.network.north, threshold=0.95)
    assert accepted >= 3
    alice.refresh_from_db()
    assert alice.status == Positioning.Status.VALIDATED


def test_migrating_twice_leaves_decisions_made_in_the_new_edition(decisions, official):
    hr = decisions.network.hr_north
    old = decisions.alice.version
    services.migrate_establishment(hr, decisions.network.north, source=old)
    services.bulk_accept(hr, decisions.network.north, threshold=0.95)
    again = services.migrate_establishment(hr, decisions.network.north, source=old)
    assert again.already_decided >= 3


def test_migration_is_refused_to_another_establishments_hr_and_from_the_edition_in_force(
    decisions, official
):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.migrate_establishment(
            decisions.network.hr_south, decisions.network.north, source=decisions.alice.version
        )
    with pytest.raises(ValidationError):
        services.migrate_establishment(
            decisions.network.hr_north, decisions.network.north, source=official
        )


def test_successor_of_a_retired_job_comes_from_the_engine(decisions, official):
    diff, mapping = catalog.successors_between(decisions.alice.version, official)
    for job in diff.retired:
        assert mapping[job.code].how in (Succession.ENGINE, Succession.NONE)
        assert mapping[job.code].confidence < 0.95


def test_reports_name_an_edition_positionings_keep_theirs(client, decisions, official):
    national = decisions.network.national
    old = decisions.alice.version
    assert selectors.report_for(national).decided == 0  # nobody migrated yet
    assert selectors.report_for(national, version=old).decided == 5
    client.force_login(national)
    page = client.get("/rapports/", {"edition": old.label})
    assert page.context["report"].decided == 5
    assert client.get("/rapports/", {"edition": "inconnue"}).status_code == 404
    api = client.get("/api/reports", {"edition": old.label}).json()
    assert api["decided"] == 5
