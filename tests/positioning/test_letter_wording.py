"""The letter quotes the job as the repertoire spells it and names the establishment with
its article (issue 19.13)."""

from __future__ import annotations

import html
import re

from repertoire.catalog import selectors as catalog
from repertoire.core.text import gender_forms, strip_accents
from repertoire.positioning import services
from repertoire.positioning.letters import letters_html
from repertoire.positioning.models import Positioning


def test_the_letter_quotes_the_title_as_spelled_and_the_establishment_with_its_article(
    decisions,
):
    network = decisions.network
    job = next(
        j for j in catalog.jobs_of(decisions.alice.edition) if j.title != strip_accents(j.title)
    )
    _masculine, feminine = gender_forms(job.title)
    typed = strip_accents(feminine).upper()  # as payroll exports it
    employee = services.create_employee(
        network.national, network.north, matricule="N-099", last_name="HUET", job_title=typed
    )
    positioning = Positioning.objects.select_related("job__level").get(employee=employee)
    services.validate(network.hr_north, positioning)
    positioning = Positioning.objects.get(pk=positioning.pk)
    text = re.sub(r"\s+", " ", html.unescape(letters_html([positioning]))).replace("\xa0", " ")
    assert network.north.name == "CCI Nord"
    assert f"l'emploi que vous occupez à la CCI Nord, intitulé « {feminine} »" in text
    assert typed not in text
    assert "commission paritaire de la CCI Nord" in text
