"""A draft's ROME codes brought in line with the correspondence shipped in the package: the
comparison first (nothing written), then the jobs chosen, all or nothing, journaled; a
change made meanwhile is a conflict. Differences are made with ``set_job_rome_codes``."""

from __future__ import annotations

import pytest
from django.utils.html import escape

from repertoire.audit.models import JournalEntry
from repertoire.bundled import ROME_CORRESPONDENCE, rome_correspondence
from repertoire.catalog import selectors, services
from repertoire.catalog.models import JobRome
from repertoire.core.refusals import Conflict, NotAllowed, Refused
from repertoire.core.rome import PRIMARY, load_rome
from tests.edition_builder import form

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(network, edition):
    return services.copy_edition(network.national, edition, label="brouillon-rome")


def _codes(job) -> list[tuple[str, str]]:
    return sorted(JobRome.objects.filter(job=job).values_list("rome_code", "role"))


def _shipped(job) -> list[tuple[str, str]]:
    return sorted(
        (link.rome_code, link.role) for link in rome_correspondence() if link.job_code == job.code
    )


def _unused_code() -> str:
    """A code of the referential the correspondence gives no job (no code typed here)."""
    used = {link.rome_code for link in rome_correspondence()}
    return next(code for code in sorted(load_rome().codes) if code not in used)


def _drift(user, draft) -> dict[str, object]:
    """Three jobs with secondary codes changed by hand: one loses a secondary code, one
    gains a code, one has its primary and a secondary code swapped."""
    jobs = [job for job in draft.jobs.order_by("position") if len(_shipped(job)) > 1][:3]
    lost, gained, swapped = jobs
    primary, *others = _roles(lost)
    services.set_job_rome_codes(user, lost, primary=primary, secondary=others[1:])
    primary, *others = _roles(gained)
    services.set_job_rome_codes(user, gained, primary=primary, secondary=[*others, _unused_code()])
    primary, first, *others = _roles(swapped)
    services.set_job_rome_codes(user, swapped, primary=first, secondary=[primary, *others])
    return {"lost": lost, "gained": gained, "swapped": swapped}


def _roles(job) -> list[str]:
    """The job's codes, primary first."""
    return [code for code, _ in sorted(_codes(job), key=lambda pair: pair[1] != PRIMARY)]


def _applied_entries():
    return JournalEntry.objects.filter(action="job.rome", after__source=ROME_CORRESPONDENCE)


# --- the comparison -----------------------------------------------------------------


def test_an_edition_as_imported_is_in_line_with_the_shipped_correspondence(edition, draft):
    for compared in (edition, draft):
        diff = selectors.correspondence_diff(compared)
        assert diff.changes == () and diff.unknown == ()
        assert diff.unchanged == compared.jobs.count()


def test_the_comparison_says_what_was_added_dropped_and_whether_the_primary_changed(network, draft):
    drifted = _drift(network.national, draft)
    diff = selectors.correspondence_diff(draft)
    assert [change.job_code for change in diff.changes] == [
        job.code for job in sorted(drifted.values(), key=lambda job: job.position)
    ]
    assert diff.unchanged == draft.jobs.count() - 3
    lost = diff.change(drifted["lost"].code)
    assert len(lost.added) == 1 and lost.dropped == () and not lost.primary_changed
    gained = diff.change(drifted["gained"].code)
    assert gained.added == () and gained.dropped == (_unused_code(),)
    assert not gained.primary_changed
    swapped = diff.change(drifted["swapped"].code)
    assert swapped.added == swapped.dropped == () and swapped.primary_changed
    assert swapped.seen == selectors.seen_codes(drifted["swapped"])
    # Comparing writes nothing.
    assert not _applied_entries().exists()


def test_a_job_the_correspondence_does_not_know_is_left_alone_and_counted(network, draft):
    model = draft.jobs.order_by("position").first()
    title = draft.missing_jobs[0]
    added = services.save_job(network.national, draft, None, **{**form(model), "title": title})
    diff = selectors.correspondence_diff(draft)
    assert diff.unknown == (added.code,)
    assert diff.changes == ()
    assert services.apply_rome_correspondence(network.national, draft) == 0
    with pytest.raises(Refused) as refused:
        services.apply_rome_correspondence(network.national, draft, jobs=[added.code])
    assert added.title in str(refused.value)
    assert not added.rome_codes.exists()


# --- applying it --------------------------------------------------------------------


def test_only_the_chosen_jobs_take_the_shipped_codes(network, draft):
    drifted = _drift(network.national, draft)
    kept = _codes(drifted["gained"])
    revision = draft.revision
    chosen = [drifted["lost"].code, drifted["swapped"].code]
    assert services.apply_rome_correspondence(network.national, draft, jobs=chosen) == 2
    assert _codes(drifted["lost"]) == _shipped(drifted["lost"])
    assert _codes(drifted["swapped"]) == _shipped(drifted["swapped"])
    assert _codes(drifted["gained"]) == kept
    diff = selectors.correspondence_diff(draft)
    assert [change.job_code for change in diff.changes] == [drifted["gained"].code]
    draft.refresh_from_db()
    assert draft.revision > revision


def test_by_default_every_differing_job_takes_them(network, edition, draft):
    drifted = _drift(network.national, draft)
    assert services.apply_rome_correspondence(network.national, draft) == 3
    for job in drifted.values():
        assert _codes(job) == _shipped(job)
    assert selectors.correspondence_diff(draft).changes == ()
    # Once in line, applying again changes nothing.
    assert services.apply_rome_correspondence(network.national, draft) == 0


def test_each_changed_job_is_journaled_with_its_author_and_the_shipped_file(network, draft):
    drifted = _drift(network.national, draft)
    before = {job.code: selectors.seen_codes(job) for job in drifted.values()}
    services.apply_rome_correspondence(network.national, draft)
    entries = list(_applied_entries())
    assert len(entries) == 3
    for entry in entries:
        job = draft.jobs.get(pk=int(entry.object_id))
        assert entry.actor == network.national.get_username()
        assert entry.before["code"] == entry.after["code"] == job.code
        assert sorted(entry.before["rome"]) == sorted(
            f"{code} ({role})" for code, role in (p.split(":") for p in before[job.code].split())
        )
        assert sorted(entry.after["rome"]) == sorted(
            f"{code} ({role})" for code, role in _shipped(job)
        )
        assert entry.after["source"] == ROME_CORRESPONDENCE


def test_a_published_edition_is_refused(network, edition):
    with pytest.raises(services.EditionFrozen):
        services.apply_rome_correspondence(network.national, edition)
    assert not _applied_entries().exists()


def test_only_national_administrators_apply_it(network, draft):
    drifted = _drift(network.national, draft)
    for user in (network.hr_north, network.reader_north):
        with pytest.raises(NotAllowed):
            services.apply_rome_correspondence(user, draft)
    assert selectors.correspondence_diff(draft).change(drifted["lost"].code) is not None
    assert not _applied_entries().exists()


def test_codes_changed_since_the_comparison_are_a_conflict_and_nothing_is_written(network, draft):
    drifted = _drift(network.national, draft)
    shown = selectors.correspondence_diff(draft)
    seen = {change.job_code: change.seen for change in shown.changes}
    # Someone changes a job's codes by hand after the comparison was shown.
    lost = drifted["lost"]
    services.set_job_rome_codes(network.national, lost, primary=_unused_code())
    meanwhile = _codes(lost)
    others = {job.code: _codes(job) for job in drifted.values()}
    with pytest.raises(Conflict) as conflict:
        services.apply_rome_correspondence(network.national, draft, jobs=list(seen), seen=seen)
    assert lost.title in str(conflict.value)
    assert _codes(lost) == meanwhile
    assert {job.code: _codes(job) for job in drifted.values()} == others
    assert not _applied_entries().exists()
    # The jobs left unchanged since still go through.
    rest = [code for code in seen if code != lost.code]
    assert services.apply_rome_correspondence(
        network.national, draft, jobs=rest, seen={code: seen[code] for code in rest}
    ) == len(rest)


def test_a_job_retired_since_the_comparison_is_a_conflict(network, draft):
    drifted = _drift(network.national, draft)
    seen = {change.job_code: change.seen for change in selectors.correspondence_diff(draft).changes}
    services.retire_job(network.national, drifted["gained"])
    with pytest.raises(Conflict):
        services.apply_rome_correspondence(network.national, draft, jobs=list(seen), seen=seen)
    assert not _applied_entries().exists()


def test_no_job_chosen_or_a_job_the_edition_lacks_is_refused(network, draft):
    _drift(network.national, draft)
    with pytest.raises(Refused):
        services.apply_rome_correspondence(network.national, draft, jobs=[])
    with pytest.raises(Refused) as refused:
        services.apply_rome_correspondence(network.national, draft, jobs=["pas-un-emploi"])
    assert "pas-un-emploi" in str(refused.value)
    assert not isinstance(refused.value, Conflict)
    assert not _applied_entries().exists()


# --- the page -----------------------------------------------------------------------


def _page(label: str) -> str:
    return f"/editions/{label}/rome/"


def test_the_page_is_linked_from_the_edition_for_national_administrators_only(
    client, network, draft
):
    client.force_login(network.national)
    assert _page(draft.label) in client.get(f"/editions/{draft.label}/").content.decode()
    for user in (network.hr_north, network.reader_north):
        client.force_login(user)
        assert _page(draft.label) not in client.get(f"/editions/{draft.label}/").content.decode()
        assert client.get(_page(draft.label)).status_code == 403
        assert client.post(_page(draft.label), {"emploi": ["x"]}).status_code == 403
    client.logout()
    assert client.get(_page(draft.label)).status_code == 302  # to the sign-in page


def test_the_page_lists_the_differing_jobs_with_rome_titles_all_ticked(client, network, draft):
    drifted = _drift(network.national, draft)
    client.force_login(network.national)
    page = client.get(_page(draft.label)).content.decode()
    rome = load_rome()
    for job in drifted.values():
        assert escape(job.title) in page
        assert f'value="{job.code}" id="rome-{job.code}" checked' in page
        for code, _role in _shipped(job) + _codes(job):
            assert code in page and escape(rome.title(code)) in page
    assert page.count('name="emploi"') == 3
    assert "Appliquer" in page and "<span data-ticked-count>3</span>" in page
    assert "<del>" in page and "<ins>" in page
    unchanged = draft.jobs.exclude(pk__in=[job.pk for job in drifted.values()]).first()
    assert f'value="{unchanged.code}"' not in page


def test_posting_applies_the_ticked_jobs_and_says_how_many(client, network, draft):
    drifted = _drift(network.national, draft)
    client.force_login(network.national)
    shown = selectors.correspondence_diff(draft)
    chosen = [drifted["lost"].code, drifted["gained"].code]
    data = {"emploi": chosen} | {f"vu_{c.job_code}": c.seen for c in shown.changes}
    response = client.post(_page(draft.label), data, follow=True)
    assert response.redirect_chain[-1][0] == _page(draft.label)
    page = response.content.decode()
    assert "2 emplois portent désormais les codes ROME de la correspondance livrée" in page
    assert _codes(drifted["lost"]) == _shipped(drifted["lost"])
    assert _codes(drifted["gained"]) == _shipped(drifted["gained"])
    assert _codes(drifted["swapped"]) != _shipped(drifted["swapped"])
    assert page.count('name="emploi"') == 1
    entry = _applied_entries().first()
    assert entry.actor == network.national.get_username()


def test_a_change_made_meanwhile_is_told_on_the_page_and_nothing_is_written(client, network, draft):
    drifted = _drift(network.national, draft)
    client.force_login(network.national)
    shown = selectors.correspondence_diff(draft)
    services.set_job_rome_codes(network.national, drifted["swapped"], primary=_unused_code())
    data = {"emploi": [c.job_code for c in shown.changes]} | {
        f"vu_{c.job_code}": c.seen for c in shown.changes
    }
    page = client.post(_page(draft.label), data, follow=True).content.decode()
    assert "entre-temps" in page and escape(drifted["swapped"].title) in page
    assert _codes(drifted["lost"]) != _shipped(drifted["lost"])
    assert not _applied_entries().exists()


def test_a_published_edition_says_a_draft_is_needed_and_offers_no_button(client, network, edition):
    client.force_login(network.national)
    assert _page(edition.label) in client.get(f"/editions/{edition.label}/").content.decode()
    page = client.get(_page(edition.label)).content.decode()
    assert "est publiée" in page and "brouillon" in page
    assert "Appliquer" not in page and 'name="emploi"' not in page
    response = client.post(_page(edition.label), {"emploi": ["x"]}, follow=True)
    assert "est publiée" in response.content.decode()
    assert not _applied_entries().exists()


def test_nothing_to_apply_is_said(client, network, draft):
    client.force_login(network.national)
    page = client.get(_page(draft.label)).content.decode()
    assert "rien à appliquer" in page
    assert "Appliquer" not in page


# --- undoing it ---------------------------------------------------------------------


def test_the_last_application_is_undone_job_by_job_and_journaled(network, draft):
    drifted = _drift(network.national, draft)
    before = {key: _codes(job) for key, job in drifted.items()}
    services.apply_rome_correspondence(network.national, draft)
    last = selectors.last_rome_application(draft)
    assert last.jobs == 3 and last.actor == network.national.get_username()
    assert services.undo_rome_application(network.national, draft, last.key) == 3
    assert {key: _codes(job) for key, job in drifted.items()} == before
    undone = JournalEntry.objects.filter(action="job.rome", after__undoes=last.key)
    assert undone.count() == 3
    # Undone, it is no longer offered; undoing it twice is a conflict.
    assert selectors.last_rome_application(draft) is None
    with pytest.raises(Conflict):
        services.undo_rome_application(network.national, draft, last.key)


def test_a_code_changed_since_the_application_stops_the_undo(network, draft):
    drifted = _drift(network.national, draft)
    services.apply_rome_correspondence(network.national, draft)
    last = selectors.last_rome_application(draft)
    services.set_job_rome_codes(network.national, drifted["lost"], primary=_unused_code())
    changed = _codes(drifted["gained"])
    with pytest.raises(Conflict, match=drifted["lost"].title):
        services.undo_rome_application(network.national, draft, last.key)
    assert _codes(drifted["gained"]) == changed  # nothing written


def test_an_earlier_application_is_undone_while_its_jobs_keep_its_codes(network, draft):
    drifted = _drift(network.national, draft)
    lost, gained = drifted["lost"], drifted["gained"]
    before = {job.code: _codes(job) for job in (lost, gained)}
    services.apply_rome_correspondence(network.national, draft, jobs=[lost.code])
    first = selectors.last_rome_application(draft)
    services.apply_rome_correspondence(network.national, draft, jobs=[gained.code])
    later = selectors.last_rome_application(draft)
    assert [a.key for a in selectors.rome_applications(draft)] == [later.key, first.key]
    # The earlier one touched another job: undone alone, the later one stays.
    assert services.undo_rome_application(network.national, draft, first.key) == 1
    assert _codes(lost) == before[lost.code]
    assert _codes(gained) == _shipped(gained)
    assert [a.key for a in selectors.rome_applications(draft)] == [later.key]
    with pytest.raises(NotAllowed):
        services.undo_rome_application(network.hr_north, draft, later.key)


def test_an_earlier_application_whose_job_was_changed_again_is_not_undone(network, draft):
    drifted = _drift(network.national, draft)
    lost = drifted["lost"]
    services.apply_rome_correspondence(network.national, draft, jobs=[lost.code])
    first = selectors.last_rome_application(draft)
    services.set_job_rome_codes(network.national, lost, primary=_unused_code())
    changed = _codes(lost)
    with pytest.raises(Conflict, match=lost.title):
        services.undo_rome_application(network.national, draft, first.key)
    assert _codes(lost) == changed  # nothing written
    with pytest.raises(Conflict):
        services.undo_rome_application(network.national, draft, "not-an-application")


def test_the_page_offers_to_undo_the_last_application_and_says_how_many(client, network, draft):
    drifted = _drift(network.national, draft)
    client.force_login(network.national)
    page = client.get(_page(draft.label)).content.decode()
    assert 'id="rome-undo"' not in page  # nothing applied yet
    services.apply_rome_correspondence(network.national, draft)
    page = client.get(_page(draft.label)).content.decode()
    assert 'id="rome-undo"' in page and "3 emplois" in page
    key = selectors.last_rome_application(draft).key
    response = client.post(f"{_page(draft.label)}annuler/", {"application": key}, follow=True)
    assert "3 emplois portent à nouveau les codes ROME" in response.content.decode()
    assert _codes(drifted["lost"]) != _shipped(drifted["lost"])
    assert 'id="rome-undo"' not in response.content.decode()
    client.force_login(network.hr_north)
    assert client.post(f"{_page(draft.label)}annuler/", {"application": key}).status_code == 403


def test_the_page_lists_every_application_not_undone_the_last_first(client, network, draft):
    drifted = _drift(network.national, draft)
    services.apply_rome_correspondence(network.national, draft, jobs=[drifted["lost"].code])
    services.apply_rome_correspondence(network.national, draft, jobs=[drifted["gained"].code])
    first, later = reversed(selectors.rome_applications(draft))
    client.force_login(network.national)
    page = client.get(_page(draft.label)).content.decode()
    assert page.count('name="application"') == 2
    assert page.index(later.key) < page.index(first.key)
    client.post(f"{_page(draft.label)}annuler/", {"application": first.key})
    page = client.get(_page(draft.label)).content.decode()
    assert first.key not in page and later.key in page


def test_the_job_sheet_history_shows_its_rome_codes_changed(client, network, draft):
    drifted = _drift(network.national, draft)
    client.force_login(network.national)
    job = drifted["lost"]

    def history() -> str:
        page = client.get(f"/emplois/{job.code}/?edition={draft.label}").content.decode()
        return page[page.index('id="job-history"') :]

    assert "Codes ROME modifiés" in history()
    # Applied from the shipped correspondence, then undone: each says so.
    services.apply_rome_correspondence(network.national, draft)
    assert "Codes ROME alignés sur la correspondance livrée" in history()
    key = selectors.last_rome_application(draft).key
    services.undo_rome_application(network.national, draft, key)
    assert "Codes ROME rétablis (mise en conformité annulée)" in history()
