"""HR decisions on positionings: validate, change (with a personal level), comment, bulk
acceptance, group decisions, notification; each in the history and the journal, each
refused out of order with a clear message. Local titles are invented; reference jobs and
their levels are read from the loaded edition."""

from __future__ import annotations

import datetime as dt

import pytest

from repertoire.audit.models import JournalEntry
from repertoire.audit.selectors import in_clear
from repertoire.catalog import selectors as catalog
from repertoire.catalog.models import Appellation
from repertoire.core.payroll import read_payroll
from repertoire.core.refusals import NotAllowed, Refused
from repertoire.positioning import selectors, services
from repertoire.positioning.models import Positioning, PositioningEvent

pytestmark = pytest.mark.django_db

# Local titles: known ones (appellations of the edition) and invented ones.
ASSISTANT = "Assistante"
PAYROLL = "Gestionnaire de paie"
MISSION = "Chargée de mission attractivité du territoire"
ODD = "Bidule machin"
STAFF = [
    ("N-01", "ALBERT", ASSISTANT),
    ("N-02", "BERNARD", ASSISTANT),
    ("N-03", "CHARLES", ASSISTANT),
    ("N-04", "DENIS", PAYROLL),
    ("N-05", "EMILE", MISSION),
    ("N-06", "FABRE", MISSION),
    ("N-07", "GIRARD", ODD),
]
NOTIFIED_ON = dt.date(2015, 3, 31)


def staff_file(rows) -> bytes:
    lines = ["Matricule;Nom;Intitulé du poste", *(";".join(row) for row in rows)]
    return "\n".join(lines).encode()


def placed(matricule: str) -> Positioning:
    return Positioning.objects.select_related("job__level", "establishment", "edition").get(
        employee__matricule=matricule
    )


def history(positioning: Positioning) -> list[tuple[str, str, str]]:
    return [
        (event.action, event.author, event.status) for event in selectors.events_of(positioning)
    ]


def journal(positioning: Positioning) -> list[JournalEntry]:
    return list(
        JournalEntry.objects.filter(
            object_type="positioning.positioning", object_id=str(positioning.pk)
        ).order_by("pk")
    )


@pytest.fixture
def jobs(edition):
    return list(catalog.jobs_of(edition).select_related("level"))


@pytest.fixture
def north(edition, network):
    services.import_employees(
        network.hr_north, network.north, read_payroll(staff_file(STAFF), "rh.csv")
    )
    services.import_employees(
        network.hr_south,
        network.south,
        read_payroll(staff_file([("S-01", "SUDRE", ASSISTANT)]), "rh.csv"),
    )
    return network


def another_job(jobs, positioning, *, below_top=False, above_bottom=False):
    """A reference job other than the positioning's, read from the edition."""
    return next(
        job
        for job in jobs
        if job.code != positioning.job.code
        and (not below_top or job.level.number < 8)
        and (not above_bottom or job.level.number > 1)
    )


# --- validate ----------------------------------------------------------------------------


def test_validate_accepts_the_proposed_job_and_its_level(north):
    positioning = placed("N-04")
    proposed = (positioning.job_id, positioning.level)
    services.validate(north.hr_north, positioning, comment="  conforme à la fiche  ")
    positioning = placed("N-04")
    assert positioning.status == Positioning.Status.VALIDATED
    assert (positioning.job_id, positioning.level) == proposed
    assert positioning.decided_by == "rh-nord" and positioning.decided_at is not None
    assert history(positioning) == [
        ("propose", "rh-nord", "proposed"),
        ("validate", "rh-nord", "validated"),
    ]
    assert selectors.events_of(positioning).last().note == "conforme à la fiche"
    entry = journal(positioning)[-1]
    assert (entry.action, entry.actor) == ("positioning.validate", "rh-nord")
    assert (entry.before["status"], entry.after["status"]) == ("proposed", "validated")
    assert entry.after["job"] == positioning.job.code


def test_validate_again_is_allowed_and_recorded(north):
    positioning = placed("N-04")
    services.validate(north.hr_north, positioning)
    services.validate(north.national, placed("N-04"))
    assert [a for a, _, _ in history(placed("N-04"))] == ["propose", "validate", "validate"]
    assert placed("N-04").decided_by == "nationale"


@pytest.mark.parametrize("who", ["reader_north", "hr_south"])
def test_only_hr_of_the_establishment_decides(north, who):
    positioning = placed("N-04")
    with pytest.raises(NotAllowed):
        services.validate(getattr(north, who), positioning)
    with pytest.raises(NotAllowed):
        services.comment(getattr(north, who), positioning, "vu")
    with pytest.raises(NotAllowed):
        services.bulk_accept(getattr(north, who), north.north, threshold=0.5)
    with pytest.raises(NotAllowed):
        services.notify(getattr(north, who), [positioning])
    assert placed("N-04").status == Positioning.Status.PROPOSED
    assert len(history(placed("N-04"))) == 1


# --- change ------------------------------------------------------------------------------


def test_change_places_the_employee_on_another_job_at_its_level(north, jobs):
    positioning = placed("N-07")
    job = another_job(jobs, positioning)
    services.change(north.hr_north, positioning, job_code=job.code, comment="fiche de poste lue")
    positioning = placed("N-07")
    assert positioning.status == Positioning.Status.VALIDATED
    assert (positioning.job, positioning.level) == (job, job.level.number)
    assert positioning.personal_level_reason == "" and not positioning.is_personal_level
    last = selectors.events_of(positioning).last()
    assert (last.action, last.job_code, last.job_title, last.level) == (
        "change",
        job.code,
        job.title,
        job.level.number,
    )
    assert last.note == "fiche de poste lue"
    assert journal(positioning)[-1].after["job"] == job.code


def test_a_personal_level_above_the_job_is_kept_with_its_reason(north, jobs):
    positioning = placed("N-05")
    job = another_job(jobs, positioning, below_top=True)
    services.change(
        north.hr_north,
        positioning,
        job_code=job.code,
        personal_level=job.level.number + 1,
        reason="  niveau acquis avant la classification ",
    )
    positioning = placed("N-05")
    assert (positioning.job, positioning.level) == (job, job.level.number + 1)
    assert positioning.personal_level_reason == "niveau acquis avant la classification"
    assert positioning.is_personal_level
    # The journal seals the reason with the person's key; it reads in clear to HR.
    (entry,) = journal(positioning)[-1:]
    assert "niveau acquis" not in str(entry.after)
    assert in_clear([entry])[0].after["personal_level_reason"] == (
        "niveau acquis avant la classification"
    )
    # Back to the job's own level: the reason goes with the personal level.
    services.change(north.hr_north, positioning, job_code=job.code)
    positioning = placed("N-05")
    assert (positioning.level, positioning.personal_level_reason) == (job.level.number, "")


def test_a_level_below_the_job_is_refused_and_nothing_changes(north, jobs):
    positioning = placed("N-05")
    job = another_job(jobs, positioning, above_bottom=True)
    with pytest.raises(Refused) as refused:
        services.change(
            north.hr_north,
            positioning,
            job_code=job.code,
            personal_level=job.level.number - 1,
            reason="demande du collaborateur",
        )
    assert refused.value.problems == {
        "level": [
            f"le niveau ne peut être inférieur à celui de l'emploi (niveau {job.level.number})"
        ]
    }
    unchanged = placed("N-05")
    assert unchanged.status == Positioning.Status.PROPOSED
    assert unchanged.job_id != job.pk or unchanged.level == job.level.number
    assert len(history(unchanged)) == 1


def test_a_higher_level_without_a_reason_is_refused(north, jobs):
    positioning = placed("N-05")
    job = another_job(jobs, positioning, below_top=True)
    with pytest.raises(Refused) as refused:
        services.change(
            north.hr_north, positioning, job_code=job.code, personal_level=job.level.number + 1
        )
    assert "se motive" in refused.value.problems["level"][0]
    assert placed("N-05").status == Positioning.Status.PROPOSED


def test_an_unknown_job_is_refused(north, edition):
    with pytest.raises(Refused) as refused:
        services.change(north.hr_north, placed("N-05"), job_code="emploi-inexistant")
    assert refused.value.problems == {
        "job": [f"aucun emploi « emploi-inexistant » dans l'édition {edition.label}"]
    }


# --- comment -----------------------------------------------------------------------------


def test_a_comment_is_kept_in_history_and_journal_without_changing_the_decision(north):
    positioning = placed("N-06")
    services.comment(north.hr_north, positioning, "  à revoir avec le manager ")
    positioning = placed("N-06")
    assert positioning.comment == "à revoir avec le manager"
    assert positioning.status == Positioning.Status.PROPOSED
    last = selectors.events_of(positioning).last()
    assert (last.action, last.author, last.note) == (
        "comment",
        "rh-nord",
        "à revoir avec le manager",
    )
    entry = journal(positioning)[-1]
    assert entry.action == "positioning.comment"
    assert "revoir" not in str(entry.after)  # sealed with the person's key
    assert in_clear([entry])[0].after["comment"] == "à revoir avec le manager"
    with pytest.raises(Refused):
        services.comment(north.hr_north, positioning, "   ")
    assert len(history(placed("N-06"))) == 2


# --- bulk acceptance ---------------------------------------------------------------------


def test_bulk_accept_validates_only_proposals_above_the_threshold(north, settings):
    threshold = settings.REPERTOIRE_BULK_ACCEPT_THRESHOLD
    proposed = list(Positioning.objects.filter(establishment=north.north))
    sure = {p.pk for p in proposed if p.confidence >= threshold}
    unsure = {p.pk for p in proposed if p.confidence < threshold}
    # The file mixes titles the engine knows and titles it does not.
    assert sure and unsure
    south = placed("S-01")
    assert south.confidence >= threshold

    count = services.bulk_accept(north.hr_north, north.north, threshold=threshold)

    assert count == len(sure)
    statuses = dict(
        Positioning.objects.filter(establishment=north.north).values_list("pk", "status")
    )
    assert {pk for pk, status in statuses.items() if status == "validated"} == sure
    assert {pk for pk, status in statuses.items() if status == "proposed"} == unsure
    assert placed("S-01").status == Positioning.Status.PROPOSED  # another establishment
    for positioning in Positioning.objects.filter(pk__in=sure):
        assert positioning.decided_by == "rh-nord" and positioning.decided_at is not None
        event = selectors.events_of(positioning).last()
        assert (event.action, event.author, event.status) == ("validate", "rh-nord", "validated")
        assert f"{threshold:.2f}".replace(".", ",") in event.note  # French, like the page
        entry = journal(positioning)[-1]
        assert (entry.action, entry.actor) == ("positioning.validate", "rh-nord")
        assert entry.establishment_id == north.north.pk
    # Already validated: a second pass finds nothing more to accept.
    assert services.bulk_accept(north.hr_north, north.north, threshold=threshold) == 0


def test_bulk_accept_of_one_title_group(north):
    title_key = placed("N-01").title_key
    count = services.bulk_accept(north.hr_north, north.north, threshold=0.01, title_key=title_key)
    assert count == 3
    assert placed("N-04").status == Positioning.Status.PROPOSED


@pytest.mark.parametrize("threshold", [0, -0.5, 1.01])
def test_bulk_accept_needs_a_threshold_between_0_and_1(north, threshold):
    with pytest.raises(Refused):
        services.bulk_accept(north.hr_north, north.north, threshold=threshold)


# --- group decisions ---------------------------------------------------------------------


def test_a_group_decision_places_every_employee_of_the_title(north, jobs):
    group = placed("N-05")
    job = another_job(jobs, group)
    # Decided one by one before: keeps its decision (and any personal level).
    services.validate(north.hr_north, placed("N-06"))
    kept = placed("N-06").job
    journal_before = JournalEntry.objects.count()

    batch = services.decide_group(north.hr_north, north.north, group.title_key, job_code=job.code)

    assert batch.accepted == 1 and batch.kind == "group" and batch.job == job
    positioning = placed("N-05")
    assert positioning.status == Positioning.Status.VALIDATED
    assert (positioning.job, positioning.level) == (job, job.level.number)
    assert positioning.decided_by == "rh-nord"
    event = selectors.events_of(positioning).last()
    assert (event.action, event.author, event.job_code) == ("change", "rh-nord", job.code)
    assert MISSION in event.note
    assert (placed("N-06").status, placed("N-06").job) == (Positioning.Status.VALIDATED, kept)
    # The correction teaches the engine: the local title is now an appellation of the job.
    alias = Appellation.objects.get(job=job, title=MISSION)
    assert (alias.source, alias.created_by) == ("validated", "rh-nord")
    actions = JournalEntry.objects.order_by("pk")[journal_before:].values_list("action", flat=True)
    assert sorted(actions) == [
        "appellation.add",
        "positioning.change",
        "positioning.group_decision",
    ]
    # Other titles are untouched.
    assert placed("N-07").status == Positioning.Status.PROPOSED


def test_after_a_group_decision_the_same_title_is_proposed_the_decided_job(north, jobs):
    group = placed("N-05")
    job = another_job(jobs, group)
    services.decide_group(north.hr_north, north.north, group.title_key, job_code=job.code)
    newcomer = services.create_employee(
        north.hr_north, north.north, matricule="N-99", last_name="NOUVEAU", job_title=MISSION
    )
    proposal = selectors.positioning_of(north.hr_north, newcomer).proposals[0]
    assert (proposal["code"], proposal["score"]) == (job.code, 1.0)


def test_a_group_decision_confirming_the_proposal_adds_no_appellation(north):
    group = placed("N-01")
    aliases = Appellation.objects.count()
    batch = services.decide_group(
        north.hr_north, north.north, group.title_key, job_code=group.job.code
    )
    assert batch.accepted == 3
    assert Appellation.objects.count() == aliases
    assert [a for a, _, _ in history(placed("N-02"))] == ["propose", "validate"]
    assert placed("S-01").status == Positioning.Status.PROPOSED  # same title, other CCI


def test_a_group_decision_leaves_notified_positionings_alone(north, jobs):
    services.validate(north.hr_north, placed("N-05"))
    services.notify(north.hr_north, [placed("N-05")], on=NOTIFIED_ON)
    notified = placed("N-05")
    job = another_job(jobs, notified)
    batch = services.decide_group(
        north.hr_north, north.north, notified.title_key, job_code=job.code
    )
    assert batch.accepted == 1
    assert placed("N-05").job_id == notified.job_id
    assert placed("N-05").status == Positioning.Status.NOTIFIED
    assert placed("N-06").job == job


def test_a_group_decision_on_an_empty_group_is_refused(north, jobs):
    with pytest.raises(Refused):
        services.decide_group(north.hr_north, north.north, "aucun intitule", job_code=jobs[0].code)
    with pytest.raises(NotAllowed):
        services.decide_group(
            north.hr_south, north.north, placed("N-01").title_key, job_code=jobs[0].code
        )


# --- notification and the order of things ----------------------------------------------


def test_notify_records_the_letter_of_validated_positionings_only(north):
    services.validate(north.hr_north, placed("N-01"))
    services.validate(north.hr_north, placed("N-02"))
    count = services.notify(
        north.hr_north, [placed("N-01"), placed("N-02"), placed("N-03")], on=NOTIFIED_ON
    )
    assert count == 2
    for matricule in ("N-01", "N-02"):
        positioning = placed(matricule)
        assert (positioning.status, positioning.notified_on) == ("notified", NOTIFIED_ON)
        event = selectors.events_of(positioning).last()
        assert (event.action, event.author) == ("notify", "rh-nord")
        assert "31/03/2015" in event.note
        assert journal(positioning)[-1].action == "positioning.notify"
    assert placed("N-03").status == Positioning.Status.PROPOSED
    assert placed("N-03").notified_on is None
    # Notified once: a second letter is not recorded.
    assert services.notify(north.hr_north, [placed("N-01")], on=NOTIFIED_ON) == 0


def test_after_notification_only_an_appeal_changes_the_positioning(north, jobs):
    services.validate(north.hr_north, placed("N-04"))
    services.notify(north.hr_north, [placed("N-04")], on=NOTIFIED_ON)
    positioning = placed("N-04")
    with pytest.raises(Refused) as refused:
        services.change(north.hr_north, positioning, job_code=another_job(jobs, positioning).code)
    assert refused.value.messages == [
        "impossible de changer l'emploi ou le niveau un positionnement notifié "
        "(il faut qu'il soit : proposé, validé)"
    ]
    with pytest.raises(Refused, match="impossible de valider"):
        services.validate(north.hr_north, positioning)
    assert placed("N-04").status == Positioning.Status.NOTIFIED
    assert placed("N-04").job_id == positioning.job_id


def test_a_proposal_cannot_be_notified_before_it_is_decided(north):
    assert services.notify(north.hr_north, [placed("N-04")]) == 0
    assert placed("N-04").status == Positioning.Status.PROPOSED


def test_the_history_tells_every_step_in_order_with_its_author(north, jobs):
    positioning = placed("N-07")
    job = another_job(jobs, positioning)
    services.comment(north.hr_north, positioning, "titre inconnu du moteur")
    services.change(north.national, placed("N-07"), job_code=job.code)
    services.validate(north.hr_north, placed("N-07"))
    services.notify(north.national, [placed("N-07")], on=NOTIFIED_ON)
    positioning = placed("N-07")
    assert history(positioning) == [
        ("propose", "rh-nord", "proposed"),
        ("comment", "rh-nord", "proposed"),
        ("change", "nationale", "validated"),
        ("validate", "rh-nord", "validated"),
        ("notify", "nationale", "notified"),
    ]
    assert [(e.action, e.actor) for e in journal(positioning)] == [
        ("positioning.propose", "rh-nord"),
        ("positioning.comment", "rh-nord"),
        ("positioning.change", "nationale"),
        ("positioning.validate", "rh-nord"),
        ("positioning.notify", "nationale"),
    ]
    assert PositioningEvent.objects.filter(positioning=positioning).count() == 5


def test_a_personal_level_above_the_grid_is_refused(north, jobs):
    positioning = placed("N-05")
    with pytest.raises(Refused) as refused:
        services.change(
            north.hr_north,
            positioning,
            job_code=positioning.job.code,
            personal_level=9,
            reason="maintien à titre personnel",
        )
    assert refused.value.problems == {"level": ["le niveau va de I à VIII"]}
    assert placed("N-05").status == Positioning.Status.PROPOSED


def test_validating_again_keeps_a_personal_level(north, jobs):
    positioning = placed("N-05")
    job = another_job(jobs, positioning, below_top=True)
    services.change(
        north.hr_north,
        positioning,
        job_code=job.code,
        personal_level=job.level.number + 1,
        reason="maintien à titre personnel",
    )
    services.validate(north.national, placed("N-05"), comment="relu")
    positioning = placed("N-05")
    assert (positioning.job, positioning.level) == (job, job.level.number + 1)
    assert positioning.personal_level_reason == "maintien à titre personnel"


def test_a_positioning_without_a_job_is_changed_not_validated(north, jobs):
    employee = services.create_employee(
        north.hr_north, north.north, matricule="N-98", last_name="VIDE", job_title="?!"
    )
    positioning = selectors.positioning_of(north.hr_north, employee)
    # A title of no words: the engine proposes nothing, HR chooses.
    assert (positioning.proposals, positioning.job, positioning.confidence) == ([], None, 0.0)
    with pytest.raises(Refused) as refused:
        services.validate(north.hr_north, positioning)
    assert refused.value.problems == {"job": ["choisissez l'emploi repère de ce collaborateur"]}
    services.change(north.hr_north, positioning, job_code=jobs[0].code)
    assert selectors.positioning_of(north.hr_north, employee).job == jobs[0]
