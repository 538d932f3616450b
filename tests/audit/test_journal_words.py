"""The journal reads in the words of the pages (issue 19.8): object types by their French
names, fields and values as the pages show them, one line per degree, each action named."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from repertoire.catalog import selectors as catalog
from repertoire.core.text import to_roman
from repertoire.evaluation import services as evaluations
from repertoire.positioning import services
from repertoire.positioning.models import Positioning


def _page(client, user, **params) -> str:
    client.force_login(user)
    response = client.get(reverse("audit:journal"), params)
    assert response.status_code == 200
    return html.unescape(response.content.decode()).replace("\xa0", " ")


def _changes(page: str) -> list[str]:
    return [
        re.sub(r"\s+", " ", line).strip()
        for line in re.findall(r'<ul class="changes">(.*?)</ul>', page, re.S)
        for line in re.findall(r"<li>(.*?)</li>", line, re.S)
    ]


def test_object_type_is_chosen_by_its_french_name(client, decisions):
    page = _page(client, decisions.network.national)
    select = re.search(r'<select name="object_type"[^>]*>(.*?)</select>', page, re.S)
    assert select, "the object type is a list"
    assert re.search(r'<option value="positioning.positioning">Positionnement</option>', select[1])
    assert re.search(r'<option value="positioning.appeal">Recours</option>', select[1])


def test_filter_by_the_chosen_type(client, decisions):
    page = _page(client, decisions.network.national, object_type="positioning.appeal")
    assert "Recours reçu" in page
    assert "Positionnement validé" not in page


def test_a_positioning_change_reads_in_the_words_of_the_pages(client, decisions):
    bruno, job = decisions.bruno, decisions.other_job
    proposed = catalog.jobs_of(bruno.edition).get(code=_proposed_code(bruno))
    page = _page(client, decisions.network.hr_north, object_type="positioning.positioning")
    lines = _changes(page)
    assert f"Emploi repère : {proposed.title} → {job.title}" in lines
    if proposed.level.number != bruno.level:
        old, new = to_roman(proposed.level.number), to_roman(bruno.level)
        assert f"Niveau : niveau {old} → niveau {new}" in lines
    assert (
        "Motif du niveau à titre personnel : — → Maintien du niveau acquis avant la classification"
        in lines
    )
    assert "Statut : proposé → validé" in lines
    assert "Statut : contesté → confirmé" in lines
    assert "Emploi ou niveau changé" in page
    assert not [line for line in lines if "→" in line and ("_id" in line or "status" in line)]


def _proposed_code(positioning: Positioning) -> str:
    return positioning.proposals[0]["code"]


def test_changed_degrees_read_one_line_each(client, edition, network):
    criteria = catalog.criteria_of(edition)
    evaluation = evaluations.create_evaluation(
        network.hr_north,
        network.north,
        title="Chargé(e) des salons",
        degrees={criterion.code: 3 for criterion in criteria},
    )
    level_before = evaluation.level
    changed = {criterion.code: 3 for criterion in criteria}
    changed[criteria[0].code] = 8
    changed[criteria[-1].code] = 2
    evaluation = evaluations.update_evaluation(network.hr_north, evaluation, degrees=changed)
    assert evaluation.level != level_before
    lines = _changes(_page(client, network.hr_north, object_type="evaluation.jobevaluation"))
    assert f"{criteria[0].label} : 3 → 8" in lines
    assert f"{criteria[-1].label} : 3 → 2" in lines
    assert (
        f"Niveau : niveau {to_roman(level_before)} → niveau {to_roman(evaluation.level)}" in lines
    )
    assert not [line for line in lines if "{" in line]


def test_an_erasure_is_named_as_such(client, decisions):
    alice = decisions.alice.employee
    services.erase_employee(decisions.network.hr_north, alice, reason="demande")
    page = _page(client, decisions.network.hr_north, object_type="positioning.employee")
    row = re.search(r"<tr><td>[^<]*</td><td>rh-nord</td><td>([^<]*)</td>", page)
    assert row[1] == "Données personnelles effacées"
    assert "création" not in page.lower()


@pytest.mark.parametrize("page_name", ["positioning:employee"])
def test_the_history_tab_speaks_the_same_words(client, decisions, page_name):
    client.force_login(decisions.network.hr_north)
    response = client.get(reverse(page_name, args=[decisions.bruno.employee_id]))
    assert "Collaborateur ajouté" in html.unescape(response.content.decode())


def test_every_action_the_services_journal_has_a_name_in_the_ui():
    """An action written as a literal by a service reads in French, never as its code."""
    from pathlib import Path

    import repertoire
    from repertoire.audit.presentation import ACTIONS

    source = Path(repertoire.__file__).parent
    written = {
        action
        for path in source.rglob("*.py")
        for action in re.findall(r'action="([a-z_]+\.[a-z_.]+)"', path.read_text("utf-8"))
    }
    assert written, "the services' actions were found"
    assert sorted(written - set(ACTIONS)) == []
