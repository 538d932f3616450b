"""Every write to an edition's content bumps its revision: the documents made of it (and
the indexes and pages cached) are keyed by it, so none outlives a change. Jobs, texts and
titles come from the loaded edition; the words added are the test's own."""

from __future__ import annotations

import pytest

from repertoire.catalog import selectors, services
from repertoire.catalog.models import Edition

pytestmark = pytest.mark.django_db


def revision(edition) -> int:
    return Edition.objects.get(pk=edition.pk).revision


@pytest.fixture
def draft(network, edition):
    return services.copy_edition(network.national, edition, label="brouillon-2015")


def _rename(national, draft, job):
    content = selectors.job_content(job)
    services.save_job(national, draft, job, **{**content, "title": f"{job.title} principal"})


def _new_texts(national, draft, job):
    content = selectors.job_content(job)
    missions = content["missions"] + "\nUn point ajouté pour l'essai."
    services.save_job(national, draft, job, **{**content, "missions": missions})


def _new_level(national, draft, job):
    # Declared one level up: the job moves to another level and its level definition.
    content = selectors.job_content(job)
    services.save_job(national, draft, job, **content, declared_level=job.level.number + 1)


def _add(national, draft, job):
    content = selectors.job_content(job)
    services.save_job(national, draft, None, **{**content, "title": "Emploi ajouté pour l'essai"})


def _retire(national, draft, job):
    services.retire_job(national, job)


def _appellation(national, draft, job):
    alias, _ = services.add_appellation(job, "Intitulé ajouté pour l'essai", author="t")
    services.remove_appellation(alias)


def _import_appellations(national, draft, job):
    data = f"code;appellation\r\n{job.code};Intitulé importé pour l'essai\r\n".encode()
    services.import_appellations(draft, data, author="t")


def _header(national, draft, job):
    services.update_edition(
        national, draft, title=f"{draft.title} (essai)", status="official", date=draft.date
    )


def _rule(national, draft, job):
    services.set_level_rule(draft, draft.level_rule, author="t")


def _publish(national, draft, job):
    services.publish_edition(national, draft, status="official")


@pytest.mark.parametrize(
    "change",
    [
        _rename,
        _new_texts,
        _new_level,
        _add,
        _retire,
        _header,
        _rule,
        _publish,
    ],
)
def test_every_content_change_bumps_the_revision(network, draft, change):
    job = next(job for job in selectors.jobs_of(draft) if 1 < job.level.number < 7)
    before = revision(draft)
    change(network.national, draft, job)
    assert revision(draft) > before


@pytest.mark.parametrize("change", [_appellation, _import_appellations, "learnt", "reindex"])
def test_an_appellation_change_renews_indexes_and_pages_not_the_published_files(
    network, draft, change
):
    """No published file prints an appellation: one learnt from a group decision, or an
    index rebuilt, does not make the edition's files again (nor hides them from the
    public until they are); the matching and search indexes and the pages are renewed."""
    job = next(job for job in selectors.jobs_of(draft) if 1 < job.level.number < 7)
    before = Edition.objects.get(pk=draft.pk)
    if change == "learnt":
        services.learn_appellation(job, "Intitulé appris pour l'essai", network.north, author="t")
    elif change == "reindex":
        services.rebuild_matching_index(network.national, draft)
    else:
        change(network.national, draft, job)
    after = Edition.objects.get(pk=draft.pk)
    assert after.revision == before.revision
    assert after.appellations_revision > before.appellations_revision
    assert selectors.edition_key(after) != selectors.edition_key(before)


def test_a_renamed_job_is_matched_under_the_code_it_kept(network, draft):
    job = selectors.jobs_of(draft).first()
    _rename(network.national, draft, job)
    new_title = draft.jobs.get(pk=job.pk).title
    best = selectors.matching_index(draft).match(new_title).candidates[0]
    assert (best.code, best.title) == (job.code, new_title)
    assert selectors.document_of(draft).jobs[0].code == job.code
