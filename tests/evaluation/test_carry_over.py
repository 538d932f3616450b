"""Weighings and editions: a person placed on a validated weighing is to be repositioned
once a new edition is in force, and the weighing can be carried into it (a new draft
version with the old degrees, to validate); the national validator reviews a weighing
beside the nearest reference jobs, as the HR form shows them."""

from __future__ import annotations

import pytest
from django.utils.html import escape

from repertoire.audit.models import JournalEntry
from repertoire.catalog import services as editions
from repertoire.core.refusals import Refused
from repertoire.evaluation import services
from repertoire.evaluation.models import EvaluationEvent, JobEvaluation
from repertoire.positioning import services as positioning
from repertoire.positioning.models import Positioning
from tests.accounts.conftest import network  # noqa: F401  shared fixture
from tests.positioning.test_evaluation_positionings import LOCAL_TITLE, evaluate

pytestmark = pytest.mark.django_db


@pytest.fixture
def weighed(edition, network):  # noqa: F811
    """A validated weighing of the north, Alice placed on it, then a new edition published."""
    evaluation = evaluate(edition, network.hr_north, network.national, network.north, LOCAL_TITLE)
    alice = Positioning.objects.get(employee=network.north_employee)
    positioning.place_on_evaluation(network.hr_north, alice, evaluation_id=evaluation.pk)
    draft = editions.copy_edition(network.national, edition, label="suivante")
    official, _ = positioning.publish_edition(network.national, draft)
    return evaluation, official


def test_a_person_on_a_weighing_is_to_be_repositioned_after_a_new_edition(
    weighed,
    client,
    network,  # noqa: F811
):
    evaluation, official = weighed
    new = Positioning.objects.get(edition=official, employee=network.north_employee)
    assert new.status == Positioning.Status.PROPOSED and new.evaluation is None
    assert "à repositionner" in new.events.get().note
    # The weighing's page says so and offers to carry it into the edition in force.
    client.force_login(network.hr_north)
    page = client.get(f"/pesees/{evaluation.pk}/")
    assert page.context["outdated"] and page.context["may_carry"]
    assert page.context["placed"] == 1
    assert f'action="/pesees/{evaluation.pk}/reporter/"' in page.content.decode()


def test_carrying_a_weighing_makes_a_draft_version_on_the_new_edition(weighed, network):  # noqa: F811
    evaluation, official = weighed
    carried = services.carry_to_edition(network.hr_north, evaluation)
    assert carried.edition == official and carried.status == JobEvaluation.Status.DRAFT
    assert carried.revision_of == evaluation and carried.number == evaluation.number + 1
    assert carried.degrees == evaluation.degrees
    assert carried.justifications == evaluation.justifications
    assert carried.level is not None
    assert carried.events.get().action == EvaluationEvent.Action.REVISE
    entry = JournalEntry.objects.get(action="evaluation.carry_over", object_id=str(carried.pk))
    assert entry.actor == network.hr_north.username
    assert entry.after["from"] == evaluation.edition.label
    evaluation.refresh_from_db()
    assert evaluation.status == JobEvaluation.Status.VALIDATED  # the old one as it was
    with pytest.raises(Refused):
        services.carry_to_edition(network.hr_north, evaluation)  # once
    # Submitted and validated like any, it can then hold people on the new edition.
    services.submit(network.hr_north, carried)
    services.validate(network.national, carried)
    new = Positioning.objects.get(edition=official, employee=network.north_employee)
    positioning.place_on_evaluation(network.hr_north, new, evaluation_id=carried.pk)


def test_the_carry_button_posts_and_a_weighing_of_the_edition_in_force_is_not_carried(
    weighed,
    client,
    network,  # noqa: F811
):
    evaluation, official = weighed
    client.force_login(network.hr_north)
    response = client.post(f"/pesees/{evaluation.pk}/reporter/")
    carried = JobEvaluation.objects.get(revision_of=evaluation)
    assert response.status_code == 302 and response.url == f"/pesees/{carried.pk}/"
    assert carried.edition == official
    with pytest.raises(Refused):
        services.carry_to_edition(network.hr_north, carried)  # a draft, on the edition in force


def test_the_validator_reviews_a_weighing_beside_the_nearest_reference_jobs(
    edition,
    client,
    network,  # noqa: F811
):
    submitted = evaluate(
        edition, network.hr_north, network.national, network.north, LOCAL_TITLE, validate=False
    )
    client.force_login(network.national)
    page = client.get(f"/pesees/{submitted.pk}/")
    assert page.context["may_decide"]
    nearest = page.context["nearest"]["result"]
    assert nearest.by_profile
    html = page.content.decode()
    assert 'class="by-profile"' in html
    assert escape(nearest.by_profile[0].title) in html
    # HR, who filled in the form beside them, do not get them twice.
    client.force_login(network.hr_north)
    assert client.get(f"/pesees/{submitted.pk}/").context["nearest"] is None
