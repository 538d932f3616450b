"""Long work as queued tasks: its progress seen while it runs, work whose worker died
marked failed with its reason (never "in progress" forever), and started again."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.db import connection, connections
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from repertoire import tasks
from repertoire.core.matching import MatchingIndex
from repertoire.core.refusals import NotAllowed
from repertoire.positioning import services
from repertoire.positioning.models import Employee, EmployeeImport
from repertoire.positioning.services import imports
from tests.conftest import DATABASE_TASKS
from tests.positioning.test_import import csv_file

pytestmark = pytest.mark.django_db

ROWS = [
    [f"B-{number:04}", f"NOM{number}", "Claude", title, "Services généraux", "", ""]
    for number, title in enumerate(
        ["Gestionnaire de paie", "Assistante de direction", "Comptable", "Agent d'accueil"] * 10
    )
]


def read_progress_from_another_connection(pk: int) -> float | None:
    """What a page polling the import reads, on its own connection (another thread)."""
    seen = []

    def read():
        try:
            seen.append(EmployeeImport.objects.values_list("progress", flat=True).get(pk=pk))
        except Exception as exc:  # a database locked by the import's write: nothing seen
            seen.append(exc)
        finally:
            connections.close_all()

    reader = threading.Thread(target=read)
    reader.start()
    reader.join()
    return seen[0] if isinstance(seen[0], float) else None


@pytest.mark.django_db(transaction=True)
def test_the_progress_of_an_import_is_seen_from_another_connection_while_it_runs(
    edition, network, monkeypatch
):
    batch = services.upload_employee_file(
        network.hr_north, network.north, filename="personnel.csv", content=csv_file(ROWS)
    )
    batch.refresh_from_db()
    assert batch.status == EmployeeImport.Status.READY
    seen = []
    match_many = MatchingIndex.match_many

    def matching(index, queries, top=3):  # the import is under way: what does a page see?
        seen.append(read_progress_from_another_connection(batch.pk))
        return match_many(index, queries, top=top)

    monkeypatch.setattr(MatchingIndex, "match_many", matching)
    services.commit_employee_file(network.hr_north, batch)
    batch.refresh_from_db()
    assert batch.status == EmployeeImport.Status.DONE, batch.error
    assert Employee.objects.filter(matricule__startswith="B-").count() == len(ROWS)
    assert seen
    assert any(fraction is not None and 0 < fraction < 1 for fraction in seen), seen


@pytest.fixture
def queued(settings):
    """Work queued in the database (no worker runs it in these tests)."""
    settings.TASKS = DATABASE_TASKS


def test_work_whose_worker_stopped_telling_it_is_alive_is_marked_failed(network, queued, settings):
    batch = services.upload_employee_file(
        network.hr_north, network.north, filename="personnel.csv", content=csv_file(ROWS)
    )
    task = DBTaskResult.objects.get(pk=batch.task_id)
    assert (batch.status, task.status) == (EmployeeImport.Status.ANALYSING, "READY")
    waiting = services.upload_employee_file(
        network.hr_north, network.north, filename="autre.csv", content=csv_file(ROWS)
    )
    alive = services.upload_employee_file(
        network.hr_north, network.north, filename="vivant.csv", content=csv_file(ROWS)
    )
    now = timezone.now()
    # A worker took the first and died (kill -9) a while ago; another is running the third.
    DBTaskResult.objects.filter(pk=task.pk).update(status="RUNNING", started_at=now)
    last_seen = now - dt.timedelta(seconds=settings.REPERTOIRE_WORK_STALE_AFTER + 5)
    EmployeeImport.objects.filter(pk=batch.pk).update(heartbeat_at=last_seen)
    EmployeeImport.objects.filter(pk=alive.pk).update(heartbeat_at=now)

    assert tasks.recover() == 1

    batch.refresh_from_db()
    assert batch.status == EmployeeImport.Status.FAILED
    assert batch.error.startswith("interrompu")
    task.refresh_from_db()
    assert task.status == "FAILED"
    # Work still waiting for a worker, or whose worker is alive, is left as it is.
    for other in (waiting, alive):
        other.refresh_from_db()
        assert other.status == EmployeeImport.Status.ANALYSING
    assert tasks.recover() == 0


def test_a_failed_import_is_started_again_from_its_page(
    client, network, edition, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.upload_employee_file(
            network.hr_north, network.north, filename="personnel.csv", content=csv_file(ROWS)
        )
    with django_capture_on_commit_callbacks(execute=False):  # no worker runs the import
        services.commit_employee_file(network.hr_north, batch)
    # Interrupted: marked failed as a worker's recovery does.
    EmployeeImport.objects.filter(pk=batch.pk).update(
        status=EmployeeImport.Status.FAILED, error="interrompu : …"
    )
    client.force_login(network.hr_north)
    page = client.get(f"/positionnement/{network.north.code}/importer/{batch.pk}/")
    restart = f"/positionnement/{network.north.code}/importer/{batch.pk}/relancer/"
    assert restart in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(restart)
    batch.refresh_from_db()
    assert (batch.status, batch.error) == (EmployeeImport.Status.READY, "")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/positionnement/{network.north.code}/importer/{batch.pk}/importer/")
    batch.refresh_from_db()
    assert batch.status == EmployeeImport.Status.DONE
    # Only a failed file may be started again.
    client.post(restart)
    batch.refresh_from_db()
    assert batch.status == EmployeeImport.Status.DONE


@pytest.mark.parametrize("user", ["reader_north", "hr_south"])
def test_only_who_may_import_may_start_again(network, user):
    batch = services.upload_employee_file(
        network.hr_north, network.north, filename="personnel.csv", content=csv_file(ROWS)
    )
    EmployeeImport.objects.filter(pk=batch.pk).update(status=EmployeeImport.Status.FAILED)
    with pytest.raises(NotAllowed):
        services.restart_employee_file(getattr(network, user), batch)


def test_an_import_taken_for_interrupted_meanwhile_writes_nothing(
    network, django_capture_on_commit_callbacks
):
    """Its worker was slow, not dead: the recovery marked it failed; when the import
    reaches its write, it finds it is no longer wanted and writes nothing."""
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.upload_employee_file(
            network.hr_north, network.north, filename="personnel.csv", content=csv_file(ROWS)
        )
    with django_capture_on_commit_callbacks(execute=False):
        services.commit_employee_file(network.hr_north, batch)
    EmployeeImport.objects.filter(pk=batch.pk).update(
        status=EmployeeImport.Status.FAILED, error="interrompu : test"
    )
    before = Employee.objects.count()
    imports.run_employee_import(batch.pk, network.hr_north.pk)
    batch.refresh_from_db()
    assert (batch.status, batch.error) == (EmployeeImport.Status.FAILED, "interrompu : test")
    assert Employee.objects.count() == before
    assert bytes(batch.content)  # kept: it can be started again


def test_work_this_process_is_running_is_never_taken_for_interrupted(network, queued, settings):
    """On SQLite the heartbeat waits while the work holds the write lock: the worker's
    own recovery knows the work is alive all the same."""
    batch = services.upload_employee_file(
        network.hr_north, network.north, filename="personnel.csv", content=csv_file(ROWS)
    )
    long_ago = timezone.now() - dt.timedelta(seconds=settings.REPERTOIRE_WORK_STALE_AFTER + 5)
    EmployeeImport.objects.filter(pk=batch.pk).update(heartbeat_at=long_ago)
    tasks._running.add((EmployeeImport._meta.label, batch.pk))
    try:
        assert tasks.recover() == 0
    finally:
        tasks._running.clear()
    assert tasks.recover() == 1


def test_progress_is_written_at_each_new_stage_however_soon():
    """The page shows the stage the work is at ("enregistrement" while it writes), not
    the last one written before the interval."""
    written = []
    progress = tasks.throttled(lambda fraction, stage: written.append(stage), interval=60)
    for stage in ("comparaison", "comparaison", "enregistrement", "enregistrement"):
        progress(0.5, stage)
    assert written == ["comparaison", "enregistrement"]


def read_publication_from_another_connection(pk: int) -> tuple[str, float] | None:
    """What the page of a publication reads, on its own connection (another thread)."""
    from repertoire.positioning.models import EditionPublication

    seen = []

    def read():
        try:
            seen.append(EditionPublication.objects.values_list("stage", "progress").get(pk=pk))
        finally:
            connections.close_all()

    reader = threading.Thread(target=read)
    reader.start()
    reader.join()
    return seen[0] if seen else None


@pytest.mark.django_db(transaction=True)
def test_the_progress_of_a_publication_is_seen_from_another_connection_while_it_writes(
    decisions, monkeypatch, queued
):
    """On PostgreSQL the stages of the write transaction are told from another
    connection; on SQLite, where that transaction holds the database, the page reads
    the stage written before it ("enregistrement")."""
    from repertoire.catalog import services as editions
    from repertoire.positioning.models import EditionPublication
    from repertoire.positioning.services import publication

    national = decisions.network.national
    draft = editions.copy_edition(national, decisions.alice.edition, label="officielle")
    work = publication.request_publication(national, draft)  # queued, run below
    seen = []
    journal = publication._journal

    def journaling(*arguments):  # inside the write transaction: what does a page see?
        deadline = time.monotonic() + 5
        while True:
            seen.append(read_publication_from_another_connection(work.pk))
            if connection.vendor == "sqlite" or seen[-1][0] != "enregistrement":
                break
            if time.monotonic() > deadline:
                break
            time.sleep(0.05)
        return journal(*arguments)

    monkeypatch.setattr(publication, "_journal", journaling)
    publication.run_publication(work.pk, national.pk)
    work.refresh_from_db()
    assert work.status == EditionPublication.Status.DONE, work.error
    stage, progress = seen[-1]
    assert 0 < progress < 1
    if connection.vendor == "sqlite":
        assert stage == "enregistrement"
    else:
        assert stage.startswith(("enregistrement des positionnements", "recours", "journal")), seen
