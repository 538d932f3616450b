import dataclasses

import pytest

from repertoire.accounts.selectors import CommandLineOperator
from repertoire.catalog import selectors, services
from repertoire.catalog.models import Edition, JobDegree, ReferenceJob, SommaireEntry
from repertoire.core.document import DocumentInvalid, write_document
from repertoire.core.document_reader import parse_document
from repertoire.core.grid import RuleRefused
from repertoire.core.text import to_roman

pytestmark = pytest.mark.django_db


def test_bundled_edition_is_loaded_once(edition, document):
    assert edition.is_current
    assert edition.date == document.date
    assert edition.document_status == document.status
    assert edition.level_rule == "total_points"
    assert services.ensure_bundled_edition(author="test") is None
    assert Edition.objects.count() == 1


def test_every_job_is_stored_with_exact_degrees_and_level(edition, document):
    jobs = list(selectors.jobs_of(edition))
    assert len(jobs) == len(document.jobs) == 51
    for stored, sheet in zip(jobs, document.jobs, strict=True):
        assert stored.code == sheet.code
        assert stored.title == sheet.title
        assert stored.heading == sheet.heading
        assert stored.level.number == sheet.level
        assert selectors.degrees_of(stored) == sheet.degrees
        assert [item["text"] for item in stored.missions] == [m.text for m in sheet.missions]
        assert stored.missions and stored.requirements


def test_sub_bullets_are_stored_under_their_mission(edition, document):
    expected = {
        job.code: [list(m.subitems) for m in job.missions]
        for job in document.jobs
        if any(m.subitems for m in job.missions)
    }
    assert expected, "the 2014 edition has missions with sub-bullets"
    for code, subitems in expected.items():
        job = ReferenceJob.objects.get(edition=edition, code=code)
        assert [item["subitems"] for item in job.missions] == subitems


def test_sommaire_entries_point_to_their_job(edition, document):
    entries = list(SommaireEntry.objects.filter(edition=edition).select_related("job"))
    assert len(entries) == len(document.sommaire)
    assert all(entry.job is not None for entry in entries)
    assert all(entry.job.level.number == entry.level_number for entry in entries)


def test_level_definitions_keep_variants_and_copy_errors(edition, document):
    definitions = document.level_definitions()
    for level in selectors.levels_of(edition):
        texts = [tuple(d.paragraphs) for d in level.definitions.all()]
        assert texts == list(definitions.by_level[level.number])
    copies = [
        job
        for job in selectors.jobs_of(edition)
        if job.level_definition.level.number != job.level.number
    ]
    assert {job.code for job in copies} == {
        sheet.code for sheet in document.jobs if definitions.home[sheet.level_text] != sheet.level
    }
    assert copies, "the 2014 edition prints another level's definition under some jobs"


def test_the_stored_edition_gives_back_the_document(edition, document):
    assert selectors.document_of(edition) == document


def test_text_round_trip_through_the_database(edition, document):
    text = write_document(selectors.document_of(edition))
    again = services.import_edition(parse_document(text), author="test", label="copie")
    assert selectors.document_of(again) == document
    assert not again.is_current


def test_a_label_already_used_is_refused_and_nothing_is_written(edition, document):
    with pytest.raises(DocumentInvalid) as refused:
        services.import_edition(document, author="test")
    assert "existe déjà" in str(refused.value)
    assert Edition.objects.count() == 1


def _with_level_changed(document, index, level):
    jobs = list(document.jobs)
    jobs[index] = dataclasses.replace(jobs[index], level=level)
    return dataclasses.replace(document, jobs=tuple(jobs))


def test_a_document_no_rule_reproduces_is_refused_naming_the_job(db, document):
    wrong = _with_level_changed(document, 0, document.jobs[0].level + 3)
    with pytest.raises(DocumentInvalid) as refused:
        services.import_edition(wrong, author="test")
    lines = [error.line for error in refused.value.errors]
    assert document.jobs[0].line in lines
    assert document.jobs[0].title in str(refused.value)
    assert to_roman(document.jobs[0].level + 3) in str(refused.value)
    assert not Edition.objects.exists()


def test_an_explicit_rule_is_used_when_it_calibrates(db, document):
    edition = services.import_edition(document, author="test", rule="median")
    assert edition.level_rule == "median"


def test_an_unknown_rule_is_refused(db, document):
    with pytest.raises(ValueError, match="inconnue"):
        services.import_edition(document, author="test", rule="astrology")
    assert not Edition.objects.exists()


def test_import_is_all_or_nothing(db, document, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(JobDegree.objects, "bulk_create", fail)
    with pytest.raises(RuntimeError):
        services.import_edition(document, author="test")
    assert not Edition.objects.exists()
    assert not ReferenceJob.objects.exists()


def test_set_level_rule_refuses_a_rule_that_misclassifies(edition):
    job = selectors.jobs_of(edition).first()
    # Doctor one reference job so that the median rule no longer reproduces its level.
    JobDegree.objects.filter(job=job).update(degree=8)
    with pytest.raises(RuleRefused) as refused:
        services.set_level_rule(edition, "median")
    assert job.title in str(refused.value)
    edition.refresh_from_db()
    assert edition.level_rule == "total_points"


def test_set_level_rule_accepts_a_calibrated_rule(edition):
    services.set_level_rule(edition, "median")
    edition.refresh_from_db()
    assert edition.level_rule == "median"
    assert selectors.grid_of(edition).rule.code == "median"


def test_make_current_keeps_a_single_current_edition(edition, document):
    other = services.import_edition(document, author="test", label="autre")
    with pytest.raises(ValueError, match="brouillon"):
        services.make_current(other)  # a draft is put in force by publishing it
    services.publish_edition(CommandLineOperator("test"), other)
    services.make_current(edition)
    services.make_current(other)
    assert list(Edition.objects.filter(is_current=True)) == [other]
    assert selectors.get_edition() == other
    assert selectors.get_edition(edition.label) == edition


def test_unknown_edition_is_reported(db):
    with pytest.raises(selectors.EditionNotFound):
        selectors.get_edition()
    with pytest.raises(selectors.EditionNotFound):
        selectors.get_edition("1999-01-01")
