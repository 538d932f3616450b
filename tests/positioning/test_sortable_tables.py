"""List tables sorted on the server from the URL (?tri=…&ordre=…), paged as "page N sur M"
with first/previous/next/last links that keep the other query parameters."""

from __future__ import annotations

import re

import pytest

from repertoire.positioning import services
from repertoire.positioning.models import Employee, Positioning
from repertoire.positioning.views import employees as employee_views
from repertoire.positioning.views import worklist as worklist_views

NAMES = ["MARTIN", "BERNARD", "ZOLA", "ARNAUD", "PETIT"]


@pytest.fixture
def people(edition, network):
    for number, name in enumerate(NAMES):
        services.create_employee(
            network.national,
            network.north,
            matricule=f"TRI-{number:03d}",
            last_name=name,
            first_name="Jeanne",
            job_title=f"Intitulé {number}",
            service="Direction",
        )
    return network


def names_in(response) -> list[str]:
    html = response.content.decode()
    return [name for name in re.findall(r">([A-Z]{3,}) Jeanne<", html)]


def test_employees_sorted_by_name_both_ways(client, people):
    client.force_login(people.national)
    ascending = names_in(client.get("/personnel/?tri=nom&ordre=asc&etablissement=CCI-NORD"))
    descending = names_in(client.get("/personnel/?tri=nom&ordre=desc&etablissement=CCI-NORD"))
    assert ascending == sorted(NAMES)
    assert descending == sorted(NAMES, reverse=True)


def test_unknown_sort_key_is_ignored(client, people):
    client.force_login(people.national)
    plain = client.get("/personnel/?etablissement=CCI-NORD")
    unknown = client.get("/personnel/?etablissement=CCI-NORD&tri=password&ordre=desc")
    assert unknown.status_code == 200
    assert names_in(unknown) == names_in(plain)


def test_header_shows_the_sort_and_offers_the_other_way(client, people):
    client.force_login(people.national)
    html = client.get("/personnel/?tri=nom&ordre=asc").content.decode()
    assert 'aria-sort="ascending"' in html
    assert "tri=nom&amp;ordre=desc" in html
    # The search form keeps the sort.
    assert '<input type="hidden" name="tri" value="nom">' in html


def test_pager_counts_pages_and_keeps_the_query(client, people, monkeypatch):
    monkeypatch.setattr(employee_views, "PAGE_SIZE", 2)
    client.force_login(people.national)
    response = client.get("/personnel/?etablissement=CCI-NORD&tri=nom&ordre=desc&page=2")
    html = response.content.decode()
    assert "page 2 sur 3" in html
    everyone = sorted(
        Employee.objects.filter(establishment=people.north).values_list("last_name", flat=True),
        reverse=True,
    )
    assert [person.last_name for person in response.context["page"]] == everyone[2:4]
    links = dict(re.findall(r'<a (?:rel|class)="(first|prev|next|last)" href="([^"]+)"', html))
    assert set(links) == {"first", "prev", "next", "last"}
    for link in links.values():
        assert "etablissement=CCI-NORD" in link and "tri=nom" in link and "ordre=desc" in link
    assert "page=3" in links["last"] and "page=1" in links["first"]


def test_worklist_list_sorted_by_confidence(client, people):
    client.force_login(people.hr_north)
    url = f"/positionnement/{people.north.code}/?vue=liste&tri=confiance&ordre=desc"
    response = client.get(url)
    shown = [row.pk for row in response.context["page"]]
    expected = sorted(
        Positioning.objects.filter(establishment=people.north), key=lambda p: (-p.confidence, p.pk)
    )
    assert shown == [p.pk for p in expected]
    assert 'aria-sort="descending"' in response.content.decode()


def test_worklist_groups_sorted_by_title(client, people, monkeypatch):
    monkeypatch.setattr(worklist_views, "GROUPS_PAGE_SIZE", 2)
    client.force_login(people.hr_north)
    base = f"/positionnement/{people.north.code}/?tri=intitule&ordre="
    ascending = [g.example_title for g in client.get(base + "asc").context["page"]]
    descending = client.get(base + "desc")
    titles = sorted(
        Positioning.objects.filter(establishment=people.north).values_list(
            "employee__job_title", flat=True
        ),
        key=str.casefold,
    )
    assert ascending == titles[:2]
    assert [g.example_title for g in descending.context["page"]] == titles[::-1][:2]
    assert "page 1 sur 3" in descending.content.decode()


def test_journal_sorted_by_author(client, people):
    client.force_login(people.national)
    response = client.get("/journal/?tri=auteur&ordre=asc")
    actors = [entry.actor for entry in response.context["page"]]
    assert actors == sorted(actors)
    response = client.get("/journal/?tri=auteur&ordre=desc")
    actors = [entry.actor for entry in response.context["page"]]
    assert actors == sorted(actors, reverse=True)


def test_appeals_and_evaluations_pages_answer_with_a_sort(client, people):
    client.force_login(people.national)
    assert (
        client.get(f"/positionnement/{people.north.code}/recours/?tri=recu&ordre=desc").status_code
        == 200
    )
    assert client.get("/pesees/?tri=niveau&ordre=desc").status_code == 200


def test_search_results_say_which_page_of_how_many(client, edition, monkeypatch):
    from repertoire.catalog import views as catalog_views

    monkeypatch.setattr(catalog_views, "RESULTS_PER_PAGE", 10)
    response = client.get("/recherche/?q=&page=2")
    total = response.context["results"].total
    assert total > 10
    assert f"page 2 sur {-(-total // 10)}" in response.content.decode()


def test_edition_jobs_sorted_by_title(client, network, edition):
    client.force_login(network.national)
    response = client.get(f"/editions/{edition.label}/?tri=emploi&ordre=desc")
    titles = [job.title for job in response.context["jobs"]]
    # The database's own collation orders the titles (accents and capitals included).
    assert titles == list(edition.jobs.order_by("-title", "pk").values_list("title", flat=True))
    assert titles != list(edition.jobs.order_by("position").values_list("title", flat=True))
    listing = client.get("/editions/?tri=date&ordre=asc")
    dates = [shown.date for shown in listing.context["table"].page]
    assert dates == sorted(dates)
