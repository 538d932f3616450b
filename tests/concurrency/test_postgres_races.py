"""Two people (or an import and a person) writing the same thing at once on PostgreSQL:
every write that was accepted holds, and the one that lost the race is told so
(``Conflict``, a 409), never overwritten in silence nor answered with a 500.

Each test releases its writers together on threads of their own (one database connection
each); where the race needs a precise order, the first write pauses at the point where
today's code had read without a lock, long enough for the other to try to commit."""

from __future__ import annotations

import contextlib
import datetime as dt
import threading

import pytest

from repertoire.catalog import selectors as catalog
from repertoire.core.matching import TitleQuery
from repertoire.core.payroll import read_payroll
from repertoire.positioning import services
from repertoire.positioning.models import Appeal, Positioning, PositioningEvent
from repertoire.positioning.services import decisions
from tests.concurrency.races import postgres_only, together, unexpected

pytestmark = pytest.mark.django_db(transaction=True)

PAUSE = 2.0  # seconds a paused write waits for the other one, at most
OLD_TITLE = "Gestionnaire de paie"
NEW_TITLE = "Assistante de formation"


@pytest.fixture(autouse=True)
def _on_postgres():
    postgres_only()


def placed(employee) -> Positioning:
    return Positioning.objects.select_related("job__level", "establishment", "edition").get(
        employee=employee
    )


def hire(network, count: int, title: str = OLD_TITLE) -> list:
    return [
        services.create_employee(
            network.hr_north,
            network.north,
            matricule=f"R{number:03d}",
            last_name=f"NOM{number}",
            job_title=title,
        )
        for number in range(count)
    ]


def first_proposal(edition, title: str) -> str:
    (result,) = catalog.matching_index(edition).match_many([TitleQuery(title, "", "")], top=1)
    return result.candidates[0].code


def another_job(edition, *codes: str) -> str:
    return next(
        code
        for code in edition.jobs.order_by("-position").values_list("code", flat=True)
        if code not in codes
    )


def pause_once(monkeypatch, module, name: str, until: threading.Event) -> threading.Event:
    """The first call of ``module.name`` waits (at most ``PAUSE``) for ``until``; the
    event returned is set when that call begins."""
    reached = threading.Event()
    original = getattr(module, name)

    def paused(*args, **kwargs):
        if not reached.is_set():
            reached.set()
            until.wait(PAUSE)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, paused)
    return reached


# --- (a) an import proposes while HR decides -----------------------------------------------


def test_a_proposal_never_overwrites_a_decision_taken_during_an_import(
    network, edition, monkeypatch
):
    hired = hire(network, 12)
    chosen = another_job(
        edition, first_proposal(edition, OLD_TITLE), first_proposal(edition, NEW_TITLE)
    )
    decided_ones = hired[:4]
    changes_done = threading.Event()
    proposing = pause_once(monkeypatch, decisions, "_take_proposals", changes_done)
    finished = []
    lock = threading.Lock()
    retitled = "\r\n".join(
        ["Matricule;Nom;Intitulé du poste"]
        + [f"{e.matricule};{e.last_name};{NEW_TITLE}" for e in hired]
    ).encode("cp1252")

    def import_file():
        return services.import_employees(
            network.hr_north, network.north, read_payroll(retitled, "personnel.csv")
        )

    def change(employee):
        def run():
            proposing.wait(PAUSE)
            try:  # as the API: the positioning read when the request comes
                return services.change(network.hr_north, placed(employee), job_code=chosen)
            finally:
                with lock:
                    finished.append(employee)
                    if len(finished) == len(decided_ones):
                        changes_done.set()

        return run

    outcomes = together(import_file, *(change(e) for e in decided_ones))
    assert unexpected(outcomes) == []
    assert outcomes[0].ok
    for employee, outcome in zip(decided_ones, outcomes[1:], strict=True):
        positioning = placed(employee)
        if outcome.ok:  # answered 200: the decision holds
            assert (positioning.status, positioning.job.code) == ("validated", chosen)
        assert positioning.proposals[0]["code"] == first_proposal(edition, NEW_TITLE)
    assert any(outcome.ok for outcome in outcomes[1:])


# --- (b) one officer notifies while another changes ---------------------------------------


def test_notifying_while_another_officer_changes_loses_nothing(network, edition, monkeypatch):
    hired = hire(network, 10)
    for employee in hired:
        services.validate(network.hr_north, placed(employee))
    chosen = another_job(edition, placed(hired[0]).job.code)
    changed_ones = hired[:3]
    changing = threading.Event()
    notifying = pause_once(monkeypatch, decisions, "_bulk", changing)

    def notify():
        validated = list(
            Positioning.objects.filter(employee__in=hired).select_related(
                "job__level", "establishment", "edition"
            )
        )
        return services.notify(network.hr_north, validated, on=dt.date(2015, 3, 2))

    def change(employee):
        def run():
            positioning = placed(employee)  # read before the notification commits
            notifying.wait(PAUSE)
            changing.set()
            return services.change(network.hr_north, positioning, job_code=chosen)

        return run

    outcomes = together(notify, *(change(e) for e in changed_ones))
    assert unexpected(outcomes) == []
    for employee, outcome in zip(changed_ones, outcomes[1:], strict=True):
        if outcome.ok:  # answered 200: the change holds
            assert placed(employee).job.code == chosen
    for employee in hired:
        positioning = placed(employee)
        notified = PositioningEvent.objects.filter(
            positioning=positioning, action="notify"
        ).exists()
        # Notified in full (status, date: the appeal period runs), or not at all.
        assert notified == (positioning.status == "notified")
        assert notified == (positioning.notified_on is not None)
    if outcomes[0].ok:
        assert outcomes[0].result == Positioning.objects.filter(status="notified").count()


# --- (c) two appeals at once; two decisions on one appeal at once ---------------------------


@pytest.fixture
def notified(network, edition):
    (employee,) = hire(network, 1)
    services.validate(network.hr_north, placed(employee))
    services.notify(network.hr_north, [placed(employee)], on=dt.date(2015, 3, 2))
    return employee


def test_two_appeals_at_once_open_one(network, notified):
    def open_appeal():
        positioning = placed(notified)
        return lambda: services.open_appeal(
            network.hr_north,
            positioning,
            kind=Appeal.Kind.EVALUATION,
            argument="La pesée ignore l'encadrement",
            received_on=dt.date(2015, 3, 10),
        )

    outcomes = together(open_appeal(), open_appeal())
    assert unexpected(outcomes) == []
    assert sorted(o.ok for o in outcomes) == [False, True]
    assert Appeal.objects.filter(positioning__employee=notified).count() == 1
    assert placed(notified).status == "contested"


def test_a_confirmation_and_a_revision_at_once_one_wins(network, edition, notified):
    services.open_appeal(
        network.hr_north,
        placed(notified),
        kind=Appeal.Kind.EVALUATION,
        argument="La pesée ignore l'encadrement",
        received_on=dt.date(2015, 3, 10),
    )
    other = another_job(edition, placed(notified).job.code)

    def appeal():
        return Appeal.objects.select_related(
            "positioning__job__level", "positioning__establishment", "positioning__edition"
        ).get(positioning__employee=notified)

    confirming, revising = appeal(), appeal()
    outcomes = together(
        lambda: services.decide_appeal(
            network.hr_north, confirming, outcome="confirmed", reasoning="Pesée conforme"
        ),
        lambda: services.decide_appeal(
            network.hr_north, revising, outcome="revised", reasoning="Encadrement", job_code=other
        ),
    )
    assert unexpected(outcomes) == []
    assert sorted(o.ok for o in outcomes) == [False, True]
    winner = "confirmed" if outcomes[0].ok else "revised"
    assert appeal().status == winner
    assert placed(notified).status == winner
    assert (
        PositioningEvent.objects.filter(
            positioning__employee=notified, action__in=["confirm", "revise"]
        ).count()
        == 1
    )


# --- two imports of one establishment at once ---------------------------------------------


def test_the_second_of_two_imports_at_once_is_told(network, edition, monkeypatch):
    from repertoire.positioning.services import imports

    rows = "\r\n".join(
        ["Matricule;Nom;Intitulé du poste"] + [f"I{n:03d};NOM{n};{OLD_TITLE}" for n in range(20)]
    ).encode("cp1252")
    both_creating = threading.Barrier(2)
    original = imports._create_employees

    def create(*args, **kwargs):
        # Today's code: both imports read "nobody yet" before either creates anyone.
        with contextlib.suppress(threading.BrokenBarrierError):
            both_creating.wait(PAUSE)
        return original(*args, **kwargs)

    monkeypatch.setattr(imports, "_create_employees", create)

    def import_file():
        return services.import_employees(
            network.hr_north, network.north, read_payroll(rows, "personnel.csv")
        )

    outcomes = together(import_file, import_file)
    assert unexpected(outcomes) == []
    assert sorted(o.ok for o in outcomes) == [False, True]
    assert network.north.employees.filter(matricule__startswith="I").count() == 20


# --- a job edited while its edition is published --------------------------------------------


def test_editing_a_job_while_its_edition_is_published_is_a_conflict(network, edition, monkeypatch):
    from repertoire.catalog import services as editions
    from repertoire.catalog.services import publication

    draft = editions.copy_edition(network.national, edition, label="brouillon")
    job = draft.jobs.order_by("position").first()
    content = catalog.job_content(job)
    saving = threading.Event()
    publishing = pause_once(monkeypatch, publication, "calibrate", saving)

    def publish():
        return editions.publish_edition(network.national, draft)

    def save():
        stale = type(draft).objects.get(pk=draft.pk)  # read before the publication commits
        publishing.wait(PAUSE)
        saving.set()
        return editions.save_job(network.national, stale, job, **content)

    outcomes = together(publish, save)
    assert unexpected(outcomes) == []
    assert outcomes[0].ok
    assert outcomes[1].conflict
    assert "publiée entre-temps" in str(outcomes[1].error)


# --- two changes to one employee at once ----------------------------------------------------


def test_two_changes_to_one_employee_at_once_keep_both(network, edition, monkeypatch):
    from repertoire.positioning.models import Employee
    from repertoire.positioning.services import employees

    person = network.north_employee
    second_done = threading.Event()
    first_saving = pause_once(monkeypatch, employees, "full_clean", second_done)

    def read():  # as the API: the employee read when the request comes
        return Employee.objects.select_related("establishment").get(pk=person.pk)

    def first():
        return services.update_employee(network.hr_north, read(), first_name="Alicia")

    def second():
        stale = read()
        first_saving.wait(PAUSE)
        try:
            return services.update_employee(network.hr_north, stale, current_level=6)
        finally:
            second_done.set()

    outcomes = together(first, second)
    assert unexpected(outcomes) == []
    assert all(o.ok for o in outcomes)
    held = Employee.objects.get(pk=person.pk)
    assert (held.first_name, held.current_level) == ("Alicia", 6)


# --- an evaluation validated and sent back at once ------------------------------------------


def test_an_evaluation_validated_and_sent_back_at_once_one_wins(network, edition):
    from repertoire.evaluation import services as evaluations
    from repertoire.evaluation.models import JobEvaluation
    from tests.evaluation.test_services import LOCAL_TITLE, profile, reasons

    draft = evaluations.create_evaluation(
        network.hr_north, network.north, title=LOCAL_TITLE, degrees=profile(edition)
    )
    evaluations.update_evaluation(network.hr_north, draft, justifications=reasons(edition))
    evaluations.submit(network.hr_north, draft)
    validating, returning = (JobEvaluation.objects.get(pk=draft.pk) for _ in range(2))

    outcomes = together(
        lambda: evaluations.validate(network.national, validating, comment="Conforme"),
        lambda: evaluations.send_back(network.national, returning, comment="À revoir"),
    )
    assert unexpected(outcomes) == []
    assert sorted(o.ok for o in outcomes) == [False, True]
    winner = "validated" if outcomes[0].ok else "returned"
    assert JobEvaluation.objects.get(pk=draft.pk).status == winner
