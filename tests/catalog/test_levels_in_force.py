"""The levels page says which definition text is in force where the document prints
several (issue 19.13); the PDF cover sets its colon the French way."""

from __future__ import annotations

import html

from django.urls import reverse

from repertoire.catalog.models import Level
from repertoire.publishing.documents import edition_html
from repertoire.typesetting.sheets import edition_view


def test_the_text_in_force_is_named(client, edition):
    several = [
        level
        for level in Level.objects.filter(edition=edition).prefetch_related("definitions")
        if level.definitions.count() > 1
    ]
    assert several, "the bundled document prints variants for some levels"
    page = html.unescape(client.get(reverse("catalog:levels")).content.decode())
    assert "Texte 1" not in page
    assert page.count("<h3>Texte en vigueur</h3>") == len(several)
    for level in several:
        section = page[page.index(f'id="niveau-{level.roman}"') :]
        first, *_others = level.definitions.order_by("position")
        in_force = section.index("Texte en vigueur")
        assert section.index(first.paragraphs[0], in_force) < section.index("non en vigueur")


def test_the_pdf_cover_sets_a_no_break_space_before_the_colon(edition):
    assert edition.missing_jobs
    cover = edition_html(edition_view(edition))
    assert "pas encore décrits\u00a0:" in cover
    assert "décrits:" not in cover
