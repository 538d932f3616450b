"""The data-quality report: what a careful reader of a repertoire document would flag.

Errors are inconsistencies that change a classification (a declared level the rule does
not give, a sommaire that places a job at another level); warnings are editorial (copy
errors in level definitions, missing page numbers, jobs announced but absent). Notes
(``info``) state facts for a person to judge: which of the pay-transparency directive's
factors the criteria speak of (``factor_findings``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from repertoire.core.document import RepertoireDocument
from repertoire.core.factors import CriterionLike, GridCoverage, factor_coverage
from repertoire.core.grid import RULES, calibrate, get_rule
from repertoire.core.rome import RomeReferential
from repertoire.core.text import title_key, title_words, to_roman

ERROR = "error"
WARNING = "warning"
INFO = "info"
FACTOR_COVERAGE = "factor_coverage"


@dataclass(frozen=True)
class Finding:
    severity: str
    code: str
    message: str
    line: int | None = None
    # Facts a reader may want as data (the criteria and words behind a note).
    details: Mapping[str, Any] | None = field(default=None, compare=False)

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        return f"{self.severity}: {where}{self.message}"

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: severity, code, message, line, then the details' keys if any."""
        data = {
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "line": self.line,
        }
        return {**data, **(self.details or {})}


def check_document(document: RepertoireDocument, rule_code: str) -> list[Finding]:
    """Every finding on the document, errors first, in document order."""
    findings = [
        *_level_rules(document, rule_code),
        *_level_definitions(document),
        *_sommaire(document),
        *_missing_jobs(document),
    ]
    return sorted(findings, key=lambda f: (f.severity != ERROR, f.line or 0))


def _line(value: int) -> int | None:
    return value or None


def _level_rules(document: RepertoireDocument, rule_code: str) -> list[Finding]:
    findings = []
    references = document.reference_profiles()
    lines = {job.title: job.line for job in document.jobs}
    for code, rule in RULES.items():
        for miss in calibrate(rule, references):
            in_force = code == get_rule(rule_code).code
            findings.append(
                Finding(
                    ERROR if in_force else WARNING,
                    "level_rule_disagreement",
                    f"« {miss.reference.name} » est déclaré au niveau "
                    f"{to_roman(miss.reference.level)} mais la règle « {rule.label} »"
                    f"{' (en vigueur)' if in_force else ''} donne le niveau "
                    f"{to_roman(miss.computed)}",
                    _line(lines[miss.reference.name]),
                )
            )
    return findings


def _level_definitions(document: RepertoireDocument) -> list[Finding]:
    definitions = document.level_definitions()
    findings = []
    for job in document.jobs:
        if not job.level_text:
            findings.append(
                Finding(
                    WARNING,
                    "level_definition_missing",
                    f"« {job.title} » n'imprime pas la définition de son niveau",
                    _line(job.line),
                )
            )
            continue
        home = definitions.home[job.level_text]
        if home != job.level:
            findings.append(
                Finding(
                    WARNING,
                    "level_definition_copy",
                    f"« {job.title} » est classé au niveau {to_roman(job.level)} mais sa "
                    f"définition de niveau est le texte du niveau {to_roman(home)} "
                    "(erreur de copie probable)",
                    _line(job.line),
                )
            )
    for level, texts in definitions.by_level.items():
        if len(texts) < 2:
            continue
        variants = [
            job.title
            for job in document.jobs
            if job.level_text in texts[1:] and definitions.home[job.level_text] == level
        ]
        findings.append(
            Finding(
                WARNING,
                "level_definition_variants",
                f"Le niveau {to_roman(level)} est défini par {len(texts)} textes différents ; "
                f"variantes chez : {', '.join(variants)}",
            )
        )
    return findings


def _sommaire(document: RepertoireDocument) -> list[Finding]:
    if not document.sommaire:
        return [Finding(WARNING, "sommaire_missing", "Le document n'a pas de sommaire")]
    findings = []
    jobs = {title_key(job.heading): job for job in document.jobs}
    listed = set()
    # A sommaire without a single page number is a draft's list of its jobs (the draft is
    # not typeset yet): it cannot have page numbers, so none are asked of it.
    paged = any(entry.page is not None for entry in document.sommaire)
    previous_page = 0
    for entry in document.sommaire:
        key = title_key(entry.title)
        job = jobs.get(key)
        listed.add(key)
        line = _line(entry.line)
        if job is None:
            findings.append(
                Finding(
                    WARNING,
                    "sommaire_unknown_job",
                    f"Le sommaire cite « {entry.title} », qui n'a pas de fiche dans le document",
                    line,
                )
            )
        elif job.level != entry.level:
            findings.append(
                Finding(
                    ERROR,
                    "sommaire_level_mismatch",
                    f"Le sommaire place « {entry.title} » au niveau {to_roman(entry.level)}, "
                    f"sa fiche au niveau {to_roman(job.level)}",
                    line,
                )
            )
        if entry.page is None:
            if paged:
                findings.append(
                    Finding(
                        WARNING,
                        "sommaire_page_missing",
                        f"Le sommaire ne donne pas de numéro de page pour « {entry.title} »",
                        line,
                    )
                )
        elif entry.page <= previous_page:
            findings.append(
                Finding(
                    WARNING,
                    "sommaire_page_order",
                    f"Page {entry.page} de « {entry.title} » après la page {previous_page}",
                    line,
                )
            )
        if entry.page is not None:
            previous_page = entry.page
    for key, job in jobs.items():
        if key not in listed:
            findings.append(
                Finding(
                    WARNING,
                    "sommaire_job_absent",
                    f"« {job.title} » a une fiche mais n'apparaît pas au sommaire",
                    _line(job.line),
                )
            )
    return findings


def _missing_jobs(document: RepertoireDocument) -> list[Finding]:
    findings = []
    for title in document.missing_jobs:
        words = set(title_key(title).split())
        similar = [job.title for job in document.jobs if words <= set(title_key(job.title).split())]
        hint = f" ; à rapprocher de : {', '.join(similar)}" if similar else ""
        findings.append(
            Finding(
                WARNING,
                "job_announced_missing",
                f"Emploi annoncé mais absent de cette édition : « {title} »{hint}",
            )
        )
    return findings


# --- ROME -------------------------------------------------------------------------------

JOB_WITHOUT_ROME = "job_without_rome"


def rome_findings(
    titles: Mapping[str, str], rome_codes: Mapping[str, Iterable[str]]
) -> list[Finding]:
    """A warning for each job (code → title, in order) that has no ROME code."""
    return [
        Finding(
            WARNING,
            JOB_WITHOUT_ROME,
            f"Emploi sans code ROME : « {title} » ({code})",
        )
        for code, title in titles.items()
        if not list(rome_codes.get(code, ()))
    ]


APPELLATION_FILED_ELSEWHERE = "rome_appellation_elsewhere"


def rome_appellation_findings(
    titles: Mapping[str, str],
    appellations: Mapping[str, Iterable[str]],
    rome_codes: Mapping[str, Iterable[str]],
    referential: RomeReferential,
) -> list[Finding]:
    """A note for each appellation of a job (code → title, in order) that the ROME files
    only under codes the job does not carry (a sheet and its sub-sheets count as one).
    The matcher proposes, through the ROME, that code's jobs for titles near it: the
    correspondence or the appellation is for a national administrator to judge
    ("Assistant communication": a specialised assistant here, a public-relations
    occupation in the ROME)."""
    filed: dict[str, set[str]] = {}
    for code, form in referential.all_appellations():
        filed.setdefault(" ".join(title_words(form)), set()).add(code)

    def sheets(codes: Iterable[str]) -> set[str]:
        return {referential.parent(code) for code in codes if code in referential}

    findings = []
    for job, title in titles.items():
        carried = sheets(rome_codes.get(job, ()))
        for appellation in appellations.get(job, ()):
            codes = filed.get(" ".join(title_words(appellation)), set())
            if not codes or not carried or sheets(codes) & carried:
                continue
            named = ", ".join(f"{code} {referential.title(code)}" for code in sorted(codes))
            findings.append(
                Finding(
                    INFO,
                    APPELLATION_FILED_ELSEWHERE,
                    f"Appellation « {appellation} » de « {title} » : le ROME la classe sous "
                    f"{named}, code que l'emploi ne porte pas",
                    details={
                        "job": job,
                        "job_title": title,
                        "appellation": appellation,
                        "rome": sorted(codes),
                    },
                )
            )
    return findings


# --- the directive's factors ------------------------------------------------------------

DIRECTIVE = "directive (UE) 2023/970, art. 4(4)"


def factor_findings(criteria: Iterable[CriterionLike] | GridCoverage) -> list[Finding]:
    """One note per factor of the directive (skills, effort, responsibility, working
    conditions): the criteria whose label or description speak of it, with the words
    that do, or that none does. Stated, not judged: a factor no criterion names may
    still be weighed by one, and a word found does not make a grid neutral."""
    coverage = criteria if isinstance(criteria, GridCoverage) else factor_coverage(criteria)
    findings = []
    for factor in coverage.as_dict()["factors"]:
        if factor["covered"]:
            named = " ; ".join(
                f"{criterion['label']} (« {' », « '.join(criterion['words'])} »)"
                for criterion in factor["criteria"]
            )
            message = f"Facteur « {factor['label']} » ({DIRECTIVE}) : cité par {named}"
        else:
            message = (
                f"Facteur « {factor['label']} » ({DIRECTIVE}) : aucun critère n'en parle "
                "dans son intitulé ni dans sa description"
            )
        findings.append(
            Finding(
                INFO,
                FACTOR_COVERAGE,
                message,
                details={
                    "factor": factor["factor"],
                    "label": factor["label"],
                    "covered": factor["covered"],
                    "criteria": factor["criteria"],
                },
            )
        )
    return findings
