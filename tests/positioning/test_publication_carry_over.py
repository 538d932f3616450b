"""Publishing an edition during a campaign carries it over: decisions on unchanged jobs
keep their status, decision and appeal; people whose job changed go back to review
(flagged when notified or contested, their letter and appeal kept); undecided people get
their proposals on the new edition at once. The worklist never empties. Jobs, levels and
degrees come from the loaded edition, never typed here."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from repertoire.audit.models import JournalEntry
from repertoire.catalog import services as editions
from repertoire.core.editions import (
    ENGINE_CONFIDENCE,
    CarryOver,
    EditionJob,
    carry_over_outcome,
    job_unchanged,
)
from repertoire.core.refusals import Conflict
from repertoire.positioning import selectors, services
from repertoire.positioning.models import Appeal, Employee, Positioning, PositioningEvent
from repertoire.positioning.services import publication
from tests.edition_builder import form, raise_level

pytestmark = pytest.mark.django_db


def _draft(decisions, label="officielle"):
    return editions.copy_edition(decisions.network.national, decisions.alice.edition, label=label)


def _on(edition, positioning) -> Positioning:
    return Positioning.objects.select_related("job__level").get(
        edition=edition, employee_id=positioning.employee_id
    )


# --- the rule, in the core ----------------------------------------------------------------


def test_a_job_is_unchanged_with_its_code_level_and_degrees_whatever_its_texts(decisions):
    job = decisions.alice.job
    degrees = {d.criterion.code: d.degree for d in job.degrees.all()}
    before = EditionJob(job.code, job.title, job.level.number, degrees)
    assert job_unchanged(
        before, EditionJob(job.code, job.title + " (bis)", job.level.number, degrees)
    )
    code = next(iter(degrees))
    moved = {**degrees, code: degrees[code] % 8 + 1}
    assert not job_unchanged(before, EditionJob(job.code, job.title, job.level.number, moved))
    assert not job_unchanged(before, EditionJob("autre", job.title, job.level.number, degrees))
    assert not job_unchanged(before, None)
    assert carry_over_outcome(Positioning.Status.CONTESTED, True) == CarryOver.KEEP
    assert carry_over_outcome(Positioning.Status.CONTESTED, False) == CarryOver.FLAGGED
    assert carry_over_outcome(Positioning.Status.VALIDATED, False) == CarryOver.REVIEW
    assert carry_over_outcome(Positioning.Status.PROPOSED, True) == CarryOver.PROPOSE


# --- the campaign carried over ----------------------------------------------------------------


def test_unchanged_jobs_keep_status_decision_and_appeal(decisions):
    """Nothing a person rests on changes: every decision, letter and appeal carries over;
    the commission then decides the open appeal on the edition in force."""
    national, hr = decisions.network.national, decisions.network.hr_north
    draft = _draft(decisions)
    # Only the texts of one job change: nobody's job changes.
    job = draft.jobs.get(code=decisions.chloe.job.code)
    content = form(job)
    content["title"] = job.title + " (intitulé revu)"
    editions.save_job(national, draft, job, **content)
    before_count = selectors.progress_of(hr, decisions.network.north, threshold=0.95).employees

    official, result = services.publish_edition(national, draft)

    assert result.review == 0 and result.kept == 5 and result.proposed == 2
    chloe = _on(official, decisions.chloe)
    assert chloe.status == Positioning.Status.CONTESTED
    assert (chloe.job.code, chloe.level, chloe.notified_on) == (
        decisions.chloe.job.code,
        decisions.chloe.level,
        decisions.chloe.notified_on,
    )
    appeal = Appeal.objects.get(status=Appeal.Status.OPEN)
    assert appeal.positioning == chloe
    alice = _on(official, decisions.alice)
    assert alice.status == Positioning.Status.CONFIRMED
    assert alice.decided_by == decisions.alice.decided_by
    assert alice.appeals.get().status == Appeal.Status.CONFIRMED
    bruno = _on(official, decisions.bruno)
    assert bruno.status == Positioning.Status.VALIDATED
    assert bruno.level == decisions.bruno.level
    assert bruno.personal_level_reason == decisions.bruno.personal_level_reason
    # Journaled as carried over, with the author; a step in the history.
    entry = JournalEntry.objects.get(action="positioning.carry_over", object_id=str(chloe.pk))
    assert entry.actor == national.username
    assert entry.after["edition"] == official.label and entry.after["outcome"] == CarryOver.KEEP
    step = chloe.events.get()
    assert step.action == PositioningEvent.Action.CARRY and step.author == national.username
    assert JournalEntry.objects.filter(action="appeal.carry_over").count() == 2
    # The worklist never empties: everyone is on the edition in force.
    after = selectors.progress_of(hr, decisions.network.north, threshold=0.95)
    assert after.employees == before_count > 0
    # The commission decides the moved appeal: the positioning in force follows.
    services.decide_appeal(
        hr,
        appeal,
        outcome=Appeal.Status.CONFIRMED,
        reasoning="Rattachement conforme",
        decided_on=dt.date(2015, 5, 1),
    )
    chloe.refresh_from_db()
    assert chloe.status == Positioning.Status.CONFIRMED
    # The earlier edition keeps its positionings as they were.
    assert Positioning.objects.filter(edition=decisions.alice.edition).count() == 7


def test_changed_jobs_return_to_review_notified_and_contested_flagged(decisions):
    national = decisions.network.national
    draft = _draft(decisions)
    changed = decisions.chloe.job.code  # Chloé (contested) and Amédée (notified) hold it
    raise_level(national, draft, draft.jobs.get(code=changed))
    held = {
        p.employee_id: p
        for p in Positioning.objects.filter(edition=decisions.alice.edition).select_related("job")
    }
    impact = selectors.publication_impact(national, draft)
    rows = {row.establishment: row for row in impact.rows}
    north, south = rows["CCI-NORD"], rows["CCI-SUD"]
    on_changed = [p for p in held.values() if p.job.code == changed and p.status != "proposed"]
    assert north.review + south.review == len(on_changed)
    assert north.contested == 1 and north.contested_affected == 1
    assert south.notified_affected == (decisions.amedee.job.code == changed)
    assert north.undecided == 1 and south.undecided == 1
    assert impact.total.positioned == 7

    official, result = services.publish_edition(national, draft)

    assert result.review == len(on_changed) and result.flagged >= 1
    chloe = _on(official, decisions.chloe)
    assert chloe.status == Positioning.Status.PROPOSED
    assert chloe.job.code == changed and chloe.level == decisions.chloe.level + 1
    assert chloe.confidence <= ENGINE_CONFIDENCE  # never accepted in bulk
    assert chloe.proposals[0]["reason"].startswith("À REVOIR")
    # Her letter and open appeal stay on the earlier edition, where the commission decides.
    decisions.chloe.refresh_from_db()
    assert decisions.chloe.status == Positioning.Status.CONTESTED
    assert Appeal.objects.get(status=Appeal.Status.OPEN).positioning == decisions.chloe
    migrated = JournalEntry.objects.get(action="positioning.migrate", object_id=str(chloe.pk))
    assert migrated.after["outcome"] == CarryOver.FLAGGED
    # Unchanged jobs carried over as they were.
    if decisions.alice.job.code != changed:
        assert _on(official, decisions.alice).status == Positioning.Status.CONFIRMED
    # Undecided people have proposals on the new edition at once.
    denis = _on(official, decisions.denis)
    assert denis.status == Positioning.Status.PROPOSED
    assert denis.job is not None and denis.job.edition == official
    assert denis.proposals and all(
        official.jobs.filter(code=p["code"]).exists() for p in denis.proposals
    )
    # No worklist is empty.
    for place in (decisions.network.north, decisions.network.south):
        progress = selectors.progress_of(national, place, threshold=0.95)
        assert (
            progress.employees
            == Positioning.objects.filter(
                edition=decisions.alice.edition, establishment=place
            ).count()
        )


def test_publishing_without_a_campaign_carries_nothing(network, edition):
    draft = editions.copy_edition(network.national, edition, label="suivante")
    official, result = services.publish_edition(network.national, draft)
    assert official.is_current and result.total == 0


def test_a_refused_publication_carries_nothing_over(decisions):
    national = decisions.network.national
    draft = _draft(decisions)
    for job in list(draft.jobs.all()):
        editions.retire_job(national, job)
    with pytest.raises(editions.PublicationRefused):
        services.publish_edition(national, draft)
    assert not Positioning.objects.filter(edition=draft).exists()


def test_a_decision_on_the_earlier_positioning_after_the_carry_over_is_refused(decisions):
    """HR who opened a person's page before the publication decide after it: refused
    (409), never a decision lost on the earlier edition."""
    national, hr = decisions.network.national, decisions.network.hr_north
    draft = _draft(decisions)
    changed = decisions.chloe.job.code
    raise_level(national, draft, draft.jobs.get(code=changed))
    services.publish_edition(national, draft)
    stale_gaspard = Positioning.objects.get(pk=decisions.gaspard.pk)  # notified, earlier one
    with pytest.raises(Conflict):
        services.open_appeal(
            hr,
            stale_gaspard,
            kind=Appeal.Kind.ATTACHMENT,
            argument="Argument reçu avant la publication",
        )
    with pytest.raises(Conflict):
        services.change(hr, Positioning.objects.get(pk=decisions.denis.pk), job_code=changed)
    # Chloé's open appeal stayed with her letter on the earlier edition: the commission
    # still decides it there.
    appeal = Appeal.objects.get(status=Appeal.Status.OPEN)
    services.decide_appeal(
        hr, appeal, outcome=Appeal.Status.CONFIRMED, reasoning="Rattachement conforme"
    )
    assert Positioning.objects.get(pk=decisions.chloe.pk).status == Positioning.Status.CONFIRMED


# --- read ahead, written in one transaction ---------------------------------------------


def _meanwhile(monkeypatch, change):
    """Run ``change`` once the campaign was read and worked out, before the write
    transaction: what another person does while a publication reads."""
    plan = publication.plan_carry_over

    def planned(*arguments):
        result = plan(*arguments)
        change()
        return result

    monkeypatch.setattr(publication, "plan_carry_over", planned)


def test_a_decision_taken_while_the_campaign_was_read_is_carried_over_as_it_now_stands(
    decisions, monkeypatch
):
    national, hr = decisions.network.national, decisions.network.hr_north
    draft = _draft(decisions)  # nobody's job changes
    gone = decisions.gaspard.employee_id

    def change():
        services.validate(hr, Positioning.objects.get(pk=decisions.denis.pk))
        Employee.objects.filter(pk=gone).update(departure_date=dt.date(2015, 1, 31))

    _meanwhile(monkeypatch, change)
    official, result = services.publish_edition(national, draft)

    denis = _on(official, decisions.denis)
    assert denis.status == Positioning.Status.VALIDATED  # not his earlier proposal
    assert denis.decided_by == hr.username
    assert not Positioning.objects.filter(edition=official, employee_id=gone).exists()
    assert (result.kept, result.proposed, result.review) == (5, 1, 0)


def test_a_draft_changed_while_the_campaign_was_read_is_worked_out_anew(decisions, monkeypatch):
    national = decisions.network.national
    draft = _draft(decisions)
    changed = decisions.chloe.job.code
    _meanwhile(monkeypatch, lambda: raise_level(national, draft, draft.jobs.get(code=changed)))

    official, result = services.publish_edition(national, draft)

    chloe = _on(official, decisions.chloe)
    assert chloe.status == Positioning.Status.PROPOSED  # her job changed: back to review
    assert chloe.proposals[0]["reason"].startswith("À REVOIR")
    assert result.review >= 1 and result.flagged >= 1


def test_the_progress_tells_each_stage(decisions):
    draft = _draft(decisions)
    raise_level(decisions.network.national, draft, draft.jobs.get(code=decisions.chloe.job.code))
    told = []
    services.publish_edition(
        decisions.network.national,
        draft,
        progress=lambda fraction, stage: told.append((fraction, stage)),
    )
    stages = [stage for _, stage in told]
    fractions = [fraction for fraction, _ in told]
    assert fractions == sorted(fractions) and fractions[0] >= 0 and fractions[-1] < 1
    expected = ["lecture de la campagne", "report des positionnements : 7 / 7", "enregistrement"]
    if connection.vendor != "sqlite":  # told from another connection during the write
        expected += [
            "enregistrement des positionnements : 7 / 7",
            "recours",
            "journal",
            "journal : 7 / 7",
        ]
    assert stages == expected
