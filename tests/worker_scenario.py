"""Steps of the worker tests, each run in its own process against one database (the
environment names it): ``python -m tests.worker_scenario STEP [ARGS]``.

``setup ROWS``: a migrated database, an establishment, its HR officer and an employee
file of ROWS generated lines uploaded (its analysis queued); prints the import's id.
``commit PK`` / ``restart PK``: as the HR officer on the import's page.
``wait PK STATUS [TIMEOUT]``: until the import has STATUS (and, for "importing", a worker
running it with some progress); prints the import as JSON, exits 1 on timeout.
``worker [BLOCK_FILE]``: ``repertoire worker``; with BLOCK_FILE, an import stops in its
write transaction while that file exists (a test hook to kill the worker mid-import).
"""

from __future__ import annotations

import json
import os
import sys
import time

PASSWORD = "un-mot-de-passe-tres-solide-2015"


def employee_file(rows: int) -> bytes:
    lines = ["Matricule;Nom;Prénom;Intitulé du poste;Service"]
    lines += [f"W-{n:06};NOM{n};Claude;Agent {n % 50};Service {n % 7}" for n in range(rows)]
    return ("\r\n".join(lines) + "\r\n").encode()


def setup(rows: str) -> None:
    from repertoire.accounts import services as accounts
    from repertoire.cli._session import database_ready
    from repertoire.positioning import services

    database_ready()
    place = services.create_establishment("CCI-TEST", "CCI Test", actor="test")
    hr = accounts.create_user(
        "rh-test", role="hr", password=PASSWORD, establishment=place, actor="test"
    )
    batch = services.upload_employee_file(
        hr, place, filename="personnel.csv", content=employee_file(int(rows))
    )
    print(batch.pk)


def _hr_and_batch(pk: str):
    from django.contrib.auth import get_user_model

    from repertoire.positioning.models import EmployeeImport

    return get_user_model().objects.get(username="rh-test"), EmployeeImport.objects.get(pk=pk)


def commit(pk: str) -> None:
    from repertoire.positioning import services

    services.commit_employee_file(*_hr_and_batch(pk))


def restart(pk: str) -> None:
    from repertoire.positioning import services

    services.restart_employee_file(*_hr_and_batch(pk))


def wait(pk: str, status: str, timeout: str = "120") -> None:
    from repertoire.positioning.models import EmployeeImport

    deadline = time.monotonic() + float(timeout)
    while time.monotonic() < deadline:
        batch = EmployeeImport.objects.get(pk=pk)
        running = status != "importing" or (batch.heartbeat_at and batch.progress > 0)
        if batch.status == status and running:
            print(
                json.dumps(
                    {
                        "status": batch.status,
                        "progress": batch.progress,
                        "error": batch.error,
                        "employees": batch.establishment.employees.count(),
                    }
                )
            )
            return
        time.sleep(0.2)
    batch = EmployeeImport.objects.get(pk=pk)
    print(json.dumps({"status": batch.status, "error": batch.error}))
    sys.exit(1)


def worker(block_file: str = "") -> None:
    if block_file:
        from repertoire.positioning.services import imports

        create = imports._create_employees

        def blocked(*args, **kwargs):
            deadline = time.monotonic() + 300
            while os.path.exists(block_file) and time.monotonic() < deadline:
                time.sleep(0.1)
            return create(*args, **kwargs)

        imports._create_employees = blocked
    from repertoire.cli._session import database_ready
    from repertoire.tasks import run_worker

    database_ready()
    run_worker(interval=0.2)


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "repertoire.settings")
    import django

    django.setup()
    step, *arguments = sys.argv[1:]
    {"setup": setup, "commit": commit, "restart": restart, "wait": wait, "worker": worker}[step](
        *arguments
    )
