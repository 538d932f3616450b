"""A write the database refused for a constraint another write made true meanwhile (the
services lock what they read: this is the safety net) is told as a conflict: 409 with
the API's error shape, a message on the page; never a 500."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from repertoire.positioning import services
from repertoire.positioning.models import Positioning

pytestmark = pytest.mark.django_db


def _violated(*args, **kwargs):
    raise IntegrityError('duplicate key value violates unique constraint "some_constraint"')


def test_the_api_answers_a_constraint_violation_with_a_409(client, edition, network, monkeypatch):
    monkeypatch.setattr(services, "update_employee", _violated)
    client.force_login(network.hr_north)
    response = client.patch(
        f"/api/employees/{network.north_employee.pk}",
        {"first_name": "Alicia"},
        content_type="application/json",
    )
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "conflict"
    assert "au même moment" in error["message"]


def test_the_web_tells_a_constraint_violation_on_the_page(client, edition, network, monkeypatch):
    monkeypatch.setattr(services, "comment", _violated)
    positioning = Positioning.objects.get(employee=network.north_employee)
    client.force_login(network.hr_north)
    response = client.post(
        f"/positionnement/decision/{positioning.pk}/commenter/",
        {"text": "Un commentaire"},
        follow=True,
    )
    assert response.status_code == 200
    assert "au même moment" in response.content.decode()
