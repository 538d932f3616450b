"""A draft's grid on the web: level definitions and criteria descriptions edited and
journaled; a change of level rule previewed (the jobs it would move) before it is saved."""

from __future__ import annotations

import pytest
from django.utils.html import escape

from repertoire.audit.models import JournalEntry
from repertoire.catalog import selectors
from repertoire.catalog.models import Edition
from repertoire.core.grid import MAX_DEGREE, MIN_DEGREE, RULES
from tests.catalog.test_edition_views import _job_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(client, network, edition):
    client.force_login(network.national)
    response = client.post(f"/editions/{edition.label}/copier/", {"label": "brouillon-2015"})
    assert response.status_code == 302
    return Edition.objects.get(label="brouillon-2015")


def test_level_definitions_and_criteria_descriptions_are_edited(client, network, draft):
    url = f"/editions/{draft.label}/grille/"
    page = client.get(url)
    assert page.status_code == 200
    levels = list(selectors.levels_of(draft))
    definition = levels[0].definitions.all()[0]
    criterion = selectors.criteria_of(draft)[0]
    assert escape(definition.paragraphs[0]) in page.content.decode()
    new_text = definition.text + "\n\nParagraphe ajouté pour la nouvelle édition."
    response = client.post(
        url,
        {
            "action": "texts",
            f"definition_{definition.pk}": new_text,
            f"criterion_{criterion.code}": "Ce que le critère mesure, réécrit.",
        },
    )
    assert response.status_code == 302
    definition.refresh_from_db()
    criterion.refresh_from_db()
    assert definition.paragraphs[-1] == "Paragraphe ajouté pour la nouvelle édition."
    assert criterion.description == "Ce que le critère mesure, réécrit."
    actions = set(
        JournalEntry.objects.filter(actor=network.national.get_username()).values_list(
            "action", flat=True
        )
    )
    assert {"level_definition.update", "criterion.update"} <= actions


def test_an_empty_definition_is_refused_and_the_typed_texts_stay(client, draft):
    url = f"/editions/{draft.label}/grille/"
    definition = selectors.levels_of(draft)[0].definitions.all()[0]
    criterion = selectors.criteria_of(draft)[0]
    response = client.post(
        url,
        {
            "action": "texts",
            f"definition_{definition.pk}": "  ",
            f"criterion_{criterion.code}": "Description tapée avant le refus.",
        },
    )
    assert response.status_code == 200
    assert "Description tapée avant le refus." in response.content.decode()
    criterion.refresh_from_db()
    assert criterion.description != "Description tapée avant le refus."


def test_the_published_edition_grid_is_not_editable(client, network, edition):
    client.force_login(network.national)
    assert client.get(f"/editions/{edition.label}/grille/").status_code == 403


def test_a_rule_change_shows_the_jobs_it_would_move_then_applies(client, network, draft):
    # One job of the draft gets an unbalanced profile (lowest degrees but two at the top),
    # its level left to the rule in force: the rules disagree on it.
    job = selectors.jobs_of(draft).first()
    criteria = selectors.criteria_of(draft)
    unbalanced = [MIN_DEGREE] * (len(criteria) - 2) + [MAX_DEGREE] * 2
    post = _job_post(draft, job, level="")
    post |= {f"degree_{c.code}": str(d) for c, d in zip(criteria, unbalanced, strict=True)}
    assert client.post(f"/editions/{draft.label}/emplois/{job.code}/", post).status_code == 302
    current = RULES[draft.level_rule]
    other = next(rule for code, rule in RULES.items() if code != draft.level_rule)
    assert current.level(unbalanced) != other.level(unbalanced)
    # What the new rule would do, computed from the draft's jobs as stored.
    expected = {
        j.title: (j.level.number, other.level(selectors.degrees_of(j)))
        for j in selectors.jobs_of(draft)
        if current.level(selectors.degrees_of(j)) == j.level.number
        and other.level(selectors.degrees_of(j)) != j.level.number
    }
    assert job.title in expected

    page = client.get(f"/editions/{draft.label}/grille/?regle={other.code}")
    shown = page.context["preview"].changes
    assert {c.reference.name: (c.before, c.after) for c in shown} == expected
    assert escape(job.title) in page.content.decode()
    draft.refresh_from_db()
    assert draft.level_rule == current.code  # nothing saved by the preview

    # Decided on a preview the draft no longer matches: nothing applied.
    stale = client.post(
        f"/editions/{draft.label}/grille/",
        {"action": "rule", "regle": other.code, "vu": ""},
        follow=True,
    )
    assert escape("rien n'a été appliqué") in stale.content.decode()
    draft.refresh_from_db()
    assert draft.level_rule == current.code
    seen = page.context["preview"].fingerprint
    assert f'name="vu" value="{escape(seen)}"' in page.content.decode()
    response = client.post(
        f"/editions/{draft.label}/grille/", {"action": "rule", "regle": other.code, "vu": seen}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.level_rule == other.code
    assert selectors.job_of(draft, job.code).level.number == other.level(unbalanced)
    assert selectors.level_disagreements(draft) == {}
    assert JournalEntry.objects.filter(action="job.level_rule", object_id=str(job.pk)).exists()
    assert JournalEntry.objects.filter(action="edition.level_rule").exists()
