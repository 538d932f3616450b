"""Employee files imported into an establishment: created, updated by matricule, proposed a
reference job, journaled with sealed identities; all or nothing; in the establishment's
scope only. The local job titles below are invented (they are not document data)."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from openpyxl import Workbook

from repertoire.audit.models import JournalEntry
from repertoire.audit.services import unseal
from repertoire.catalog import selectors as catalog
from repertoire.core.payroll import read_payroll
from repertoire.core.refusals import NotAllowed, Refused
from repertoire.positioning import services
from repertoire.positioning.models import (
    Employee,
    EmployeeImport,
    EmployeeKey,
    Positioning,
    PositioningEvent,
)
from repertoire.positioning.services import imports

pytestmark = pytest.mark.django_db

HEADERS = ["Matricule", "Nom", "Prénom", "Intitulé du poste", "Service", "Date d'entrée", "Niveau"]
ROWS = [
    ["N-001", "DUPRÉ", "Hélène", "Gestionnaire de paie", "Ressources humaines", "03/09/2001", "IV"],
    ["N-002", "MARTIN", "Paul", "Assistante", "Formation", "15/01/2010", "3"],
    ["N-003", "LEROY", "Zoé", "Chargée de mission attractivité du territoire", "", "", ""],
    ["N-004", "PETIT", "Léa", "Responsable informatique", "Informatique", "01/06/1998", "VI"],
]


def csv_file(rows, headers=HEADERS, encoding="cp1252") -> bytes:
    return "\r\n".join(";".join(cells) for cells in [headers, *rows]).encode(encoding) + b"\r\n"


def payroll(rows, headers=HEADERS):
    return read_payroll(csv_file(rows, headers), "personnel.csv")


def counts() -> dict[str, int]:
    return {
        "employees": Employee.objects.count(),
        "keys": EmployeeKey.objects.count(),
        "positionings": Positioning.objects.count(),
        "events": PositioningEvent.objects.count(),
        "journal": JournalEntry.objects.count(),
        "imports": EmployeeImport.objects.count(),
    }


def employee(matricule: str) -> Employee:
    return Employee.objects.get(matricule=matricule)


def positioning(matricule: str) -> Positioning:
    return Positioning.objects.select_related("job__level").get(employee__matricule=matricule)


@pytest.fixture
def north(edition, network):
    """The north establishment with the file's four employees imported by its HR officer."""
    result = services.import_employees(network.hr_north, network.north, payroll(ROWS))
    assert result == services.ImportResult(created=4, updated=0, unchanged=0, absent=1, proposed=4)
    return network


# --- creation ----------------------------------------------------------------------------


def test_the_import_creates_employees_with_their_file_values(north):
    helene = employee("N-001")
    assert helene.establishment == north.north
    assert (helene.last_name, helene.first_name) == ("DUPRÉ", "Hélène")
    assert (helene.job_title, helene.service) == ("Gestionnaire de paie", "Ressources humaines")
    assert (helene.hire_date, helene.current_level) == (dt.date(2001, 9, 3), 4)
    leroy = employee("N-003")
    assert (leroy.service, leroy.hire_date, leroy.current_level) == ("", None, None)
    assert employee("N-004").current_level == 6
    assert EmployeeKey.objects.filter(employee__matricule__startswith="N-").count() == 4


def test_each_new_employee_is_proposed_reference_jobs_with_scores_and_reasons(north, edition):
    jobs = {job.code: job for job in catalog.jobs_of(edition).select_related("level")}
    for cells in ROWS:
        placed = positioning(cells[0])
        assert placed.edition == edition
        assert placed.establishment == north.north
        assert placed.status == Positioning.Status.PROPOSED
        assert 1 <= len(placed.proposals) <= services.PROPOSALS_KEPT
        for proposal in placed.proposals:
            assert {"code", "title", "level", "score", "reason"} <= set(proposal)
            assert 0.0 <= proposal["score"] <= 1.0
            assert proposal["reason"].strip()
            job = jobs[proposal["code"]]
            assert (proposal["title"], proposal["level"]) == (job.title, job.level.number)
        scores = [proposal["score"] for proposal in placed.proposals]
        assert scores == sorted(scores, reverse=True)
        assert placed.job.code == placed.proposals[0]["code"]
        assert placed.level == placed.job.level.number
        assert placed.confidence == placed.proposals[0]["score"]
        assert placed.title_key
        (event,) = placed.events.all()
        assert (event.action, event.author, event.status) == ("propose", "rh-nord", "proposed")
        assert event.note == placed.proposals[0]["reason"]
    # An invented title no appellation covers is less certain than a known one.
    assert positioning("N-003").confidence < positioning("N-001").confidence


def test_the_journal_names_the_author_and_seals_identities(north):
    helene = employee("N-001")
    key = EmployeeKey.objects.get(employee=helene).key
    entry = JournalEntry.objects.get(
        action="employee.import", object_type="positioning.employee", object_id=str(helene.pk)
    )
    assert (entry.actor, entry.establishment_id) == ("rh-nord", north.north.pk)
    assert entry.before is None
    for name, value in [
        ("matricule", "N-001"),
        ("last_name", "DUPRÉ"),
        ("first_name", "Hélène"),
        ("hire_date", "2001-09-03"),
    ]:
        assert set(entry.after[name]) == {"chiffre"}
        assert unseal(entry.after[name], key) == value
    # What statistics need stays in clear; the identity never does.
    assert entry.after["job_title"] == "Gestionnaire de paie"
    assert entry.after["current_level"] == 4
    raw = json.dumps([entry.after, entry.object_repr], ensure_ascii=False)
    assert "DUPRÉ" not in raw and "Hélène" not in raw and "N-001" not in raw
    proposals = JournalEntry.objects.filter(action="positioning.propose", actor="rh-nord")
    assert proposals.count() == 4
    assert {e.establishment_id for e in proposals} == {north.north.pk}
    assert all(set(e.after) >= {"status", "job", "level", "confidence"} for e in proposals)


def test_an_employee_of_another_establishment_with_the_same_matricule_is_another_person(
    north,
):
    result = services.import_employees(north.hr_south, north.south, payroll(ROWS[:1]))
    assert (result.created, result.updated) == (1, 0)
    assert Employee.objects.filter(matricule="N-001").count() == 2
    assert employee_in(north.north, "N-001").last_name == "DUPRÉ"


def employee_in(place, matricule):
    return Employee.objects.get(establishment=place, matricule=matricule)


# --- re-import and updates ---------------------------------------------------------------


def test_importing_the_same_file_again_changes_nothing(north):
    before = counts()
    result = services.import_employees(north.hr_north, north.north, payroll(ROWS))
    assert result == services.ImportResult(created=0, updated=0, unchanged=4, absent=1, proposed=0)
    assert counts() == before


def test_the_same_file_as_xlsx_changes_nothing_either(north):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    for cells in ROWS:
        day = dt.datetime.strptime(cells[5], "%d/%m/%Y") if cells[5] else None
        sheet.append([*cells[:5], day, cells[6] or None])
    out = io.BytesIO()
    workbook.save(out)
    before = counts()
    result = services.import_employees(
        north.hr_north, north.north, read_payroll(out.getvalue(), "personnel.xlsx")
    )
    assert (result.created, result.updated, result.unchanged) == (0, 0, 4)
    assert counts() == before


def test_an_updated_file_updates_only_what_changed(north):
    validated = positioning("N-004")
    services.validate(north.hr_north, validated)
    decided = (validated.job_id, validated.level)
    old = {cells[0]: positioning(cells[0]) for cells in ROWS}
    events = {m: list(p.events.values_list("pk", flat=True)) for m, p in old.items()}
    changed = [row[:] for row in ROWS]
    changed[0][5] = "04/09/2001"  # N-001: hire date only
    changed[1][3] = "Gestionnaire de paie"  # N-002: a new title
    changed[3][3] = "Comptable fournisseurs"  # N-004: a new title, already validated
    journal = JournalEntry.objects.count()

    result = services.import_employees(north.hr_north, north.north, payroll(changed))

    assert result == services.ImportResult(created=0, updated=3, unchanged=1, absent=1, proposed=2)
    assert employee("N-001").hire_date == dt.date(2001, 9, 4)
    assert employee("N-002").job_title == "Gestionnaire de paie"
    # Only title changes bring new proposals.
    assert list(positioning("N-001").events.values_list("pk", flat=True)) == events["N-001"]
    assert positioning("N-001").proposals == old["N-001"].proposals
    assert positioning("N-003").events.count() == len(events["N-003"])
    retitled = positioning("N-002")
    # The same title as N-001 now (their services differ, so the later proposals may too).
    assert retitled.proposals[0] == positioning("N-001").proposals[0]
    assert retitled.job.code == retitled.proposals[0]["code"]
    assert retitled.title_key == positioning("N-001").title_key
    assert retitled.events.count() == len(events["N-002"]) + 1
    # A decided positioning keeps its decision; only its proposals are refreshed.
    kept = positioning("N-004")
    assert kept.status == Positioning.Status.VALIDATED
    assert (kept.job_id, kept.level) == decided
    assert kept.proposals != old["N-004"].proposals
    assert kept.title_key != old["N-004"].title_key
    assert kept.events.order_by("pk").last().action == "propose"
    # Journal: one entry per updated employee, with before and after, and the proposals.
    new = JournalEntry.objects.order_by("pk")[journal:]
    assert sorted(e.action for e in new) == ["employee.import"] * 3 + ["positioning.propose"] * 2
    assert all(e.actor == "rh-nord" for e in new)
    entry = next(
        e for e in new if e.action == "employee.import" and e.object_id == str(employee("N-001").pk)
    )
    key = EmployeeKey.objects.get(employee__matricule="N-001", employee__establishment=north.north)
    assert unseal(entry.before["hire_date"], key.key) == "2001-09-03"
    assert unseal(entry.after["hire_date"], key.key) == "2001-09-04"
    assert entry.before["job_title"] == entry.after["job_title"]


def test_a_file_without_a_column_keeps_what_that_column_held(north):
    headers = ["Matricule", "Nom", "Intitulé du poste"]
    rows = [[cells[0], cells[1], cells[3]] for cells in ROWS]
    before = counts()
    result = services.import_employees(north.hr_north, north.north, payroll(rows, headers))
    assert (result.updated, result.unchanged) == (0, 4)
    assert counts() == before
    helene = employee("N-001")
    assert helene.first_name == "Hélène"
    assert (helene.hire_date, helene.current_level) == (dt.date(2001, 9, 3), 4)


def test_employees_absent_from_the_file_are_counted_not_removed(north):
    result = services.import_employees(north.hr_north, north.north, payroll(ROWS[:2]))
    assert (result.unchanged, result.absent) == (2, 3)
    assert Employee.objects.filter(establishment=north.north).count() == 5


# --- all or nothing ----------------------------------------------------------------------


def test_a_file_with_one_bad_row_writes_nothing(edition, network):
    rows = [row[:] for row in ROWS]
    rows[2][5] = "31/02/2015"
    before = counts()
    with pytest.raises(services.ImportRefused) as refused:
        services.import_employees(network.hr_north, network.north, payroll(rows))
    message = str(refused.value)
    assert message.startswith("1 ligne(s) en erreur, rien n'est importé")
    assert "ligne 4, colonne « Date d'entrée »" in message
    assert "31/02/2015" in message
    assert counts() == before


def test_a_failure_midway_rolls_everything_back(edition, network, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("panne pendant les propositions")

    monkeypatch.setattr(imports, "propose", broken)
    before = counts()
    with pytest.raises(RuntimeError):
        services.import_employees(network.hr_north, network.north, payroll(ROWS))
    assert counts() == before


# --- permissions -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "where"),
    [("reader_north", "north"), ("hr_south", "north"), ("hr_north", "south")],
)
def test_only_hr_of_the_establishment_or_national_may_import(edition, network, who, where):
    before = counts()
    with pytest.raises(NotAllowed):
        services.import_employees(getattr(network, who), getattr(network, where), payroll(ROWS))
    with pytest.raises(NotAllowed):
        services.upload_employee_file(
            getattr(network, who),
            getattr(network, where),
            filename="personnel.csv",
            content=csv_file(ROWS),
        )
    assert counts() == before


def test_a_national_administrator_may_import_anywhere(edition, network):
    result = services.import_employees(network.national, network.south, payroll(ROWS))
    assert result.created == 4
    assert {e.actor for e in JournalEntry.objects.filter(action="employee.import")} == {"nationale"}


# --- upload, analysis, commit ------------------------------------------------------------


@pytest.fixture
def upload(network, inline_tasks, django_capture_on_commit_callbacks):
    def upload(content: bytes, filename: str = "personnel.csv", user=None) -> EmployeeImport:
        with django_capture_on_commit_callbacks(execute=True):
            batch = services.upload_employee_file(
                user or network.hr_north, network.north, filename=filename, content=content
            )
        batch.refresh_from_db()
        return batch

    return upload


@pytest.fixture
def commit(network, django_capture_on_commit_callbacks):
    def commit(batch: EmployeeImport, user=None) -> EmployeeImport:
        with django_capture_on_commit_callbacks(execute=True):
            services.commit_employee_file(user or network.hr_north, batch)
        batch.refresh_from_db()
        return batch

    return commit


def test_an_uploaded_file_is_analysed_then_committed(edition, network, upload, commit):
    headers = [*HEADERS, "Salaire"]
    content = csv_file([[*cells, "2000"] for cells in ROWS], headers)
    before = counts()
    batch = upload(content)
    assert batch.status == EmployeeImport.Status.READY
    assert (batch.progress, batch.created_by) == (1.0, "rh-nord")
    report = batch.report
    assert (report["format"], report["encoding"], report["delimiter"]) == ("csv", "cp1252", ";")
    assert report["ignored"] == ["Salaire"]
    assert report["columns"]["job_title"] == "Intitulé du poste"
    assert (report["rows"], report["error_count"], report["errors"]) == (4, 0, [])
    assert (report["create"], report["update"], report["unchanged"], report["absent"]) == (
        4,
        0,
        0,
        1,
    )
    assert report["creates"][0] == {
        "line": 2,
        "matricule": "N-001",
        "name": "DUPRÉ Hélène",
        "job_title": "Gestionnaire de paie",
    }
    # The analysis writes no employee: only the import and its journal entry.
    assert counts() == {**before, "imports": 1, "journal": before["journal"] + 1}
    upload_entry = JournalEntry.objects.get(action="import.upload")
    assert upload_entry.actor == "rh-nord"
    assert upload_entry.after == {"file": "personnel.csv", "size": len(content)}

    batch = commit(batch)
    assert batch.status == EmployeeImport.Status.DONE
    assert batch.progress == 1.0 and batch.committed_at is not None
    assert batch.report["result"] == {
        "created": 4,
        "updated": 0,
        "unchanged": 0,
        "absent": 1,
        "proposed": 4,
        "pay_records": 0,
        "pay_year": None,
    }
    assert bytes(batch.content) == b""  # the employees hold the file's content now
    assert Employee.objects.filter(establishment=network.north).count() == 5
    assert positioning("N-003").status == Positioning.Status.PROPOSED
    with pytest.raises(Refused, match="pas prêt"):
        commit(batch)


def test_an_updated_file_is_previewed_with_its_changes(edition, network, upload, commit):
    commit(upload(csv_file(ROWS)))
    changed = [row[:] for row in ROWS]
    changed[0][5] = "04/09/2001"
    report = upload(csv_file(changed)).report
    assert (report["create"], report["update"], report["unchanged"]) == (0, 1, 3)
    (update,) = report["updates"]
    assert (update["line"], update["matricule"], update["name"]) == (2, "N-001", "DUPRÉ Hélène")
    (change,) = update["changes"]
    assert (change["before"], change["after"]) == ("03/09/2001", "04/09/2001")


def test_a_file_with_errors_is_reported_line_by_line_and_cannot_be_committed(
    edition, network, upload, commit
):
    rows = [row[:] for row in ROWS]
    rows[1][5] = "31/02/2015"
    rows[3][6] = "9"
    rows.append(["N-001", "DOUBLON", "", "Comptable", "", "", ""])
    before = counts()
    batch = upload(csv_file(rows))
    assert batch.status == EmployeeImport.Status.INVALID
    report = batch.report
    assert report["error_count"] == 3
    assert [(e["line"], e["column"]) for e in report["errors"]] == [
        (3, "Date d'entrée"),
        (5, "Niveau"),
        (6, "Matricule"),
    ]
    assert "ligne 2" in report["errors"][2]["message"]
    with pytest.raises(Refused, match="pas prêt"):
        commit(batch)
    batch.refresh_from_db()
    assert batch.status == EmployeeImport.Status.INVALID
    assert counts() == {**before, "imports": 1, "journal": before["journal"] + 1}


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"", "vide.csv", "vide"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "personnel.xls", ".xlsx"),
        (b"Nom;Service\r\nDUPONT;Achats\r\n", "personnel.csv", "Matricule"),
    ],
)
def test_an_unreadable_file_is_reported_as_a_whole(
    edition, network, upload, content, filename, message
):
    batch = upload(content, filename)
    assert batch.status == EmployeeImport.Status.INVALID
    assert message in batch.report["file_error"]
    assert Employee.objects.filter(establishment=network.north).count() == 1


def test_another_establishment_may_not_commit_an_import(edition, network, upload, commit):
    batch = upload(csv_file(ROWS))
    with pytest.raises(NotAllowed):
        commit(batch, network.hr_south)
    with pytest.raises(NotAllowed):
        commit(batch, network.reader_north)
    batch.refresh_from_db()
    assert batch.status == EmployeeImport.Status.READY


def test_a_commit_that_fails_leaves_the_import_failed_and_writes_nothing(
    edition, network, upload, commit, monkeypatch
):
    batch = upload(csv_file(ROWS))

    def broken(*args, **kwargs):
        raise RuntimeError("panne")

    monkeypatch.setattr(imports, "propose", broken)
    before = counts()
    batch = commit(batch)
    assert batch.status == EmployeeImport.Status.FAILED
    assert "RuntimeError" in batch.error
    assert counts() == before


def test_an_analysis_that_breaks_leaves_the_import_failed_not_analysing(
    edition, network, upload, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("panne")

    monkeypatch.setattr(imports, "plan_import", broken)
    batch = upload(csv_file(ROWS))
    assert batch.status == EmployeeImport.Status.FAILED
    assert "RuntimeError" in batch.error


def test_an_import_before_any_edition_creates_the_employees_without_proposals(network):
    result = services.import_employees(network.hr_north, network.north, payroll(ROWS))
    assert (result.created, result.proposed) == (4, 0)
    assert Positioning.objects.count() == 0
