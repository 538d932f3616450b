"""What a command needs before it runs: Django started, the database ready, who acts.

Commands call these when they run, never at import: ``repertoire --help`` does not start
Django.
"""

from __future__ import annotations

import getpass
import os

from repertoire.cli._output import err


def start_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "repertoire.settings")
    import django

    django.setup()


def database_ready() -> None:
    """Migrate the database if it is behind the code (first start, upgrade)."""
    start_django()
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", interactive=False, verbosity=0)


def bootstrap() -> None:
    """A database with its schema and at least the bundled edition."""
    database_ready()
    from repertoire.catalog import services

    loaded = services.ensure_bundled_edition(author=author())
    if loaded is not None:
        err.print(f"Édition {loaded.label} chargée ({loaded.jobs.count()} emplois).")


def author() -> str:
    """The name the journal records for what the command writes."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def operator():
    """Whoever runs the command: a national administrator, journaled under their login."""
    from repertoire.accounts.selectors import CommandLineOperator

    return CommandLineOperator(author())
