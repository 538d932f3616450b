"""Writing evaluations: create, change, submit, validate, send back, comment, revise — with
the roles that may, the frozen states, the history of every step and the journal.

Criteria and levels are read from the loaded edition; the local job titles are the test's.
"""

from __future__ import annotations

import pytest

from repertoire.audit.models import JournalEntry
from repertoire.catalog import selectors as catalog
from repertoire.core.refusals import NotAllowed, Refused
from repertoire.evaluation import services
from repertoire.evaluation.models import EvaluationEvent, JobEvaluation
from tests.accounts.conftest import network  # noqa: F401  shared fixture

pytestmark = pytest.mark.django_db

LOCAL_TITLE = "Chargé(e) de veille économique"
LOCAL_MISSIONS = "Suivre l'actualité des filières\nRédiger des notes de conjoncture"


def codes_of(edition) -> list[str]:
    return [criterion.code for criterion in catalog.criteria_of(edition)]


def profile(edition, values=None) -> dict[str, int]:
    codes = codes_of(edition)
    values = values or [4, 4, 3, 4, 3, 4, 3, 4][: len(codes)]
    return dict(zip(codes, values, strict=True))


def reasons(edition) -> dict[str, str]:
    return {code: f"Justification du degré retenu ({code})" for code in codes_of(edition)}


def level_of(edition, degrees: dict[str, int]) -> int:
    return catalog.grid_of(edition).classify([degrees[code] for code in codes_of(edition)]).level


def journal(evaluation) -> list[tuple[str, str]]:
    return list(
        JournalEntry.objects.filter(
            object_type="evaluation.jobevaluation", object_id=str(evaluation.pk)
        )
        .order_by("at", "pk")
        .values_list("action", "actor")
    )


def history(evaluation) -> list[tuple[str, str, str]]:
    return [(e.action, e.author, e.status) for e in evaluation.events.order_by("at", "pk")]


@pytest.fixture
def draft(edition, network):  # noqa: F811
    return services.create_evaluation(
        network.hr_north,
        network.north,
        title=LOCAL_TITLE,
        missions=LOCAL_MISSIONS,
        degrees=profile(edition),
    )


@pytest.fixture
def submitted(draft, edition, network):  # noqa: F811
    services.update_evaluation(network.hr_north, draft, justifications=reasons(edition))
    return services.submit(network.hr_north, draft, comment="Prête pour revue")


@pytest.fixture
def validated(submitted, network):  # noqa: F811
    return services.validate(network.national, submitted, comment="Conforme")


# --- create ---------------------------------------------------------------------------


def test_create_a_draft_with_the_editions_level(draft, edition, network):  # noqa: F811
    degrees = profile(edition)
    grid = catalog.grid_of(edition)
    expected = grid.classify([degrees[code] for code in codes_of(edition)])
    assert draft.status == JobEvaluation.Status.DRAFT
    assert (draft.level, draft.rule, draft.explanation) == (
        expected.level,
        expected.rule,
        expected.explanation,
    )
    assert draft.edition == edition and draft.number == 1 and draft.revision_of is None
    assert draft.degrees == degrees and draft.justifications == {}
    assert draft.created_by == network.hr_north.get_username()
    assert history(draft) == [("create", "rh-nord", "draft")]
    event = draft.events.get()
    assert (event.degrees, event.level) == (degrees, expected.level)
    assert journal(draft) == [("evaluation.create", "rh-nord")]
    entry = JournalEntry.objects.get(
        object_type="evaluation.jobevaluation", object_id=str(draft.pk)
    )
    assert entry.establishment == network.north and entry.after["title"] == LOCAL_TITLE


def test_texts_are_tidied_and_a_title_is_required(edition, network):  # noqa: F811
    evaluation = services.create_evaluation(
        network.national,
        network.south,
        title="  Chargé   de  mission  ",
        missions="  Animer le réseau  ",
        degrees=profile(edition),
        justifications={codes_of(edition)[0]: "  parce que  "},
    )
    assert evaluation.title == "Chargé de mission" and evaluation.missions == "Animer le réseau"
    assert evaluation.justifications == {codes_of(edition)[0]: "parce que"}
    with pytest.raises(Refused) as refused:
        services.create_evaluation(
            network.national, network.south, title="  ", degrees=profile(edition)
        )
    assert set(refused.value.problems) == {"title"}
    with pytest.raises(Refused) as refused:
        services.create_evaluation(
            network.national,
            network.south,
            title=LOCAL_TITLE,
            degrees=profile(edition),
            justifications={"inconnu": "texte"},
        )
    assert set(refused.value.problems) == {"justifications"}
    assert JobEvaluation.objects.count() == 1


@pytest.mark.parametrize("who", ["reader_north", "hr_south"])
def test_readers_and_other_establishments_may_not_create(who, edition, network):  # noqa: F811
    with pytest.raises(NotAllowed):
        services.create_evaluation(
            getattr(network, who), network.north, title=LOCAL_TITLE, degrees=profile(edition)
        )
    assert not JobEvaluation.objects.exists() and not EvaluationEvent.objects.exists()


# --- clean_degrees --------------------------------------------------------------------


def test_clean_degrees_names_each_criterion_in_error(edition):
    codes = codes_of(edition)
    assert services.clean_degrees(edition, {code: str(3) for code in codes}) == dict.fromkeys(
        codes, 3
    )
    degrees = profile(edition)
    del degrees[codes[0]]
    degrees[codes[1]] = 9
    degrees[codes[2]] = "beaucoup"
    degrees[codes[3]] = 0
    degrees["inconnu"] = 4
    with pytest.raises(Refused) as refused:
        services.clean_degrees(edition, degrees)
    errors = refused.value.problems
    assert set(errors) == {codes[0], codes[1], codes[2], codes[3], "degrees"}
    assert "choisissez" in errors[codes[0]][0] and "choisissez" in errors[codes[2]][0]
    assert "9" in errors[codes[1]][0] and "0" in errors[codes[3]][0]
    assert "inconnu" in errors["degrees"][0]


def test_create_with_bad_degrees_writes_nothing(edition, network):  # noqa: F811
    degrees = profile(edition)
    degrees[codes_of(edition)[-1]] = 12
    with pytest.raises(Refused) as refused:
        services.create_evaluation(
            network.hr_north, network.north, title=LOCAL_TITLE, degrees=degrees
        )
    assert set(refused.value.problems) == {codes_of(edition)[-1]}
    assert (
        not JobEvaluation.objects.exists()
        and not JournalEntry.objects.filter(action__startswith="evaluation.").exists()
    )


# --- update ---------------------------------------------------------------------------


def test_update_records_what_changed_and_reclassifies(draft, edition, network):  # noqa: F811
    codes = codes_of(edition)
    before = dict(draft.degrees)
    after = {**before, codes[0]: before[codes[0]] + 3}
    services.update_evaluation(
        network.hr_north, draft, degrees=after, title="Chargé(e) de veille stratégique"
    )
    draft.refresh_from_db()
    assert draft.degrees == after and draft.level == level_of(edition, after)
    event = draft.events.order_by("-pk").first()
    assert (event.action, event.author) == ("edit", "rh-nord")
    assert event.changes == {
        "degrees": {"avant": before, "apres": after},
        "title": {"avant": LOCAL_TITLE, "apres": "Chargé(e) de veille stratégique"},
    }
    assert event.level == draft.level
    assert journal(draft)[-1] == ("evaluation.update", "rh-nord")
    # The same values again change nothing and record nothing.
    events = draft.events.count()
    services.update_evaluation(network.hr_north, draft, degrees=after)
    assert draft.events.count() == events


def test_update_refuses_unknown_fields_and_other_roles(draft, network):  # noqa: F811
    with pytest.raises(Refused) as refused:
        services.update_evaluation(network.hr_north, draft, level=8)
    assert set(refused.value.problems) == {"level"}
    for user in (network.reader_north, network.hr_south):
        with pytest.raises(NotAllowed):
            services.update_evaluation(user, draft, title="Piraté")
    draft.refresh_from_db()
    assert draft.title == LOCAL_TITLE and draft.events.count() == 1


# --- submit, validate, send back ------------------------------------------------------


def test_submit_needs_every_justification(draft, edition, network):  # noqa: F811
    codes = codes_of(edition)
    services.update_evaluation(network.hr_north, draft, justifications={codes[0]: "Diplôme"})
    with pytest.raises(Refused) as refused:
        services.submit(network.hr_north, draft)
    assert set(refused.value.problems) == set(codes[1:])
    labels = {c.code: c.label for c in catalog.criteria_of(edition)}
    assert labels[codes[1]] in refused.value.problems[codes[1]][0]
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.submitted_at is None


def test_submitted_then_validated_by_a_national_administrator(submitted, network):  # noqa: F811
    assert submitted.status == "submitted" and submitted.submitted_at is not None
    assert submitted.is_frozen
    for user in (network.hr_north, network.reader_north):
        with pytest.raises(NotAllowed):
            services.validate(user, submitted)
    services.validate(network.national, submitted, comment="Conforme")
    submitted.refresh_from_db()
    assert submitted.status == "validated" and submitted.decided_by == "nationale"
    assert submitted.decided_at is not None
    assert history(submitted) == [
        ("create", "rh-nord", "draft"),
        ("edit", "rh-nord", "draft"),
        ("submit", "rh-nord", "submitted"),
        ("validate", "nationale", "validated"),
    ]
    assert submitted.events.get(action="submit").note == "Prête pour revue"
    assert submitted.events.get(action="validate").note == "Conforme"
    assert [action for action, _ in journal(submitted)] == [
        "evaluation.create",
        "evaluation.update",
        "evaluation.submit",
        "evaluation.validate",
    ]


@pytest.mark.parametrize("state", ["submitted", "validated"])
def test_frozen_once_submitted_and_once_validated(state, request, network):  # noqa: F811
    evaluation = request.getfixturevalue(state)
    for user in (network.hr_north, network.national):
        with pytest.raises(Refused, match="impossible de modifier"):
            services.update_evaluation(user, evaluation, title="Autre intitulé")
        with pytest.raises(Refused, match="impossible de soumettre"):
            services.submit(user, evaluation)
    evaluation.refresh_from_db()
    assert (evaluation.title, evaluation.status) == (LOCAL_TITLE, state)
    if state == "validated":
        with pytest.raises(Refused, match="impossible de valider"):
            services.validate(network.national, evaluation)
        with pytest.raises(Refused, match="impossible de renvoyer"):
            services.send_back(network.national, evaluation, comment="Non")
        evaluation.refresh_from_db()
        assert evaluation.status == "validated"


def test_send_back_says_why_and_the_establishment_edits_again(submitted, network):  # noqa: F811
    with pytest.raises(NotAllowed):
        services.send_back(network.hr_north, submitted, comment="Je me renvoie")
    with pytest.raises(Refused) as refused:
        services.send_back(network.national, submitted, comment="   ")
    assert set(refused.value.problems) == {"comment"}
    services.send_back(network.national, submitted, comment="Degré de relations trop haut")
    submitted.refresh_from_db()
    assert submitted.status == "returned" and not submitted.is_frozen
    event = submitted.events.order_by("-pk").first()
    assert (event.action, event.author, event.note) == (
        "return",
        "nationale",
        "Degré de relations trop haut",
    )
    services.update_evaluation(network.hr_north, submitted, missions="Missions précisées")
    submitted.refresh_from_db()
    assert submitted.status == "draft"
    services.submit(network.hr_north, submitted)
    assert submitted.status == "submitted"
    assert journal(submitted)[-3:] == [
        ("evaluation.return", "nationale"),
        ("evaluation.update", "rh-nord"),
        ("evaluation.submit", "rh-nord"),
    ]


# --- comments -------------------------------------------------------------------------


def test_comments_by_the_establishment_and_national_not_readers(draft, network):  # noqa: F811
    services.comment(network.hr_north, draft, "  Vu avec le directeur  ")
    services.comment(network.national, draft, "Comparer avec l'emploi repère voisin")
    for user in (network.reader_north, network.hr_south):
        with pytest.raises(NotAllowed):
            services.comment(user, draft, "Intrusion")
    with pytest.raises(Refused) as refused:
        services.comment(network.hr_north, draft, "  ")
    assert set(refused.value.problems) == {"comment"}
    notes = list(draft.events.filter(action="comment").values_list("author", "note"))
    assert notes == [
        ("rh-nord", "Vu avec le directeur"),
        ("nationale", "Comparer avec l'emploi repère voisin"),
    ]
    assert draft.status == "draft"
    assert [a for a, _ in journal(draft)].count("evaluation.comment") == 2


# --- revise ---------------------------------------------------------------------------


def test_revise_makes_a_new_edition_and_leaves_the_validated_one(validated, network):  # noqa: F811
    with pytest.raises(NotAllowed):
        services.revise(network.reader_north, validated)
    revision = services.revise(network.hr_north, validated)
    assert revision.pk != validated.pk
    assert (revision.number, revision.revision_of, revision.status) == (2, validated, "draft")
    assert revision.degrees == validated.degrees
    assert revision.justifications == validated.justifications
    assert (revision.title, revision.level) == (validated.title, validated.level)
    assert history(revision) == [("revise", "rh-nord", "draft")]
    assert "v1" in revision.events.get().note
    assert journal(revision) == [("evaluation.revise", "rh-nord")]
    services.update_evaluation(network.hr_north, revision, title="Intitulé révisé")
    validated.refresh_from_db()
    assert validated.title == LOCAL_TITLE and validated.status == "validated"
    with pytest.raises(Refused, match="plus récente"):
        services.revise(network.hr_north, validated)


def test_only_a_validated_evaluation_is_revised(draft, submitted, network):  # noqa: F811
    with pytest.raises(Refused, match="validée"):
        services.revise(network.hr_north, submitted)
    assert JobEvaluation.objects.count() == 1
