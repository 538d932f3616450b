"""`repertoire check` lists the jobs without a ROME code, and the appellations the ROME files
under a code their job does not carry."""

from __future__ import annotations

import json
from importlib.resources import as_file, files

from typer.testing import CliRunner

from repertoire.catalog.models import JobRome
from repertoire.cli import app
from repertoire.core.quality import (
    APPELLATION_FILED_ELSEWHERE,
    INFO,
    JOB_WITHOUT_ROME,
    WARNING,
    rome_appellation_findings,
    rome_findings,
)
from repertoire.core.rome import RomeCode, RomeReferential

runner = CliRunner()


def _findings(*args) -> list[dict]:
    result = runner.invoke(app, ["check", "--json", *args], catch_exceptions=False)
    assert result.exit_code == 0
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_every_job_of_the_bundled_edition_has_a_rome_code(db, edition):
    assert not [f for f in _findings() if f["code"] == JOB_WITHOUT_ROME]


def test_a_job_without_rome_code_is_a_warning_naming_it(db, edition):
    job = edition.jobs.order_by("position").first()
    JobRome.objects.filter(job=job).delete()
    found = [f for f in _findings() if f["code"] == JOB_WITHOUT_ROME]
    assert len(found) == 1
    assert found[0]["severity"] == WARNING
    assert job.title in found[0]["message"] and job.code in found[0]["message"]


def test_a_document_file_is_checked_against_the_bundled_correspondence(db):
    with as_file(files("repertoire") / "data" / "repertoire-emplois-2014-11-18.txt") as path:
        findings = _findings(str(path))
    assert not [f for f in findings if f["code"] == JOB_WITHOUT_ROME]


def test_rome_findings_in_job_order():
    findings = rome_findings({"b": "Bê", "a": "A", "c": "C"}, {"a": ["M1203"], "c": []})
    assert [(f.code, f.severity) for f in findings] == [(JOB_WITHOUT_ROME, WARNING)] * 2
    assert "Bê" in findings[0].message and "C" in findings[1].message


def test_an_appellation_the_rome_files_under_another_code_is_a_note():
    referential = RomeReferential(
        codes={
            "E1103": RomeCode("E1103", "Communication", "E1103"),
            "M1621": RomeCode("M1621", "Assistanat", "M1621"),
            "M1622": RomeCode("M1622", "Assistanat de direction", "M1621"),
        },
        _appellations={
            "E1103": ("Assistant / Assistante communication",),
            "M1621": ("Assistant / Assistante de gestion",),
            "M1622": ("Assistant / Assistante juridique",),
        },
    )
    findings = rome_appellation_findings(
        {"spec": "Assistant(e) spécialisé(e)", "none": "Sans code"},
        {
            "spec": ["Assistante communication", "Assistant de gestion", "Assistant juridique"],
            "none": ["Assistant communication"],
        },
        {"spec": ["M1621"]},
        referential,
    )
    # Filed under E1103 only: a note. Under the job's code, or a sub-sheet of it: nothing.
    # A job without any code is the other finding's (job_without_rome).
    assert [(f.code, f.severity, f.details["appellation"]) for f in findings] == [
        (APPELLATION_FILED_ELSEWHERE, INFO, "Assistante communication")
    ]
    assert "E1103 Communication" in findings[0].message
    assert findings[0].details["rome"] == ["E1103"]


def test_the_bundled_edition_lists_its_appellations_filed_elsewhere_as_notes(db, edition):
    found = [f for f in _findings() if f["code"] == APPELLATION_FILED_ELSEWHERE]
    assert found and {f["severity"] for f in found} == {INFO}
    jobs = {job.code for job in edition.jobs.all()}
    assert {f["job"] for f in found} <= jobs
    result = runner.invoke(app, ["check"], catch_exceptions=False)
    assert "Appellations que le ROME classe sous un autre code" in result.stdout
