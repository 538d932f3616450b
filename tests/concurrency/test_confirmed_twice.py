"""A confirmation sent twice (a double click, a client retrying after a timeout) is
answered with what the first one did: one batch, one notification, and the person told
how many were validated or notified, never "nothing was validated" for work that was
done. Another person sending the same confirmation is still refused."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.utils import timezone

from repertoire.positioning import services
from repertoire.positioning.models import AcceptanceBatch, Notification, Positioning
from repertoire.positioning.selectors import WorklistFilters
from repertoire.positioning.services._common import REPEAT_WINDOW
from tests.accounts.conftest import hire_by_service

pytestmark = pytest.mark.django_db

BULK = "/positionnement/CCI-NORD/accepter/"
NOTIFY = "/positionnement/CCI-NORD/notifier/"
API_BULK = "/api/positionings/acceptance-batches"


def _said(response) -> str:
    """A page's text as the person reads it (entities unescaped)."""
    return html.unescape(response.content.decode())


def _confirmation(page: str, action: str) -> dict[str, str]:
    """The hidden fields of the form posting to ``action``: what the person confirms."""
    form = page[page.index(f'action="{action}"') :]
    form = form[: form.index("</form>")]
    return dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', form))


def _accounting_page(client) -> dict[str, str]:
    page = client.get(BULK, {"service": "Comptabilité", "threshold": "0.5"}).content.decode()
    return _confirmation(page, BULK)


def test_the_bulk_acceptance_confirmed_twice_makes_one_batch_and_says_what_it_validated(
    client, edition, network
):
    hire_by_service(network, edition)
    client.force_login(network.hr_north)
    shown = _accounting_page(client)

    client.post(BULK, shown)
    again = _said(client.post(BULK, shown, follow=True))

    (batch,) = AcceptanceBatch.objects.all()
    assert batch.accepted == 2
    assert f"n° {batch.pk}" in again
    assert "2 propositions" in again and "n'a été validé" not in again
    assert Positioning.objects.filter(status=Positioning.Status.VALIDATED).count() == 2


def test_an_api_client_retrying_a_bulk_acceptance_gets_the_same_batch(client, edition, network):
    hire_by_service(network, edition)
    client.force_login(network.hr_north)
    body = {"establishment": "CCI-NORD", "threshold": 0.5, "service": "Comptabilité"}
    dry = client.post(API_BULK, body | {"dry_run": True}, content_type="application/json").json()
    confirmed = body | {"expected": dry["accepted"], "etag": dry["etag"]}

    first = client.post(API_BULK, confirmed, content_type="application/json")
    retry = client.post(API_BULK, confirmed, content_type="application/json")

    assert first.status_code == retry.status_code == 200
    assert retry.json()["batch"] == first.json()["batch"]
    assert retry.json()["accepted"] == first.json()["accepted"] == 2
    assert retry.json()["jobs"] == first.json()["jobs"] == dry["jobs"]
    assert AcceptanceBatch.objects.count() == 1


def test_a_colleague_confirming_the_same_page_is_still_refused(client, edition, network):
    hire_by_service(network, edition)
    client.force_login(network.hr_north)
    shown = _accounting_page(client)
    # The same page, confirmed by someone else first (the etag says the same selection).
    services.accept_batch(
        network.national,
        network.north,
        threshold=0.5,
        filters=WorklistFilters(service="Comptabilité"),
        seen=shown["etag"],
    )

    response = _said(client.post(BULK, shown, follow=True))

    assert "rien n'a été validé" in response
    assert AcceptanceBatch.objects.get().author == network.national.username


def test_an_undone_batch_is_not_the_answer_to_its_confirmation_sent_again(client, edition, network):
    hire_by_service(network, edition)
    client.force_login(network.hr_north)
    shown = _accounting_page(client)
    client.post(BULK, shown)
    first = AcceptanceBatch.objects.get()
    services.undo_batch(network.hr_north, first)

    # The proposals are back as they were: the page confirmed again validates them anew.
    client.post(BULK, shown)

    assert AcceptanceBatch.objects.count() == 2
    assert Positioning.objects.filter(status=Positioning.Status.VALIDATED).count() == 2


def test_the_notification_confirmed_twice_notifies_once_and_says_how_many(client, edition, network):
    hire_by_service(network, edition)
    for positioning in Positioning.objects.filter(employee__matricule__in=["T001", "T002"]):
        services.validate(network.hr_north, positioning)
    client.force_login(network.hr_north)
    shown = _confirmation(client.get(NOTIFY).content.decode(), NOTIFY)
    assert shown["attendu"] == "2"

    client.post(NOTIFY, shown)
    again = _said(client.post(NOTIFY, shown, follow=True))

    assert "2 positionnements notifiés" in again
    assert "n'a été notifié" not in again
    (notification,) = Notification.objects.all()
    assert notification.notified == 2 and notification.author == network.hr_north.username
    notified = Positioning.objects.filter(status=Positioning.Status.NOTIFIED)
    assert notified.count() == 2
    assert all(p.events.filter(action="notify").count() == 1 for p in notified)


def _letter_on_the_employee_page(client, network) -> tuple[Positioning, dict[str, str]]:
    """A validated positioning, and the letter's form on the person's page, as HR sees it."""
    positioning = Positioning.objects.get(employee=network.north_employee)
    services.validate(network.hr_north, positioning)
    client.force_login(network.hr_north)
    page = client.get(f"/personnel/{network.north_employee.pk}/").content.decode()
    return positioning, _confirmation(page, NOTIFY)


def test_one_letter_recorded_twice_from_the_employee_page_is_recorded_once(
    client, edition, network
):
    positioning, shown = _letter_on_the_employee_page(client, network)

    client.post(NOTIFY, shown)
    again = _said(client.post(NOTIFY, shown, follow=True))

    assert "1 positionnement notifié" in again
    assert "n'a été notifié" not in again
    assert positioning.events.filter(action="notify").count() == 1


def test_a_confirmation_sent_again_after_the_repeat_window_is_a_new_decision(
    client, edition, network
):
    hire_by_service(network, edition)
    client.force_login(network.hr_north)
    shown = _accounting_page(client)
    client.post(BULK, shown)
    # The page stayed open longer than a retry takes: sent again, it is checked as new.
    AcceptanceBatch.objects.update(created_at=timezone.now() - REPEAT_WINDOW - dt.timedelta(1))

    response = _said(client.post(BULK, shown, follow=True))

    assert "rien n'a été validé" in response
    assert AcceptanceBatch.objects.count() == 1


def test_one_letter_recorded_again_after_the_repeat_window_is_checked_as_new(
    client, edition, network
):
    positioning, shown = _letter_on_the_employee_page(client, network)
    client.post(NOTIFY, shown)
    Notification.objects.update(created_at=timezone.now() - REPEAT_WINDOW - dt.timedelta(1))

    again = _said(client.post(NOTIFY, shown, follow=True))

    assert "personne n'a été notifié" in again
    assert positioning.events.filter(action="notify").count() == 1


# --- one decision sent twice by an API client --------------------------------------------


def test_a_validation_sent_twice_is_answered_with_the_positioning_it_validated(
    client, edition, network
):
    """A client retrying after a timeout, with the etag it read: the first request went
    through; the second is told so (200, the positioning as validated), not "changed
    meanwhile by you". Another person's request with that etag is still refused."""
    positioning = Positioning.objects.get(employee=network.north_employee)
    client.force_login(network.hr_north)
    etag = client.get(f"/api/positionings/{positioning.pk}").json()["etag"]
    url = f"/api/positionings/{positioning.pk}/validate"

    first = client.post(url, {"etag": etag}, content_type="application/json")
    again = client.post(url, {"etag": etag}, content_type="application/json")

    assert first.status_code == again.status_code == 200
    assert again.json()["status"] == "validated" == first.json()["status"]
    assert positioning.events.filter(action="validate").count() == 1
    other = positioning.edition.jobs.exclude(pk=positioning.job_id).first()
    changed = client.post(
        f"/api/positionings/{positioning.pk}/change",
        {"job": other.code, "etag": etag},
        content_type="application/json",
    )
    assert changed.status_code == 409  # another decision from the same old page


def test_an_appeal_recorded_twice_and_decided_twice_is_one_appeal_one_decision(
    client, edition, network
):
    positioning = Positioning.objects.get(employee=network.north_employee)
    services.validate(network.hr_north, positioning)
    services.notify(network.hr_north, [positioning], on=dt.date.today())
    client.force_login(network.hr_north)
    body = {"positioning": positioning.pk, "kind": "weighing", "argument": "Encadrement oublié"}

    opened = client.post("/api/appeals", body, content_type="application/json")
    again = client.post("/api/appeals", body, content_type="application/json")

    assert opened.status_code in (200, 201) and again.status_code == opened.status_code
    assert again.json()["id"] == opened.json()["id"]
    decision = {"outcome": "confirmed", "reasoning": "Pesée conforme"}
    url = f"/api/appeals/{opened.json()['id']}/decision"
    decided = client.post(url, decision, content_type="application/json")
    decided_again = client.post(url, decision, content_type="application/json")
    assert decided.status_code == decided_again.status_code == 200
    other = client.post(
        url, {**decision, "reasoning": "Autre motif"}, content_type="application/json"
    )
    assert other.status_code == 422  # another decision: the appeal is decided already
