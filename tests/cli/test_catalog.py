"""`repertoire import`, `export`, `check`, `classify`, `match` and `appellations …`, run
in-process against the test database."""

import csv
import io
import json

import pytest

from repertoire.catalog.models import Edition, ReferenceJob
from repertoire.cli import app
from repertoire.core.document_reader import parse_document
from tests.command_line import run, runner

pytestmark = pytest.mark.django_db


def corrupt(source_text: str, needle: str, replacement: str, occurrence: int = 0):
    """The document with one line changed; returns the text and the changed line number."""
    lines = source_text.split("\n")
    indexes = [i for i, line in enumerate(lines) if line == needle]
    index = indexes[occurrence]
    lines[index] = replacement
    return "\n".join(lines), index + 1


def test_export_json_on_a_fresh_database_gives_the_51_jobs(db, document):
    result = run("export", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["edition"] == {
        "label": "2014-11-18",
        "title": document.title,
        "date": "2014-11-18",
        "status": "provisoire",
        "level_rule": "total_points",
        "notes": list(document.notes),
        "missing_jobs": list(document.missing_jobs),
    }
    assert [c["code"] for c in data["criteria"]] == [
        "connaissances",
        "latitude_action",
        "complexite",
        "relations",
        "responsabilites",
    ]
    assert len(data["jobs"]) == 51
    for job, sheet in zip(data["jobs"], document.jobs, strict=True):
        assert job["code"] == sheet.code and job["title"] == sheet.title
        assert job["level"] == sheet.level
        assert list(job["degrees"].values()) == list(sheet.degrees)
        assert job["missions"] and job["requirements"]
    assert [level["number"] for level in data["levels"]] == list(range(1, 9))


def test_export_csv_has_one_row_per_job(db, document):
    result = run("export", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout), delimiter=";"))
    assert len(rows) == len(document.jobs)
    assert [int(row["niveau"]) for row in rows] == [job.level for job in document.jobs]
    assert [int(row["complexite"]) for row in rows] == [job.degrees[2] for job in document.jobs]


def test_export_csv_file_opens_in_excel(db, tmp_path):
    target = tmp_path / "emplois.csv"
    assert run("export", "--format", "csv", "-o", target).exit_code == 0
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")


def test_export_text_round_trip(db, document, tmp_path):
    target = tmp_path / "repertoire.txt"
    assert run("export", "--format", "text", "-o", target).exit_code == 0
    assert parse_document(target.read_text(encoding="utf-8")) == document
    result = run("import", target, "--label", "relu")
    assert result.exit_code == 0, result.output
    again = json.loads(run("export", "--format", "json", "--edition", "relu").stdout)
    first = json.loads(run("export", "--format", "json").stdout)
    first["edition"].pop("label"), again["edition"].pop("label")
    assert again == first


def test_import_writes_a_new_edition(db, source_text, tmp_path):
    path = tmp_path / "doc.txt"
    path.write_bytes(source_text.encode("cp1252"))
    result = run("import", path, "--label", "copie", "--rule", "median")
    assert result.exit_code == 0, result.output
    assert "51 emplois" in result.stdout
    assert Edition.objects.get(label="copie").level_rule == "median"


def test_a_later_import_is_a_draft_to_compare_and_publish(db, source_text, tmp_path):
    assert run("export").exit_code == 0  # loads the bundled edition, in force
    path = tmp_path / "doc.txt"
    path.write_bytes(source_text.encode("cp1252"))
    result = run("import", path, "--label", "suivante")
    assert result.exit_code == 0, result.output
    assert "repertoire editions publish suivante" in result.stdout
    draft = Edition.objects.get(label="suivante")
    assert not draft.is_frozen and not draft.is_current


@pytest.mark.parametrize(
    ("problem", "make"),
    [
        ("degree 9", lambda t: corrupt(t, "\t1\t2\t1\t2\t1", "\t1\t2\t9\t2\t1")),
        ("degree 0", lambda t: corrupt(t, "\t1\t2\t1\t2\t1", "\t1\t2\t0\t2\t1")),
        ("short row", lambda t: corrupt(t, "\t1\t2\t1\t2\t1", "\t1\t2\t1\t2")),
        ("level IX", lambda t: corrupt(t, "Classification niveau I", "Classification niveau IX")),
    ],
)
def test_a_corrupted_document_is_refused_with_its_line(db, source_text, tmp_path, problem, make):
    assert run("export").exit_code == 0  # loads the bundled edition
    jobs_before = ReferenceJob.objects.count()
    text, line = make(source_text)
    path = tmp_path / "corrupted.txt"
    path.write_text(text, encoding="utf-8")
    result = run("import", path, "--label", "corrompue")
    assert result.exit_code == 2
    assert f"line {line}: " in result.stderr
    assert "rien n'a été écrit" in result.stderr
    assert Edition.objects.count() == 1
    assert ReferenceJob.objects.count() == jobs_before


def test_every_problem_is_reported_at_once(db, source_text, tmp_path):
    text, first = corrupt(source_text, "\t1\t2\t1\t2\t1", "\t1\t2\t1\t2\t12")
    text, second = corrupt(text, "Classification niveau V", "Classification niveau XI")
    path = tmp_path / "corrupted.txt"
    path.write_text(text, encoding="utf-8")
    result = run("import", path)
    assert result.exit_code == 2
    assert f"line {first}: " in result.stderr and f"line {second}: " in result.stderr
    assert not Edition.objects.exists()


def test_import_of_a_missing_file_exits_2(db, tmp_path):
    result = run("import", tmp_path / "absent.txt")
    assert result.exit_code == 2
    assert "impossible" in result.stderr


def test_import_with_an_unknown_rule_exits_2(db, source_text, tmp_path):
    path = tmp_path / "doc.txt"
    path.write_text(source_text, encoding="utf-8")
    result = run("import", path, "--rule", "astrology")
    assert result.exit_code == 2
    assert not Edition.objects.exists()


def test_check_reports_copy_errors_and_missing_jobs(db, document):
    result = run("check", "--json")
    assert result.exit_code == 0
    findings = [json.loads(line) for line in result.stdout.splitlines()]
    by_code = {}
    for finding in findings:
        by_code.setdefault(finding["code"], []).append(finding["message"])
    definitions = document.level_definitions()
    copied = [j.title for j in document.jobs if definitions.home[j.level_text] != j.level]
    assert len(by_code["level_definition_copy"]) == len(copied) > 0
    for title, message in zip(copied, by_code["level_definition_copy"], strict=True):
        assert title in message
    assert len(by_code["job_announced_missing"]) == len(document.missing_jobs) == 3
    without_page = [e.title for e in document.sommaire if e.page is None]
    assert len(by_code["sommaire_page_missing"]) == len(without_page) > 0
    # Every finding of the 2014 edition is a warning; the directive's factors and the
    # appellations the ROME files elsewhere are notes.
    notes = {"factor_coverage", "rome_appellation_elsewhere"}
    assert all(f["severity"] == "warning" for f in findings if f["code"] not in notes)
    assert [f["severity"] for f in findings if f["code"] == "factor_coverage"] == ["info"] * 4
    assert {f["severity"] for f in findings if f["code"] == "rome_appellation_elsewhere"} == {
        "info"
    }


def test_check_table_output(db):
    result = run("check")
    assert result.exit_code == 0
    assert "0 erreur(s)" in result.stdout


def test_check_shows_which_directive_factors_the_criteria_cite(db, edition):
    """Skills and responsibility are cited by the 2014 criteria, with the words found;
    effort and working conditions by none: shown as notes, the exit code unchanged."""
    result = run("check", "--json")
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    factors = {f["factor"]: f for f in lines if f["code"] == "factor_coverage"}
    assert list(factors) == ["skills", "effort", "responsibility", "working_conditions"]
    assert [f for f, data in factors.items() if not data["covered"]] == [
        "effort",
        "working_conditions",
    ]
    skills = factors["skills"]["criteria"]
    assert [c["code"] for c in skills] == ["connaissances"]
    assert {"savoir-faire", "expérience", "formation"} <= set(skills[0]["words"])
    responsibility = {c["code"]: c["words"] for c in factors["responsibility"]["criteria"]}
    assert responsibility == {
        "latitude_action": ["autonomie"],
        "responsabilites": ["Responsabilités", "décisions"],
    }
    assert factors["effort"]["criteria"] == []
    assert "aucun critère" in factors["effort"]["message"]
    assert "Latitude d'action (« autonomie »)" in factors["responsibility"]["message"]

    table = run("check", "--edition", edition.label)
    assert table.exit_code == 0
    text = " ".join(table.stdout.split())
    assert "Facteurs de la directive (UE) 2023/970" in text
    assert "Aucun critère ne cite, dans son intitulé ou sa description : Efforts, " in text
    assert "Conditions de travail" in text


def test_check_of_a_file_reads_the_factors_with_the_descriptions_an_import_gives(
    db, source_text, tmp_path
):
    path = tmp_path / "doc.txt"
    path.write_text(source_text, encoding="utf-8")
    result = run("check", path, "--json")
    factors = [json.loads(line) for line in result.stdout.splitlines()]
    uncovered = [
        f["factor"] for f in factors if f["code"] == "factor_coverage" and not f["covered"]
    ]
    assert uncovered == ["effort", "working_conditions"]


def test_check_of_a_file_exits_1_on_errors(db, source_text, tmp_path, document):
    # The sommaire places the first job at another level than its sheet: an error.
    entry = document.sommaire[0]
    text = source_text.replace("Niveau I :", "Niveau II :", 1)
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    result = run("check", path, "--json")
    assert result.exit_code == 1
    errors = [json.loads(line) for line in result.stdout.splitlines()]
    errors = [f for f in errors if f["severity"] == "error"]
    assert errors and all(f["code"] == "sommaire_level_mismatch" for f in errors)
    assert any(entry.title in f["message"] and f["line"] == entry.line for f in errors)


def test_classify_prints_level_rule_explanation(db, document):
    grid = document.grid("total_points")
    expected = grid.classify((4, 4, 3, 4, 3))
    result = run("classify", "--degrees", "4,4,3,4,3")
    assert result.exit_code == 0
    assert f"Niveau {expected.roman}" in result.stdout
    assert expected.explanation in result.stdout.replace("\n", " ")
    data = json.loads(run("classify", "--degrees", "3,3,3,8,8", "--json").stdout)
    assert data["level"] == 5 and data["rule"] == "total_points"
    assert {w["code"] for w in data["warnings"]} == {"rules_disagree", "unbalanced_profile"}


@pytest.mark.parametrize("degrees", ["4,4,3", "4,4,3,4,9", "a,b,c,d,e", "4,4,3,4,0"])
def test_classify_refuses_bad_degrees(db, degrees):
    result = run("classify", "--degrees", degrees)
    assert result.exit_code == 2
    assert "Erreur" in result.stderr


def test_match_reads_an_excel_csv_and_prints_top_k(db, tmp_path):
    path = tmp_path / "intitules.csv"
    path.write_bytes(
        "Intitulé du poste;Service\r\nGEST. PAIE;RH\r\nAide-comptable;Comptabilité\r\n".encode(
            "cp1252"
        )
    )
    result = run("match", "--input", path, "--top", "2")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout), delimiter=";"))
    assert rows[0][:3] == ["intitule", "service", "code_1"]
    assert [row[0] for row in rows[1:]] == ["GEST. PAIE", "Aide-comptable"]
    assert rows[1][2] == "technicien-paye"


def test_match_json_one_object_per_row(db, monkeypatch):
    result = runner.invoke(
        app, ["match", "--json", "--top", "3"], input="Tech. informatique\n\nJuriste\n"
    )
    assert result.exit_code == 0, result.output
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["intitule"] for o in objects] == ["Tech. informatique", "Juriste"]
    for o in objects:
        assert len(o["candidates"]) == 3
        assert {"code", "title", "score"} <= set(o["candidates"][0])
        # Each candidate is the one dict every interface gives (Candidate.as_proposal).
        assert {"level", "matched", "reason"} <= set(o["candidates"][0])
    assert objects[1]["candidates"][0]["code"] == "juriste"


def test_match_without_an_intitule_column_exits_2(db, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("nom;service\nDupont;RH\n", encoding="utf-8")
    result = run("match", "--input", path)
    assert result.exit_code == 2
    assert "line 1" in result.stderr


def test_appellations_export_import_round_trip(db, tmp_path):
    target = tmp_path / "appellations.csv"
    assert run("appellations", "export", "-o", target).exit_code == 0
    content = target.read_text(encoding="utf-8-sig")
    assert content.startswith("code;emploi;appellation;source")
    result = run("appellations", "import", target)
    assert result.exit_code == 0, result.output
    assert "0 appellation(s) ajoutée(s)" in result.stdout
    reindexed = run("appellations", "reindex")
    assert reindexed.exit_code == 0 and "51 emplois" in reindexed.stdout


def test_appellations_import_refuses_unknown_jobs(db, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("code,appellation\ninconnu,Quelque chose\n", encoding="utf-8")
    result = run("appellations", "import", path)
    assert result.exit_code == 2
    assert "line 2: " in result.stderr


@pytest.mark.parametrize("format", ["xlsx", "docx", "html"])
def test_export_office_formats_to_a_file(db, document, tmp_path, format):
    path = tmp_path / f"edition.{format}"
    result = run("export", "--format", format, "-o", path)
    assert result.exit_code == 0, result.output
    content = path.read_bytes()
    if format == "html":
        assert all(job.title.replace("'", "&#x27;") in content.decode() for job in document.jobs)
    else:
        assert content[:2] == b"PK"  # Office files are zip containers


def test_export_pdf_to_a_file(db, document, tmp_path):
    path = tmp_path / "edition.pdf"
    result = run("export", "--format", "pdf", "-o", path)
    assert result.exit_code == 0, result.output
    assert path.read_bytes().startswith(b"%PDF")


def test_match_for_an_establishment_uses_its_learnt_appellations_too(edition):
    """`--establishment CODE`: the network's appellations and the establishment's own;
    without it, the network's alone (another establishment's learning changes nothing)."""
    from repertoire.catalog import selectors, services
    from repertoire.organisation.models import Establishment

    assert run("establishments", "create", "CCI-NORD", "CCI Nord").exit_code == 0
    assert run("establishments", "create", "CCI-SUD", "CCI Sud").exit_code == 0
    edition = selectors.get_edition()
    job = selectors.jobs_of(edition).last()
    title = "Gestionnaire des écritures portuaires"  # invented: no appellation says it
    services.learn_appellation(
        job, title, Establishment.objects.get(code="CCI-NORD"), author="rh-nord"
    )

    def first(*options):
        result = runner.invoke(app, ["match", "--json", "--top", "1", *options], input=title)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)["candidates"][0]

    north = first("--establishment", "CCI-NORD")
    assert (north["code"], north["score"]) == (job.code, 1.0)
    assert first()["score"] < 1.0
    assert first("--establishment", "CCI-SUD") == first()
    unknown = run("match", "--establishment", "CCI-NULLE-PART")
    assert unknown.exit_code == 2 and "CCI-NULLE-PART" in unknown.stderr
