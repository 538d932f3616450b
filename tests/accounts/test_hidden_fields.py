"""Readers (staff representatives) neither see nor infer the fields hidden from them:
searching or filtering on a matricule or a service narrows nothing for them."""

from __future__ import annotations

import pytest

from repertoire.positioning import services as positioning
from tests.api.conftest import net  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_services(net):  # noqa: F811
    """A second person in the north, in another service."""
    positioning.create_employee(
        net.national,
        net.north,
        matricule="MAT-NORD-0099",
        last_name="NORDIN",
        first_name="Bruno",
        job_title="Comptable",
        service="Finances",
        current_level=5,
    )
    return net


def test_readers_cannot_find_a_person_by_matricule(client, two_services):
    people = two_services
    client.force_login(people.reader_north)
    assert client.get("/api/employees", {"q": "MAT-NORD-0017"}).json()["count"] == 0
    assert client.get("/api/employees", {"q": "0017"}).json()["count"] == 0
    assert client.get("/api/positionings", {"q": "MAT-NORD-0017"}).json()["count"] == 0
    page = client.get("/personnel/", {"q": "MAT-NORD-0017"}).content.decode()
    assert "NORDMANN" not in page
    # What they see stays searchable: the name and the local title.
    assert client.get("/api/employees", {"q": "NORDMANN"}).json()["count"] == 1
    assert client.get("/api/positionings", {"q": "Comptable"}).json()["count"] == 1
    assert "NORDMANN" in client.get("/personnel/", {"q": "nordmann"}).content.decode()

    client.force_login(people.hr_north)
    assert client.get("/api/employees", {"q": "MAT-NORD-0017"}).json()["count"] == 1
    assert client.get("/api/positionings", {"q": "MAT-NORD-0017"}).json()["count"] == 1
    assert "NORDMANN" in client.get("/personnel/", {"q": "MAT-NORD-0017"}).content.decode()


def test_readers_cannot_filter_the_worklist_by_service(client, two_services):
    people = two_services
    client.force_login(people.reader_north)
    page = client.get("/positionnement/CCI-NORD/", {"vue": "liste", "service": "Direction"})
    text = page.content.decode()
    # No service to pick (their own query string echoed aside), and no narrowing.
    assert '<select name="service"' not in text and "Finances" not in text
    assert "NORDMANN" in text and "NORDIN" in text
    assert client.get("/api/positionings", {"service": "Direction"}).json()["count"] == 2

    client.force_login(people.hr_north)
    text = client.get(
        "/positionnement/CCI-NORD/", {"vue": "liste", "service": "Direction"}
    ).content.decode()
    assert "NORDMANN" in text and "NORDIN" not in text
    assert client.get("/api/positionings", {"service": "Direction"}).json()["count"] == 1


def test_the_selectors_decide_what_a_role_may_search(two_services):
    from repertoire.positioning import selectors

    people = two_services
    assert not selectors.employees_for(people.reader_north, search="MAT-NORD").exists()
    assert selectors.employees_for(people.hr_north, search="MAT-NORD").count() == 2
    hidden = selectors.WorklistFilters(service="Direction", search="MAT-NORD-0017")
    assert selectors.positionings_for(people.reader_north, filters=hidden).count() == 0
    assert (
        selectors.positionings_for(
            people.reader_north, filters=selectors.WorklistFilters(service="Direction")
        ).count()
        == 2
    )
    assert selectors.services_of(people.reader_north, people.north) == []
    assert selectors.services_of(people.hr_north, people.north) == ["Direction", "Finances"]
