"""The levels page states which of the pay-transparency directive's factors (skills,
effort, responsibility, working conditions) the edition's criteria cite, with the words."""

from __future__ import annotations

import re
from html import unescape

import pytest

from repertoire.catalog.models import Criterion

pytestmark = pytest.mark.django_db


def factors_section(client, url="/niveaux/") -> str:
    response = client.get(url)
    assert response.status_code == 200
    html = unescape(response.content.decode())
    return re.search(r'<section aria-labelledby="factors">.*?</section>', html, re.S).group(0)


def rows(section: str) -> dict[str, str]:
    return dict(re.findall(r'<tr[^>]*data-factor="(\w+)">(.*?)</tr>', section, re.S))


def test_levels_page_shows_the_factors_the_2014_criteria_cite_and_the_words(client, edition):
    section = factors_section(client)
    by_factor = rows(section)
    assert list(by_factor) == ["skills", "effort", "responsibility", "working_conditions"]
    assert "Connaissances" in by_factor["skills"]
    for word in ("savoir-faire", "formation", "expérience"):
        assert f"« {word} »" in by_factor["skills"]
    assert "Latitude d'action" in by_factor["responsibility"]
    assert "« autonomie »" in by_factor["responsibility"]
    assert "« décisions »" in by_factor["responsibility"]
    # Effort and working conditions: no criterion, no word, and named below the table.
    for factor in ("effort", "working_conditions"):
        assert "«" not in by_factor[factor] and "href" not in by_factor[factor]
    notice = re.search(r'<p class="notice">(.*?)</p>', section, re.S).group(1)
    assert re.findall(r"<strong>(.*?)</strong>", notice) == ["Efforts", "Conditions de travail"]
    # A criterion links to its description on the criteria page.
    assert f'/criteres/?edition={edition.label}#critere-connaissances"' in section


def test_a_criterion_that_speaks_of_effort_covers_the_factor(client, edition):
    criterion = Criterion.objects.get(edition=edition, code="complexite")
    criterion.description += " Elle demande une concentration soutenue et une charge mentale."
    criterion.save()
    by_factor = rows(factors_section(client))
    assert "Complexité" in by_factor["effort"]
    assert "« concentration »" in by_factor["effort"]
    assert "« charge mentale »" in by_factor["effort"]
    notice = re.search(r'<p class="notice">(.*?)</p>', factors_section(client), re.S).group(1)
    assert re.findall(r"<strong>(.*?)</strong>", notice) == ["Conditions de travail"]
