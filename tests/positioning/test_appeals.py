"""Appeals (recours): opened within the deadline after the notification, of one of three
kinds, decided once by the commission (confirmed or revised); every step in the history
and the journal. Reference jobs and levels are read from the loaded edition."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from repertoire.audit.models import JournalEntry
from repertoire.catalog import selectors as catalog
from repertoire.core.refusals import NotAllowed, Refused
from repertoire.positioning import selectors, services
from repertoire.positioning.models import Appeal, Positioning

pytestmark = pytest.mark.django_db

NOTIFIED_ON = dt.date(2015, 3, 31)
# One month later: 31 March → 30 April.
DEADLINE = dt.date(2015, 4, 30)


def placed(employee) -> Positioning:
    return Positioning.objects.select_related("job__level").get(employee=employee)


def history(positioning) -> list[tuple[str, str, str]]:
    return [(e.action, e.author, e.status) for e in selectors.events_of(positioning)]


def journal_actions(instance) -> list[tuple[str, str]]:
    return list(
        JournalEntry.objects.filter(
            object_type=instance._meta.label_lower, object_id=str(instance.pk)
        )
        .order_by("pk")
        .values_list("action", "actor")
    )


@pytest.fixture(autouse=True)
def _edition_first(edition):
    """The edition is loaded before the network: its employees get their proposals."""


@pytest.fixture
def jobs(edition):
    return list(catalog.jobs_of(edition).select_related("level"))


@pytest.fixture
def notified(edition, network):
    """The north employee, positioned on the proposed job, validated and notified."""
    positioning = placed(network.north_employee)
    services.validate(network.hr_north, positioning)
    services.notify(network.hr_north, [placed(network.north_employee)], on=NOTIFIED_ON)
    return placed(network.north_employee)


def appeal(network, positioning, **fields) -> Appeal:
    values = {"kind": "attachment", "argument": "Mes missions dépassent la fiche"}
    return services.open_appeal(network.hr_north, positioning, **{**values, **fields})


# --- opening -----------------------------------------------------------------------------


@pytest.mark.parametrize("received_on", [NOTIFIED_ON, dt.date(2015, 4, 15), DEADLINE])
def test_an_appeal_within_the_deadline_is_opened(network, notified, received_on):
    was = (notified.job_id, notified.level)
    opened = appeal(network, notified, received_on=received_on, argument="  Mes missions  ")
    assert opened.status == Appeal.Status.OPEN
    assert (opened.received_on, opened.deadline) == (received_on, DEADLINE)
    assert (opened.argument, opened.opened_by) == ("Mes missions", "rh-nord")
    assert opened.establishment == network.north
    positioning = placed(network.north_employee)
    assert positioning.status == Positioning.Status.CONTESTED
    assert (positioning.job_id, positioning.level) == was
    event = selectors.events_of(positioning).last()
    assert (event.action, event.author, event.status) == ("contest", "rh-nord", "contested")
    assert "Mes missions" in event.note
    assert opened.get_kind_display() in event.note
    assert journal_actions(opened) == [("appeal.open", "rh-nord")]
    assert journal_actions(positioning)[-1] == ("positioning.contest", "rh-nord")
    assert list(selectors.appeals_for(network.hr_north)) == [opened]


@pytest.mark.parametrize("kind", ["weighing", "attachment", "definition"])
def test_the_three_kinds_of_appeal(network, notified, kind):
    opened = appeal(network, notified, kind=kind, received_on=DEADLINE)
    assert Appeal.objects.get().kind == kind == opened.kind


def test_an_appeal_after_the_deadline_is_refused_and_nothing_is_written(network, notified):
    journal = JournalEntry.objects.count()
    with pytest.raises(Refused) as refused:
        appeal(network, notified, received_on=DEADLINE + dt.timedelta(days=1))
    (message,) = refused.value.problems["received_on"]
    assert "01/05/2015" in message and "30/04/2015" in message and "1 mois" in message
    assert Appeal.objects.count() == 0
    assert placed(network.north_employee).status == Positioning.Status.NOTIFIED
    assert JournalEntry.objects.count() == journal


def test_the_deadline_follows_the_setting(network, notified, settings):
    settings.REPERTOIRE_APPEAL_DEADLINE_MONTHS = 2
    opened = appeal(network, notified, received_on=dt.date(2015, 5, 31))
    assert opened.deadline == dt.date(2015, 5, 31)


def test_an_appeal_before_the_notification_is_refused(network, notified):
    with pytest.raises(Refused) as refused:
        appeal(network, notified, received_on=NOTIFIED_ON - dt.timedelta(days=1))
    assert "received_on" in refused.value.problems
    assert Appeal.objects.count() == 0


def test_a_positioning_not_yet_notified_cannot_be_contested(edition, network):
    positioning = placed(network.north_employee)
    for step in ("proposed", "validated"):
        assert positioning.status == step
        with pytest.raises(Refused) as refused:
            appeal(network, positioning, received_on=NOTIFIED_ON)
        assert refused.value.messages == [
            "seul un positionnement notifié peut faire l'objet d'un recours"
        ]
        services.validate(network.hr_north, positioning)
        positioning = placed(network.north_employee)
    assert Appeal.objects.count() == 0


def test_a_contested_positioning_takes_no_second_appeal(network, notified):
    appeal(network, notified, received_on=DEADLINE)
    with pytest.raises(Refused):
        appeal(network, placed(network.north_employee), received_on=DEADLINE, kind="weighing")
    assert Appeal.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"kind": "salary"}, {"kind"}),
        ({"argument": "  "}, {"argument"}),
        ({"kind": "", "argument": ""}, {"kind", "argument"}),
    ],
)
def test_an_appeal_needs_its_kind_and_argument(network, notified, fields, errors):
    with pytest.raises(Refused) as refused:
        appeal(network, notified, received_on=DEADLINE, **fields)
    assert set(refused.value.problems) == errors


@pytest.mark.parametrize("who", ["reader_north", "hr_south"])
def test_only_hr_of_the_establishment_records_an_appeal(network, notified, who):
    with pytest.raises(NotAllowed):
        services.open_appeal(
            getattr(network, who), notified, kind="weighing", argument="x", received_on=DEADLINE
        )
    assert Appeal.objects.count() == 0


# --- decisions ---------------------------------------------------------------------------


def test_the_commission_confirms_the_positioning(network, notified):
    was = (notified.job_id, notified.level)
    opened = appeal(network, notified, received_on=DEADLINE)
    decided = services.decide_appeal(
        network.national,
        opened,
        outcome="confirmed",
        reasoning="  Les missions relèvent de l'emploi  ",
        decided_on=dt.date(2015, 6, 15),
    )
    assert decided.status == Appeal.Status.CONFIRMED
    assert decided.reasoning == "Les missions relèvent de l'emploi"
    assert (decided.decided_by, decided.decided_on) == ("nationale", dt.date(2015, 6, 15))
    positioning = placed(network.north_employee)
    assert positioning.status == Positioning.Status.CONFIRMED
    assert (positioning.job_id, positioning.level) == was
    assert positioning.decided_by == "nationale"
    assert history(positioning) == [
        ("propose", "nationale", "proposed"),
        ("validate", "rh-nord", "validated"),
        ("notify", "rh-nord", "notified"),
        ("contest", "rh-nord", "contested"),
        ("confirm", "nationale", "confirmed"),
    ]
    assert selectors.events_of(positioning).last().note == (
        "commission : Les missions relèvent de l'emploi"
    )
    assert journal_actions(decided) == [("appeal.open", "rh-nord"), ("appeal.decide", "nationale")]
    entry = JournalEntry.objects.filter(action="appeal.decide").get()
    assert (entry.before["status"], entry.after["status"]) == ("open", "confirmed")
    assert journal_actions(positioning)[-1] == ("positioning.confirm", "nationale")


def test_the_commission_revises_the_job(network, notified, jobs):
    was = (notified.job.code, notified.level)  # the services update the object handed in
    opened = appeal(network, notified, received_on=DEADLINE, kind="weighing")
    job = next(j for j in jobs if j.code != was[0] and j.level.number > was[1])
    decided = services.decide_appeal(
        network.hr_north,
        opened,
        outcome="revised",
        reasoning="Les missions sont celles d'un emploi plus élevé",
        job_code=job.code,
    )
    assert decided.status == Appeal.Status.REVISED
    assert decided.decided_on is not None
    positioning = placed(network.north_employee)
    assert positioning.status == Positioning.Status.REVISED
    assert (positioning.job, positioning.level) == (job, job.level.number)
    event = selectors.events_of(positioning).last()
    assert (event.action, event.job_code, event.level) == ("revise", job.code, job.level.number)
    entry = JournalEntry.objects.filter(action="positioning.revise").get()
    assert (entry.before["job"], entry.after["job"]) == (was[0], job.code)
    assert (entry.before["level"], entry.after["level"]) == (was[1], job.level.number)


def test_the_commission_may_grant_a_personal_level_on_the_same_job(network, notified):
    job_id, level = notified.job_id, notified.level
    if level == 8:
        pytest.skip("the proposed job is at the top of the grid")
    opened = appeal(network, notified, received_on=DEADLINE)
    services.decide_appeal(
        network.hr_north,
        opened,
        outcome="revised",
        reasoning="Ancienneté dans les fonctions",
        personal_level=level + 1,
        reason="maintien de la classification antérieure",
    )
    positioning = placed(network.north_employee)
    assert (positioning.job_id, positioning.level) == (job_id, level + 1)
    assert positioning.personal_level_reason == "maintien de la classification antérieure"


def test_a_revision_that_changes_nothing_is_refused(network, notified):
    opened = appeal(network, notified, received_on=DEADLINE)
    with pytest.raises(Refused) as refused:
        services.decide_appeal(
            network.hr_north,
            opened,
            outcome="revised",
            reasoning="Rien à changer",
            job_code=notified.job.code,
        )
    assert "job" in refused.value.problems
    opened.refresh_from_db()
    assert opened.status == Appeal.Status.OPEN
    assert placed(network.north_employee).status == Positioning.Status.CONTESTED


def test_a_personal_level_kept_through_the_appeal(edition, network, jobs):
    positioning = placed(network.north_employee)
    job = next(j for j in jobs if j.level.number < 8)
    services.change(
        network.hr_north,
        positioning,
        job_code=job.code,
        personal_level=job.level.number + 1,
        reason="maintien",
    )
    services.notify(network.hr_north, [placed(network.north_employee)], on=NOTIFIED_ON)
    opened = appeal(network, placed(network.north_employee), received_on=DEADLINE)
    assert placed(network.north_employee).level == job.level.number + 1
    services.decide_appeal(network.hr_north, opened, outcome="confirmed", reasoning="Confirmé")
    positioning = placed(network.north_employee)
    assert (positioning.level, positioning.personal_level_reason) == (
        job.level.number + 1,
        "maintien",
    )


def test_an_appeal_is_decided_once(network, notified):
    opened = appeal(network, notified, received_on=DEADLINE)
    services.decide_appeal(network.hr_north, opened, outcome="confirmed", reasoning="Confirmé")
    journal = JournalEntry.objects.count()
    for outcome in ("confirmed", "revised"):
        with pytest.raises(Refused) as refused:
            services.decide_appeal(
                network.hr_north, Appeal.objects.get(), outcome=outcome, reasoning="Encore"
            )
        assert refused.value.messages == ["ce recours est déjà tranché"]
    assert JournalEntry.objects.count() == journal
    assert Appeal.objects.get().reasoning == "Confirmé"


@pytest.mark.parametrize(
    ("outcome", "reasoning", "field"),
    [
        ("open", "Motif", "outcome"),
        ("rejected", "Motif", "outcome"),
        ("confirmed", " ", "reasoning"),
    ],
)
def test_a_decision_needs_an_outcome_and_its_reasoning(
    network, notified, outcome, reasoning, field
):
    opened = appeal(network, notified, received_on=DEADLINE)
    with pytest.raises(Refused) as refused:
        services.decide_appeal(network.hr_north, opened, outcome=outcome, reasoning=reasoning)
    assert set(refused.value.problems) == {field}
    opened.refresh_from_db()
    assert opened.status == Appeal.Status.OPEN


@pytest.mark.parametrize("who", ["reader_north", "hr_south"])
def test_only_hr_of_the_establishment_decides_an_appeal(network, notified, who):
    opened = appeal(network, notified, received_on=DEADLINE)
    with pytest.raises(NotAllowed):
        services.decide_appeal(
            getattr(network, who), opened, outcome="confirmed", reasoning="Confirmé"
        )
    opened.refresh_from_db()
    assert opened.status == Appeal.Status.OPEN


def test_appeals_are_seen_in_their_establishment_only(network, notified):
    opened = appeal(network, notified, received_on=DEADLINE)
    assert list(selectors.appeals_for(network.hr_north, status="open")) == [opened]
    assert list(selectors.appeals_for(network.hr_north, status="confirmed")) == []
    assert list(selectors.appeals_for(network.reader_north)) == [opened]
    assert list(selectors.appeals_for(network.hr_south)) == []
    assert list(selectors.appeals_for(network.national, establishment=network.south)) == []
    with pytest.raises(Appeal.DoesNotExist):
        selectors.appeal_for(network.hr_south, opened.pk)
    assert selectors.appeal_for(network.national, opened.pk) == opened


# What HR write about a person along the way: a comment, the employee's argument, the
# commission's reasoning and the reason for the personal level it grants.
WRITTEN = (
    "Entretien avec le manager le 3 mars",
    "Ma santé ne me permet plus",
    "Situation familiale examinée",
    "Expérience reconnue par la commission",
)


@pytest.fixture
def revised(network, notified) -> Appeal:
    """The north employee's appeal, upheld with a personal level, and a comment."""
    comment, argument, reasoning, reason = WRITTEN
    services.comment(network.hr_north, notified, comment)
    opened = appeal(
        network, placed(network.north_employee), argument=argument, received_on=DEADLINE
    )
    services.decide_appeal(
        network.hr_north,
        opened,
        outcome="revised",
        reasoning=reasoning,
        job_code=notified.job.code,
        personal_level=notified.level + 1,
        reason=reason,
    )
    opened.refresh_from_db()
    return opened


def test_readers_see_the_appeal_but_not_what_was_written_about_the_person(
    client, network, notified, revised
):
    """Staff representatives read name, job and level: not the employee's argument, the
    commission's reasoning, the comments or the reason for a personal level."""
    opened = revised
    positioning = placed(network.north_employee)
    pages = (
        f"/positionnement/recours/{opened.pk}/",
        f"/personnel/{network.north_employee.pk}/",
    )
    api = (
        f"/api/appeals/{opened.pk}",
        "/api/appeals",
        f"/api/positionings/{positioning.pk}",
        "/api/positionings",
    )

    def text_of(response) -> str:
        if response["Content-Type"].startswith("application/json"):
            return json.dumps(response.json(), ensure_ascii=False)
        return response.content.decode()

    client.force_login(network.hr_north)
    for url in pages + api:
        text = text_of(client.get(url))
        assert any(phrase in text for phrase in WRITTEN), url
    assert client.get(f"/api/appeals/{opened.pk}").json()["argument"] == opened.argument

    client.force_login(network.reader_north)
    for url in pages + api:
        response = client.get(url)
        assert response.status_code == 200, url
        text = text_of(response)
        assert "NORDMANN" in text, url
        for phrase in WRITTEN:
            assert phrase not in text, (url, phrase)
    seen = client.get(f"/api/appeals/{opened.pk}").json()
    assert (seen["argument"], seen["reasoning"], seen["status"]) == (None, None, "revised")
    detail = client.get(f"/api/positionings/{positioning.pk}").json()
    assert (detail["comment"], detail["personal_level_reason"]) == (None, None)
    assert detail["level"] == notified.level + 1
    assert all(event["note"] is None for event in detail["history"])


def test_erasure_takes_what_was_written_about_the_person_and_keeps_the_decisions(
    network, notified, revised
):
    opened = revised
    services.erase_employee(network.hr_north, network.north_employee, reason="demande")

    positioning = placed(network.north_employee)
    opened.refresh_from_db()
    assert (positioning.comment, positioning.personal_level_reason) == ("[effacé]", "[effacé]")
    assert (opened.argument, opened.reasoning) == ("[effacé]", "[effacé]")
    notes = [event.note for event in selectors.events_of(positioning) if event.note]
    assert notes and set(notes) == {"[effacé]"}
    # The decisions stay, for the statistics and the appeal counts.
    assert (positioning.job, positioning.level) == (notified.job, notified.level + 1)
    assert (opened.status, opened.kind) == (Appeal.Status.REVISED, "attachment")
    # Nobody else's texts are touched.
    south = placed(network.south_employee)
    services.comment(network.hr_south, south, "Texte du Sud")
    services.erase_employee(network.hr_north, network.north_employee, reason="encore")
    south.refresh_from_db()
    assert south.comment == "Texte du Sud"


def test_the_journal_seals_what_was_written_about_the_person_until_erasure(
    client, network, revised
):
    """Sealed with the employee's key like their name: in clear to HR, unreadable in the
    database, and gone with the key when the person is erased."""
    raw = json.dumps(list(JournalEntry.objects.values_list("before", "after")), ensure_ascii=False)
    for phrase in WRITTEN:
        assert phrase not in raw
    client.force_login(network.hr_north)

    def exported() -> str:
        response = client.get("/journal/", {"format": "csv", "actor": "rh-nord"})
        return b"".join(response.streaming_content).decode("utf-8-sig")

    journal = exported()
    for phrase in WRITTEN:
        assert phrase in journal, phrase

    services.erase_employee(network.hr_north, network.north_employee, reason="demande")
    journal = exported()
    for phrase in WRITTEN:
        assert phrase not in journal, phrase
    assert "[effacé]" in journal
    # The structure stays: who decided what, when, on which appeal.
    assert JournalEntry.objects.filter(action="appeal.decide", object_id=str(revised.pk)).exists()


def test_the_right_of_access_holds_the_positionings_their_appeals_and_their_journal(
    client, network, notified, revised
):
    client.force_login(network.hr_north)
    employee = network.north_employee
    data = client.get(f"/personnel/{employee.pk}/donnees.json").json()
    (held,) = data["positionnements"]
    assert (held["code_emploi"], held["niveau"]) == (notified.job.code, notified.level + 1)
    assert (held["commentaire"], held["motif_niveau_personnel"]) == (WRITTEN[0], WRITTEN[3])
    (contested,) = held["recours"]
    assert (contested["argumentaire"], contested["motivation"]) == WRITTEN[1:3]
    assert [step["note"] for step in held["etapes"]] == [
        event.note for event in selectors.events_of(placed(employee))
    ]
    actions = [entry["action"] for entry in data["historique"]]
    assert actions[0] == "employee.create"
    assert {"positioning.propose", "positioning.comment", "appeal.open", "appeal.decide"} <= set(
        actions
    )
    decided = next(e for e in data["historique"] if e["action"] == "appeal.decide")
    assert decided["apres"]["reasoning"] == WRITTEN[2]  # in clear for the person
    pdf = client.get(f"/personnel/{employee.pk}/donnees.pdf")
    assert pdf.content.startswith(b"%PDF")

    services.erase_employee(network.hr_north, employee, reason="demande")
    after = json.dumps(client.get(f"/personnel/{employee.pk}/donnees.json").json())
    for phrase in WRITTEN:
        assert json.dumps(phrase)[1:-1] not in after
