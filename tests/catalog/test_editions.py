"""Preparing an edition: copy the edition in force, edit its jobs, pair them with the
previous edition's, publish. Jobs, titles, texts and degrees come from the loaded edition."""

from __future__ import annotations

import dataclasses

import pytest

from repertoire.audit.models import JournalEntry
from repertoire.catalog import selectors, services
from repertoire.catalog.models import (
    Appellation,
    Criterion,
    Edition,
    EditionPairing,
    JobDegree,
    LevelDefinition,
    ReferenceJob,
    SommaireEntry,
)
from repertoire.core.document import ListItem, write_document
from repertoire.core.document_reader import parse_document
from repertoire.core.editions import Pairing, Succession, format_items
from repertoire.core.grid import MAX_DEGREE, MAX_LEVEL, MIN_DEGREE
from repertoire.core.matching import TitleQuery
from repertoire.core.refusals import NotAllowed, Refused
from repertoire.core.text import slugify, title_key

pytestmark = pytest.mark.django_db

# A word added to a title: a small rename, not a job text.
RENAME_WORD = "principal"


# --- helpers ----------------------------------------------------------------------------------


def _items(items: list[dict]) -> tuple[ListItem, ...]:
    return tuple(ListItem(item["text"], tuple(item["subitems"])) for item in items)


def _form(job: ReferenceJob) -> dict:
    return selectors.job_content(job)


def _degrees(job: ReferenceJob) -> dict[str, int]:
    return {d.criterion.code: d.degree for d in job.degrees.select_related("criterion")}


def _raised(edition, job) -> dict[str, int]:
    """The job's degrees with one raised until the rule gives the next level."""
    degrees = _degrees(job)
    start = services.rule_level(edition, degrees)
    for code in degrees:
        trial = dict(degrees)
        while trial[code] < MAX_DEGREE:
            trial[code] += 1
            if services.rule_level(edition, trial) > start:
                return trial
    raise AssertionError("no degree raises the level")


def _journal(action: str, instance) -> JournalEntry:
    return JournalEntry.objects.get(action=action, object_id=str(instance.pk))


def _sommaire(edition) -> list[tuple[int, str, int | None]]:
    return [
        (entry.level_number, entry.title, entry.job_id)
        for entry in SommaireEntry.objects.filter(edition=edition).order_by("position")
    ]


def _assert_sommaire_follows_jobs(edition) -> None:
    jobs = list(edition.jobs.select_related("level").order_by("level__number", "position"))
    assert _sommaire(edition) == [(job.level.number, job.title, job.pk) for job in jobs]
    assert all(entry.page is None for entry in edition.sommaire.all())


@pytest.fixture
def draft(network, edition):
    return services.copy_edition(network.national, edition, label="brouillon-2015")


@pytest.fixture
def job(draft) -> ReferenceJob:
    """A job of the draft that is not at either end of the levels."""
    return next(job for job in selectors.jobs_of(draft) if 1 < job.level.number < MAX_LEVEL - 1)


# --- copy ---------------------------------------------------------------------------------------


def test_the_bundled_edition_is_published_and_current(edition):
    assert edition.is_current and edition.is_frozen
    assert edition.published_by == "test"
    assert selectors.previous_edition(edition) is None


def test_a_later_import_is_a_draft(edition, document):
    later = services.import_edition(document, author="test", label="import-2015")
    assert not later.is_current and not later.is_frozen
    edition.refresh_from_db()
    assert edition.is_current
    assert selectors.get_edition() == edition
    assert selectors.previous_edition(later) == edition
    diff = selectors.edition_diff(edition, later)
    assert diff.changed == () and diff.added == () and diff.retired == ()


def test_a_later_document_renaming_a_job_is_paired_by_similarity(network, edition, document):
    """An imported document derives codes from headings: a renamed job arrives under a new
    code, and the diff pairs it with its predecessor by similarity."""
    renamed = document.jobs[len(document.jobs) // 2]
    new_title = f"{renamed.title} {RENAME_WORD}"
    later = dataclasses.replace(
        document,
        jobs=tuple(
            dataclasses.replace(sheet, title=new_title, heading=new_title)
            if sheet is renamed
            else sheet
            for sheet in document.jobs
        ),
        sommaire=tuple(
            dataclasses.replace(entry, title=new_title) if entry.title == renamed.title else entry
            for entry in document.sommaire
        ),
    )
    imported = services.import_edition(later, author="test", label="import-2015")
    new_code = slugify(new_title)
    assert imported.jobs.filter(code=new_code).exists()
    diff, mapping = selectors.successors_between(edition, imported)
    pair = diff.successor_of(renamed.code)
    assert pair.how == Pairing.BY_SIMILARITY and pair.after.code == new_code
    assert diff.retired == () and diff.added == ()
    assert mapping[renamed.code].how == Succession.PAIRED and mapping[renamed.code].renamed
    # An administrator who disagrees says there is no successor.
    services.decide_pairing(network.national, edition, imported, renamed.code, None)
    diff = selectors.edition_diff(edition, imported)
    assert [job.code for job in diff.retired] == [renamed.code]
    assert [job.code for job in diff.added] == [new_code]


def test_a_copy_has_everything_of_its_source(network, edition, draft):
    assert draft.based_on == edition
    assert not draft.is_frozen and not draft.is_current
    edition.refresh_from_db()
    assert edition.is_current
    assert draft.level_rule == edition.level_rule
    assert draft.missing_jobs == edition.missing_jobs and draft.notes == edition.notes
    assert draft.title == edition.title and draft.status == edition.status
    for model, edition_field in (
        (ReferenceJob, "edition"),
        (Criterion, "edition"),
        (JobDegree, "job__edition"),
        (Appellation, "job__edition"),
        (LevelDefinition, "level__edition"),
    ):
        source = model.objects.filter(**{edition_field: edition}).count()
        assert source > 0
        assert model.objects.filter(**{edition_field: draft}).count() == source
    assert [(c.code, c.label, c.description, c.position) for c in selectors.criteria_of(draft)] == [
        (c.code, c.label, c.description, c.position) for c in selectors.criteria_of(edition)
    ]
    assert [
        (level.number, [d.paragraphs for d in level.definitions.all()])
        for level in selectors.levels_of(draft)
    ] == [
        (level.number, [d.paragraphs for d in level.definitions.all()])
        for level in selectors.levels_of(edition)
    ]
    # Jobs, degrees, texts, levels and the definition printed under each job.
    assert selectors.document_of(draft).jobs == selectors.document_of(edition).jobs
    for copied, original in zip(selectors.jobs_of(draft), selectors.jobs_of(edition), strict=True):
        assert (copied.code, copied.position) == (original.code, original.position)
        assert copied.level.edition_id == draft.pk
        assert copied.level_definition.level.edition_id == draft.pk
        assert sorted(a.title for a in copied.appellations.all()) == sorted(
            a.title for a in original.appellations.all()
        )
    # Every degree points to the copy's own criteria.
    assert (
        not JobDegree.objects.filter(job__edition=draft).exclude(criterion__edition=draft).exists()
    )
    diff = selectors.edition_diff(edition, draft)
    assert diff.changed == () and diff.summary()["unchanged"] == edition.jobs.count()
    assert selectors.previous_edition(draft) == edition
    entry = _journal("edition.copy", draft)
    assert entry.actor == network.national.get_username()
    assert entry.after["copied_from"] == edition.label
    assert entry.after["jobs"] == edition.jobs.count()


def test_a_copy_can_be_searched_and_matched(draft, edition):
    job = selectors.jobs_of(draft).first()
    results = selectors.matching_index(draft).match_many([TitleQuery(job.title, "", "")], top=1)
    assert results[0].candidates[0].code == job.code


def test_a_copys_sommaire_lists_its_jobs_with_their_titles(edition, draft):
    _assert_sommaire_follows_jobs(draft)
    assert {(e.level_number, e.title) for e in draft.sommaire.all()} == {
        (e.level_number, e.title) for e in edition.sommaire.all()
    }


def test_a_copy_written_as_a_document_reads_back_with_its_titles(draft):
    document = selectors.document_of(draft)
    again = parse_document(write_document(document))
    assert [job.title for job in again.jobs] == [job.title for job in document.jobs]
    assert again.jobs == document.jobs


@pytest.mark.parametrize("label", ["", "   "])
def test_a_copy_needs_a_label(network, edition, label):
    with pytest.raises(Refused) as refused:
        services.copy_edition(network.national, edition, label=label)
    assert "label" in refused.value.problems
    assert Edition.objects.count() == 1


def test_a_copy_needs_a_label_of_its_own(network, edition, draft):
    for label in (edition.label, draft.label, f"  {draft.label} "):
        with pytest.raises(Refused) as refused:
            services.copy_edition(network.national, edition, label=label)
        assert "label" in refused.value.problems
    assert Edition.objects.count() == 2


def test_a_copy_label_too_long_is_refused_by_field(network, edition):
    too_long = "x" * (Edition._meta.get_field("label").max_length + 1)
    with pytest.raises(Refused) as refused:
        services.copy_edition(network.national, edition, label=too_long)
    assert "label" in refused.value.problems


def test_a_draft_can_be_copied_too(network, draft):
    again = services.copy_edition(network.national, draft, label="brouillon-bis")
    assert again.based_on == draft and not again.is_frozen
    assert again.jobs.count() == draft.jobs.count()


# --- editing jobs -------------------------------------------------------------------------------


def test_editing_texts_and_degrees_follows_the_rule(network, draft, job):
    form = _form(job)
    degrees = _raised(draft, job)
    missions = (*_items(job.missions), ListItem(job.missions[0]["text"], (RENAME_WORD,)))
    requirements = _items(job.requirements)[1:]
    before, level_before = _degrees(job), job.level.number
    saved = services.save_job(
        network.national,
        draft,
        job,
        **{
            **form,
            "missions": format_items(missions),
            "requirements": format_items(requirements),
            "degrees": degrees,
        },
    )
    saved.refresh_from_db()
    assert saved.pk == job.pk and saved.code == job.code
    assert _items(saved.missions) == missions and _items(saved.requirements) == requirements
    assert _degrees(saved) == degrees
    assert saved.level.number == services.rule_level(draft, degrees) > level_before
    assert saved.level.edition_id == draft.pk
    assert saved.level_definition.level == saved.level
    assert selectors.level_disagreements(draft) == {}
    entry = _journal("job.update", saved)
    assert entry.before["degrees"] == before and entry.after["degrees"] == degrees
    assert entry.before["level"] == level_before
    assert entry.after["level"] == saved.level.number
    diff = selectors.edition_diff(draft.based_on, draft)
    (change,) = diff.changed
    assert change.pair.how == Pairing.BY_CODE and change.level_changed
    assert change.missions is not None and change.requirements is not None
    assert {d.criterion for d in change.degrees} == {
        code for code in degrees if degrees[code] != before[code]
    }
    _assert_sommaire_follows_jobs(draft)


def test_the_source_edition_is_untouched_by_edits_of_its_copy(network, edition, draft, job):
    original = edition.jobs.get(code=job.code)
    snapshot = (_degrees(original), original.level_id, original.missions, original.title)
    services.save_job(
        network.national,
        draft,
        job,
        **{**_form(job), "title": f"{job.title} {RENAME_WORD}", "degrees": _raised(draft, job)},
    )
    original.refresh_from_db()
    assert (_degrees(original), original.level_id, original.missions, original.title) == snapshot


def test_a_declared_level_that_disagrees_is_kept_flagged_and_blocks_publishing(network, draft, job):
    national = network.national
    rule = services.rule_level(draft, _degrees(job))
    wrong = rule + 1
    services.save_job(national, draft, job, **_form(job), declared_level=wrong)
    job.refresh_from_db()
    assert job.level.number == wrong
    assert selectors.level_disagreements(draft) == {job.code: rule}
    with pytest.raises(services.PublicationRefused) as refused:
        services.publish_edition(national, draft)
    assert len(refused.value.reasons) == 1 and job.title in refused.value.reasons[0]
    draft.refresh_from_db()
    assert not draft.is_frozen and not draft.is_current
    # Fixed by declaring nothing: the rule's level.
    services.save_job(national, draft, job, **_form(job))
    job.refresh_from_db()
    assert job.level.number == rule
    assert selectors.level_disagreements(draft) == {}
    assert services.publish_edition(national, draft).is_current


def test_a_declared_level_agreeing_with_the_rule_is_not_flagged(network, draft, job):
    rule = services.rule_level(draft, _degrees(job))
    services.save_job(network.national, draft, job, **_form(job), declared_level=rule)
    assert selectors.level_disagreements(draft) == {}


def test_adding_an_announced_job(network, edition, draft):
    title = draft.missing_jobs[0]
    assert not draft.jobs.filter(title__iexact=title).exists()
    model = selectors.jobs_of(draft).first()
    form = _form(model)
    last = draft.jobs.order_by("-position").first().position
    added = services.save_job(network.national, draft, None, **{**form, "title": title})
    added.refresh_from_db()
    assert added.edition == draft and added.title == added.heading == title
    assert added.code == slugify(title)
    assert added.position == last + 1
    assert _degrees(added) == form["degrees"]
    assert added.level.number == services.rule_level(draft, form["degrees"])
    assert added.level_definition is not None and added.level_definition.level == added.level
    assert format_items(_items(added.missions)) == form["missions"]
    entry = _journal("job.add", added)
    assert entry.before is None and entry.after["code"] == added.code
    assert entry.after["degrees"] == form["degrees"]
    # The sommaire lists it at its level; the diff lists it as added.
    _assert_sommaire_follows_jobs(draft)
    assert (added.level.number, title, added.pk) in _sommaire(draft)
    diff = selectors.edition_diff(edition, draft)
    assert [job.code for job in diff.added] == [added.code]
    assert diff.changed == ()
    # The announced job is in the edition now: no longer missing, and the appellations
    # that gave its title to another job while it was missing are gone (journaled).
    draft.refresh_from_db()
    assert title not in draft.missing_jobs
    assert JournalEntry.objects.filter(action="appellation.remove").exists()
    (found,) = selectors.matching_index(draft).match_many([TitleQuery(title, "", "")], top=3)
    assert found.candidates[0].code == added.code
    assert found.candidates[1].score < found.candidates[0].score


def test_a_new_job_does_not_take_the_code_a_renamed_job_kept(network, draft, job):
    old_title, form = job.title, _form(job)
    services.save_job(
        network.national, draft, job, **{**form, "title": f"{old_title} {RENAME_WORD}"}
    )
    added = services.save_job(network.national, draft, None, **{**form, "title": old_title})
    assert added.code != job.code and added.code.startswith(job.code)
    assert draft.jobs.filter(code=job.code).get().pk == job.pk


def test_a_title_differing_only_by_case_accents_or_brackets_is_a_duplicate(network, draft, job):
    other = selectors.jobs_of(draft).exclude(pk=job.pk).first()
    for title in (other.title.upper(), other.heading, other.title.replace("a", "à", 1)):
        assert set(_errors(network, draft, job, title=title)) == {"title"}, title
        assert set(_errors(network, draft, job, adding=True, title=title)) == {"title"}, title
    services.save_job(
        network.national, draft, None, **{**_form(job), "title": f"{other.title} ({RENAME_WORD})"}
    )
    title = f"{other.title} {RENAME_WORD}"
    assert set(_errors(network, draft, job, adding=True, title=title)) == {"title"}
    # Whatever was accepted can be written as a document and read back.
    document = selectors.document_of(draft)
    assert parse_document(write_document(document)).jobs == document.jobs


def test_renaming_keeps_the_code(network, edition, draft, job):
    new_title = f"{job.title} {RENAME_WORD}"
    saved = services.save_job(network.national, draft, job, **{**_form(job), "title": new_title})
    saved.refresh_from_db()
    assert saved.code == job.code and saved.title == saved.heading == new_title
    assert selectors.job_of(draft, job.code).title == new_title
    diff = selectors.edition_diff(edition, draft)
    (change,) = diff.changed
    assert change.renamed and change.pair.how == Pairing.BY_CODE
    assert change.degrees == () and change.missions is None
    _assert_sommaire_follows_jobs(draft)
    _, mapping = selectors.successors_between(edition, draft)
    assert mapping[job.code].how == Succession.SAME_CODE and mapping[job.code].renamed


def test_changing_only_the_case_of_a_title_is_not_a_duplicate(network, draft, job):
    saved = services.save_job(
        network.national, draft, job, **{**_form(job), "title": job.title.upper()}
    )
    assert saved.title == job.title.upper()


def _errors(network, draft, job, *, adding: bool = False, **changes) -> dict[str, list[str]]:
    """The errors of saving ``job`` with ``changes`` (or of adding a job filled from it)."""
    with pytest.raises(Refused) as refused:
        services.save_job(
            network.national, draft, None if adding else job, **{**_form(job), **changes}
        )
    return refused.value.problems


def test_errors_are_reported_by_field_and_change_nothing(network, draft, job):
    other = selectors.jobs_of(draft).exclude(pk=job.pk).first()
    criteria = [c.code for c in selectors.criteria_of(draft)]
    degrees = _degrees(job)
    first_mission = job.missions[0]["text"]
    before = (job.title, job.missions, job.requirements, _degrees(job), job.level_id)

    assert set(_errors(network, draft, job, title="  ")) == {"title"}
    assert set(_errors(network, draft, job, title=other.title.upper())) == {"title"}
    assert set(_errors(network, draft, job, adding=True, title=other.title)) == {"title"}
    for bad in (MIN_DEGREE - 1, MAX_DEGREE + 1, str(degrees[criteria[0]]), None):
        assert set(_errors(network, draft, job, degrees={**degrees, criteria[0]: bad})) == {
            criteria[0]
        }
    missing = {code: degree for code, degree in degrees.items() if code != criteria[-1]}
    assert set(_errors(network, draft, job, degrees=missing)) == {criteria[-1]}
    subitem_first = _errors(network, draft, job, missions=f"- {first_mission}")
    assert set(subitem_first) == {"missions"} and "ligne 1" in subitem_first["missions"][0]
    assert set(_errors(network, draft, job, missions=" \n\n ")) == {"missions"}
    assert set(_errors(network, draft, job, requirements="")) == {"requirements"}
    assert set(_errors(network, draft, job, declared_level=MAX_LEVEL + 1)) == {"level"}
    # Several problems at once are reported together.
    together = _errors(
        network,
        draft,
        job,
        title="",
        missions="",
        degrees={**degrees, criteria[1]: MAX_DEGREE + 1},
    )
    assert set(together) == {"title", "missions", criteria[1]}

    job.refresh_from_db()
    assert (job.title, job.missions, job.requirements, _degrees(job), job.level_id) == before
    assert not JournalEntry.objects.filter(action__in=["job.update", "job.add"]).exists()
    assert draft.jobs.count() == draft.based_on.jobs.count()


def test_a_title_too_long_is_refused_by_field(network, draft, job):
    too_long = " ".join([job.title] * 40)
    assert len(too_long) > ReferenceJob._meta.get_field("title").max_length
    assert set(_errors(network, draft, job, adding=True, title=too_long)) == {"title"}
    assert set(_errors(network, draft, job, title=too_long)) == {"title"}


def test_a_job_of_another_edition_is_not_edited_through_a_draft(network, edition, draft):
    """A draft's check must not let a published edition's job be changed."""
    published = selectors.jobs_of(edition).first()
    form = _form(published)
    with pytest.raises(Refused):
        services.save_job(
            network.national, draft, published, **{**form, "title": f"{form['title']} x"}
        )
    published.refresh_from_db()
    assert published.title == form["title"] and published.level.edition_id == edition.pk


# --- retiring -----------------------------------------------------------------------------------


def test_a_retired_job_is_listed_as_retired(network, edition, draft, job):
    appellations = job.appellations.count()
    services.retire_job(network.national, job)
    assert not draft.jobs.filter(code=job.code).exists()
    assert edition.jobs.filter(code=job.code).exists()
    assert Appellation.objects.filter(job__edition=edition).count() == (
        Appellation.objects.filter(job__edition=draft).count() + appellations
    )
    diff = selectors.edition_diff(edition, draft)
    assert [j.code for j in diff.retired] == [job.code]
    assert diff.added == () and diff.changed == ()
    _assert_sommaire_follows_jobs(draft)
    entry = JournalEntry.objects.get(action="job.retire")
    assert entry.before["code"] == job.code and entry.after is None
    # Its successor is the engine's guess, never certain.
    _, mapping = selectors.successors_between(edition, draft)
    assert mapping[job.code].how in (Succession.ENGINE, Succession.NONE)
    assert mapping[job.code].confidence < 0.95


def test_publishing_an_empty_edition_is_refused(network, draft):
    for job in list(draft.jobs.all()):
        services.retire_job(network.national, job)
    assert not draft.sommaire.exists()
    with pytest.raises(services.PublicationRefused) as refused:
        services.publish_edition(network.national, draft)
    assert refused.value.reasons


# --- frozen editions and roles ------------------------------------------------------------------


def _edits(edition, job):
    """Every service that changes an edition, ready to call as ``user``."""
    form = _form(job)
    return {
        "update_edition": lambda user: services.update_edition(
            user, edition, title=edition.title, status=edition.status, date=edition.date
        ),
        "save_job": lambda user: services.save_job(user, edition, job, **form),
        "add_job": lambda user: services.save_job(
            user, edition, None, **{**form, "title": edition.missing_jobs[0]}
        ),
        "retire_job": lambda user: services.retire_job(user, job),
        "update_grid_texts": lambda user: services.update_grid_texts(
            user, edition, definitions={}, descriptions={}
        ),
        "change_level_rule": lambda user: services.change_level_rule(
            user, edition, edition.level_rule
        ),
        "publish_edition": lambda user: services.publish_edition(user, edition),
    }


def test_a_published_edition_refuses_every_edit(network, edition):
    job = selectors.jobs_of(edition).first()
    for name, edit in _edits(edition, job).items():
        with pytest.raises(services.EditionFrozen):
            edit(network.national)
        assert edition.jobs.count() == len(edition.sommaire.all()), name
    assert not JournalEntry.objects.filter(
        action__in=["job.update", "job.add", "job.retire", "edition.update", "edition.publish"]
    ).exists()


def test_a_draft_once_published_is_frozen(network, draft, job):
    services.publish_edition(network.national, draft)
    draft.refresh_from_db()
    job.refresh_from_db()
    for edit in _edits(draft, job).values():
        with pytest.raises(services.EditionFrozen):
            edit(network.national)


def test_hr_and_readers_prepare_no_edition(network, edition, draft, job):
    other = selectors.jobs_of(draft).exclude(pk=job.pk).first()
    for user in (network.hr_north, network.reader_north):
        for edit in _edits(draft, job).values():
            with pytest.raises(NotAllowed):
                edit(user)
        with pytest.raises(NotAllowed):
            services.copy_edition(user, edition, label="par-rh")
        with pytest.raises(NotAllowed):
            services.decide_pairing(user, edition, draft, job.code, other.code)
    pairing = services.decide_pairing(network.national, edition, draft, job.code, other.code)
    for user in (network.hr_north, network.reader_north):
        with pytest.raises(NotAllowed):
            services.forget_pairing(user, pairing)
    assert draft.jobs.count() == edition.jobs.count()
    assert not draft.is_frozen and EditionPairing.objects.count() == 1


def test_update_edition_changes_title_status_and_date(network, draft):
    later = draft.date.replace(year=draft.date.year + 1)
    services.update_edition(
        network.national, draft, title=f"  {draft.title}   bis ", status="official", date=later
    )
    draft.refresh_from_db()
    assert draft.title.endswith(" bis") and "  " not in draft.title
    assert draft.status == "official" and draft.date == later
    assert _journal("edition.update", draft).after["status"] == "official"
    with pytest.raises(Refused):
        services.update_edition(
            network.national, draft, title=draft.title, status="inconnu", date=later
        )


# --- publishing ---------------------------------------------------------------------------------


def test_publishing_makes_the_draft_current(network, edition, draft):
    published = services.publish_edition(network.national, draft)
    edition.refresh_from_db()
    draft.refresh_from_db()
    assert draft.is_current and draft.is_frozen
    assert draft.published_by == network.national.get_username()
    assert not edition.is_current and edition.is_frozen
    assert selectors.get_edition() == published
    assert Edition.objects.filter(is_current=True).count() == 1
    entry = _journal("edition.publish", draft)
    assert entry.before["published_at"] is None and entry.after["is_current"] is True
    # The next draft is compared with it.
    following = services.copy_edition(network.national, draft, label="brouillon-2016")
    assert selectors.previous_edition(following) == draft


# --- pairing by hand ----------------------------------------------------------------------------


@pytest.fixture
def replaced(network, edition, draft):
    """In the draft, one job retired and the first announced job added in its place."""
    retired = selectors.jobs_of(draft).filter(level__number__gt=1).last()
    form = _form(retired)
    services.retire_job(network.national, retired)
    added = services.save_job(
        network.national, draft, None, **{**form, "title": draft.missing_jobs[0]}
    )
    return retired.code, added.code


def test_a_pairing_by_hand_shows_in_the_diff(network, edition, draft, replaced):
    old_code, new_code = replaced
    pairing = services.decide_pairing(network.national, edition, draft, old_code, new_code)
    assert selectors.pairings_between(edition, draft) == {old_code: new_code}
    diff = selectors.edition_diff(edition, draft)
    pair = diff.successor_of(old_code)
    assert pair.how == Pairing.BY_HAND and pair.after.code == new_code
    assert diff.retired == () and diff.added == ()
    _, mapping = selectors.successors_between(edition, draft)
    assert mapping[old_code].how == Succession.PAIRED and mapping[old_code].confidence == 1.0
    entry = JournalEntry.objects.get(action="edition.pairing")
    assert entry.after == {"from": edition.label, "job": old_code, "successor": new_code}
    # Forgotten: back to the automatic pairing.
    services.forget_pairing(network.national, pairing)
    assert selectors.pairings_between(edition, draft) == {}
    again = selectors.edition_diff(edition, draft)
    automatic = again.successor_of(old_code)
    assert automatic is None or automatic.how == Pairing.BY_SIMILARITY
    assert JournalEntry.objects.filter(action="edition.pairing.forget").count() == 1


def test_deciding_again_replaces_the_decision(network, edition, draft, replaced):
    old_code, new_code = replaced
    services.decide_pairing(network.national, edition, draft, old_code, new_code)
    services.decide_pairing(network.national, edition, draft, old_code, None)
    assert EditionPairing.objects.count() == 1
    assert selectors.pairings_between(edition, draft) == {old_code: None}
    diff = selectors.edition_diff(edition, draft)
    assert old_code in [job.code for job in diff.retired]
    assert diff.successor_of(old_code) is None


def test_no_successor_keeps_a_job_retired_even_when_its_code_remains(network, edition, draft, job):
    services.decide_pairing(network.national, edition, draft, job.code, None)
    diff = selectors.edition_diff(edition, draft)
    assert [j.code for j in diff.retired] == [job.code]
    assert [j.code for j in diff.added] == [job.code]


def test_jobs_merged_into_one_share_their_successor(network, edition, draft, replaced, job):
    old_code, new_code = replaced
    assert job.code != old_code
    services.retire_job(network.national, job)
    services.decide_pairing(network.national, edition, draft, old_code, new_code)
    services.decide_pairing(network.national, edition, draft, job.code, new_code)
    diff = selectors.edition_diff(edition, draft)
    assert {c.pair.before.code for c in diff.changes if c.pair.after.code == new_code} == {
        old_code,
        job.code,
    }
    assert diff.retired == () and diff.added == ()


def test_pairing_unknown_codes_is_refused(network, edition, draft, replaced):
    old_code, new_code = replaced
    with pytest.raises(Refused) as refused:
        services.decide_pairing(network.national, edition, draft, f"{old_code}-x", new_code)
    assert "before" in refused.value.problems
    with pytest.raises(Refused) as refused:
        services.decide_pairing(network.national, edition, draft, old_code, f"{new_code}-x")
    assert "after" in refused.value.problems
    # The new job is not a job of the earlier edition, the retired one not of the draft.
    with pytest.raises(Refused):
        services.decide_pairing(network.national, edition, draft, new_code, new_code)
    with pytest.raises(Refused):
        services.decide_pairing(network.national, edition, draft, old_code, old_code)
    assert not EditionPairing.objects.exists()


# --- the sommaire of a draft --------------------------------------------------------------------


def test_the_sommaire_of_a_draft_follows_its_jobs(network, draft, job):
    national = network.national
    _assert_sommaire_follows_jobs(draft)
    added = services.save_job(
        national, draft, None, **{**_form(job), "title": draft.missing_jobs[0]}
    )
    _assert_sommaire_follows_jobs(draft)
    services.save_job(national, draft, job, **{**_form(job), "degrees": _raised(draft, job)})
    _assert_sommaire_follows_jobs(draft)
    services.retire_job(national, added)
    _assert_sommaire_follows_jobs(draft)
    assert all(
        title_key(entry.title) == title_key(entry.job.title)
        for entry in draft.sommaire.select_related("job")
    )


def test_a_degree_must_be_a_number_not_a_yes(network, draft, job):
    form = _form(job)
    code = next(iter(form["degrees"]))
    with pytest.raises(Refused) as refused:
        services.save_job(
            network.national, draft, job, **{**form, "degrees": {**form["degrees"], code: True}}
        )
    assert code in refused.value.problems
