"""Files of the 2014 edition, made once per test session (a full PDF takes seconds)."""

from __future__ import annotations

import pytest
from django.db import transaction

from repertoire.catalog import selectors, services
from repertoire.publishing import documents


@pytest.fixture(scope="session")
def edition_files(django_db_setup, django_db_blocker) -> dict[str, bytes]:
    """Every format of the bundled edition, built in a transaction that is rolled back.

    Modules using it are marked ``django_db``: pytest-django sets up the test database
    only for a session whose tests ask for one."""
    with django_db_blocker.unblock(), transaction.atomic():
        edition = services.ensure_bundled_edition(author="test") or selectors.get_edition()
        files = {
            code: f.build(edition, lambda done, stage: None)
            for code, f in documents.FORMATS.items()
        }
        job = selectors.jobs_of(edition).first()
        files["job-pdf"] = documents.job_pdf(job)
        files["job-code"] = job.code.encode()
        transaction.set_rollback(True)
    return files
