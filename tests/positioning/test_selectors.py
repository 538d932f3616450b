"""Reads of positionings: scoped to the user's establishment, worklists by title group
ordered by uncertainty × headcount, and the report's numbers. Local titles are invented;
jobs and levels come from the loaded edition."""

from __future__ import annotations

import datetime as dt

import pytest

from repertoire.core.payroll import read_payroll
from repertoire.positioning import selectors, services
from repertoire.positioning.models import Appeal, Positioning
from repertoire.positioning.selectors import WorklistFilters

pytestmark = pytest.mark.django_db

MISSION = "Chargée de mission attractivité du territoire"
ODD = "Bidule machin"
ASSISTANT = "Assistante"
NORTH = [
    ("N-01", "ALBERT", ASSISTANT, "Formation"),
    ("N-02", "BERNARD", ASSISTANT, "Formation"),
    ("N-03", "CHARLES", ASSISTANT, "Formation"),
    ("N-04", "DENIS", MISSION, "Développement"),
    ("N-05", "EMILE", MISSION, "Développement"),
    ("N-06", "FABRE", MISSION, "Développement"),
    ("N-07", "GIRARD", ODD, "Développement"),
]
SOUTH = [("S-01", "SUDRE", MISSION, "Développement"), ("S-02", "SALAT", ODD, "Accueil")]
NOTIFIED_ON = dt.date(2015, 3, 31)


def staff_file(rows) -> bytes:
    lines = ["Matricule;Nom;Intitulé du poste;Service", *(";".join(row) for row in rows)]
    return "\n".join(lines).encode()


def placed(matricule: str) -> Positioning:
    return Positioning.objects.select_related("job__level").get(employee__matricule=matricule)


@pytest.fixture
def staff(edition, network):
    services.import_employees(
        network.hr_north, network.north, read_payroll(staff_file(NORTH), "rh.csv")
    )
    services.import_employees(
        network.hr_south, network.south, read_payroll(staff_file(SOUTH), "rh.csv")
    )
    return network


def matricules(positionings) -> set[str]:
    return {p.employee.matricule for p in positionings}


# --- scope -------------------------------------------------------------------------------


def test_each_user_sees_the_positionings_of_their_establishment_only(staff):
    north = {m for m, *_ in NORTH} | {"MAT-NORD-0017"}
    south = {m for m, *_ in SOUTH} | {"MAT-SUD-0042"}
    assert matricules(selectors.positionings_for(staff.hr_north)) == north
    assert matricules(selectors.positionings_for(staff.reader_north)) == north
    assert matricules(selectors.positionings_for(staff.hr_south)) == south
    assert matricules(selectors.positionings_for(staff.national)) == north | south
    assert matricules(selectors.positionings_for(staff.national, establishment=staff.south)) == (
        south
    )
    # Asking for another establishment gives nothing, not its employees.
    assert list(selectors.positionings_for(staff.hr_north, establishment=staff.south)) == []


def test_one_positioning_outside_the_scope_does_not_exist(staff):
    south = placed("S-01")
    with pytest.raises(Positioning.DoesNotExist):
        selectors.positioning_for(staff.hr_north, south.pk)
    assert selectors.positioning_for(staff.hr_south, south.pk) == south
    assert selectors.positioning_for(staff.national, south.pk) == south


def test_the_positioning_of_an_employee_outside_the_scope_is_not_shown(staff):
    assert selectors.positioning_of(staff.hr_north, staff.north_employee) is not None
    assert selectors.positioning_of(staff.hr_south, staff.north_employee) is None
    assert selectors.positioning_of(staff.national, staff.south_employee) is not None


def test_the_worklist_puts_the_least_certain_first_and_filters(staff):
    worklist = list(selectors.positionings_for(staff.hr_north))
    confidences = [p.confidence for p in worklist]
    assert confidences == sorted(confidences)
    services.validate(staff.hr_north, placed("N-01"))
    assistant = placed("N-01")

    def found(**filters):
        return matricules(
            selectors.positionings_for(staff.hr_north, filters=WorklistFilters(**filters))
        )

    assert found(status="validated") == {"N-01"}
    assert found(service="Développement") == {"N-04", "N-05", "N-06", "N-07"}
    assert found(title_key=placed("N-04").title_key) == {"N-04", "N-05", "N-06"}
    assert found(search="bern") == {"N-02"}
    assert found(search="n-0") == {m for m, *_ in NORTH}
    assert found(search="attractivité") == {"N-04", "N-05", "N-06"}
    assert "N-01" in found(job=assistant.job.code, level=assistant.level)
    assert found(job=assistant.job.code) == {
        p.employee.matricule
        for p in selectors.positionings_for(staff.hr_north)
        if p.job_id == assistant.job_id
    }


# --- title groups ------------------------------------------------------------------------


def test_title_groups_put_uncertainty_times_headcount_first(staff):
    groups = selectors.title_groups(staff.hr_north, staff.north)
    priorities = [group.priority for group in groups]
    assert priorities == sorted(priorities, reverse=True)
    by_key = {group.title_key: group for group in groups}
    for matricule, headcount in [("N-01", 3), ("N-04", 3), ("N-07", 1)]:
        positioning = placed(matricule)
        group = by_key[positioning.title_key]
        assert (group.headcount, group.to_review) == (headcount, headcount)
        assert group.confidence == pytest.approx(positioning.confidence)
        assert group.priority == pytest.approx((1 - positioning.confidence) * headcount)
        assert (group.job_code, group.level) == (positioning.job.code, positioning.level)
    assert by_key[placed("N-04").title_key].example_title == MISSION


def test_three_fairly_sure_people_may_come_before_one_unsure(staff):
    def confidence(matricules, value):
        Positioning.objects.filter(employee__matricule__in=matricules).update(confidence=value)

    confidence(["N-01", "N-02", "N-03"], 1.0)  # priority 0
    confidence(["N-04", "N-05", "N-06"], 0.75)  # 3 × 0.25 = 0.75
    confidence(["N-07"], 0.3)  # 0.7
    confidence(["MAT-NORD-0017"], 0.5)  # 0.5
    groups = selectors.title_groups(staff.hr_north, staff.north)
    assert [group.example_title for group in groups] == [
        MISSION,
        ODD,
        staff.north_employee.job_title,
        ASSISTANT,
    ]
    assert [group.priority for group in groups] == pytest.approx([0.75, 0.7, 0.5, 0.0])


def test_a_decided_group_leaves_the_pending_list(staff):
    key = placed("N-01").title_key
    services.decide_group(staff.hr_north, staff.north, key, job_code=placed("N-01").job.code)
    assert key not in {
        group.title_key for group in selectors.title_groups(staff.hr_north, staff.north)
    }
    every = {
        group.title_key: group
        for group in selectors.title_groups(staff.hr_north, staff.north, pending_only=False)
    }
    assert (every[key].headcount, every[key].to_review, every[key].priority) == (3, 0, 0.0)


def test_title_groups_of_another_establishment_are_empty(staff):
    assert selectors.title_groups(staff.hr_south, staff.north) == []
    south = selectors.title_groups(staff.hr_south, staff.south)
    assert sum(group.headcount for group in south) == 3


# --- report ------------------------------------------------------------------------------


@pytest.fixture
def decided(staff):
    """North: the assistants validated, two of them notified, one of those appealing."""
    key = placed("N-01").title_key
    services.decide_group(staff.hr_north, staff.north, key, job_code=placed("N-01").job.code)
    services.notify(staff.hr_north, [placed("N-01"), placed("N-02")], on=NOTIFIED_ON)
    services.open_appeal(
        staff.hr_north,
        placed("N-01"),
        kind="weighing",
        argument="Mes missions dépassent la fiche",
        received_on=NOTIFIED_ON,
    )
    services.validate(staff.hr_south, placed("S-01"))
    return staff


def test_the_national_report_counts_the_network(decided):
    report = selectors.report_for(decided.national)
    assert report.scope == "réseau"
    assert report.employees == 11
    assert report.by_status == {
        "proposed": 7,
        "validated": 2,
        "notified": 1,
        "contested": 1,
        "confirmed": 0,
        "revised": 0,
    }
    assert report.decided == 4
    assert report.progress == pytest.approx(4 / 11)
    assert sum(report.by_level.values()) == 4
    assert set(report.by_level) == set(range(1, 9))
    assistant = placed("N-01")
    assert report.by_level[assistant.level] >= 3
    assert sum(row["headcount"] for row in report.by_job) == 4
    decided_jobs = [p.job.code for p in Positioning.objects.filter(status__in=Positioning.DECIDED)]
    assert {row["code"]: row["headcount"] for row in report.by_job} == {
        code: decided_jobs.count(code) for code in decided_jobs
    }
    row = next(row for row in report.by_job if row["code"] == assistant.job.code)
    assert (row["title"], row["level"]) == (assistant.job.title, assistant.job.level.number)
    assert report.by_establishment == [
        {
            "code": "CCI-NORD",
            "name": "CCI Nord",
            "employees": 8,
            "decided": 3,
            "notified": 2,
            "appeals": 1,
        },
        {
            "code": "CCI-SUD",
            "name": "CCI Sud",
            "employees": 3,
            "decided": 1,
            "notified": 0,
            "appeals": 0,
        },
    ]
    assert report.appeals_by_status == {"open": 1, "confirmed": 0, "revised": 0}
    assert report.appeals_by_kind == {"weighing": 1, "attachment": 0, "definition": 0}


def test_an_establishment_report_counts_only_its_establishment(decided):
    report = selectors.report_for(decided.hr_north)
    assert report.employees == 8
    assert [row["code"] for row in report.by_establishment] == ["CCI-NORD"]
    assert report.decided == 3
    assert report.appeals_by_kind["weighing"] == 1
    named = selectors.report_for(decided.national, establishment=decided.south)
    assert (named.scope, named.employees, named.decided) == ("CCI Sud", 3, 1)
    assert named.appeals_by_status == {"open": 0, "confirmed": 0, "revised": 0}
    # Another establishment's figures are not an HR officer's to see.
    foreign = selectors.report_for(decided.hr_north, establishment=decided.south)
    assert (foreign.employees, foreign.decided, foreign.by_establishment) == (0, 0, [])
    assert foreign.appeals_by_kind == {"weighing": 0, "attachment": 0, "definition": 0}


def test_appeals_are_counted_by_status_once_decided(decided):
    appeal = Appeal.objects.get()
    services.decide_appeal(decided.hr_north, appeal, outcome="confirmed", reasoning="Confirmé")
    report = selectors.report_for(decided.hr_north)
    assert report.appeals_by_status == {"open": 0, "confirmed": 1, "revised": 0}
    assert report.by_status["confirmed"] == 1 and report.by_status["contested"] == 0
    assert report.decided == 3
