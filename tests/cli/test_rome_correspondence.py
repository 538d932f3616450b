"""`repertoire rome diff`, `apply`, `applications` and `undo`: a draft's ROME codes against
the correspondence shipped in the package, brought in line with it, and put back. Differences are made
with ``set_job_rome_codes``; the command acts as a national administrator."""

from __future__ import annotations

import json

import pytest

from repertoire.audit.models import JournalEntry
from repertoire.bundled import ROME_CORRESPONDENCE, rome_correspondence
from repertoire.catalog import selectors, services
from repertoire.core.rome import PRIMARY, load_rome
from tests.accounts.conftest import network  # noqa: F401  shared fixture
from tests.command_line import flat, run

pytestmark = pytest.mark.django_db


@pytest.fixture
def drifted(network, edition):  # noqa: F811
    """A draft whose first two jobs with several codes had them changed by hand: the
    first lost its secondary codes, the second has a secondary code as its primary one."""
    draft = services.copy_edition(network.national, edition, label="brouillon-rome")
    several = {link.job_code for link in rome_correspondence() if link.role != PRIMARY}
    lost, swapped = [job for job in draft.jobs.order_by("position") if job.code in several][:2]
    services.set_job_rome_codes(network.national, lost, primary=_primary(lost))
    primary = _primary(swapped)
    other = swapped.rome_codes.exclude(role=PRIMARY).values_list("rome_code", flat=True)[0]
    services.set_job_rome_codes(network.national, swapped, primary=other, secondary=[primary])
    return draft, lost, swapped


def _primary(job) -> str:
    return job.rome_codes.get(role=PRIMARY).rome_code


def _shipped(job) -> list[tuple[str, str]]:
    return sorted(
        (link.rome_code, link.role) for link in rome_correspondence() if link.job_code == job.code
    )


def _codes(job) -> list[tuple[str, str]]:
    return sorted(job.rome_codes.values_list("rome_code", "role"))


def test_rome_diff_prints_the_differing_jobs_and_the_counts(drifted):
    draft, lost, swapped = drifted
    result = run("rome", "diff", "--edition", draft.label)
    assert result.exit_code == 0, result.output
    text = flat(result.stdout)
    assert lost.code in text and swapped.code in text
    assert "principal" in text and "* code principal" in text
    assert (
        f"2 emploi(s) aux codes différents de la correspondance livrée, {draft.jobs.count() - 2} identique(s)."
        in text
    )
    # Nothing was written.
    assert _codes(lost) != _shipped(lost)


def test_rome_diff_json_says_what_is_added_dropped_and_the_primary_change(drifted):
    draft, lost, swapped = drifted
    result = run("rome", "diff", "--edition", draft.label, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["edition"] == draft.label and data["source"] == ROME_CORRESPONDENCE
    assert data["unchanged"] == draft.jobs.count() - 2 and data["unknown"] == []
    changes = {change["code"]: change for change in data["changes"]}
    assert list(changes) == [lost.code, swapped.code]
    assert changes[lost.code]["title"] == lost.title
    assert (
        changes[lost.code]["added"] == [code for code, role in _shipped(lost) if role != PRIMARY]
        and changes[lost.code]["dropped"] == []
    )
    assert not changes[lost.code]["primary_changed"]
    moved = changes[swapped.code]
    assert moved["primary_changed"] and moved["added"] == moved["dropped"] == []
    assert moved["primary_after"] == next(c for c, role in _shipped(swapped) if role == PRIMARY)
    assert moved["current"][0] == {
        "code": moved["primary_before"],
        "title": load_rome().title(moved["primary_before"]),
        "role": PRIMARY,
        "primary": True,
    }
    assert moved["seen"] == selectors.seen_codes(swapped)


def test_rome_diff_of_an_edition_in_line_says_so(edition):
    result = run("rome", "diff")
    assert result.exit_code == 0, result.output
    assert (
        f"0 emploi(s) aux codes différents de la correspondance livrée, {edition.jobs.count()} identique(s)."
        in flat(result.stdout)
    )


def test_rome_apply_with_a_job_changes_that_job_only(drifted):
    draft, lost, swapped = drifted
    result = run("rome", "apply", "--edition", draft.label, "--job", lost.code)
    assert result.exit_code == 0, result.output
    assert f"Édition {draft.label} : 1 emploi(s) changé(s)" in flat(result.stdout)
    assert _codes(lost) == _shipped(lost)
    assert _codes(swapped) != _shipped(swapped)
    entry = JournalEntry.objects.get(action="job.rome", after__source=ROME_CORRESPONDENCE)
    assert entry.object_id == str(lost.pk) and entry.actor.startswith("cli")


def test_rome_apply_without_a_job_changes_every_differing_one(drifted):
    draft, lost, swapped = drifted
    result = run("rome", "apply", "--edition", draft.label)
    assert result.exit_code == 0, result.output
    assert "2 emploi(s) changé(s)" in flat(result.stdout)
    assert _codes(lost) == _shipped(lost) and _codes(swapped) == _shipped(swapped)
    assert not selectors.correspondence_diff(draft).changes


def test_rome_apply_on_a_published_edition_or_an_unknown_job_exits_2(drifted):
    draft, lost, _swapped = drifted
    published = run("rome", "apply", "--edition", draft.based_on.label)
    assert published.exit_code == 2
    assert "publiée" in published.stderr
    unknown = run("rome", "apply", "--edition", draft.label, "--job", "pas-un-emploi")
    assert unknown.exit_code == 2
    assert "pas-un-emploi" in unknown.stderr
    assert _codes(lost) != _shipped(lost)
    assert not JournalEntry.objects.filter(after__source=ROME_CORRESPONDENCE).exists()


def test_rome_undo_puts_back_the_codes_of_the_last_application(drifted):
    draft, lost, swapped = drifted
    before = {job.code: _codes(job) for job in (lost, swapped)}
    assert run("rome", "undo", "--edition", draft.label).exit_code == 2  # nothing applied yet
    assert run("rome", "apply", "--edition", draft.label).exit_code == 0
    result = run("rome", "undo", "--edition", draft.label)
    assert result.exit_code == 0, result.output
    assert "2 emploi(s) ont retrouvé leurs codes ROME d'avant" in flat(result.output)
    assert {job.code: _codes(job) for job in (lost, swapped)} == before
    # Undone once: nothing left to undo.
    again = run("rome", "undo", "--edition", draft.label)
    assert again.exit_code == 2 and "aucune mise en conformité à annuler" in flat(again.output)


def test_rome_applications_lists_them_and_undo_takes_an_earlier_one(drifted):
    draft, lost, swapped = drifted
    before = _codes(lost)
    assert run("rome", "apply", "--edition", draft.label, "--job", lost.code).exit_code == 0
    assert run("rome", "apply", "--edition", draft.label, "--job", swapped.code).exit_code == 0
    listed = run("rome", "applications", "--edition", draft.label)
    assert listed.exit_code == 0, listed.output
    keys = [line.split()[0] for line in listed.stdout.splitlines() if line.strip()]
    assert keys == [a.key for a in selectors.rome_applications(draft)] and len(keys) == 2
    result = run("rome", "undo", "--edition", draft.label, "--application", keys[1])
    assert result.exit_code == 0, result.output
    assert "1 emploi(s) ont retrouvé leurs codes ROME d'avant" in flat(result.output)
    assert _codes(lost) == before and _codes(swapped) == _shipped(swapped)
    # Undone already: a conflict, nothing written.
    again = run("rome", "undo", "--edition", draft.label, "--application", keys[1])
    assert again.exit_code != 0 and "déjà été annulée" in flat(again.output)
