"""Twenty writers at once on the embedded database (a SQLite file), run as a process of
its own by ``test_sqlite_writers``: the test suite's own SQLite database lives in memory,
where locks behave otherwise.

    REPERTOIRE_HOME=<empty dir> python -m tests.concurrency.sqlite_writers WRITERS ROUNDS

Migrates the database of ``REPERTOIRE_HOME``, loads the bundled edition, gives each writer
an employee of its own, then starts the writers together: each changes its employee,
changes its positioning's job and comments it, ``ROUNDS`` times, through the services as
the API calls them. Prints, as JSON, the writes accepted, the errors by type (with the
first message), and what the database and the journal hold afterwards.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from collections import Counter

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "repertoire.settings")
os.environ.pop("DATABASE_URL", None)

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402

from repertoire.accounts.selectors import CommandLineOperator  # noqa: E402
from repertoire.audit.models import JournalEntry  # noqa: E402
from repertoire.catalog import services as catalog  # noqa: E402
from repertoire.positioning import services  # noqa: E402
from repertoire.positioning.models import Employee, Positioning  # noqa: E402

ACTIONS = ("employee.update", "positioning.change", "positioning.comment")


def main(writers: int, rounds: int) -> dict:
    call_command("migrate", interactive=False, verbosity=0)
    edition = catalog.ensure_bundled_edition(author="test")
    codes = list(edition.jobs.order_by("position").values_list("code", flat=True)[:2])
    operator = CommandLineOperator("test")
    place = services.create_establishment("CCI-FICHIER", "CCI Fichier", actor="test")
    employees = [
        services.create_employee(
            operator, place, matricule=f"W{n:03d}", last_name=f"NOM{n}", job_title="Comptable"
        )
        for n in range(writers)
    ]
    journal_before = JournalEntry.objects.count()
    connections.close_all()
    start = threading.Barrier(writers)
    accepted: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    first_error: dict[str, str] = {}
    lock = threading.Lock()

    def write(action: str, employee: Employee, number: int, turn: int) -> None:
        if action == "employee.update":
            services.update_employee(operator, employee, first_name=f"Prénom {number}-{turn}")
        elif action == "positioning.change":
            services.change(operator, _positioning(employee), job_code=codes[turn % 2])
        else:
            services.comment(operator, _positioning(employee), f"note {number}-{turn}")

    def writer(number: int) -> None:
        employee = Employee.objects.select_related("establishment").get(pk=employees[number].pk)
        start.wait()
        for turn in range(rounds):
            for action in ACTIONS:
                try:
                    write(action, employee, number, turn)
                except Exception as exc:  # counted and reported
                    with lock:
                        errors[type(exc).__name__] += 1
                        first_error.setdefault(type(exc).__name__, str(exc))
                else:
                    with lock:
                        accepted[action] += 1
        connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    journaled = Counter(
        JournalEntry.objects.order_by("pk").values_list("action", flat=True)[journal_before:]
    )
    last = rounds - 1
    return {
        "accepted": dict(accepted),
        "errors": dict(errors),
        "first_error": first_error,
        "journaled": {action: journaled[action] for action in accepted},
        "final_first_names": sum(
            Employee.objects.filter(pk=employee.pk, first_name=f"Prénom {number}-{last}").count()
            for number, employee in enumerate(employees)
        ),
        "final_comments": sum(
            Positioning.objects.filter(employee=employee, comment=f"note {number}-{last}").count()
            for number, employee in enumerate(employees)
        ),
    }


def _positioning(employee: Employee) -> Positioning:
    return Positioning.objects.select_related("job__level", "establishment", "edition").get(
        employee=employee
    )


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]), int(sys.argv[2]))))
