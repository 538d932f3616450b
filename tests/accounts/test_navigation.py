"""Each role sees only the links it may follow (issue 19.7)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from repertoire.accounts.navigation import LINKS


def _main_links(html: str) -> list[str]:
    nav = re.search(r'<nav class="main-nav"[^>]*>(.*?)</nav>', html, re.S).group(1)
    return re.findall(r'href="([^"]+)"', nav)


def _user(network, who):
    if who == "no role":
        return get_user_model().objects.create_user("sans-role", password="x" * 20)
    return getattr(network, who)


@pytest.mark.parametrize("who", ["national", "hr_north", "reader_north", "no role"])
def test_every_link_shown_answers(client, edition, network, who):
    client.force_login(_user(network, who))
    links = _main_links(client.get(reverse("catalog:home")).content.decode())
    assert links
    for url in links:
        response = client.get(url, follow=True)
        assert response.status_code == 200, f"{who}: {url} answers {response.status_code}"


def test_readers_do_not_see_the_journal(client, edition, network):
    client.force_login(network.reader_north)
    links = _main_links(client.get(reverse("catalog:home")).content.decode())
    assert reverse("audit:journal") not in links
    assert reverse("positioning:employees") in links


def test_officers_see_every_link(client, edition, network):
    client.force_login(network.hr_north)
    links = _main_links(client.get(reverse("catalog:home")).content.decode())
    assert {reverse(link.url_name) for link in LINKS} <= set(links)


def test_visitors_see_the_repertoire_only(client, edition):
    links = _main_links(client.get(reverse("catalog:home")).content.decode())
    assert reverse("positioning:employees") not in links
    assert reverse("catalog:search") in links
