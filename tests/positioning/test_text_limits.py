"""Every stored text has a limit: in the model (checked before any save, whatever path
brought the text), in the forms, and in what the journal records of it."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models

from repertoire.audit.models import JournalEntry
from repertoire.audit.services import record
from repertoire.core.limits import JOURNAL_TEXT_MAX, LONG_TEXT_MAX, SHORT_TEXT_MAX
from repertoire.core.refusals import Refused
from repertoire.positioning import services
from repertoire.positioning.forms import AppealForm, CommentForm
from repertoire.positioning.models import Employee, Positioning
from tests.positioning.decisions import decisions  # noqa: F401  shared fixture

# Written by the app itself from a failure (the background work's ``error``).
WRITTEN_BY_THE_APP = {"error"}


def test_every_text_field_of_the_app_has_a_limit():
    unbounded = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model.__module__.startswith("repertoire.")
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and not field.max_length
        and field.name not in WRITTEN_BY_THE_APP
    ]
    assert unbounded == []


@pytest.mark.django_db
def test_an_overlong_comment_is_refused_and_nothing_is_stored(decisions):  # noqa: F811
    alice = decisions.alice
    with pytest.raises(Refused) as refused:
        services.comment(decisions.network.hr_north, alice, "c" * (SHORT_TEXT_MAX + 1))
    assert "comment" in refused.value.problems
    assert Positioning.objects.get(pk=alice.pk).comment == ""
    assert not JournalEntry.objects.filter(action="positioning.comment").exists()


@pytest.mark.django_db
def test_an_overlong_job_description_is_refused(decisions):  # noqa: F811
    network = decisions.network
    with pytest.raises(Refused) as refused:
        services.create_employee(
            network.hr_north,
            network.north,
            matricule="L-1",
            last_name="LONG",
            job_title="Comptable",
            job_description="d" * (LONG_TEXT_MAX + 1),
        )
    assert "job_description" in refused.value.problems
    assert not Employee.objects.filter(matricule="L-1").exists()


@pytest.mark.django_db
def test_any_save_of_an_overlong_text_is_refused(decisions):  # noqa: F811
    alice = decisions.alice
    alice.personal_level_reason = "r" * (SHORT_TEXT_MAX + 1)
    with pytest.raises(Refused):
        alice.save()
    assert Positioning.objects.get(pk=alice.pk).personal_level_reason == ""


def test_the_forms_carry_the_limits():
    assert not CommentForm({"text": "c" * (SHORT_TEXT_MAX + 1)}).is_valid()
    assert CommentForm({"text": "c" * SHORT_TEXT_MAX}).is_valid()
    form = AppealForm(
        {"kind": "evaluation", "argument": "a" * (LONG_TEXT_MAX + 1), "received_on": "2015-03-02"}
    )
    assert "argument" in form.errors


@pytest.mark.django_db
def test_the_journal_never_keeps_more_of_a_text_than_its_limit(decisions):  # noqa: F811
    huge = "x" * 5_000_000
    entry = record(
        actor="test",
        action="test.huge",
        instance=decisions.alice,
        before={"texts": [huge]},
        after={"missions": huge, "nested": {"note": huge}},
    )
    entry.refresh_from_db()
    assert len(entry.after["missions"]) < JOURNAL_TEXT_MAX + 100
    assert entry.after["missions"].endswith("[… 5000000 caractères en tout]")
    assert len(entry.after["nested"]["note"]) < JOURNAL_TEXT_MAX + 100
    assert len(entry.before["texts"][0]) < JOURNAL_TEXT_MAX + 100
    from repertoire.audit.services import bounded

    assert bounded({"chiffre": huge}) == {"chiffre": huge}  # a sealed value is left whole
