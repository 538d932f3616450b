"""One establishment never sees another's people, by any route."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from repertoire.api.api import api
from repertoire.evaluation import services as evaluations
from repertoire.evaluation.models import JobEvaluation
from repertoire.positioning import services as positioning
from repertoire.positioning.models import Appeal, LetterBatch, Positioning

pytestmark = pytest.mark.django_db


def web_routes() -> list[str]:
    """Every page of the app as a path pattern (Django's converters kept)."""
    routes = []

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                routes.append(prefix + str(pattern.pattern))

    walk(get_resolver().url_patterns)
    return [route for route in routes if not route.startswith("api/")]


def fill(route: str, network, edition) -> list[str]:
    """The route with another establishment's ids in it: its code, its employee, its
    positioning and appeal (and real catalog codes where a code names a job)."""
    job = edition.jobs.first()
    south_positioning = Positioning.objects.filter(employee=network.south_employee).first()
    ids = {network.south_employee.pk, *(p.pk for p in [south_positioning] if p)}
    ids |= set(Appeal.objects.filter(establishment=network.south).values_list("pk", flat=True))
    ids |= set(
        JobEvaluation.objects.filter(establishment=network.south).values_list("pk", flat=True)
    )
    urls = []
    for code in {job.code, network.south.code}:
        for pk in ids:
            url = route.replace("<int:pk>", str(pk)).replace("<slug:code>", code)
            url = url.replace("<slug:format>", "csv").replace("<str:format>", "json")
            url = url.replace("<str:label>", edition.label)
            assert "<" not in url, url
            urls.append("/" + url)
    return sorted(set(urls))


def leaks(content: bytes, network) -> list[str]:
    text = content.decode("utf-8", "replace")
    # Not the surname itself: a search box rightly shows back what was typed in it. The
    # others carry a hyphen or an accent, which random tokens (CSRF) never contain.
    secrets = [
        network.south_employee.first_name,
        network.south_employee.matricule,
        network.south_employee.service,
        network.south.name,
    ]
    return [secret for secret in secrets if secret in text]


def test_every_page_with_another_establishments_ids_leaks_nothing(client, network, edition):
    client.force_login(network.national)  # the detector sees what a national admin may see
    assert leaks(client.get("/personnel/?q=SUDRIE").content, network)
    client.force_login(network.hr_north)
    routes = web_routes()
    assert any("personnel" in route for route in routes)
    # The south employee's positioning, notified and under appeal: ids for every page.
    positioning.propose([network.south_employee], actor="test")  # hired before the edition
    south_positioning = Positioning.objects.get(employee=network.south_employee)
    positioning.validate(network.national, south_positioning)
    positioning.notify(network.national, [south_positioning])
    positioning.open_appeal(network.national, south_positioning, kind="weighing", argument="?")
    south_evaluation = evaluations.create_evaluation(
        network.hr_south,
        network.south,
        title="Pesée de la CCI Sud",
        degrees={criterion.code: 3 for criterion in edition.criteria.all()},
        justifications={criterion.code: "motif" for criterion in edition.criteria.all()},
    )
    evaluations.submit(network.hr_south, south_evaluation)
    for url in (url for route in routes for url in fill(route, network, edition)):
        for query in ("", "?q=SUDRIE", "?format=csv", "?etablissement=CCI-SUD"):
            response = client.get(url + query)
            assert response.status_code in (200, 302, 403, 404, 405), (url, response.status_code)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            assert not leaks(body, network), (url + query, leaks(body, network))
        if url.startswith("/compte/"):
            continue  # signing out is not about anyone's data
        # Every form of the app posted with the other establishment's ids changes nothing.
        response = client.post(
            url,
            {
                "threshold": "0.01",
                "title_key": south_positioning.title_key,
                "job": edition.jobs.last().title,
                "positioning": south_positioning.pk,
                "outcome": "revised",
                "reasoning": "PIRATE",
                "text": "PIRATE",
                "confirm": "oui",
                "statut": "notified",
            },
        )
        assert response.status_code in (200, 302, 403, 404, 405), (url, response.status_code)
        assert not leaks(response.content, network), url
    south_positioning.refresh_from_db()
    assert (south_positioning.status, south_positioning.comment) == ("contested", "")
    south_evaluation.refresh_from_db()
    assert (south_evaluation.status, south_evaluation.events.count()) == ("submitted", 2)
    assert not LetterBatch.objects.exists()
    network.south_employee.refresh_from_db()
    assert network.south_employee.pseudonymised_at is None


def test_every_api_route_with_another_establishments_ids_leaks_nothing(client, network, edition):
    # The south employee's positioning, notified and under appeal: an id for every path.
    positioning.propose([network.south_employee], actor="test")  # hired before the edition
    south_positioning = Positioning.objects.get(employee=network.south_employee)
    positioning.validate(network.national, south_positioning)
    positioning.notify(network.national, [south_positioning])
    appeal = positioning.open_appeal(
        network.national, south_positioning, kind="weighing", argument="PIRATE?"
    )
    events = south_positioning.events.count()
    # A submitted evaluation of the south, its title naming the south (a leak detector).
    degrees = {criterion.code: 4 for criterion in edition.criteria.all()}
    south_evaluation = evaluations.create_evaluation(
        network.hr_south,
        network.south,
        title=f"Chargé(e) d'études {network.south.name}",
        degrees=degrees,
        justifications=dict.fromkeys(degrees, "Justifié"),
    )
    evaluations.submit(network.hr_south, south_evaluation)
    evaluation_events = south_evaluation.events.count()
    attempt = {
        "establishment": "CCI-SUD",
        "positioning": south_positioning.pk,
        "ids": [south_positioning.pk],
        "job": edition.jobs.last().code,
        "title_key": south_positioning.title_key,
        "threshold": 0.01,
        **dict.fromkeys(("text", "comment", "argument", "reasoning", "reason"), "PIRATE"),
        "kind": "weighing",
        "outcome": "revised",
        "title": "PIRATE",
        "degrees": degrees,
    }
    client.force_login(network.hr_north)
    schema = api.get_openapi_schema()
    south_id = network.south_employee.pk
    for path, methods in schema["paths"].items():
        pk = {
            "positionings": south_positioning.pk,
            "appeals": appeal.pk,
            "evaluations": south_evaluation.pk,
        }.get(path.split("/")[2], south_id)
        url = re.sub(r"\{pk\}", str(pk), path).replace("{code}", edition.jobs.first().code)
        for method in methods:
            if method == "get":
                response = client.get(url, {"q": "SUDRIE", "establishment": "CCI-SUD"})
            elif method == "patch":
                response = client.patch(
                    url, {"last_name": "PIRATE"}, content_type="application/json"
                )
            elif method == "post" and "employees" in url:
                response = client.post(
                    url,
                    {
                        "matricule": "X1",
                        "last_name": "X",
                        "job_title": "X",
                        "establishment": "CCI-SUD",
                    },
                    content_type="application/json",
                )
            elif method == "post" and any(
                part in url for part in ("positionings", "appeals", "evaluations")
            ):
                response = client.post(url, attempt, content_type="application/json")
            else:
                continue
            assert response.status_code < 500, (method, url, response.content[:200])
            assert not leaks(response.content, network), (method, url)
    network.south_employee.refresh_from_db()
    assert network.south_employee.last_name == "SUDRIE"
    assert not network.south.employees.filter(matricule="X1").exists()
    south_positioning.refresh_from_db()
    assert south_positioning.status == "contested" and south_positioning.comment == ""
    assert south_positioning.events.count() == events
    assert south_positioning.appeals.get().status == "open"
    south_evaluation.refresh_from_db()
    assert (south_evaluation.status, south_evaluation.title) == (
        "submitted",
        f"Chargé(e) d'études {network.south.name}",
    )
    assert south_evaluation.events.count() == evaluation_events
    assert not JobEvaluation.objects.filter(title="PIRATE").exists()


def test_hr_sees_its_own_people_and_national_sees_everyone(client, network):
    client.force_login(network.hr_north)
    mine = client.get("/api/employees").json()
    assert [item["last_name"] for item in mine["items"]] == ["NORDMANN"]
    assert mine["count"] == 1
    assert client.get(f"/api/employees/{network.south_employee.pk}").status_code == 404
    assert client.get(f"/personnel/{network.south_employee.pk}/").status_code == 404
    client.force_login(network.national)
    everyone = client.get("/api/employees").json()
    assert {item["last_name"] for item in everyone["items"]} == {"NORDMANN", "SUDRIE"}


def test_readers_see_name_job_and_level_only(client, network):
    client.force_login(network.reader_north)
    item = client.get("/api/employees").json()["items"][0]
    assert item["last_name"] == "NORDMANN" and item["current_level"] == 4
    assert item["matricule"] is None and item["service"] is None and item["hire_date"] is None
    page = client.get(f"/personnel/{network.north_employee.pk}/").content.decode()
    assert "MAT-NORD-0017" not in page and "Direction" not in page
    response = client.patch(
        f"/api/employees/{network.north_employee.pk}",
        {"job_title": "Autre"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert client.get("/journal/").status_code == 404


def test_anonymous_users_get_no_personal_data(client, network):
    assert client.get("/api/employees").status_code == 401
    response = client.get("/personnel/")
    assert response.status_code == 302 and "/compte/connexion/" in response.url
    assert client.get("/journal/").status_code == 302


def test_a_title_an_establishment_taught_stays_in_its_journal(client, network, edition):
    """A local title learnt from a group decision (and how many people hold it) is the
    establishment's: another establishment's HR does not read it in the journal, whether
    it was learnt, found in conflict, promoted or rejected."""
    from repertoire.audit.selectors import journal_for
    from repertoire.catalog import services as catalog_services

    jobs = list(edition.jobs.order_by("position")[:2])
    learnt = catalog_services.learn_appellation(
        jobs[0], "Chargée de veille auprès de la présidente", network.north, author="rh-nord"
    )
    conflict = catalog_services.learn_appellation(
        jobs[1], "Chargée de veille auprès de la présidente", network.north, author="rh-nord"
    )
    catalog_services.reject_appellation(network.national, learnt)
    promoted = catalog_services.learn_appellation(
        jobs[1], "Veilleuse de la présidence", network.north, author="rh-nord"
    )
    catalog_services.promote_appellation(network.national, promoted)

    def titles_read_by(user):
        return [str(entry.after or "") + str(entry.before or "") for entry in journal_for(user)]

    assert conflict.status == "conflict"
    assert not [text for text in titles_read_by(network.hr_south) if "présidente" in text]
    assert not [text for text in titles_read_by(network.hr_south) if "présidence" in text]
    assert len([t for t in titles_read_by(network.hr_north) if "présidente" in t]) >= 2
    assert [t for t in titles_read_by(network.national) if "présidence" in t]
