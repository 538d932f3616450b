"""The ROME codes of reference jobs: the bundled correspondence loaded with the 2014 edition,
carried by a draft, changed by national administrators on a draft only (journaled)."""

from __future__ import annotations

import pytest

from repertoire.audit.models import JournalEntry
from repertoire.bundled import rome_correspondence
from repertoire.catalog import selectors, services
from repertoire.catalog.models import JobRome
from repertoire.core.refusals import Conflict, NotAllowed, Refused
from repertoire.core.rome import PRIMARY, SECONDARY, load_rome

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(network, edition):
    return services.copy_edition(network.national, edition, label="brouillon-rome")


def _codes(job) -> list[tuple[str, str]]:
    return [(row.rome_code, row.role) for row in job.rome_codes.order_by("role", "rome_code")]


def _other_codes(job, count: int) -> list[str]:
    """Codes of the referential the job does not carry (no job text typed here)."""
    mine = {row.rome_code for row in job.rome_codes.all()}
    return [code for code in sorted(load_rome().codes) if code not in mine][:count]


def test_every_job_of_the_bundled_edition_has_a_primary_rome_code_of_the_referential(edition):
    rome = load_rome()
    jobs = list(edition.jobs.prefetch_related("rome_codes"))
    assert len(jobs) == 51
    for job in jobs:
        rows = list(job.rome_codes.all())
        assert rows, job.code
        assert [row.role for row in rows].count(PRIMARY) == 1, job.code
        assert all(row.rome_code in rome for row in rows), job.code
    assert not selectors.jobs_without_rome(edition).exists()


def test_the_edition_holds_the_bundled_correspondence(edition):
    stored = set(
        JobRome.objects.filter(job__edition=edition).values_list("job__code", "rome_code", "role")
    )
    assert stored == {(link.job_code, link.rome_code, link.role) for link in rome_correspondence()}


def test_a_draft_carries_its_source_editions_codes(edition, draft):
    for job in draft.jobs.all():
        assert _codes(job) == _codes(edition.jobs.get(code=job.code))


def test_changing_a_drafts_codes_is_journaled_with_its_author(network, edition, draft):
    job = draft.jobs.order_by("position").first()
    before = _codes(job)
    primary, *others = _other_codes(job, 3)
    revision = draft.revision
    services.set_job_rome_codes(
        network.national, job, primary=primary.lower(), secondary=" ".join(others)
    )
    assert _codes(job) == [(primary, PRIMARY)] + [(code, SECONDARY) for code in sorted(others)]
    entry = JournalEntry.objects.get(action="job.rome", object_id=str(job.pk))
    assert entry.actor == network.national.get_username()
    assert entry.before["rome"] == [f"{code} ({role})" for code, role in before]
    assert primary in entry.after["rome"][0]
    draft.refresh_from_db()
    assert draft.revision > revision
    # The source edition keeps its own codes.
    assert _codes(edition.jobs.get(code=job.code)) == before


def test_the_primary_code_given_again_as_secondary_is_kept_once(network, draft):
    job = draft.jobs.order_by("position").first()
    (primary,) = _other_codes(job, 1)
    services.set_job_rome_codes(network.national, job, primary=primary, secondary=[primary])
    assert _codes(job) == [(primary, PRIMARY)]


def test_unknown_codes_are_refused_by_name_and_change_nothing(network, draft):
    job = draft.jobs.order_by("position").first()
    before = _codes(job)
    with pytest.raises(Refused) as refused:
        services.set_job_rome_codes(network.national, job, primary="Z9999", secondary="Q12 M1203")
    assert "Z9999" in " ".join(refused.value.problems["primary"])
    assert "Q12" in " ".join(refused.value.problems["secondary"])
    assert "ROME" in str(refused.value)
    with pytest.raises(Refused) as refused:
        services.set_job_rome_codes(network.national, job, primary="  ")
    assert refused.value.problems["primary"]
    assert _codes(job) == before
    assert not JournalEntry.objects.filter(action="job.rome").exists()


def test_a_published_edition_refuses_the_change(network, edition):
    job = edition.jobs.order_by("position").first()
    before = _codes(job)
    (primary,) = _other_codes(job, 1)
    with pytest.raises(services.EditionFrozen):
        services.set_job_rome_codes(network.national, job, primary=primary)
    assert _codes(job) == before


def test_only_national_administrators_change_codes(network, draft):
    job = draft.jobs.order_by("position").first()
    (primary,) = _other_codes(job, 1)
    for user in (network.hr_north, network.reader_north):
        with pytest.raises(NotAllowed):
            services.set_job_rome_codes(user, job, primary=primary)


def test_jobs_for_a_rome_code_and_their_role(edition):
    link = rome_correspondence()[0]
    found = selectors.jobs_for_rome(edition, link.rome_code)
    assert (link.job_code, link.role) in [(job.code, role) for job, role in found]


def test_common_appellations_come_from_the_primary_code(edition):
    job = edition.jobs.order_by("position").first()
    primary = job.rome_codes.get(role=PRIMARY).rome_code
    shown = selectors.common_appellations(job)
    assert 0 < len(shown) <= 12
    assert set(shown) <= set(load_rome().appellations(primary))
    assert shown == sorted(shown, key=str.lower)


def test_a_change_made_meanwhile_is_a_conflict_not_overwritten(network, draft):
    job = draft.jobs.order_by("position").first()
    seen = selectors.seen_codes(job)
    first, second = _other_codes(job, 2)
    services.set_job_rome_codes(network.national, job, primary=first, seen=seen)
    with pytest.raises(Conflict):
        services.set_job_rome_codes(network.national, job, primary=second, seen=seen)
    assert _codes(job) == [(first, PRIMARY)]
    assert JournalEntry.objects.filter(action="job.rome").count() == 1
