"""Positioning reports over HTTP: the caller's scope.

Job codes, titles and levels are read from the loaded edition; the local job titles and
the people are the test's own.
"""

import pytest

from tests.api.positioning import hire, post

pytestmark = pytest.mark.django_db


def test_reports_count_the_callers_scope(client, net):
    hire(net.hr_north, net.north, ["Comptable", "Assistante de gestion", "Standardiste"])
    client.force_login(net.hr_north)
    items = client.get("/api/positionings").json()["items"]
    decided = [item for item in items if item["job"]][:2]
    for item in decided:
        post(client, f"/api/positionings/{item['id']}/validate")
    post(
        client, "/api/positionings/notify", {"establishment": "CCI-NORD", "ids": [decided[0]["id"]]}
    )

    report = client.get("/api/reports", {"establishment": "CCI-NORD"}).json()
    assert report["employees"] == 4
    assert report["by_status"]["validated"] == 1 and report["by_status"]["notified"] == 1
    assert report["by_status"]["proposed"] == 2
    assert set(report["by_level"]) == {str(n) for n in range(1, 9)}
    assert sum(report["by_level"].values()) == report["decided"] == 2
    assert report["progress"] == pytest.approx(0.5)
    assert sum(job["headcount"] for job in report["by_job"]) == 2
    assert [
        (p["code"], p["employees"], p["decided"], p["notified"]) for p in report["by_establishment"]
    ] == [("CCI-NORD", 4, 2, 1)]
    whole_scope = client.get("/api/reports").json()
    assert {**whole_scope, "scope": report["scope"]} == report
    assert report["appeals_by_status"] == {"open": 0, "confirmed": 0, "revised": 0}

    client.force_login(net.national)
    everyone = client.get("/api/reports").json()
    assert everyone["employees"] == 5 and everyone["scope"] == "réseau"
    assert [p["code"] for p in everyone["by_establishment"]] == ["CCI-NORD", "CCI-SUD"]
