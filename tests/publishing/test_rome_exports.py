"""ROME codes and ESCO occupations in the JSON export and the XLSX workbook."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import load_workbook

from repertoire.catalog import selectors
from repertoire.core.rome import PRIMARY, load_rome
from repertoire.publishing import documents

pytestmark = pytest.mark.django_db

# The keys DESIGN.md names for a job of the JSON export: they stay, ROME adds its own.
DESIGN_JOB_KEYS = {"code", "title", "level", "degrees", "missions", "requirements"}


def test_json_export_jobs_carry_rome_and_esco(edition):
    data = json.loads(documents.FORMATS["json"].build(edition, lambda done, stage: None))
    rome = load_rome()
    assert {"edition", "criteria", "levels", "jobs"} <= set(data)
    assert len(data["jobs"]) == edition.jobs.count()
    for job in data["jobs"]:
        assert DESIGN_JOB_KEYS | {"rome", "esco"} <= set(job)
        assert job["rome"], job["code"]
        assert [entry["primary"] for entry in job["rome"]].count(True) == 1
        first = job["rome"][0]
        assert first["primary"] and first["role"] == PRIMARY
        for entry in job["rome"]:
            assert set(entry) == {"code", "title", "role", "primary"}
            assert entry["title"] == rome.title(entry["code"])
        expected = {
            occupation.uri for entry in job["rome"] for occupation in rome.esco(entry["code"])
        }
        assert {occupation["uri"] for occupation in job["esco"]} == expected
        assert all(set(occupation) == {"uri", "label"} for occupation in job["esco"])
    assert any(job["esco"] for job in data["jobs"])


def test_xlsx_has_rome_columns(edition):
    workbook = load_workbook(io.BytesIO(documents.edition_xlsx(edition)))
    sheet = workbook["Emplois"]
    header = [cell.value for cell in sheet[1]]
    primary, codes, esco = (
        header.index("Code ROME principal"),
        header.index("Codes ROME"),
        header.index("Professions ESCO"),
    )
    assert header[-2:] == ["Finalité et missions", "Exigences"]
    by_code = selectors.rome_by_job(edition)
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == edition.jobs.count()
    for row in rows:
        found = by_code[row[0]]
        assert row[primary] == found["rome"][0]["code"]
        for entry in found["rome"]:
            assert f"{entry['code']} {entry['title']}" in row[codes]
        for occupation in found["esco"]:
            assert occupation["uri"] in (row[esco] or "")
