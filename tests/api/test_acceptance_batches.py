"""Bulk acceptance over HTTP: a dry run says how many and on which jobs, the batch takes
exactly the filtered people, it is listed and undone as a whole until notification (then
409). The notification has its dry run too. Titles are reference job titles read from the
edition; services and people are the test's own."""

import pytest

from repertoire.catalog import services as editions
from repertoire.positioning.models import Positioning
from repertoire.positioning.services import publication
from tests.accounts.conftest import hire_by_service
from tests.api.positioning import error_of, post

pytestmark = pytest.mark.django_db

URL = "/api/positionings/acceptance-batches"


@pytest.fixture
def staff(net, edition):
    return hire_by_service(net, edition)


def accounting() -> set[int]:
    return set(
        Positioning.objects.filter(
            employee__service="Comptabilité", status="proposed", confidence__gte=0.5
        ).values_list("pk", flat=True)
    )


def validated() -> set[int]:
    return set(Positioning.objects.filter(status="validated").values_list("pk", flat=True))


def test_dry_run_then_batch_of_the_filtered_people_then_undo(client, staff):
    chosen = accounting()
    assert len(chosen) == 2
    client.force_login(staff.hr_north)
    body = {"establishment": "CCI-NORD", "threshold": 0.5, "service": "Comptabilité"}

    dry = post(client, URL, {**body, "dry_run": True}).json()
    assert dry["dry_run"] is True and dry["accepted"] == 2 and dry["batch"] is None
    assert sum(job["count"] for job in dry["jobs"]) == 2
    assert validated() == set()

    # Another count than the one confirmed: 409, nothing validated.
    error_of(post(client, URL, {**body, "expected": 3}), 409)
    assert validated() == set()

    done = post(client, URL, {**body, "expected": 2}).json()
    assert done["accepted"] == 2 and done["batch"]
    assert validated() == chosen  # not the Accueil one

    listed = client.get(URL, {"establishment": "CCI-NORD"}).json()["items"]
    assert [(b["id"], b["accepted"], b["undoable"]) for b in listed] == [(done["batch"], 2, True)]
    assert listed[0]["filters"] == {"service": "Comptabilité"}

    undone = post(client, f"{URL}/{done['batch']}/undo").json()
    assert undone == {"undone": 2}
    assert validated() == set()
    error_of(post(client, f"{URL}/{done['batch']}/undo"), 409)  # undone already


def test_undo_refused_once_notified(client, staff):
    client.force_login(staff.hr_north)
    done = post(
        client, URL, {"establishment": "CCI-NORD", "threshold": 0.5, "service": "Comptabilité"}
    ).json()
    one = Positioning.objects.get(pk=min(accounting() | validated()))
    notified = post(
        client, "/api/positionings/notify", {"establishment": "CCI-NORD", "ids": [one.pk]}
    )
    assert notified.json() == {"notified": 1}
    refused = error_of(post(client, f"{URL}/{done['batch']}/undo"), 409)
    assert refused["code"] == "conflict"
    assert Positioning.objects.filter(status="validated").count() == 1
    listed = client.get(URL, {"establishment": "CCI-NORD"}).json()["items"]
    assert listed[0]["undoable"] is False and listed[0]["notified"] == 1


def test_batches_of_another_establishment_do_not_exist(client, staff):
    client.force_login(staff.hr_north)
    done = post(client, URL, {"establishment": "CCI-NORD", "threshold": 0.5}).json()
    client.force_login(staff.hr_south)
    error_of(post(client, f"{URL}/{done['batch']}/undo"), 404)
    error_of(client.get(URL, {"establishment": "CCI-NORD"}), 404)
    error_of(post(client, URL, {"establishment": "CCI-NORD", "dry_run": True}), 404)
    client.force_login(staff.reader_north)
    error_of(post(client, URL, {"establishment": "CCI-NORD", "dry_run": True}), 403)


def test_notification_dry_run_says_who_and_until_when(client, staff):
    from repertoire.positioning import selectors

    client.force_login(staff.hr_north)
    post(client, URL, {"establishment": "CCI-NORD", "threshold": 0.5})
    waiting = validated()
    dry = post(
        client, "/api/positionings/notify", {"establishment": "CCI-NORD", "dry_run": True}
    ).json()
    assert dry["dry_run"] is True and dry["notified"] == len(waiting)
    assert set(dry["ids"]) == waiting
    from django.utils import timezone

    assert dry["appeal_deadline"] == selectors.appeal_deadline(timezone.localdate()).isoformat()
    assert not Positioning.objects.filter(status="notified").exists()
    error_of(
        post(
            client,
            "/api/positionings/notify",
            {"establishment": "CCI-NORD", "expected": len(waiting) + 1},
        ),
        409,
    )
    done = post(
        client, "/api/positionings/notify", {"establishment": "CCI-NORD", "expected": len(waiting)}
    )
    assert done.json() == {"notified": len(waiting)}


def test_undo_refused_once_another_edition_carried_the_batch_over(client, staff, edition):
    """The publication carried the batch's decisions over to the edition now in force:
    undoing the earlier ones would leave those as they are, so nothing is undone (409)."""
    client.force_login(staff.hr_north)
    done = post(
        client, URL, {"establishment": "CCI-NORD", "threshold": 0.5, "service": "Comptabilité"}
    ).json()
    draft = editions.copy_edition(staff.national, edition, label="suivante")
    publication.publish_edition(staff.national, draft)

    error = error_of(post(client, f"{URL}/{done['batch']}/undo"), 409)

    assert "suivante" in error["message"]
    assert set(
        Positioning.objects.filter(edition=draft, status="validated").values_list(
            "employee__matricule", flat=True
        )
    ) == {"T001", "T002"}
    assert Positioning.objects.filter(edition=edition, status="validated").count() == 2
    listed = client.get(URL, {"establishment": "CCI-NORD"}).json()["items"]
    assert listed[0]["undoable"] is False
    page = client.get("/positionnement/CCI-NORD/lots/").content.decode()
    assert "plus en vigueur" in page
