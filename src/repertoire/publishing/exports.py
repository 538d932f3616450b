"""JSON, CSV and text exports of an edition, from its document form (no Django here)."""

from __future__ import annotations

import json
from collections.abc import Mapping

from repertoire.core.document import RepertoireDocument, write_document
from repertoire.core.text import to_roman
from repertoire.typesetting.spreadsheets import csv_text

# Excel opens a semicolon-separated file with a byte-order mark correctly in French locales.


def edition_dict(
    document: RepertoireDocument,
    *,
    label: str,
    level_rule: str,
    rome: Mapping[str, Mapping[str, list]] | None = None,
) -> dict:
    """The JSON shape of DESIGN.md, extended (never renamed). ``rome``: each job's ROME
    codes and ESCO occupations by job code (``{"rome": [...], "esco": [...]}``)."""
    rome = rome or {}
    definitions = document.level_definitions()
    return {
        "edition": {
            "label": label,
            "title": document.title,
            "date": document.date.isoformat(),
            "status": document.status,
            "level_rule": level_rule,
            "notes": list(document.notes),
            "missing_jobs": list(document.missing_jobs),
        },
        "criteria": [{"code": c.code, "label": c.label} for c in document.criteria],
        "levels": [
            {
                "number": number,
                "roman": to_roman(number),
                "definition": "\n\n".join(texts[0]) if texts else "",
                "definitions": ["\n\n".join(text) for text in texts],
            }
            for number, texts in definitions.by_level.items()
        ],
        "jobs": [
            {
                "code": job.code,
                "title": job.title,
                "heading": job.heading,
                "level": job.level,
                "degrees": {
                    c.code: degree for c, degree in zip(document.criteria, job.degrees, strict=True)
                },
                "missions": [item.as_text() for item in job.missions],
                "requirements": [item.as_text() for item in job.requirements],
                "level_definition": "\n\n".join(job.level_text),
                "rome": list(rome.get(job.code, {}).get("rome", [])),
                "esco": list(rome.get(job.code, {}).get("esco", [])),
            }
            for job in document.jobs
        ],
        "sommaire": [
            {"level": entry.level, "title": entry.title, "page": entry.page}
            for entry in document.sommaire
        ],
    }


def to_json(
    document: RepertoireDocument,
    *,
    label: str,
    level_rule: str,
    rome: Mapping[str, Mapping[str, list]] | None = None,
) -> str:
    data = edition_dict(document, label=label, level_rule=level_rule, rome=rome)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def to_csv(document: RepertoireDocument) -> str:
    """One row per job: code, title, level, one column per criterion, texts joined."""
    header = [
        "code",
        "intitule",
        "niveau",
        "niveau_romain",
        *(c.code for c in document.criteria),
        "total",
        "missions",
        "exigences",
    ]
    rows = (
        [
            job.code,
            job.title,
            job.level,
            to_roman(job.level),
            *job.degrees,
            sum(job.degrees),
            "\n".join(item.as_text() for item in job.missions),
            "\n".join(item.as_text() for item in job.requirements),
        ]
        for job in document.jobs
    )
    return csv_text([header, *rows])


def appellations_csv(rows) -> str:
    """Appellations as (code, job title, appellation, source) rows; imports back."""
    return csv_text([["code", "emploi", "appellation", "source"], *rows])


def to_text(document: RepertoireDocument) -> str:
    return write_document(document)
