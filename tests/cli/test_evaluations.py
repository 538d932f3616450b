"""`repertoire weigh` and `repertoire evaluations …`, run in-process on the test database.

The command acts as a national administrator (``CommandLineOperator``). Bad input exits
with status 2, names the field and writes nothing. Criteria and jobs come from the edition.
"""

from __future__ import annotations

import json

import pytest

from repertoire.audit.models import JournalEntry
from repertoire.catalog import selectors as catalog
from repertoire.core.grid import MAX_DEGREE
from repertoire.evaluation import services
from repertoire.evaluation.models import EvaluationEvent, JobEvaluation
from tests.accounts.conftest import network  # noqa: F401  shared fixture
from tests.command_line import run

pytestmark = pytest.mark.django_db

LOCAL_TITLE = "Chargé(e) de veille économique"


def codes_of(edition) -> list[str]:
    return [criterion.code for criterion in catalog.criteria_of(edition)]


def values_of(edition) -> list[int]:
    return [4, 4, 3, 4, 3, 4, 3, 4][: len(codes_of(edition))]


def degrees_text(values) -> str:
    return ",".join(str(value) for value in values)


def justification_options(edition) -> list[str]:
    options = []
    for code in codes_of(edition):
        options += ["--justification", f"{code}=Pourquoi ce degré ({code})"]
    return options


def nothing_written() -> bool:
    return not (
        JobEvaluation.objects.exists()
        or EvaluationEvent.objects.exists()
        or JournalEntry.objects.filter(action__startswith="evaluation.").exists()
    )


@pytest.fixture
def places(edition, network):  # noqa: F811
    return network


def create(edition, *extra):
    return run(
        "evaluations",
        "create",
        "--establishment",
        "CCI-NORD",
        "--title",
        LOCAL_TITLE,
        "--degrees",
        degrees_text(values_of(edition)),
        *extra,
    )


def only_evaluation() -> JobEvaluation:
    return JobEvaluation.objects.get()


# --- weigh ----------------------------------------------------------------------------


def test_evaluate_prints_the_level_explanation_and_nearest_jobs(edition):
    values = values_of(edition)
    expected = catalog.grid_of(edition).classify(values)
    result = run("weigh", "--degrees", degrees_text(values))
    assert result.exit_code == 0, result.output
    assert f"Niveau {expected.roman}" in result.stdout
    assert expected.explanation in result.stdout.replace("\n", " ")
    assert "par le profil" in result.stdout
    data = json.loads(run("weigh", "--degrees", degrees_text(values), "--json").stdout)
    assert (data["level"], data["roman"], data["rule"], data["explanation"]) == (
        expected.level,
        expected.roman,
        expected.rule,
        expected.explanation,
    )
    assert data["degrees"] == dict(zip(codes_of(edition), values, strict=True))
    assert len(data["by_profile"]) == 5 and data["by_text"] == []
    assert data["same_job"] is None and data["same_job_statement"] == ""
    assert nothing_written()


def test_evaluate_a_reference_job_says_it_is_that_job(edition):
    job = catalog.jobs_of(edition).first()
    values = catalog.degrees_of(job)
    missions = " ".join(item["text"] for item in job.missions)
    args = ["weigh", "--degrees", degrees_text(values), "--title", job.title]
    data = json.loads(
        run(*args, "--missions", missions, "--edition", edition.label, "--json").stdout
    )
    assert data["level"] == job.level.number
    assert data["by_text"][0]["code"] == job.code
    assert data["same_job"]["code"] == job.code and job.title in data["same_job_statement"]
    text = run(*args, "--missions", missions).stdout
    assert "positionnez" in text.replace("\n", " ")


def test_evaluate_warns_on_an_unbalanced_profile(edition):
    count = len(codes_of(edition))
    values = [3] * (count - 2) + [MAX_DEGREE, MAX_DEGREE]
    expected = catalog.grid_of(edition).classify(values)
    data = json.loads(run("weigh", "--degrees", degrees_text(values), "--json").stdout)
    assert data["warnings"] == [{"code": n.code, "message": n.message} for n in expected.warnings]
    assert "Attention" in run("weigh", "--degrees", degrees_text(values)).stdout


@pytest.mark.parametrize("degrees", ["4,4,3", "4,4,3,4,9", "a,b,c,d,e", "4,4,3,4,0", ""])
def test_evaluate_refuses_bad_degrees(edition, degrees):
    result = run("weigh", "--degrees", degrees)
    assert result.exit_code == 2
    assert "--degrees" in result.stderr


def test_evaluate_names_the_criterion_out_of_scale(edition):
    values = values_of(edition)
    values[2] = MAX_DEGREE + 1
    result = run("weigh", "--degrees", degrees_text(values))
    assert result.exit_code == 2
    assert catalog.criteria_of(edition)[2].label in result.stderr


def test_evaluate_with_an_unknown_edition_exits_2(edition):
    result = run("weigh", "--degrees", degrees_text(values_of(edition)), "--edition", "1999")
    assert result.exit_code == 2


# --- create ---------------------------------------------------------------------------


def test_create_a_draft(places, edition):
    result = create(edition, "--missions", "Suivre les filières")
    assert result.exit_code == 0, result.output
    evaluation = only_evaluation()
    assert f"n° {evaluation.pk}" in result.stdout and "brouillon" in result.stdout
    assert evaluation.establishment == places.north and evaluation.status == "draft"
    assert evaluation.degrees == dict(zip(codes_of(edition), values_of(edition), strict=True))
    assert evaluation.missions == "Suivre les filières"
    assert evaluation.level == catalog.grid_of(edition).classify(values_of(edition)).level
    assert evaluation.created_by.startswith("cli")
    entry = JournalEntry.objects.get(action="evaluation.create")
    assert entry.actor == evaluation.created_by


def test_create_and_submit_at_once(places, edition):
    result = create(edition, *justification_options(edition), "--submit")
    assert result.exit_code == 0, result.output
    evaluation = only_evaluation()
    assert evaluation.status == "submitted" and "soumise" in result.stdout
    assert evaluation.justifications == {
        code: f"Pourquoi ce degré ({code})" for code in codes_of(edition)
    }
    assert [e.action for e in evaluation.events.order_by("pk")] == ["create", "submit"]


def test_submit_without_justifications_writes_nothing(places, edition):
    codes = codes_of(edition)
    first = ["--justification", f"{codes[0]}=Diplôme"]
    result = create(edition, *first, "--submit")
    assert result.exit_code == 2
    labels = [c.label for c in catalog.criteria_of(edition)]
    assert labels[1] in result.stderr and "rien n'a été écrit" in result.stderr
    assert nothing_written()


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        (["--justification", "sans-egal"], "--justification"),
        (["--justification", "inconnu=texte"], "--justification"),
        (["--degrees", "4,4"], "--degrees"),
        (["--degrees", "4,4,3,4,12"], "--degrees"),
        (["--title", "   "], "--title"),
    ],
)
def test_create_refuses_bad_input_naming_the_field(places, edition, extra, named):
    result = create(edition, *extra)
    assert result.exit_code == 2
    assert named in result.stderr
    assert nothing_written()


def test_create_in_an_unknown_establishment_exits_2(places, edition):
    result = run(
        "evaluations",
        "create",
        "--establishment",
        "CCI-NULLE",
        "--title",
        LOCAL_TITLE,
        "--degrees",
        degrees_text(values_of(edition)),
    )
    assert result.exit_code == 2 and "--establishment" in result.stderr
    assert nothing_written()


# --- list and show --------------------------------------------------------------------


def test_list_the_network_or_one_establishment(places, edition):
    degrees = dict(zip(codes_of(edition), values_of(edition), strict=True))
    north = services.create_evaluation(
        places.hr_north, places.north, title=LOCAL_TITLE, degrees=degrees
    )
    south = services.create_evaluation(
        places.hr_south, places.south, title="Chargé(e) des salons", degrees=degrees
    )
    services.update_evaluation(
        places.hr_south, south, justifications={code: "vu" for code in codes_of(edition)}
    )
    services.submit(places.hr_south, south)
    lines = run("evaluations", "list", "--json").stdout.splitlines()
    rows = [json.loads(line) for line in lines]
    assert {(row["id"], row["establishment"], row["status"]) for row in rows} == {
        (north.pk, "CCI-NORD", "draft"),
        (south.pk, "CCI-SUD", "submitted"),
    }
    only_north = run("evaluations", "list", "--establishment", "CCI-NORD", "--json").stdout
    assert [json.loads(line)["id"] for line in only_north.splitlines()] == [north.pk]
    submitted = run("evaluations", "list", "--status", "submitted", "--json").stdout
    assert [json.loads(line)["id"] for line in submitted.splitlines()] == [south.pk]
    table = run("evaluations", "list").stdout
    assert "2 pesée(s)" in table and "CCI-SUD" in table
    assert run("evaluations", "list", "--establishment", "CCI-NULLE").exit_code == 2
    assert run("evaluations", "list", "--status", "perdue").exit_code == 2

    shown = json.loads(run("evaluations", "show", south.pk, "--json").stdout)
    assert shown["id"] == south.pk
    assert [e["action"] for e in shown["history"]] == ["create", "edit", "submit"]
    assert "Historique" in run("evaluations", "show", south.pk).stdout
    assert run("evaluations", "show", 999_999).exit_code == 2


# --- the review -----------------------------------------------------------------------


def test_submit_validate_revise_by_id(places, edition):
    create(edition, *justification_options(edition))
    evaluation = only_evaluation()
    pk = evaluation.pk
    assert run("evaluations", "validate", pk).exit_code == 2  # a draft is not validated
    result = run("evaluations", "submit", pk, "--comment", "Pour revue")
    assert result.exit_code == 0, result.output
    assert "soumise" in result.stdout
    result = run("evaluations", "validate", pk)
    assert result.exit_code == 0 and "validée" in result.stdout
    evaluation.refresh_from_db()
    assert evaluation.status == "validated" and evaluation.decided_by.startswith("cli")
    result = run("evaluations", "revise", pk)
    assert result.exit_code == 0, result.output
    revision = JobEvaluation.objects.get(revision_of=evaluation)
    assert revision.number == 2 and revision.status == "draft"
    assert f"n° {revision.pk}" in result.stdout
    assert run("evaluations", "revise", pk).exit_code == 2  # already revised
    assert [e.action for e in evaluation.events.order_by("pk")] == [
        "create",
        "submit",
        "validate",
    ]


def test_return_needs_a_comment(places, edition):
    create(edition, *justification_options(edition), "--submit")
    evaluation = only_evaluation()
    assert run("evaluations", "return", evaluation.pk).exit_code == 2  # --comment missing
    result = run("evaluations", "return", evaluation.pk, "--comment", "  ")
    assert result.exit_code == 2 and "--comment" in result.stderr
    evaluation.refresh_from_db()
    assert evaluation.status == "submitted"
    result = run("evaluations", "return", evaluation.pk, "--comment", "Degré trop haut")
    assert result.exit_code == 0 and "renvoyée" in result.stdout
    evaluation.refresh_from_db()
    assert evaluation.status == "returned"
    assert evaluation.events.order_by("-pk").first().note == "Degré trop haut"
    result = run("evaluations", "comment", evaluation.pk, "Revu au téléphone")
    assert result.exit_code == 0
    assert evaluation.events.order_by("-pk").first().note == "Revu au téléphone"


def test_unknown_ids_exit_2(places, edition):
    for command in ("submit", "validate", "revise"):
        result = run("evaluations", command, 999_999)
        assert result.exit_code == 2 and "999999" in result.stderr
    assert run("evaluations", "submit", 0).exit_code == 2


def test_pdf_of_the_evaluation_sheet(places, edition, tmp_path):
    create(edition, *justification_options(edition))
    evaluation = only_evaluation()
    path = tmp_path / "pesee.pdf"
    result = run("evaluations", "pdf", evaluation.pk, "-o", path)
    assert result.exit_code == 0, result.output
    assert path.read_bytes().startswith(b"%PDF")
    assert run("evaluations", "pdf", 999_999, "-o", tmp_path / "x.pdf").exit_code == 2
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize("command", ["weigh", "evaluations"])
def test_help(command):
    result = run(command, "--help")
    assert result.exit_code == 0 and "Usage" in result.output
