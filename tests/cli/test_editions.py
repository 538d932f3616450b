"""`repertoire editions …`, `diff`, `impact` and `migrate`, run in-process on the test database.

The command acts as a national administrator (``CommandLineOperator``). Editions are made
through the services (``tests.edition_builder``); titles, texts and degrees come from the
loaded edition. Bad input exits with status 2 and a message.
"""

from __future__ import annotations

import io
import json

import pytest
from pypdf import PdfReader

from repertoire.catalog import selectors as catalog
from repertoire.catalog import services as editions
from repertoire.catalog.models import Edition
from repertoire.positioning.models import Positioning
from tests.accounts.conftest import network  # noqa: F401  shared fixture
from tests.command_line import flat, run
from tests.edition_builder import form, next_edition
from tests.positioning.decisions import decisions  # noqa: F401  shared fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def made(edition, network):  # noqa: F811
    return next_edition(network.national, edition)


@pytest.fixture
def official(decisions):  # noqa: F811
    """The next edition, published, changing the jobs of decided people of the north:
    Alice's job one level up, Chloé's renamed."""
    alice, chloe = decisions.alice.job.code, decisions.chloe.job.code
    assert alice != chloe
    return next_edition(
        decisions.network.national,
        decisions.alice.edition,
        raise_code=alice,
        rename_code=chloe,
    )


# --- editions -------------------------------------------------------------------------


def test_editions_copy_then_list_shows_the_draft(edition):
    result = run("editions", "copy", edition.label, "--label", "2015-brouillon")
    assert result.exit_code == 0, result.output
    assert "2015-brouillon" in result.stdout
    draft = Edition.objects.get(label="2015-brouillon")
    assert draft.based_on == edition and not draft.is_frozen
    listed = run("editions", "list", "--json")
    rows = {row["label"]: row for row in map(json.loads, listed.stdout.splitlines())}
    assert rows["2015-brouillon"]["based_on"] == edition.label
    assert rows["2015-brouillon"]["published_at"] is None
    assert rows["2015-brouillon"]["job_count"] == catalog.jobs_of(edition).count()
    assert rows[edition.label]["is_current"]
    table = flat(run("editions", "list").stdout)
    assert "brouillon" in table and "2015-brouillon" in table and "2 édition(s)" in table


def test_editions_copy_with_a_taken_label_or_an_unknown_source_exits_2(edition):
    taken = run("editions", "copy", edition.label, "--label", edition.label)
    assert taken.exit_code == 2
    assert "existe déjà" in taken.stderr
    unknown = run("editions", "copy", "pas-une-edition", "--label", "autre")
    assert unknown.exit_code == 2
    assert "aucune édition" in unknown.stderr
    assert Edition.objects.count() == 1


def test_editions_publish_makes_the_draft_current_then_frozen(edition, network):  # noqa: F811
    draft = next_edition(network.national, edition, publish=False).edition
    result = run("editions", "publish", draft.label)
    assert result.exit_code == 0, result.output
    draft.refresh_from_db()
    assert draft.is_current and draft.is_frozen
    again = run("editions", "publish", draft.label)
    assert again.exit_code == 2
    assert "copiez-la" in flat(again.stderr)


def test_editions_publish_is_refused_while_a_level_contradicts_the_rule(edition, network):  # noqa: F811
    national = network.national
    draft = editions.copy_edition(national, edition, label="2015-incoherente")
    job = catalog.jobs_of(draft).select_related("level").first()
    declared = job.level.number + 1 if job.level.number < 8 else job.level.number - 1
    editions.save_job(national, draft, job, **form(job), declared_level=declared)
    result = run("editions", "publish", draft.label)
    assert result.exit_code == 2
    assert "refusée" in result.stderr
    assert job.title in flat(result.stderr)
    draft.refresh_from_db()
    assert not draft.is_frozen and not draft.is_current


# --- diff -------------------------------------------------------------------------------


def test_diff_summary_names_every_kind_of_change(edition, made):
    result = run("diff", edition.label, made.edition.label)
    assert result.exit_code == 0, result.output
    text = flat(result.stdout)
    diff = catalog.edition_diff(edition, made.edition)
    before = {job.code: job for job in diff.before.jobs}
    assert made.new_title in text
    assert made.added_title in text
    assert before[made.retired].title in text
    assert before[made.raised].title in text  # its level change
    for heading in ("Emplois ajoutés", "Emplois retirés", "Emplois renommés", "Niveaux changés"):
        assert heading in text
    assert "textes changés" in text


def test_diff_json_is_the_diff_of_the_selectors(edition, made):
    result = run("diff", edition.label, made.edition.label, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    expected = catalog.edition_diff(edition, made.edition).to_dict()
    assert data == json.loads(json.dumps(expected))
    assert data["summary"]["renamed"] == 1 and data["summary"]["added"] == 1
    renamed = next(c for c in data["changed"] if c["renamed"])
    assert renamed["to"]["title"] == made.new_title
    # Unicode as is, not escaped.
    assert "\\u" not in result.stdout


def test_diff_pdf_writes_the_annex(edition, made, tmp_path):
    target = tmp_path / "annexe.pdf"
    result = run("diff", edition.label, made.edition.label, "--pdf", target)
    assert result.exit_code == 0, result.output
    reader = PdfReader(io.BytesIO(target.read_bytes()))
    text = flat(" ".join(page.extract_text() for page in reader.pages))
    assert "Annex" in text and made.new_title in text


def test_diff_of_an_unknown_edition_or_to_an_unwritable_file_exits_2(edition, tmp_path):
    result = run("diff", edition.label, "pas-une-edition")
    assert result.exit_code == 2
    assert "aucune édition « pas-une-edition »" in result.stderr
    target = tmp_path / "absent" / "annexe.pdf"
    unwritable = run("diff", edition.label, edition.label, "--pdf", target)
    assert unwritable.exit_code == 2
    assert "impossible" in unwritable.stderr and not target.exists()


# --- impact and migration ---------------------------------------------------------------


def test_impact_json_counts_per_establishment(decisions, official):  # noqa: F811
    old = decisions.alice.edition
    result = run("impact", old.label, official.edition.label, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["from"], data["to"]) == (old.label, official.edition.label)
    rows = {row["establishment"]: row for row in data["establishments"]}
    assert set(rows) == {"CCI-NORD", "CCI-SUD"}
    north = rows["CCI-NORD"]
    # Alice, Bruno, Chloé, Gaspard decided in the north; Denis only proposed.
    assert north["positioned"] == 4
    assert north["job_level_up"] >= 1 and north["renamed"] >= 1
    assert sum(north["by_level_before"].values()) == 4
    assert data["total"]["positioned"] == north["positioned"] + rows["CCI-SUD"]["positioned"]
    scoped = json.loads(
        run(
            "impact", old.label, official.edition.label, "--json", "--establishment", "CCI-NORD"
        ).stdout
    )
    assert [row["establishment"] for row in scoped["establishments"]] == ["CCI-NORD"]


def test_impact_table_and_bad_input(decisions, official):  # noqa: F811
    old = decisions.alice.edition
    result = run("impact", old.label, official.edition.label)
    assert result.exit_code == 0, result.output
    text = flat(result.stdout)
    assert "CCI-NORD" in text and "Effectifs par niveau" in text
    unknown = run("impact", old.label, official.edition.label, "--establishment", "CCI-NULLE")
    assert unknown.exit_code == 2
    assert "CCI-NULLE" in unknown.stderr
    assert run("impact", old.label, "pas-une-edition").exit_code == 2


def test_migrate_proposes_positionings_in_the_edition_in_force(decisions, official):  # noqa: F811
    old = decisions.alice.edition
    result = run("migrate", "--establishment", "CCI-NORD", "--from", old.label)
    assert result.exit_code == 0, result.output
    text = flat(result.stdout)
    assert "4 positionnement(s) repris" in text
    assert official.edition.label in text
    migrated = Positioning.objects.filter(
        edition=official.edition, establishment=decisions.network.north
    )
    assert migrated.filter(employee=decisions.alice.employee).get().status == (
        Positioning.Status.PROPOSED
    )
    # The old positionings stay as they were.
    assert decisions.refreshed().alice.status == Positioning.Status.CONFIRMED


def test_migrate_refuses_bad_input(decisions, official):  # noqa: F811
    old = decisions.alice.edition
    unknown = run("migrate", "--establishment", "CCI-NULLE", "--from", old.label)
    assert unknown.exit_code == 2 and "CCI-NULLE" in unknown.stderr
    same = run("migrate", "--establishment", "CCI-NORD", "--from", official.edition.label)
    assert same.exit_code == 2
    assert "antérieure" in flat(same.stderr)
    assert run("migrate", "--establishment", "CCI-NORD", "--from", "nulle").exit_code == 2
    assert not Positioning.objects.filter(edition=official.edition).exists()


def test_new_commands_have_help():
    for command in (
        ["editions", "list"],
        ["editions", "copy"],
        ["editions", "publish"],
        ["diff"],
        ["impact"],
        ["migrate"],
    ):
        result = run(*command, "--help")
        assert result.exit_code == 0 and "Usage" in result.output


def test_impact_without_decided_positionings_says_so(edition, made):
    result = run("impact", edition.label, made.edition.label)
    assert result.exit_code == 0, result.output
    assert "Aucun positionnement décidé" in flat(result.stdout)
    data = json.loads(run("impact", edition.label, made.edition.label, "--json").stdout)
    assert data["establishments"] == [] and data["total"]["positioned"] == 0


def test_editions_publish_carries_the_campaign_over(decisions):  # noqa: F811
    draft = editions.copy_edition(
        decisions.network.national, decisions.alice.edition, label="2015-report"
    )
    result = run("editions", "publish", draft.label)
    assert result.exit_code == 0, result.output
    # Nothing changed in the jobs: every decision is carried over as it was.
    assert "reportés tels quels : 5" in flat(result.output)
    carried = Positioning.objects.filter(edition=draft)
    assert carried.count() == Positioning.objects.filter(edition=decisions.alice.edition).count()
    assert carried.get(employee_id=decisions.alice.employee_id).status == "confirmed"


def test_editions_publish_is_refused_while_a_publication_from_the_page_waits(decisions):  # noqa: F811
    from repertoire.positioning.models import EditionPublication

    national = decisions.network.national
    asked = editions.copy_edition(national, decisions.alice.edition, label="2015-page")
    draft = editions.copy_edition(national, decisions.alice.edition, label="2015-commande")
    EditionPublication.objects.create(
        edition=asked, edition_status="official", status="pending", requested_by=national.username
    )
    result = run("editions", "publish", draft.label)
    assert result.exit_code == 2
    assert "une seule publication à la fois" in flat(result.output)
    assert not Edition.objects.get(pk=draft.pk).is_frozen
    assert not Positioning.objects.filter(edition=draft).exists()
