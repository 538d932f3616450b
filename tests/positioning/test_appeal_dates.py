"""A commission's decision or an appeal received is never dated in the future, and the
appeal's page names its dates plainly (issue 19.11)."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from repertoire.core.refusals import Refused
from repertoire.positioning import services
from repertoire.positioning.models import Appeal, Positioning


def _open_appeal(decisions) -> Appeal:
    return Appeal.objects.get(positioning=decisions.chloe, status=Appeal.Status.OPEN)


def _tomorrow() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=1)


def test_the_form_refuses_a_decision_dated_tomorrow(client, decisions):
    appeal = _open_appeal(decisions)
    client.force_login(decisions.network.hr_north)
    response = client.post(
        reverse("worklist:appeal", args=[appeal.pk]),
        {"outcome": "confirmed", "reasoning": "Conforme", "decided_on": _tomorrow().isoformat()},
    )
    assert response.status_code == 200
    assert "Cette date n'est pas encore arrivée." in html.unescape(response.content.decode())
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.OPEN and appeal.decided_on is None


def test_the_api_refuses_a_decision_dated_tomorrow(client, decisions):
    appeal = _open_appeal(decisions)
    client.force_login(decisions.network.hr_north)
    response = client.post(
        f"/api/appeals/{appeal.pk}/decision",
        {"outcome": "confirmed", "reasoning": "Conforme", "decided_on": _tomorrow().isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 422, response.content
    details = response.json()["error"]["details"]
    assert {str(detail["loc"][-1]) for detail in details} == {"decided_on"}
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.OPEN


def test_the_api_records_the_day_the_commission_decided(client, decisions):
    appeal = _open_appeal(decisions)
    day = appeal.received_on + dt.timedelta(days=3)
    client.force_login(decisions.network.hr_north)
    response = client.post(
        f"/api/appeals/{appeal.pk}/decision",
        {"outcome": "confirmed", "reasoning": "Conforme", "decided_on": day.isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["decided_on"] == day.isoformat()


@pytest.mark.parametrize("offset", [1, -1])
def test_the_service_refuses_a_decision_in_the_future_or_before_the_appeal(decisions, offset):
    appeal = _open_appeal(decisions)
    day = _tomorrow() if offset > 0 else appeal.received_on - dt.timedelta(days=1)
    with pytest.raises(Refused) as refused:
        services.decide_appeal(
            decisions.network.hr_north,
            appeal,
            outcome="confirmed",
            reasoning="Conforme",
            decided_on=day,
        )
    assert set(refused.value.problems) == {"decided_on"}
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.OPEN


def test_an_appeal_received_tomorrow_is_refused(decisions):
    positioning = Positioning.objects.get(pk=decisions.bruno.pk)
    services.notify(decisions.network.hr_north, [positioning], on=timezone.localdate())
    positioning.refresh_from_db()
    with pytest.raises(Refused) as refused:
        services.open_appeal(
            decisions.network.hr_north,
            positioning,
            kind=Appeal.Kind.ATTACHMENT,
            argument="Mes missions",
            received_on=_tomorrow(),
        )
    assert set(refused.value.problems) == {"received_on"}
    assert not Appeal.objects.filter(positioning=positioning).exists()


def test_the_appeal_page_names_both_dates(client, decisions):
    appeal = _open_appeal(decisions)
    client.force_login(decisions.network.hr_north)
    page = html.unescape(client.get(reverse("worklist:appeal", args=[appeal.pk])).content.decode())
    deadline = appeal.deadline.strftime("%d/%m/%Y")
    assert f"<dt>Date limite de dépôt du recours</dt><dd>{deadline}</dd>" in page
    assert "Date de la décision de la commission" in page
    assert f'max="{timezone.localdate().isoformat()}"' in page
