"""Appeals over HTTP: received within the deadline, decided by the commission.

Job codes, titles and levels are read from the loaded edition; the local job titles and
the people are the test's own.
"""

import datetime as dt

import pytest
from django.conf import settings
from django.utils.timezone import localdate as today

from repertoire.core.positioning import appeal_deadline
from repertoire.positioning.models import Appeal, Positioning
from tests.api.positioning import error_of, fields_named, jobs_of, positioning_of, post

pytestmark = pytest.mark.django_db


def notified(client, positioning: Positioning) -> dict:
    assert post(client, f"/api/positionings/{positioning.pk}/validate").status_code == 200
    post(
        client,
        "/api/positionings/notify",
        {"establishment": positioning.establishment.code, "ids": [positioning.pk]},
    )
    return client.get(f"/api/positionings/{positioning.pk}").json()


def test_appeals_are_received_within_the_deadline_and_revised_by_the_commission(
    client, net, edition
):
    mine = positioning_of(net.north_employee)
    client.force_login(net.hr_north)
    state = notified(client, mine)
    deadline = appeal_deadline(
        dt.date.fromisoformat(state["notified_on"]), settings.REPERTOIRE_APPEAL_DEADLINE_MONTHS
    )
    appeal = {"positioning": mine.pk, "kind": "weighing", "argument": "mes missions dépassent"}

    late = post(
        client, "/api/appeals", {**appeal, "received_on": str(deadline + dt.timedelta(days=1))}
    )
    assert fields_named(error_of(late, 422)) == {"received_on"}
    assert not Appeal.objects.exists()
    assert fields_named(
        error_of(post(client, "/api/appeals", {**appeal, "kind": "autre"}), 422)
    ) == {"kind"}

    # Received today (the deadline is a month ahead: a letter is not received in the future).
    tomorrow = post(
        client, "/api/appeals", {**appeal, "received_on": str(today() + dt.timedelta(days=1))}
    )
    assert fields_named(error_of(tomorrow, 422)) == {"received_on"}
    response = post(client, "/api/appeals", {**appeal, "received_on": str(today())})
    assert response.status_code == 201, response.content
    opened = response.json()
    assert opened["status"] == "open" and opened["positioning_status"] == "contested"
    assert opened["deadline"] == str(deadline) and opened["employee"] == net.north_employee.pk
    assert client.get("/api/appeals", {"status": "open"}).json()["count"] == 1
    assert client.get("/api/appeals", {"status": "revised"}).json()["count"] == 0
    assert client.get(f"/api/appeals/{opened['id']}").json()["argument"] == appeal["argument"]

    client.force_login(net.hr_south)
    assert client.get("/api/appeals").json()["count"] == 0
    error_of(client.get(f"/api/appeals/{opened['id']}"), 404)
    decision = {"outcome": "confirmed", "reasoning": "pesée conforme"}
    error_of(post(client, f"/api/appeals/{opened['id']}/decision", decision), 404)

    client.force_login(net.reader_north)
    error_of(post(client, f"/api/appeals/{opened['id']}/decision", decision), 403)

    client.force_login(net.hr_north)
    same = {"outcome": "revised", "reasoning": "à revoir", "job": mine.job.code}
    assert fields_named(
        error_of(post(client, f"/api/appeals/{opened['id']}/decision", same), 422)
    ) == {"job"}
    other = next(j for j in jobs_of(edition) if j.code != mine.job.code)
    revised = post(
        client,
        f"/api/appeals/{opened['id']}/decision",
        {"outcome": "revised", "reasoning": "missions d'encadrement établies", "job": other.code},
    )
    assert revised.status_code == 200, revised.content
    assert revised.json()["status"] == "revised"
    assert revised.json()["job"]["code"] == other.code
    after = client.get(f"/api/positionings/{mine.pk}").json()
    assert after["status"] == "revised" and after["job"]["code"] == other.code
    assert after["level"] == other.level.number
    assert [e["action"] for e in after["history"]][-2:] == ["contest", "revise"]
    error_of(post(client, f"/api/appeals/{opened['id']}/decision", decision), 422)


def test_only_a_notified_positioning_is_appealed(client, net):
    mine = positioning_of(net.north_employee)
    client.force_login(net.hr_north)
    refused = post(
        client, "/api/appeals", {"positioning": mine.pk, "kind": "definition", "argument": "non"}
    )
    error = error_of(refused, 422)
    assert error["details"] == [{"loc": ["body"], "msg": error["message"]}]
    assert "notifié" in error["message"]
    south = positioning_of(net.south_employee)
    error_of(
        post(
            client, "/api/appeals", {"positioning": south.pk, "kind": "definition", "argument": "x"}
        ),
        404,
    )
