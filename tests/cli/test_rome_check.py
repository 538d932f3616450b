"""`repertoire check` lists the jobs without a ROME code."""

from __future__ import annotations

import json
from importlib.resources import as_file, files

from typer.testing import CliRunner

from repertoire.catalog.models import JobRome
from repertoire.cli import app
from repertoire.core.quality import JOB_WITHOUT_ROME, WARNING, rome_findings

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
